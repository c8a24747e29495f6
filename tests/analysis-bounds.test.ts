import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MAX_GROUPS, MAX_PERIODS } from '../lib/engine/metrics/kpis';
import { MAX_CHARTS } from '../lib/engine/shapes/measurements';
import { PROJECT_ROOT } from '../tools/paths';

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
};

describe('bounded by design: any 4 MB input, 128 MB of heap, at most 1 MB of report', () => {
  it('analyses each generated worst case within a 128 MB V8 old space, each report under 1 MB and its lists bounded', async () => {
    // One child with the Vercel Edge isolate's heap: running out of it fails the child, and this test.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--max-old-space-size=128', '--import', 'tsx', 'tools/test-support/worst-case-summary.ts'],
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
