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

/** A value read from a number column: NaN means unknown. */
const known = (value: number | undefined): number | null =>
  value === undefined || value !== value ? null : value;

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
  // Whole columns up front: the loop below reads each value with one array lookup.
  const column = {
    planned: read.numberColumn('planned_min'),
    run: read.numberColumn('run_min'),
    downtime: read.numberColumn('downtime_min'),
    total: read.numberColumn('total_count'),
    good: read.numberColumn('good_count'),
    scrap: read.numberColumn('scrap_count'),
    idealCtS: read.idealCycleColumn(),
    start: read.instantColumn('start'),
    end: read.instantColumn('end'),
    date: read.instantColumn('date'),
    machine: read.idColumn(['machine', 'line'], records.groups.machine),
    shift: read.idColumn(['shift'], records.groups.shift),
    day: read.dayIdColumn(records.groups.day),
    part: read.idColumn(['part'], records.groups.part),
    order: read.idColumn(['order'], new Interner()),
    reason: read.labelColumn('reason'),
  };
  const wideColumns = wideReasons.map((reasonColumn) => read.numberColumnIn(reasonColumn, 'downtime_min'));
  const endsAreClockTimes = !read.has('ts_end');
  // Exact duplicates are already gone, so a repeated key means conflicting values: the first row wins.
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
    let planned = known(column.planned[row]);
    let run = known(column.run[row]);
    let downtime = known(column.downtime[row]);
    let total = known(column.total[row]);
    let good = known(column.good[row]);
    let scrap = known(column.scrap[row]);
    const start = known(column.start[row]);
    let end = known(column.end[row]);
    // A clock-time end before its start rolls over midnight.
    if (start !== null && end !== null && end < start && endsAreClockTimes) end += 86_400_000;
    if (start !== null) period.start = Math.min(period.start, start);
    if (end !== null) period.end = Math.max(period.end, end);
    else if (start !== null) period.end = Math.max(period.end, start);
    const date = known(column.date[row]);
    if (date !== null) {
      period.start = Math.min(period.start, date);
      period.end = Math.max(period.end, date);
    }

    if (wideColumns.length > 0) {
      let sum = 0;
      for (let i = 0; i < wideColumns.length; i++) {
        const minutes = (wideColumns[i] as Float64Array)[row] as number;
        if (minutes > 0) {
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
    if (planned === null && start !== null && end !== null) {
      planned = (end - start) / 60_000;
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

    const machine = column.machine[row] as number;
    const day = column.day[row] as number;
    if (machine !== -1 && (day !== -1 || start !== null)) {
      const at = row * KEY_WIDTH;
      keys[at] = machine;
      keys[at + 1] = day;
      keys[at + 2] = column.shift[row] as number;
      keys[at + 3] = column.order[row] as number;
      keys[at + 4] = column.part[row] as number;
      keys[at + 5] = start ?? NO_START;
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
    const reason = column.reason[row] ?? null;
    if (downtime === null && planned !== null && run !== null) downtime = planned - run;
    if (reason !== null && downtime !== null) downtimeByReason.add(reason, downtime);
    records.add(
      line,
      { machine, shift: column.shift[row] as number, day, part: column.part[row] as number },
      { planned, run, total, good, scrap, idealCtS: known(column.idealCtS[row]) },
    );
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
