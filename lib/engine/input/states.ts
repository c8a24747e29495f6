import { tokenize } from './headers';
import type { StateCategory } from './options';
import { parseNumber } from './values';

export type { StateCategory } from './options';

/**
 * The built-in machine-state vocabulary, English and German, by whole words (phrases first). A value
 * none of it names is unknown: the engine never guesses that it is a stop.
 */
const VOCABULARY: [StateCategory, string[]][] = [
  [
    'unplanned_stop',
    [
      'unplanned',
      'ungeplant',
      'not running',
      'nicht in betrieb',
      'stop',
      'stopped',
      'stopping',
      'down',
      'idle',
      'alarm',
      'fault',
      'faulted',
      'error',
      'failure',
      'breakdown',
      'blocked',
      'starved',
      'waiting',
      'jam',
      'jammed',
      'emergency stop',
      'e stop',
      'repair',
      'red',
      'stoerung',
      'stillstand',
      'fehler',
      'stau',
      'ausfall',
      'defekt',
      'reparatur',
      'wartet',
      'warten',
      'materialmangel',
      'material shortage',
      'not aus',
      'rot',
    ],
  ],
  [
    'not_scheduled',
    [
      'not scheduled',
      'unscheduled',
      'off',
      'offline',
      'shutdown',
      'shut down',
      'no order',
      'no shift',
      'weekend',
      'holiday',
      'aus',
      'ausgeschaltet',
      'abgeschaltet',
      'kein auftrag',
      'keine schicht',
      'wochenende',
      'feiertag',
      'betriebsruhe',
    ],
  ],
  [
    'setup',
    [
      'setup',
      'set up',
      'changeover',
      'change over',
      'ruesten',
      'umruesten',
      'ruestzeit',
      'ruestvorgang',
      'einrichten',
      'einrichtbetrieb',
    ],
  ],
  [
    'planned_stop',
    [
      'planned',
      'planned stop',
      'planned downtime',
      'break',
      'pause',
      'lunch',
      'meeting',
      'maintenance',
      'preventive maintenance',
      'cleaning',
      'training',
      'geplant',
      'geplanter stillstand',
      'wartung',
      'reinigung',
      'schulung',
      'besprechung',
      'mittagspause',
      'instandhaltung',
    ],
  ],
  [
    'running',
    [
      'run',
      'running',
      'runs',
      'production',
      'producing',
      'automatic',
      'automatic production',
      'manual production',
      'auto',
      'manual',
      'operating',
      'active',
      'up',
      'green',
      'cycling',
      'working',
      'produktion',
      'produziert',
      'automatik',
      'automatikbetrieb',
      'handbetrieb',
      'manuell',
      'in betrieb',
      'betrieb',
      'laeuft',
      'aktiv',
      'gruen',
    ],
  ],
];

/** Words that turn a state around: "not ready", "kein Material" are not what their noun says. */
const NEGATIONS = new Set(['not', 'no', 'non', 'nicht', 'kein', 'keine', 'ohne']);
/** Categories by precedence, for values whose words name several: a stop named in a state wins. */
const PRECEDENCE: StateCategory[] = ['unplanned_stop', 'not_scheduled', 'setup', 'planned_stop', 'running'];
/** Words that, alone among several, decide the category: "unplanned maintenance" is unplanned. */
const DECISIVE: Record<string, StateCategory> = { unplanned: 'unplanned_stop', ungeplant: 'unplanned_stop' };

/** The vocabulary as words, longest phrase first; built on first use (cold start). */
let phrases: { category: StateCategory; words: string[] }[] | undefined;
const vocabulary = () =>
  (phrases ??= VOCABULARY.flatMap(([category, list]) =>
    list.map((phrase) => ({ category, words: tokenize(phrase) })),
  ).sort((a, b) => b.words.length - a.words.length));

/** What the built-in vocabulary says a state or reason text is; undefined when it does not know. */
export function vocabularyCategory(text: string): StateCategory | undefined {
  const words = tokenize(text);
  if (words.length === 0) return undefined;
  for (const word of words) if (DECISIVE[word]) return DECISIVE[word];
  const found = new Set<StateCategory>();
  const used = new Uint8Array(words.length);
  for (const phrase of vocabulary()) {
    const length = phrase.words.length;
    for (let at = 0; at + length <= words.length; at++) {
      let same = true;
      for (let i = 0; i < length && same; i++) same = used[at + i] === 0 && words[at + i] === phrase.words[i];
      if (!same) continue;
      found.add(phrase.category);
      used.fill(1, at, at + length);
    }
  }
  if (found.size === 0) return undefined;
  // A negation the phrases did not cover leaves the value unknown rather than reading it backwards.
  if (words.some((word, index) => NEGATIONS.has(word) && used[index] === 0)) return undefined;
  return PRECEDENCE.find((category) => found.has(category));
}

/**
 * Classifies state and reason values: the user's `states` first (numeric codes by number, so "1" is
 * 1.0; text by case-insensitive whole value), then the vocabulary.
 */
export class StateClassifier {
  readonly #byText = new Map<string, StateCategory>();
  readonly #byNumber = new Map<number, StateCategory>();
  /** The user's entries that some value matched: echoed in the report as applied. */
  readonly used = new Set<string>();
  readonly #keyOf = new Map<string, string>();

  constructor(states: Readonly<Record<string, StateCategory>> = {}) {
    for (const [value, category] of Object.entries(states)) {
      const number = parseNumber(value, '.')?.value;
      if (number !== undefined) {
        this.#byNumber.set(number, category);
        this.#keyOf.set(`#${number}`, value);
      } else {
        const text = value.trim().toLowerCase();
        this.#byText.set(text, category);
        this.#keyOf.set(text, value);
      }
    }
  }

  /** The user's category for a value, if the user gave one. */
  user(text: string): StateCategory | undefined {
    const number = parseNumber(text, '.')?.value ?? parseNumber(text, ',')?.value;
    if (number !== undefined && this.#byNumber.has(number)) {
      this.used.add(this.#keyOf.get(`#${number}`) as string);
      return this.#byNumber.get(number);
    }
    const key = text.trim().toLowerCase();
    const category = this.#byText.get(key);
    if (category) this.used.add(this.#keyOf.get(key) as string);
    return category;
  }

  /** The user's category, else the vocabulary's; undefined when neither knows the value. */
  classify(text: string): StateCategory | undefined {
    return this.user(text) ?? vocabularyCategory(text);
  }
}

/** Setup, planned stops and time not scheduled are planned; unplanned stops are not. */
export const isPlanned = (category: StateCategory | undefined): boolean =>
  category === 'setup' || category === 'planned_stop' || category === 'not_scheduled';

/**
 * Whether a state column holds machine states: some value the user or the vocabulary knows, or only a
 * few whole-number codes (a PLC's 1/2/3). A booking export's Frei/Gesperrt is not.
 */
export function holdsMachineStates(values: readonly (string | null)[], classifier: StateClassifier): boolean {
  const distinct = new Set<string>();
  let allCodes = true;
  for (const value of values) {
    if (value === null) continue;
    distinct.add(value);
    if (classifier.classify(value) !== undefined) return true;
    const number = parseNumber(value, '.')?.value;
    if (number === undefined || !Number.isInteger(number)) allCodes = false;
  }
  return allCodes && distinct.size > 0 && distinct.size <= 20;
}
