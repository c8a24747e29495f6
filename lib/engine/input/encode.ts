import type { IssueLog } from '../issues';
import { type CsvSink, type Delimiter, scanCsv } from './csv';
import { FNV_PRIME, grow, HASH_SEED, HashChains, mixHash, RepeatIndex } from './repeats';

/** A totals row that exports append: its label stands in the first filled cell. */
const SUMMARY_LABEL = /^(summe|gesamt|total|sum|gesamtsumme|grand total)\b/i;
/** Whether a cell starting with `first` may be white space only (control, space, or beyond Latin-1's controls). */
const mayBeBlank = (first: number): boolean => first <= 0x20 || first >= 0xa0;
/** Whether a cell starting with `first` may be such a label: s, g or t, or white space (per row, so no regex). */
const maySummarise = (first: number): boolean => {
  if (mayBeBlank(first)) return true;
  const lower = first | 0x20;
  return lower === 0x73 || lower === 0x67 || lower === 0x74;
};

/** Cells looked up before a column may turn distinct-only (see `ColumnCells`). */
const DISTINCT_CHECK_AT = 2048;
/** The share of those cells that must have been new. */
const DISTINCT_SHARE = 0.9;

/**
 * One column's distinct cells, which rows refer to by code. Exports repeat dates, shifts, machines and
 * round numbers, so a cell is looked up by a hash of its characters in the text and only a new value
 * becomes an entry. A column whose cells are mostly new (a timestamp on every row) turns distinct-only
 * once DISTINCT_CHECK_AT cells are in: each further cell is an entry of its own, kept as its span of
 * the text, without the lookup that would only miss (a random read of a table larger than the cache)
 * and without a string that would live as long as the analysis (a log's 160,000 timestamps were most
 * of what the garbage collector copied). Codes then say nothing about equality; `same` does.
 */
export class ColumnCells {
  /** Entries before the column turned distinct-only (all of them, if it never did). */
  #values: string[] = [];
  /** Distinct-only entries from code `#values.length` on: their spans of `#text`, start -1 for an unescaped quoted value. */
  #starts: Int32Array<ArrayBuffer> = new Int32Array(0);
  #ends: Int32Array<ArrayBuffer> = new Int32Array(0);
  #spans = 0;
  #text = '';
  /** Distinct-only quoted values that are no span of the text (doubled quotes), by code. */
  readonly #unescaped = new Map<number, string>();
  /** 1 where the entry trims to nothing. */
  blank: Uint8Array<ArrayBuffer> = new Uint8Array(64);
  /** Each entry's hash of its characters (the repeat index hashes rows from them). */
  hashes: Int32Array<ArrayBuffer> = new Int32Array(64);
  readonly #chains = new HashChains(64);
  #lookups = 0;
  #distinctOnly = false;

  /** `expected`: how many cells the column will likely hold, to size a distinct-only column's arrays once. */
  constructor(private readonly expected = 0) {}

  /**
   * A column the byte-level encoder read (./wasm): its values, then (if it turned distinct-only) the rest
   * of its entries as spans of `text`, and every entry's hash and blank mark. It takes no more lookups.
   */
  static encoded(
    text: string,
    values: string[],
    starts: Int32Array<ArrayBuffer>,
    ends: Int32Array<ArrayBuffer>,
    hashes: Int32Array<ArrayBuffer>,
    blank: Uint8Array<ArrayBuffer>,
  ): ColumnCells {
    const cells = new ColumnCells();
    cells.#values = values;
    cells.#text = text;
    cells.#starts = starts;
    cells.#ends = ends;
    cells.#spans = starts.length;
    cells.#distinctOnly = starts.length > 0;
    cells.hashes = hashes;
    cells.blank = blank;
    return cells;
  }

  get length(): number {
    return this.#values.length + this.#spans;
  }

  at(code: number): string {
    const fixed = this.#values.length;
    if (code < fixed) return this.#values[code] as string;
    const start = this.#starts[code - fixed] as number;
    if (start === -1) return this.#unescaped.get(code) as string;
    return this.#text.slice(start, this.#ends[code - fixed]);
  }

  map<T>(read: (cell: string, code: number) => T): T[] {
    const out = new Array<T>(this.length);
    for (let code = 0; code < out.length; code++) out[code] = read(this.at(code), code);
    return out;
  }

  /** Whether two entries hold the same text (in a distinct-only column, equal cells have codes of their own). */
  same(a: number, b: number): boolean {
    if (a === b) return true;
    const fixed = this.#values.length;
    if (a < fixed && b < fixed) return false;
    return this.at(a) === this.at(b);
  }

  /** The entry's first UTF-16 unit; -1 for an empty one. */
  firstCharCode(code: number): number {
    const fixed = this.#values.length;
    if (code >= fixed) {
      const start = this.#starts[code - fixed] as number;
      if (start !== -1) return start === this.#ends[code - fixed] ? -1 : this.#text.charCodeAt(start);
    }
    const value = this.#string(code);
    return value.length === 0 ? -1 : value.charCodeAt(0);
  }

  /** `read` applied to the entry where it is (a text and the entry's bounds in it): a span makes no string. */
  read<T>(code: number, read: (text: string, start: number, end: number) => T): T {
    const fixed = this.#values.length;
    if (code >= fixed) {
      const start = this.#starts[code - fixed] as number;
      if (start !== -1) return read(this.#text, start, this.#ends[code - fixed] as number);
    }
    const value = this.#string(code);
    return read(value, 0, value.length);
  }

  /** An entry kept as a string: one from before the column turned distinct-only, or an unescaped quoted one. */
  #string(code: number): string {
    return (code < this.#values.length ? this.#values[code] : this.#unescaped.get(code)) as string;
  }

  codeOfSpan(text: string, start: number, end: number): number {
    let hash = HASH_SEED;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
    if (this.#distinctOnly) {
      this.#text = text;
      return this.#appendSpan(start, end, hash, start === end || isBlankSpan(text, start, end));
    }
    this.#countLookup();
    const slot = this.#chains.slotOf(hash);
    const length = end - start;
    for (let code = this.#chains.first(slot); code !== -1; code = this.#chains.next(code)) {
      const value = this.#values[code] as string;
      if (value.length === length && text.startsWith(value, start)) return code;
    }
    return this.#add(text.slice(start, end), hash, slot);
  }

  codeOf(value: string): number {
    let hash = HASH_SEED;
    for (let i = 0; i < value.length; i++) hash = Math.imul(hash ^ value.charCodeAt(i), FNV_PRIME);
    if (this.#distinctOnly) {
      if (value === '') return this.#appendSpan(0, 0, hash, true);
      const code = this.#appendSpan(-1, -1, hash, isBlank(value));
      this.#unescaped.set(code, value);
      return code;
    }
    this.#countLookup();
    const slot = this.#chains.slotOf(hash);
    for (let code = this.#chains.first(slot); code !== -1; code = this.#chains.next(code))
      if (this.#values[code] === value) return code;
    return this.#add(value, hash, slot);
  }

  #add(value: string, hash: number, slot: number): number {
    const code = this.#values.length;
    this.#values.push(value);
    this.#note(code, hash, isBlank(value));
    this.#chains.insert(slot, hash, code);
    return code;
  }

  /** At the DISTINCT_CHECK_AT-th lookup: did nearly every one find nothing (timestamps, ids, not counts)? */
  #countLookup(): void {
    if (++this.#lookups !== DISTINCT_CHECK_AT) return;
    this.#distinctOnly = this.#values.length >= DISTINCT_CHECK_AT * DISTINCT_SHARE;
    // Room for the rest at once: doubling from here allocated twice what the column ends up holding.
    if (this.#distinctOnly && this.expected > this.hashes.length) {
      this.#starts = new Int32Array(this.expected - this.#values.length);
      this.#ends = new Int32Array(this.#starts.length);
      this.#resize(this.expected);
    }
  }

  #appendSpan(start: number, end: number, hash: number, blank: boolean): number {
    const code = this.length;
    const index = this.#spans++;
    if (index >= this.#starts.length) {
      this.#starts = grow(this.#starts, index + 1);
      this.#ends = grow(this.#ends, index + 1);
    }
    this.#starts[index] = start;
    this.#ends[index] = end;
    this.#note(code, hash, blank);
    return code;
  }

  #note(code: number, hash: number, blank: boolean): void {
    if (code >= this.hashes.length) this.#resize(Math.max(code + 1, this.hashes.length * 2));
    this.hashes[code] = hash;
    this.blank[code] = blank ? 1 : 0;
  }

  /** Room for `size` entries' hashes and blank marks. */
  #resize(size: number): void {
    const hashes = new Int32Array(size);
    hashes.set(this.hashes.subarray(0, Math.min(size, this.hashes.length)));
    this.hashes = hashes;
    const blank = new Uint8Array(size);
    blank.set(this.blank.subarray(0, Math.min(size, this.blank.length)));
    this.blank = blank;
  }
}

/** Only a cell starting with white space can trim to nothing. */
const isBlank = (value: string): boolean =>
  value.length === 0 || (mayBeBlank(value.charCodeAt(0)) && value.trim() === '');
const isBlankSpan = (text: string, start: number, end: number): boolean =>
  mayBeBlank(text.charCodeAt(start)) && text.slice(start, end).trim() === '';

export type RowIssue = { code: string; severity: 'info' | 'warning'; detail?: string };

/** Where the data records start, how wide the header is, and how many filled rows may come. */
export type RowOptions = {
  from: number;
  firstRecord: number;
  width: number;
  maxFilled: number;
  /** How many rows to make room for (the arrays grow past it). */
  expectedRows: number;
};

/** The issues the row rules log, in the order the byte-level encoder (./wasm) counts them. */
export const ROW_ISSUES = {
  summary: { code: 'SUMMARY_ROW_REMOVED', severity: 'info' },
  duplicate: { code: 'DUPLICATE_ROW_REMOVED', severity: 'info' },
  shortByOne: {
    code: 'ROW_SHORT_BY_ONE',
    severity: 'info',
    detail: 'data rows one field shorter than the header were read with the last field empty',
  },
  trailingDelimiter: {
    code: 'TRAILING_DELIMITER',
    severity: 'info',
    detail: 'data rows end with an extra delimiter; the empty last field was dropped',
  },
  widthMismatch: { code: 'ROW_WIDTH_MISMATCH', severity: 'warning' },
} as const satisfies Record<string, RowIssue>;

export type EncodedRows = {
  /** Per column: the distinct cells, and each kept row's code into them. */
  cells: ColumnCells[];
  codes: Int32Array[];
  /** Each kept row's 1-based record number in the file. */
  lines: Int32Array;
  rowCount: number;
  /** Records with at least one non-blank cell, kept or not. */
  filled: number;
  widest: number;
  /** Rows of another width than the header's, but for the two tolerated below. */
  mismatched: number;
  /** Rows one field short (the "missing last empty field" export): padded. */
  shortByOne: number;
  /** Rows one field long whose last field is empty (a trailing delimiter): the empty field dropped. */
  trailingDelimiter: number;
  /** How many filled rows had each field count (at most 20 counts kept). */
  widths: Map<number, number>;
  /** Record numbers of the first rows whose width differs from the header's (tolerated ones aside). */
  firstMismatched: number[];
  duplicatesRemoved: number;
  summaryRowsRemoved: number;
};

/**
 * Reads the data records after the header straight into column codes: blank records skipped, short
 * records padded, summary rows and exact duplicates removed (each reported with its record number).
 */
export function encodeRows(
  text: string,
  delimiter: Delimiter,
  options: RowOptions,
  issues: IssueLog,
): EncodedRows {
  const encoder = new RowEncoder(
    options.width,
    options.firstRecord,
    options.maxFilled,
    issues,
    Math.max(1, options.expectedRows),
  );
  scanCsv(text, delimiter, encoder, options.from);
  return encoder.result();
}

/** A one-column encoder (with its dictionary and repeat index) whose only use is to stay alive: ../hidden-classes.ts. */
export const sampleEncoder = (issues: IssueLog): object => new RowEncoder(1, 0, 1, issues, 1);

class RowEncoder implements CsvSink {
  readonly #cells: ColumnCells[];
  #codes: Int32Array<ArrayBuffer>[];
  #lines: Int32Array<ArrayBuffer>;
  readonly #repeats: RepeatIndex;
  #record: number;
  #cell = 0;
  #extraFilled = false;
  #rowCount = 0;
  #filled = 0;
  #widest = 0;
  #mismatched = 0;
  #shortByOne = 0;
  #trailingDelimiter = 0;
  readonly #widths = new Map<number, number>();
  readonly #firstMismatched: number[] = [];
  #duplicatesRemoved = 0;
  #summaryRowsRemoved = 0;

  constructor(
    private readonly width: number,
    firstRecord: number,
    private readonly maxFilled: number,
    private readonly issues: IssueLog,
    expectedRows: number,
  ) {
    this.#cells = Array.from({ length: width }, () => new ColumnCells(expectedRows));
    const capacity = Math.max(1024, expectedRows);
    this.#codes = Array.from({ length: width }, () => new Int32Array(capacity));
    this.#lines = new Int32Array(capacity);
    this.#record = firstRecord;
    this.#repeats = new RepeatIndex(expectedRows);
  }

  span(text: string, start: number, end: number): void {
    const cell = this.#cell++;
    if (cell < this.width) {
      (this.#codes[cell] as Int32Array)[this.#rowCount] = (this.#cells[cell] as ColumnCells).codeOfSpan(
        text,
        start,
        end,
      );
    } else if (!this.#extraFilled && text.slice(start, end).trim() !== '') this.#extraFilled = true;
  }

  quoted(value: string): void {
    const cell = this.#cell++;
    if (cell < this.width) {
      (this.#codes[cell] as Int32Array)[this.#rowCount] = (this.#cells[cell] as ColumnCells).codeOf(value);
    } else if (!this.#extraFilled && value.trim() !== '') this.#extraFilled = true;
  }

  endRecord(): boolean {
    const row = this.#rowCount;
    const cells = this.#cell;
    const line = ++this.#record;
    this.#cell = 0;
    for (let c = cells; c < this.width; c++)
      (this.#codes[c] as Int32Array)[row] = (this.#cells[c] as ColumnCells).codeOf('');
    const extraFilled = this.#extraFilled;
    let blank = !extraFilled;
    this.#extraFilled = false;
    for (let c = 0; c < this.width && blank; c++)
      blank = (this.#cells[c] as ColumnCells).blank[(this.#codes[c] as Int32Array)[row] as number] === 1;
    if (blank) return true;
    if (++this.#filled > this.maxFilled) return false;
    if (cells > this.#widest) this.#widest = cells;
    if (this.#widths.size < 20 || this.#widths.has(cells))
      this.#widths.set(cells, (this.#widths.get(cells) ?? 0) + 1);
    if (cells !== this.width) this.#differentWidth(cells, !extraFilled, line);
    let hash = HASH_SEED;
    // The first filled cell, which a totals row's label would be.
    let first = -1;
    let firstChar = -1;
    for (let c = 0; c < this.width; c++) {
      const code = (this.#codes[c] as Int32Array)[row] as number;
      const cells = this.#cells[c] as ColumnCells;
      hash = mixHash(hash, cells.hashes[code] as number);
      if (first === -1) {
        firstChar = cells.firstCharCode(code);
        if (firstChar !== -1) first = c;
      }
    }
    if (first !== -1 && maySummarise(firstChar) && this.#summaryLabel(first, row)) {
      this.#summaryRowsRemoved++;
      this.#note(ROW_ISSUES.summary, line);
      return true;
    }
    // A repeated row stays unnumbered and is overwritten by the next one.
    if (this.#repeats.seen(row, hash, this.#sameRow)) {
      this.#duplicatesRemoved++;
      this.#note(ROW_ISSUES.duplicate, line);
      return true;
    }
    if (row + 1 >= this.#lines.length) {
      this.#lines = grow(this.#lines, row + 2);
      this.#codes = this.#codes.map((codes) => grow(codes, row + 2));
    }
    this.#lines[row] = line;
    this.#rowCount++;
    return true;
  }

  #summaryLabel(column: number, row: number): boolean {
    const cells = this.#cells[column] as ColumnCells;
    return SUMMARY_LABEL.test(cells.at((this.#codes[column] as Int32Array)[row] as number).trim());
  }

  /** One field short, or one long with the extra field empty, is read as is; other widths are reported. */
  #differentWidth(cells: number, extraEmpty: boolean, line: number): void {
    if (cells === this.width - 1 && this.width > 2) {
      this.#shortByOne++;
      this.#note(ROW_ISSUES.shortByOne, line);
    } else if (cells === this.width + 1 && extraEmpty) {
      this.#trailingDelimiter++;
      this.#note(ROW_ISSUES.trailingDelimiter, line);
    } else {
      this.#mismatched++;
      if (this.#firstMismatched.length < 5) this.#firstMismatched.push(line);
      this.#note(ROW_ISSUES.widthMismatch, line);
    }
  }

  #note(issue: RowIssue, line: number): void {
    this.issues.add(issue.code, issue.severity, line, issue.detail);
  }

  /** Equal cells in every column (by text: a distinct-only column gives equal cells their own codes). */
  readonly #sameRow = (a: number, b: number): boolean => {
    for (let c = 0; c < this.width; c++) {
      const codes = this.#codes[c] as Int32Array;
      const x = codes[a] as number;
      const y = codes[b] as number;
      if (x !== y && !(this.#cells[c] as ColumnCells).same(x, y)) return false;
    }
    return true;
  };

  result(): EncodedRows {
    const rowCount = this.#rowCount;
    return {
      cells: this.#cells,
      codes: this.#codes.map((codes) => codes.subarray(0, rowCount)),
      lines: this.#lines.subarray(0, rowCount),
      rowCount,
      filled: this.#filled,
      widest: this.#widest,
      mismatched: this.#mismatched,
      shortByOne: this.#shortByOne,
      trailingDelimiter: this.#trailingDelimiter,
      widths: this.#widths,
      firstMismatched: this.#firstMismatched,
      duplicatesRemoved: this.#duplicatesRemoved,
      summaryRowsRemoved: this.#summaryRowsRemoved,
    };
  }
}
