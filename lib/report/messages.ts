/**
 * Every word the report page, its questions and the result mail show, once per language. Engine texts
 * (reasons, details) are English; known ones are told here in the reader's language, unknown ones are
 * shown as the engine wrote them.
 */
import type { Lang } from './language';

type Figures = Record<string, unknown>;

const en = {
  htmlLang: 'en',
  product: 'ManufacturingInsideAnalyzer',
  title: 'Production analysis',
  switchLanguage: 'Deutsch',
  summary: {
    file: 'File',
    period: 'Period',
    machines: 'Machines',
    dataQuality: 'Data quality',
    rows: (used: string, excluded: string, issues: string) =>
      `${used} rows used, ${excluded} excluded, ${issues} notes`,
    shape: { aggregated: 'shift or order totals', events: 'machine event log', measurements: 'measurements' },
    none: 'none named',
    noPeriod: 'no dates in the file',
  },
  headline: {
    oee: 'OEE',
    availability: 'Availability',
    performance: 'Performance',
    quality: 'Quality',
    reference: 'the world-class reference of 85%',
    target: 'your target',
    toTarget: (target: string) => `your target of ${target}`,
    below: (gap: string, reference: string) => `${gap} below ${reference}`,
    above: (gap: string, reference: string) => `${gap} above ${reference}`,
    howComputed: 'How it is computed',
    numerator: 'Numerator',
    denominator: 'Denominator',
    formula: 'Formula',
    notComputable: 'not computable',
    whatToAdd: 'What to add',
  },
  sections: {
    losses: 'Where the time goes',
    waterfall: 'Loss waterfall',
    sixBigLosses: 'Six Big Losses',
    downtime: 'Downtime Pareto',
    scrap: 'Scrap by defect',
    groups: 'OEE by machine, shift and part',
    byMachine: 'By machine',
    byShift: 'By shift',
    byPart: 'By part',
    trend: 'Trend',
    heatmap: 'Downtime by machine and reason',
    reliability: 'Failures: MTBF and MTTR',
    spc: 'Process control (SPC)',
    insights: 'What stands out',
    dataQuality: 'Data quality notes',
    questions: 'Questions the file could not answer',
    dataTable: 'Data table',
  },
  waterfall: {
    planned_production_time: 'Planned time',
    downtime_loss: 'Downtime loss',
    run_time: 'Run time',
    speed_loss: 'Speed loss',
    net_run_time: 'Net run time',
    quality_loss: 'Quality loss',
    fully_productive_time: 'Fully productive time',
  } as Record<string, string>,
  sixBigLosses: {
    unplanned_stops: 'Unplanned stops',
    planned_stops: 'Planned stops',
    small_stops: 'Small stops',
    slow_cycles: 'Slow cycles',
    production_rejects: 'Production rejects',
    startup_rejects: 'Start-up rejects',
  } as Record<string, string>,
  factor: { availability: 'availability', performance: 'performance', quality: 'quality' } as Record<
    string,
    string
  >,
  columns: {
    step: 'Step',
    minutes: 'Minutes',
    loss: 'Loss',
    factor: 'Factor',
    events: 'Events',
    reason: 'Reason',
    share: 'Share',
    cumulative: 'Cumulative',
    defect: 'Defect',
    scrap: 'Scrap',
    group: 'Group',
    period: 'Period',
    machine: 'Machine',
    failures: 'Failures',
    mtbf: 'MTBF',
    mttr: 'MTTR',
    point: 'Point',
    value: 'Value',
    rule: 'Rule',
    bin: 'Range',
    count: 'Count',
    code: 'Code',
    note: 'Note',
    setup: 'of it setup',
  },
  chart: {
    waterfallDesc: 'Planned time minus each loss, down to the fully productive time, in minutes.',
    sixDesc: 'Minutes lost by each of the Six Big Losses; losses the data cannot give are left out.',
    paretoDesc: (items: number, vital: string) =>
      `${items} reasons, largest first, with the cumulative share; the vital few: ${vital}.`,
    scrapDesc: (items: number) => `${items} defect types, largest first, with the cumulative share.`,
    groupDesc: (groups: number) => `OEE of ${groups} groups against the 85 % reference.`,
    trendDesc: (points: number) => `OEE over ${points} periods against the 85 % reference.`,
    heatDesc: (machines: number, reasons: number) =>
      `Downtime minutes of ${machines} machines for the ${reasons} largest reasons; darker is more.`,
    controlDesc: (points: number, violations: number) =>
      `${points} points with centre line and control limits; ${violations} points break a rule.`,
    histogramDesc: (values: number) => `${values} values in bins, with the specification limits.`,
    center: 'CL',
    ucl: 'UCL',
    lcl: 'LCL',
    lsl: 'LSL',
    usl: 'USL',
    target: 'Target',
    other: '(other)',
  },
  spc: {
    chart: (characteristic: string, machine: string | null, kind: string) =>
      `${characteristic}${machine ? ` on ${machine}` : ''} (${kind} chart)`,
    inControl: 'In statistical control: no rule is broken.',
    outOfControl: (count: number) => `${count} points break a control rule; the process is not in control.`,
    rules: {
      WE1: 'a point beyond 3 sigma',
      WE2: '2 of 3 points beyond 2 sigma on one side',
      WE3: '4 of 5 points beyond 1 sigma on one side',
      WE4: '8 points in a row on one side of the centre',
      N3: '6 points in a row rising or falling',
      N4: '14 points in a row alternating up and down',
      N7: '15 points in a row within 1 sigma',
      N8: '8 points in a row beyond 1 sigma on both sides',
    } as Record<string, string>,
    capability: 'Capability',
    capable: 'capable (Cpk at least 1.33)',
    notCapable: 'not capable (Cpk below 1.33)',
    noSpecs: 'No specification limits: capability needs them. Give them below.',
    limitedCharts: (shown: number) => `The first ${shown} series are shown.`,
  },
  reliability: { none: 'No failures were logged.' },
  pending: {
    title: 'The analysis is running',
    body: 'The file has arrived and is being analysed. This page refreshes itself every few seconds; most files take under a minute.',
  },
  failed: {
    title: 'The analysis failed',
    codeLabel: 'Error code',
    whatToDo: 'What to change',
    tryAgain: 'Export the file again with the change and upload it.',
  },
  failures: {
    WORKBOOK_UNREADABLE: 'The workbook is damaged or incomplete. Save it again as .xlsx and upload it.',
    WORKBOOK_TOO_LARGE:
      'The workbook unpacks to more than an analysis reads. Export the table alone, or a shorter period.',
    WORKBOOK_SHEET_NOT_FOUND:
      'The workbook has no sheet of the name given in the options. Check the sheet name.',
    NOT_TABULAR:
      'The file does not look like one table: its rows have different numbers of fields. Export a single table with a header row, without report titles between the rows.',
    EMPTY_FILE: 'The file is empty. Export the data again.',
    NO_USABLE_COLUMNS:
      'No column could be read as production data (counts, times, states or measurements). Check that the export has a header row, or name the columns with a mapping.',
    MAPPING_UNKNOWN_COLUMN:
      'The column mapping names a column the file does not have. Check the spelling of the header in the mapping.',
    MAPPING_CONFLICT: 'The column mapping gives one field to two columns. Give each field to one column.',
    TOO_MANY_ROWS: 'The file has more rows than one analysis reads. Export a shorter period.',
    TOO_MANY_COLUMNS: 'The file has more columns than one analysis reads. Export only the columns you need.',
    NEGATIVE_VALUE: 'A count or time is negative. Check the export for sign errors.',
    INVALID_OPTIONS: 'The analysis options are not valid. Check them against the API documentation.',
    ANALYSIS_TIMED_OUT:
      'The analysis took too long. Upload the file again, or split it into shorter periods.',
    ANALYSIS_INTERRUPTED: 'The analysis was interrupted by a fault on our side. Upload the file again.',
    ANALYSIS_FAILED:
      'The analysis failed in the engine; we have been notified. Check the export or send it to support.',
  } as Record<string, string>,
  reasons: {
    'needs planned time and run time (or downtime)':
      'Add the planned production time and the run time (or the downtime) per row.',
    'needs an ideal cycle time (or rate), total count and run time':
      'Add an ideal cycle time (or an ideal rate) per part or machine, the total count and the run time.',
    'needs good and total counts (or scrap)': 'Add the good count and the total count (or the scrap count).',
    'needs scrap (or good) and total counts': 'Add the scrap count (or the good count) and the total count.',
    'needs good counts and run time': 'Add the good count and the run time.',
    'needs rework, good and total counts': 'Add a rework count beside the good and total counts.',
    'needs dates or times that span a period': 'Add dates or timestamps that span the period.',
    'OEE is not computable': 'OEE is not computable, so this is not either.',
    'a component is not computable':
      'One of availability, performance and quality is not computable (see there).',
    'denominator is zero': 'The figure it divides by is zero in this data.',
    'not computable: needs an event log with one row per stop':
      'Needs an event log with one row per stop (aggregated rows cannot tell small stops apart).',
    'not computable: the data does not mark start-up production':
      'Needs a column that marks start-up production.',
    'not computable: needs run time, ideal cycle time and total count':
      'Needs run time, an ideal cycle time and the total count.',
    'not computable: needs ideal cycle time and good and total counts':
      'Needs an ideal cycle time and good and total counts.',
    'not computable: needs a stop reason for the downtime': 'Needs a stop reason beside the downtime.',
    'not computable: needs downtime (or planned and run time) with stop reasons':
      'Needs downtime (or planned and run time) with stop reasons.',
  } as Record<string, string>,
  reasonCodes: {
    STATE_UNKNOWN: 'Part of the logged time is in states the engine does not know; say below what they mean.',
    MIXED_IDEAL_CT:
      'Parts with different ideal cycle times: A x P x Q and the time-based OEE differ slightly.',
    IDEAL_CT_TOO_SLOW: 'Above 100 %: the ideal cycle time is probably set too slow.',
  } as Record<string, string>,
  issues: {
    severity: { error: 'error', warning: 'warning', info: 'note' } as Record<string, string>,
    rows: 'rows',
  },
  evidence: {
    reason: 'reason',
    minutes: 'minutes',
    share: 'share',
    events: 'stops',
    performance: 'performance',
    scrap: 'scrap',
    total: 'total',
    rate: 'rate',
    machine: 'machine',
    oee: 'OEE',
    overall: 'overall OEE',
    weakest: 'weakest factor',
    weakestValue: 'its value',
  } as Record<string, string>,
  insights: {
    TOP_DOWNTIME_REASON: (e: Figures, f: Fmt) =>
      `"${e.reason}" causes ${f.percent(e.share as number)} of all downtime (${f.minutes(e.minutes as number)}).`,
    IDEAL_CT_TOO_SLOW: (e: Figures, f: Fmt) =>
      `Performance is ${f.percent(e.performance as number)}, above 100 %: the ideal cycle time is probably set too slow.`,
    HIGH_SCRAP_RATE: (e: Figures, f: Fmt) => `The scrap rate is ${f.percent(e.rate as number)}.`,
    WORST_MACHINE: (e: Figures, f: Fmt) =>
      `${e.machine} has the lowest OEE (${f.percent(e.oee as number)} against ${f.percent(e.overall as number)} overall); its weakest factor is ${e.weakest}.`,
    SPC_OUT_OF_CONTROL: (e: Figures) =>
      `${e.characteristic}${e.machine ? ` (${e.machine})` : ''}: ${violationsOf(e)} control rule violations; the process is not in statistical control.`,
    NOT_CAPABLE: (e: Figures, f: Fmt) =>
      `${e.characteristic}: the capability index ${f.measure(capabilityIndex(e))} is below 1.33.`,
  } as Record<string, (evidence: Figures, format: Fmt) => string>,
  questions: {
    intro:
      'Answer what you know and upload the same file again: a new analysis is made with your answers, linked to this one. The file is not stored, so it is asked for again.',
    file: 'The same file again',
    submit: 'Analyse again with these answers',
    states: 'What do these machine states mean?',
    statesHelp:
      'The file logs states the engine does not know. Say which ones are production and which are stops.',
    stateValue: 'State',
    category: {
      '': 'do not know',
      running: 'running (production)',
      setup: 'setup or changeover',
      planned_stop: 'planned stop',
      unplanned_stop: 'unplanned stop (failure)',
      not_scheduled: 'not scheduled',
    } as Record<string, string>,
    specs: 'Specification limits',
    specsHelp: 'Capability (Cp, Cpk) needs the lower and upper specification limits of each characteristic.',
    lsl: 'Lower limit (LSL)',
    usl: 'Upper limit (USL)',
    target: 'Target',
    dateOrder: 'How are the dates written?',
    dateOrderHelp: 'No date in the file settles whether 03/04 is 3 April or 4 March.',
    dmy: 'day/month/year',
    mdy: 'month/day/year',
    columns: 'Columns that were not read',
    columnsHelp: 'These columns were not used. If one holds production data, say which.',
    leaveOut: 'leave it out',
    idealCycle: 'Ideal cycle time',
    idealCycleHelp: 'Performance needs the ideal cycle time: the fastest time per piece, in seconds.',
    seconds: 'seconds per piece',
    rerunOf: 'This analysis re-runs an earlier one with your answers.',
    earlier: 'the earlier analysis',
    wrongFile: 'This is not the file of this analysis: upload the same file again.',
    nothing: 'Give at least one answer.',
  },
  mail: {
    subjectDone: (file: string) => `Your analysis of ${file} is ready`,
    subjectFailed: (file: string) => `The analysis of ${file} failed`,
    done: 'The analysis of your file is ready.',
    failed: 'The analysis of your file failed.',
    open: 'Open the report',
    keepPrivate:
      'Keep the link private: it is the only key to the report. Sign in with this address to keep it in your account.',
    notYou: 'If you did not upload a file, ignore this mail.',
  },
  footer: (engine: string) => `Engine ${engine}. Times in Berlin time.`,
  notFound:
    'This report does not exist (any more), or the link is incomplete. Links from forms work while the analysis is kept.',
};

export type Messages = typeof en;
type Fmt = {
  percent(v: number | null): string;
  minutes(v: number | null): string;
  measure(v: number | null): string;
};

function capabilityIndex(evidence: Figures): number | null {
  const capability = evidence.capability as Record<'cpk' | 'cpu' | 'cpl', number | null> | undefined;
  return capability?.cpk ?? capability?.cpu ?? capability?.cpl ?? null;
}

const violationsOf = (evidence: Figures) =>
  Object.values((evidence.counts ?? {}) as Record<string, number>).reduce((sum, count) => sum + count, 0);

const de: Messages = {
  htmlLang: 'de',
  product: 'ManufacturingInsideAnalyzer',
  title: 'Produktionsanalyse',
  switchLanguage: 'English',
  summary: {
    file: 'Datei',
    period: 'Zeitraum',
    machines: 'Maschinen',
    dataQuality: 'Datenqualität',
    rows: (used, excluded, issues) =>
      `${used} Zeilen verwendet, ${excluded} ausgeschlossen, ${issues} Hinweise`,
    shape: {
      aggregated: 'Schicht- oder Auftragssummen',
      events: 'Maschinen-Ereignisprotokoll',
      measurements: 'Messwerte',
    },
    none: 'keine genannt',
    noPeriod: 'keine Daten in der Datei',
  },
  headline: {
    oee: 'OEE',
    availability: 'Verfügbarkeit',
    performance: 'Leistung',
    quality: 'Qualität',
    reference: 'dem Weltklasse-Richtwert von 85 %',
    target: 'Ihr Ziel',
    toTarget: (target) => `Ihrem Ziel von ${target}`,
    below: (gap, reference) => `${gap} unter ${reference}`,
    above: (gap, reference) => `${gap} über ${reference}`,
    howComputed: 'So wird gerechnet',
    numerator: 'Zähler',
    denominator: 'Nenner',
    formula: 'Formel',
    notComputable: 'nicht berechenbar',
    whatToAdd: 'Was fehlt',
  },
  sections: {
    losses: 'Wohin die Zeit geht',
    waterfall: 'Verlustkaskade',
    sixBigLosses: 'Six Big Losses',
    downtime: 'Stillstands-Pareto',
    scrap: 'Ausschuss nach Fehlerart',
    groups: 'OEE nach Maschine, Schicht und Teil',
    byMachine: 'Nach Maschine',
    byShift: 'Nach Schicht',
    byPart: 'Nach Teil',
    trend: 'Verlauf',
    heatmap: 'Stillstand nach Maschine und Grund',
    reliability: 'Störungen: MTBF und MTTR',
    spc: 'Prozessregelung (SPC)',
    insights: 'Was auffällt',
    dataQuality: 'Hinweise zur Datenqualität',
    questions: 'Fragen, die die Datei nicht beantwortet',
    dataTable: 'Datentabelle',
  },
  waterfall: {
    planned_production_time: 'Geplante Zeit',
    downtime_loss: 'Stillstandsverlust',
    run_time: 'Laufzeit',
    speed_loss: 'Geschwindigkeitsverlust',
    net_run_time: 'Netto-Laufzeit',
    quality_loss: 'Qualitätsverlust',
    fully_productive_time: 'Voll produktive Zeit',
  },
  sixBigLosses: {
    unplanned_stops: 'Ungeplante Stillstände',
    planned_stops: 'Geplante Stillstände',
    small_stops: 'Kurzstillstände',
    slow_cycles: 'Verringerte Geschwindigkeit',
    production_rejects: 'Ausschuss in der Produktion',
    startup_rejects: 'Anlaufausschuss',
  },
  factor: { availability: 'Verfügbarkeit', performance: 'Leistung', quality: 'Qualität' },
  columns: {
    step: 'Schritt',
    minutes: 'Minuten',
    loss: 'Verlust',
    factor: 'Faktor',
    events: 'Ereignisse',
    reason: 'Grund',
    share: 'Anteil',
    cumulative: 'Kumuliert',
    defect: 'Fehlerart',
    scrap: 'Ausschuss',
    group: 'Gruppe',
    period: 'Zeitraum',
    machine: 'Maschine',
    failures: 'Störungen',
    mtbf: 'MTBF',
    mttr: 'MTTR',
    point: 'Punkt',
    value: 'Wert',
    rule: 'Regel',
    bin: 'Bereich',
    count: 'Anzahl',
    code: 'Code',
    note: 'Hinweis',
    setup: 'davon Rüsten',
  },
  chart: {
    waterfallDesc: 'Geplante Zeit abzüglich jedes Verlusts bis zur voll produktiven Zeit, in Minuten.',
    sixDesc: 'Minuten Verlust je Six Big Loss; Verluste, die die Daten nicht hergeben, fehlen.',
    paretoDesc: (items, vital) =>
      `${items} Gründe, größter zuerst, mit kumuliertem Anteil; die wichtigsten: ${vital}.`,
    scrapDesc: (items) => `${items} Fehlerarten, größte zuerst, mit kumuliertem Anteil.`,
    groupDesc: (groups) => `OEE von ${groups} Gruppen gegen den Richtwert 85 %.`,
    trendDesc: (points) => `OEE über ${points} Zeiträume gegen den Richtwert 85 %.`,
    heatDesc: (machines, reasons) =>
      `Stillstandsminuten von ${machines} Maschinen für die ${reasons} größten Gründe; dunkler ist mehr.`,
    controlDesc: (points, violations) =>
      `${points} Punkte mit Mittellinie und Eingriffsgrenzen; ${violations} Punkte verletzen eine Regel.`,
    histogramDesc: (values) => `${values} Werte in Klassen, mit den Toleranzgrenzen.`,
    center: 'M',
    ucl: 'OEG',
    lcl: 'UEG',
    lsl: 'UTG',
    usl: 'OTG',
    target: 'Soll',
    other: '(übrige)',
  },
  spc: {
    chart: (characteristic, machine, kind) =>
      `${characteristic}${machine ? ` an ${machine}` : ''} (${kind}-Karte)`,
    inControl: 'Statistisch beherrscht: keine Regel verletzt.',
    outOfControl: (count) => `${count} Punkte verletzen eine Regel; der Prozess ist nicht beherrscht.`,
    rules: {
      WE1: 'ein Punkt außerhalb 3 Sigma',
      WE2: '2 von 3 Punkten außerhalb 2 Sigma auf einer Seite',
      WE3: '4 von 5 Punkten außerhalb 1 Sigma auf einer Seite',
      WE4: '8 Punkte in Folge auf einer Seite der Mittellinie',
      N3: '6 Punkte in Folge steigend oder fallend',
      N4: '14 Punkte in Folge abwechselnd auf und ab',
      N7: '15 Punkte in Folge innerhalb 1 Sigma',
      N8: '8 Punkte in Folge außerhalb 1 Sigma auf beiden Seiten',
    },
    capability: 'Prozessfähigkeit',
    capable: 'fähig (Cpk mindestens 1,33)',
    notCapable: 'nicht fähig (Cpk unter 1,33)',
    noSpecs: 'Keine Toleranzgrenzen: die Fähigkeit braucht sie. Geben Sie sie unten an.',
    limitedCharts: (shown) => `Die ersten ${shown} Reihen werden gezeigt.`,
  },
  reliability: { none: 'Es wurden keine Störungen protokolliert.' },
  pending: {
    title: 'Die Analyse läuft',
    body: 'Die Datei ist angekommen und wird ausgewertet. Diese Seite aktualisiert sich alle paar Sekunden; die meisten Dateien brauchen unter einer Minute.',
  },
  failed: {
    title: 'Die Analyse ist fehlgeschlagen',
    codeLabel: 'Fehlercode',
    whatToDo: 'Was zu ändern ist',
    tryAgain: 'Exportieren Sie die Datei mit der Änderung neu und laden Sie sie hoch.',
  },
  failures: {
    WORKBOOK_UNREADABLE:
      'Die Arbeitsmappe ist beschädigt oder unvollständig. Speichern Sie sie erneut als .xlsx und laden Sie sie hoch.',
    WORKBOOK_TOO_LARGE:
      'Die Arbeitsmappe ist entpackt größer, als eine Analyse liest. Exportieren Sie nur die Tabelle oder einen kürzeren Zeitraum.',
    WORKBOOK_SHEET_NOT_FOUND:
      'Die Arbeitsmappe hat kein Blatt mit dem in den Optionen genannten Namen. Prüfen Sie den Blattnamen.',
    NOT_TABULAR:
      'Die Datei sieht nicht wie eine Tabelle aus: ihre Zeilen haben unterschiedlich viele Felder. Exportieren Sie eine einzelne Tabelle mit Kopfzeile, ohne Berichtstitel zwischen den Zeilen.',
    EMPTY_FILE: 'Die Datei ist leer. Exportieren Sie die Daten erneut.',
    NO_USABLE_COLUMNS:
      'Keine Spalte ließ sich als Produktionsdaten lesen (Stückzahlen, Zeiten, Zustände oder Messwerte). Prüfen Sie, ob der Export eine Kopfzeile hat, oder benennen Sie die Spalten mit einer Zuordnung.',
    MAPPING_UNKNOWN_COLUMN:
      'Die Spaltenzuordnung nennt eine Spalte, die die Datei nicht hat. Prüfen Sie die Schreibweise der Überschrift.',
    MAPPING_CONFLICT:
      'Die Spaltenzuordnung gibt ein Feld zwei Spalten. Ordnen Sie jedes Feld einer Spalte zu.',
    TOO_MANY_ROWS:
      'Die Datei hat mehr Zeilen, als eine Analyse liest. Exportieren Sie einen kürzeren Zeitraum.',
    TOO_MANY_COLUMNS:
      'Die Datei hat mehr Spalten, als eine Analyse liest. Exportieren Sie nur die nötigen Spalten.',
    NEGATIVE_VALUE: 'Eine Stückzahl oder Zeit ist negativ. Prüfen Sie den Export auf Vorzeichenfehler.',
    INVALID_OPTIONS: 'Die Analyseoptionen sind ungültig. Prüfen Sie sie anhand der API-Dokumentation.',
    ANALYSIS_TIMED_OUT:
      'Die Analyse hat zu lange gedauert. Laden Sie die Datei erneut hoch oder teilen Sie sie in kürzere Zeiträume.',
    ANALYSIS_INTERRUPTED:
      'Die Analyse wurde durch einen Fehler bei uns unterbrochen. Laden Sie die Datei erneut hoch.',
    ANALYSIS_FAILED:
      'Die Analyse ist in der Auswertung fehlgeschlagen; wir wurden benachrichtigt. Prüfen Sie den Export oder senden Sie ihn an den Support.',
  },
  reasons: {
    'needs planned time and run time (or downtime)':
      'Ergänzen Sie je Zeile die geplante Produktionszeit und die Laufzeit (oder die Stillstandszeit).',
    'needs an ideal cycle time (or rate), total count and run time':
      'Ergänzen Sie eine ideale Taktzeit (oder Soll-Leistung) je Teil oder Maschine, die Gesamtmenge und die Laufzeit.',
    'needs good and total counts (or scrap)': 'Ergänzen Sie Gutmenge und Gesamtmenge (oder den Ausschuss).',
    'needs scrap (or good) and total counts': 'Ergänzen Sie Ausschuss (oder Gutmenge) und Gesamtmenge.',
    'needs good counts and run time': 'Ergänzen Sie Gutmenge und Laufzeit.',
    'needs rework, good and total counts': 'Ergänzen Sie eine Nacharbeitsmenge neben Gut- und Gesamtmenge.',
    'needs dates or times that span a period': 'Ergänzen Sie Daten oder Zeitstempel über den Zeitraum.',
    'OEE is not computable': 'Die OEE ist nicht berechenbar, daher auch diese Kennzahl nicht.',
    'a component is not computable':
      'Verfügbarkeit, Leistung oder Qualität ist nicht berechenbar (siehe dort).',
    'denominator is zero': 'Der Nenner ist in diesen Daten null.',
    'not computable: needs an event log with one row per stop':
      'Braucht ein Ereignisprotokoll mit einer Zeile je Stillstand (Summenzeilen unterscheiden Kurzstillstände nicht).',
    'not computable: the data does not mark start-up production':
      'Braucht eine Spalte, die die Anlaufproduktion kennzeichnet.',
    'not computable: needs run time, ideal cycle time and total count':
      'Braucht Laufzeit, ideale Taktzeit und Gesamtmenge.',
    'not computable: needs ideal cycle time and good and total counts':
      'Braucht ideale Taktzeit sowie Gut- und Gesamtmenge.',
    'not computable: needs a stop reason for the downtime':
      'Braucht einen Stillstandsgrund neben der Stillstandszeit.',
    'not computable: needs downtime (or planned and run time) with stop reasons':
      'Braucht Stillstandszeit (oder geplante Zeit und Laufzeit) mit Stillstandsgründen.',
  },
  reasonCodes: {
    STATE_UNKNOWN:
      'Ein Teil der protokollierten Zeit liegt in Zuständen, die die Auswertung nicht kennt; sagen Sie unten, was sie bedeuten.',
    MIXED_IDEAL_CT:
      'Teile mit unterschiedlicher Taktzeit: A x L x Q und die zeitbasierte OEE weichen leicht ab.',
    IDEAL_CT_TOO_SLOW: 'Über 100 %: die ideale Taktzeit ist wahrscheinlich zu langsam angesetzt.',
  },
  issues: { severity: { error: 'Fehler', warning: 'Warnung', info: 'Hinweis' }, rows: 'Zeilen' },
  evidence: {
    reason: 'Grund',
    minutes: 'Minuten',
    share: 'Anteil',
    events: 'Stillstände',
    performance: 'Leistung',
    scrap: 'Ausschuss',
    total: 'Gesamtmenge',
    rate: 'Quote',
    machine: 'Maschine',
    oee: 'OEE',
    overall: 'OEE gesamt',
    weakest: 'schwächster Faktor',
    weakestValue: 'sein Wert',
  },
  insights: {
    TOP_DOWNTIME_REASON: (e, f) =>
      `„${e.reason}“ verursacht ${f.percent(e.share as number)} des gesamten Stillstands (${f.minutes(e.minutes as number)}).`,
    IDEAL_CT_TOO_SLOW: (e, f) =>
      `Die Leistung liegt bei ${f.percent(e.performance as number)}, über 100 %: die ideale Taktzeit ist wahrscheinlich zu langsam angesetzt.`,
    HIGH_SCRAP_RATE: (e, f) => `Die Ausschussquote liegt bei ${f.percent(e.rate as number)}.`,
    WORST_MACHINE: (e, f) =>
      `${e.machine} hat die niedrigste OEE (${f.percent(e.oee as number)} gegenüber ${f.percent(e.overall as number)} gesamt); der schwächste Faktor ist ${de.factor[e.weakest as string] ?? e.weakest}.`,
    SPC_OUT_OF_CONTROL: (e) =>
      `${e.characteristic}${e.machine ? ` (${e.machine})` : ''}: ${violationsOf(e)} Regelverletzungen; der Prozess ist nicht statistisch beherrscht.`,
    NOT_CAPABLE: (e, f) =>
      `${e.characteristic}: der Fähigkeitsindex ${f.measure(capabilityIndex(e))} liegt unter 1,33.`,
  },
  questions: {
    intro:
      'Beantworten Sie, was Sie wissen, und laden Sie dieselbe Datei noch einmal hoch: eine neue Analyse mit Ihren Antworten entsteht, verknüpft mit dieser. Die Datei wird nicht gespeichert, daher wird sie erneut erbeten.',
    file: 'Dieselbe Datei noch einmal',
    submit: 'Mit diesen Antworten neu auswerten',
    states: 'Was bedeuten diese Maschinenzustände?',
    statesHelp:
      'Die Datei protokolliert Zustände, die die Auswertung nicht kennt. Sagen Sie, welche Produktion und welche Stillstand sind.',
    stateValue: 'Zustand',
    category: {
      '': 'weiß nicht',
      running: 'läuft (Produktion)',
      setup: 'Rüsten',
      planned_stop: 'geplanter Stillstand',
      unplanned_stop: 'ungeplanter Stillstand (Störung)',
      not_scheduled: 'nicht eingeplant',
    },
    specs: 'Toleranzgrenzen',
    specsHelp: 'Die Prozessfähigkeit (Cp, Cpk) braucht die untere und obere Toleranzgrenze jedes Merkmals.',
    lsl: 'Untere Grenze (UTG)',
    usl: 'Obere Grenze (OTG)',
    target: 'Sollwert',
    dateOrder: 'Wie sind die Daten geschrieben?',
    dateOrderHelp: 'Kein Datum in der Datei entscheidet, ob 03/04 der 3. April oder der 4. März ist.',
    dmy: 'Tag/Monat/Jahr',
    mdy: 'Monat/Tag/Jahr',
    columns: 'Nicht gelesene Spalten',
    columnsHelp:
      'Diese Spalten wurden nicht verwendet. Wenn eine Produktionsdaten enthält, sagen Sie welche.',
    leaveOut: 'weglassen',
    idealCycle: 'Ideale Taktzeit',
    idealCycleHelp: 'Die Leistung braucht die ideale Taktzeit: die kürzeste Zeit je Stück, in Sekunden.',
    seconds: 'Sekunden je Stück',
    rerunOf: 'Diese Analyse wertet eine frühere mit Ihren Antworten neu aus.',
    earlier: 'die frühere Analyse',
    wrongFile: 'Das ist nicht die Datei dieser Analyse: laden Sie dieselbe Datei erneut hoch.',
    nothing: 'Geben Sie mindestens eine Antwort.',
  },
  mail: {
    subjectDone: (file) => `Ihre Analyse von ${file} ist fertig`,
    subjectFailed: (file) => `Die Analyse von ${file} ist fehlgeschlagen`,
    done: 'Die Analyse Ihrer Datei ist fertig.',
    failed: 'Die Analyse Ihrer Datei ist fehlgeschlagen.',
    open: 'Bericht öffnen',
    keepPrivate:
      'Behalten Sie den Link für sich: er ist der einzige Schlüssel zum Bericht. Melden Sie sich mit dieser Adresse an, um ihn in Ihrem Konto zu behalten.',
    notYou: 'Wenn Sie keine Datei hochgeladen haben, ignorieren Sie diese Mail.',
  },
  footer: (engine) => `Auswertung ${engine}. Zeiten in Berliner Zeit.`,
  notFound:
    'Diesen Bericht gibt es nicht (mehr), oder der Link ist unvollständig. Links aus Formularen gelten, solange die Analyse aufbewahrt wird.',
};

export const MESSAGES: Record<Lang, Messages> = { en, de };
