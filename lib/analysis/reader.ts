import type { Canonical } from './headers';
import { type Column, readNumber, type Table } from './table';
import { berlinDay, isMissing, type ParsedTime, parseTime, safeText } from './values';

/**
 * A column's cells decoded once per distinct value, on first use: reading a row is an array lookup by
 * its dictionary code, so the engine parses ~2,000 distinct cells instead of ~500,000.
 */
class ColumnView {
  #numbers: Float64Array | undefined;
  #times: (ParsedTime | null)[] | undefined;
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
        this.#numbers[code] = readNumber(dictionary[code] as string, this.column, this.field) ?? Number.NaN;
    }
    return this.#numbers;
  }
  times(): (ParsedTime | null)[] {
    this.#times ??= this.column.dictionary.map((cell) => parseTime(cell, this.column.dateOrder));
    return this.#times;
  }
  texts(): (string | null)[] {
    this.#texts ??= this.column.dictionary.map((cell) => {
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
    this.#days ??= this.times().map((time) => (time?.kind === 'instant' ? berlinDay(time.ms) : null));
    return this.#days;
  }
}

/** Typed reads of data rows by canonical field; a field the file lacks reads as null. */
export class RowReader {
  readonly #views = new Map<Canonical, ColumnView>();
  readonly #byColumn = new Map<Column, ColumnView>();

  constructor(readonly table: Table) {
    for (const [field, column] of table.byCanonical) this.#views.set(field, new ColumnView(column, field));
  }
  has(field: Canonical): boolean {
    return this.#views.has(field);
  }
  /** A number in the column's unit; durations in minutes; cycle times in seconds. */
  number(row: number, field: Canonical): number | null {
    const view = this.#views.get(field);
    if (!view) return null;
    const value = view.numbers()[view.column.codes[row] as number] as number;
    return Number.isNaN(value) ? null : value;
  }
  /** A number from a column no field claimed (a downtime reason or a characteristic), read as `as`. */
  numberIn(column: Column, row: number, as?: Canonical): number | null {
    let view = this.#byColumn.get(column);
    if (!view) {
      view = new ColumnView(column, as);
      this.#byColumn.set(column, view);
    }
    const value = view.numbers()[column.codes[row] as number] as number;
    return Number.isNaN(value) ? null : value;
  }
  time(row: number, field: Canonical): ParsedTime | null {
    const view = this.#views.get(field);
    return view ? (view.times()[view.column.codes[row] as number] ?? null) : null;
  }
  /** Trimmed text; null when missing. */
  text(row: number, field: Canonical): string | null {
    const view = this.#views.get(field);
    return view ? (view.texts()[view.column.codes[row] as number] ?? null) : null;
  }
  /** Text safe to echo in the report. */
  label(row: number, field: Canonical): string | null {
    const view = this.#views.get(field);
    return view ? (view.labels()[view.column.codes[row] as number] ?? null) : null;
  }
  /** The Berlin calendar day of a date or timestamp cell. */
  day(row: number, field: Canonical): string | null {
    const view = this.#views.get(field);
    return view ? (view.days()[view.column.codes[row] as number] ?? null) : null;
  }

  /** A row's start or end instant: a timestamp, or a date plus a clock time. */
  instant(row: number, which: 'start' | 'end'): (ParsedTime & { kind: 'instant' }) | null {
    const full = this.time(row, which === 'start' ? 'ts_start' : 'ts_end');
    if (full?.kind === 'instant') return full;
    const clock = this.time(row, which === 'start' ? 'time_start' : 'time_end');
    if (clock?.kind !== 'time') return null;
    const date = this.time(row, 'date');
    return date?.kind === 'instant'
      ? { kind: 'instant', ms: date.ms + clock.minutes * 60_000, naive: true }
      : null;
  }
  /** The row's Berlin calendar day: its date, else the day it started. */
  rowDay(row: number): string | null {
    const date = this.day(row, 'date');
    if (date !== null) return date;
    const start = this.instant(row, 'start');
    return start ? berlinDay(start.ms) : null;
  }
  /** The machine, or the line when the file names no machine. */
  machine(row: number): string | null {
    return this.label(row, 'machine') ?? this.label(row, 'line');
  }
  /** Seconds per piece at the ideal rate; rates are pieces per hour unless the header says per minute. */
  idealCycleSeconds(row: number): number | null {
    const ct = this.number(row, 'ideal_ct_s');
    if (ct !== null) return ct > 0 ? ct : null;
    const rate = this.number(row, 'ideal_rate');
    if (rate === null || rate <= 0) return null;
    return this.table.byCanonical.get('ideal_rate')?.unit === 'min' ? 60 / rate : 3600 / rate;
  }
}
