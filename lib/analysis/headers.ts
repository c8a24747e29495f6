/** Canonical fields the engine understands (see the domain notes, section a). */
export const CANONICAL_FIELDS = [
  'ts_start',
  'ts_end',
  'date',
  'time_start',
  'time_end',
  'machine',
  'line',
  'shift',
  'order',
  'part',
  'total_count',
  'good_count',
  'scrap_count',
  'rework_count',
  'planned_min',
  'run_min',
  'downtime_min',
  'duration_min',
  'reason',
  'reason_class',
  'state',
  'ideal_ct_s',
  'ideal_rate',
  'cycle_s',
  'target_qty',
  'characteristic',
  'subgroup',
  'value',
  'lsl',
  'usl',
  'operator',
  'comment',
] as const;
export type Canonical = (typeof CANONICAL_FIELDS)[number];

/** Normalised synonyms (see `normaliseHeader`), English and German, most specific first. */
const SYNONYMS: [Canonical, string[]][] = [
  [
    'ts_start',
    [
      'timestamp',
      'zeitstempel',
      'start',
      'starttime',
      'begin',
      'beginn',
      'from',
      'von',
      'eventtimestamp',
      'starttimestamp',
      'startzeit',
    ],
  ],
  ['ts_end', ['end', 'endtime', 'ende', 'to', 'bis', 'endzeit', 'endtimestamp']],
  ['date', ['date', 'datum', 'shiftdate', 'schichtdatum', 'day', 'tag']],
  [
    'machine',
    [
      'machine',
      'machineid',
      'equipment',
      'asset',
      'station',
      'maschine',
      'anlage',
      'inventarnr',
      'arbeitsplatz',
      'resource',
      'ressource',
    ],
  ],
  ['line', ['line', 'workcenter', 'cell', 'linie', 'kostenstelle', 'bereich', 'productionline']],
  ['shift', ['shift', 'crew', 'schicht', 'team']],
  ['order', ['order', 'job', 'batch', 'lot', 'auftrag', 'fanr', 'charge', 'los', 'workorder', 'auftragsnr']],
  [
    'part',
    [
      'part',
      'product',
      'article',
      'sku',
      'artikel',
      'teil',
      'sachnummer',
      'bauteil',
      'produkt',
      'material',
      'partnumber',
    ],
  ],
  [
    'good_count',
    [
      'good',
      'goodparts',
      'goodcount',
      'goodqty',
      'ok',
      'gutteile',
      'gutmenge',
      'gutstueck',
      'gutstuck',
      'io',
      'gut',
    ],
  ],
  [
    'scrap_count',
    [
      'scrap',
      'reject',
      'rejects',
      'bad',
      'badcount',
      'nok',
      'ausschuss',
      'schlechtteile',
      'nio',
      'scrapcount',
      'ausschussmenge',
    ],
  ],
  ['rework_count', ['rework', 'nacharbeit']],
  [
    'total_count',
    [
      'total',
      'totalcount',
      'produced',
      'quantity',
      'qty',
      'output',
      'stueckzahl',
      'produziertestueckzahl',
      'menge',
      'istmenge',
      'partcount',
      'count',
    ],
  ],
  [
    'planned_min',
    [
      'plannedproductiontime',
      'plannedtime',
      'planned',
      'ppt',
      'belegungszeit',
      'geplanteproduktionszeit',
      'planzeit',
      'sollzeit',
    ],
  ],
  ['run_min', ['runtime', 'operatingtime', 'laufzeit', 'betriebszeit', 'run']],
  [
    'downtime_min',
    [
      'downtime',
      'stoptime',
      'stillstand',
      'stoerzeit',
      'ausfallzeit',
      'maschinenstillstand',
      'stillstandszeit',
    ],
  ],
  [
    'duration_min',
    ['duration', 'dauer', 'statedurationminutes', 'stateduration', 'durationmin', 'minutes', 'minuten'],
  ],
  [
    'reason',
    [
      'reason',
      'cause',
      'fault',
      'alarm',
      'alarmcode',
      'grund',
      'stillstandsgrund',
      'stoergrund',
      'fehlercode',
      'downtimereason',
      'stopreason',
    ],
  ],
  [
    'reason_class',
    ['reasonclass', 'category', 'kategorie', 'plannedunplanned', 'stoptype', 'type', 'art', 'stillstandsart'],
  ],
  ['state', ['state', 'status', 'zustand', 'machinestate']],
  [
    'ideal_ct_s',
    [
      'idealcycletime',
      'idealct',
      'idealetaktzeit',
      'solltaktzeit',
      'idealetaktzeitjestueck',
      'minbatchtime',
      'standardcycletime',
    ],
  ],
  ['ideal_rate', ['idealrate', 'ratedspeed', 'sollleistung', 'nominalrate', 'idealrunrate']],
  ['cycle_s', ['cycletime', 'zykluszeit', 'isttaktzeit', 'ct', 'takt']],
  ['target_qty', ['target', 'targetqty', 'sollmenge', 'zielmenge', 'zielmengeprotag', 'plannedqty']],
  ['characteristic', ['characteristic', 'feature', 'merkmal', 'parameter', 'measurementname']],
  [
    'subgroup',
    [
      'subgroup',
      'subgroupno',
      'sample',
      'sampleno',
      'samplenumber',
      'sampleid',
      'stichprobe',
      'stichprobennr',
      'stichprobennummer',
      'teilgruppe',
      'untergruppe',
    ],
  ],
  ['value', ['value', 'measurement', 'measuredvalue', 'messwert', 'wert', 'istwert', 'reading']],
  ['lsl', ['lsl', 'lowerspec', 'lowerspeclimit', 'utg', 'usg', 'untergrenze']],
  ['usl', ['usl', 'upperspec', 'upperspeclimit', 'otg', 'osg', 'obergrenze']],
  [
    'operator',
    [
      'operator',
      'operatorid',
      'mitarbeiter',
      'personalnummer',
      'personalnr',
      'werker',
      'employee',
      'worker',
      'bediener',
    ],
  ],
  ['comment', ['comment', 'comments', 'kommentar', 'bemerkung', 'note', 'notes', 'projekt', 'project']],
];

const EXACT = new Map<string, Canonical>();
for (const [canonical, words] of SYNONYMS)
  for (const word of words) if (!EXACT.has(word)) EXACT.set(word, canonical);

export type Unit = 'min' | 's' | 'h' | 'ms' | '%' | 'count' | 'mm' | 'bar' | 'degc' | undefined;

const UNIT_PATTERNS: [RegExp, Exclude<Unit, undefined>][] = [
  [/\b(in\s+)?(min|minutes|minuten|mins)\b\.?/i, 'min'],
  [/\b(in\s+)?(sekunden|seconds|sec|secs|s)\b\.?/i, 's'],
  [/\b(in\s+)?(stunden|hours|hrs|h)\b\.?/i, 'h'],
  [/\bms\b/i, 'ms'],
  [/%/, '%'],
  [/\b(stk|pcs|stueck|stück)\b\.?/i, 'count'],
];

/** NFKC, lower case, German umlauts spelled out, only letters and digits kept. */
export function normaliseHeader(raw: string): string {
  return raw
    .normalize('NFKC')
    .toLowerCase()
    .replaceAll('ä', 'ae')
    .replaceAll('ö', 'oe')
    .replaceAll('ü', 'ue')
    .replaceAll('ß', 'ss')
    .replace(/[^a-z0-9]/g, '');
}

/** The unit a header names (`Stillstand [min]`, `Taktzeit (s)`, `in Minuten`), and the header without it. */
export function splitUnit(raw: string): { name: string; unit: Unit } {
  const bracket = /[[(]\s*([^)\]]+?)\s*[\])]\s*$/.exec(raw);
  const candidates = bracket ? [bracket[1] as string] : [];
  candidates.push(raw);
  for (const candidate of candidates) {
    for (const [pattern, unit] of UNIT_PATTERNS) {
      if (pattern.test(candidate)) {
        const name =
          bracket && candidate === bracket[1] ? raw.slice(0, bracket.index) : raw.replace(pattern, ' ');
        return { name: name.trim(), unit };
      }
    }
  }
  return { name: raw.trim(), unit: undefined };
}

export type HeaderMatch = { canonical: Canonical; score: number };

/**
 * Scores a header against the synonym table: an exact synonym scores 1, a synonym contained in the
 * header (or the header in a synonym) scores by how much of the header it covers.
 */
export function matchHeader(raw: string): HeaderMatch | undefined {
  const { name } = splitUnit(raw);
  const key = normaliseHeader(name) || normaliseHeader(raw);
  if (!key) return undefined;
  const exact = EXACT.get(key);
  if (exact) return { canonical: exact, score: 1 };
  let best: HeaderMatch | undefined;
  for (const [canonical, words] of SYNONYMS) {
    for (const word of words) {
      if (word.length < 3) continue;
      let score = 0;
      if (key.includes(word)) score = 0.6 + 0.35 * (word.length / key.length);
      else if (word.includes(key) && key.length >= 5) score = 0.5 + 0.3 * (key.length / word.length);
      if (score > (best?.score ?? 0)) best = { canonical, score };
    }
  }
  return best;
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
      if (match && match.score >= 0.6) hits += match.score;
    }
    if (hits > best.hits + 1e-9) best = { index, hits };
  }
  return best.index;
}
