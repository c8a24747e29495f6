/**
 * The engine's one text order: by UTF-16 units (codes, ids, names, labels). Not `localeCompare`: its first call builds the default
 * collator (13 ms in Node 20, 18-20 ms in workerd, measured), which every cold instance paid on its first
 * analysis, to sort identifiers whose order only has to be stable.
 */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
