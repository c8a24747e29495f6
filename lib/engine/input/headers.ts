import { CANONICAL_FIELDS, type Canonical, synonymsIn, synonymsOf } from './fields';

export { CANONICAL_FIELDS, type Canonical } from './fields';

export type Unit = 'min' | 's' | 'h' | 'ms' | '%' | 'count' | undefined;

/** Lower case, NFKC, German umlauts spelled out (`Rüstzeit` and `Ruestzeit` are one word). */
function fold(text: string): string {
  return text
    .normalize('NFKC')
    .replaceAll('ä', 'ae')
    .replaceAll('ö', 'oe')
    .replaceAll('ü', 'ue')
    .replaceAll('Ä', 'Ae')
    .replaceAll('Ö', 'Oe')
    .replaceAll('Ü', 'Ue')
    .replaceAll('ß', 'ss');
}

/**
 * A header's words: split at punctuation and spaces, at case changes (`MachineId`, `OEEValue`) and
 * between letters and digits (`Machine1`), lower-cased. Digits alone are dropped: they number columns.
 */
export function tokenize(raw: string): string[] {
  const spaced = fold(raw)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2')
    .toLowerCase();
  return spaced.split(/[^a-z0-9]+/).filter((token) => token !== '' && !/^\d+$/.test(token));
}

/** NFKC, lower case, umlauts spelled out, only letters and digits kept: how a mapping names a column. */
export function normaliseHeader(raw: string): string {
  return fold(raw)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const UNIT_WORDS: Record<string, Exclude<Unit, undefined>> = {
  min: 'min',
  mins: 'min',
  minute: 'min',
  minutes: 'min',
  minuten: 'min',
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  sek: 's',
  sekunden: 's',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  std: 'h',
  stunden: 'h',
  ms: 'ms',
  pct: '%',
  percent: '%',
  prozent: '%',
  stk: 'count',
  pcs: 'count',
};
/** Words that qualify a field without changing it (`Machine ID`, `FA-Nr.`, `Maschinen-Bez.`). */
const QUALIFIERS = new Set([
  'id',
  'nr',
  'no',
  'num',
  'number',
  'nummer',
  'name',
  'code',
  'bez',
  'bezeichnung',
  'desc',
  'description',
  'text',
  'key',
  'label',
  'kennung',
  'kz',
  'in',
  'of',
  'the',
  'per',
  'pro',
  'je',
  'der',
  'die',
  'das',
  'des',
  'im',
  'am',
  'and',
  'und',
  'for',
  'fuer',
  'a',
  'an',
]);

/**
 * A header split into its words and its unit: a trailing bracket (`[min]`, `(s)`, `(Stk)`) is never
 * part of the name; unit words at the end (`duration_min`, `Stillstand in Minuten`) are the unit when
 * other words remain; `%` anywhere is a percentage.
 */
export function headerWords(raw: string): { words: string[]; unit: Unit } {
  let name = raw.trim();
  let unit: Unit;
  for (let bracket = /\s*[[(]([^)\]]*)[\])]\s*$/.exec(name); bracket; ) {
    const inside = tokenize(bracket[1] as string);
    const named = inside.length === 1 ? UNIT_WORDS[inside[0] as string] : undefined;
    unit ??= named ?? (bracket[1]?.includes('%') ? '%' : undefined);
    name = name.slice(0, bracket.index);
    bracket = /\s*[[(]([^)\]]*)[\])]\s*$/.exec(name);
  }
  if (!unit && name.includes('%')) unit = '%';
  const words = tokenize(name);
  while (words.length > 1 && UNIT_WORDS[words[words.length - 1] as string]) {
    unit ??= UNIT_WORDS[words.pop() as string];
    if (words[words.length - 1] === 'in' && words.length > 1) words.pop();
  }
  return { words, unit };
}

type Phrase = { field: Canonical; words: string[]; joined: string };

/**
 * Every synonym as words, and joined into one word (`Ist-Menge`, `Istmenge` and `IstMenge` all match),
 * indexed by first word and by joined form. Built on first use: tokenising the registry is cold-start
 * time that a function which never reads a header would pay.
 */
let phraseIndex: { byFirstWord: Map<string, Phrase[]>; byJoined: Map<string, Phrase[]> } | undefined;
function phrases() {
  if (phraseIndex) return phraseIndex;
  const byFirstWord = new Map<string, Phrase[]>();
  const byJoined = new Map<string, Phrase[]>();
  for (const field of CANONICAL_FIELDS)
    for (const synonym of synonymsOf(field)) {
      const words = tokenize(synonym);
      const phrase: Phrase = { field, words, joined: words.join('') };
      for (const [index, key] of [
        [byFirstWord, words[0] as string],
        [byJoined, phrase.joined],
      ] as const) {
        const list = index.get(key) ?? [];
        list.push(phrase);
        index.set(key, list);
      }
    }
  phraseIndex = { byFirstWord, byJoined };
  return phraseIndex;
}

export type HeaderMatch = { canonical: Canonical; score: number };

/** A header covers at least this share of its words with one synonym to be claimed. */
export const MIN_COVERAGE = 0.6;

/**
 * The fields a header may hold, best first. A synonym matches whole words only: as a run of the
 * header's words, or as one word that spells the synonym's words joined. Its score is the share of the
 * header's words (qualifiers and units aside) it covers, so `Machine1_Zone1Temperature_C_Actual` is not
 * a machine (one word in five) while `Machine name` is.
 */
export function headerCandidates(raw: string): HeaderMatch[] {
  const { words } = headerWords(raw);
  const content = words.filter((word) => !QUALIFIERS.has(word));
  if (content.length === 0) return [];
  const best = new Map<Canonical, number>();
  const consider = (field: Canonical, covered: number, exact: boolean) => {
    // A phrase that is the whole header scores 1; one that also needed qualifiers left out, a hair less.
    const score = Math.min(1, covered / content.length) * (exact ? 1 : 0.98);
    if (score > (best.get(field) ?? 0)) best.set(field, score);
  };
  const { byFirstWord, byJoined } = phrases();
  for (let at = 0; at < words.length; at++) {
    const word = words[at] as string;
    for (const phrase of byJoined.get(word) ?? []) consider(phrase.field, 1, words.length === 1);
    for (const phrase of byFirstWord.get(word) ?? []) {
      const length = phrase.words.length;
      if (length < 2 || at + length > words.length) continue;
      let same = true;
      for (let i = 1; i < length && same; i++) same = words[at + i] === phrase.words[i];
      if (!same) continue;
      const covered = phrase.words.filter((w) => !QUALIFIERS.has(w)).length;
      consider(phrase.field, covered, words.length === length);
    }
  }
  return [...best.entries()]
    .map(([canonical, score]) => ({ canonical, score: Math.round(score * 1000) / 1000 }))
    .filter((match) => match.score >= MIN_COVERAGE)
    .sort(
      (a, b) =>
        b.score - a.score || CANONICAL_FIELDS.indexOf(a.canonical) - CANONICAL_FIELDS.indexOf(b.canonical),
    );
}

/** The best field for a header, if any synonym covers enough of it. */
export function matchHeader(raw: string): HeaderMatch | undefined {
  return headerCandidates(raw)[0];
}

/** Blank headers become `col_N`, repeated ones get `_2`, `_3`. */
export function cleanHeaders(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((cell, index) => {
    const base = cell.replace(/^\uFEFF/, '').trim() || `col_${index + 1}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}_${count}`;
  });
}

/**
 * The header row: among the first 30 rows that have data below them, the one with the most synonym hits
 * (title and metadata preambles are skipped).
 */
export function findHeaderRow(rows: string[][]): number {
  let best = { index: 0, hits: -1 };
  for (let index = 0; index < Math.min(30, rows.length - 1); index++) {
    const row = rows[index] as string[];
    let hits = 0;
    for (const cell of row) {
      if (/^[\d\s.,:/-]+$/.test(cell.trim())) continue; // numbers and dates are data, not headers
      const match = matchHeader(cell);
      if (match) hits += match.score;
    }
    if (hits > best.hits + 1e-9) best = { index, hits };
  }
  return best.index;
}

let byLanguage: { de: Set<string>; en: Set<string> } | undefined;
const joined = (text: string) => headerWords(text).words.join('');

/**
 * The language of an export's headers ('de' or 'en'): which language's synonyms they are, whole;
 * undefined when neither dominates. A synonym both languages share counts for neither.
 */
export function headerLanguage(headers: string[]): 'de' | 'en' | undefined {
  byLanguage ??= { de: new Set(synonymsIn('de').map(joined)), en: new Set(synonymsIn('en').map(joined)) };
  const { de, en } = byLanguage;
  let score = 0;
  for (const header of headers) {
    const name = joined(header);
    if (de.has(name) && !en.has(name)) score++;
    else if (en.has(name) && !de.has(name)) score--;
  }
  return score === 0 ? undefined : score > 0 ? 'de' : 'en';
}
