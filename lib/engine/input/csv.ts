/**
 * RFC 4180 scanning with the quirks of real exports: quoted fields with doubled quotes and embedded line
 * breaks, CRLF/LF/CR line ends, a trailing line end. Hand-written because the detection around it
 * (delimiter, `sep=` line, header row) needs to run it on samples, it must be small and edge-safe, and
 * the engine reads fields as spans of the text without making a string of every cell.
 */
export type Delimiter = ';' | ',' | '\t' | '|';
export const DELIMITERS: readonly Delimiter[] = [';', ',', '\t', '|'];

/** Receives the fields of each record in order. */
export interface CsvSink {
  /** An unquoted field: `text.slice(start, end)`. */
  span(text: string, start: number, end: number): void;
  /** A quoted field with doubled quotes (or text after its closing quote), unescaped; other quoted fields come as spans. */
  quoted(value: string): void;
  /** The record is complete; answer false to stop scanning. */
  endRecord(): boolean;
}

/** Scans records from `from`; answers the offset after the last record scanned. */
export function scanCsv(text: string, delimiter: Delimiter, sink: CsvSink, from = 0): number {
  const length = text.length;
  const sep = delimiter.charCodeAt(0);
  let open = false; // a record has fields not yet ended
  let i = from;
  while (i < length) {
    open = true;
    let code = text.charCodeAt(i);
    // Padded quoting (`;  "Presse 1"  ;`): spaces before an opening quote belong to no value.
    if (code === 32 || (code === 9 && sep !== 9)) {
      let first = i + 1;
      while (first < length && (text.charCodeAt(first) === 32 || (text.charCodeAt(first) === 9 && sep !== 9)))
        first++;
      if (text.charCodeAt(first) === 34) {
        i = first;
        code = 34;
      }
    }
    if (code === 34 /* " */) {
      // Unescaped only when the field doubles a quote; otherwise it is a span of the text, like an unquoted one.
      let unescaped: string | undefined;
      const open = ++i;
      let start = open;
      let close = length;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote === -1) {
          i = length;
          break;
        }
        if (text.charCodeAt(quote + 1) === 34) {
          unescaped = (unescaped ?? '') + text.slice(start, quote + 1);
          i = start = quote + 2;
          continue;
        }
        close = quote;
        i = quote + 1;
        break;
      }
      // Anything between the closing quote and the delimiter is kept, as spreadsheets do; padding is not.
      let end = i;
      while (end < length) {
        const code = text.charCodeAt(end);
        if (code === sep || code === 10 || code === 13) break;
        end++;
      }
      const rest = end > i ? text.slice(i, end) : '';
      const padded = rest.trim() === '';
      if (unescaped === undefined && padded) sink.span(text, open, close);
      else sink.quoted((unescaped ?? '') + text.slice(start, close) + (padded ? '' : rest));
      i = end;
    } else {
      let end = i;
      while (end < length) {
        const code = text.charCodeAt(end);
        if (code === sep || code === 10 || code === 13) break;
        end++;
      }
      sink.span(text, i, end);
      i = end;
    }
    if (i >= length) break;
    code = text.charCodeAt(i);
    if (code === sep) {
      i++;
      if (i >= length) sink.span(text, i, i);
      continue;
    }
    // Line end: CRLF, LF or CR.
    i += code === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
    open = false;
    if (!sink.endRecord()) return i;
  }
  if (open) sink.endRecord();
  return i;
}

class RowCollector implements CsvSink {
  readonly rows: string[][] = [];
  #row: string[] = [];
  constructor(private readonly maxRows: number) {}
  span(text: string, start: number, end: number): void {
    this.#row.push(text.slice(start, end));
  }
  quoted(value: string): void {
    this.#row.push(value);
  }
  endRecord(): boolean {
    this.rows.push(this.#row);
    this.#row = [];
    return this.rows.length < this.maxRows;
  }
}

/** A collector whose only use is to stay alive: ../hidden-classes.ts. */
export const sampleCollector = (): object => new RowCollector(1);

/** Records as arrays of strings (at most `maxRows`). */
export function parseCsv(text: string, delimiter: Delimiter, maxRows = Number.POSITIVE_INFINITY): string[][] {
  if (maxRows <= 0) return [];
  const collector = new RowCollector(maxRows);
  scanCsv(text, delimiter, collector);
  return collector.rows;
}
