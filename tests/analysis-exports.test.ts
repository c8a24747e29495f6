import { describe, expect, it } from 'vitest';
import { AnalysisInputError, type AnalysisReport, analyzeCsv } from '../lib/engine';
import { vocabularyCategory } from '../lib/engine/input/states';
import { parseTime } from '../lib/engine/input/values';

const bytes = (text: string) => new TextEncoder().encode(text);
const codes = (report: AnalysisReport) => report.dataQuality.issues.map((issue) => issue.code);
const issue = (report: AnalysisReport, code: string) =>
  report.dataQuality.issues.find((entry) => entry.code === code);
const fieldOf = (report: AnalysisReport, source: string) =>
  report.mapping.find((entry) => entry.source === source)?.canonical;
const losses = (report: AnalysisReport) =>
  Object.fromEntries(report.losses.sixBigLosses.map((loss) => [loss.loss, loss.minutes]));

describe('a German booking export as BDE terminals write it', () => {
  // The header ends with a delimiter, the data rows do not ("missing last empty field"); quoted fields
  // are padded; the file uses CR line ends. Its status column (Frei/Gesperrt) is a stock status.
  const rows = [
    [
      '03.11.2026',
      '4711-A',
      'FA-1001',
      '1.200',
      '1.150',
      '50',
      '420',
      '30',
      '30',
      'K12',
      'Kratzer',
      'Müller',
      'Frei',
      'C-1',
    ],
    [
      '03.11.2026',
      '4711-B',
      'FA-1002',
      '800',
      '780',
      '20',
      '400',
      '45',
      '35',
      'K07',
      'Lunker',
      'Schmidt',
      'Gesperrt',
      'C-2',
    ],
    [
      '04.11.2026',
      '4711-A',
      'FA-1003',
      '1.000',
      '940',
      '60',
      '430',
      '20',
      '30',
      'K12',
      'Kratzer',
      'Müller',
      'Frei',
      'C-3',
    ],
    [
      '04.11.2026',
      '4711-C',
      'FA-1004',
      '500',
      '490',
      '10',
      '380',
      '60',
      '40',
      'K03',
      'Grat',
      'Weber',
      'Frei',
      'C-4',
    ],
  ];
  const header =
    'Buchungsdatum;Teilenummer;FA-Nr.;Gesamt;Gutmenge;Ausschuss;Prod.Zeit;Rüst.Zeit;Stillst.Zeit;Fehlerart;Fehlerart-Bez.;Anwender;Status;Karton-Nr.;';
  const csv = [
    header,
    ...rows.map((cells) => cells.map((cell, i) => (i === 10 ? `  "${cell}" ` : cell)).join(';')),
  ].join('\r');
  const number = (cell: string) => Number(cell.replace('.', ''));
  const sum = (column: number) => rows.reduce((total, cells) => total + number(cells[column] as string), 0);

  it('reads rows one field short, with what each column holds', async () => {
    const report = await analyzeCsv(bytes(csv));
    expect(report.input).toMatchObject({ shape: 'aggregated', rows: 4, delimiter: ';' });
    expect(issue(report, 'ROW_SHORT_BY_ONE')).toMatchObject({ count: 4, severity: 'info' });
    const fields = Object.fromEntries(report.mapping.map((m) => [m.source, m.canonical]));
    expect(fields).toMatchObject({
      Buchungsdatum: 'date',
      Teilenummer: 'part',
      'FA-Nr.': 'order',
      Gesamt: 'total_count',
      Gutmenge: 'good_count',
      Ausschuss: 'scrap_count',
      'Prod.Zeit': 'run_min',
      'Rüst.Zeit': 'setup_min',
      'Stillst.Zeit': 'downtime_min',
      'Fehlerart-Bez.': 'defect',
      Fehlerart: null,
      Anwender: 'operator',
      Status: null,
      'Karton-Nr.': null,
    });
    expect(codes(report)).toEqual(expect.arrayContaining(['STATE_COLUMN_IGNORED', 'PERSONAL_DATA_DROPPED']));
    expect(JSON.stringify(report)).not.toContain('Müller');
    // Planned time is production + setup + downtime; setup is its own loss.
    const [run, setup, down] = [sum(6), sum(7), sum(8)];
    const kpis = report.kpis?.overall;
    expect(kpis?.availability).toMatchObject({ numerator: run, denominator: run + setup + down });
    expect(kpis?.quality).toMatchObject({ numerator: sum(4), denominator: sum(3) });
    expect(kpis?.totals).toMatchObject({ setupMin: setup, downtimeMin: setup + down, scrapCount: sum(5) });
    expect(report.derived).toContainEqual({ field: 'planned_min', rule: 'run + downtime + setup', rows: 4 });
    const planned = report.losses.sixBigLosses.find((loss) => loss.loss === 'planned_stops');
    expect(planned?.setup).toEqual({ minutes: setup, events: 4 });
    expect(report.losses.waterfall.map((step) => step.step)).toEqual([]); // no ideal cycle time: no OEE
    // Scrap by defect type, largest first: Kratzer 110, Lunker 20, Grat 10.
    expect(report.scrapPareto?.items.map((item) => [item.defect, item.scrap, item.rows])).toEqual([
      ['Kratzer', 110, 2],
      ['Lunker', 20, 1],
      ['Grat', 10, 1],
    ]);
    expect(report.charts.map((chart) => chart.id)).toContain('scrapPareto');
  });

  it('reads a trailing delimiter on every row, and says what it saw when rows do not line up', async () => {
    const trailing = await analyzeCsv(bytes('Machine;Good;Scrap\nA;10;1;\nB;20;2;\n'));
    expect(trailing.kpis?.overall.totals.goodCount).toBe(30);
    expect(issue(trailing, 'TRAILING_DELIMITER')?.count).toBe(2);
    const ragged = 'Machine;Good;Scrap;Planned\nA;10\nB;20;2;480;7;8\nC;30;3;480\nD\nE;1;2;3;4;5;6\n';
    const refusal = await analyzeCsv(bytes(ragged)).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AnalysisInputError);
    expect(refusal).toMatchObject({ code: 'NOT_TABULAR' });
    const message = (refusal as Error).message;
    expect(message).toContain('has 4 fields');
    expect(message).toMatch(/2 \(1 row\)/);
    expect(message).toContain('lines 2, 3, 5, 6');
  });
});

describe('times as exports write them', () => {
  it('reads DD-MM-YYYY, compact, ISO with space or T and fractions, and epoch under a time header', async () => {
    const at = (text: string) => {
      const parsed = parseTime(text);
      return parsed?.kind === 'instant' ? new Date(parsed.ms).toISOString() : null;
    };
    // Naive times are Berlin time: 14:30 in August is 12:30 UTC.
    expect(at('06-08-2025 14:30')).toBe('2025-08-06T12:30:00.000Z');
    expect(at('06-08-2025 14:30:15')).toBe('2025-08-06T12:30:15.000Z');
    expect(at('20250807213141')).toBe('2025-08-07T19:31:41.000Z');
    expect(at('2025-08-07T21:31:41.250')).toBe('2025-08-07T19:31:41.250Z');
    expect(at('2025-08-07 21:31:41,5+00:00')).toBe('2025-08-07T21:31:41.500Z');
    expect(at('06/08/2025')).toBe('2025-08-05T22:00:00.000Z');
    expect(at('32-08-2025 14:30')).toBeNull();
    const epoch = await analyzeCsv(
      bytes('ts,machine,state\n1754600000,M1,RUN\n1754600300,M1,STOP\n1754600600,M1,RUN\n'),
    );
    expect(epoch.period.start).toBe('2025-08-07T22:53:20+02:00');
    expect(codes(epoch)).toContain('EPOCH_TIMES');
    const millis = await analyzeCsv(bytes('time;value\n1754600000000;1\n1754600060000;2\n1754600120000;3\n'));
    expect(millis.period.start).toBe('2025-08-07T22:53:20+02:00');
  });

  it('says how many cells of a time column it could not read, with samples, instead of dropping them', async () => {
    const report = await analyzeCsv(
      bytes(
        'Zeit;Maschine;Gut;Ausschuss\n03.11.2026 06:00;A;10;1\nmorgen;A;12;0\n03.11.2026 08:00;A;9;1\n03.11.2026 09:00;A;9;1\n03.11.2026 10:00;A;9;1\n',
      ),
    );
    expect(fieldOf(report, 'Zeit')).toBe('ts_start');
    expect(issue(report, 'TIME_UNPARSEABLE')?.detail).toContain('1 of 5 cells');
    expect(issue(report, 'TIME_UNPARSEABLE')?.detail).toContain('"morgen"');
    // A column named as a time whose cells mostly fail is not used, and said so.
    const unused = await analyzeCsv(bytes('Timestamp;Good\nTue 06:00h;1\nWed 07:00h;2\nThu 08:00h;3\n'));
    expect(fieldOf(unused, 'Timestamp')).toBeNull();
    expect(issue(unused, 'TIME_UNPARSEABLE')?.detail).toContain('3 of 3 cells');
  });

  it('orders control-chart points by time, not by file order', async () => {
    const values = [
      10, 10.2, 9.9, 10.1, 10, 9.8, 10.3, 10.1, 9.9, 10, 10.2, 9.7, 10.1, 10, 9.9, 10.2, 10.1, 9.8, 10, 10.1,
    ];
    const stamped = values.map(
      (x, i) =>
        `2026-11-03 ${String(6 + Math.floor(i / 6)).padStart(2, '0')}:${String((i % 6) * 10).padStart(2, '0')}:00;${x}`,
    );
    const shuffled = [...stamped].reverse();
    const chart = (await analyzeCsv(bytes(`datetime;Messwert\n${shuffled.join('\n')}\n`))).spc[0];
    let moving = 0;
    for (let i = 1; i < values.length; i++)
      moving += Math.abs((values[i] as number) - (values[i - 1] as number));
    expect(chart?.sigmaWithin).toBeCloseTo(moving / (values.length - 1) / 1.128, 12);
    expect(chart?.points[0]?.t).toBe('2026-11-03T06:00:00+01:00');
  });
});

describe('measurements', () => {
  it('charts each characteristic per machine, never pooled, with specs from the options when the file has none', async () => {
    const rows: string[] = [];
    for (let i = 0; i < 24; i++)
      for (const [machine, offset] of [
        ['M1', 0],
        ['M2', 5],
      ] as const)
        rows.push(
          `2026-11-03 ${String(6 + Math.floor(i / 6)).padStart(2, '0')}:${String((i % 6) * 10).padStart(2, '0')};${machine};${(20 + offset + ((i * 7) % 5) * 0.1).toFixed(1)};${(1 + (i % 3) * 0.01).toFixed(2)}`,
        );
    const report = await analyzeCsv(bytes(`Timestamp;Machine;Temperature;Pressure\n${rows.join('\n')}\n`), {
      specs: { Temperature: { lsl: 15, usl: 30 } },
    });
    expect(report.spc.map((chart) => [chart.characteristic, chart.machine, chart.n])).toEqual([
      ['Pressure', 'M1', 24],
      ['Pressure', 'M2', 24],
      ['Temperature', 'M1', 24],
      ['Temperature', 'M2', 24],
    ]);
    const m2 = report.spc.find((chart) => chart.characteristic === 'Temperature' && chart.machine === 'M2');
    const values = Array.from({ length: 24 }, (_, i) => 25 + ((i * 7) % 5) * 0.1);
    expect(m2?.center).toBeCloseTo(values.reduce((a, b) => a + b, 0) / 24, 9);
    expect(m2?.capability).toMatchObject({ lsl: 15, usl: 30, source: 'options' });
    expect(report.spc.find((chart) => chart.characteristic === 'Pressure')?.capability).toBeNull();
    expect(report.options).toEqual({ specs: { Temperature: { lsl: 15, usl: 30 } } });
  });
});

describe('machine states', () => {
  it('knows English and German state words, and leaves the rest unknown rather than guessing', () => {
    const expected: Record<string, string | undefined> = {
      Running: 'running',
      'Automatic production': 'running',
      Handbetrieb: 'running',
      Produktion: 'running',
      Automatik: 'running',
      Idle: 'unplanned_stop',
      Alarm: 'unplanned_stop',
      'Störung Hydraulik': 'unplanned_stop',
      STOPPED: 'unplanned_stop',
      Rüsten: 'setup',
      Changeover: 'setup',
      Pause: 'planned_stop',
      Wartung: 'planned_stop',
      'Unplanned maintenance': 'unplanned_stop',
      'Not scheduled': 'not_scheduled',
      'Kein Auftrag': 'not_scheduled',
      'Not ready': undefined,
      Frei: undefined,
      Gesperrt: undefined,
      '2.0': undefined,
      Production: 'running',
      'Production stop': 'unplanned_stop',
    };
    for (const [value, category] of Object.entries(expected))
      expect([value, vocabularyCategory(value)]).toEqual([value, category]);
  });

  const log = (rows: string[]) => bytes(`Start;End;Machine;State\n${rows.join('\n')}\n`);

  it('never counts an unknown state as a stop: availability says which values to name, and states answers', async () => {
    const rows = [
      '2026-11-03 06:00;2026-11-03 08:00;M1;RUN',
      '2026-11-03 08:00;2026-11-03 08:30;M1;Zustand 7',
      '2026-11-03 08:30;2026-11-03 10:00;M1;RUN',
      '2026-11-03 10:00;2026-11-03 10:20;M1;STOP',
    ];
    const report = await analyzeCsv(log(rows));
    expect(report.kpis?.overall.availability).toMatchObject({ status: 'not_computable' });
    expect(issue(report, 'STATE_UNKNOWN')?.detail).toContain('"Zustand 7" 11.5 %');
    expect(report.downtimePareto?.items.map((item) => item.reason)).toEqual(['STOP']);
    const named = await analyzeCsv(log(rows), { states: { 'zustand 7': 'setup' } });
    expect(named.kpis?.overall.availability).toMatchObject({
      numerator: 210,
      denominator: 260,
      status: 'ok',
    });
    expect(named.options).toEqual({ states: { 'zustand 7': 'setup' } });
    expect(named.losses.sixBigLosses.find((loss) => loss.loss === 'planned_stops')?.setup).toEqual({
      minutes: 30,
      events: 1,
    });
    // Time not scheduled is not planned time.
    const off = await analyzeCsv(log([...rows.slice(0, 1), '2026-11-03 08:00;2026-11-03 12:00;M1;Off']));
    expect(off.kpis?.overall.availability).toMatchObject({ numerator: 120, denominator: 120 });
  });

  it('matches numeric state codes by number and says which options matched nothing', async () => {
    const report = await analyzeCsv(
      bytes(
        'ts;asset;status\n2026-11-03 06:00;1;1.0\n2026-11-03 06:05;1;1.0\n2026-11-03 06:10;1;3.0\n2026-11-03 06:15;1;1.0\n',
      ),
      { states: { '1': 'running', '3': 'unplanned_stop', '9': 'setup' } },
    );
    expect(report.input).toMatchObject({ shape: 'events', eventLayout: 'sampled' });
    expect(report.kpis?.overall.availability).toMatchObject({ numerator: 15, denominator: 20 });
    expect(report.options.states).toEqual({ '1': 'running', '3': 'unplanned_stop' });
    expect(issue(report, 'OPTION_UNUSED')?.detail).toContain('states "9"');
  });

  it('holds a sample until the next one (at most the median interval, or sampleHoldMinutes), merging runs of one state', async () => {
    const csv = bytes(
      [
        'Zeitstempel;Maschine;Zustand;Stück',
        '2026-11-03 06:00;A;Produktion;5',
        '2026-11-03 06:05;A;Produktion;6',
        '2026-11-03 06:10;A;Störung;0',
        '2026-11-03 06:15;A;Störung;0',
        '2026-11-03 06:20;A;Produktion;4',
        // A gap of an hour: 5 min held, 55 min unlogged.
        '2026-11-03 07:20;A;Produktion;5',
        '2026-11-03 06:00;B;Produktion;7',
        '2026-11-03 06:10;B;Produktion;7',
      ].join('\n'),
    );
    const report = await analyzeCsv(csv);
    // A: running 06:00-06:10, 06:20-06:25, 07:20-07:25; stopped 06:10-06:20 (one failure of 10 min).
    // B: a 10 min interval, running 06:00-06:20.
    expect(report.kpis?.overall.availability).toMatchObject({ numerator: 20 + 20, denominator: 30 + 20 });
    expect(report.reliability.find((entry) => entry.machine === 'A')).toMatchObject({
      failures: 1,
      downtimeMin: 10,
      mttrMin: 10,
    });
    expect(report.kpis?.overall.totals.totalCount).toBe(34);
    expect(issue(report, 'SAMPLE_GAPS')?.detail).toContain('55.0 min are unlogged');
    const held = await analyzeCsv(csv, { sampleHoldMinutes: 2 });
    expect(held.kpis?.overall.availability.denominator).toBe(7 * 2 + 2);
    expect(held.options).toEqual({ sampleHoldMinutes: 2 });
  });
});

describe('never a made-up zero', () => {
  it('leaves zero cycle times out, tolerates the rounding of durations, and lists only charts with data', async () => {
    const report = await analyzeCsv(
      bytes('Machine;Cycle time [s];Good;Total\nA;0;10;10\nA;20;10;10\nA;30;10;10\nA;-1;10;10\n'),
    );
    expect(report.cycleTime[0]).toMatchObject({ n: 2, mean: 25 });
    expect(issue(report, 'CYCLE_TIME_NOT_POSITIVE')?.detail).toContain('2 cycle time(s)');
    expect(report.charts.map((chart) => chart.id)).not.toContain('oeeTrend');
    expect(report.kpis?.overall.totals.plannedMin).toBeNull();
    // Durations in whole minutes: a start 2.6 min after the previous one that "lasted 3" is no overlap.
    const rounded = await analyzeCsv(
      bytes(
        'Start;Dauer [min];Maschine;Grund\n03.11.2026 06:00:00;3;A;Stau\n03.11.2026 06:02:36;4;A;Stau\n03.11.2026 06:20:00;2;A;Stau\n',
      ),
    );
    expect(codes(rounded)).not.toContain('EVENT_OVERLAP');
    const overlap = await analyzeCsv(
      bytes('Start;Dauer [min];Maschine;Grund\n03.11.2026 06:00:00;5;A;Stau\n03.11.2026 06:02:00;4;A;Stau\n'),
    );
    expect(codes(overlap)).toContain('EVENT_OVERLAP');
  });
});

describe('options', () => {
  const durations = bytes('Machine;Planned;Stops;Good;Total\nA;8;30;900;1000\nB;8;60;800;1000\n');

  it('gives a duration column its unit (mapping with a unit, or units), and refuses options that do not fit', async () => {
    const mapped = await analyzeCsv(durations, {
      mapping: { Planned: { field: 'planned_min', unit: 'h' }, Stops: 'downtime_min' },
    });
    expect(mapped.kpis?.overall.availability).toMatchObject({ numerator: 960 - 90, denominator: 960 });
    const units = await analyzeCsv(durations, {
      mapping: { Planned: 'planned_min', Stops: 'downtime_min' },
      units: { Planned: 'h', Stops: 'min' },
    });
    expect(units.kpis?.overall.availability).toMatchObject({ numerator: 870, denominator: 960 });
    expect(units.options.units).toEqual({ Planned: 'h', Stops: 'min' });
    for (const options of [
      { states: { RUN: 'running_fast' } },
      { baseline: { subgroups: 1 } },
      { specs: { d: { lsl: 2, usl: 1 } } },
      { microStopMinutes: -1 },
      { unknown: true },
    ])
      await expect(analyzeCsv(durations, options as never)).rejects.toMatchObject({
        code: 'INVALID_OPTIONS',
      });
    await expect(analyzeCsv(durations, { units: { Nope: 'h' } })).rejects.toMatchObject({
      code: 'MAPPING_UNKNOWN_COLUMN',
    });
  });

  it('sets the micro-stop threshold', async () => {
    const csv = bytes(
      'Start;End;Machine;State;Reason\n2026-11-03 06:00;2026-11-03 06:08;A;STOP;Stau\n2026-11-03 06:08;2026-11-03 07:00;A;RUN;\n',
    );
    expect(losses(await analyzeCsv(csv))).toMatchObject({ unplanned_stops: 8, small_stops: 0 });
    const report = await analyzeCsv(csv, { microStopMinutes: 10 });
    expect(losses(report)).toMatchObject({ unplanned_stops: 0, small_stops: 8 });
    expect(report.reliability[0]?.failures).toBe(0);
  });
});
