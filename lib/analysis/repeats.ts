/**
 * Finds repeated rows by hash chains over row numbers: the caller hashes a row's integer codes and says
 * how two rows compare, so nothing per row is allocated (a 4 MB export has ~50,000 rows).
 */
export class RepeatIndex {
  // Open addressing on hashes: `slots` holds a chain's newest row + 1 (0 = empty) and its hash.
  #slots: Int32Array;
  #hashes: Int32Array;
  #used = 0;
  #next: Int32Array<ArrayBuffer>;

  /** `expectedRows`: a size hint (the index grows past it). */
  constructor(expectedRows = 1024) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(1024, expectedRows) * 2));
    this.#slots = new Int32Array(size);
    this.#hashes = new Int32Array(size);
    this.#next = new Int32Array(Math.max(1024, expectedRows));
  }

  /** True when an earlier remembered row equals `row`; otherwise `row` is remembered. */
  seen(row: number, hash: number, equals: (earlier: number, row: number) => boolean): boolean {
    const slot = this.#slotOf(hash | 0);
    const head = (this.#slots[slot] as number) - 1;
    for (let earlier = head; earlier !== -1; earlier = this.#next[earlier] as number)
      if (equals(earlier, row)) return true;
    if (row >= this.#next.length) this.#next = grow(this.#next, row + 1);
    this.#next[row] = head;
    this.#slots[slot] = row + 1;
    this.#hashes[slot] = hash | 0;
    if (head === -1 && ++this.#used * 2 > this.#slots.length) this.#rehash();
    return false;
  }

  /** The slot holding `hash`, or the empty slot where it belongs. */
  #slotOf(hash: number): number {
    const mask = this.#slots.length - 1;
    // Multiplicative hashes vary least in their low bits: fold the high bits in before masking.
    let slot = (hash ^ (hash >>> 15) ^ (hash >>> 23)) & mask;
    while (this.#slots[slot] !== 0 && this.#hashes[slot] !== hash) slot = (slot + 1) & mask;
    return slot;
  }

  #rehash(): void {
    const [slots, hashes] = [this.#slots, this.#hashes];
    this.#slots = new Int32Array(slots.length * 2);
    this.#hashes = new Int32Array(slots.length * 2);
    for (let old = 0; old < slots.length; old++) {
      if (slots[old] === 0) continue;
      const slot = this.#slotOf(hashes[old] as number);
      this.#slots[slot] = slots[old] as number;
      this.#hashes[slot] = hashes[old] as number;
    }
  }
}

/** A copy of `array` with room for at least `size` elements (doubling). */
export function grow(array: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(Math.max(size, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** FNV-1a offset basis, as a signed 32-bit integer like every hash it starts (typed arrays store them so). */
export const HASH_SEED = 0x811c9dc5 | 0;

/** FNV-1a step over a 32-bit integer (any integer up to 2^53 mixes both halves). */
export function mixHash(hash: number, value: number): number {
  let h = Math.imul(hash ^ (value | 0), 0x01000193);
  if (value > 0x7fffffff || value < -0x80000000)
    h = Math.imul(h ^ Math.floor(value / 0x100000000), 0x01000193);
  return h;
}
