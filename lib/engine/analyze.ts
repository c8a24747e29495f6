import { sha256Hex } from '../crypto';
import { ENGINE_VERSION, MAX_INPUT_BYTES, SCHEMA_VERSION } from './contract';
import { AnalysisInputError } from './errors';
import { keepHiddenClasses } from './hidden-classes';
import { decodeText, utf8Suffix } from './input/decode';
import type { Canonical } from './input/fields';
import { type AnalysisOptions, analysisOptions, DEFAULT_MICRO_STOP_MIN } from './input/options';
import { RowReader } from './input/reader';
import { isXlsx, refuseNonText } from './input/screen';
import { sniffDelimiter } from './input/sniff';
import { holdsMachineStates, StateClassifier } from './input/states';
import { buildTable, type Table } from './input/table';
import { safeText } from './input/values';
import { readWorkbook } from './input/workbook';
import { chartsFor, insightsFor } from './insights';
import { IssueLog } from './issues';
import { Derivations } from './metrics/derivations';
import {
  computeKpis,
  downtimeMatrix,
  downtimePareto,
  type GroupKpis,
  KpiAccumulator,
  lossWaterfall,
  MAX_GROUPS,
  MAX_PERIODS,
  OTHER_GROUPS,
  reworkKpis,
  scrapPareto,
  TOTAL_NEEDS,
  teep,
} from './metrics/kpis';
import { type StopLosses, sixBigLosses } from './metrics/losses';
import { Period } from './metrics/period';
import { DowntimeByReason, ProductionRecords } from './metrics/records';
import type { ControlChart } from './metrics/spc';
import type { AnalysisReport, Shape } from './report';
import { readAggregated } from './shapes/aggregated';
import { readCycleTimes } from './shapes/cycle-times';
import { readEvents } from './shapes/events';
import { readMeasurements } from './shapes/measurements';

/**
 * A manufacturing CSV export to an explainable KPI report. Pure and deterministic: the same bytes and
 * options give byte-identical JSON. Throws AnalysisInputError for input that cannot be analysed at all
 * (options that fail the schema included).
 */
export async function analyzeCsv(
  bytes: Uint8Array,
  given: AnalysisOptions & { fileName?: string } = {},
): Promise<AnalysisReport> {
  const { fileName, ...rest } = given;
  const parsed = analysisOptions().safeParse(rest);
  if (!parsed.success)
    throw new AnalysisInputError(
      'INVALID_OPTIONS',
      `The options do not fit: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`).join('; ')}.`,
    );
  const options = parsed.data;
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new AnalysisInputError(
      'FILE_TOO_LARGE',
      `The file has ${bytes.length} bytes; at most ${MAX_INPUT_BYTES} are accepted.`,
    );
  }
  refuseNonText(bytes);
  // Started first: where the platform hashes off the main thread (Node does), it overlaps the reading.
  const digest = sha256Hex(bytes);
  // A workbook becomes the text the CSV path reads; everything after is the same pipeline.
  const workbook = isXlsx(bytes) ? await readWorkbook(bytes, options.sheet) : null;
  const decoded = workbook ? { text: workbook.text, encoding: 'xlsx' as const } : decodeText(bytes);
  const { delimiter, body, sepLine } = sniffDelimiter(decoded.text.replace(/^\uFEFF/, ''));
  const issues = new IssueLog();
  const table = buildTable(body, delimiter, issues, {
    mapping: options.mapping,
    units: options.units,
    dateOrder: options.dateOrder,
    utf8: 'utf8' in decoded && decoded.utf8 ? utf8Suffix(decoded.utf8, decoded.text, body) : undefined,
  });
  const classifier = new StateClassifier(options.states);
  const read = new RowReader(table, options.idealCycleSeconds);
  ignoreNonMachineStates(table, read, classifier, issues);
  const shape = detectShape(table);
  const derived = new Derivations();
  const microStopMinutes = options.microStopMinutes ?? DEFAULT_MICRO_STOP_MIN;

  let records = new ProductionRecords(0);
  let downtimeByReason = new DowntimeByReason();
  let reliability: AnalysisReport['reliability'] = [];
  let period = new Period();
  let spc: ControlChart[] = [];
  let stopLosses: StopLosses | null = null;
  let calendarMin: number | null = null;
  let excluded = 0;
  let sampled = false;
  let scrapByDefect = new Map<string, { scrap: number; rows: number }>();
  if (shape === 'aggregated')
    ({ records, downtimeByReason, stopLosses, period, calendarMin, excluded, scrapByDefect } = readAggregated(
      read,
      issues,
      derived,
      classifier,
    ));
  if (shape === 'events')
    ({ records, downtimeByReason, stopLosses, reliability, period, calendarMin, excluded, sampled } =
      readEvents(read, issues, classifier, {
        microStopMinutes,
        sampleHoldMinutes: options.sampleHoldMinutes,
      }));
  let specsUsed = new Set<string>();
  if (shape === 'measurements') ({ spc, period, specsUsed } = readMeasurements(read, issues, options));
  read.reportUnparsedTimes(issues);

  const computed = shape === 'measurements' ? null : computeKpis(records);
  for (const grouping of computed?.limited ?? [])
    issues.add(
      'GROUPS_LIMITED',
      'info',
      undefined,
      `More than ${MAX_GROUPS} values of ${grouping}: the ${MAX_GROUPS} with most planned time are listed, the rest summed as "${OTHER_GROUPS}".`,
    );
  if (computed && computed.periodUnit !== 'day')
    issues.add(
      'PERIOD_ROLLED_UP',
      'info',
      undefined,
      `The data spans ${computed.counts.day} days: the trend is by ${computed.periodUnit}, at most ${MAX_PERIODS} entries.`,
    );
  const overallAccumulator = computed?.accumulator ?? new KpiAccumulator();
  const kpis = computed
    ? {
        overall: computed.overall,
        teep: teep(computed.overall, computed.counts.machine, calendarMin),
        ...reworkKpis(computed.accumulator),
        unknownTotals: unknownTotals(computed.overall),
        byMachine: computed.byMachine,
        byShift: computed.byShift,
        periodUnit: computed.periodUnit,
        byPeriod: computed.byPeriod,
        byPart: computed.byPart,
      }
    : null;

  const pareto = downtimePareto(downtimeByReason);
  const sha256 = await digest;
  const report: AnalysisReport = {
    schemaVersion: SCHEMA_VERSION,
    engineVersion: ENGINE_VERSION,
    input: {
      fileName: fileName ? safeText(fileName.replace(/[^\p{L}\p{N} ._()-]/gu, '_'), 120) : null,
      bytes: bytes.length,
      sha256,
      encoding: decoded.encoding,
      workbook: workbook && {
        sheet: workbook.sheet,
        sheets: workbook.sheets,
        hiddenRows: workbook.hiddenRows,
        hiddenColumns: workbook.hiddenColumns,
        mergedCells: workbook.mergedCells,
      },
      delimiter,
      sepLine,
      decimal: majorityDecimal(table),
      headerRowIndex: table.headerRowIndex,
      rows: table.rowCount,
      columns: table.columns.length,
      shape,
      eventLayout: shape === 'events' ? (sampled ? 'sampled' : 'timed') : null,
      timezone: 'Europe/Berlin',
    },
    options: appliedOptions(
      options,
      classifier,
      specsUsed,
      spc.length > 0,
      computed !== null,
      workbook !== null,
      issues,
    ),
    mapping: table.columns.map((column) => ({
      source: safeText(column.header),
      canonical: column.canonical ?? null,
      unit: column.unit ?? null,
      confidence: column.canonical ? column.confidence : 0,
      origin: column.origin,
    })),
    derived: derived.list(),
    dataQuality: {
      issues: issues.list(),
      rowsUsed: table.rowCount - excluded,
      rowsExcluded: excluded,
      duplicatesRemoved: table.duplicatesRemoved,
      summaryRowsRemoved: table.summaryRowsRemoved,
      coverage: { oee: records.count > 0 ? overallAccumulator.rowsOee / records.count : null },
    },
    period: period.toJSON(),
    kpis,
    losses: {
      waterfall: kpis ? lossWaterfall(kpis.overall, overallAccumulator) : [],
      sixBigLosses: kpis ? sixBigLosses(stopLosses, overallAccumulator) : [],
    },
    downtimePareto: pareto,
    downtimeByMachine: downtimeMatrix(downtimeByReason, pareto, records.groups.machine.names),
    scrapPareto: scrapPareto(scrapByDefect),
    reliability,
    cycleTime: readCycleTimes(read, issues),
    spc,
    insights: [],
    charts: [],
  };
  // Issues found after the report was assembled (cycle times) are listed too.
  report.dataQuality.issues = issues.list();
  report.insights = insightsFor(report);
  report.charts = chartsFor(report);
  keepHiddenClasses();
  return report;
}

/**
 * A `Status` column whose values are no machine states (a booking export's Frei/Gesperrt) is not read as
 * one: it would turn the file into an event log.
 */
function ignoreNonMachineStates(
  table: Table,
  read: RowReader,
  classifier: StateClassifier,
  issues: IssueLog,
) {
  const column = table.byCanonical.get('state');
  const values = read.valuesOf('state');
  if (!column || !values || column.origin === 'user') return;
  if (holdsMachineStates(values.texts, classifier)) return;
  const examples = [...new Set(values.texts.filter((text) => text !== null))].slice(0, 3);
  column.canonical = undefined;
  column.confidence = 0;
  table.byCanonical.delete('state');
  read.forget('state');
  issues.add(
    'STATE_COLUMN_IGNORED',
    'info',
    undefined,
    `Column "${safeText(column.header)}" holds no machine states (${examples.map((text) => `"${safeText(text as string, 40)}"`).join(', ')}), so the file is not read as a state log; if they are states, name them with options.states.`,
  );
}

function detectShape(table: Table): Shape {
  const has = (field: Canonical) => table.byCanonical.has(field);
  const started = has('ts_start') || has('time_start');
  const timed = started && (has('ts_end') || has('time_end') || has('duration_min'));
  if (timed && (has('state') || has('reason'))) return 'events';
  const amounts = (['planned_min', 'run_min', 'downtime_min', 'setup_min'] as const).some(has);
  // A timestamp and a state per row, no end and no amounts of time: a sampled state log.
  if (started && has('state') && !amounts) return 'events';
  if (amounts || (['total_count', 'good_count', 'scrap_count'] as const).some(has)) return 'aggregated';
  if (has('value') || table.unmappedNumeric.length > 0) return 'measurements';
  throw new AnalysisInputError(
    'NO_USABLE_COLUMNS',
    'No column could be recognised as production counts, times, events or measurements. Check the header row (see the supported column names), or name the columns with options.mapping.',
  );
}

function unknownTotals(overall: GroupKpis): { field: string; reason: string }[] {
  return (Object.keys(TOTAL_NEEDS) as (keyof GroupKpis['totals'])[])
    .filter((field) => overall.totals[field] === null)
    .map((field) => ({ field, reason: TOTAL_NEEDS[field] }));
}

/**
 * The options that shaped this report, as applied: the mapping and units as given (a column the file
 * lacks is refused before this), the states some value matched, the specs some chart used, and the
 * rest as given. Options that matched nothing are reported, not echoed.
 */
function appliedOptions(
  options: AnalysisOptions,
  classifier: StateClassifier,
  specsUsed: ReadonlySet<string>,
  charted: boolean,
  /** The file gives KPIs (not a measurement file), so an OEE target means something. */
  withKpis: boolean,
  /** A workbook was read, so `sheet` chose its worksheet. */
  fromWorkbook: boolean,
  issues: IssueLog,
): AnalysisReport['options'] {
  const applied: AnalysisReport['options'] = {};
  const unused: string[] = [];
  const used = <T>(
    record: Record<string, T> | undefined,
    matched: (key: string) => boolean,
    what: string,
  ) => {
    if (!record) return undefined;
    for (const key of Object.keys(record)) if (!matched(key)) unused.push(`${what} "${safeText(key, 40)}"`);
    const entries = Object.entries(record).filter(([key]) => matched(key));
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  };
  if (options.mapping && Object.keys(options.mapping).length > 0) applied.mapping = options.mapping;
  if (options.units && Object.keys(options.units).length > 0) applied.units = options.units;
  const states = used(options.states, (value) => classifier.used.has(value), 'states');
  if (states) applied.states = states;
  const specs = used(options.specs, (name) => specsUsed.has(name), 'specs');
  if (specs) applied.specs = specs;
  if (options.baseline && charted) applied.baseline = options.baseline;
  else if (options.baseline) unused.push('baseline');
  if (options.microStopMinutes !== undefined) applied.microStopMinutes = options.microStopMinutes;
  if (options.sampleHoldMinutes !== undefined) applied.sampleHoldMinutes = options.sampleHoldMinutes;
  if (options.dateOrder) applied.dateOrder = options.dateOrder;
  if (options.sheet !== undefined && fromWorkbook) applied.sheet = options.sheet;
  else if (options.sheet !== undefined) unused.push('sheet (the file is no workbook)');
  if (options.targetOee !== undefined && withKpis) applied.targetOee = options.targetOee;
  else if (options.targetOee !== undefined) unused.push('targetOee');
  if (options.idealCycleSeconds && Object.keys(options.idealCycleSeconds).length > 0)
    applied.idealCycleSeconds = options.idealCycleSeconds;
  if (unused.length > 0)
    issues.add(
      'OPTION_UNUSED',
      'info',
      undefined,
      `These options matched nothing in the file and changed nothing: ${unused.slice(0, 20).join(', ')}.`,
    );
  return applied;
}

function majorityDecimal(table: Table): ',' | '.' {
  let comma = 0;
  for (const column of table.columns)
    if (column.numericShare >= 0.8) comma += column.decimal === ',' ? 1 : -1;
  return comma > 0 ? ',' : '.';
}
