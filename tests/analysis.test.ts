import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  AnalysisInputError,
  type AnalysisReport,
  analyzeCsv,
  insightsNarrator,
  MAX_INPUT_BYTES,
  withNarrative,
} from '../lib/engine';
import {
  berlinDay,
  isBerlinDst,
  isMissing,
  parseTime,
  plainTimestampMs,
  plainTimestampOffset,
  utcMs,
} from '../lib/engine/input/values';
import { MAX_GROUPS, periodCount, periodKey } from '../lib/engine/metrics/kpis';
import { individualsChart } from '../lib/engine/metrics/spc';
import { machineTimeOrder } from '../lib/engine/shapes/events';
import { PROJECT_ROOT } from '../tools/paths';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(join(PROJECT_ROOT, 'tests/fixtures/analysis', name)));
const text = (csv: string) => new TextEncoder().encode(csv);
const overall = (report: AnalysisReport) => {
  if (!report.kpis) throw new Error('no KPIs');
  return report.kpis.overall;
};
const rejects = async (bytes: Uint8Array, code: string) => {
  await expect(analyzeCsv(bytes)).rejects.toSatisfy(
    (error) => error instanceof AnalysisInputError && error.code === code,
  );
};

describe('worked examples, hand-checked', () => {
  it("reproduces Vorne's worked example: OEE 74.79 %", async () => {
    const kpis = overall(await analyzeCsv(fixture('vorne.csv')));
    expect(kpis.availability).toMatchObject({ numerator: 373, denominator: 420, status: 'ok' });
    expect(kpis.availability.value).toBeCloseTo(0.8881, 4);
    expect(kpis.performance.value).toBeCloseTo(0.8611, 4);
    expect(kpis.quality).toMatchObject({ numerator: 18_848, denominator: 19_271 });
    expect(kpis.quality.value).toBeCloseTo(0.978, 4);
    expect(kpis.oee.value).toBeCloseTo(0.7479, 4);
    expect(kpis.oee.status).toBe('ok');
  });

  it('gives first-pass yield and the rework rate when rework is counted', async () => {
    const report = await analyzeCsv(
      text('Machine;Total;Good;Rework\nA;1000;950;50\nB;500;480;-3\nC;400;380;10\nD;100;90;95\n'),
    );
    // B's negative rework and D's rework above its good count are left out (and reported).
    expect(report.kpis?.firstPassYield).toMatchObject({
      numerator: 900 + 370,
      denominator: 1400,
      status: 'ok',
    });
    expect(report.kpis?.reworkRate).toMatchObject({ numerator: 60, denominator: 1400 });
    const codes = report.dataQuality.issues.map((issue) => issue.code);
    expect(codes).toEqual(expect.arrayContaining(['NEGATIVE_VALUE', 'REWORK_GT_GOOD']));
    const vorne = await analyzeCsv(fixture('vorne.csv'));
    expect(vorne.kpis?.firstPassYield.status).toBe('not_computable');
  });

  it(`lists at most ${MAX_GROUPS} parts and sums the rest as "(other)", so a job shop export stays a bounded report`, async () => {
    // 300 parts, part i planned for 100 + i minutes: the smallest (P000 up) are summed.
    const rest = 300 - MAX_GROUPS;
    const rows = Array.from(
      { length: 300 },
      (_, i) => `M1;P${String(i).padStart(3, '0')};${100 + i};10;50;1`,
    );
    const report = await analyzeCsv(
      text(`Machine;Part;Planned [min];Downtime [min];Total;Scrap\n${rows.join('\n')}\n`),
    );
    const parts = report.kpis?.byPart ?? [];
    expect(parts).toHaveLength(MAX_GROUPS + 1);
    expect(parts[0]?.key).toBe(`P${String(rest).padStart(3, '0')}`);
    const other = parts[MAX_GROUPS];
    expect(other).toMatchObject({ key: '(other)', groups: rest });
    expect(other?.totals.plannedMin).toBe(
      Array.from({ length: rest }, (_, i) => 100 + i).reduce((a, b) => a + b, 0),
    );
    expect(other?.quality).toMatchObject({ numerator: rest * 49, denominator: rest * 50 });
    const sum = parts.reduce((total, part) => total + (part.totals.plannedMin ?? 0), 0);
    expect(sum).toBe(report.kpis?.overall.totals.plannedMin);
    expect(report.dataQuality.issues.map((issue) => issue.code)).toContain('GROUPS_LIMITED');
    // TEEP still counts every machine's calendar, listed or summed.
    const machines = await analyzeCsv(
      text(
        `Date;Machine;Planned [min];Downtime [min];Total;Scrap;Ideal Cycle Time [s]\n${Array.from(
          { length: 300 },
          (_, i) => `03.11.2026;M${String(i).padStart(3, '0')};480;48;1000;10;20`,
        ).join('\n')}\n`,
      ),
    );
    expect(machines.kpis?.byMachine).toHaveLength(MAX_GROUPS + 1);
    expect(machines.kpis?.teep.denominator).toBe(300 * 1440);
  });

  it('splits the losses into the Six Big Losses and relates OEE to calendar time (TEEP)', async () => {
    const vorne = await analyzeCsv(fixture('vorne.csv'));
    const losses = (report: AnalysisReport) =>
      Object.fromEntries(report.losses.sixBigLosses.map((loss) => [loss.loss, loss.minutes]));
    // Run 373 min less 19,271 pieces at 1 s; 423 rejects at 1 s. The file names no stop reasons.
    expect(losses(vorne).slow_cycles).toBeCloseTo(373 - 19_271 / 60, 9);
    expect(losses(vorne).production_rejects).toBeCloseTo(423 / 60, 9);
    expect(losses(vorne).unplanned_stops).toBeNull();
    expect(vorne.kpis?.teep.status).toBe('not_computable'); // no dates: no calendar
    // Two machines over two calendar days (03.11. and 04.11.): 2 x 2,880 min of all time.
    const german = await analyzeCsv(fixture('german-bde.csv'));
    expect(losses(german)).toMatchObject({ unplanned_stops: 142.5, planned_stops: 30, small_stops: null });
    expect(german.kpis?.teep.denominator).toBe(5760);
    expect(german.kpis?.teep.value).toBeCloseTo(
      ((german.kpis?.overall.oee.value as number) * 1350) / 5760,
      12,
    );
    // An event log tells small stops (under 5 min) apart from breakdowns.
    const events = await analyzeCsv(fixture('event-log.csv'));
    expect(losses(events)).toMatchObject({ unplanned_stops: 60, planned_stops: 30, small_stops: 3 });
    // A class column decides per row: the same reason can be planned once and unplanned once.
    const classed = await analyzeCsv(
      text(
        'Machine;Planned [min];Downtime [min];Reason;Category;Good;Scrap\nA;480;30;Tool change;planned;900;10\nA;480;40;Tool change;unplanned;900;10\nB;480;20;Jam;Störung;800;5\n',
      ),
    );
    expect(losses(classed)).toMatchObject({ unplanned_stops: 60, planned_stops: 30 });
    // Stops are unknown without downtime (never 0), and 0 when the downtime read is 0.
    const countsOnly = await analyzeCsv(text('Machine;Good;Scrap\nA;100;2\nB;90;1\n'));
    expect(losses(countsOnly)).toMatchObject({ unplanned_stops: null, planned_stops: null });
    const noStops = await analyzeCsv(text('Machine;Planned [min];Downtime [min];Good\nA;480;0;100\n'));
    expect(losses(noStops)).toMatchObject({ unplanned_stops: 0, planned_stops: 0 });
  });

  it('reads a German export: Windows-1252, ";", decimal comma, preamble, summary row, personnel numbers', async () => {
    const bytes = fixture('german-bde.csv');
    const report = await analyzeCsv(bytes, { fileName: 'BDE Export KW45.csv' });
    expect(report.input).toMatchObject({
      encoding: 'windows-1252',
      delimiter: ';',
      decimal: ',',
      headerRowIndex: 2,
      rows: 3,
      shape: 'aggregated',
    });
    const kpis = overall(report);
    // Planned 3 x 450 = 1350 min; downtime 30 + 52.5 + 90; run 1177.5.
    expect(kpis.availability).toMatchObject({ numerator: 1177.5, denominator: 1350 });
    // Ideal time: (1200 + 1050) x 20 s + 900 x 25 s = 1125 min.
    expect(kpis.performance.value).toBeCloseTo(1125 / 1177.5, 12);
    expect(kpis.quality).toMatchObject({ numerator: 2970, denominator: 3150 });
    expect(kpis.oee.value).toBeCloseTo((1125 / 1350) * (2970 / 3150), 12);
    expect(kpis.oee.status).toBe('warning'); // two ideal cycle times: the time ratio differs, and says so
    expect(report.downtimePareto?.items.map((item) => [item.reason, item.minutes])).toEqual([
      ['Materialmangel', 90],
      ['Störung Hydraulik', 52.5],
      ['Rüsten', 30],
    ]);
    expect(report.downtimePareto?.vitalFew).toEqual(['Materialmangel', 'Störung Hydraulik']);
    expect(report.downtimeByMachine).toEqual({
      machines: ['Presse 1', 'Presse 2'],
      reasons: ['Materialmangel', 'Störung Hydraulik', 'Rüsten'],
      minutes: [
        [0, 52.5, 30],
        [90, 0, 0],
      ],
      other: [0, 0],
    });
    expect(report.dataQuality).toMatchObject({ duplicatesRemoved: 1, summaryRowsRemoved: 1 });
    expect(report.dataQuality.issues.map((issue) => issue.code)).toContain('PERSONAL_DATA_DROPPED');
    expect(JSON.stringify(report)).not.toContain('4711'); // personnel numbers are never echoed
    expect(report.kpis?.byMachine.map((group) => group.key)).toEqual(['Presse 1', 'Presse 2']);
    expect(report.kpis?.byPeriod.map((group) => group.key)).toEqual(['2026-11-03', '2026-11-04']);
    expect(report.derived).toContainEqual({ field: 'run_min', rule: 'planned - downtime', rows: 3 });
  });

  it('reads an English MES export', async () => {
    const report = await analyzeCsv(fixture('english-mes.csv'));
    const kpis = overall(report);
    expect(kpis.availability.value).toBe(1680 / 1920);
    expect(kpis.performance.value).toBeCloseTo(1400 / 1680, 12);
    expect(kpis.quality.value).toBeCloseTo(4104 / 4200, 12);
    expect(kpis.oee.value).toBeCloseTo(0.7125, 12);
    expect(kpis.throughputPerHour.value).toBeCloseTo(4104 / 28, 9);
    expect(report.downtimePareto?.items[0]).toMatchObject({ reason: 'Tool change', minutes: 200, events: 2 });
  });

  it('reads an event log: availability, MTBF and MTTR, micro-stops and planned stops apart', async () => {
    const report = await analyzeCsv(fixture('event-log.csv'));
    expect(report.input.shape).toBe('events');
    expect(overall(report).availability).toMatchObject({ numerator: 867, denominator: 960 });
    expect(overall(report).performance.status).toBe('not_computable');
    expect(report.reliability).toEqual([
      { machine: 'M1', failures: 2, operatingMin: 417, downtimeMin: 63, mtbfMin: 208.5, mttrMin: 30 },
      { machine: 'M2', failures: 0, operatingMin: 450, downtimeMin: 30, mtbfMin: null, mttrMin: null },
    ]);
    expect(report.period).toEqual({ start: '2026-11-02T06:00:00+01:00', end: '2026-11-02T14:00:00+01:00' });
  });

  it('charts measurements with I-MR limits, finds Western Electric violations, and computes capability', async () => {
    const report = await analyzeCsv(fixture('measurements.csv'));
    const [chart] = report.spc;
    expect(report.input.shape).toBe('measurements');
    expect(chart).toMatchObject({ characteristic: 'Bohrung Ø', chart: 'I-MR', status: 'ok', n: 29 });
    if (chart?.chart !== 'I-MR') throw new Error('expected an I-MR chart');
    const sigma = (chart.mrBar as number) / 1.128;
    expect(chart?.ucl).toBeCloseTo((chart?.center as number) + 3 * sigma, 12);
    expect(chart?.violations).toEqual([
      { rule: 'WE1', index: 18, t: '2026-11-03T06:18:00+01:00' },
      { rule: 'WE4', index: 28, t: '2026-11-03T06:28:00+01:00' },
    ]);
    expect(chart?.capability?.cp).toBeCloseTo(0.2 / (6 * sigma), 12);
    expect(chart?.capability?.capable).toBe(false);
    expect(report.insights.map((insight) => insight.id)).toEqual(['NOT_CAPABLE', 'SPC_OUT_OF_CONTROL']);
  });

  it('charts subgroups as X-bar-R with the Shewhart constants, leaving out subgroups of another size', async () => {
    const rows = ['Zeitstempel;Merkmal;Stichprobe;Messwert'];
    for (let g = 0; g < 21; g++) {
      const mean = 11 + 0.1 * (((g * 7) % 5) - 2);
      // Each subgroup is mean - 1, mean, mean + 1 (range 2); the last one has only two values.
      const values = g === 20 ? [mean - 1, mean + 1] : [mean - 1, mean, mean + 1];
      for (const [k, x] of values.entries())
        rows.push(
          `03.11.2026 06:${String(g * 2).padStart(2, '0')}:0${k};Länge;S${g + 1};${x.toFixed(2).replace('.', ',')}`,
        );
    }
    const report = await analyzeCsv(text(`${rows.join('\n')}\n`));
    const [chart] = report.spc;
    if (chart?.chart !== 'Xbar-R') throw new Error('expected an X-bar-R chart');
    const means = Array.from({ length: 20 }, (_, g) => 11 + 0.1 * (((g * 7) % 5) - 2));
    const center = means.reduce((sum, m) => sum + m, 0) / 20;
    expect(chart).toMatchObject({ status: 'ok', n: 20, subgroupSize: 3, rLcl: 0 });
    expect(chart.rBar).toBeCloseTo(2, 9);
    expect(chart.center).toBeCloseTo(center, 9);
    expect(chart.ucl).toBeCloseTo(center + 1.023 * 2, 9); // A2(3) = 1.023
    expect(chart.rUcl).toBeCloseTo(2.574 * 2, 9); // D4(3) = 2.574
    expect(chart.sigmaWithin).toBeCloseTo(2 / 1.693, 9); // d2(3) = 1.693
    expect(chart.points[0]).toMatchObject({ subgroup: 'S1', t: '2026-11-03T06:00:00+01:00' });
    expect(report.dataQuality.issues.find((issue) => issue.code === 'SUBGROUPS_DROPPED')).toBeDefined();
    expect(report.charts.map((c) => c.id)).toContain('xbar-r-0');
  });

  it('charts a wide measurement file, one column per characteristic, skipping constant and mostly empty ones', async () => {
    const rows = ['Zeit;Durchmesser;Länge;Werkzeug;Temperatur'];
    for (let i = 0; i < 24; i++) {
      const d = (10 + ((i * 7) % 5) * 0.01).toFixed(2).replace('.', ',');
      const l = (50 + ((i * 3) % 4) * 0.1).toFixed(1).replace('.', ',');
      // Werkzeug is constant (a setting, not a characteristic); Temperatur is mostly empty.
      rows.push(`03.11.2026 06:${String(i).padStart(2, '0')};${d};${l};7;${i < 5 ? '21' : ''}`);
    }
    const report = await analyzeCsv(text(`${rows.join('\n')}\n`));
    expect(report.input.shape).toBe('measurements');
    expect(report.spc.map((chart) => [chart.characteristic, chart.chart, chart.n])).toEqual([
      ['Durchmesser', 'I-MR', 24],
      ['Länge', 'I-MR', 24],
    ]);
    expect(report.spc[0]?.center).toBeCloseTo(
      Array.from({ length: 24 }, (_, i) => 10 + ((i * 7) % 5) * 0.01).reduce((a, b) => a + b, 0) / 24,
      9,
    );
  });

  it("applies Nelson's further rules: trend, alternation, stratification, mixture", () => {
    const rules = (xs: number[]) => {
      const chart = individualsChart(
        { characteristic: 'x', machine: null },
        xs.map((x) => ({ t: null, x })),
        { lsl: null, usl: null, target: null, source: 'file' },
      );
      const first = new Map<string, number>();
      for (const v of chart.violations) if (!first.has(v.rule)) first.set(v.rule, v.index);
      return first;
    };
    // Irregular noise around 10 that breaks no rule on its own.
    const noise = [0, 0.9, -0.4, 0.3, 1.6, -0.7, -1.5, 0.2, 1.1, -1.2];
    const calm = Array.from({ length: 30 }, (_, i) => 10 + (noise[i % 10] as number));
    expect([...rules(calm).keys()]).toEqual([]);
    // Points rising one after another (from the dip at 19): flagged once six have risen.
    const trend = [...calm.slice(0, 20), 9, 9.3, 9.6, 9.9, 10.2, 10.5, ...calm.slice(0, 4)];
    expect(rules(trend).get('N3')).toBe(24);
    // Fourteen points alternating up and down (the run starts at index 10, where the noise rises into it).
    const alternating = [
      ...calm.slice(0, 12),
      ...Array.from({ length: 14 }, (_, i) => 10 + (i % 2) * 0.8 - 0.4),
    ];
    expect(rules(alternating).get('N4')).toBe(23);
    // Fifteen points hugging the centre line after wide swings (stratified sampling).
    const stratified = [
      ...calm.map((x) => 10 + (x - 10) * 3).slice(0, 15),
      ...Array.from({ length: 15 }, (_, i) => 10 + (i % 3) * 0.05),
    ];
    expect(rules(stratified).get('N7')).toBe(29);
    // Two populations, never near the mean: eight points beyond 1 sigma on both sides (a mixture).
    const mixture = Array.from({ length: 24 }, (_, i) => (Math.floor(i / 4) % 2 ? 13 : 7) + (i % 4) * 0.1);
    expect(rules(mixture).has('N8')).toBe(true);
    expect(rules(calm.slice(0, 20)).has('N8')).toBe(false);
  });
});

describe('reading', () => {
  const english = readFileSync(join(PROJECT_ROOT, 'tests/fixtures/analysis/english-mes.csv'), 'utf8');
  const oeeOf = async (bytes: Uint8Array) => overall(await analyzeCsv(bytes)).oee.value;

  it('gives the same KPIs for UTF-8 with BOM, UTF-16 LE and BE, and an Excel sep= line', async () => {
    const expected = await oeeOf(text(english));
    const utf16le = new Uint8Array([
      0xff,
      0xfe,
      ...new Uint8Array(new Uint16Array([...english].map((c) => c.charCodeAt(0))).buffer),
    ]);
    const utf16be = new Uint8Array(utf16le.length);
    utf16be.set([0xfe, 0xff]);
    for (let i = 2; i < utf16le.length; i += 2)
      [utf16be[i], utf16be[i + 1]] = [utf16le[i + 1] as number, utf16le[i] as number];
    for (const [bytes, encoding] of [
      [new Uint8Array([0xef, 0xbb, 0xbf, ...text(english)]), 'utf-8-bom'],
      [utf16le, 'utf-16le'],
      [utf16be, 'utf-16be'],
    ] as const) {
      const report = await analyzeCsv(bytes);
      expect(report.input.encoding).toBe(encoding);
      expect(overall(report).oee.value).toBe(expected);
    }
    const semicolons = `sep=;\n${english.replaceAll(',', ';')}`;
    const report = await analyzeCsv(text(semicolons));
    expect(report.input).toMatchObject({ sepLine: true, delimiter: ';' });
    expect(overall(report).oee.value).toBe(expected);
  });

  it('reads Excel serial dates where the header names a date or time, in Berlin time across DST', async () => {
    // 46328 is 2026-11-02; 46110 is 2026-03-29, the day summer time starts (03:00 is the first valid hour).
    const report = await analyzeCsv(
      text(
        'Start;End;Machine;Reason\n46328,25;46328,2916666667;M1;Tool change\n46110,125;46110,1666666667;M2;Jam\n',
      ),
    );
    expect(report.input.shape).toBe('events');
    expect(report.period).toEqual({ start: '2026-03-29T03:00:00+02:00', end: '2026-11-02T07:00:00+01:00' });
    expect(report.downtimePareto?.items.map((item) => [item.reason, item.minutes])).toEqual([
      ['Jam', 60],
      ['Tool change', 60],
    ]);
    expect(report.dataQuality.issues.map((issue) => issue.code)).toContain('EXCEL_SERIAL_DATES');
    // The same numbers under a count header stay counts.
    const counts = await analyzeCsv(text('Machine;Good;Scrap\nM1;46328;10\nM2;46110;12\n'));
    expect(counts.kpis?.overall.totals.goodCount).toBe(46328 + 46110);
  });

  it('keeps explicit offsets in the output and shows naive times in Berlin time', async () => {
    const report = await analyzeCsv(
      text(
        'Start;End;Machine;Reason\n2026-11-02T06:00:00-05:00;2026-11-02T07:00:00-05:00;M1;Jam\n2026-11-02 09:00;2026-11-02 09:30;M1;Jam\n',
      ),
    );
    // 09:00 Berlin (08:00 UTC) comes before 06:00 at -05:00 (11:00 UTC); each end keeps its own offset.
    expect(report.period).toEqual({ start: '2026-11-02T09:00:00+01:00', end: '2026-11-02T07:00:00-05:00' });
    expect(report.downtimePareto?.items[0]).toMatchObject({ reason: 'Jam', minutes: 90, events: 2 });
  });

  it("follows the user's mapping over the detected one, and refuses a mapping that does not fit the file", async () => {
    const csv = text('Anlage;Soll;Ist;Ausschuss;Stoerzeit;Takt\nM1;480;900;10;30;25\nM2;480;1000;5;60;25\n');
    const detected = await analyzeCsv(csv);
    expect(detected.kpis?.overall.availability.status).toBe('not_computable'); // "Soll" is no known header
    const mapped = await analyzeCsv(csv, {
      mapping: { Soll: 'planned_min', ist: 'total_count', Takt: 'ideal_ct_s', Ausschuss: null },
    });
    const origin = Object.fromEntries(mapped.mapping.map((m) => [m.source, [m.canonical, m.origin]]));
    expect(origin).toMatchObject({
      Soll: ['planned_min', 'user'],
      Ist: ['total_count', 'user'], // matched case-insensitively
      Takt: ['ideal_ct_s', 'user'], // detected as the actual cycle time otherwise
      Ausschuss: [null, 'user'],
      Stoerzeit: ['downtime_min', 'detected'],
    });
    expect(overall(mapped).availability).toMatchObject({ numerator: 870, denominator: 960 });
    expect(overall(mapped).performance.value).toBeCloseTo((1900 * 25) / 60 / 870, 12);
    expect(overall(mapped).quality.status).toBe('not_computable'); // scrap left out on purpose
    await expect(analyzeCsv(csv, { mapping: { Nope: 'planned_min' } })).rejects.toMatchObject({
      code: 'MAPPING_UNKNOWN_COLUMN',
    });
    await expect(
      analyzeCsv(csv, { mapping: { Soll: 'planned_min', Ist: 'planned_min' } }),
    ).rejects.toMatchObject({
      code: 'MAPPING_CONFLICT',
    });
  });

  it('says when slash dates cannot settle day/month versus month/day', async () => {
    const csv = 'Date;Machine;Good;Scrap\n03/04/2026;M1;100;2\n04/05/2026;M1;120;3\n';
    const report = await analyzeCsv(text(csv));
    expect(report.dataQuality.issues.find((issue) => issue.code === 'DATE_AMBIGUOUS')).toMatchObject({
      severity: 'warning',
    });
    expect(report.kpis?.byPeriod.map((day) => day.key)).toEqual(['2026-04-03', '2026-05-04']);
    const settled = await analyzeCsv(text(`${csv}25/05/2026;M1;90;1\n`));
    expect(settled.dataQuality.issues.map((issue) => issue.code)).not.toContain('DATE_AMBIGUOUS');
  });

  it('unpivots a wide file with one column per downtime reason', async () => {
    const csv =
      'Date;Machine;Planned Time [min];Good;Scrap;Machine failure;Inventory shortage;Setup\n2026-11-02;A;480;900;10;30;0;15\n2026-11-03;A;480;950;5;0;45;15\n' +
      // The same machine and day again with other values: a conflicting duplicate, left out with its stops.
      '2026-11-03;A;480;940;5;0;60;15\n';
    const report = await analyzeCsv(text(csv));
    expect(report.downtimePareto?.items.map((item) => [item.reason, item.minutes])).toEqual([
      ['Inventory shortage', 45],
      ['Machine failure', 30],
      ['Setup', 30],
    ]);
    expect(overall(report).availability).toMatchObject({ numerator: 855, denominator: 960 });
    expect(report.derived.map((entry) => entry.field)).toContain('downtime_min');
    expect(report.dataQuality.issues.map((issue) => [issue.code, issue.rows])).toContainEqual([
      'DUP_KEY_CONFLICT',
      [4],
    ]);
  });

  it('flags performance above 100 % instead of capping it', async () => {
    const report = await analyzeCsv(
      text('Machine,Planned [min],Run Time [min],Total,Good,Ideal Cycle Time [s]\nA,100,50,6000,6000,1\n'),
    );
    expect(overall(report).performance).toMatchObject({ value: 2, status: 'warning' });
    expect(report.insights.map((insight) => insight.id)).toContain('IDEAL_CT_TOO_SLOW');
  });

  it('answers not_computable with a reason, never 0, when inputs are missing', async () => {
    const kpis = overall(await analyzeCsv(text('Machine;Gutteile;Ausschuss\nA;90;10\n')));
    expect(kpis.quality.value).toBe(0.9);
    expect(kpis.availability).toMatchObject({
      value: null,
      status: 'not_computable',
      reason: expect.stringContaining('planned'),
    });
    expect(kpis.oee).toMatchObject({ value: null, status: 'not_computable' });
  });

  it('keeps impossible rows out of the KPIs they would falsify, and reports them', async () => {
    const report = await analyzeCsv(
      text(
        'Machine,Planned [min],Downtime [min],Total,Good\nA,100,10,100,90\nB,100,10,100,120\nC,100,150,100,100\n',
      ),
    );
    const kpis = overall(report);
    expect(kpis.quality).toMatchObject({ numerator: 190, denominator: 200 }); // B's quality left out
    expect(kpis.availability).toMatchObject({ numerator: 180, denominator: 200 }); // C's time left out
    const codes = report.dataQuality.issues.map((issue) => [issue.code, issue.rows]);
    expect(codes).toEqual([
      ['DOWNTIME_GT_PLANNED', [4]],
      ['GOOD_GT_TOTAL', [3]],
    ]);
  });

  it('drops a negative amount from its row and reports it, never clamping it to 0', async () => {
    const report = await analyzeCsv(
      text('Machine,Planned [min],Downtime [min],Total,Good\nA,100,10,100,90\nB,100,-5,-3,90\n'),
    );
    const kpis = overall(report);
    expect(kpis.availability).toMatchObject({ numerator: 90, denominator: 100 }); // B has no run time
    expect(kpis.quality).toMatchObject({ numerator: 90, denominator: 100 }); // B has no total
    expect(report.dataQuality.issues).toContainEqual(
      expect.objectContaining({ code: 'NEGATIVE_VALUE', severity: 'error', count: 2, rows: [3, 3] }),
    );
  });

  it('neutralises formula injection in every string it echoes', async () => {
    const report = await analyzeCsv(text('Machine,Total,Good\n=HYPERLINK("http://evil"),10,9\n+cmd,5,5\n'));
    const keys = report.kpis?.byMachine.map((group) => group.key);
    expect(keys).toEqual(["'+cmd", `'=HYPERLINK("http://evil")`]);
  });

  it('is deterministic: the same bytes give byte-identical JSON', async () => {
    const bytes = fixture('german-bde.csv');
    expect(JSON.stringify(await analyzeCsv(bytes))).toBe(JSON.stringify(await analyzeCsv(bytes)));
  });
});

describe('input it refuses, with typed errors', () => {
  it('empty, spreadsheets, binaries, too large, not tabular, unrecognised, too wide', async () => {
    await rejects(new Uint8Array(), 'EMPTY_FILE');
    await rejects(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'BINARY_FILE'); // a ZIP, not a workbook
    await rejects(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]), 'SPREADSHEET_NOT_CSV');
    await rejects(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]), 'BINARY_FILE');
    await rejects(new Uint8Array(MAX_INPUT_BYTES + 1).fill(65), 'FILE_TOO_LARGE');
    await rejects(text('just one line of prose without any structure'), 'NOT_TABULAR');
    await rejects(text('Colour,Taste\nred,sweet\nblue,sour\n'), 'NO_USABLE_COLUMNS');
    await rejects(
      text(`${Array.from({ length: 301 }, (_, i) => `c${i}`).join(',')}\n${'1,'.repeat(300)}1\n`),
      'TOO_MANY_COLUMNS',
    );
    // A data row far wider than its header counts too.
    await rejects(text(`Machine;Good\nA;1\nB;2;${'x;'.repeat(300)}x\n`), 'TOO_MANY_COLUMNS');
  });

  it('takes 250,000 data rows and refuses more, with the limit in the message', async () => {
    const rows = (n: number) => text(`Machine;Good;Scrap\n${'A;10;1\n'.repeat(n)}`);
    const report = await analyzeCsv(rows(250_000));
    // All but the first are exact repeats: read, counted and removed, not refused.
    expect(report.dataQuality.duplicatesRemoved).toBe(249_999);
    await expect(analyzeCsv(rows(250_031))).rejects.toMatchObject({
      code: 'TOO_MANY_ROWS',
      message: expect.stringContaining('250000'),
    });
  });
});

describe('Berlin calendar arithmetic (checked against the ICU time-zone data)', () => {
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  /** A wall-clock time of day, for the timestamp readers' properties. */
  const clockFields = {
    h: fc.integer({ min: 0, max: 23 }),
    mi: fc.integer({ min: 0, max: 59 }),
    s: fc.integer({ min: 0, max: 59 }),
  };
  const berlin = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Berlin',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'shortOffset',
  });
  // The EU rule (last Sunday of March to last Sunday of October) holds since 1996.
  it('gives the Berlin day and summer time of any instant since 1996, DST switch hours included', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1996, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        const parts = Object.fromEntries(berlin.formatToParts(ms).map((part) => [part.type, part.value]));
        expect(berlinDay(ms)).toBe(`${parts.year}-${parts.month}-${parts.day}`);
        expect(isBerlinDst(ms)).toBe(parts.timeZoneName === 'GMT+2');
      }),
      { numRuns: 2000 },
    );
    // Either side of the switches in 2026 (29 March and 25 October, 01:00 UTC).
    for (const ms of [
      Date.UTC(2026, 2, 29, 0, 59),
      Date.UTC(2026, 2, 29, 1),
      Date.UTC(2026, 9, 25, 0, 59),
      Date.UTC(2026, 9, 25, 1),
    ])
      expect([berlinDay(ms), isBerlinDst(ms)]).toEqual([
        berlin
          .formatToParts(ms)
          .filter((p) => ['year', 'month', 'day'].includes(p.type))
          .map((p) => p.value)
          .join('-'),
        berlin.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value === 'GMT+2',
      ]);
  });

  it('computes UTC milliseconds as Date.UTC does, for every valid wall time of years 100..9999', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(Date.UTC(100, 0, 1)), max: new Date(Date.UTC(9999, 11, 31, 23, 59, 59)) }),
        (date) => {
          const [y, mo, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
          const [h, mi, s] = [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()];
          expect(utcMs(y, mo, d, h, mi, s)).toBe(Date.UTC(y, mo - 1, d, h, mi, s));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('reads plain ISO and German timestamps (its fast path) exactly as the general parser reads the same wall time written DD-MM-YYYY', () => {
    fc.assert(
      fc.property(
        fc.record({
          y: fc.integer({ min: 1996, max: 2099 }),
          mo: fc.integer({ min: 1, max: 12 }),
          d: fc.integer({ min: 1, max: 31 }),
          ...clockFields,
          separator: fc.constantFrom(' ', 'T'),
        }),
        ({ y, mo, d, h, mi, s, separator }) => {
          const iso = `${pad(y, 4)}-${pad(mo)}-${pad(d)}${separator}${pad(h)}:${pad(mi)}:${pad(s)}`;
          const german = `${pad(d)}.${pad(mo)}.${pad(y, 4)}${separator}${pad(h)}:${pad(mi)}:${pad(s)}`;
          // Day first with dashes: the shape only the regular expressions read.
          const general = german.replaceAll('.', '-');
          for (const length of [10, 16, 19]) {
            expect(parseTime(iso.slice(0, length))).toEqual(parseTime(general.slice(0, length)));
            expect(parseTime(german.slice(0, length))).toEqual(parseTime(general.slice(0, length)));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads ISO timestamps with a zone (Z, +HH, +HHMM, +HH:MM) in place as the general parser reads them', () => {
    fc.assert(
      fc.property(
        fc.record({
          y: fc.integer({ min: 0, max: 9999 }),
          mo: fc.integer({ min: 1, max: 12 }),
          d: fc.integer({ min: 1, max: 31 }),
          ...clockFields,
          seconds: fc.boolean(),
          sign: fc.constantFrom('+', '-'),
          zoneHours: fc.integer({ min: 0, max: 14 }),
          zoneMinutes: fc.constantFrom(0, 30, 45),
          form: fc.constantFrom('Z', 'z', 'HH', 'HHMM', 'HH:MM'),
          fraction: fc.option(fc.tuple(fc.constantFrom('.', ','), fc.stringMatching(/^\d{1,6}$/))),
        }),
        ({ y, mo, d, h, mi, s, seconds, sign, zoneHours, zoneMinutes, form, fraction }) => {
          const part = seconds && fraction ? `${fraction[0]}${fraction[1]}` : '';
          const wall = `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}${seconds ? `:${pad(s)}${part}` : ''}`;
          const zone =
            form === 'Z' || form === 'z'
              ? form
              : `${sign}${pad(zoneHours)}${form === 'HH' ? '' : form === 'HHMM' ? pad(zoneMinutes) : `:${pad(zoneMinutes)}`}`;
          // A space before the zone: the shape only the regular expressions read.
          const general = parseTime(`${wall} ${zone}`);
          expect(parseTime(`${wall}${zone}`)).toEqual(general);
          const ms = plainTimestampMs(`;${wall}${zone};`, 1, 1 + wall.length + zone.length);
          if (general === null) expect(ms).toBeNaN();
          else {
            expect(general.kind === 'instant' && general.ms).toBe(ms);
            expect(Object.is(plainTimestampOffset(), general.kind === 'instant' ? general.offset : 0)).toBe(
              true,
            );
          }
        },
      ),
      { numRuns: 3000 },
    );
    // -00:00 stays -0, as the general parser reads it; a naive span leaves no offset behind.
    plainTimestampMs('2026-11-03T06:00:00-00:00', 0, 25);
    expect(Object.is(plainTimestampOffset(), -0)).toBe(true);
    plainTimestampMs('2026-11-03T06:00:00', 0, 19);
    expect(plainTimestampOffset()).toBeNaN();
    for (const other of [
      '2026-11-03Z',
      '2026-11-03T06:00+1',
      '2026-11-03T06:00:00+01:0',
      '03.11.2026 06:00Z',
    ])
      expect(plainTimestampMs(other, 0, other.length)).toBeNaN();
  });

  it('reads fractions of a second in place, ISO and German, as the general parser does, rounding half up at the fourth digit', () => {
    fc.assert(
      fc.property(
        fc.record({
          y: fc.integer({ min: 1996, max: 2099 }),
          mo: fc.integer({ min: 1, max: 12 }),
          d: fc.integer({ min: 1, max: 28 }),
          ...clockFields,
          mark: fc.constantFrom('.', ','),
          digits: fc.stringMatching(/^\d{1,7}$/),
        }),
        ({ y, mo, d, h, mi, s, mark, digits }) => {
          const time = `${pad(h)}:${pad(mi)}:${pad(s)}${mark}${digits}`;
          const iso = `${pad(y, 4)}-${pad(mo)}-${pad(d)} ${time}`;
          const german = `${pad(d)}.${pad(mo)}.${pad(y, 4)} ${time}`;
          // Day first with dashes: the shape only the regular expressions read.
          const general = parseTime(`${pad(d)}-${pad(mo)}-${pad(y, 4)} ${time}`);
          const whole = parseTime(iso.slice(0, 19));
          const ms =
            Number(digits.slice(0, 3).padEnd(3, '0')) +
            (digits.length > 3 && (digits[3] ?? '0') >= '5' ? 1 : 0);
          expect(general).toEqual(whole && whole.kind === 'instant' ? { ...whole, ms: whole.ms + ms } : null);
          for (const written of [iso, german]) {
            expect(parseTime(written)).toEqual(general);
            const inPlace = plainTimestampMs(written, 0, written.length);
            const switchDay =
              (mo === 3 || mo === 10) && d >= 25 && new Date(Date.UTC(y, mo - 1, d)).getUTCDay() === 0;
            if (!switchDay && general?.kind === 'instant') expect(inPlace).toBe(general.ms);
          }
        },
      ),
      { numRuns: 3000 },
    );
    expect(parseTime('2026-11-03 06:00:00.9996')).toEqual(parseTime('2026-11-03 06:00:01'));
  });

  it('reads plain ISO and German spans in place as the general parser reads them, leaving it clock-change days', () => {
    // The days Berlin changes its clocks (last Sunday of March and October), and the days either side.
    const lastSunday = (y: number, month: number) => {
      const last = new Date(Date.UTC(y, month, 0));
      return last.getUTCDate() - last.getUTCDay();
    };
    const nearSwitch = fc
      .record({
        y: fc.integer({ min: 1996, max: 2099 }),
        month: fc.constantFrom(3, 10),
        by: fc.integer({ min: -1, max: 1 }),
      })
      .map(({ y, month, by }) => ({ y, mo: month, d: lastSunday(y, month) + by }));
    const anyDay = fc.record({
      y: fc.integer({ min: 1996, max: 2099 }),
      mo: fc.integer({ min: 1, max: 12 }),
      d: fc.integer({ min: 1, max: 31 }),
    });
    const clock = fc.record(clockFields);
    fc.assert(
      fc.property(
        fc.oneof(anyDay, nearSwitch),
        fc.array(clock, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(10, 16, 19),
        fc.string({ maxLength: 3 }),
        ({ y, mo, d }, clocks, length, around) => {
          for (const { h, mi, s } of clocks) {
            const iso = `${pad(y, 4)}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}`.slice(0, length);
            const german = `${pad(d)}.${pad(mo)}.${pad(y, 4)} ${pad(h)}:${pad(mi)}:${pad(s)}`.slice(
              0,
              length,
            );
            const general = parseTime(german.replaceAll('.', '-'));
            const switchDay = (mo === 3 || mo === 10) && d === lastSunday(y, mo);
            for (const written of [iso, german]) {
              const ms = plainTimestampMs(
                `${around}${written}${around}`,
                around.length,
                around.length + length,
              );
              if (general === null || switchDay) expect(ms).toBeNaN();
              else
                expect(general).toEqual({
                  kind: 'instant',
                  ms,
                  naive: true,
                  dst: undefined,
                  offset: undefined,
                });
            }
          }
        },
      ),
      { numRuns: 3000 },
    );
    for (const other of [
      '2026-11-03 6:00',
      ' 2026-11-03',
      '2026-13-03',
      '3.11.2026',
      '03.11.26',
      '03-11-2026',
      '03.11.2026 6:00',
      '31.02.2026',
    ])
      expect(plainTimestampMs(other, 0, other.length)).toBeNaN();
  });

  it('knows leap years and month lengths, and missing markers with or without spaces', () => {
    expect(parseTime('29.02.2024')).not.toBeNull();
    expect(parseTime('29.02.2026')).toBeNull();
    expect(parseTime('29.02.2000')).not.toBeNull();
    expect(parseTime('29.02.1900')).toBeNull();
    expect(parseTime('31.04.2026')).toBeNull();
    expect(parseTime('2026-12-31')).not.toBeNull();
    for (const cell of ['', '-', ' n/a ', '#DIV/0!', '   #NV   ', 'NaN']) expect(isMissing(cell)).toBe(true);
    for (const cell of ['0', 'na na', '#DIV/0!x', '2026-11-02 06:00']) expect(isMissing(cell)).toBe(false);
  });
});

describe('properties', () => {
  it('counts the periods of a set of days as their keys do (ISO weeks across year ends, months, years)', () => {
    const day = fc
      .integer({ min: Date.UTC(1, 0, 1) / 86_400_000, max: Date.UTC(9999, 11, 31) / 86_400_000 })
      .map((number) => new Date(number * 86_400_000).toISOString().slice(0, 10));
    // Runs of consecutive days too, so weeks straddle the turn of a year.
    const run = fc
      .tuple(fc.integer({ min: 0, max: 2_900_000 }), fc.integer({ min: 1, max: 40 }))
      .map(([first, length]) =>
        Array.from({ length }, (_, i) => new Date((first + i) * 86_400_000).toISOString().slice(0, 10)),
      );
    fc.assert(
      fc.property(
        fc.array(day),
        fc.array(run, { maxLength: 3 }),
        fc.array(fc.boolean()),
        (some, runs, skip) => {
          const days = [...new Set([...some, ...runs.flat()])];
          const used = Uint8Array.from(days, (_, id) => (skip[id] ? 0 : 1));
          for (const unit of ['day', 'week', 'month', 'year'] as const)
            expect(periodCount(days, used, unit)).toBe(
              new Set(days.filter((_, id) => used[id] === 1).map((d) => periodKey(d, unit))).size,
            );
        },
      ),
      { numRuns: 500 },
    );
    // A day beyond year 9999 is written with six digits: counted by its key.
    expect(periodCount(['+010000-01-01', '+010000-01-02'], Uint8Array.of(1, 1), 'month')).toBe(1);
  });

  const row = fc.record({
    machine: fc.constantFrom('A', 'B', 'C'),
    planned: fc.integer({ min: 60, max: 600 }),
    downFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    total: fc.integer({ min: 1, max: 5000 }),
    scrapFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    ct: fc.integer({ min: 1, max: 30 }),
  });
  const toCsv = (rows: (typeof row extends fc.Arbitrary<infer T> ? T : never)[]) =>
    `Machine;Planned [min];Downtime [min];Total;Scrap;Ideal Cycle Time [s]\n${rows
      .map((r) =>
        [
          r.machine,
          r.planned,
          Math.floor(r.planned * r.downFraction),
          r.total,
          Math.floor(r.total * r.scrapFraction),
          r.ct,
        ].join(';'),
      )
      .join('\n')}\n`;

  it('row order changes no KPI; A and Q lie in [0, 1]; OEE = A x P x Q', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), fc.integer(), async (rows, seed) => {
        const shuffled = [...rows].sort(
          (a, b) => ((a.total * 31 + seed) % 97) - ((b.total * 31 + seed) % 97),
        );
        const [one, two] = [
          overall(await analyzeCsv(text(toCsv(rows)))),
          overall(await analyzeCsv(text(toCsv(shuffled)))),
        ];
        for (const name of ['availability', 'performance', 'quality', 'oee', 'scrapRate'] as const) {
          const [a, b] = [one[name].value, two[name].value];
          if (a === null || b === null) expect(a).toBe(b);
          else expect(Math.abs(a - b)).toBeLessThan(1e-12);
        }
        for (const name of ['availability', 'quality'] as const) {
          const value = one[name].value;
          if (value !== null) {
            expect(value).toBeGreaterThanOrEqual(0);
            expect(value).toBeLessThanOrEqual(1);
          }
        }
        const { availability: a, performance: p, quality: q, oee } = one;
        if (oee.value !== null)
          expect(
            Math.abs(oee.value - (a.value as number) * (p.value as number) * (q.value as number)),
          ).toBeLessThan(1e-12);
      }),
      { numRuns: 60 },
    );
  });

  it('random bytes give a report or a typed error, never another exception', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        try {
          await analyzeCsv(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(AnalysisInputError);
        }
      }),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 500, unit: 'binary' }), async (csv) => {
        try {
          await analyzeCsv(text(csv));
        } catch (error) {
          expect(error).toBeInstanceOf(AnalysisInputError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('narrative', () => {
  it('only retells the computed report, and is off unless asked for', async () => {
    const report = await analyzeCsv(fixture('german-bde.csv'));
    expect(await withNarrative(report)).toBe(report);
    const told = await withNarrative(report, insightsNarrator);
    expect(told.narrative?.text).toContain('Overall OEE is 78.6 %');
    expect({ ...told, narrative: undefined }).toEqual({ ...report, narrative: undefined });
  });
});

describe('event order', () => {
  it('orders rows machine by machine, in time order, then file order, as the comparator sort does', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((machines) =>
          fc.tuple(
            fc.constant(machines),
            fc.array(
              fc.record({
                machine: fc.integer({ min: 0, max: machines - 1 }),
                // Few distinct starts, so ties are common; often already in order per machine.
                start: fc.integer({ min: 0, max: 20 }),
              }),
              { maxLength: 80 },
            ),
            fc.boolean(),
            // Ranks: a permutation of the machine ids, as their names sorted give them.
            fc.shuffledSubarray(
              Array.from({ length: machines }, (_, id) => id),
              { minLength: machines, maxLength: machines },
            ),
          ),
        ),
        ([, events, presorted, ranks]) => {
          const list = presorted ? [...events].sort((a, b) => a.start - b.start) : events;
          const machineOf = Int32Array.from(list, (event) => event.machine);
          const starts = Float64Array.from(list, (event) => event.start * 60_000);
          const rank = Int32Array.from(ranks);
          const rows = list.map((_, row) => row).filter((row) => row % 7 !== 3); // some rows left out
          const expected = [...rows].sort(
            (a, b) =>
              (rank[machineOf[a] as number] as number) - (rank[machineOf[b] as number] as number) ||
              (starts[a] as number) - (starts[b] as number) ||
              a - b,
          );
          expect([...machineTimeOrder(rows, machineOf, rank, starts)]).toEqual(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('a cold instance', () => {
  it('builds no collator: issue codes and derivations come sorted without localeCompare or Intl.Collator', async () => {
    // Its first construction is paid by every cold instance (lib/engine/compare.ts).
    const localeCompare = vi.spyOn(String.prototype, 'localeCompare');
    const collator = vi.spyOn(Intl, 'Collator');
    try {
      let sorted = 0;
      for (const name of ['german-bde.csv', 'english-mes.csv', 'event-log.csv', 'measurements.csv']) {
        const report = await analyzeCsv(fixture(name));
        const codes = report.dataQuality.issues.map((issue) => issue.code);
        const derived = report.derived.map((entry) => `${entry.field}\u0000${entry.rule}`);
        expect(codes).toEqual([...codes].sort());
        expect(derived).toEqual([...derived].sort());
        sorted += codes.length + derived.length;
      }
      expect(sorted).toBeGreaterThan(4);
      expect(localeCompare).not.toHaveBeenCalled();
      expect(collator).not.toHaveBeenCalled();
    } finally {
      localeCompare.mockRestore();
      collator.mockRestore();
    }
  });
});
