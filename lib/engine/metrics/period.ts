import { formatInstant } from '../input/values';

/**
 * The span the data covers, keeping the offset each end was written with (naive times have none and
 * are shown in Berlin time). Offsets are minutes east of UTC; NaN for none.
 */
export class Period {
  start = Number.POSITIVE_INFINITY;
  end = Number.NEGATIVE_INFINITY;
  #startOffset = Number.NaN;
  #endOffset = Number.NaN;

  widenStart(ms: number, offset = Number.NaN): void {
    if (ms < this.start) {
      this.start = ms;
      this.#startOffset = offset;
    }
  }
  widenEnd(ms: number, offset = Number.NaN): void {
    if (ms > this.end) {
      this.end = ms;
      this.#endOffset = offset;
    }
  }
  widen(ms: number, offset = Number.NaN): void {
    this.widenStart(ms, offset);
    this.widenEnd(ms, offset);
  }
  get known(): boolean {
    return Number.isFinite(this.start);
  }
  /** Minutes from start to end; null when nothing was dated. */
  get minutes(): number | null {
    return this.known ? (this.end - this.start) / 60_000 : null;
  }
  toJSON(): { start: string | null; end: string | null } {
    return this.known
      ? { start: formatInstant(this.start, this.#startOffset), end: formatInstant(this.end, this.#endOffset) }
      : { start: null, end: null };
  }
}
