import type { IssueLog } from '../../issues';
import type { Delimiter } from '../csv';
import { ColumnCells, type EncodedRows, ROW_ISSUES } from '../encode';
// Compiled by the platform (Vercel's edge runtime compiles no WebAssembly from bytes at run time);
// the dev runner, vitest and the workerd bundles load it alike (tools/wasm, tools/edge/bundle.ts).
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
  entryColumnsAt(): number;
  entryHashesAt(): number;
  entryStartsAt(): number;
  entryEndsAt(): number;
  entryBlanksAt(): number;
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

/**
 * One instance, kept between runs while its memory is small: a fresh one's memory is pages the kernel
 * faults in on every run (a 4 MB export's run grows it to about 16 MB). Runs are synchronous, so two never
 * use it at once; a run that throws leaves none kept.
 */
let kept: Exports | undefined;
const KEEP_BYTES = 32 * 1024 * 1024;
const instance = (): Exports => {
  const module = kept ?? (new WebAssembly.Instance(encodeRowsModule, {}).exports as unknown as Exports);
  kept = undefined;
  return module;
};
const release = (module: Exports): void => {
  kept = module.memory.buffer.byteLength <= KEEP_BYTES ? module : undefined;
};

/** The text as UTF-8: `bytes` decode to exactly the text, `from` is the byte offset of its `options.from`. */
export type Utf8Text = { bytes: Uint8Array; from: number };

/**
 * `encodeRows` over the text's UTF-8 bytes, with the same result; undefined where it does not apply (a
 * quote after the header: quoted fields stay with the JS scanner; more than MAX_CODE_BYTES expected), and
 * then nothing is logged.
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
  const cells = columnCells(module, text, width, entryCount as number);
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

/** Each column's entries (the module lays them out by column and code): strings, then spans of the text. */
function columnCells(module: Exports, text: string, width: number, entries: number): ColumnCells[] {
  const buffer = module.memory.buffer;
  const layout = new Int32Array(buffer, module.entryColumnsAt(), width * 3);
  const hashes = new Int32Array(buffer, module.entryHashesAt(), entries);
  const starts = new Int32Array(buffer, module.entryStartsAt(), entries);
  const ends = new Int32Array(buffer, module.entryEndsAt(), entries);
  const blank = new Uint8Array(buffer, module.entryBlanksAt(), entries);
  return Array.from({ length: width }, (_, column) => {
    const first = layout[3 * column] as number;
    const end = first + (layout[3 * column + 1] as number);
    const spansFrom = first + (layout[3 * column + 2] as number);
    const values: string[] = [];
    for (let at = first; at < spansFrom; at++) values.push(text.slice(starts[at], ends[at]));
    return ColumnCells.encoded(
      text,
      values,
      starts.slice(spansFrom, end),
      ends.slice(spansFrom, end),
      hashes.slice(first, end),
      blank.slice(first, end),
    );
  });
}
