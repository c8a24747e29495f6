import { type CsvSink, type Delimiter, scanCsv } from './csv';
import { encodeRows } from './encode';
import { AnalysisInputError } from './errors';
import {
  type Canonical,
  cleanHeaders,
  findHeaderRow,
  matchHeader,
  normaliseHeader,
  splitUnit,
  type Unit,
} from './headers';
import type { IssueLog } from './issues';
import {
  type DateOrder,
  type DecimalStyle,
  detectDateOrder,
  detectDecimal,
  isMissing,
  parseClockMinutes,
  parseExcelSerial,
  parseNumber,
  parseTime,
  safeText,
} from './values';

const SLASH_DATE = /^\d{1,2}\/\d{1,2}\/\d{2,4}/;

/** Preambles (title, export metadata) are at most this many records above the header. */
const HEADER_SEARCH_ROWS = 31;

export const LIMITS = { maxColumns: 300, maxRows: 250_000 } as const;

const NUMERIC: ReadonlySet<Canonical> = new Set([
  'total_count',
  'good_count',
  'scrap_count',
  'rework_count',
  'planned_min',
  'run_min',
  'downtime_min',
  'duration_min',
  'ideal_ct_s',
  'ideal_rate',
  'cycle_s',
  'target_qty',
  'value',
  'lsl',
  'usl',
]);
const TEMPORAL: ReadonlySet<Canonical> = new Set(['ts_start', 'ts_end', 'date']);
/** Personal data: never analysed, never echoed. */
const PERSONAL: ReadonlySet<Canonical> = new Set(['operator']);

export type Column = {
  index: number;
  header: string;
  canonical: Canonical | undefined;
  confidence: number;
  unit: Unit;
  decimal: DecimalStyle;
  dateOrder: DateOrder;
  numericShare: number;
  timeShare: number;
  /** Sampled times are all clock times (no date): start/end columns hold times of day. */
  clockOnly: boolean;
  /** Where the mapping came from: the synonym table, or the user. */
  origin: 'detected' | 'user';
  /** Dates and times are Excel serial numbers (the header names a date or time). */
  excelSerial: boolean;
  /** Slash dates with no part above 12: read as day/month, which nothing in the column confirms. */
  dateAmbiguous: boolean;
  /** The column's distinct cells, first seen first; `codes[row]` indexes it. */
  dictionary: string[];
  codes: Int32Array;
};

export type Table = {
  delimiter: Delimiter;
  headerRowIndex: number;
  columns: Column[];
  /** Data rows, stored column-wise (dictionary codes); `lines[row]` is the row's 1-based line in the file. */
  rowCount: number;
  lines: Int32Array;
  byCanonical: Map<Canonical, Column>;
  /** Numeric columns no synonym claimed: candidate characteristics or downtime reasons. */
  unmappedNumeric: Column[];
  summaryRowsRemoved: number;
  duplicatesRemoved: number;
  preambleRows: number;
};

/** The user's mapping: source header to canonical field, or null to leave a column out. */
export type MappingOverride = Readonly<Record<string, Canonical | null>>;

export function buildTable(
  body: string,
  delimiter: Delimiter,
  issues: IssueLog,
  override: MappingOverride = {},
): Table {
  // The header is looked for among the first filled records; the data after it is read column-wise.
  const leading: { cells: string[]; line: number; end: number }[] = [];
  let offset = 0;
  let line = 0;
  while (offset < body.length && leading.length < HEADER_SEARCH_ROWS) {
    const record = new RecordCollector();
    offset = scanCsv(body, delimiter, record, offset);
    line++;
    if (!isBlank(record.cells)) leading.push({ cells: record.cells, line, end: offset });
  }
  const headerAt = findHeaderRow(leading.map((record) => record.cells));
  const header = leading[headerAt];
  let widest = Math.max(0, ...leading.map((record) => record.cells.length));
  if (widest > LIMITS.maxColumns) throw tooWide(widest);
  const headerCells = cleanHeaders(header?.cells ?? []);
  const encoded = encodeRows(
    body,
    delimiter,
    {
      from: header?.end ?? body.length,
      firstRecord: header?.line ?? 0,
      width: headerCells.length,
      maxFilled: LIMITS.maxRows + 31 - (headerAt + 1),
    },
    issues,
  );
  const filled = header ? headerAt + 1 + encoded.filled : 0;
  widest = Math.max(widest, encoded.widest);
  if (filled > LIMITS.maxRows + 30) {
    throw new AnalysisInputError(
      'TOO_MANY_ROWS',
      `The file has more than ${LIMITS.maxRows} rows; split it by period.`,
    );
  }
  if (widest > LIMITS.maxColumns) throw tooWide(widest);
  if (filled < 2 || widest < 2) {
    throw new AnalysisInputError(
      'NOT_TABULAR',
      'No table found: expected a header row and at least one data row with two or more columns.',
    );
  }
  const { rowCount } = encoded;
  if (rowCount === 0 || encoded.mismatched > rowCount * 0.3) {
    throw new AnalysisInputError(
      'NOT_TABULAR',
      'The rows do not line up under one header row; export a plain table (one header row, one record per row).',
    );
  }

  const fallbackDecimal: DecimalStyle = delimiter === ';' ? ',' : '.';
  const step = Math.max(1, Math.ceil(rowCount / 500));
  const sample: number[] = [];
  for (let row = 0; row < rowCount; row += rowCount > 500 ? step : 1) sample.push(row);
  const columns: Column[] = headerCells.map((header, index) => {
    const dictionary = encoded.dictionaries[index] as string[];
    const columnCodes = encoded.codes[index] as Int32Array;
    const cells = sample
      .map((row) => dictionary[columnCodes[row] as number] as string)
      .filter((cell) => !isMissing(cell));
    const decimal = detectDecimal(cells, fallbackDecimal);
    const { order, ambiguous } = detectDateOrder(cells);
    const numericShare = share(
      cells,
      (cell) => parseNumber(cell, decimal) !== null || parseClockMinutes(cell) !== null,
    );
    const match = matchHeader(header);
    let times = cells.map((cell) => parseTime(cell, order));
    let timeShare = share(times, (time) => time !== null);
    let excelSerial = false;
    if (match && TEMPORAL.has(match.canonical) && timeShare < 0.8 && numericShare >= 0.8) {
      const serials = cells.map((cell) => parseExcelSerial(cell, decimal));
      const serialShare = share(serials, (time) => time !== null);
      if (serialShare >= 0.8) [times, timeShare, excelSerial] = [serials, serialShare, true];
    }
    return {
      index,
      header,
      canonical: match?.canonical,
      confidence: match?.score ?? 0,
      unit: splitUnit(header).unit,
      decimal,
      dateOrder: order,
      numericShare,
      timeShare,
      clockOnly: !times.some((time) => time?.kind === 'instant'),
      origin: 'detected' as const,
      excelSerial,
      dateAmbiguous: ambiguous && cells.some((cell) => SLASH_DATE.test(cell.trim())),
      dictionary,
      codes: columnCodes,
    };
  });

  const byCanonical = new Map<Canonical, Column>();
  // The user's mapping comes first and is taken as given (its values are not checked against the type).
  for (const [source, field] of Object.entries(override)) {
    const column = findColumn(columns, source);
    if (!column) {
      throw new AnalysisInputError(
        'MAPPING_UNKNOWN_COLUMN',
        `The mapping names a column "${safeText(source, 80)}" that the file does not have. Its columns: ${columns.map((c) => `"${safeText(c.header, 80)}"`).join(', ')}.`,
      );
    }
    column.origin = 'user';
    column.confidence = 1;
    column.canonical = field === null ? undefined : clockOnlyField(field, column);
    if (!column.canonical) continue;
    if (byCanonical.has(column.canonical)) {
      throw new AnalysisInputError(
        'MAPPING_CONFLICT',
        `The mapping gives two columns the field "${column.canonical}"; each field takes one column.`,
      );
    }
    byCanonical.set(column.canonical, column);
  }
  // Values must fit the type the header suggests; the best-fitting column wins each canonical field.
  for (const column of columns) {
    if (column.origin === 'user') continue;
    let canonical = column.canonical;
    if (!canonical) continue;
    let fit = 1;
    if (NUMERIC.has(canonical)) fit = column.numericShare >= 0.8 ? column.numericShare : 0;
    if (TEMPORAL.has(canonical)) {
      fit = column.timeShare >= 0.8 ? column.timeShare : 0;
      if (fit > 0) canonical = clockOnlyField(canonical, column);
    }
    column.canonical = fit > 0 ? canonical : undefined;
    column.confidence = Math.round(column.confidence * fit * 100) / 100;
    if (!column.canonical) continue;
    const current = byCanonical.get(column.canonical);
    if (current?.origin === 'user') column.canonical = undefined;
    else if (!current || column.confidence > current.confidence) {
      if (current) current.canonical = undefined;
      byCanonical.set(column.canonical, column);
    } else column.canonical = undefined;
  }
  for (const column of byCanonical.values()) {
    if (
      !TEMPORAL.has(column.canonical as Canonical) &&
      column.canonical !== 'time_start' &&
      column.canonical !== 'time_end'
    )
      continue;
    const name = safeText(column.header);
    if (column.dateAmbiguous)
      issues.add(
        'DATE_AMBIGUOUS',
        'warning',
        undefined,
        `Column "${name}": no value settles day/month versus month/day; read as day/month.`,
      );
    if (column.excelSerial)
      issues.add(
        'EXCEL_SERIAL_DATES',
        'info',
        undefined,
        `Column "${name}" holds Excel serial dates (1900 date system), read as Berlin time.`,
      );
  }
  for (const field of PERSONAL) {
    const column = byCanonical.get(field);
    if (column)
      issues.add(
        'PERSONAL_DATA_DROPPED',
        'info',
        undefined,
        `Column "${safeText(column.header)}" holds personal data; it was not analysed.`,
      );
  }
  const unmappedNumeric = columns.filter(
    (column) =>
      !column.canonical && column.origin !== 'user' && column.numericShare >= 0.8 && column.timeShare < 0.8,
  );
  return {
    delimiter,
    headerRowIndex: headerAt,
    columns,
    rowCount,
    lines: encoded.lines,
    byCanonical,
    unmappedNumeric,
    summaryRowsRemoved: encoded.summaryRowsRemoved,
    duplicatesRemoved: encoded.duplicatesRemoved,
    preambleRows: headerAt,
  };
}

/** A header as written, else the same header normalised (case, umlauts, punctuation). */
function findColumn(columns: Column[], source: string): Column | undefined {
  const exact = columns.find((column) => column.header === source.trim());
  if (exact) return exact;
  const key = normaliseHeader(source);
  return key ? columns.find((column) => normaliseHeader(column.header) === key) : undefined;
}

/** Start and end columns that hold clock times only are times of day (joined to the date column). */
function clockOnlyField(field: Canonical, column: Column): Canonical {
  if (!column.clockOnly) return field;
  return field === 'ts_start' ? 'time_start' : field === 'ts_end' ? 'time_end' : field;
}

/** The cell of `column` in data row `row`. */
export const cellAt = (column: Column, row: number): string =>
  column.dictionary[column.codes[row] as number] as string;

const tooWide = (width: number) =>
  new AnalysisInputError(
    'TOO_MANY_COLUMNS',
    `The file has ${width} columns; at most ${LIMITS.maxColumns} are analysed. Export fewer columns.`,
  );

/** Collects one record's cells and stops. */
class RecordCollector implements CsvSink {
  readonly cells: string[] = [];
  span(text: string, start: number, end: number): void {
    this.cells.push(text.slice(start, end));
  }
  quoted(value: string): void {
    this.cells.push(value);
  }
  endRecord(): boolean {
    return false;
  }
}

function isBlank(cells: string[]): boolean {
  for (const cell of cells) if (cell !== '' && cell.trim() !== '') return false;
  return true;
}

function share<T>(cells: T[], test: (cell: T) => boolean): number {
  if (cells.length === 0) return 0;
  let hits = 0;
  for (const cell of cells) if (test(cell)) hits++;
  return hits / cells.length;
}

const TO_MINUTES: Partial<Record<Exclude<Unit, undefined>, number>> = {
  min: 1,
  s: 1 / 60,
  h: 60,
  ms: 1 / 60_000,
};
const TO_SECONDS: Partial<Record<Exclude<Unit, undefined>, number>> = {
  s: 1,
  min: 60,
  h: 3600,
  ms: 1 / 1000,
};

export function readNumber(cell: string, column: Column, field?: Canonical): number | null {
  const clockMinutes = parseClockMinutes(cell);
  const minutesField =
    field === 'planned_min' || field === 'run_min' || field === 'downtime_min' || field === 'duration_min';
  const secondsField = field === 'ideal_ct_s' || field === 'cycle_s';
  if (clockMinutes !== null) return secondsField ? clockMinutes * 60 : clockMinutes;
  const parsed = parseNumber(cell, column.decimal);
  if (!parsed) return null;
  if (minutesField) return parsed.value * (TO_MINUTES[column.unit ?? 'min'] ?? 1);
  if (secondsField) return parsed.value * (TO_SECONDS[column.unit ?? 's'] ?? 1);
  return parsed.value;
}
