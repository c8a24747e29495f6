import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentVariables, REQUIRED_WHEN_DEPLOYED } from '../lib/config';
import { PROJECT_ROOT } from '../tools/paths';
import { PROBLEM_PAGES_DIR, problemPages } from '../tools/problem-pages';

const read = (path: string) => readFileSync(join(PROJECT_ROOT, path), 'utf8');

describe('what the docs and generated files say matches the code', () => {
  it('docs/operations.md lists every variable lib/config.ts reads, and exactly its required ones', () => {
    const rows = [...read('docs/operations.md').matchAll(/^\| `([A-Z0-9_]+)` +\| ([^|]+?) +\|/gm)].map(
      ([, name, required]) => ({ name: name as string, required: (required as string).trim() }),
    );
    expect(rows.map((row) => row.name).sort()).toEqual(environmentVariables().sort());
    expect(
      rows
        .filter((row) => row.required === 'yes')
        .map((row) => row.name)
        .sort(),
    ).toEqual([...REQUIRED_WHEN_DEPLOYED].sort());
  });

  it('public/problems has exactly the pages of the problem vocabulary, up to date (npm run problems)', () => {
    const pages = problemPages();
    expect(readdirSync(PROBLEM_PAGES_DIR).sort()).toEqual([...pages.keys()].sort());
    for (const [file, html] of pages) expect(read(join('public/problems', file)), file).toBe(html);
  });
});
