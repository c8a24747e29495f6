import { type Delimiter, parseCsv } from './csv';
import { AnalysisInputError } from './errors';
import { type Canonical, cleanHeaders, findHeaderRow, matchHeader, splitUnit, type Unit } from './headers';
import { RowSet } from './row-set';
import {
  berlinDay,
  type DateOrder,
  type DecimalStyle,
  detectDateOrder,
  detectDecimal,
  isMissing,
  parseClockMinutes,
  parseNumber,
  parseTime,
  safeText,
} from './values';

/** A totals row that exports append: its label stands in the first filled cell. */
const SUMMARY_LABEL = /^(summe|gesamt|total|sum|gesamtsumme|grand total)\b/i;

export const LIMITS = { maxColumns: 300, maxRows: 250_000 } as const;

export type Issue = {
  code: string;
  severity: 'error' | 'warning' | 'info';
  count: number;
  rows: number[];
  detail?: string;
};

/** Collects data-quality issues by code, keeping the first row numbers as evidence. */
export class IssueLog {
  readonly #issues = new Map<string, Issue>();
  add(code: string, severity: Issue['severity'], row?: number, detail?: string): void {
    let issue = this.#issues.get(code);
    if (!issue) {
      issue = { code, severity, count: 0, rows: [], ...(detail ? { detail } : {}) };
      this.#issues.set(code, issue);
    }
    issue.count++;
    if (row !== undefined && issue.rows.length < 20) issue.rows.push(row);
  }
  list(): Issue[] {
    return [...this.#issues.values()].sort((a, b) => a.code.localeCompare(b.code));
  }
}

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
};

export type Table = {
  delimiter: Delimiter;
  headerRowIndex: number;
  columns: Column[];
  /** Data rows with their 1-based line number in the file. */
  rows: { line: number; cells: string[] }[];
  byCanonical: Map<Canonical, Column>;
  /** Numeric columns no synonym claimed: candidate characteristics or downtime reasons. */
  unmappedNumeric: Column[];
  summaryRowsRemoved: number;
  duplicatesRemoved: number;
  preambleRows: number;
};

export function buildTable(body: string, delimiter: Delimiter, issues: IssueLog): Table {
  const all = parseCsv(body, delimiter);
  const nonEmpty: { line: number; cells: string[] }[] = [];
  let width = 0;
  for (let index = 0; index < all.length; index++) {
    const cells = all[index] as string[];
    if (!cells.some((cell) => cell !== '' && cell.trim() !== '')) continue;
    nonEmpty.push({ line: index + 1, cells });
    if (cells.length > width) width = cells.length;
  }
  if (nonEmpty.length > LIMITS.maxRows + 30) {
    throw new AnalysisInputError(
      'TOO_MANY_ROWS',
      `The file has more than ${LIMITS.maxRows} rows; split it by period.`,
    );
  }
  if (width > LIMITS.maxColumns) {
    throw new AnalysisInputError(
      'TOO_MANY_COLUMNS',
      `The file has ${width} columns; at most ${LIMITS.maxColumns} are analysed. Export fewer columns.`,
    );
  }
  if (nonEmpty.length < 2 || width < 2) {
    throw new AnalysisInputError(
      'NOT_TABULAR',
      'No table found: expected a header row and at least one data row with two or more columns.',
    );
  }

  const headerAt = findHeaderRow(nonEmpty.slice(0, 31).map(({ cells }) => cells));
  const headerCells = cleanHeaders((nonEmpty[headerAt] as { cells: string[] }).cells);
  const dataWidth = headerCells.length;
  let mismatched = 0;
  const seen = new RowSet();
  let duplicatesRemoved = 0;
  let summaryRowsRemoved = 0;
  const rows: Table['rows'] = [];
  for (const row of nonEmpty.slice(headerAt + 1)) {
    if (row.cells.length !== dataWidth) {
      mismatched++;
      issues.add('ROW_WIDTH_MISMATCH', 'warning', row.line);
    }
    const cells =
      row.cells.length === dataWidth
        ? row.cells
        : Array.from({ length: dataWidth }, (_, i) => row.cells[i] ?? '');
    const first = cells.find((cell) => cell !== '');
    if (first !== undefined && SUMMARY_LABEL.test(first.trim())) {
      summaryRowsRemoved++;
      issues.add('SUMMARY_ROW_REMOVED', 'info', row.line);
      continue;
    }
    if (!seen.add(cells)) {
      duplicatesRemoved++;
      issues.add('DUPLICATE_ROW_REMOVED', 'info', row.line);
      continue;
    }
    rows.push({ line: row.line, cells });
  }
  if (rows.length === 0 || mismatched > rows.length * 0.3) {
    throw new AnalysisInputError(
      'NOT_TABULAR',
      'The rows do not line up under one header row; export a plain table (one header row, one record per row).',
    );
  }

  const fallbackDecimal: DecimalStyle = delimiter === ';' ? ',' : '.';
  const sample = rows.length > 500 ? rows.filter((_, i) => i % Math.ceil(rows.length / 500) === 0) : rows;
  const columns: Column[] = headerCells.map((header, index) => {
    const cells = sample.map((row) => row.cells[index] ?? '').filter((cell) => !isMissing(cell));
    const decimal = detectDecimal(cells, fallbackDecimal);
    const { order } = detectDateOrder(cells);
    const numericShare = share(
      cells,
      (cell) => parseNumber(cell, decimal) !== null || parseClockMinutes(cell) !== null,
    );
    const timeShare = share(cells, (cell) => parseTime(cell, order) !== null);
    const match = matchHeader(header);
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
    };
  });

  // Values must fit the type the header suggests; the best-fitting column wins each canonical field.
  const byCanonical = new Map<Canonical, Column>();
  for (const column of columns) {
    let canonical = column.canonical;
    if (!canonical) continue;
    let fit = 1;
    if (NUMERIC.has(canonical)) fit = column.numericShare >= 0.8 ? column.numericShare : 0;
    if (TEMPORAL.has(canonical)) {
      fit = column.timeShare >= 0.8 ? column.timeShare : 0;
      if (fit > 0 && canonical !== 'date' && clockOnly(sample, column))
        canonical = canonical === 'ts_start' ? 'time_start' : 'time_end';
    }
    column.canonical = fit > 0 ? canonical : undefined;
    column.confidence = Math.round(column.confidence * fit * 100) / 100;
    if (!column.canonical) continue;
    const current = byCanonical.get(column.canonical);
    if (!current || column.confidence > current.confidence) {
      if (current) current.canonical = undefined;
      byCanonical.set(column.canonical, column);
    } else column.canonical = undefined;
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
    (column) => !column.canonical && column.numericShare >= 0.8 && column.timeShare < 0.8,
  );
  return {
    delimiter,
    headerRowIndex: headerAt,
    columns,
    rows,
    byCanonical,
    unmappedNumeric,
    summaryRowsRemoved,
    duplicatesRemoved,
    preambleRows: headerAt,
  };
}

function share(cells: string[], test: (cell: string) => boolean): number {
  if (cells.length === 0) return 0;
  let hits = 0;
  for (const cell of cells) if (test(cell)) hits++;
  return hits / cells.length;
}

function clockOnly(sample: Table['rows'], column: Column): boolean {
  for (const row of sample) {
    const parsed = parseTime(row.cells[column.index] ?? '', column.dateOrder);
    if (parsed && parsed.kind === 'instant') return false;
  }
  return true;
}

const CACHE_LIMIT = 50_000;

/** Memoises a pure per-cell parse: exports repeat dates, shifts, machines and round numbers a lot. */
function memo<T>(parse: (cell: string) => T): (cell: string) => T {
  const cache = new Map<string, T>();
  return (cell) => {
    const hit = cache.get(cell);
    if (hit !== undefined || cache.has(cell)) return hit as T;
    const value = parse(cell);
    if (cache.size < CACHE_LIMIT) cache.set(cell, value);
    return value;
  };
}

type Accessors = {
  number: (cells: string[]) => number | null;
  time: (cells: string[]) => ReturnType<typeof parseTime>;
  text: (cells: string[]) => string | null;
  day: (cells: string[]) => string | null;
};
const ABSENT: Accessors = { number: () => null, time: () => null, text: () => null, day: () => null };

/** Typed reads of one row by canonical field: accessors bound to their column, each with a parse cache. */
export class RowReader {
  readonly #accessors: Partial<Record<Canonical, Accessors>> = {};

  constructor(private readonly table: Table) {
    for (const [field, column] of table.byCanonical) {
      const index = column.index;
      const number = memo((cell) => readNumber(cell, column, field));
      const time = memo((cell) => parseTime(cell, column.dateOrder));
      const text = memo((cell) => {
        const trimmed = cell.trim();
        return isMissing(trimmed) ? null : trimmed;
      });
      const day = memo((cell) => {
        const parsed = time(cell);
        return parsed?.kind === 'instant' ? berlinDay(parsed.ms) : null;
      });
      this.#accessors[field] = {
        number: (cells) => number(cells[index] ?? ''),
        time: (cells) => time(cells[index] ?? ''),
        text: (cells) => text(cells[index] ?? ''),
        day: (cells) => day(cells[index] ?? ''),
      };
    }
  }
  has(field: Canonical): boolean {
    return this.table.byCanonical.has(field);
  }
  text(cells: string[], field: Canonical): string | null {
    return (this.#accessors[field] ?? ABSENT).text(cells);
  }
  /** A number in the column's unit; durations in minutes; cycle times in seconds. */
  number(cells: string[], field: Canonical): number | null {
    return (this.#accessors[field] ?? ABSENT).number(cells);
  }
  /** The Berlin calendar day of a date or timestamp cell. */
  day(cells: string[], field: Canonical): string | null {
    return (this.#accessors[field] ?? ABSENT).day(cells);
  }
  time(cells: string[], field: Canonical) {
    return (this.#accessors[field] ?? ABSENT).time(cells);
  }
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
