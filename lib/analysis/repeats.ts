/**
 * Finds repeated rows by hash chains over row numbers: the caller hashes a row's integer codes and says
 * how two rows compare, so nothing per row is allocated (a 4 MB export has ~50,000 rows).
 */
export class RepeatIndex {
  readonly #heads = new Map<number, number>();
  readonly #next: Int32Array;

  constructor(capacity: number) {
    this.#next = new Int32Array(capacity);
  }

  /** True when an earlier remembered row equals `row`; otherwise `row` is remembered. */
  seen(row: number, hash: number, equals: (earlier: number, row: number) => boolean): boolean {
    const head = this.#heads.get(hash) ?? -1;
    for (let earlier = head; earlier !== -1; earlier = this.#next[earlier] as number)
      if (equals(earlier, row)) return true;
    this.#next[row] = head;
    this.#heads.set(hash, row);
    return false;
  }
}

export const HASH_SEED = 0x811c9dc5;

/** FNV-1a step over a 32-bit integer (any integer up to 2^53 mixes both halves). */
export function mixHash(hash: number, value: number): number {
  let h = Math.imul(hash ^ (value | 0), 0x01000193);
  if (value > 0x7fffffff || value < -0x80000000)
    h = Math.imul(h ^ Math.floor(value / 0x100000000), 0x01000193);
  return h;
}
