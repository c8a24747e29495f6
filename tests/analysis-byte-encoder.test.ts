import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeCsv } from '../lib/engine';
import { type Delimiter, parseCsv, scanCsv } from '../lib/engine/input/csv';
import { decodeText, utf8Length } from '../lib/engine/input/decode';
import { type EncodedRows, encodeRows } from '../lib/engine/input/encode';
import { sniffDelimiter } from '../lib/engine/input/sniff';
import { encodeUtf8Rows } from '../lib/engine/input/wasm';
import { IssueLog } from '../lib/engine/issues';
import { PROJECT_ROOT } from '../tools/paths';
import { generateEventLogCsv, generateProductionCsv } from '../tools/test-support/production-csv';

// The WebAssembly encoder (lib/engine/input/wasm) replaces `encodeRows` for UTF-8 files with no quote
// after the header. It must give the same rows, entries, codes and issues in every case, so each case
// here runs both and compares everything `EncodedRows` carries.

const plain = (encoded: EncodedRows, issues: IssueLog) => ({
  rowCount: encoded.rowCount,
  filled: encoded.filled,
  widest: encoded.widest,
  mismatched: encoded.mismatched,
  shortByOne: encoded.shortByOne,
  trailingDelimiter: encoded.trailingDelimiter,
  widths: [...encoded.widths],
  firstMismatched: encoded.firstMismatched,
  duplicatesRemoved: encoded.duplicatesRemoved,
  summaryRowsRemoved: encoded.summaryRowsRemoved,
  lines: [...encoded.lines],
  columns: encoded.cells.map((cells, column) => ({
    entries: cells.map((value) => value),
    blank: [...cells.blank.subarray(0, cells.length)],
    firstChars: cells.map((_, code) => cells.firstCharCode(code)),
    spans: cells.map((_, code) => cells.read(code, (text, start, end) => text.slice(start, end))),
    codes: [...(encoded.codes[column] as Int32Array)],
  })),
  issues: issues.list(),
});

/** Both encoders on `text`, its first record the header, as `buildTable` calls them. */
function encodeBoth(text: string, delimiter: Delimiter, maxFilled = 250_000) {
  const from = scanCsv(text, delimiter, { span() {}, quoted() {}, endRecord: () => false });
  const width = parseCsv(text, delimiter, 1)[0]?.length ?? 0;
  // A small row estimate, so both grow their regions as they go.
  const options = { from, firstRecord: 1, width, maxFilled, expectedRows: 16 };
  const jsIssues = new IssueLog();
  const js = plain(encodeRows(text, delimiter, options, jsIssues), jsIssues);
  const bytes = new TextEncoder().encode(text);
  const wasmIssues = new IssueLog();
  const encoded = encodeUtf8Rows(
    { bytes, from: utf8Length(text, from) },
    text,
    delimiter,
    options,
    wasmIssues,
  );
  return { js, wasm: encoded && plain(encoded, wasmIssues), from };
}

const fixtures = [
  ...readdirSync(join(PROJECT_ROOT, 'tests/fixtures/analysis')).map((name) => `analysis/${name}`),
  ...readdirSync(join(PROJECT_ROOT, 'tests/fixtures/realdata'))
    .filter((name) => name.endsWith('.csv'))
    .map((name) => `realdata/${name}`),
];

/** The same text as UTF-16 LE with a BOM: the JS encoder reads it (no UTF-8 bytes to hand to the module). */
function utf16(text: string): Uint8Array {
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes[2 + 2 * i] = unit & 0xff;
    bytes[3 + 2 * i] = unit >> 8;
  }
  return bytes;
}

/** A report without what names the bytes themselves (size, hash, encoding). */
const reportBody = (report: Awaited<ReturnType<typeof analyzeCsv>>) => {
  const { bytes, sha256, encoding, ...input } = report.input;
  return { ...report, input };
};

describe('the WebAssembly row encoder', () => {
  it('is built from its source: the committed encode-rows.wasm is what `npm run build:wasm` makes', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'wasm-')), 'encode-rows.wasm');
    const build = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')).scripts[
      'build:wasm'
    ] as string;
    const args = build
      .replace(/^asc /, '')
      .replace(/-o \S+$/, `-o ${out}`)
      .split(' ');
    await promisify(execFile)(
      process.execPath,
      [join(PROJECT_ROOT, 'node_modules/assemblyscript/bin/asc.js'), ...args],
      {
        cwd: PROJECT_ROOT,
      },
    );
    const committed = readFileSync(join(PROJECT_ROOT, 'lib/engine/input/wasm/encode-rows.wasm'));
    expect(readFileSync(out).equals(committed)).toBe(true);
  });

  const read = (fixture: string) =>
    decodeText(new Uint8Array(readFileSync(join(PROJECT_ROOT, 'tests/fixtures', fixture))));

  it.each(fixtures)('reads %s as encodeRows does (or leaves a quoted file to it)', (fixture) => {
    const { text } = read(fixture);
    const { delimiter, body } = sniffDelimiter(text);
    const { js, wasm, from } = encodeBoth(body, delimiter);
    if (body.indexOf('"', from) !== -1) expect(wasm).toBeUndefined();
    else expect(wasm).toEqual(js);
  });

  // The fixtures in UTF-8 (german-bde.csv is Windows-1252, which only the JS encoder reads).
  const utf8Fixtures = fixtures.filter((fixture) => read(fixture).utf8);

  it.each(utf8Fixtures)('gives %s the same report as the JS encoder, byte for byte', async (fixture) => {
    const { text, utf8: bytes = new Uint8Array() } = read(fixture);
    const [viaBytes, viaText] = await Promise.all([analyzeCsv(bytes), analyzeCsv(utf16(text))]);
    expect(viaText.input.encoding).toBe('utf-16le');
    expect(JSON.stringify(reportBody(viaBytes))).toBe(JSON.stringify(reportBody(viaText)));
  });

  it('agrees on generated 4 MB exports and state logs, with their reports', async () => {
    for (const text of [generateProductionCsv(4_000_000), generateEventLogCsv(4_000_000)]) {
      const { delimiter, body } = sniffDelimiter(text);
      const { js, wasm } = encodeBoth(body, delimiter);
      expect(wasm).toBeDefined();
      expect(wasm).toEqual(js);
    }
    // Half the size for the reports: as UTF-16 the text takes twice the bytes the upload limit counts.
    for (const text of [generateProductionCsv(2_000_000), generateEventLogCsv(2_000_000)]) {
      const report = await analyzeCsv(new TextEncoder().encode(text));
      expect(JSON.stringify(reportBody(report))).toBe(
        JSON.stringify(reportBody(await analyzeCsv(utf16(text)))),
      );
    }
  });

  // Cells chosen for the rules: blank (ASCII and Unicode white space), totals labels and near misses,
  // characters of two, three and four bytes (the UTF-16 offsets), numbers that repeat.
  const cell = fc.oneof(
    fc.constantFrom(
      'A',
      'B',
      '',
      ' ',
      '\u00a0',
      ' \u3000',
      '\u0085',
      'Summe',
      ' GESAMT',
      '\tTotal 3',
      'Summen',
      'sum_1',
      'Sum-2',
      'grand total',
      'Grand  total',
      '\u00a0Summe',
      'ſumme',
      'Säge',
      'Störung 🙂',
      '𝔸',
      '7',
      '07',
      '7,5',
    ),
    fc.integer({ min: 0, max: 40 }).map(String),
  );
  const lineEnd = fc.constantFrom('\n', '\r\n', '\r');

  it('agrees on generated files: widths, blank and totals rows, repeats, line ends, non-ASCII text', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Delimiter>(';', ',', '\t', '|'),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.array(cell, { minLength: 0, maxLength: 7 }), { minLength: 0, maxLength: 40 }),
        fc.array(lineEnd, { minLength: 41, maxLength: 41 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 45 }),
        (delimiter, width, rows, ends, finalEnd, maxFilled) => {
          const header = Array.from({ length: width }, (_, i) => `h${i}`).join(delimiter);
          // Some rows twice, to be found as repeats.
          const records = [header, ...rows.flatMap((row, i) => (i % 5 === 3 ? [row, row] : [row]))].map(
            (row) => (typeof row === 'string' ? row : row.join(delimiter)),
          );
          const text = records
            .map((record, i) => record + (i < records.length - 1 || finalEnd ? ends[i % 41] : ''))
            .join('');
          const { js, wasm } = encodeBoth(text, delimiter, maxFilled);
          expect(wasm).toEqual(js);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('agrees past a column turning distinct-only, at the threshold either way, with padding and repeats', () => {
    const rows = ['id;at;turns;stays;label'];
    for (let i = 0; i < 6000; i++) {
      // 1,844 new values in the first 2,047 lookups turn a column distinct-only; 1,843 do not.
      const turns = i < 1844 ? `t${i}` : i < 2047 ? 't0' : `t${i % 3000}`;
      const stays = i < 1843 ? `s${i}` : i < 2047 ? 's0' : `s${i}`;
      const at = `2026-11-03 06:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
      const label = i % 7 === 0 ? 'Störung' : i % 11 === 0 ? '' : 'Lauf';
      if (i % 500 === 499) rows.push(rows[rows.length - 1] as string); // a repeat of the row before
      if (i % 13 === 0)
        rows.push(`${i % 100};${at};${turns};${stays}`); // one short: padded
      else rows.push(`${i % 100};${at};${turns};${stays};${label}`);
    }
    rows.push('Summe;;;;', ';;;;', '');
    const { js, wasm } = encodeBoth(rows.join('\n'), ';');
    expect(wasm).toBeDefined();
    expect(wasm).toEqual(js);
    // Distinct-only columns hold an entry per cell; the one below the threshold holds its distinct values.
    // (read with lookups they would hold 3,600 and 3,000).
    expect(js.columns[1]?.entries.length).toBeGreaterThan(5000);
    expect(js.columns[2]?.entries.length).toBeGreaterThan(5000);
    expect(js.columns[3]?.entries.length).toBe(1843 + (6000 - 2047) + 1); // and the totals row's empty cell
  });

  it('leaves a file with a quote after its header to the JS encoder, and logs nothing', () => {
    const issues = new IssueLog();
    const text = 'a;b\n1;2\n"3";4\n';
    const from = 'a;b\n'.length;
    const bytes = new TextEncoder().encode(text);
    expect(
      encodeUtf8Rows(
        { bytes, from },
        text,
        ';',
        { from, firstRecord: 1, width: 2, maxFilled: 10, expectedRows: 16 },
        issues,
      ),
    ).toBeUndefined();
    expect(issues.list()).toEqual([]);
    // A quoted header alone does not stop it.
    expect(encodeBoth('"a";"b"\n1;2\n1;2\n', ';').wasm?.duplicatesRemoved).toBe(1);
  });

  it('reads UTF-8 with a BOM, a second BOM and a sep= line as the JS encoder does', async () => {
    const text =
      '\ufeffsep=;\nZeit;Maschine;Stückzahl\n2026-11-03 06:00;Säge 1;5\n2026-11-03 07:00;Säge 1;7\n';
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    const report = await analyzeCsv(bytes);
    expect(report.input.encoding).toBe('utf-8-bom');
    expect(report.input.rows).toBe(2);
    expect(JSON.stringify(reportBody(report))).toBe(
      JSON.stringify(reportBody(await analyzeCsv(utf16(text)))),
    );
  });
});
