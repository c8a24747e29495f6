import type { Derivations } from './derivations';
import type { IssueLog } from './issues';
import type { RowReader } from './reader';
import { DowntimeByReason, Interner, ProductionRecords } from './records';
import { HASH_SEED, mixHash, RepeatIndex } from './repeats';
import { safeText } from './values';

export type Period = { start: number; end: number };
export const emptyPeriod = (): Period => ({ start: Number.POSITIVE_INFINITY, end: Number.NEGATIVE_INFINITY });

const KEY_WIDTH = 6;
const NO_START = -1e16;

/** Aggregated rows (machine x shift/day/order with counts and minutes) to production records and stops. */
/** Negative amounts are impossible: the field is dropped from the row (never clamped) and reported. */
function nonNegative(value: number | null, field: string, line: number, issues: IssueLog): number | null {
  if (value === null || value >= 0) return value;
  issues.add('NEGATIVE_VALUE', 'error', line, field);
  return null;
}

export function readAggregated(read: RowReader, issues: IssueLog, derived: Derivations) {
  const { table } = read;
  const records = new ProductionRecords(table.rowCount);
  const downtimeByReason = new DowntimeByReason();
  const period = emptyPeriod();
  // A wide file: one numeric column per downtime reason, and no downtime or reason column of its own.
  const wideReasons =
    !read.has('downtime_min') &&
    !read.has('reason') &&
    read.has('planned_min') &&
    table.unmappedNumeric.length >= 2
      ? table.unmappedNumeric
      : [];
  const wideLabels = wideReasons.map((column) => safeText(column.header, 80));
  // Exact duplicates are already gone, so a repeated key means conflicting values: the first row wins.
  const interner = new Interner();
  const keys = new Float64Array(table.rowCount * KEY_WIDTH);
  const sameKey = (a: number, b: number) => {
    for (let i = 0; i < KEY_WIDTH; i++) if (keys[a * KEY_WIDTH + i] !== keys[b * KEY_WIDTH + i]) return false;
    return true;
  };
  const repeats = new RepeatIndex();
  const counted = { planned: 0, plannedFromRun: 0, run: 0, good: 0, total: 0, scrap: 0 };
  let excluded = 0;
  for (let row = 0; row < table.rowCount; row++) {
    const line = table.lines[row] as number;
    let planned = read.number(row, 'planned_min');
    let run = read.number(row, 'run_min');
    let downtime = read.number(row, 'downtime_min');
    let total = read.number(row, 'total_count');
    let good = read.number(row, 'good_count');
    let scrap = read.number(row, 'scrap_count');
    const start = read.instant(row, 'start');
    let end = read.instant(row, 'end');
    if (start && end && end.ms < start.ms && !read.has('ts_end')) {
      end = { ...end, ms: end.ms + 86_400_000 }; // a clock-time end before its start rolls over midnight
    }
    if (start) period.start = Math.min(period.start, start.ms);
    if (end) period.end = Math.max(period.end, end.ms);
    else if (start) period.end = Math.max(period.end, start.ms);
    const date = read.time(row, 'date');
    if (date?.kind === 'instant') {
      period.start = Math.min(period.start, date.ms);
      period.end = Math.max(period.end, date.ms);
    }

    if (wideReasons.length > 0) {
      let sum = 0;
      for (let i = 0; i < wideReasons.length; i++) {
        const minutes = read.numberIn(wideReasons[i] as (typeof wideReasons)[number], row, 'downtime_min');
        if (minutes !== null && minutes > 0) {
          downtimeByReason.add(wideLabels[i] as string, minutes);
          sum += minutes;
        }
      }
      downtime = sum;
    }
    planned = nonNegative(planned, 'planned_min', line, issues);
    run = nonNegative(run, 'run_min', line, issues);
    downtime = nonNegative(downtime, 'downtime_min', line, issues);
    total = nonNegative(total, 'total_count', line, issues);
    good = nonNegative(good, 'good_count', line, issues);
    scrap = nonNegative(scrap, 'scrap_count', line, issues);
    if (planned === null && start && end) {
      planned = (end.ms - start.ms) / 60_000;
      counted.planned++;
    }
    if (run === null && planned !== null && downtime !== null) {
      run = planned - downtime;
      counted.run++;
    }
    if (planned === null && run !== null && downtime !== null) {
      planned = run + downtime;
      counted.plannedFromRun++;
    }
    if (good === null && total !== null && scrap !== null) {
      good = total - scrap;
      counted.good++;
    }
    if (total === null && good !== null && scrap !== null) {
      total = good + scrap;
      counted.total++;
    }
    if (scrap === null && total !== null && good !== null) {
      scrap = total - good;
      counted.scrap++;
    }
    // Impossible values: the row leaves only the KPIs they would falsify, never clamped.
    if (planned !== null && run !== null && (run > planned + 1e-9 || run < 0)) {
      issues.add(run < 0 ? 'DOWNTIME_GT_PLANNED' : 'RUN_GT_PLANNED', 'error', line);
      run = null;
    }
    if (total !== null && good !== null && good > total) {
      issues.add('GOOD_GT_TOTAL', 'error', line);
      good = null;
      scrap = null;
    }
    if (total !== null && scrap !== null && (scrap > total || scrap < 0)) {
      issues.add('SCRAP_GT_TOTAL', 'error', line);
      scrap = null;
    }

    const machine = read.machine(row);
    const day = read.rowDay(row);
    const shift = read.label(row, 'shift');
    const part = read.label(row, 'part');
    if (machine !== null && (day !== null || start)) {
      const at = row * KEY_WIDTH;
      keys[at] = interner.id(machine);
      keys[at + 1] = interner.id(day);
      keys[at + 2] = interner.id(shift);
      keys[at + 3] = interner.id(read.text(row, 'order'));
      keys[at + 4] = interner.id(part);
      keys[at + 5] = start ? start.ms : NO_START;
      let hash = HASH_SEED;
      for (let i = at; i < at + KEY_WIDTH; i++) hash = mixHash(hash, keys[i] as number);
      if (repeats.seen(row, hash, sameKey)) {
        issues.add('DUP_KEY_CONFLICT', 'warning', line);
        excluded++;
        continue;
      }
    }
    if (planned === null && run === null && total === null && good === null) {
      issues.add('ROW_WITHOUT_PRODUCTION_DATA', 'warning', line);
      excluded++;
      continue;
    }
    const reason = read.label(row, 'reason');
    if (downtime === null && planned !== null && run !== null) downtime = planned - run;
    if (reason !== null && downtime !== null) downtimeByReason.add(reason, downtime);
    records.add({
      line,
      machine,
      shift,
      day,
      part,
      planned,
      run,
      total,
      good,
      scrap,
      idealCtS: read.idealCycleSeconds(row),
    });
  }
  if (wideReasons.length > 0)
    derived.add(
      'downtime_min',
      `sum of ${wideReasons.length} reason columns (wide layout unpivoted)`,
      table.rowCount,
    );
  const rules: [keyof typeof counted, string, string][] = [
    ['planned', 'planned_min', 'end - start'],
    ['run', 'run_min', 'planned - downtime'],
    ['plannedFromRun', 'planned_min', 'run + downtime'],
    ['good', 'good_count', 'total - scrap'],
    ['total', 'total_count', 'good + scrap'],
    ['scrap', 'scrap_count', 'total - good'],
  ];
  for (const [counter, field, rule] of rules)
    if (counted[counter] > 0) derived.add(field, rule, counted[counter]);
  return { records, downtimeByReason, period, excluded };
}
