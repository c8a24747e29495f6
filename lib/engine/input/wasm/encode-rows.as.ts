// AssemblyScript, compiled to encode-rows.wasm by `npm run build:wasm` (not part of the TypeScript build).
// `encodeRows` (../encode.ts) over the UTF-8 bytes of a text with no quote after its header: the same
// records, cells, dictionary entries (a column turning distinct-only as `ColumnCells` does), blank, short,
// long, summary and duplicate rows, with the issues' counts and first record numbers. The glue (index.ts)
// builds `EncodedRows` from what this leaves in memory; tests compare both encoders on every fixture.
//
// Memory, after the static data: the input bytes (byte offsets are addresses), then the regions `setup`
// lays out; the entries, the lookup table and the row regions double when full, copied to the top of memory.

const FNV: u32 = 0x01000193;
const SEED: u32 = 0x811c9dc5;
const DISTINCT_CHECK_AT: i32 = 2048;
/** 2048 x 0.9 = 1843.2: a column turns distinct-only when at least this many of its first lookups were new. */
const DISTINCT_MIN: i32 = 1844;
/** An entry: hash, column, byte start, byte length, UTF-16 start, UTF-16 length, flags, code in its column. */
const ENTRY: usize = 32;
const BLANK: i32 = 1;
const DISTINCT: i32 = 2;
/** Issue kinds, as the glue names them. */
const SUMMARY: i32 = 0;
const DUPLICATE: i32 = 1;
const SHORT_BY_ONE: i32 = 2;
const TRAILING_DELIMITER: i32 = 3;
const WIDTH_MISMATCH: i32 = 4;
const KINDS: i32 = 5;
const ISSUE_ROWS: i32 = 20;
const MAX_WIDTHS: i32 = 20;

let top: usize = 0;
let width: i32 = 0;
let rowCap: i32 = 0;
let codes: usize = 0; // i32 [width][rowCap]: entry ids while encoding, codes in the column after `finish`
let lines: usize = 0; // i32 [rowCap]
let columns: usize = 0; // per column: entries, lookups, distinct-only (0/1), first distinct-only code (-1 before)
let entries: usize = 0;
let entryCap: i32 = 0;
let entryCount: i32 = 0;
let table: usize = 0; // lookup slots: entry id + 1
let tableBits: i32 = 0;
let tableUsed: i32 = 0;
let rowSlots: usize = 0; // duplicate index: kept row + 1
let rowBits: i32 = 0;
let rowHashes: usize = 0;
let stats: usize = 0; // i32 results, see `STAT_*`
let issueRows: usize = 0; // i32 [KINDS][ISSUE_ROWS]
let issueCounts: usize = 0; // i32 [KINDS]
let widthList: usize = 0; // i32 [MAX_WIDTHS][2]: field count, rows

// Offsets into `stats` (i32 each).
const STAT_ROWS: usize = 0;
const STAT_FILLED: usize = 4;
const STAT_WIDEST: usize = 8;
const STAT_WIDTHS: usize = 12;
const STAT_ENTRIES: usize = 16;

function alloc(bytes: usize): usize {
  const at = (top + 15) & ~(<usize>15);
  top = at + bytes;
  const need = <i32>((top + 65535) >> 16);
  const have = memory.size();
  if (need > have) memory.grow(need - have);
  return at;
}

function zeroed(bytes: usize): usize {
  const at = alloc(bytes);
  memory.fill(at, 0, bytes);
  return at;
}

/** Where the input bytes go (after the module's static data); call before copying them in. */
export function reserveInput(length: i32): usize {
  top = __heap_base;
  return alloc(<usize>length);
}

/**
 * Lays out the regions for `columnCount` columns, with room for `rows` rows and `cells` entries (estimates:
 * both grow past them).
 */
export function setup(columnCount: i32, rows: i32, cells: i32): void {
  width = columnCount;
  columns = zeroed(<usize>width * 16);
  for (let c = 0; c < width; c++) store<i32>(columns + <usize>c * 16, -1, 12);
  stats = zeroed(32);
  issueRows = zeroed(<usize>(KINDS * ISSUE_ROWS) * 4);
  issueCounts = zeroed(<usize>KINDS * 4);
  widthList = zeroed(<usize>MAX_WIDTHS * 8);
  entryCap = max(cells, 1024);
  entryCount = 0;
  entries = alloc(<usize>entryCap * ENTRY);
  tableBits = 10;
  tableUsed = 0;
  table = zeroed((<usize>1 << tableBits) * 4);
  rowCap = 0;
  rowCount = 0;
  growRows(max(rows, 64));
}

/** Room for `capacity` rows: the row regions copied to new ones (the duplicate index rebuilt). */
function growRows(capacity: i32): void {
  const oldCodes = codes;
  const oldLines = lines;
  const oldHashes = rowHashes;
  codes = alloc(<usize>width * <usize>capacity * 4);
  for (let c = 0; c < width; c++)
    memory.copy(codes + <usize>c * <usize>capacity * 4, oldCodes + <usize>c * <usize>rowCap * 4, <usize>rowCount * 4);
  lines = alloc(<usize>capacity * 4);
  memory.copy(lines, oldLines, <usize>rowCount * 4);
  rowHashes = alloc(<usize>capacity * 4);
  memory.copy(rowHashes, oldHashes, <usize>rowCount * 4);
  rowBits = 4;
  while ((1 << rowBits) < capacity * 2) rowBits++;
  rowSlots = zeroed((<usize>1 << rowBits) * 4);
  const mask: u32 = (1 << rowBits) - 1;
  for (let row = 0; row < rowCount; row++) {
    const hash = load<u32>(rowHashes + <usize>row * 4);
    let slot = (hash ^ (hash >> 15) ^ (hash >> 23)) & mask;
    while (load<i32>(rowSlots + <usize>slot * 4) != 0) slot = (slot + 1) & mask;
    store<i32>(rowSlots + <usize>slot * 4, row + 1);
  }
  rowCap = capacity;
}

// --- Entries and their lookup ---

@inline function entryAt(id: i32): usize {
  return entries + <usize>id * ENTRY;
}

function sameBytes(a: usize, b: usize, n: i32): bool {
  for (let k = 0; k < n; k++) if (load<u8>(a + <usize>k) != load<u8>(b + <usize>k)) return false;
  return true;
}

@inline function slotHash(hash: u32, column: i32): u32 {
  const h = hash ^ (<u32>column * 0x9e3779b1);
  return h ^ (h >> 15) ^ (h >> 23);
}

function growEntries(): void {
  const bigger = alloc(<usize>entryCap * 2 * ENTRY);
  memory.copy(bigger, entries, <usize>entryCap * ENTRY);
  entries = bigger;
  entryCap *= 2;
}

function growTable(): void {
  tableBits++;
  table = zeroed((<usize>1 << tableBits) * 4);
  const mask: u32 = (1 << tableBits) - 1;
  for (let id = 0; id < entryCount; id++) {
    const e = entryAt(id);
    if (load<i32>(e, 24) & DISTINCT) continue;
    let slot = slotHash(load<u32>(e), load<i32>(e, 4)) & mask;
    while (load<i32>(table + <usize>slot * 4) != 0) slot = (slot + 1) & mask;
    store<i32>(table + <usize>slot * 4, id + 1);
  }
}

function newEntry(column: i32, hash: u32, start: i32, length: i32, u16Start: i32, u16Length: i32, flags: i32): i32 {
  if (entryCount == entryCap) growEntries();
  const id = entryCount++;
  const e = entryAt(id);
  const state = columns + <usize>column * 16;
  const code = load<i32>(state);
  store<i32>(state, code + 1);
  if (flags & DISTINCT && load<i32>(state, 12) == -1) store<i32>(state, code, 12);
  store<u32>(e, hash);
  store<i32>(e, column, 4);
  store<i32>(e, start, 8);
  store<i32>(e, length, 12);
  store<i32>(e, u16Start, 16);
  store<i32>(e, u16Length, 20);
  store<i32>(e, flags | (isBlank(start, length) ? BLANK : 0), 24);
  store<i32>(e, code, 28);
  return id;
}

/** The entry of a cell of `column` (as `ColumnCells.codeOfSpan`). */
function lookup(column: i32, hash: u32, start: i32, length: i32, u16Start: i32, u16Length: i32): i32 {
  const state = columns + <usize>column * 16;
  if (load<i32>(state, 8)) return newEntry(column, hash, start, length, u16Start, u16Length, DISTINCT);
  const lookups = load<i32>(state, 4) + 1;
  store<i32>(state, lookups, 4);
  if (lookups == DISTINCT_CHECK_AT && load<i32>(state) >= DISTINCT_MIN) store<i32>(state, 1, 8);
  const mask: u32 = (1 << tableBits) - 1;
  let slot = slotHash(hash, column) & mask;
  for (;;) {
    const at = load<i32>(table + <usize>slot * 4);
    if (at == 0) break;
    const e = entryAt(at - 1);
    if (
      load<u32>(e) == hash &&
      load<i32>(e, 4) == column &&
      load<i32>(e, 12) == length &&
      sameBytes(<usize>load<i32>(e, 8), <usize>start, length)
    )
      return at - 1;
    slot = (slot + 1) & mask;
  }
  const id = newEntry(column, hash, start, length, u16Start, u16Length, 0);
  store<i32>(table + <usize>slot * 4, id + 1);
  if (++tableUsed * 2 > 1 << tableBits) growTable();
  return id;
}

// --- Characters (the input is valid UTF-8) ---

/** The code point at byte `at`, and its byte length in `decodedLength`. */
let decodedLength: i32 = 1;
function codePointAt(at: i32): i32 {
  const b0 = <i32>load<u8>(<usize>at);
  if (b0 < 0x80) {
    decodedLength = 1;
    return b0;
  }
  if (b0 < 0xe0) {
    decodedLength = 2;
    return ((b0 & 0x1f) << 6) | (<i32>load<u8>(<usize>at + 1) & 0x3f);
  }
  if (b0 < 0xf0) {
    decodedLength = 3;
    return ((b0 & 0x0f) << 12) | ((<i32>load<u8>(<usize>at + 1) & 0x3f) << 6) | (<i32>load<u8>(<usize>at + 2) & 0x3f);
  }
  decodedLength = 4;
  return (
    ((b0 & 0x07) << 18) |
    ((<i32>load<u8>(<usize>at + 1) & 0x3f) << 12) |
    ((<i32>load<u8>(<usize>at + 2) & 0x3f) << 6) |
    (<i32>load<u8>(<usize>at + 3) & 0x3f)
  );
}

/** What `String.prototype.trim` removes. */
function isSpace(cp: i32): bool {
  if (cp < 0x80) return cp == 0x20 || (cp >= 0x09 && cp <= 0x0d);
  return (
    cp == 0xa0 ||
    cp == 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp == 0x2028 ||
    cp == 0x2029 ||
    cp == 0x202f ||
    cp == 0x205f ||
    cp == 0x3000 ||
    cp == 0xfeff
  );
}

/** Whether the cell trims to nothing (only one starting at or below a space, or beyond ASCII, can). */
function isBlank(start: i32, length: i32): bool {
  if (length == 0) return true;
  const first = load<u8>(<usize>start);
  if (first > 0x20 && first < 0x80) return false;
  const end = start + length;
  for (let i = start; i < end; ) {
    if (!isSpace(codePointAt(i))) return false;
    i += decodedLength;
  }
  return true;
}

/** `maySummarise` of encode.ts on the entry's first UTF-16 unit. */
function maySummarise(start: i32): bool {
  const cp = codePointAt(start);
  if (cp <= 0x20 || cp >= 0xa0) return true;
  const lower = cp | 0x20;
  return lower == 0x73 || lower == 0x67 || lower == 0x74;
}

/** Whether the bytes at `at` start with `word` (lower-case ASCII), ignoring ASCII case. */
function startsWithWord(at: i32, end: i32, word: string): bool {
  const n = word.length;
  if (end - at < n) return false;
  for (let k = 0; k < n; k++) {
    let c = <i32>load<u8>(<usize>(at + k));
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c != word.charCodeAt(k)) return false;
  }
  if (at + n == end) return true;
  // `\b` without the u flag: the next character must not be an ASCII word character.
  const next = <i32>load<u8>(<usize>(at + n));
  const lower = next | 0x20;
  return !((lower >= 0x61 && lower <= 0x7a) || (next >= 0x30 && next <= 0x39) || next == 0x5f);
}

/** `SUMMARY_LABEL` of encode.ts on the trimmed cell. */
function isSummaryLabel(start: i32, length: i32): bool {
  const end = start + length;
  let at = start;
  while (at < end) {
    const cp = codePointAt(at);
    if (!isSpace(cp)) break;
    at += decodedLength;
  }
  return (
    startsWithWord(at, end, 'summe') ||
    startsWithWord(at, end, 'gesamt') ||
    startsWithWord(at, end, 'total') ||
    startsWithWord(at, end, 'sum') ||
    startsWithWord(at, end, 'gesamtsumme') ||
    startsWithWord(at, end, 'grand total')
  );
}

// --- Records ---

let rowCount: i32 = 0;
let filled: i32 = 0;
let widest: i32 = 0;
let widthCount: i32 = 0;
let record: i32 = 0;
let maxFilled: i32 = 0;

function note(kind: i32, line: i32): void {
  const counts = issueCounts + <usize>kind * 4;
  const count = load<i32>(counts);
  if (count < ISSUE_ROWS) store<i32>(issueRows + <usize>(kind * ISSUE_ROWS + count) * 4, line);
  store<i32>(counts, count + 1);
}

function countWidth(cells: i32): void {
  for (let k = 0; k < widthCount; k++) {
    const at = widthList + <usize>k * 8;
    if (load<i32>(at) == cells) {
      store<i32>(at, load<i32>(at, 4) + 1, 4);
      return;
    }
  }
  if (widthCount == MAX_WIDTHS) return;
  const at = widthList + <usize>widthCount * 8;
  widthCount++;
  store<i32>(at, cells);
  store<i32>(at, 1, 4);
}

@inline function codeAt(column: i32, row: i32): i32 {
  return load<i32>(codes + (<usize>column * <usize>rowCap + <usize>row) * 4);
}

/** Equal cells in every column (a distinct-only column gives equal cells entries of their own). */
function sameRow(a: i32, b: i32): bool {
  for (let c = 0; c < width; c++) {
    const x = codeAt(c, a);
    const y = codeAt(c, b);
    if (x == y) continue;
    const ex = entryAt(x);
    const ey = entryAt(y);
    if (!((load<i32>(ex, 24) | load<i32>(ey, 24)) & DISTINCT)) return false;
    const n = load<i32>(ex, 12);
    if (n != load<i32>(ey, 12) || !sameBytes(<usize>load<i32>(ex, 8), <usize>load<i32>(ey, 8), n)) return false;
  }
  return true;
}

/** `RowEncoder.endRecord`: answers false to stop (too many filled rows). */
function endRecord(cells: i32, extraFilled: bool, at: i32, u16At: i32): bool {
  const row = rowCount;
  const line = ++record;
  for (let c = cells; c < width; c++)
    store<i32>(codes + (<usize>c * <usize>rowCap + <usize>row) * 4, lookup(c, SEED, at, 0, u16At, 0));
  let blank = !extraFilled;
  for (let c = 0; c < width && blank; c++) blank = (load<i32>(entryAt(codeAt(c, row)), 24) & BLANK) != 0;
  if (blank) return true;
  if (++filled > maxFilled) return false;
  if (cells > widest) widest = cells;
  countWidth(cells);
  if (cells != width) {
    if (cells == width - 1 && width > 2) note(SHORT_BY_ONE, line);
    else if (cells == width + 1 && !extraFilled) note(TRAILING_DELIMITER, line);
    else note(WIDTH_MISMATCH, line);
  }
  let hash: u32 = SEED;
  let first = -1;
  for (let c = 0; c < width; c++) {
    const e = entryAt(codeAt(c, row));
    hash = (hash ^ load<u32>(e)) * FNV;
    if (first == -1 && load<i32>(e, 12) > 0) first = c;
  }
  if (first != -1) {
    const e = entryAt(codeAt(first, row));
    const start = load<i32>(e, 8);
    if (maySummarise(start) && isSummaryLabel(start, load<i32>(e, 12))) {
      note(SUMMARY, line);
      return true;
    }
  }
  const mask: u32 = (1 << rowBits) - 1;
  let slot = (hash ^ (hash >> 15) ^ (hash >> 23)) & mask;
  for (;;) {
    const at = load<i32>(rowSlots + <usize>slot * 4);
    if (at == 0) break;
    if (load<u32>(rowHashes + <usize>(at - 1) * 4) == hash && sameRow(at - 1, row)) {
      note(DUPLICATE, line);
      return true;
    }
    slot = (slot + 1) & mask;
  }
  store<i32>(rowSlots + <usize>slot * 4, row + 1);
  store<u32>(rowHashes + <usize>row * 4, hash);
  store<i32>(lines + <usize>row * 4, line);
  rowCount++;
  // The next record's cells go to row `rowCount`.
  if (rowCount == rowCap) growRows(rowCap * 2);
  return true;
}

/**
 * Encodes the records of bytes [from, length) (`from` at UTF-16 offset `u16From` of the text), record
 * numbers counting on from `firstRecord`. Answers the rows kept.
 */
export function encode(from: i32, length: i32, u16From: i32, sep: i32, firstRecord: i32, filledLimit: i32): i32 {
  rowCount = 0;
  filled = 0;
  widest = 0;
  widthCount = 0;
  record = firstRecord;
  maxFilled = filledLimit;
  // UTF-16 offset of byte i: i - extra + base (extra: continuation bytes, less one per four-byte character).
  const base = u16From - from;
  let extra = 0;
  let i = from;
  let cells = 0;
  let extraFilled = false;
  let open = false;
  while (i < length) {
    open = true;
    const start = i;
    const extraAtStart = extra;
    let hash: u32 = SEED;
    let c: i32 = 0;
    while (i < length) {
      c = <i32>load<u8>(<usize>i);
      if (c == sep || c == 10 || c == 13) break;
      if (c >= 0x80) {
        if ((c & 0xc0) == 0x80) extra++;
        else if (c >= 0xf0) extra--;
      }
      hash = (hash ^ <u32>c) * FNV;
      i++;
    }
    const u16Start = start - extraAtStart + base;
    if (cells < width) {
      const id = lookup(cells, hash, start, i - start, u16Start, i - extra + base - u16Start);
      store<i32>(codes + (<usize>cells * <usize>rowCap + <usize>rowCount) * 4, id);
    } else if (!extraFilled && !isBlank(start, i - start)) extraFilled = true;
    cells++;
    if (i >= length) break;
    if (c == sep) {
      i++;
      if (i >= length) {
        if (cells < width) {
          const id = lookup(cells, SEED, i, 0, i - extra + base, 0);
          store<i32>(codes + (<usize>cells * <usize>rowCap + <usize>rowCount) * 4, id);
        }
        cells++;
      }
      continue;
    }
    i += c == 13 && i + 1 < length && load<u8>(<usize>i + 1) == 10 ? 2 : 1;
    open = false;
    const more = endRecord(cells, extraFilled, i, i - extra + base);
    cells = 0;
    extraFilled = false;
    if (!more) return finish();
  }
  if (open) endRecord(cells, extraFilled, i, i - extra + base);
  return finish();
}

let outColumns: usize = 0; // i32 [width][3]: first entry's index in the arrays below, entries, entries before distinct-only
let outHashes: usize = 0; // i32, by column then code
let outStarts: usize = 0; // i32 UTF-16 offsets
let outEnds: usize = 0;
let outBlank: usize = 0; // u8

/** Turns entry ids into codes in their column, lays the entries out column by column, and writes the results. */
function finish(): i32 {
  outColumns = alloc(<usize>width * 12);
  let offset = 0;
  for (let c = 0; c < width; c++) {
    const state = columns + <usize>c * 16;
    const count = load<i32>(state);
    const firstDistinct = load<i32>(state, 12);
    const at = outColumns + <usize>c * 12;
    store<i32>(at, offset);
    store<i32>(at, count, 4);
    store<i32>(at, firstDistinct == -1 ? count : firstDistinct, 8);
    offset += count;
  }
  outHashes = alloc(<usize>entryCount * 4);
  outStarts = alloc(<usize>entryCount * 4);
  outEnds = alloc(<usize>entryCount * 4);
  outBlank = alloc(<usize>entryCount);
  for (let id = 0; id < entryCount; id++) {
    const e = entryAt(id);
    const index = <usize>(load<i32>(outColumns + <usize>load<i32>(e, 4) * 12) + load<i32>(e, 28));
    const start = load<i32>(e, 16);
    store<u32>(outHashes + index * 4, load<u32>(e));
    store<i32>(outStarts + index * 4, start);
    store<i32>(outEnds + index * 4, start + load<i32>(e, 20));
    store<u8>(outBlank + index, <u8>(load<i32>(e, 24) & BLANK));
  }
  for (let c = 0; c < width; c++) {
    const column = codes + <usize>c * <usize>rowCap * 4;
    for (let r = 0; r < rowCount; r++) {
      const at = column + <usize>r * 4;
      store<i32>(at, load<i32>(entryAt(load<i32>(at)), 28));
    }
  }
  store<i32>(stats + STAT_ROWS, rowCount);
  store<i32>(stats + STAT_FILLED, filled);
  store<i32>(stats + STAT_WIDEST, widest);
  store<i32>(stats + STAT_WIDTHS, widthCount);
  store<i32>(stats + STAT_ENTRIES, entryCount);
  return rowCount;
}

// --- Where the glue reads the results ---

export function statsAt(): usize {
  return stats;
}
export function codesAt(): usize {
  return codes;
}
export function rowCapacity(): i32 {
  return rowCap;
}
export function linesAt(): usize {
  return lines;
}
export function entryColumnsAt(): usize {
  return outColumns;
}
export function entryHashesAt(): usize {
  return outHashes;
}
export function entryStartsAt(): usize {
  return outStarts;
}
export function entryEndsAt(): usize {
  return outEnds;
}
export function entryBlanksAt(): usize {
  return outBlank;
}
export function issueRowsAt(): usize {
  return issueRows;
}
export function issueCountsAt(): usize {
  return issueCounts;
}
export function widthsAt(): usize {
  return widthList;
}
