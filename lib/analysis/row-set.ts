/**
 * Remembers rows (arrays of strings) to find exact repeats: a 32-bit FNV-1a hash picks the bucket, an
 * exact comparison decides. Much cheaper than joining every row into a string key on a 4 MB file.
 */
export class RowSet {
  readonly #buckets = new Map<number, (readonly (string | number | null)[])[]>();

  /** Adds the row; answers false when an equal row was already there. */
  add(row: readonly (string | number | null)[]): boolean {
    let hash = 0x811c9dc5;
    for (const value of row) {
      const text = value === null ? '\u0000' : String(value);
      for (let i = 0; i < text.length; i++) {
        hash ^= text.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193);
      }
      hash ^= 0x1f; // field separator
      hash = Math.imul(hash, 0x01000193);
    }
    const bucket = this.#buckets.get(hash);
    if (!bucket) {
      this.#buckets.set(hash, [row]);
      return true;
    }
    for (const seen of bucket)
      if (seen.length === row.length && seen.every((value, i) => value === row[i])) return false;
    bucket.push(row);
    return true;
  }
}
