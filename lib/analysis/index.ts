import { sha256Hex } from '../crypto';
import { readAggregated } from './aggregated';
import { readCycleTimes } from './cycle-times';
import { decodeText } from './decode';
import { Derivations } from './derivations';
import { AnalysisInputError } from './errors';
import { readEvents } from './events';
import type { Canonical } from './headers';
import { chartsFor, insightsFor } from './insights';
import { IssueLog } from './issues';
import {
  computeKpis,
  downtimeMatrix,
  downtimePareto,
  KpiAccumulator,
  lossWaterfall,
  MAX_GROUPS,
  OTHER_GROUPS,
  reworkKpis,
  teep,
} from './kpis';
import { type StopLosses, sixBigLosses } from './losses';
import { readMeasurements } from './measurements';
import { Period } from './period';
import { RowReader } from './reader';
import { DowntimeByReason, ProductionRecords } from './records';
import type { AnalysisReport, Shape } from './report';
import { sniffDelimiter } from './sniff';
import type { ControlChart } from './spc';
import { buildTable, type MappingOverride, type Table } from './table';
import { safeText } from './values';

export { AnalysisInputError, type InputErrorCode } from './errors';
export { CANONICAL_FIELDS, type Canonical } from './headers';
export { insightsNarrator, type Narrator, withNarrative } from './narrative';
export type { AnalysisReport } from './report';
export type { MappingOverride } from './table';

export const ENGINE_VERSION = '1.1.0';
export const SCHEMA_VERSION = '1';
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

/**
 * A manufacturing CSV export to an explainable KPI report. Pure and deterministic: the same bytes give
 * byte-identical JSON. Throws AnalysisInputError for input that cannot be analysed at all.
 */
export async function analyzeCsv(
  bytes: Uint8Array,
  options: { fileName?: string; mapping?: MappingOverride } = {},
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
  const table = buildTable(body, delimiter, issues, options.mapping);
  const shape = detectShape(table);
  const derived = new Derivations();
  const read = new RowReader(table);

  let records = new ProductionRecords(0);
  let downtimeByReason = new DowntimeByReason();
  let reliability: AnalysisReport['reliability'] = [];
  let period = new Period();
  let spc: ControlChart[] = [];
  let stopLosses: StopLosses | null = null;
  let calendarMin: number | null = null;
  let excluded = 0;
  if (shape === 'aggregated')
    ({ records, downtimeByReason, stopLosses, period, calendarMin, excluded } = readAggregated(
      read,
      issues,
      derived,
    ));
  if (shape === 'events')
    ({ records, downtimeByReason, stopLosses, reliability, period, calendarMin, excluded } = readEvents(
      read,
      issues,
    ));
  if (shape === 'measurements') ({ spc, period } = readMeasurements(read, issues));

  const computed = shape === 'measurements' ? null : computeKpis(records);
  for (const grouping of computed?.limited ?? [])
    issues.add(
      'GROUPS_LIMITED',
      'info',
      undefined,
      `More than ${MAX_GROUPS} values of ${grouping}: the ${MAX_GROUPS} with most planned time are listed, the rest summed as "${OTHER_GROUPS}".`,
    );
  const overallAccumulator = computed?.accumulator ?? new KpiAccumulator();
  const kpis = computed
    ? {
        overall: computed.overall,
        teep: teep(computed.overall, computed.counts.machine, calendarMin),
        ...reworkKpis(computed.accumulator),
        byMachine: computed.byMachine,
        byShift: computed.byShift,
        byDay: computed.byDay,
        byPart: computed.byPart,
      }
    : null;

  const pareto = downtimePareto(downtimeByReason);
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
      rows: table.rowCount,
      columns: table.columns.length,
      shape,
      timezone: 'Europe/Berlin',
    },
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
    downtimeByMachine: downtimeMatrix(downtimeByReason, pareto),
    reliability,
    cycleTime: readCycleTimes(read),
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

function majorityDecimal(table: Table): ',' | '.' {
  let comma = 0;
  for (const column of table.columns)
    if (column.numericShare >= 0.8) comma += column.decimal === ',' ? 1 : -1;
  return comma > 0 ? ',' : '.';
}
