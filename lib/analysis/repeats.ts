/**
 * Finds repeated rows by hash chains over row numbers: the caller hashes a row's integer codes and says
 * how two rows compare, so nothing per row is allocated (a 4 MB export has ~50,000 rows).
 */
export class RepeatIndex {
  readonly #heads = new Map<number, number>();
  #next: Int32Array<ArrayBuffer> = new Int32Array(1024);

  /** True when an earlier remembered row equals `row`; otherwise `row` is remembered. */
  seen(row: number, hash: number, equals: (earlier: number, row: number) => boolean): boolean {
    const key = hash & 0x3fffffff; // small integers stay unboxed as Map keys
    const head = this.#heads.get(key) ?? -1;
    for (let earlier = head; earlier !== -1; earlier = this.#next[earlier] as number)
      if (equals(earlier, row)) return true;
    if (row >= this.#next.length) this.#next = grow(this.#next, row + 1);
    this.#next[row] = head;
    this.#heads.set(key, row);
    return false;
  }
}

/** A copy of `array` with room for at least `size` elements (doubling). */
export function grow(array: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(Math.max(size, array.length * 2));
  bigger.set(array);
  return bigger;
}

export const HASH_SEED = 0x811c9dc5;

/** FNV-1a step over a 32-bit integer (any integer up to 2^53 mixes both halves). */
export function mixHash(hash: number, value: number): number {
  let h = Math.imul(hash ^ (value | 0), 0x01000193);
  if (value > 0x7fffffff || value < -0x80000000)
    h = Math.imul(h ^ Math.floor(value / 0x100000000), 0x01000193);
  return h;
}
