import type * as z from 'zod';
import type { issue } from '../contracts/report';
import { compareText } from './compare';

export type Issue = z.output<typeof issue>;

/** Collects data-quality issues by code, keeping the first row numbers as evidence. */
export class IssueLog {
  readonly #issues = new Map<string, Issue>();
  add(code: string, severity: Issue['severity'], row?: number, detail?: string, values?: string[]): void {
    let issue = this.#issues.get(code);
    if (!issue) {
      issue = {
        code,
        severity,
        count: 0,
        rows: [],
        ...(detail ? { detail } : {}),
        ...(values ? { values } : {}),
      };
      this.#issues.set(code, issue);
    }
    issue.count++;
    if (row !== undefined && issue.rows.length < 20) issue.rows.push(row);
  }
  /** `count` occurrences at once, the first at the record numbers `rows` (as many `add` calls would). */
  addMany(
    code: string,
    severity: Issue['severity'],
    count: number,
    rows: ArrayLike<number>,
    detail?: string,
  ): void {
    if (count === 0) return;
    this.add(code, severity, rows[0], detail);
    const issue = this.#issues.get(code) as Issue;
    issue.count += count - 1;
    for (let k = 1; k < rows.length && issue.rows.length < 20; k++) issue.rows.push(rows[k] as number);
  }
  list(): Issue[] {
    return [...this.#issues.values()].sort((a, b) => compareText(a.code, b.code));
  }
}
