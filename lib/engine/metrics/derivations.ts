import { compareText } from '../compare';

/** Counts, per field, how many rows got a value by each derivation rule (good = total - scrap, ...). */
export class Derivations {
  readonly #counts = new Map<string, Map<string, number>>();
  add(field: string, rule: string, rows = 1): void {
    let rules = this.#counts.get(field);
    if (!rules) {
      rules = new Map();
      this.#counts.set(field, rules);
    }
    rules.set(rule, (rules.get(rule) ?? 0) + rows);
  }
  list() {
    return [...this.#counts.entries()]
      .flatMap(([field, rules]) => [...rules.entries()].map(([rule, rows]) => ({ field, rule, rows })))
      .sort((a, b) => compareText(a.field, b.field) || compareText(a.rule, b.rule));
  }
}
