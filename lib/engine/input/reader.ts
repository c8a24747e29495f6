import type { IssueLog } from '../issues';
import { type Canonical, isTemporalKind, kindOf } from './fields';
import { type Interner, known } from './interner';
import { type Column, readNumber, reportUnparsedTimes, type Table } from './table';
import {
  berlinDay,
  isMissing,
  parseEpoch,
  parseExcelSerial,
  parseTime,
  readTimestampSpan,
  safeText,
  spanTime,
} from './values';

/**
 * A column's cells read as times, by code, in typed arrays: a log's ~160,000 distinct timestamps leave
 * no object each for the garbage collector to copy.
 */
type TimeCells = {
  /** 0: no time; 1: an instant; 2: a clock time. */
  kind: Uint8Array;
  /** An instant's epoch ms, a clock time's ms after midnight; NaN for no time. */
  ms: Float64Array;
  /** Minutes east of UTC an instant was written with; NaN for naive times. */
  offset: Float64Array;
  /** 1: the instant fell into a DST gap, 2: into an overlap; 0 otherwise. */
  dst: Int8Array;
};

const NO_TIME = 0;
const INSTANT = 1;
const CLOCK = 2;

/**
 * A column's cells decoded once per distinct value, on first use: reading a row is an array lookup by
 * its dictionary code, so the engine parses ~2,000 distinct cells instead of ~500,000.
 */
class ColumnView {
  #numbers: Float64Array | undefined;
  #times: TimeCells | undefined;
  #texts: (string | null)[] | undefined;
  #labels: (string | null)[] | undefined;
  #days: (string | null)[] | undefined;

  constructor(
    readonly column: Column,
    private readonly field: Canonical | undefined,
  ) {}

  /** NaN stands for "no number". */
  numbers(): Float64Array {
    if (!this.#numbers) {
      const { dictionary } = this.column;
      this.#numbers = new Float64Array(dictionary.length);
      for (let code = 0; code < dictionary.length; code++)
        this.#numbers[code] = readNumber(dictionary.at(code), this.column, this.field) ?? Number.NaN;
    }
    return this.#numbers;
  }
  times(): TimeCells {
    if (!this.#times) {
      const { dictionary, timeSource, decimal, dateOrder } = this.column;
      const cells = dictionary.length;
      const times: TimeCells = {
        kind: new Uint8Array(cells),
        ms: new Float64Array(cells).fill(Number.NaN),
        offset: new Float64Array(cells).fill(Number.NaN),
        dst: new Int8Array(cells),
      };
      for (let code = 0; code < cells; code++) {
        if (timeSource === 'text') {
          // The common shape in place; the general parser for the rest (and for clock-change days).
          if (dictionary.read(code, readTimestampSpan) === 1) {
            times.kind[code] = INSTANT;
            times.ms[code] = spanTime[0] as number;
            times.offset[code] = spanTime[1] as number;
            continue;
          }
        }
        const cell = dictionary.at(code);
        const time =
          timeSource === 'excel'
            ? parseExcelSerial(cell, decimal)
            : timeSource === 'epoch'
              ? parseEpoch(cell, decimal)
              : parseTime(cell, dateOrder);
        if (time === null) continue;
        if (time.kind === 'time') {
          times.kind[code] = CLOCK;
          times.ms[code] = time.minutes * 60_000;
          continue;
        }
        times.kind[code] = INSTANT;
        times.ms[code] = time.ms;
        if (time.offset !== undefined) times.offset[code] = time.offset;
        if (time.dst) times.dst[code] = time.dst === 'gap' ? 1 : 2;
      }
      this.#times = times;
    }
    return this.#times;
  }
  /** Epoch ms (instants) or ms after midnight (clock times) by code; NaN for the other kind and for no time. */
  msOf(wanted: typeof INSTANT | typeof CLOCK): Readonly<Float64Array> {
    const { kind, ms } = this.times();
    // A column mostly holds one kind of time: then its times are the answer as they are, no copy.
    let mixed = false;
    for (let code = 0; code < kind.length && !mixed; code++)
      mixed = kind[code] !== wanted && kind[code] !== NO_TIME;
    if (!mixed) return ms;
    const only = new Float64Array(ms.length);
    for (let code = 0; code < ms.length; code++)
      only[code] = kind[code] === wanted ? (ms[code] as number) : Number.NaN;
    return only;
  }
  texts(): (string | null)[] {
    this.#texts ??= this.column.dictionary.map((cell: string) => {
      const trimmed = cell.trim();
      return isMissing(trimmed) ? null : trimmed;
    });
    return this.#texts;
  }
  /** Texts made safe to echo (formula injection neutralised, length bounded). */
  labels(): (string | null)[] {
    this.#labels ??= this.texts().map((text) => (text === null ? null : safeText(text, 80)));
    return this.#labels;
  }
  days(): (string | null)[] {
    if (!this.#days) {
      const { kind, ms } = this.times();
      this.#days = Array.from(kind, (k, code) => (k === INSTANT ? berlinDay(ms[code] as number) : null));
    }
    return this.#days;
  }
}

/**
 * Typed reads of data rows by canonical field, whole columns at a time; a field the file lacks reads as
 * NaN, -1 or null.
 */
export class RowReader {
  readonly #views = new Map<Canonical, ColumnView>();
  /**
   * The one answer for every read of a field the file lacks (read-only, so shared): an aggregated export
   * lacks half the fields a shape asks for, and a fresh column of NaN each was a quarter of a run's memory.
   */
  #nothing: { numbers?: Float64Array; dst?: Int8Array; labels?: (string | null)[] } = {};

  constructor(
    readonly table: Table,
    /** `options.idealCycleSeconds`: by part, then machine, then "*", where a row has none. */
    private readonly idealCycleSeconds: Readonly<Record<string, number>> = {},
  ) {
    for (const [field, column] of table.byCanonical) this.#views.set(field, new ColumnView(column, field));
  }
  has(field: Canonical): boolean {
    return this.#views.has(field);
  }
  /** Stops reading a field (its column was found not to hold it). */
  forget(field: Canonical): void {
    this.#views.delete(field);
  }
  /** TIME_UNPARSEABLE for each time column read whose cells (some of them) parse as no time. */
  reportUnparsedTimes(issues: IssueLog): void {
    for (const view of this.#views.values()) {
      const field = view.column.canonical;
      if (!field || !isTemporalKind(kindOf(field))) continue;
      const { kind } = view.times();
      reportUnparsedTimes(issues, view.column, 'those rows have no time', (code) => kind[code] === NO_TIME);
    }
  }
  /** `number` for every row; NaN where there is none. */
  numberColumn(field: Canonical): Readonly<Float64Array> {
    return this.has(field) ? this.#numbersOf(field) : this.#noNumbers();
  }
  /** `numberColumn`, as a column of the caller's own. */
  #numbersOf(field: Canonical): Float64Array {
    const view = this.#views.get(field);
    const out = new Float64Array(this.table.rowCount);
    if (!view) return out.fill(Number.NaN);
    const byCode = view.numbers();
    const { codes } = view.column;
    for (let row = 0; row < out.length; row++) out[row] = byCode[codes[row] as number] as number;
    return out;
  }
  #noNumbers(): Readonly<Float64Array> {
    this.#nothing.numbers ??= new Float64Array(this.table.rowCount).fill(Number.NaN);
    return this.#nothing.numbers;
  }
  /** A column no field claimed (a downtime reason or a characteristic), read as `as`, for every row. */
  numberColumnIn(column: Column, as?: Canonical): Float64Array {
    const byCode = new ColumnView(column, as).numbers();
    const out = new Float64Array(column.codes.length);
    for (let row = 0; row < out.length; row++) out[row] = byCode[column.codes[row] as number] as number;
    return out;
  }
  /** Each row's start or end (a timestamp, or a date plus a clock time) or date, in epoch ms; NaN for none. */
  instantColumn(which: 'start' | 'end' | 'date'): Readonly<Float64Array> {
    const full = this.#msByCode(
      which === 'start' ? 'ts_start' : which === 'end' ? 'ts_end' : 'date',
      INSTANT,
    );
    const clock =
      which === 'date' ? null : this.#msByCode(which === 'start' ? 'time_start' : 'time_end', CLOCK);
    // The date only completes a clock time.
    const date = clock ? this.#msByCode('date', INSTANT) : null;
    if (!full && (!clock || !date)) return this.#noNumbers();
    const out = new Float64Array(this.table.rowCount);
    for (let row = 0; row < out.length; row++) {
      const ms = full ? (full.ms[full.codes[row] as number] as number) : Number.NaN;
      if (known(ms) || !clock || !date) out[row] = ms;
      else
        out[row] =
          (date.ms[date.codes[row] as number] as number) + (clock.ms[clock.codes[row] as number] as number);
    }
    return out;
  }
  /** The offset (minutes east of UTC) each row's `which` instant was written with; NaN for naive times. */
  offsetColumn(which: 'start' | 'end' | 'date'): Readonly<Float64Array> {
    const view = this.#views.get(which === 'start' ? 'ts_start' : which === 'end' ? 'ts_end' : 'date');
    if (!view) return this.#noNumbers();
    const out = new Float64Array(this.table.rowCount);
    const byCode = view.times().offset;
    const { codes } = view.column;
    for (let row = 0; row < out.length; row++) out[row] = byCode[codes[row] as number] as number;
    return out;
  }
  /** Epoch ms (instants) or ms after midnight (clock times) by dictionary code; NaN for other cells. */
  #msByCode(field: Canonical, wanted: typeof INSTANT | typeof CLOCK) {
    const view = this.#views.get(field);
    return view ? { ms: view.msOf(wanted), codes: view.column.codes } : null;
  }
  /** Ids (from `interner`) of the first of `fields` with a label in each row; -1 where none has. */
  idColumn(fields: Canonical[], interner: Interner): Int32Array {
    const out = new Int32Array(this.table.rowCount).fill(-1);
    for (const field of fields) {
      const view = this.#views.get(field);
      if (!view) continue;
      const byCode = view.labels().map((label) => interner.id(label));
      const { codes } = view.column;
      for (let row = 0; row < out.length; row++)
        if (out[row] === -1) out[row] = byCode[codes[row] as number] as number;
    }
    return out;
  }
  /** Ids of each row's Berlin calendar day: its date, else the day it started. */
  dayIdColumn(interner: Interner): Int32Array {
    const out = new Int32Array(this.table.rowCount).fill(-1);
    const view = this.#views.get('date');
    if (view) {
      const byCode = view.days().map((day) => interner.id(day));
      const { codes } = view.column;
      for (let row = 0; row < out.length; row++) out[row] = byCode[codes[row] as number] as number;
    }
    let starts: Float64Array | undefined;
    for (let row = 0; row < out.length; row++) {
      if (out[row] !== -1) continue;
      starts ??= this.instantColumn('start');
      const ms = starts[row] as number;
      if (known(ms)) out[row] = interner.id(berlinDay(ms));
    }
    return out;
  }
  /** A field's dictionary codes by row, with its texts and labels by code; null when the file lacks it. */
  valuesOf(
    field: Canonical,
  ): { codes: Int32Array; texts: (string | null)[]; labels: (string | null)[] } | null {
    const view = this.#views.get(field);
    return view ? { codes: view.column.codes, texts: view.texts(), labels: view.labels() } : null;
  }
  /** Whether each row's start timestamp fell into a DST gap (1) or overlap (2); 0 otherwise. */
  startDstColumn(): Readonly<Int8Array> {
    const view = this.#views.get('ts_start');
    if (!view) {
      this.#nothing.dst ??= new Int8Array(this.table.rowCount);
      return this.#nothing.dst;
    }
    const out = new Int8Array(this.table.rowCount);
    const byCode = view.times().dst;
    const { codes } = view.column;
    for (let row = 0; row < out.length; row++) out[row] = byCode[codes[row] as number] as number;
    return out;
  }
  /** `label` for every row. */
  labelColumn(field: Canonical): readonly (string | null)[] {
    const view = this.#views.get(field);
    if (!view) {
      this.#nothing.labels ??= new Array<string | null>(this.table.rowCount).fill(null);
      return this.#nothing.labels;
    }
    const byCode = view.labels();
    const { codes } = view.column;
    // A loop, not Array.from over the codes: that steps an iterator, an object per row.
    const out = new Array<string | null>(codes.length);
    for (let row = 0; row < codes.length; row++) out[row] = byCode[codes[row] as number] ?? null;
    return out;
  }
  /** Seconds per piece at the ideal rate, NaN where unknown (rates are per hour unless the header says per minute). */
  idealCycleColumn(): Readonly<Float64Array> {
    const given = this.idealCycleSeconds;
    const byOptions = Object.keys(given).length > 0;
    if (!this.has('ideal_ct_s') && !this.has('ideal_rate') && !byOptions) return this.#noNumbers();
    const out = this.#numbersOf('ideal_ct_s');
    const rates = this.numberColumn('ideal_rate');
    const perHour = this.table.byCanonical.get('ideal_rate')?.unit === 'min' ? 60 : 3600;
    for (let row = 0; row < out.length; row++) {
      const ct = out[row] as number;
      if (known(ct)) out[row] = ct > 0 ? ct : Number.NaN;
      else {
        const rate = rates[row] as number;
        out[row] = rate > 0 ? perHour / rate : Number.NaN;
      }
    }
    if (!byOptions) return out;
    const parts = this.labelColumn('part');
    const machines = this.labelColumn('machine');
    for (let row = 0; row < out.length; row++) {
      if (known(out[row] as number)) continue;
      const key = [parts[row], machines[row], '*'].find(
        (name): name is string => name != null && Object.hasOwn(given, name),
      );
      out[row] = key === undefined ? Number.NaN : (given[key] as number);
    }
    return out;
  }
}
