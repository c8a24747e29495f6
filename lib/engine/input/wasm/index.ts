import type { IssueLog } from '../../issues';
import type { Delimiter } from '../csv';
import { ColumnCells, type EncodedRows, ROW_ISSUES } from '../encode';
// Compiled by the platform (Vercel's edge runtime compiles no WebAssembly from bytes at run time);
// the dev runner, vitest and the workerd bundles each load it the same way (see README "WebAssembly").
import encodeRowsModule from './encode-rows.wasm?module';

type Exports = {
  memory: WebAssembly.Memory;
  reserveInput(length: number): number;
  setup(width: number, rows: number, cells: number): void;
  encode(
    from: number,
    length: number,
    u16From: number,
    sep: number,
    firstRecord: number,
    maxFilled: number,
  ): number;
  statsAt(): number;
  codesAt(): number;
  rowCapacity(): number;
  linesAt(): number;
  entriesAt(): number;
  issueRowsAt(): number;
  issueCountsAt(): number;
  widthsAt(): number;
  mismatchedLinesAt(): number;
};

/** Above this many bytes of row codes expected (a wide header over many lines) the JS encoder reads the file. */
const MAX_CODE_BYTES = 64 * 1024 * 1024;
/** Entries to make room for at first (8 MB; more are made room for as they come). */
const MAX_FIRST_ENTRIES = 1 << 18;
/** The issue kinds in the module's order. */
const KINDS = [
  ROW_ISSUES.summary,
  ROW_ISSUES.duplicate,
  ROW_ISSUES.shortByOne,
  ROW_ISSUES.trailingDelimiter,
  ROW_ISSUES.widthMismatch,
];
const ENTRY_INTS = 8;

/**
 * One instance, kept between runs while its memory is small: a fresh one's memory is pages the kernel
 * faults in on every run (a 4 MB export's run touches about 20 MB). Runs are synchronous, so never share it.
 */
let kept: Exports | undefined;
const KEEP_BYTES = 32 * 1024 * 1024;
const instance = (): Exports =>
  kept ?? (new WebAssembly.Instance(encodeRowsModule, {}).exports as unknown as Exports);
const release = (module: Exports): void => {
  kept = module.memory.buffer.byteLength <= KEEP_BYTES ? module : undefined;
};

/** The text as UTF-8: `bytes` decode to exactly the text, `from` is the byte offset of its `options.from`. */
export type Utf8Text = { bytes: Uint8Array; from: number };

/**
 * `encodeRows` over the text's UTF-8 bytes, with the same result; undefined where it does not apply (a
 * quote after the header: quoted fields stay with the JS scanner), and then nothing is logged.
 */
export function encodeUtf8Rows(
  utf8: Utf8Text,
  text: string,
  delimiter: Delimiter,
  options: {
    from: number;
    firstRecord: number;
    width: number;
    maxFilled: number;
    /** How many rows to make room for (the regions grow past it). */
    expectedRows: number;
  },
  issues: IssueLog,
): EncodedRows | undefined {
  const { width } = options;
  if (width === 0 || width * options.expectedRows * 4 > MAX_CODE_BYTES) return undefined;
  if (text.indexOf('"', options.from) !== -1) return undefined;
  const module = instance();
  const length = utf8.bytes.length;
  const input = module.reserveInput(length);
  new Uint8Array(module.memory.buffer, input, length).set(utf8.bytes);
  const from = input + utf8.from;
  const end = input + length;
  const rows = Math.min(options.expectedRows, options.maxFilled) + 1;
  module.setup(width, rows, Math.min(rows * width, MAX_FIRST_ENTRIES));
  const rowCount = module.encode(
    from,
    end,
    options.from,
    delimiter.charCodeAt(0),
    options.firstRecord,
    options.maxFilled,
  );
  // Views only now: the run may have grown the memory, which detaches earlier ones.
  const buffer = module.memory.buffer;
  const ints = (at: number, count: number) => new Int32Array(buffer, at, count);
  const [, filled, widest, widthCount, mismatched, entryCount] = ints(
    module.statsAt(),
    6,
  ) as unknown as number[];
  const capacity = module.rowCapacity();
  const codesAt = module.codesAt();
  const codes = Array.from({ length: width }, (_, column) =>
    ints(codesAt + column * capacity * 4, rowCount).slice(),
  );
  const widthPairs = ints(module.widthsAt(), 2 * (widthCount as number));
  const widths = new Map<number, number>();
  for (let k = 0; k < widthPairs.length; k += 2)
    widths.set(widthPairs[k] as number, widthPairs[k + 1] as number);
  const counts = ints(module.issueCountsAt(), KINDS.length);
  const issueRows = ints(module.issueRowsAt(), KINDS.length * 20);
  KINDS.forEach((kind, k) => {
    const count = counts[k] as number;
    issues.addMany(
      kind.code,
      kind.severity,
      count,
      issueRows.subarray(k * 20, k * 20 + Math.min(20, count)),
      'detail' in kind ? kind.detail : undefined,
    );
  });
  const cells = columnCells(text, ints(module.entriesAt(), (entryCount as number) * ENTRY_INTS), width);
  const lines = ints(module.linesAt(), rowCount).slice();
  const firstMismatched = [...ints(module.mismatchedLinesAt(), Math.min(5, mismatched as number))];
  release(module);
  return {
    cells,
    codes,
    lines,
    rowCount,
    filled: filled as number,
    widest: widest as number,
    mismatched: mismatched as number,
    shortByOne: counts[2] as number,
    trailingDelimiter: counts[3] as number,
    widths,
    firstMismatched,
    duplicatesRemoved: counts[1] as number,
    summaryRowsRemoved: counts[0] as number,
  };
}

/** Each column's entries, in the order the module made them (its codes): strings, then spans of the text. */
function columnCells(text: string, entries: Int32Array, width: number): ColumnCells[] {
  const sizes = new Int32Array(width);
  const spans = new Int32Array(width);
  for (let at = 0; at < entries.length; at += ENTRY_INTS) {
    const column = entries[at + 1] as number;
    sizes[column] = (sizes[column] as number) + 1;
    if ((entries[at + 6] as number) & 2) spans[column] = (spans[column] as number) + 1;
  }
  const values = Array.from({ length: width }, (): string[] => []);
  const starts = Array.from({ length: width }, (_, column) => new Int32Array(spans[column] as number));
  const ends = Array.from({ length: width }, (_, column) => new Int32Array(spans[column] as number));
  const hashes = Array.from({ length: width }, (_, column) => new Int32Array(sizes[column] as number));
  const blank = Array.from({ length: width }, (_, column) => new Uint8Array(sizes[column] as number));
  for (let at = 0; at < entries.length; at += ENTRY_INTS) {
    const column = entries[at + 1] as number;
    const code = entries[at + 7] as number;
    const start = entries[at + 4] as number;
    const end = start + (entries[at + 5] as number);
    const flags = entries[at + 6] as number;
    (hashes[column] as Int32Array)[code] = entries[at] as number;
    (blank[column] as Uint8Array)[code] = flags & 1;
    // A column's entries come in code order, its strings before its spans.
    const fixed = (sizes[column] as number) - (spans[column] as number);
    if (code < fixed) (values[column] as string[]).push(text.slice(start, end));
    else {
      (starts[column] as Int32Array)[code - fixed] = start;
      (ends[column] as Int32Array)[code - fixed] = end;
    }
  }
  return Array.from({ length: width }, (_, column) =>
    ColumnCells.encoded(
      text,
      values[column] as string[],
      starts[column] as Int32Array<ArrayBuffer>,
      ends[column] as Int32Array<ArrayBuffer>,
      hashes[column] as Int32Array<ArrayBuffer>,
      blank[column] as Uint8Array<ArrayBuffer>,
    ),
  );
}
