/** Cell values: missing markers, numbers in either decimal style, durations, dates in Europe/Berlin. */

const MISSING = new Set([
  '',
  '-',
  '--',
  'n/a',
  'na',
  'nan',
  'null',
  'none',
  '#div/0!',
  '#n/a',
  '#wert!',
  '#nv',
  '#value!',
  '#ref!',
  '#num!',
  '?',
]);

const LONGEST_MISSING = 7; // '#div/0!'

export function isMissing(cell: string): boolean {
  // Most cells are longer than any marker: skip the lower-casing copy for them.
  const trimmed = cell.length > LONGEST_MISSING ? cell.trim() : cell;
  return trimmed.length <= LONGEST_MISSING && MISSING.has(trimmed.trim().toLowerCase());
}

export type DecimalStyle = ',' | '.';

/**
 * The decimal separator a column uses, by majority: a separator followed by other than exactly three
 * digits can only be a decimal mark. Undecided columns take the file's default.
 */
export function detectDecimal(cells: Iterable<string>, fallback: DecimalStyle): DecimalStyle {
  let comma = 0;
  let point = 0;
  for (const raw of cells) {
    const cell = raw.trim();
    if (/^[-+]?[\d.]*,\d+\s*%?$/.test(cell) && !/,\d{3}$/.test(cell)) comma++;
    else if (/^[-+]?\d{1,3}(\.\d{3})+,\d*$/.test(cell)) comma++;
    else if (/^[-+]?[\d,]*\.\d+\s*%?$/.test(cell) && !/\.\d{3}$/.test(cell)) point++;
    else if (/^[-+]?\d{1,3}(,\d{3})+\.\d*$/.test(cell)) point++;
  }
  if (comma === point) return fallback;
  return comma > point ? ',' : '.';
}

/** A number, or null. `85 %` gives 85 with percent=true; thousands separators are removed. */
export function parseNumber(raw: string, decimal: DecimalStyle): { value: number; percent: boolean } | null {
  let cell = raw.trim();
  if (isMissing(cell)) return null;
  let percent = false;
  if (cell.endsWith('%')) {
    percent = true;
    cell = cell.slice(0, -1).trim();
  }
  cell = cell.replace(/[\s\u00a0\u202f']/g, '');
  if (decimal === ',') cell = cell.replaceAll('.', '').replace(',', '.');
  else cell = cell.replaceAll(',', '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cell)) return null;
  const value = Number(cell);
  return Number.isFinite(value) ? { value, percent } : null;
}

/** `HH:MM:SS` or `H:MM` as minutes; null if the cell is not a clock duration. */
export function parseClockMinutes(raw: string): number | null {
  const match = /^(-)?(\d{1,4}):([0-5]\d)(?::([0-5]\d(?:[.,]\d+)?))?$/.exec(raw.trim());
  if (!match) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3]) + Number((match[4] ?? '0').replace(',', '.')) / 60;
  return match[1] ? -minutes : minutes;
}

// ---------- dates and times ----------

export type DateOrder = 'dmy' | 'mdy';
/** A parsed cell: an instant (epoch ms), or a clock time only (minutes after midnight). */
export type ParsedTime =
  | { kind: 'instant'; ms: number; naive: boolean; dst?: 'gap' | 'overlap'; offset?: number }
  | { kind: 'time'; minutes: number };

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  mae: 3,
  mrz: 3,
  okt: 10,
  dez: 12,
  mai: 5,
};

function lastSundayUtc(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month, 0)); // last day of `month` (1-based)
  return Date.UTC(year, month - 1, last.getUTCDate() - last.getUTCDay(), 1); // 01:00 UTC
}

/** Central European Summer Time is in force at this instant (the EU rule since 1996: last Sunday of March to October, 01:00 UTC). */
export function isBerlinDst(ms: number): boolean {
  // Instants of one file mostly share a year: its bounds and transitions are kept from the last call.
  if (!(ms >= dstYear.from && ms < dstYear.to)) {
    const year = new Date(ms).getUTCFullYear();
    dstYear = {
      from: Date.UTC(year, 0, 1),
      to: Date.UTC(year + 1, 0, 1),
      summer: lastSundayUtc(year, 3),
      winter: lastSundayUtc(year, 10),
    };
  }
  return ms >= dstYear.summer && ms < dstYear.winter;
}
let dstYear = { from: 0, to: 0, summer: 0, winter: 0 };

/**
 * `Date.UTC(y, mo - 1, d, h, mi, s)` for years 0..9999 (month 1-based), by the days-from-civil
 * arithmetic of the proleptic Gregorian calendar: a state log parses two timestamps a row, and this
 * is a fraction of the builtin's cost. Unlike Date.UTC it does not read years 0..99 as 19xx.
 */
export function utcMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const year = mo <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5) + d - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  const days = era * 146_097 + dayOfEra - 719_468;
  return ((days * 24 + h) * 60 + mi) * 60_000 + s * 1000;
}

/**
 * A wall-clock time in Europe/Berlin to an instant, resolving DST as Temporal's `compatible` does:
 * in the spring gap the time moves forward, in the autumn overlap the earlier instant wins.
 */
export function berlinToInstant(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
): { ms: number; dst?: 'gap' | 'overlap' } {
  const local = utcMs(y, mo, d, h, mi, s);
  const summer = local - 2 * 3600_000;
  const winter = local - 3600_000;
  const summerValid = isBerlinDst(summer);
  const winterValid = !isBerlinDst(winter);
  if (summerValid && winterValid) return { ms: summer, dst: 'overlap' };
  if (summerValid) return { ms: summer };
  if (winterValid) return { ms: winter };
  return { ms: winter, dst: 'gap' };
}

/** An instant as ISO 8601 with the Berlin offset of that moment. */
export function formatBerlin(ms: number): string {
  const offsetHours = isBerlinDst(ms) ? 2 : 1;
  const local = new Date(ms + offsetHours * 3600_000).toISOString().slice(0, 19);
  return `${local}+0${offsetHours}:00`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const validDate = (y: number, mo: number, d: number) =>
  mo >= 1 &&
  mo <= 12 &&
  d >= 1 &&
  d <=
    (mo === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 29 : (DAYS_IN_MONTH[mo - 1] as number));

/** The number two digits at `at` spell; NaN if they are not digits. (Module-level: it runs per cell.) */
export function two(cell: string, at: number): number {
  const high = cell.charCodeAt(at) - 48;
  const low = cell.charCodeAt(at + 1) - 48;
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : Number.NaN;
}

/**
 * The milliseconds the digits at `text[from, to)` spell as a fraction of a second, rounded half up at the
 * fourth digit (`.1235` is 124 ms): decimal, so it does not depend on how a double nears the half. NaN for
 * an empty span or one holding anything but digits.
 */
function fractionMs(text: string, from: number, to: number): number {
  if (from >= to) return Number.NaN;
  let ms = 0;
  for (let at = from; at < to; at++) {
    const digit = text.charCodeAt(at) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    const place = at - from;
    if (place < 3) ms += digit * (place === 0 ? 100 : place === 1 ? 10 : 1);
    else if (place === 3 && digit >= 5) ms++;
  }
  return ms;
}

/** y, mo, d, h, mi, s as the last `readPlainTimestamp` found them (module-level: it runs per cell, no object each). */
const plain = new Int32Array(6);
/** The zone's offset in minutes it found (-0 for `-00:00`, as the general parser reads it); NaN for none. */
let plainZone = Number.NaN;
/** The milliseconds of the fraction of a second it found (0 for none). */
let plainFraction = 0;

/**
 * `YYYY-MM-DD` or `DD.MM.YYYY`, alone or with `HH:MM` or `HH:MM:SS[.fff]` (point or comma, any digits)
 * after a space or a T, and after an ISO time a zone (`Z`, `+HH`, `+HHMM`, `+HH:MM`), at `text[start, end)`:
 * the shapes most exports write (ISO, with the offset pandas and IoT exports add, and German BDE exports),
 * read without a regular expression as a log has a distinct timestamp on every row. 1 with the fields in
 * `plain`, 0 for such a shape with no valid date, -1 for any other text (the general parser decides).
 */
function readPlainTimestamp(text: string, start: number, end: number): number {
  const length = end - start;
  if (length < 10) return -1;
  let y: number;
  let mo: number;
  let d: number;
  const iso = text.charCodeAt(start + 4) === 45 && text.charCodeAt(start + 7) === 45; // '-'
  if (iso) {
    y = two(text, start) * 100 + two(text, start + 2);
    mo = two(text, start + 5);
    d = two(text, start + 8);
  } else if (text.charCodeAt(start + 2) === 46 && text.charCodeAt(start + 5) === 46) {
    // '.': DD.MM.YYYY (day first, whatever the file's slash dates say)
    d = two(text, start);
    mo = two(text, start + 3);
    y = two(text, start + 6) * 100 + two(text, start + 8);
  } else return -1;
  let h = 0;
  let mi = 0;
  let s = 0;
  let time = 10;
  if (length > 10) {
    const separator = text.charCodeAt(start + 10);
    if (length < 16 || (separator !== 32 && separator !== 84) || text.charCodeAt(start + 13) !== 58)
      return -1; // ' ' 'T' ':'
    h = two(text, start + 11);
    mi = two(text, start + 14);
    time = 16;
    if (length >= 19 && text.charCodeAt(start + 16) === 58) {
      s = two(text, start + 17);
      time = 19;
    }
  }
  let fraction = 0;
  const mark = time === 19 && time < length ? text.charCodeAt(start + 19) : 0;
  if (mark === 46 || mark === 44) {
    // '.' ',': the digits run to a zone or the end
    let digits = start + 20;
    while (digits < end && text.charCodeAt(digits) >= 48 && text.charCodeAt(digits) <= 57) digits++;
    fraction = fractionMs(text, start + 20, digits);
    if (Number.isNaN(fraction)) return -1;
    time = digits - start;
  }
  let offset = Number.NaN;
  if (time < length) {
    // A zone, only right after an ISO time (any other text is the general parser's).
    if (!iso || time === 10) return -1;
    const rest = length - time;
    const sign = text.charCodeAt(start + time);
    if (rest === 1 && (sign === 90 || sign === 122))
      offset = 0; // 'Z' 'z'
    else if ((sign === 43 || sign === 45) && (rest === 3 || rest === 5 || rest === 6)) {
      const minutes =
        rest === 3
          ? 0
          : rest === 5
            ? two(text, start + time + 3)
            : text.charCodeAt(start + time + 3) === 58
              ? two(text, start + time + 4)
              : Number.NaN;
      offset = (sign === 45 ? -1 : 1) * (two(text, start + time + 1) * 60 + minutes);
      if (Number.isNaN(offset)) return -1;
    } else return -1;
  }
  if (Number.isNaN(y + mo + d + h + mi + s)) return -1;
  if (h > 23 || mi > 59 || s > 59) return -1; // the general parser's call, as before
  if (!validDate(y, mo, d)) return 0;
  plain[0] = y;
  plain[1] = mo;
  plain[2] = d;
  plain[3] = h;
  plain[4] = mi;
  plain[5] = s;
  plainZone = offset;
  plainFraction = fraction;
  return 1;
}

/** The instant `plain` holds with its zone: the wall time less the offset. */
const zonedMs = (): number =>
  utcMs(
    plain[0] as number,
    plain[1] as number,
    plain[2] as number,
    plain[3] as number,
    plain[4] as number,
    plain[5] as number,
  ) +
  plainFraction -
  plainZone * 60_000;

function plainTimestamp(cell: string): ParsedTime | null | undefined {
  const shape = readPlainTimestamp(cell, 0, cell.length);
  if (shape !== 1) return shape === 0 ? null : undefined;
  if (!Number.isNaN(plainZone)) return instant(zonedMs(), false, undefined, plainZone);
  return berlinInstant(
    plain[0] as number,
    plain[1] as number,
    plain[2] as number,
    plain[3] as number,
    plain[4] as number,
    plain[5] as number,
    plainFraction,
  );
}

/**
 * What `readTimestampSpan` read last: epoch ms, and the offset in minutes its zone wrote (NaN for a naive
 * time). A typed array, so the reader's loop takes doubles without a number object per cell: a double
 * returned from a call the optimiser does not inline is boxed.
 */
export const spanTime = new Float64Array(2);

/**
 * A plain timestamp (see `readPlainTimestamp`) at `text[start, end)`, read in place into `spanTime`: a
 * log's timestamps are spans of the file, and most share their day with the one before. 1 when read; 0
 * for any other text, for no valid date, and for a naive time on a day Berlin changes its clocks
 * (`parseTime` answers those).
 */
export function readTimestampSpan(text: string, start: number, end: number): number {
  if (readPlainTimestamp(text, start, end) !== 1) return 0;
  spanTime[1] = plainZone;
  if (!Number.isNaN(plainZone)) {
    spanTime[0] = zonedMs();
    return 1;
  }
  const day = (plain[0] as number) * 512 + (plain[1] as number) * 32 + (plain[2] as number);
  if (day !== lastDay.day) {
    const midnight = utcMs(plain[0] as number, plain[1] as number, plain[2] as number);
    // Every instant of the day's wall-clock times lies between these two: one offset if they agree.
    const early = isBerlinDst(midnight - 2 * 3600_000);
    const late = isBerlinDst(midnight + 23 * 3600_000);
    lastDay = { day, midnight, offset: early !== late ? Number.NaN : early ? 2 * 3600_000 : 3600_000 };
  }
  if (Number.isNaN(lastDay.offset)) return 0;
  const wall =
    (((plain[3] as number) * 60 + (plain[4] as number)) * 60 + (plain[5] as number)) * 1000 + plainFraction;
  spanTime[0] = lastDay.midnight + wall - lastDay.offset;
  return 1;
}
let lastDay = { day: -1, midnight: 0, offset: Number.NaN };

/** `readTimestampSpan` as a value: epoch ms, NaN when it reads none. */
export const plainTimestampMs = (text: string, start: number, end: number): number =>
  readTimestampSpan(text, start, end) === 1 ? (spanTime[0] as number) : Number.NaN;

/** The offset `readTimestampSpan` read last (see `spanTime`). */
export const plainTimestampOffset = (): number => spanTime[1] as number;

/** Every parsed instant has one shape (optional fields present as undefined), which V8 handles best. */
const instant = (
  ms: number,
  naive: boolean,
  dst: 'gap' | 'overlap' | undefined,
  offset: number | undefined,
): ParsedTime => ({ kind: 'instant', ms, naive, dst, offset });

/** A naive wall-clock time read as Berlin time (see `berlinToInstant`). */
function berlinInstant(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  fraction = 0,
): ParsedTime {
  const { ms, dst } = berlinToInstant(y, mo, d, h, mi, s);
  return instant(ms + fraction, true, dst, undefined);
}

function clock(
  h: string | undefined,
  mi: string | undefined,
  s: string | undefined,
  ampm: string | undefined,
) {
  let hour = Number(h ?? 0);
  if (ampm) {
    const pm = ampm.toLowerCase() === 'pm';
    if (hour === 12) hour = pm ? 12 : 0;
    else if (pm) hour += 12;
  }
  const second = Number((s ?? '0').slice(0, 2));
  const ms = s !== undefined && s.length > 3 ? fractionMs(s, 3, s.length) : 0;
  return { hour, minute: Number(mi ?? 0), second, ms };
}

/**
 * Dates as exports write them: ISO 8601 (offset kept), `DD.MM.YYYY HH:MM`, `M/D/YYYY h:mm AM` (or D/M
 * when `order` says so), `Feb  6 2026  6:55AM`, and clock times alone. Naive values are Berlin time.
 */
export function parseTime(raw: string, order: DateOrder = 'dmy'): ParsedTime | null {
  const cell = raw.trim();
  const plain = plainTimestamp(cell);
  if (plain !== undefined) return plain;
  if (isMissing(cell)) return null;
  let match =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2}(?:[.,]\d+)?))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(
      cell,
    );
  if (match) {
    // The common export format, so read without helper objects (a log has a distinct time per row).
    const [y, mo, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (!validDate(y, mo, d)) return null;
    const hour = match[4] === undefined ? 0 : Number(match[4]);
    const minute = match[5] === undefined ? 0 : Number(match[5]);
    const second = match[6] === undefined ? 0 : Number(match[6].slice(0, 2));
    const fraction =
      match[6] !== undefined && match[6].length > 3 ? fractionMs(match[6], 3, match[6].length) : 0;
    if (hour > 23 || minute > 59 || second > 59) return null;
    const zone = match[7];
    if (zone) {
      const offset =
        zone === 'Z' || zone === 'z'
          ? 0
          : (zone.startsWith('-') ? -1 : 1) *
            (Number(zone.slice(1, 3)) * 60 + (zone.length > 3 ? Number(zone.slice(-2)) : 0));
      return instant(
        utcMs(y, mo, d, hour, minute, second) + fraction - offset * 60_000,
        false,
        undefined,
        offset,
      );
    }
    return berlinInstant(y, mo, d, hour, minute, second, fraction);
  }
  match =
    /^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?:[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2}(?:[.,]\d+)?))?\s*(am|pm)?)?$/i.exec(
      cell,
    );
  if (match) {
    let [first, second] = [Number(match[1]), Number(match[3])];
    if (match[2] === '/' && order === 'mdy') [first, second] = [second, first];
    const year = Number(match[4]) < 100 ? 2000 + Number(match[4]) : Number(match[4]);
    if (!validDate(year, second, first)) return null;
    const time = clock(match[5], match[6], match[7], match[8]);
    if (time.hour > 23 || time.minute > 59 || time.second > 59) return null;
    return berlinInstant(year, second, first, time.hour, time.minute, time.second, time.ms);
  }
  // Compact `YYYYMMDD`, `YYYYMMDDHHMM` or `YYYYMMDDHHMMSS` (SAP and PLC logs), years 1970 to 2099 only.
  match = /^((?:19[7-9]|20\d)\d)(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$/.exec(cell);
  if (match) {
    const [y, mo, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const [h, mi, sec] = [Number(match[4] ?? 0), Number(match[5] ?? 0), Number(match[6] ?? 0)];
    if (!validDate(y, mo, d) || h > 23 || mi > 59 || sec > 59) return null;
    return berlinInstant(y, mo, d, h, mi, sec);
  }
  match =
    /^([a-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?)?$/i.exec(
      cell,
    );
  if (match) {
    const month = MONTHS[(match[1] as string).toLowerCase()];
    const [d, y] = [Number(match[2]), Number(match[3])];
    if (!month || !validDate(y, month, d)) return null;
    const time = clock(match[4], match[5], match[6], match[7]);
    return berlinInstant(y, month, d, time.hour, time.minute, time.second);
  }
  match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?$/i.exec(cell);
  if (match) {
    const time = clock(match[1], match[2], match[3], match[4]);
    if (time.hour > 23 || time.minute > 59) return null;
    return { kind: 'time', minutes: time.hour * 60 + time.minute + time.second / 60 };
  }
  return null;
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/**
 * An Excel serial date (days since 1899-12-30, the 1900 date system, fraction = time of day) as Berlin
 * wall-clock time; a fraction alone is a clock time. Only for columns whose header names a date or time:
 * elsewhere such numbers are counts. (The Mac 1904 system cannot be told apart from the numbers alone.)
 */
export function parseExcelSerial(raw: string, decimal: DecimalStyle): ParsedTime | null {
  const value = parseNumber(raw, decimal)?.value;
  if (value === undefined) return null;
  if (value >= 0 && value < 1) return { kind: 'time', minutes: Math.round(value * 86_400) / 60 };
  if (value < 20_000 || value >= 80_000) return null; // 1954 to 2119
  const wall = new Date(EXCEL_EPOCH + Math.round(value * 86_400) * 1000);
  return berlinInstant(
    wall.getUTCFullYear(),
    wall.getUTCMonth() + 1,
    wall.getUTCDate(),
    wall.getUTCHours(),
    wall.getUTCMinutes(),
    wall.getUTCSeconds(),
  );
}

/**
 * Unix epoch time (UTC): seconds (10 digits, 1989 to 2103) or milliseconds (13 digits), optionally with
 * a fraction. Only for columns whose header names a time: elsewhere such numbers are counts or ids.
 */
export function parseEpoch(raw: string, decimal: DecimalStyle): ParsedTime | null {
  const value = parseNumber(raw, decimal)?.value;
  if (value === undefined) return null;
  if (value >= 6e8 && value < 4.3e9) return instant(Math.round(value * 1000), false, undefined, undefined);
  if (value >= 6e11 && value < 4.3e12) return instant(Math.round(value), false, undefined, undefined);
  return null;
}

/** dd/mm versus mm/dd for a column of slash dates: settled by any first field above 12, else undecided. */
export function detectDateOrder(cells: Iterable<string>): { order: DateOrder; ambiguous: boolean } {
  let dmy = false;
  let mdy = false;
  for (const cell of cells) {
    const match = /^(\d{1,2})\/(\d{1,2})\//.exec(cell.trim());
    if (!match) continue;
    if (Number(match[1]) > 12) dmy = true;
    if (Number(match[2]) > 12) mdy = true;
  }
  if (dmy !== mdy) return { order: dmy ? 'dmy' : 'mdy', ambiguous: false };
  return { order: 'dmy', ambiguous: !dmy && !mdy };
}

/**
 * An instant as ISO 8601: with the offset the input wrote (minutes east of UTC), or else the Berlin offset
 * of that moment, as naive input is Berlin time.
 */
export function formatInstant(ms: number, offset: number | null = null): string {
  if (offset === null || Number.isNaN(offset)) return formatBerlin(ms);
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offset);
  const zone = `${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${local}${zone}`;
}

/** Local calendar day (YYYY-MM-DD) of an instant in Berlin. */
export function berlinDay(ms: number): string {
  const day = Math.floor((ms + (isBerlinDst(ms) ? 2 : 1) * 3600_000) / 86_400_000);
  let text = DAY_TEXT.get(day);
  if (text === undefined) {
    text = new Date(day * 86_400_000).toISOString().slice(0, 10);
    if (DAY_TEXT.size < 100_000) DAY_TEXT.set(day, text);
  }
  return text;
}
/** Day number (days since 1970-01-01, local) to its YYYY-MM-DD: many instants share a day. */
const DAY_TEXT = new Map<number, string>();

/** Neutralises spreadsheet formula injection in text echoed back (OWASP): a leading = + - @ tab or CR. */
export function safeText(value: string, max = 200): string {
  const trimmed = value.length > max ? `${value.slice(0, max)}…` : value;
  return /^[=+\-@\t\r]/.test(trimmed) ? `'${trimmed}` : trimmed;
}
