import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { MAX_INPUT_BYTES } from '../lib/engine';
import { MAX_GROUPS, MAX_PERIODS } from '../lib/engine/metrics/kpis';
import { MAX_CHARTS } from '../lib/engine/shapes/measurements';
import { PROJECT_ROOT, RUN_TS } from '../tools/paths';

type Summary = {
  input: string;
  rows: number;
  reportBytes: number;
  periodUnit: string | null;
  periods: number;
  earlier: number | null;
  machines: number;
  parts: number;
  shifts: number;
  heatmapRows: number;
  reliability: number;
  cycleGroups: number;
  charts: number;
  points: number;
  codes: string[];
  readByWasm: boolean;
  wasmMemoryBytes: number;
};

describe('bounded by design: any 4 MB input, 128 MB of heap, at most 1 MB of report', () => {
  it('reads the densest workbook a 4 MB upload can carry within a 128 MB V8 old space', async () => {
    // Random one-digit cells, 300 columns: about 60 MB of sheet XML, packed under 4 MB at a ratio under 100.
    const base = unzipSync(
      new Uint8Array(readFileSync(join(PROJECT_ROOT, 'tests/fixtures/workbooks/english-mes.xlsx'))),
    );
    let seed = 7;
    const digit = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * 10); // the high bits: an LCG's low digit repeats every 10 calls
    };
    const rows: string[] = [];
    let size = 0;
    for (let row = 1; size < 58 * 1024 * 1024; row++) {
      let xml = `<row r="${row}">`;
      // The row number first, so no two rows are the same (duplicates would be dropped, not read twice).
      xml += `<c><v>${row}</v></c>`;
      for (let column = 1; column < 300; column++) xml += `<c><v>${digit()}</v></c>`;
      xml += '</row>';
      rows.push(xml);
      size += xml.length;
    }
    const sheet = new TextEncoder().encode(`<worksheet><sheetData>${rows.join('')}</sheetData></worksheet>`);
    const zip = zipSync({ ...base, 'xl/worksheets/sheet1.xml': sheet }, { level: 9 });
    expect(zip.length).toBeLessThan(MAX_INPUT_BYTES);
    const file = join(mkdtempSync(join(tmpdir(), 'dense-')), 'dense.xlsx');
    writeFileSync(file, zip);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--max-old-space-size=128', ...RUN_TS, 'tools/test-support/workbook-worst-case.ts', file],
      { cwd: PROJECT_ROOT, timeout: 240_000, maxBuffer: 1 << 20 },
    );
    const summary = JSON.parse(stdout.trim()) as { rows: number; columns: number; reportBytes: number };
    expect(summary.columns).toBe(300);
    expect(summary.rows).toBe(rows.length - 1); // every row read (the first is the header)
    expect(summary.reportBytes).toBeLessThan(1_000_000);
  }, 300_000);

  it('analyses each generated worst case within a 128 MB V8 old space, each report under 1 MB and its lists bounded', async () => {
    // One child with the Vercel Edge isolate's heap: running out of it fails the child, and this test.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--max-old-space-size=128', ...RUN_TS, 'tools/test-support/worst-case-summary.ts'],
      { cwd: PROJECT_ROOT, timeout: 240_000, maxBuffer: 1 << 20 },
    );
    const cases = Object.fromEntries(
      stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Summary)
        .map((summary) => [summary.input, summary]),
    );
    expect(Object.keys(cases)).toEqual(['centuries', 'machines', 'event-machines', 'sensors', 'everything']);
    for (const summary of Object.values(cases)) {
      // Each case is UTF-8 with no quotes, so the WebAssembly encoder read it; its memory (outside the heap
      // the flag caps) stays under 64 MB, beside the 128 MB heap.
      expect([summary.input, summary.readByWasm]).toEqual([summary.input, true]);
      expect(summary.wasmMemoryBytes).toBeLessThan(64 * 1024 * 1024);
      expect([summary.input, summary.reportBytes < 1_000_000]).toEqual([summary.input, true]);
      expect(summary.machines).toBeLessThanOrEqual(MAX_GROUPS + 1);
      expect(summary.parts).toBeLessThanOrEqual(MAX_GROUPS + 1);
      expect(summary.shifts).toBeLessThanOrEqual(MAX_GROUPS + 1);
      expect(summary.periods).toBeLessThanOrEqual(MAX_PERIODS + 1);
      expect(summary.heatmapRows).toBeLessThanOrEqual(MAX_GROUPS + 1);
      expect(summary.reliability).toBeLessThanOrEqual(MAX_GROUPS + 1);
      expect(summary.cycleGroups).toBeLessThanOrEqual(MAX_GROUPS);
    }
    // Centuries of days roll up to years; beyond MAX_PERIODS years the earliest are summed.
    const centuries = cases.centuries as Summary;
    expect(centuries).toMatchObject({ periodUnit: 'year', periods: MAX_PERIODS + 1 });
    expect(centuries.earlier).toBe(Math.ceil(centuries.rows / 365.2425) - MAX_PERIODS);
    expect(centuries.codes).toContain('PERIOD_ROLLED_UP');
    // Every row its own machine and part: the top ones listed, the rest summed.
    expect(cases.machines).toMatchObject({ machines: MAX_GROUPS + 1, parts: MAX_GROUPS + 1 });
    expect((cases.machines as Summary).rows).toBeGreaterThan(150_000);
    expect(cases['event-machines']).toMatchObject({
      reliability: MAX_GROUPS + 1,
      heatmapRows: MAX_GROUPS + 1,
    });
    // 299 sensors: MAX_CHARTS charted, the rest listed; points bounded over all charts.
    expect(cases.sensors).toMatchObject({ charts: MAX_CHARTS });
    expect((cases.sensors as Summary).points).toBeLessThanOrEqual(6000);
    expect((cases.sensors as Summary).codes).toContain('CHARACTERISTICS_LIMITED');
    expect(cases.everything).toMatchObject({ machines: MAX_GROUPS + 1, cycleGroups: MAX_GROUPS });
  }, 300_000);
});
