/**
 * RFC 4180 parsing with the quirks of real exports: quoted fields with doubled quotes and embedded line
 * breaks, CRLF/LF/CR line ends, a trailing line end. Hand-written because the detection around it
 * (delimiter, `sep=` line, header row) needs to run it on samples, and it must be small and edge-safe.
 */
export type Delimiter = ';' | ',' | '\t' | '|';
export const DELIMITERS: readonly Delimiter[] = [';', ',', '\t', '|'];

export function parseCsv(text: string, delimiter: Delimiter, maxRows = Number.POSITIVE_INFINITY): string[][] {
  const rows: string[][] = [];
  const length = text.length;
  const sep = delimiter.charCodeAt(0);
  let row: string[] = [];
  let i = 0;
  while (i < length && rows.length < maxRows) {
    let field: string;
    if (text.charCodeAt(i) === 34 /* " */) {
      let value = '';
      let start = ++i;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote === -1) {
          value += text.slice(start);
          i = length;
          break;
        }
        if (text.charCodeAt(quote + 1) === 34) {
          value += text.slice(start, quote + 1);
          i = start = quote + 2;
          continue;
        }
        value += text.slice(start, quote);
        i = quote + 1;
        break;
      }
      // Anything between the closing quote and the delimiter is kept, as spreadsheets do.
      let end = i;
      while (end < length) {
        const code = text.charCodeAt(end);
        if (code === sep || code === 10 || code === 13) break;
        end++;
      }
      field = end > i ? value + text.slice(i, end) : value;
      i = end;
    } else {
      let end = i;
      while (end < length) {
        const code = text.charCodeAt(end);
        if (code === sep || code === 10 || code === 13) break;
        end++;
      }
      field = text.slice(i, end);
      i = end;
    }
    row.push(field);
    if (i >= length) break;
    const code = text.charCodeAt(i);
    if (code === sep) {
      i++;
      if (i >= length) row.push('');
      continue;
    }
    // Line end: CRLF, LF or CR.
    i += code === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
    rows.push(row);
    row = [];
  }
  if (row.length > 0) rows.push(row);
  return rows;
}
