import type { AnalysisOptions, AnalysisReport } from '../engine';
import { CANONICAL_FIELDS } from '../engine';
import { STATE_CATEGORIES } from '../engine/input/options';

/**
 * What the engine could not tell from the file, as questions a person can answer: each becomes a
 * field of the page's form, and the answers become analysis options for a re-run of the same file.
 */
export type Questions = {
  states: string[];
  specs: string[];
  dateOrder: boolean;
  columns: string[];
  idealCycle: string[];
};

const MAX_PER_QUESTION = 30;

export function questionsOf(report: AnalysisReport): Questions {
  const issue = (code: string) => report.dataQuality.issues.find((entry) => entry.code === code);
  const specs = [
    ...new Set(
      report.spc
        .filter(
          (chart) =>
            chart.status === 'ok' &&
            (chart.capability === null || (chart.capability.lsl === null && chart.capability.usl === null)),
        )
        .map((chart) => chart.characteristic),
    ),
  ];
  // Measurement value columns are read as characteristics, not as fields.
  const charted = new Set(report.spc.map((chart) => chart.characteristic));
  const performance = report.kpis?.overall.performance;
  const hasIdeal = report.mapping.some(
    (column) => column.canonical === 'ideal_ct_s' || column.canonical === 'ideal_rate',
  );
  const idealCycle =
    performance?.status === 'not_computable' &&
    !hasIdeal &&
    (report.kpis?.overall.totals.totalCount ?? null) !== null
      ? groupsForIdealCycle(report)
      : [];
  return {
    states: (issue('STATE_UNKNOWN')?.values ?? []).slice(0, MAX_PER_QUESTION),
    specs: specs.slice(0, MAX_PER_QUESTION),
    dateOrder: issue('DATE_AMBIGUOUS') !== undefined,
    columns: report.mapping
      .filter((column) => column.canonical === null && !charted.has(column.source))
      .map((column) => column.source)
      .slice(0, MAX_PER_QUESTION),
    idealCycle,
  };
}

/** An ideal cycle time per part if the file names parts, else per machine, else one for all ("*"). */
function groupsForIdealCycle(report: AnalysisReport): string[] {
  const real = (groups: { key: string; groups?: number | undefined }[]) =>
    groups.filter((group) => group.groups === undefined).map((group) => group.key);
  const parts = real(report.kpis?.byPart ?? []);
  if (parts.length > 0) return parts.slice(0, MAX_PER_QUESTION);
  const machines = real(report.kpis?.byMachine ?? []);
  if (machines.length > 0) return machines.slice(0, MAX_PER_QUESTION);
  return ['*'];
}

export const hasQuestions = (questions: Questions): boolean =>
  questions.states.length + questions.specs.length + questions.columns.length + questions.idealCycle.length >
    0 || questions.dateOrder;

/** Form field names: one per answer, indexed, so any header or state text is only ever a value. */
export const FIELD = {
  state: (index: number) => `state.${index}`,
  stateValue: (index: number) => `stateValue.${index}`,
  spec: (index: number, limit: 'lsl' | 'usl' | 'target') => `spec.${index}.${limit}`,
  specName: (index: number) => `specName.${index}`,
  column: (index: number) => `column.${index}`,
  columnName: (index: number) => `columnName.${index}`,
  ideal: (index: number) => `ideal.${index}`,
  idealName: (index: number) => `idealName.${index}`,
  dateOrder: 'dateOrder',
} as const;

const numberOf = (raw: string | undefined) => {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw.trim().replace(',', '.'));
  return Number.isFinite(value) ? value : Number.NaN;
};

/**
 * The answers of a submitted form as options, merged over the options the first analysis ran with
 * (an answer replaces what it answers). Only questions the report asked are read. Values are checked
 * by the caller against the options schema; a number that is not one stays NaN and fails there.
 */
export function answersToOptions(
  fields: Record<string, string>,
  questions: Questions,
  previous: AnalysisOptions,
): { options: AnalysisOptions; answered: number } {
  const options: AnalysisOptions = structuredClone(previous);
  let answered = 0;
  const categories = new Set<string>(STATE_CATEGORIES);
  questions.states.forEach((value, index) => {
    const category = fields[FIELD.state(index)];
    if (fields[FIELD.stateValue(index)] !== value || !category || !categories.has(category)) return;
    options.states = { ...options.states, [value]: category as (typeof STATE_CATEGORIES)[number] };
    answered++;
  });
  questions.specs.forEach((name, index) => {
    if (fields[FIELD.specName(index)] !== name) return;
    const spec = {
      lsl: numberOf(fields[FIELD.spec(index, 'lsl')]),
      usl: numberOf(fields[FIELD.spec(index, 'usl')]),
      target: numberOf(fields[FIELD.spec(index, 'target')]),
    };
    const given = Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== undefined));
    if (Object.keys(given).length === 0) return;
    options.specs = { ...options.specs, [name]: given };
    answered++;
  });
  const fields_ = new Set<string>(CANONICAL_FIELDS);
  questions.columns.forEach((source, index) => {
    const field = fields[FIELD.column(index)];
    if (fields[FIELD.columnName(index)] !== source || !field || !fields_.has(field)) return;
    options.mapping = { ...options.mapping, [source]: field };
    answered++;
  });
  questions.idealCycle.forEach((name, index) => {
    if (fields[FIELD.idealName(index)] !== name) return;
    const seconds = numberOf(fields[FIELD.ideal(index)]);
    if (seconds === undefined) return;
    options.idealCycleSeconds = { ...options.idealCycleSeconds, [name]: seconds };
    answered++;
  });
  const order = fields[FIELD.dateOrder];
  if (questions.dateOrder && (order === 'dmy' || order === 'mdy')) {
    options.dateOrder = order;
    answered++;
  }
  return { options, answered };
}

/** Fields a person can map a column to (the ones a spreadsheet column can hold). */
export const MAPPABLE_FIELDS = CANONICAL_FIELDS.filter((field) => field !== 'operator');
