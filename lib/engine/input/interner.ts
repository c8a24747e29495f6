/** Not NaN: the amount is known (amounts are doubles with NaN for "unknown", so nothing is boxed). */
export const known = (value: number): boolean => !Number.isNaN(value);

/** Ids for strings, in first-seen order: rows group and compare as integers. */
export class Interner {
  readonly names: string[] = [];
  readonly #ids = new Map<string, number>();
  id(value: string | null): number {
    if (value === null) return -1;
    let id = this.#ids.get(value);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(value);
      this.#ids.set(value, id);
    }
    return id;
  }
}
