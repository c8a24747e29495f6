import { Interner, known } from '../input/interner';
import type { RowReader } from '../input/reader';
import { FNV_PRIME, HASH_SEED, mixHash, RepeatIndex } from '../input/repeats';
import type { StateClassifier } from '../input/states';
import { safeText } from '../input/values';
import type { IssueLog } from '../issues';
import type { Derivations } from '../metrics/derivations';
import { StopLosses, stopCategory } from '../metrics/losses';
import { Period } from '../metrics/period';
import { DowntimeByReason, ProductionRecords } from '../metrics/records';

/** A row's key: machine, day, shift, order, part and start; no start hashes as NO_START. */
const NO_START = -1e16;

/** Reports a negative amount; answers NaN, as the field is dropped from the row (never clamped). */
function negative(field: string, line: number, issues: IssueLog): number {
  issues.add('NEGATIVE_VALUE', 'error', line, field);
  return Number.NaN;
}

/** Aggregated rows (machine x shift/day/order with counts and minutes) to production records and stops. */
export function readAggregated(
  read: RowReader,
  issues: IssueLog,
  derived: Derivations,
  classifier: StateClassifier,
) {
  const { table } = read;
  const records = new ProductionRecords(table.rowCount);
  const downtimeByReason = new DowntimeByReason();
  const period = new Period();
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
    setup: read.numberColumn('setup_min'),
    total: read.numberColumn('total_count'),
    good: read.numberColumn('good_count'),
    scrap: read.numberColumn('scrap_count'),
    rework: read.numberColumn('rework_count'),
    idealCtS: read.idealCycleColumn(),
    start: read.instantColumn('start'),
    end: read.instantColumn('end'),
    startOffset: read.offsetColumn('start'),
    endOffset: read.offsetColumn('end'),
    date: read.instantColumn('date'),
    machine: read.idColumn(['machine', 'line'], records.groups.machine),
    shift: read.idColumn(['shift'], records.groups.shift),
    day: read.dayIdColumn(records.groups.day),
    part: read.idColumn(['part'], records.groups.part),
    order: read.idColumn(['order'], new Interner()),
    reason: read.labelColumn('reason'),
    defect: read.labelColumn('defect'),
    reasonClass: read.labelColumn('reason_class'),
  };
  const wideColumns = wideReasons.map((reasonColumn) => read.numberColumnIn(reasonColumn, 'downtime_min'));
  const endsAreClockTimes = !read.has('ts_end');
  // Exact duplicates are already gone, so a repeated key means conflicting values: the first row wins.
  // Keys are compared in the columns themselves (a copy of six per row was 3 MB of a 4 MB export's run).
  const { machine: machines, day: days, shift: shifts, order: orders, part: parts, start: starts } = column;
  const sameKey = (a: number, b: number) =>
    machines[a] === machines[b] &&
    days[a] === days[b] &&
    shifts[a] === shifts[b] &&
    orders[a] === orders[b] &&
    parts[a] === parts[b] &&
    (starts[a] === starts[b] || (!known(starts[a] as number) && !known(starts[b] as number)));
  const repeats = new RepeatIndex(table.rowCount);
  const counted = { planned: 0, plannedFromRun: 0, run: 0, good: 0, total: 0, scrap: 0 };
  const hasSetup = read.has('setup_min');
  const hasDowntime = read.has('downtime_min') || wideColumns.length > 0;
  // Setup minutes of their own column stand in the Pareto under its header.
  const setupColumn = table.byCanonical.get('setup_min');
  const setupLabel = setupColumn ? safeText(setupColumn.header, 80) : '';
  let excluded = 0;
  let sawTimes = false;
  const stopLosses = new StopLosses('reasons');
  const scrapByDefect = new Map<string, { scrap: number; rows: number }>();
  // A class column (planned / unplanned, setup ...) decides per row; otherwise the reason text decides,
  // once per reason after the loop (and for wide files, whose reasons are column headers).
  const classifyPerRow = read.has('reason_class') && wideColumns.length === 0;
  // Amounts stay doubles with NaN for "unknown" (a null would box every value on this hot path).
  for (let row = 0; row < table.rowCount; row++) {
    const line = table.lines[row] as number;
    let planned = column.planned[row] as number;
    let run = column.run[row] as number;
    let downtime = column.downtime[row] as number;
    let total = column.total[row] as number;
    let good = column.good[row] as number;
    let scrap = column.scrap[row] as number;
    let setup = column.setup[row] as number;
    const start = column.start[row] as number;
    let end = column.end[row] as number;
    // A clock-time end before its start rolls over midnight.
    if (end < start && endsAreClockTimes) end += 86_400_000;
    if (known(start) || known(end)) sawTimes = true;
    // Only a row that widens the period calls it: a call the optimiser leaves out of line boxes its
    // doubles, an object per row (NaN never widens it).
    if (start < period.start) period.widenStart(start, column.startOffset[row]);
    if (known(end)) {
      if (end > period.end) period.widenEnd(end, column.endOffset[row]);
    } else if (start > period.end) period.widenEnd(start, column.startOffset[row]);
    const date = column.date[row] as number;
    if (date < period.start || date > period.end) period.widen(date);

    if (wideColumns.length > 0) {
      let sum = 0;
      for (let i = 0; i < wideColumns.length; i++) {
        const minutes = (wideColumns[i] as Float64Array)[row] as number;
        if (minutes > 0) sum += minutes;
      }
      downtime = sum;
    }
    // Negative amounts are impossible: the field is dropped from the row (never clamped) and reported.
    if (planned < 0) planned = negative('planned_min', line, issues);
    if (run < 0) run = negative('run_min', line, issues);
    if (downtime < 0) downtime = negative('downtime_min', line, issues);
    if (total < 0) total = negative('total_count', line, issues);
    if (good < 0) good = negative('good_count', line, issues);
    if (scrap < 0) scrap = negative('scrap_count', line, issues);
    if (setup < 0) setup = negative('setup_min', line, issues);
    // Setup is its own stop: without a setup column, or on a row without it, none is counted.
    const setupPart = hasSetup && known(setup) ? setup : 0;
    const stops = known(downtime)
      ? downtime + setupPart
      : hasSetup && known(setup) && !hasDowntime
        ? setup
        : Number.NaN;
    if (!known(planned) && known(start) && known(end)) {
      planned = (end - start) / 60_000;
      counted.planned++;
    }
    if (!known(run) && known(planned) && known(stops)) {
      run = planned - stops;
      counted.run++;
    }
    if (!known(planned) && known(run) && known(stops)) {
      planned = run + stops;
      counted.plannedFromRun++;
    }
    if (!known(good) && known(total) && known(scrap)) {
      good = total - scrap;
      counted.good++;
    }
    if (!known(total) && known(good) && known(scrap)) {
      total = good + scrap;
      counted.total++;
    }
    if (!known(scrap) && known(total) && known(good)) {
      scrap = total - good;
      counted.scrap++;
    }
    // Impossible values: the row leaves only the KPIs they would falsify, never clamped.
    if (run > planned + 1e-9 || (run < 0 && known(planned))) {
      issues.add(run < 0 ? 'DOWNTIME_GT_PLANNED' : 'RUN_GT_PLANNED', 'error', line);
      run = Number.NaN;
    }
    if (good > total) {
      issues.add('GOOD_GT_TOTAL', 'error', line);
      good = Number.NaN;
      scrap = Number.NaN;
    }
    if (scrap > total || (scrap < 0 && known(total))) {
      issues.add('SCRAP_GT_TOTAL', 'error', line);
      scrap = Number.NaN;
    }

    const machine = column.machine[row] as number;
    const day = column.day[row] as number;
    const shift = column.shift[row] as number;
    const part = column.part[row] as number;
    if (machine !== -1 && (day !== -1 || known(start))) {
      // FNV-1a over the ids (32-bit integers) in place, and the start (a double) through mixHash.
      let hash = Math.imul(HASH_SEED ^ machine, FNV_PRIME);
      hash = Math.imul(hash ^ day, FNV_PRIME);
      hash = Math.imul(hash ^ shift, FNV_PRIME);
      hash = Math.imul(hash ^ (orders[row] as number), FNV_PRIME);
      hash = Math.imul(hash ^ part, FNV_PRIME);
      hash = mixHash(hash, known(start) ? start : NO_START);
      if (repeats.seen(row, hash, sameKey)) {
        issues.add('DUP_KEY_CONFLICT', 'warning', line);
        excluded++;
        continue;
      }
    }
    if (!known(planned) && !known(run) && !known(total) && !known(good)) {
      issues.add('ROW_WITHOUT_PRODUCTION_DATA', 'warning', line);
      excluded++;
      continue;
    }
    const reason = column.reason[row] ?? null;
    // Stops count only for rows kept (a conflicting duplicate's stops would count twice).
    for (let i = 0; i < wideColumns.length; i++) {
      const minutes = (wideColumns[i] as Float64Array)[row] as number;
      if (minutes > 0) downtimeByReason.add(wideLabels[i] as string, minutes, machine);
    }
    if (!known(downtime) && known(planned) && known(run)) downtime = planned - run - setupPart;
    if (known(downtime) || known(setup)) stopLosses.observed++;
    if (hasSetup && setup > 0) {
      stopLosses.add('setup', setup);
      downtimeByReason.add(setupLabel, setup, machine);
    }
    if (reason !== null && downtime > 0) {
      downtimeByReason.add(reason, downtime, machine);
      if (classifyPerRow)
        stopLosses.add(stopCategory(classifier, reason, column.reasonClass[row] ?? null), downtime);
    } else if (reason === null && wideColumns.length === 0) stopLosses.addUnattributed(downtime);
    records.push(
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
      column.idealCtS[row] as number,
    );
    let rework = column.rework[row] as number;
    if (rework < 0) rework = negative('rework_count', line, issues);
    if (rework > good) {
      issues.add('REWORK_GT_GOOD', 'error', line);
      rework = Number.NaN;
    }
    records.rework[records.count - 1] = rework;
    const defect = column.defect[row] ?? null;
    if (defect !== null && scrap > 0) {
      const entry = scrapByDefect.get(defect) ?? { scrap: 0, rows: 0 };
      entry.scrap += scrap;
      entry.rows++;
      scrapByDefect.set(defect, entry);
    }
    records.setup[records.count - 1] = setup;
  }
  if (!classifyPerRow)
    for (const [reason, { minutes, events }] of downtimeByReason.entries())
      if (!hasSetup || reason !== setupLabel)
        stopLosses.add(stopCategory(classifier, reason), minutes, events);
  // Calendar time: from the first to the last instant, or through the end of the last day for dates alone.
  const calendarMin = period.minutes === null ? null : period.minutes + (sawTimes ? 0 : 1440);
  if (wideReasons.length > 0)
    derived.add(
      'downtime_min',
      `sum of ${wideReasons.length} reason columns (wide layout unpivoted)`,
      table.rowCount,
    );
  const rules: [keyof typeof counted, string, string][] = [
    ['planned', 'planned_min', 'end - start'],
    ['run', 'run_min', hasSetup ? 'planned - downtime - setup' : 'planned - downtime'],
    ['plannedFromRun', 'planned_min', hasSetup ? 'run + downtime + setup' : 'run + downtime'],
    ['good', 'good_count', 'total - scrap'],
    ['total', 'total_count', 'good + scrap'],
    ['scrap', 'scrap_count', 'total - good'],
  ];
  for (const [counter, field, rule] of rules)
    if (counted[counter] > 0) derived.add(field, rule, counted[counter]);
  return { records, downtimeByReason, stopLosses, period, calendarMin, excluded, scrapByDefect };
}
