import { sha256Hex } from '../crypto';
import { decodeText } from './decode';
import { AnalysisInputError } from './errors';
import type { Canonical } from './headers';
import {
  computeKpis,
  describeSample,
  downtimePareto,
  KpiAccumulator,
  lossWaterfall,
  type ProductionRecord,
} from './kpis';
import type { AnalysisReport, Insight, Shape } from './report';
import { RowSet } from './row-set';
import { sniffDelimiter } from './sniff';
import { type ControlChart, individualsChart } from './spc';
import { buildTable, type Column, IssueLog, RowReader, readNumber, type Table } from './table';
import { berlinDay, formatBerlin, isMissing, type ParsedTime, safeText } from './values';

export { AnalysisInputError, type InputErrorCode } from './errors';
export { insightsNarrator, type Narrator, withNarrative } from './narrative';
export type { AnalysisReport } from './report';

export const ENGINE_VERSION = '1.0.0';
export const SCHEMA_VERSION = '1';
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;
/** An unplanned stop at least this long is a failure (shorter ones are micro-stops). */
const MICRO_STOP_MIN = 5;
const MAX_CHARACTERISTICS = 20;

/**
 * A manufacturing CSV export to an explainable KPI report. Pure and deterministic: the same bytes give
 * byte-identical JSON. Throws AnalysisInputError for input that cannot be analysed at all.
 */
export async function analyzeCsv(
  bytes: Uint8Array,
  options: { fileName?: string } = {},
): Promise<AnalysisReport> {
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new AnalysisInputError(
      'FILE_TOO_LARGE',
      `The file has ${bytes.length} bytes; at most ${MAX_INPUT_BYTES} are accepted.`,
    );
  }
  const [sha256, decoded] = [await sha256Hex(bytes), decodeText(bytes)];
  const { delimiter, body, sepLine } = sniffDelimiter(decoded.text.replace(/^\uFEFF/, ''));
  const issues = new IssueLog();
  const table = buildTable(body, delimiter, issues);
  const shape = detectShape(table);
  const derived = new Derivations();
  const read = new RowReader(table);

  let records: ProductionRecord[] = [];
  let stops: { reason: string; minutes: number }[] = [];
  let reliability: AnalysisReport['reliability'] = [];
  let period = { start: Number.POSITIVE_INFINITY, end: Number.NEGATIVE_INFINITY };
  let spc: ControlChart[] = [];
  let excluded = 0;

  if (shape === 'aggregated')
    ({ records, stops, period, excluded } = readAggregated(table, read, issues, derived));
  if (shape === 'events')
    ({ records, stops, reliability, period, excluded } = readEvents(table, read, issues));
  if (shape === 'measurements') ({ spc, period } = readMeasurements(table, read, issues));

  const computed = shape === 'measurements' ? null : computeKpis(records);
  const overallAccumulator = computed?.accumulator ?? new KpiAccumulator();
  const kpis = computed
    ? {
        overall: computed.overall,
        byMachine: computed.byMachine,
        byShift: computed.byShift,
        byDay: computed.byDay,
        byPart: computed.byPart,
      }
    : null;
  const pareto = downtimePareto(stops);
  const cycleTime = readCycleTimes(table, read);

  const report: AnalysisReport = {
    schemaVersion: SCHEMA_VERSION,
    engineVersion: ENGINE_VERSION,
    input: {
      fileName: options.fileName
        ? safeText(options.fileName.replace(/[^\p{L}\p{N} ._()-]/gu, '_'), 120)
        : null,
      bytes: bytes.length,
      sha256,
      encoding: decoded.encoding,
      delimiter,
      sepLine,
      decimal: majorityDecimal(table),
      headerRowIndex: table.headerRowIndex,
      rows: table.rows.length,
      columns: table.columns.length,
      shape,
      timezone: 'Europe/Berlin',
    },
    mapping: table.columns.map((column) => ({
      source: safeText(column.header),
      canonical: column.canonical ?? null,
      unit: column.unit ?? null,
      confidence: column.canonical ? column.confidence : 0,
    })),
    derived: derived.list(),
    dataQuality: {
      issues: issues.list(),
      rowsUsed: table.rows.length - excluded,
      rowsExcluded: excluded,
      duplicatesRemoved: table.duplicatesRemoved,
      summaryRowsRemoved: table.summaryRowsRemoved,
      coverage: { oee: records.length > 0 ? overallAccumulator.rowsOee / records.length : null },
    },
    period: Number.isFinite(period.start)
      ? { start: formatBerlin(period.start), end: formatBerlin(period.end) }
      : { start: null, end: null },
    kpis,
    losses: { waterfall: kpis ? lossWaterfall(kpis.overall, overallAccumulator) : [] },
    downtimePareto: pareto,
    reliability,
    cycleTime,
    spc,
    insights: [],
    charts: [],
  };
  report.insights = insightsFor(report);
  report.charts = chartsFor(report);
  return report;
}

function detectShape(table: Table): Shape {
  const has = (field: Canonical) => table.byCanonical.has(field);
  const timed =
    (has('ts_start') || has('time_start')) && (has('ts_end') || has('time_end') || has('duration_min'));
  if (timed && (has('state') || has('reason'))) return 'events';
  if (
    ['planned_min', 'run_min', 'total_count', 'good_count', 'scrap_count'].some((field) =>
      has(field as Canonical),
    )
  )
    return 'aggregated';
  if (has('value') || table.unmappedNumeric.length > 0) return 'measurements';
  throw new AnalysisInputError(
    'NO_USABLE_COLUMNS',
    'No column could be recognised as production counts, times, events or measurements. Check the header row (see the supported column names).',
  );
}

class Derivations {
  readonly #counts = new Map<string, Map<string, number>>();
  add(field: string, rule: string): void {
    let rules = this.#counts.get(field);
    if (!rules) {
      rules = new Map();
      this.#counts.set(field, rules);
    }
    rules.set(rule, (rules.get(rule) ?? 0) + 1);
  }
  list() {
    return [...this.#counts.entries()]
      .flatMap(([field, rules]) => [...rules.entries()].map(([rule, rows]) => ({ field, rule, rows })))
      .sort((a, b) => a.field.localeCompare(b.field) || a.rule.localeCompare(b.rule));
  }
}

const labels = new Map<string, string>();
/** Echoed strings pass through safeText; memoised, as machines and reasons repeat on every row. */
const label = (value: string | null): string | null => {
  if (value === null) return null;
  let safe = labels.get(value);
  if (safe === undefined) {
    safe = safeText(value, 80);
    if (labels.size < 10_000) labels.set(value, safe);
  }
  return safe;
};

function instantOf(read: RowReader, cells: string[], which: 'start' | 'end'): ParsedTime | null {
  const full = read.time(cells, which === 'start' ? 'ts_start' : 'ts_end');
  if (full?.kind === 'instant') return full;
  const clock = read.time(cells, which === 'start' ? 'time_start' : 'time_end');
  const date = read.time(cells, 'date');
  if (clock?.kind === 'time' && date?.kind === 'instant') {
    return { kind: 'instant', ms: date.ms + clock.minutes * 60_000, naive: true };
  }
  return null;
}

function dayOf(read: RowReader, cells: string[]): string | null {
  const date = read.day(cells, 'date');
  if (date !== null) return date;
  const start = instantOf(read, cells, 'start');
  return start?.kind === 'instant' ? berlinDay(start.ms) : null;
}

function idealCycleSeconds(table: Table, read: RowReader, cells: string[]): number | null {
  const ct = read.number(cells, 'ideal_ct_s');
  if (ct !== null) return ct > 0 ? ct : null;
  const rate = read.number(cells, 'ideal_rate');
  if (rate === null || rate <= 0) return null;
  // Rates are pieces per hour unless the header says per minute.
  return table.byCanonical.get('ideal_rate')?.unit === 'min' ? 60 / rate : 3600 / rate;
}

function readAggregated(table: Table, read: RowReader, issues: IssueLog, derived: Derivations) {
  const records: ProductionRecord[] = [];
  const stops: { reason: string; minutes: number }[] = [];
  const period = { start: Number.POSITIVE_INFINITY, end: Number.NEGATIVE_INFINITY };
  // A wide file: one numeric column per downtime reason, and no downtime or reason column of its own.
  const wideReasons =
    !read.has('downtime_min') &&
    !read.has('reason') &&
    read.has('planned_min') &&
    table.unmappedNumeric.length >= 2
      ? table.unmappedNumeric
      : [];
  const keys = new RowSet();
  let excluded = 0;
  for (const { line, cells } of table.rows) {
    let planned = read.number(cells, 'planned_min');
    let run = read.number(cells, 'run_min');
    let downtime = read.number(cells, 'downtime_min');
    let total = read.number(cells, 'total_count');
    let good = read.number(cells, 'good_count');
    let scrap = read.number(cells, 'scrap_count');
    const start = instantOf(read, cells, 'start');
    let end = instantOf(read, cells, 'end');
    if (start?.kind === 'instant' && end?.kind === 'instant' && end.ms < start.ms && !read.has('ts_end')) {
      end = { ...end, ms: end.ms + 86_400_000 }; // a clock-time end before its start rolls over midnight
    }
    if (start?.kind === 'instant') period.start = Math.min(period.start, start.ms);
    if (end?.kind === 'instant') period.end = Math.max(period.end, end.ms);
    else if (start?.kind === 'instant') period.end = Math.max(period.end, start.ms);
    const date = read.time(cells, 'date');
    if (date?.kind === 'instant') {
      period.start = Math.min(period.start, date.ms);
      period.end = Math.max(period.end, date.ms);
    }

    if (wideReasons.length > 0) {
      let sum = 0;
      for (const column of wideReasons) {
        const minutes = readNumber(cells[column.index] ?? '', column, 'downtime_min');
        if (minutes !== null && minutes > 0) {
          stops.push({ reason: safeText(column.header, 80), minutes });
          sum += minutes;
        }
      }
      downtime = sum;
      derived.add('downtime_min', `sum of ${wideReasons.length} reason columns (wide layout unpivoted)`);
    }
    // Negative amounts are impossible: the field is dropped from this row (never clamped).
    const nonNegative = (value: number | null, name: string) => {
      if (value === null || value >= 0) return value;
      issues.add('NEGATIVE_VALUE', 'error', line, name);
      return null;
    };
    planned = nonNegative(planned, 'planned_min');
    run = nonNegative(run, 'run_min');
    downtime = nonNegative(downtime, 'downtime_min');
    total = nonNegative(total, 'total_count');
    good = nonNegative(good, 'good_count');
    scrap = nonNegative(scrap, 'scrap_count');
    if (planned === null && start?.kind === 'instant' && end?.kind === 'instant') {
      planned = (end.ms - start.ms) / 60_000;
      derived.add('planned_min', 'end - start');
    }
    if (run === null && planned !== null && downtime !== null) {
      run = planned - downtime;
      derived.add('run_min', 'planned - downtime');
    }
    if (planned === null && run !== null && downtime !== null) {
      planned = run + downtime;
      derived.add('planned_min', 'run + downtime');
    }
    if (good === null && total !== null && scrap !== null) {
      good = total - scrap;
      derived.add('good_count', 'total - scrap');
    }
    if (total === null && good !== null && scrap !== null) {
      total = good + scrap;
      derived.add('total_count', 'good + scrap');
    }
    if (scrap === null && total !== null && good !== null) {
      scrap = total - good;
      derived.add('scrap_count', 'total - good');
    }
    // Impossible values: the row leaves only the KPIs they would falsify, never clamped.
    if (planned !== null && run !== null && (run > planned + 1e-9 || run < 0)) {
      issues.add(run < 0 ? 'DOWNTIME_GT_PLANNED' : 'RUN_GT_PLANNED', 'error', line);
      run = null;
    }
    if (total !== null && good !== null && good > total) {
      issues.add('GOOD_GT_TOTAL', 'error', line);
      good = null;
      scrap = null;
    }
    if (total !== null && scrap !== null && (scrap > total || scrap < 0)) {
      issues.add('SCRAP_GT_TOTAL', 'error', line);
      scrap = null;
    }

    const record: ProductionRecord = {
      line,
      machine: label(read.text(cells, 'machine') ?? read.text(cells, 'line')),
      shift: label(read.text(cells, 'shift')),
      day: dayOf(read, cells),
      part: label(read.text(cells, 'part')),
      planned,
      run,
      total,
      good,
      scrap,
      idealCtS: idealCycleSeconds(table, read, cells),
    };
    const key = [
      record.machine,
      record.day,
      record.shift,
      read.text(cells, 'order'),
      record.part,
      start?.kind === 'instant' ? start.ms : '',
    ];
    // Exact duplicates are already gone, so a repeated key means conflicting values: keep the first.
    if (record.machine !== null && (record.day !== null || start) && !keys.add(key)) {
      issues.add('DUP_KEY_CONFLICT', 'warning', line);
      excluded++;
      continue;
    }
    if (planned === null && run === null && total === null && good === null) {
      issues.add('ROW_WITHOUT_PRODUCTION_DATA', 'warning', line);
      excluded++;
      continue;
    }
    const reason = read.text(cells, 'reason');
    if (downtime === null && planned !== null && run !== null) downtime = planned - run;
    if (reason !== null && downtime !== null && downtime > 0)
      stops.push({ reason: label(reason) as string, minutes: downtime });
    records.push(record);
  }
  return { records, stops, period, excluded };
}

const RUNNING =
  /^(run|running|produc|production|produktion|laeuft|läuft|betrieb|in betrieb|auto|automatic|active|up|ok|green|gruen|grün)/i;
const PLANNED_STOP =
  /(planned|geplant|setup|set-up|ruest|rüst|changeover|umrüst|wartung|maintenance|pause|break|meeting|cleaning|reinigung|schulung|training)/i;

function readEvents(table: Table, read: RowReader, issues: IssueLog) {
  type Event = {
    line: number;
    machine: string;
    start: number;
    end: number;
    running: boolean;
    planned: boolean;
    reason: string;
    record: ProductionRecord;
  };
  const events: Event[] = [];
  let excluded = 0;
  for (const { line, cells } of table.rows) {
    const start = instantOf(read, cells, 'start');
    let end = instantOf(read, cells, 'end');
    if (start?.kind !== 'instant') {
      issues.add('EVENT_WITHOUT_START', 'error', line);
      excluded++;
      continue;
    }
    if (end?.kind === 'instant' && end.ms < start.ms && !read.has('ts_end'))
      end = { ...end, ms: end.ms + 86_400_000 };
    let minutes = end?.kind === 'instant' ? (end.ms - start.ms) / 60_000 : read.number(cells, 'duration_min');
    if (minutes === null || minutes < 0) {
      issues.add(minutes === null ? 'EVENT_WITHOUT_DURATION' : 'NEGATIVE_VALUE', 'error', line);
      excluded++;
      continue;
    }
    if (start.dst) issues.add(start.dst === 'gap' ? 'DST_GAP_TIME' : 'DST_AMBIGUOUS_TIME', 'warning', line);
    const state = read.text(cells, 'state');
    const reason = read.text(cells, 'reason');
    const reasonClass = read.text(cells, 'reason_class');
    // With a state column, "running" states are production; a log of reasons alone is a stop log.
    const running = state !== null ? RUNNING.test(state) && !reason : false;
    const planned =
      !running &&
      PLANNED_STOP.test(`${reasonClass ?? ''} ${reason ?? ''} ${state ?? ''}`) &&
      !/unplanned|ungeplant/i.test(reasonClass ?? '');
    minutes = Math.max(0, minutes);
    const machine = label(read.text(cells, 'machine') ?? read.text(cells, 'line')) ?? 'unspecified';
    events.push({
      line,
      machine,
      start: start.ms,
      end: start.ms + minutes * 60_000,
      running,
      planned,
      reason: safeText(reason ?? state ?? 'unspecified', 80),
      record: {
        line,
        machine,
        shift: label(read.text(cells, 'shift')),
        day: berlinDay(start.ms),
        part: label(read.text(cells, 'part')),
        planned: minutes,
        run: running ? minutes : 0,
        total: read.number(cells, 'total_count'),
        good:
          read.number(cells, 'good_count') ??
          (() => {
            const total = read.number(cells, 'total_count');
            const scrap = read.number(cells, 'scrap_count');
            return total !== null && scrap !== null ? total - scrap : null;
          })(),
        scrap: read.number(cells, 'scrap_count'),
        idealCtS: idealCycleSeconds(table, read, cells),
      },
    });
  }
  events.sort((a, b) =>
    a.machine < b.machine ? -1 : a.machine > b.machine ? 1 : a.start - b.start || a.line - b.line,
  );
  const period = { start: Number.POSITIVE_INFINITY, end: Number.NEGATIVE_INFINITY };
  const reliability: Map<
    string,
    {
      failures: number;
      operating: number;
      down: number;
      failureMinutes: number;
      first: number;
      last: number;
      logged: number;
    }
  > = new Map();
  let previous: Event | undefined;
  const hasRunningStates = events.some((event) => event.running);
  for (const event of events) {
    period.start = Math.min(period.start, event.start);
    period.end = Math.max(period.end, event.end);
    if (previous && previous.machine === event.machine && event.start < previous.end - 1)
      issues.add('EVENT_OVERLAP', 'warning', event.line);
    previous = event;
    const minutes = (event.end - event.start) / 60_000;
    const entry = reliability.get(event.machine) ?? {
      failures: 0,
      operating: 0,
      down: 0,
      failureMinutes: 0,
      first: event.start,
      last: event.end,
      logged: 0,
    };
    entry.first = Math.min(entry.first, event.start);
    entry.last = Math.max(entry.last, event.end);
    entry.logged += minutes;
    if (event.running) entry.operating += minutes;
    else {
      entry.down += minutes;
      if (!event.planned && minutes >= MICRO_STOP_MIN) {
        entry.failures++;
        entry.failureMinutes += minutes;
      }
    }
    reliability.set(event.machine, entry);
  }
  const stops = events
    .filter((event) => !event.running)
    .map((event) => ({ reason: event.reason, minutes: (event.end - event.start) / 60_000 }));
  return {
    records: events.map((event) => event.record),
    stops,
    period,
    excluded,
    reliability: [...reliability.entries()].map(([machine, entry]) => {
      // Without running states, operating time is the logged span less the stops.
      const operating = hasRunningStates
        ? entry.operating
        : Math.max(0, (entry.last - entry.first) / 60_000 - entry.down);
      return {
        machine,
        failures: entry.failures,
        operatingMin: operating,
        downtimeMin: entry.down,
        mtbfMin: entry.failures > 0 ? operating / entry.failures : null,
        mttrMin: entry.failures > 0 ? entry.failureMinutes / entry.failures : null,
      };
    }),
  };
}

function readMeasurements(table: Table, read: RowReader, issues: IssueLog) {
  const period = { start: Number.POSITIVE_INFINITY, end: Number.NEGATIVE_INFINITY };
  const series = new Map<string, { t: number | null; x: number; order: number }[]>();
  const specs = new Map<string, { lsl: number | null; usl: number | null }>();
  const push = (name: string, t: number | null, x: number, order: number) => {
    const list = series.get(name) ?? [];
    list.push({ t, x, order });
    series.set(name, list);
  };
  // Wide: unmapped numeric columns are characteristics unless (nearly) constant or mostly empty.
  const wide = read.has('value')
    ? []
    : table.unmappedNumeric.filter((column) => {
        const cells = table.rows.map((row) => row.cells[column.index] ?? '');
        const present = cells.filter((cell) => !isMissing(cell));
        return present.length >= table.rows.length * 0.5 && new Set(present).size > 1;
      });
  for (const { line, cells } of table.rows) {
    const when = instantOf(read, cells, 'start') ?? read.time(cells, 'date');
    const t = when?.kind === 'instant' ? when.ms : null;
    if (t !== null) {
      period.start = Math.min(period.start, t);
      period.end = Math.max(period.end, t);
    }
    if (read.has('value')) {
      const x = read.number(cells, 'value');
      if (x === null) {
        issues.add('MISSING_VALUE', 'warning', line);
        continue;
      }
      const name = safeText(
        read.text(cells, 'characteristic') ?? table.byCanonical.get('value')?.header ?? 'value',
        80,
      );
      push(name, t, x, line);
      const spec = specs.get(name) ?? { lsl: null, usl: null };
      spec.lsl ??= read.number(cells, 'lsl');
      spec.usl ??= read.number(cells, 'usl');
      specs.set(name, spec);
    } else {
      for (const column of wide) {
        const x = readNumber(cells[column.index] ?? '', column as Column);
        if (x !== null) push(safeText(column.header, 80), t, x, line);
      }
    }
  }
  const names = [...series.keys()].sort(
    (a, b) => (series.get(b)?.length ?? 0) - (series.get(a)?.length ?? 0) || (a < b ? -1 : 1),
  );
  if (names.length > MAX_CHARACTERISTICS)
    issues.add(
      'CHARACTERISTICS_LIMITED',
      'info',
      undefined,
      `${names.length} characteristics; the ${MAX_CHARACTERISTICS} with most values are charted`,
    );
  const spc = names
    .slice(0, MAX_CHARACTERISTICS)
    .sort()
    .map((name) => {
      const points = [...(series.get(name) ?? [])].sort(
        (a, b) => (a.t ?? 0) - (b.t ?? 0) || a.order - b.order,
      );
      return individualsChart(
        name,
        points.map((point) => ({ t: point.t === null ? null : formatBerlin(point.t), x: point.x })),
        specs.get(name) ?? { lsl: null, usl: null },
      );
    });
  return { spc, period };
}

function readCycleTimes(table: Table, read: RowReader): AnalysisReport['cycleTime'] {
  if (!read.has('cycle_s')) return [];
  const groups = new Map<
    string,
    { machine: string | null; part: string | null; values: number[]; ideal: number | null }
  >();
  for (const { cells } of table.rows) {
    const value = read.number(cells, 'cycle_s');
    if (value === null || value < 0) continue;
    const machine = label(read.text(cells, 'machine'));
    const part = label(read.text(cells, 'part'));
    const key = `${machine ?? ''}\u0001${part ?? ''}`;
    const group = groups.get(key) ?? { machine, part, values: [], ideal: null };
    group.values.push(value);
    group.ideal ??= idealCycleSeconds(table, read, cells);
    groups.set(key, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([, group]) => {
      const stats = describeSample(group.values);
      if (!stats) return [];
      const ideal = group.ideal;
      return [
        {
          machine: group.machine,
          part: group.part,
          n: stats.n,
          mean: stats.mean,
          p50: stats.p50,
          p95: stats.p95,
          sd: stats.sd,
          cv: stats.cv,
          idealCt: ideal,
          slowShare: ideal === null ? null : group.values.filter((v) => v > 1.1 * ideal).length / stats.n,
        },
      ];
    });
}

function majorityDecimal(table: Table): ',' | '.' {
  let comma = 0;
  for (const column of table.columns)
    if (column.numericShare >= 0.8) comma += column.decimal === ',' ? 1 : -1;
  return comma > 0 ? ',' : '.';
}

/** Rule-based insights, each with the evidence that triggered it; narrators may only retell these. */
function insightsFor(report: AnalysisReport): Insight[] {
  const insights: Insight[] = [];
  const pct = (value: number) => `${(value * 100).toFixed(1)} %`;
  const top = report.downtimePareto?.items[0];
  if (top && top.share >= 0.2) {
    insights.push({
      id: 'TOP_DOWNTIME_REASON',
      severity: top.share >= 0.4 ? 'high' : 'medium',
      kpi: 'availability',
      message: `"${top.reason}" causes ${pct(top.share)} of all downtime (${top.minutes.toFixed(0)} min).`,
      evidence: { reason: top.reason, minutes: top.minutes, share: top.share, events: top.events },
    });
  }
  const overall = report.kpis?.overall;
  if (overall?.performance.status === 'warning' && overall.performance.value !== null) {
    insights.push({
      id: 'IDEAL_CT_TOO_SLOW',
      severity: 'medium',
      kpi: 'performance',
      message: `Performance is ${pct(overall.performance.value)}, above 100 %: the ideal cycle time is probably set too slow.`,
      evidence: { performance: overall.performance.value },
    });
  }
  if (overall?.scrapRate.value != null && overall.scrapRate.value > 0.05) {
    insights.push({
      id: 'HIGH_SCRAP_RATE',
      severity: overall.scrapRate.value > 0.1 ? 'high' : 'medium',
      kpi: 'quality',
      message: `Scrap rate is ${pct(overall.scrapRate.value)}.`,
      evidence: {
        scrap: overall.scrapRate.numerator,
        total: overall.scrapRate.denominator,
        rate: overall.scrapRate.value,
      },
    });
  }
  const machines = (report.kpis?.byMachine ?? []).filter((group) => group.oee.value !== null);
  if (machines.length >= 2 && overall?.oee.value != null) {
    const worst = machines.reduce((a, b) => ((b.oee.value as number) < (a.oee.value as number) ? b : a));
    const gap = overall.oee.value - (worst.oee.value as number);
    if (gap >= 0.05) {
      const weakest = (['availability', 'performance', 'quality'] as const).reduce((a, b) =>
        (worst[b].value ?? 1) < (worst[a].value ?? 1) ? b : a,
      );
      insights.push({
        id: 'WORST_MACHINE',
        severity: gap >= 0.15 ? 'high' : 'medium',
        kpi: 'oee',
        message: `${worst.key} has the lowest OEE (${pct(worst.oee.value as number)} vs ${pct(overall.oee.value)} overall); its weakest factor is ${weakest}.`,
        evidence: {
          machine: worst.key,
          oee: worst.oee.value,
          overall: overall.oee.value,
          weakest,
          weakestValue: worst[weakest].value,
        },
      });
    }
  }
  for (const chart of report.spc) {
    if (chart.violations.length > 0) {
      insights.push({
        id: 'SPC_OUT_OF_CONTROL',
        severity: chart.violations.some((v) => v.rule === 'WE1') ? 'high' : 'medium',
        kpi: null,
        message: `${chart.characteristic}: ${chart.violations.length} Western Electric rule violation(s); the process is not in statistical control.`,
        evidence: { characteristic: chart.characteristic, violations: chart.violations.slice(0, 10) },
      });
    }
    const index = chart.capability?.cpk ?? chart.capability?.cpu ?? chart.capability?.cpl;
    if (index != null && index < 1.33) {
      insights.push({
        id: 'NOT_CAPABLE',
        severity: index < 1 ? 'high' : 'medium',
        kpi: null,
        message: `${chart.characteristic}: capability index ${index.toFixed(2)} is below 1.33.`,
        evidence: { characteristic: chart.characteristic, capability: chart.capability },
      });
    }
  }
  const order = { high: 0, medium: 1, low: 2 };
  return insights.sort((a, b) => order[a.severity] - order[b.severity] || a.id.localeCompare(b.id));
}

function chartsFor(report: AnalysisReport): AnalysisReport['charts'] {
  const charts: AnalysisReport['charts'] = [];
  if (report.kpis && report.kpis.byDay.length > 1)
    charts.push({ id: 'oeeTrend', type: 'line', dataRef: 'kpis.byDay' });
  if (report.losses.waterfall.length > 0)
    charts.push({ id: 'lossWaterfall', type: 'waterfall', dataRef: 'losses.waterfall' });
  if (report.kpis && report.kpis.byMachine.length > 0)
    charts.push({ id: 'apqByMachine', type: 'bar', dataRef: 'kpis.byMachine' });
  if (report.downtimePareto)
    charts.push({ id: 'downtimePareto', type: 'pareto', dataRef: 'downtimePareto.items' });
  if (report.cycleTime.length > 0)
    charts.push({ id: 'cycleTimeBoxplot', type: 'boxplot', dataRef: 'cycleTime' });
  if (report.reliability.length > 0) charts.push({ id: 'mtbfMttr', type: 'scatter', dataRef: 'reliability' });
  report.spc.forEach((chart, index) => {
    if (chart.status === 'ok') charts.push({ id: `imr-${index}`, type: 'control', dataRef: `spc.${index}` });
  });
  return charts;
}
