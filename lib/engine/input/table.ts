import { AnalysisInputError } from '../errors';
import type { IssueLog } from '../issues';
import { type CsvSink, type Delimiter, scanCsv } from './csv';
import { utf8Length } from './decode';
import { type ColumnCells, encodeRows } from './encode';
import { type Canonical, isNumericKind, isTemporalKind, kindOf } from './fields';
import {
  cleanHeaders,
  findHeaderRow,
  type HeaderMatch,
  headerCandidates,
  headerWords,
  normaliseHeader,
  type Unit,
} from './headers';
import type { MappingOverride } from './options';
import {
  type DateOrder,
  type DecimalStyle,
  detectDateOrder,
  detectDecimal,
  isMissing,
  parseClockMinutes,
  parseEpoch,
  parseExcelSerial,
  parseNumber,
  parseTime,
  safeText,
} from './values';
import { encodeUtf8Rows } from './wasm';

const SLASH_DATE = /^\d{1,2}\/\d{1,2}\/\d{2,4}/;

/** Preambles (title, export metadata) are at most this many records above the header. */
const HEADER_SEARCH_ROWS = 31;

export const LIMITS = { maxColumns: 300, maxRows: 250_000 } as const;

/** How a time column's cells are read: as written, as Excel serial days, or as Unix epoch numbers. */
export type TimeSource = 'text' | 'excel' | 'epoch';

export type Column = {
  index: number;
  header: string;
  canonical: Canonical | undefined;
  confidence: number;
  unit: Unit;
  decimal: DecimalStyle;
  dateOrder: DateOrder;
  numericShare: number;
  /** Share of numeric cells that are not whole numbers (labels and codes have none). */
  fractionalShare: number;
  timeShare: number;
  /** Mean length of the sampled cells: of two equally named label columns, the one that says more wins. */
  meanLength: number;
  /** Sampled times are all clock times (no date): start/end columns hold times of day. */
  clockOnly: boolean;
  /** Where the mapping came from: the field registry, or the user. */
  origin: 'detected' | 'user';
  timeSource: TimeSource;
  /** Slash dates with no part above 12: read as day/month, which nothing in the column confirms. */
  dateAmbiguous: boolean;
  /**
   * The column's cells, first seen first; `codes[row]` indexes it. Distinct, but in a column that turned
   * distinct-only while it was read (a timestamp per row): there later cells each have their own entry.
   */
  dictionary: ColumnCells;
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
  /** Numeric columns no field claimed: candidate characteristics or downtime reasons. */
  unmappedNumeric: Column[];
  summaryRowsRemoved: number;
  duplicatesRemoved: number;
  preambleRows: number;
};

export type TableOptions = {
  mapping?: MappingOverride;
  units?: Readonly<Record<string, 's' | 'min' | 'h'>>;
  /** `options.dateOrder`: how slash dates are read when no value settles it. */
  dateOrder?: DateOrder;
  /** The body's UTF-8 bytes, where the file was valid UTF-8: its rows are then encoded over them (./wasm). */
  utf8?: Uint8Array;
};

export function buildTable(
  body: string,
  delimiter: Delimiter,
  issues: IssueLog,
  { mapping: override = {}, units = {}, dateOrder: givenDateOrder, utf8 }: TableOptions = {},
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
  const from = header?.end ?? body.length;
  const rows = {
    from,
    firstRecord: header?.line ?? 0,
    width: headerCells.length,
    maxFilled: LIMITS.maxRows + 31 - (headerAt + 1),
    expectedRows: expectedRows(
      body.length - from,
      leading.slice(headerAt + 1),
      header?.end ?? 0,
      headerCells.length,
    ),
  };
  const encoded =
    (utf8 && encodeUtf8Rows({ bytes: utf8, from: utf8Length(body, from) }, body, delimiter, rows, issues)) ??
    encodeRows(body, delimiter, rows, issues);
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
    const counts = [...encoded.widths.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, 5)
      .map(([width, rows]) => `${width} (${rows} row${rows === 1 ? '' : 's'})`)
      .join(', ');
    throw new AnalysisInputError(
      'NOT_TABULAR',
      `The rows do not line up under one header row: the header (line ${header?.line ?? 1}) has ${headerCells.length} fields, the data rows have ${counts || 'none'}${
        encoded.firstMismatched.length > 0
          ? `; the first rows that differ are at lines ${encoded.firstMismatched.join(', ')}`
          : ''
      }. Export a plain table (one header row, one record per row, the same fields in every row).`,
    );
  }

  const fallbackDecimal: DecimalStyle = delimiter === ';' ? ',' : '.';
  const step = Math.max(1, Math.ceil(rowCount / 500));
  const sample: number[] = [];
  for (let row = 0; row < rowCount; row += rowCount > 500 ? step : 1) sample.push(row);
  const candidates = new Map<Column, HeaderMatch[]>();
  const columns: Column[] = headerCells.map((header, index) => {
    const dictionary = encoded.cells[index] as ColumnCells;
    const columnCodes = encoded.codes[index] as Int32Array;
    const cells = sample
      .map((row) => dictionary.at(columnCodes[row] as number))
      .filter((cell) => !isMissing(cell));
    const decimal = detectDecimal(cells, fallbackDecimal);
    const detected = detectDateOrder(cells);
    const order = detected.ambiguous && givenDateOrder ? givenDateOrder : detected.order;
    const ambiguous = detected.ambiguous && !givenDateOrder;
    const numbers = cells.map((cell) => parseNumber(cell, decimal)?.value ?? parseClockMinutes(cell));
    const numericShare = share(numbers, (value) => value !== null);
    const fractional = numbers.filter((value) => value !== null && !Number.isInteger(value)).length;
    const matches = headerCandidates(header);
    let times = cells.map((cell) => parseTime(cell, order));
    let timeShare = share(times, (time) => time !== null);
    let timeSource: TimeSource = 'text';
    // Numbers under a header that names a time: Excel serial days, or Unix epoch seconds/milliseconds.
    if (
      matches.some((match) => isTemporalKind(kindOf(match.canonical))) &&
      timeShare < 0.8 &&
      numericShare >= 0.8
    ) {
      for (const [source, read] of [
        ['excel', parseExcelSerial],
        ['epoch', parseEpoch],
      ] as const) {
        const parsed = cells.map((cell) => read(cell, decimal));
        const parsedShare = share(parsed, (time) => time !== null);
        if (parsedShare >= 0.8) {
          [times, timeShare, timeSource] = [parsed, parsedShare, source];
          break;
        }
      }
    }
    const column: Column = {
      index,
      header,
      canonical: undefined,
      confidence: 0,
      unit: headerWords(header).unit,
      decimal,
      dateOrder: order,
      numericShare,
      fractionalShare: numericShare > 0 ? fractional / Math.max(1, cells.length * numericShare) : 0,
      timeShare,
      meanLength:
        cells.length > 0 ? cells.reduce((sum, cell) => sum + cell.trim().length, 0) / cells.length : 0,
      clockOnly: !times.some((time) => time?.kind === 'instant'),
      origin: 'detected',
      timeSource,
      dateAmbiguous: ambiguous && cells.some((cell) => SLASH_DATE.test(cell.trim())),
      dictionary,
      codes: columnCodes,
    };
    candidates.set(column, matches);
    return column;
  });

  const byCanonical = new Map<Canonical, Column>();
  // The user's mapping comes first and is taken as given (its values are not checked against the type).
  for (const [source, entry] of Object.entries(override)) {
    const column = namedColumn(columns, source, 'mapping');
    const field = (entry !== null && typeof entry === 'object' ? entry.field : entry) as Canonical | null;
    column.origin = 'user';
    column.confidence = 1;
    if (entry !== null && typeof entry === 'object' && entry.unit) column.unit = entry.unit;
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
  for (const [source, unit] of Object.entries(units)) namedColumn(columns, source, 'units').unit = unit;

  // Each column's candidate fields whose kind its values fit, scored by header coverage x fit; assigned
  // best score first, so the order of the columns never changes the mapping. Ties go to the column whose
  // cells say more (`Fehlerart-Bez.` over `Fehlerart`), then by header text.
  const offers: { column: Column; field: Canonical; score: number }[] = [];
  for (const column of columns) {
    if (column.origin === 'user') continue;
    for (const match of candidates.get(column) ?? []) {
      const fit = valueFit(column, match.canonical);
      if (fit > 0)
        offers.push({
          column,
          field: clockOnlyField(match.canonical, column),
          score: Math.round(match.score * fit * 100) / 100,
        });
    }
  }
  offers.sort(
    (a, b) =>
      b.score - a.score ||
      b.column.meanLength - a.column.meanLength ||
      (a.column.header < b.column.header ? -1 : a.column.header > b.column.header ? 1 : 0),
  );
  for (const { column, field, score } of offers) {
    if (column.canonical || byCanonical.has(field)) continue;
    column.canonical = field;
    column.confidence = score;
    byCanonical.set(field, column);
  }

  for (const column of byCanonical.values()) {
    if (kindOf(column.canonical as Canonical) !== 'instant' && column.canonical !== 'date') continue;
    const name = safeText(column.header);
    if (column.dateAmbiguous)
      issues.add(
        'DATE_AMBIGUOUS',
        'warning',
        undefined,
        `Column "${name}": no value settles day/month versus month/day; read as day/month.`,
      );
    if (column.timeSource === 'excel')
      issues.add(
        'EXCEL_SERIAL_DATES',
        'info',
        undefined,
        `Column "${name}" holds Excel serial dates (1900 date system), read as Berlin time.`,
      );
    if (column.timeSource === 'epoch')
      issues.add(
        'EPOCH_TIMES',
        'info',
        undefined,
        `Column "${name}" holds Unix epoch times (seconds or milliseconds since 1970, UTC).`,
      );
  }
  // A header that names a time whose cells mostly do not parse: say so, rather than lose the period.
  for (const column of columns) {
    if (column.canonical || column.origin === 'user') continue;
    const named = (candidates.get(column) ?? []).find((match) => isTemporalKind(kindOf(match.canonical)));
    if (named && named.score >= 0.9 && column.timeShare < 0.8)
      reportUnparsedTimes(issues, column, `it was not used as ${named.canonical}`);
  }
  for (const column of byCanonical.values()) {
    if (kindOf(column.canonical as Canonical) === 'personal')
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

/**
 * How well a column's values fit a field's kind (0: not at all): counts, durations and measurements
 * are numbers; times parse; labels and codes are text or whole numbers, never fractions.
 */
function valueFit(column: Column, field: Canonical): number {
  const kind = kindOf(field);
  if (isNumericKind(kind)) return column.numericShare >= 0.8 ? column.numericShare : 0;
  if (isTemporalKind(kind)) return column.timeShare >= 0.8 ? column.timeShare : 0;
  if (kind === 'label') return column.numericShare >= 0.8 && column.fractionalShare >= 0.2 ? 0 : 1;
  if (kind === 'code') return column.numericShare >= 0.8 && column.fractionalShare > 0 ? 0 : 1;
  return 1;
}

/**
 * TIME_UNPARSEABLE for the cells of a time column that parse as no time, with counts and samples.
 * `unparsed(code)` says whether the column's distinct cell `code` failed; `use`, what became of the column.
 */
export function reportUnparsedTimes(
  issues: IssueLog,
  column: Column,
  use: string,
  unparsed: (code: number) => boolean = (code) =>
    parseTime(column.dictionary.at(code), column.dateOrder) === null,
): void {
  const failed = new Uint8Array(column.dictionary.length);
  const samples: string[] = [];
  let distinct = 0;
  for (let code = 0; code < column.dictionary.length; code++) {
    if (!unparsed(code)) continue; // first: most cells parsed, and a lookup makes no string
    const cell = column.dictionary.at(code);
    if (isMissing(cell)) continue;
    failed[code] = 1;
    distinct++;
    if (samples.length < 3) samples.push(`"${safeText(cell.trim(), 40)}"`);
  }
  if (distinct === 0) return;
  let rows = 0;
  for (const code of column.codes) rows += failed[code] as number;
  if (rows === 0) return; // only in rows left out (a totals row)
  issues.add(
    'TIME_UNPARSEABLE',
    'warning',
    undefined,
    `Column "${safeText(column.header)}": ${rows} of ${column.codes.length} cells are no date or time the engine reads (for example ${samples.join(', ')}); ${use}. Write ISO 8601 (2026-11-03 06:00:00) or DD.MM.YYYY HH:MM, or map the column to null.`,
  );
}

/** A column by its header as written, else by the same header normalised; an unknown one is an error. */
function namedColumn(columns: Column[], source: string, option: string): Column {
  const exact = columns.find((column) => column.header === source.trim());
  if (exact) return exact;
  const key = normaliseHeader(source);
  const column = key ? columns.find((candidate) => normaliseHeader(candidate.header) === key) : undefined;
  if (column) return column;
  throw new AnalysisInputError(
    'MAPPING_UNKNOWN_COLUMN',
    `The ${option} names a column "${safeText(source, 80)}" that the file does not have. Its columns: ${columns.map((c) => `"${safeText(c.header, 80)}"`).join(', ')}.`,
  );
}

/** Start and end columns that hold clock times only are times of day (joined to the date column). */
function clockOnlyField(field: Canonical, column: Column): Canonical {
  if (!column.clockOnly) return field;
  return field === 'ts_start' ? 'time_start' : field === 'ts_end' ? 'time_end' : field;
}

/** The cell of `column` in data row `row`. */
export const cellAt = (column: Column, row: number): string =>
  column.dictionary.at(column.codes[row] as number);

const tooWide = (width: number) =>
  new AnalysisInputError(
    'TOO_MANY_COLUMNS',
    `The file has ${width} columns; at most ${LIMITS.maxColumns} are analysed. Export fewer columns.`,
  );

/** A record collector whose only use is to stay alive: ../hidden-classes.ts. */
export const sampleRecordCollector = (): object => new RecordCollector();

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

/**
 * How many records the rest of the file likely holds, from the length of the records read after the
 * header (a tenth to spare), else about 6 bytes a cell. Row-sized arrays are allocated for this
 * many: a guess too high costs memory each run, one too low a copy.
 */
function expectedRows(
  rest: number,
  sampled: { end: number }[],
  /** Where the header ends, so where the first sampled record starts. */
  after: number,
  width: number,
): number {
  const last = sampled.at(-1);
  if (!last || sampled.length < 5) return Math.ceil(rest / (6 * Math.max(1, width)));
  return Math.ceil((1.1 * rest * sampled.length) / Math.max(1, last.end - after)) + 64;
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

/** A cell as a number of `field`'s kind: durations in minutes or seconds by the column's unit. */
export function readNumber(cell: string, column: Column, field?: Canonical): number | null {
  const kind = field ? kindOf(field) : undefined;
  const clockMinutes = parseClockMinutes(cell);
  if (clockMinutes !== null) return kind === 'seconds' ? clockMinutes * 60 : clockMinutes;
  const parsed = parseNumber(cell, column.decimal);
  if (!parsed) return null;
  if (kind === 'minutes') return parsed.value * (TO_MINUTES[column.unit ?? 'min'] ?? 1);
  if (kind === 'seconds') return parsed.value * (TO_SECONDS[column.unit ?? 's'] ?? 1);
  return parsed.value;
}
