/**
 * The field registry: every canonical field the engine reads, once, with the kind of value it holds and
 * its English and German synonyms. Header matching, value checks, units and personal-data handling all
 * derive from this table.
 *
 * Synonyms are phrases of whole words, as headers are matched by tokens (see `headers.ts`): "planned
 * production time" matches `Planned Production Time [min]`, `planned_production_time` and
 * `PlannedProductionTime`. German compounds are listed whole (`stillstandsgrund`), as a compound is one
 * token and is never split: a substring of a word claims nothing.
 */
export type FieldKind =
  /** Pieces. */
  | 'count'
  /** A duration read in minutes (the header's unit, else minutes). */
  | 'minutes'
  /** A duration read in seconds (the header's unit, else seconds). */
  | 'seconds'
  /** Pieces per hour (per minute when the header says so). */
  | 'rate'
  /** A point in time: date and time, or a clock time joined to a date column. */
  | 'instant'
  /** A calendar day. */
  | 'date'
  /** A name to group by (machine, part): text or whole numbers, never fractions. */
  | 'label'
  /** A value of a small vocabulary (state, reason, defect type): text or whole-number codes. */
  | 'code'
  /** A measured value or specification limit. */
  | 'measurement'
  /** Personal data: never analysed, never echoed. */
  | 'personal'
  /** Free text: recognised so that it is not taken for anything else, then left out. */
  | 'text';

type FieldSpec = { kind: FieldKind; en: string[]; de: string[] };

const REGISTRY = {
  ts_start: {
    kind: 'instant',
    en: [
      'timestamp',
      'time stamp',
      'ts',
      'datetime',
      'date time',
      'time',
      'start',
      'start time',
      'start timestamp',
      'begin',
      'from',
      'event timestamp',
      'event time',
      'sample time',
      'recorded at',
    ],
    de: [
      'zeitstempel',
      'zeit',
      'zeitpunkt',
      'datum zeit',
      'datum uhrzeit',
      'uhrzeit',
      'beginn',
      'von',
      'startzeit',
      'buchungszeit',
      'erfassungszeit',
      'meldezeit',
    ],
  },
  ts_end: {
    kind: 'instant',
    en: ['end', 'end time', 'end timestamp', 'to', 'finish', 'stop time stamp'],
    de: ['ende', 'bis', 'endzeit', 'endezeit'],
  },
  time_start: { kind: 'instant', en: [], de: [] },
  time_end: { kind: 'instant', en: [], de: [] },
  date: {
    kind: 'date',
    en: ['date', 'shift date', 'day', 'production date', 'booking date'],
    de: ['datum', 'schichtdatum', 'buchungsdatum', 'produktionsdatum', 'tag', 'buchungstag'],
  },
  machine: {
    kind: 'label',
    en: ['machine', 'equipment', 'asset', 'station', 'resource', 'device', 'work center', 'workcenter'],
    de: [
      'maschine',
      'maschinen',
      'maschinennummer',
      'anlage',
      'anlagen',
      'inventarnr',
      'inventarnummer',
      'arbeitsplatz',
      'ressource',
      'betriebsmittel',
    ],
  },
  line: {
    kind: 'label',
    en: ['line', 'cell', 'production line', 'area'],
    de: ['linie', 'kostenstelle', 'bereich', 'fertigungslinie', 'produktionslinie'],
  },
  shift: { kind: 'label', en: ['shift', 'crew', 'team'], de: ['schicht'] },
  order: {
    kind: 'label',
    en: ['order', 'job', 'batch', 'lot', 'work order', 'production order'],
    de: ['auftrag', 'auftragsnr', 'auftragsnummer', 'fa', 'fertigungsauftrag', 'charge', 'los'],
  },
  part: {
    kind: 'label',
    en: ['part', 'product', 'article', 'sku', 'item number', 'part number', 'material'],
    de: [
      'artikel',
      'artikelnummer',
      'teil',
      'teile',
      'teilenummer',
      'sachnummer',
      'bauteil',
      'produkt',
      'materialnummer',
    ],
  },
  total_count: {
    kind: 'count',
    en: [
      'total',
      'total count',
      'total parts',
      'total pieces',
      'produced',
      'quantity',
      'qty',
      'output',
      'part count',
      'count',
      'items',
      'pieces',
      'actual quantity',
    ],
    de: [
      'gesamt',
      'gesamtmenge',
      'gesamtstueck',
      'stueckzahl',
      'stueck',
      'produzierte stueckzahl',
      'menge',
      'ist menge',
      'produziert',
    ],
  },
  good_count: {
    kind: 'count',
    en: ['good', 'good parts', 'good count', 'good qty', 'good quantity', 'good pieces', 'ok', 'ok parts'],
    de: ['gutteile', 'gutmenge', 'gutstueck', 'gutstuck', 'gut', 'io', 'i o', 'io teile', 'gut menge'],
  },
  scrap_count: {
    kind: 'count',
    en: ['scrap', 'scrap count', 'scrap qty', 'reject', 'rejects', 'rejected', 'bad', 'bad count', 'nok'],
    de: [
      'ausschuss',
      'ausschussmenge',
      'ausschussteile',
      'schlechtteile',
      'schlechtmenge',
      'nio',
      'n i o',
      'nio teile',
    ],
  },
  rework_count: { kind: 'count', en: ['rework', 'reworked'], de: ['nacharbeit', 'nacharbeitsmenge'] },
  target_qty: {
    kind: 'count',
    en: ['target', 'target qty', 'target quantity', 'planned qty', 'planned quantity'],
    de: ['sollmenge', 'zielmenge', 'zielmenge pro tag', 'planmenge', 'soll menge'],
  },
  planned_min: {
    kind: 'minutes',
    en: ['planned production time', 'planned time', 'planned', 'ppt', 'scheduled time', 'available time'],
    de: ['belegungszeit', 'geplante produktionszeit', 'planzeit', 'sollzeit', 'planbelegungszeit'],
  },
  run_min: {
    kind: 'minutes',
    en: ['run time', 'runtime', 'operating time', 'run', 'production time', 'uptime'],
    de: [
      'laufzeit',
      'betriebszeit',
      'produktionszeit',
      'prod zeit',
      'hauptzeit',
      'fertigungszeit',
      'bearbeitungszeit',
    ],
  },
  downtime_min: {
    kind: 'minutes',
    en: ['downtime', 'down time', 'stop time', 'stoppage time', 'stoppage'],
    de: [
      'stillstand',
      'stillstandszeit',
      'stillst zeit',
      'stoerzeit',
      'ausfallzeit',
      'maschinenstillstand',
      'stillstandsdauer',
    ],
  },
  setup_min: {
    kind: 'minutes',
    en: ['setup time', 'set up time', 'setup', 'changeover time', 'changeover'],
    de: ['ruestzeit', 'ruest zeit', 'ruesten', 'umruestzeit', 'ruestdauer'],
  },
  duration_min: {
    kind: 'minutes',
    en: ['duration', 'state duration', 'state duration minutes', 'duration min', 'minutes', 'elapsed'],
    de: ['dauer', 'minuten', 'zeitdauer'],
  },
  reason: {
    kind: 'code',
    en: [
      'reason',
      'cause',
      'fault',
      'alarm code',
      'alarm text',
      'alarm message',
      'downtime reason',
      'stop reason',
      'stop cause',
      'fault code',
      'error code',
    ],
    de: [
      'grund',
      'stillstandsgrund',
      'stillstand grund',
      'stoergrund',
      'stoerung',
      'stoermeldung',
      'fehlercode',
      'ursache',
      'stillstandsursache',
      'meldung',
    ],
  },
  reason_class: {
    kind: 'code',
    en: ['reason class', 'reason category', 'category', 'planned unplanned', 'stop type', 'downtime type'],
    de: ['kategorie', 'stillstandsart', 'stillstandskategorie', 'stoerart'],
  },
  state: {
    kind: 'code',
    en: ['state', 'status', 'machine state', 'machine status', 'mode', 'operating mode'],
    de: ['zustand', 'maschinenzustand', 'maschinenstatus', 'betriebszustand', 'betriebsart'],
  },
  defect: {
    kind: 'code',
    en: ['defect', 'defect type', 'defect code', 'defect description', 'scrap reason', 'reject reason'],
    de: [
      'fehlerart',
      'fehlerart bez',
      'fehler',
      'fehlerbild',
      'fehlerbezeichnung',
      'ausschussgrund',
      'ausschussart',
    ],
  },
  ideal_ct_s: {
    kind: 'seconds',
    en: ['ideal cycle time', 'ideal ct', 'standard cycle time', 'min batch time', 'target cycle time'],
    de: ['ideale taktzeit', 'solltaktzeit', 'soll taktzeit', 'ideale taktzeit je stueck', 'vorgabezeit'],
  },
  ideal_rate: {
    kind: 'rate',
    en: ['ideal rate', 'rated speed', 'nominal rate', 'ideal run rate', 'rated rate'],
    de: ['sollleistung', 'nennleistung'],
  },
  cycle_s: {
    kind: 'seconds',
    en: ['cycle time', 'ct', 'actual cycle time'],
    de: ['zykluszeit', 'isttaktzeit', 'ist taktzeit', 'taktzeit', 'takt'],
  },
  characteristic: {
    kind: 'label',
    en: ['characteristic', 'feature', 'parameter', 'measurement name', 'variable'],
    de: ['merkmal', 'pruefmerkmal', 'messgroesse'],
  },
  subgroup: {
    kind: 'label',
    en: ['subgroup', 'subgroup no', 'sample', 'sample no', 'sample number', 'sample id'],
    de: ['stichprobe', 'stichprobennr', 'stichprobennummer', 'teilgruppe', 'untergruppe'],
  },
  value: {
    kind: 'measurement',
    en: ['value', 'measurement', 'measured value', 'reading', 'result'],
    de: ['messwert', 'wert', 'istwert', 'ist wert', 'messergebnis'],
  },
  lsl: {
    kind: 'measurement',
    en: ['lsl', 'lower spec', 'lower spec limit', 'lower specification limit', 'lower tolerance'],
    de: ['utg', 'usg', 'untergrenze', 'untere toleranz', 'untere toleranzgrenze'],
  },
  usl: {
    kind: 'measurement',
    en: ['usl', 'upper spec', 'upper spec limit', 'upper specification limit', 'upper tolerance'],
    de: ['otg', 'osg', 'obergrenze', 'obere toleranz', 'obere toleranzgrenze'],
  },
  operator: {
    kind: 'personal',
    en: ['operator', 'employee', 'worker', 'user', 'personnel number', 'badge'],
    de: [
      'mitarbeiter',
      'personalnummer',
      'personalnr',
      'werker',
      'bediener',
      'anwender',
      'benutzer',
      'name des mitarbeiters',
    ],
  },
  comment: {
    kind: 'text',
    en: ['comment', 'comments', 'note', 'notes', 'remark', 'project'],
    de: ['kommentar', 'bemerkung', 'notiz', 'projekt', 'hinweis'],
  },
} as const satisfies Record<string, FieldSpec>;

export type Canonical = keyof typeof REGISTRY;
export const CANONICAL_FIELDS = Object.keys(REGISTRY) as Canonical[];

export const kindOf = (field: Canonical): FieldKind => REGISTRY[field].kind;
export const synonymsOf = (field: Canonical): readonly string[] => [
  ...REGISTRY[field].en,
  ...REGISTRY[field].de,
];

/** Kinds read as numbers. */
export const isNumericKind = (kind: FieldKind): boolean =>
  kind === 'count' || kind === 'minutes' || kind === 'seconds' || kind === 'rate' || kind === 'measurement';
/** Kinds read as points in time. */
export const isTemporalKind = (kind: FieldKind): boolean => kind === 'instant' || kind === 'date';

/** The synonyms of one language, every field's. */
export const synonymsIn = (language: 'de' | 'en'): string[] =>
  CANONICAL_FIELDS.flatMap((field) => REGISTRY[field][language]);
