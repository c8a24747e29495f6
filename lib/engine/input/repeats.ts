/**
 * Chains of ids (rows, dictionary codes) by 32-bit hash: open addressing on the hashes, each slot holding
 * its chain's newest id + 1 (0 = empty), and a `next` link per id. Typed arrays only, so nothing per
 * entry is allocated (a 4 MB export has ~50,000 rows and ~500,000 cells).
 */
export class HashChains {
  /** Per slot, side by side (one cache line per probe): its chain's newest id + 1 (0 = empty), and its hash. */
  #slots: Int32Array;
  #used = 0;
  #next: Int32Array<ArrayBuffer>;

  /** `expected`: how many ids are likely (a size hint; the chains grow past it). */
  constructor(expected = 1024) {
    const ids = Math.max(64, expected);
    this.#slots = new Int32Array(2 * 2 ** Math.ceil(Math.log2(ids * 2)));
    this.#next = new Int32Array(ids);
  }

  /** The slot holding `hash`, or the empty slot where it belongs (for `first` and `insert`). */
  slotOf(hash: number): number {
    const slots = this.#slots;
    const mask = slots.length - 2;
    // Multiplicative hashes vary least in their low bits: fold the high bits in before masking.
    let slot = ((hash ^ (hash >>> 15) ^ (hash >>> 23)) << 1) & mask;
    while (slots[slot] !== 0 && slots[slot + 1] !== hash) slot = (slot + 2) & mask;
    return slot;
  }
  /** The newest id at `slot`, or -1. */
  first(slot: number): number {
    return (this.#slots[slot] as number) - 1;
  }
  /** The id chained after `id` (an older one with the same hash), or -1. */
  next(id: number): number {
    return this.#next[id] as number;
  }
  /** Puts `id` first in the chain at `slot` (from `slotOf(hash)`, with no insert since). */
  insert(slot: number, hash: number, id: number): void {
    const head = (this.#slots[slot] as number) - 1;
    if (id >= this.#next.length) this.#next = grow(this.#next, id + 1);
    this.#next[id] = head;
    this.#slots[slot] = id + 1;
    this.#slots[slot + 1] = hash;
    if (head === -1 && ++this.#used * 4 > this.#slots.length) this.#rehash();
  }

  #rehash(): void {
    const old = this.#slots;
    this.#slots = new Int32Array(old.length * 2);
    for (let at = 0; at < old.length; at += 2) {
      if (old[at] === 0) continue;
      const slot = this.slotOf(old[at + 1] as number);
      this.#slots[slot] = old[at] as number;
      this.#slots[slot + 1] = old[at + 1] as number;
    }
  }
}

/**
 * Finds repeated rows: the caller hashes a row's integer codes and says how two rows compare.
 */
export class RepeatIndex {
  readonly #chains: HashChains;

  /** `expectedRows`: a size hint (the index grows past it). */
  constructor(expectedRows = 1024) {
    this.#chains = new HashChains(expectedRows);
  }

  /** True when an earlier remembered row equals `row`; otherwise `row` is remembered. */
  seen(row: number, hash: number, equals: (earlier: number, row: number) => boolean): boolean {
    const chains = this.#chains;
    const slot = chains.slotOf(hash | 0);
    for (let earlier = chains.first(slot); earlier !== -1; earlier = chains.next(earlier))
      if (equals(earlier, row)) return true;
    chains.insert(slot, hash | 0, row);
    return false;
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
/** FNV-1a's 32-bit prime. */
export const FNV_PRIME = 0x01000193;

/** FNV-1a step over a 32-bit integer (any integer up to 2^53 mixes both halves). */
export function mixHash(hash: number, value: number): number {
  let h = Math.imul(hash ^ (value | 0), FNV_PRIME);
  if (value > 0x7fffffff || value < -0x80000000)
    h = Math.imul(h ^ Math.floor(value / 0x100000000), FNV_PRIME);
  return h;
}
