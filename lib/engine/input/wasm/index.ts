import type { IssueLog } from '../../issues';
import type { Delimiter } from '../csv';
import { ColumnCells, type EncodedRows, ROW_ISSUES, type RowIssue, type RowOptions } from '../encode';
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
};

/** Above this many bytes of row codes expected (a wide header over many lines) the JS encoder reads the file. */
const MAX_CODE_BYTES = 64 * 1024 * 1024;
/** Entries to make room for at first (8 MB; more are made room for as they come). */
const MAX_FIRST_ENTRIES = 1 << 18;
/** The issue kinds, in the module's order (ROW_ISSUES lists them so). */
const KINDS = Object.keys(ROW_ISSUES) as (keyof typeof ROW_ISSUES)[];
/** Record numbers the module keeps per kind (as many as an issue lists). */
const ISSUE_ROWS = 20;

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
  options: RowOptions,
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
  const rowRoom = Math.min(options.expectedRows, options.maxFilled) + 1;
  module.setup(width, rowRoom, Math.min(rowRoom * width, MAX_FIRST_ENTRIES));
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
  const [, filled, widest, widthCount, entryCount] = ints(module.statsAt(), 5) as unknown as number[];
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
  const issueRows = ints(module.issueRowsAt(), KINDS.length * ISSUE_ROWS);
  const count = (kind: (typeof KINDS)[number]) => counts[KINDS.indexOf(kind)] as number;
  const rows = (kind: (typeof KINDS)[number]) => {
    const at = KINDS.indexOf(kind) * ISSUE_ROWS;
    return issueRows.subarray(at, at + Math.min(ISSUE_ROWS, count(kind)));
  };
  for (const kind of KINDS) {
    const issue: RowIssue = ROW_ISSUES[kind];
    issues.addMany(issue.code, issue.severity, count(kind), rows(kind), issue.detail);
  }
  const cells = columnCells(module, text, width, entryCount as number);
  const lines = ints(module.linesAt(), rowCount).slice();
  const firstMismatched = [...rows('widthMismatch').subarray(0, 5)];
  release(module);
  return {
    cells,
    codes,
    lines,
    rowCount,
    filled: filled as number,
    widest: widest as number,
    mismatched: count('widthMismatch'),
    shortByOne: count('shortByOne'),
    trailingDelimiter: count('trailingDelimiter'),
    widths,
    firstMismatched,
    duplicatesRemoved: count('duplicate'),
    summaryRowsRemoved: count('summary'),
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
