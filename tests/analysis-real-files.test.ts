import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AnalysisReport, analyzeCsv } from '../lib/engine';
import { PROJECT_ROOT } from '../tools/paths';

// Public files written by real plants and labs (tests/fixtures/realdata/SOURCES.md; copied unchanged from
// the shared corpus, so a clean clone has them), never edited: variants are derived here. Every expected
// figure comes from a plain computation over the raw rows written out in this file, or from the source's
// published values; none from the engine's own output.
const realFile = (name: string) => readFileSync(join(PROJECT_ROOT, 'tests/fixtures/realdata', name));
const bytes = (text: string) => new TextEncoder().encode(text);
const codes = (report: AnalysisReport) => report.dataQuality.issues.map((issue) => issue.code);
const issue = (report: AnalysisReport, code: string) =>
  report.dataQuality.issues.find((entry) => entry.code === code);

describe('company A: a sampled machine log (3 assets, a state every ~5 min)', () => {
  const text = realFile('company_A_labelled_subset.csv').toString('utf8');
  const [head = '', ...lines] = text.trim().split(/\r?\n/);
  const names = head.split(',');
  const rows = lines.map((line) => {
    const cells = line.split(',');
    const cell = (name: string) => cells[names.indexOf(name)] as string;
    return {
      t: Date.parse(cell('ts').replace(' ', 'T')),
      asset: cell('asset'),
      items: Number(cell('items')),
      status: Number(cell('status')),
    };
  });

  // Sample-and-hold, written plainly: each sample's status holds until the asset's next sample, at most
  // the asset's median sampling interval (longer gaps are unlogged); runs of one status are one event.
  function holdByAsset() {
    const time = new Map<number, number>(); // status -> minutes
    const runs: { asset: string; status: number; minutes: number }[] = [];
    let unlogged = 0;
    let last = Number.NEGATIVE_INFINITY;
    for (const asset of [...new Set(rows.map((row) => row.asset))]) {
      const samples = rows.filter((row) => row.asset === asset).sort((a, b) => a.t - b.t);
      const gaps = samples
        .slice(1)
        .map((row, i) => row.t - (samples[i] as { t: number }).t)
        .filter((gap) => gap > 0)
        .sort((a, b) => a - b);
      const hold = gaps[Math.floor((gaps.length - 1) / 2)] as number;
      samples.forEach((sample, i) => {
        const next = samples[i + 1]?.t ?? Number.POSITIVE_INFINITY;
        const end = Math.min(next, sample.t + hold);
        if (next !== Number.POSITIVE_INFINITY && next - sample.t > hold)
          unlogged += (next - sample.t - hold) / 60_000;
        last = Math.max(last, end);
        const minutes = (end - sample.t) / 60_000;
        time.set(sample.status, (time.get(sample.status) ?? 0) + minutes);
        const previous = runs.at(-1);
        const contiguous = i > 0 && (samples[i - 1] as { t: number }).t + hold >= sample.t;
        if (previous && previous.asset === asset && previous.status === sample.status && contiguous)
          previous.minutes += minutes;
        else runs.push({ asset, status: sample.status, minutes });
      });
    }
    return { time, runs, unlogged, last };
  }
  const expected = holdByAsset();
  const logged = [...expected.time.values()].reduce((a, b) => a + b, 0);

  it('is read as-is as a sampled state log: no control charts, states it does not know named with their share', async () => {
    const report = await analyzeCsv(realFile('company_A_labelled_subset.csv'));
    expect(report.input).toMatchObject({ shape: 'events', eventLayout: 'sampled', rows: rows.length });
    const mapped = Object.fromEntries(report.mapping.map((m) => [m.source, m.canonical]));
    expect(mapped).toMatchObject({
      ts: 'ts_start',
      asset: 'machine',
      items: 'total_count',
      status: 'state',
      product: 'part',
      status_time: null,
      power_avg: null,
    });
    expect(report.spc).toEqual([]);
    expect(JSON.stringify(report).length).toBeLessThan(200_000);
    // 1.0, 2.0 and 3.0 are no words: nothing is guessed to be a stop, availability is unknown.
    const unknown = issue(report, 'STATE_UNKNOWN')?.detail ?? '';
    for (const [status, minutes] of expected.time)
      expect(unknown).toContain(`"${status.toFixed(1)}" ${((minutes / logged) * 100).toFixed(1)} %`);
    expect(report.kpis?.overall.availability.status).toBe('not_computable');
    expect(report.kpis?.overall.availability.reason).toContain('STATE_UNKNOWN');
    expect(report.losses.sixBigLosses.find((loss) => loss.loss === 'unplanned_stops')?.minutes).toBeNull();
    // Per-interval counts sum into the totals; what the file cannot give stays null, never 0.
    const items = rows.reduce((sum, row) => sum + row.items, 0);
    expect(report.kpis?.overall.totals).toMatchObject({
      totalCount: items,
      goodCount: null,
      plannedMin: null,
    });
    expect(report.kpis?.unknownTotals.map((entry) => entry.field)).toContain('goodCount');
    // The period: first sample to the end of the last sample's hold.
    expect(Date.parse(report.period.start ?? '')).toBe(Math.min(...rows.map((row) => row.t)));
    expect(Date.parse(report.period.end ?? '')).toBe(expected.last);
    expect(codes(report)).toEqual(expect.arrayContaining(['SAMPLE_GAPS', 'CYCLE_TIME_NOT_POSITIVE']));
    expect(issue(report, 'SAMPLE_GAPS')?.detail).toContain(
      `${expected.unlogged.toFixed(1)} min are unlogged`,
    );
  });

  it('with the states named (1, 2 production; 3 alarm): availability, stops and failures as a plain loop gives them', async () => {
    const states = { '1': 'running', '2': 'running', '3': 'unplanned_stop' } as const;
    const report = await analyzeCsv(realFile('company_A_labelled_subset.csv'), { states });
    const running = (expected.time.get(1) ?? 0) + (expected.time.get(2) ?? 0);
    const alarm = expected.time.get(3) ?? 0;
    const availability = report.kpis?.overall.availability;
    expect(availability?.status).toBe('ok');
    expect(availability?.numerator).toBeCloseTo(running, 6);
    expect(availability?.denominator).toBeCloseTo(running + alarm, 6);
    expect(report.options.states).toEqual(states);
    expect(codes(report)).not.toContain('STATE_UNKNOWN');
    // Consecutive alarm samples are one stop: failures are alarm runs of 5 min or more.
    const alarms = expected.runs.filter((run) => run.status === 3);
    const failures = alarms.filter((run) => run.minutes >= 5);
    expect(report.reliability.reduce((sum, entry) => sum + entry.failures, 0)).toBe(failures.length);
    expect(report.downtimePareto?.items).toHaveLength(1);
    expect(report.downtimePareto?.items[0]).toMatchObject({ reason: '3.0', events: alarms.length });
    expect(report.downtimePareto?.totalMinutes).toBeCloseTo(alarm, 6);
    const losses = Object.fromEntries(report.losses.sixBigLosses.map((loss) => [loss.loss, loss.minutes]));
    expect(losses.small_stops).toBeCloseTo(
      alarms.filter((run) => run.minutes < 5).reduce((sum, run) => sum + run.minutes, 0),
      6,
    );
  });

  it('charts a process value by time, whatever the order of the rows (derived: one asset, shuffled)', async () => {
    const power = lines
      .map((line) => line.split(','))
      .filter((cells) => cells[1] === '1')
      .map((cells) => ({ ts: cells[0] as string, power: Number(cells[5]) }));
    // A deterministic shuffle of the rows.
    const shuffled = [...power].sort(
      (a, b) => ((a.ts.charCodeAt(15) * 31 + a.power) % 7) - ((b.ts.charCodeAt(15) * 31 + b.power) % 7),
    );
    expect(shuffled.map((row) => row.ts)).not.toEqual(power.map((row) => row.ts));
    const csv = (list: typeof power) =>
      bytes(`ts,power\n${list.map((row) => `${row.ts},${row.power}`).join('\n')}\n`);
    const report = await analyzeCsv(csv(shuffled));
    const byTime = [...power].sort(
      (a, b) => Date.parse(a.ts.replace(' ', 'T')) - Date.parse(b.ts.replace(' ', 'T')),
    );
    let moving = 0;
    for (let i = 1; i < byTime.length; i++)
      moving += Math.abs((byTime[i]?.power as number) - (byTime[i - 1]?.power as number));
    const chart = report.spc[0];
    expect(report.spc).toHaveLength(1);
    expect(chart?.chart).toBe('I-MR');
    expect(chart?.sigmaWithin).toBeCloseTo(moving / (byTime.length - 1) / 1.128, 9);
    expect(chart?.n).toBe(power.length);
  });
});

describe('piston rings: 40 subgroups of 5 (Montgomery; qcc `pistonrings`)', () => {
  const text = realFile('pistonrings.csv').toString('utf8');
  const groups = new Map<string, number[]>();
  for (const line of text.trim().split(/\r?\n/).slice(1)) {
    const [, diameter, sample] = line.split(',');
    groups.set(sample as string, [...(groups.get(sample as string) ?? []), Number(diameter)]);
  }
  const subgroups = [...groups.values()];
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const range = (values: number[]) => Math.max(...values) - Math.min(...values);

  it('gives an X-bar-R chart as-is from its subgroup column', async () => {
    const report = await analyzeCsv(realFile('pistonrings.csv'));
    const chart = report.spc[0];
    expect(report.spc).toHaveLength(1);
    expect(chart).toMatchObject({ characteristic: 'diameter', chart: 'Xbar-R', n: 40, status: 'ok' });
    if (chart?.chart !== 'Xbar-R') throw new Error('expected X-bar-R');
    expect(chart.subgroupSize).toBe(5);
    expect(chart.center).toBeCloseTo(mean(subgroups.map(mean)), 12);
    expect(chart.rBar).toBeCloseTo(mean(subgroups.map(range)), 12);
    expect(chart.capability).toBeNull(); // no limits in the file, none given
  });

  it('with the phase-I baseline (25 subgroups) and the published spec 74.000 +- 0.05: the textbook limits and capability', async () => {
    const options = {
      baseline: { subgroups: 25 },
      specs: { diameter: { lsl: 73.95, usl: 74.05, target: 74 } },
    };
    const report = await analyzeCsv(realFile('pistonrings.csv'), options);
    const chart = report.spc[0];
    if (chart?.chart !== 'Xbar-R') throw new Error('expected X-bar-R');
    const phase = subgroups.slice(0, 25);
    const center = mean(phase.map(mean));
    const rBar = mean(phase.map(range));
    // Montgomery, Example 6.1: x-double-bar 74.001, R-bar 0.023.
    expect([center.toFixed(3), rBar.toFixed(3)]).toEqual(['74.001', '0.023']);
    expect(chart.center).toBeCloseTo(center, 12);
    expect(chart.rBar).toBeCloseTo(rBar, 12);
    expect(chart.ucl).toBeCloseTo(center + 0.577 * rBar, 12);
    expect(chart.lcl).toBeCloseTo(center - 0.577 * rBar, 12);
    expect(chart.baseline).toEqual({ from: 0, to: 24 });
    // Phase II: the subgroup means beyond the phase-I limits are flagged (rule 1).
    const beyond = subgroups
      .map((values, index) => ({ index, x: mean(values) }))
      .filter(({ x }) => Math.abs(x - center) > 0.577 * rBar)
      .map(({ index }) => index);
    expect(beyond.length).toBeGreaterThan(0);
    expect(chart.violations.filter((v) => v.rule === 'WE1').map((v) => v.index)).toEqual(beyond);
    // Cp = (USL - LSL) / (6 R-bar / d2), Montgomery: 1.68 with the rounded R-bar.
    const sigma = rBar / 2.326;
    expect(chart.capability).toMatchObject({ lsl: 73.95, usl: 74.05, target: 74, source: 'options' });
    expect(chart.capability?.cp).toBeCloseTo(0.1 / (6 * sigma), 12);
    expect(chart.capability?.cpk).toBeCloseTo(Math.min(74.05 - center, center - 73.95) / (3 * sigma), 12);
    expect(chart.capability?.cp).toBeCloseTo(1.68, 1);
    expect(report.options).toEqual(options);
  });
});
