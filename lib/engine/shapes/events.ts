import { compareText } from '../compare';
import { known } from '../input/interner';
import type { RowReader } from '../input/reader';
import { isPlanned, type StateCategory, type StateClassifier } from '../input/states';
import { berlinDay, safeText } from '../input/values';
import type { IssueLog } from '../issues';
import { MAX_GROUPS, OTHER_GROUPS, UNKNOWN_STATE_TOLERANCE } from '../metrics/kpis';
import { StopLosses } from '../metrics/losses';
import { Period } from '../metrics/period';
import { DowntimeByReason, ProductionRecords } from '../metrics/records';
import type { AnalysisReport } from '../report';

/** What an event is: its category (undefined: a state nobody named), its label, and the state text. */
type Kind = { category: StateCategory | undefined; label: string; state: string | null };

/**
 * What an event is, from its state, reason and reason class (each may be absent).
 * - The state decides: the user's `states`, else the vocabulary; a log without a state column is a stop
 *   log, so each row is an (unplanned) stop; a state nobody names stays unknown, unless the user names
 *   its reason.
 * - A stop is refined by what else the row says, the user's word first: its reason in `states`, else its
 *   class or reason when they name another stop (a "STOPPED" row whose reason is "Setup" is setup). The
 *   vocabulary never turns a planned state into an unplanned stop; only the user can.
 */
function categoryOf(
  classifier: StateClassifier,
  hasState: boolean,
  state: string | null,
  reason: string | null,
  reasonClass: string | null,
): StateCategory | undefined {
  const base = !hasState ? 'unplanned_stop' : state === null ? undefined : classifier.classify(state);
  const user = reason === null ? undefined : classifier.user(reason);
  if (base === undefined) return user;
  if (base === 'running') return base;
  if (user && user !== 'running') return user;
  const stop = (text: string | null) => {
    const named = text === null ? undefined : classifier.classify(text);
    return named === 'running' ? undefined : named;
  };
  const named = stop(reasonClass) ?? stop(reason);
  return named && (named !== 'unplanned_stop' || !isPlanned(base)) ? named : base;
}

/** Each row's event kind; logs repeat a few combinations, so each (by dictionary codes) is classified once. */
function eventKinds(read: RowReader, classifier: StateClassifier): (row: number) => Kind {
  const state = read.valuesOf('state');
  const reason = read.valuesOf('reason');
  const reasonClass = read.valuesOf('reason_class');
  const cache = new Map<number, Kind>();
  const [reasons, classes] = [(reason?.texts.length ?? 0) + 1, (reasonClass?.texts.length ?? 0) + 1];
  return (row) => {
    const s = state ? (state.codes[row] as number) : -1;
    const r = reason ? (reason.codes[row] as number) : -1;
    const c = reasonClass ? (reasonClass.codes[row] as number) : -1;
    const key = ((s + 1) * reasons + (r + 1)) * classes + (c + 1);
    let kind = cache.get(key);
    if (!kind) {
      const stateText = state?.texts[s] ?? null;
      kind = {
        category: categoryOf(
          classifier,
          state !== null,
          stateText,
          reason?.texts[r] ?? null,
          reasonClass?.texts[c] ?? null,
        ),
        label: reason?.labels[r] ?? state?.labels[s] ?? 'unspecified',
        state: stateText,
      };
      cache.set(key, kind);
    }
    return kind;
  };
}

/** The median of `values` (the lower one of an even count); NaN for none. */
const medianOf = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : (sorted[Math.floor((sorted.length - 1) / 2)] as number);
};

/**
 * A state or stop log to records, stops and MTBF/MTTR. Two layouts: one event per row with its start
 * and end or duration; or sampled (a timestamp and a state per machine, no end), where each sample holds
 * until that machine's next sample, capped at `sampleHoldMinutes` (default: that machine's median
 * sampling interval), and consecutive samples in one state merge into one event. Column-wise like the
 * aggregated reader: a 4 MB log has ~80,000 events, each with its own timestamps.
 */
export function readEvents(
  read: RowReader,
  issues: IssueLog,
  classifier: StateClassifier,
  options: { microStopMinutes: number; sampleHoldMinutes?: number | undefined },
) {
  const { table } = read;
  const records = new ProductionRecords(table.rowCount);
  const { groups } = records;
  const column = {
    start: read.instantColumn('start'),
    end: read.instantColumn('end'),
    startOffset: read.offsetColumn('start'),
    endOffset: read.offsetColumn('end'),
    startDst: read.startDstColumn(),
    duration: read.numberColumn('duration_min'),
    machine: read.idColumn(['machine', 'line'], groups.machine),
    shift: read.idColumn(['shift'], groups.shift),
    part: read.idColumn(['part'], groups.part),
    total: read.numberColumn('total_count'),
    good: read.numberColumn('good_count'),
    scrap: read.numberColumn('scrap_count'),
    idealCtS: read.idealCycleColumn(),
  };
  const kindOf = eventKinds(read, classifier);
  const sampled = !read.has('ts_end') && !read.has('time_end') && !read.has('duration_min');
  const endsAreClockTimes = !read.has('ts_end');
  // Each kept row; its end and kind. Sampled rows get their end once sorted.
  const kept = new Int32Array(table.rowCount);
  let keptCount = 0;
  const ends = new Float64Array(table.rowCount);
  const kinds: Kind[] = new Array(table.rowCount);
  let unspecified = -1;
  let excluded = 0;
  for (let row = 0; row < table.rowCount; row++) {
    const line = table.lines[row] as number;
    const start = column.start[row] as number;
    if (!known(start)) {
      issues.add('EVENT_WITHOUT_START', 'error', line);
      excluded++;
      continue;
    }
    if (!sampled) {
      let end = column.end[row] as number;
      if (end < start && endsAreClockTimes) end += 86_400_000;
      const minutes = known(end) ? (end - start) / 60_000 : (column.duration[row] as number);
      if (!(minutes >= 0)) {
        issues.add(known(minutes) ? 'NEGATIVE_VALUE' : 'EVENT_WITHOUT_DURATION', 'error', line);
        excluded++;
        continue;
      }
      ends[row] = start + minutes * 60_000;
    }
    const dst = column.startDst[row] as number;
    if (dst !== 0) issues.add(dst === 1 ? 'DST_GAP_TIME' : 'DST_AMBIGUOUS_TIME', 'warning', line);
    if (column.machine[row] === -1) {
      if (unspecified === -1) unspecified = groups.machine.id('unspecified');
      column.machine[row] = unspecified;
    }
    kept[keptCount++] = row;
    kinds[row] = kindOf(row);
  }
  // Machine by machine, in time order (then file order).
  const rank = new Int32Array(groups.machine.names.length);
  const byName = groups.machine.names
    .map((name, id) => ({ name, id }))
    .sort((a, b) => compareText(a.name, b.name));
  for (const [position, { id }] of byName.entries()) rank[id] = position;
  const starts = column.start;
  const rows = machineTimeOrder(kept.subarray(0, keptCount), column.machine, rank, starts);
  const unlogged = { minutes: 0, gaps: 0 };
  if (sampled) holdSamples(rows, column.machine, starts, ends, options.sampleHoldMinutes, unlogged);
  // Durations rounded by the file (start + 3 min for a 2.6 min stop) overlap the next event by up to one
  // rounding step: only more than that is an overlap.
  const tolerance = sampled ? 0 : Math.max(1, durationStep(read) * 60_000);

  const period = new Period();
  const machines = groups.machine.names.length;
  const tally = {
    failures: new Float64Array(machines),
    operating: new Float64Array(machines),
    down: new Float64Array(machines),
    failureMinutes: new Float64Array(machines),
    unknown: new Float64Array(machines),
    first: new Float64Array(machines).fill(Number.POSITIVE_INFINITY),
    last: new Float64Array(machines).fill(Number.NEGATIVE_INFINITY),
  };
  const downtimeByReason = new DowntimeByReason();
  const stopLosses = new StopLosses('events', options.microStopMinutes);
  const unknownStates = new Map<string, number>();
  let loggedMinutes = 0;
  let hasRunningStates = false;
  let previous = -1;
  for (let position = 0; position < rows.length; position++) {
    const row = rows[position] as number;
    const start = starts[row] as number;
    let end = ends[row] as number;
    const machine = column.machine[row] as number;
    const kind = kinds[row] as Kind;
    const line = table.lines[row] as number;
    if (
      previous !== -1 &&
      column.machine[previous] === machine &&
      start < (ends[previous] as number) - tolerance
    )
      issues.add('EVENT_OVERLAP', 'warning', line);
    previous = row;
    // Consecutive samples in one state are one event: their counts sum into it.
    let total = column.total[row] as number;
    let good = column.good[row] as number;
    let scrap = column.scrap[row] as number;
    while (sampled && position + 1 < rows.length) {
      const next = rows[position + 1] as number;
      if (column.machine[next] !== machine || kinds[next] !== kind || (starts[next] as number) > end) break;
      end = Math.max(end, ends[next] as number);
      total = sum(total, column.total[next] as number);
      good = sum(good, column.good[next] as number);
      scrap = sum(scrap, column.scrap[next] as number);
      position++;
    }
    period.widenStart(start, column.startOffset[row]);
    period.widenEnd(end, known(column.end[row] as number) ? column.endOffset[row] : column.startOffset[row]);
    const minutes = (end - start) / 60_000;
    loggedMinutes += minutes;
    if (kind.category !== undefined) stopLosses.observed++;
    tally.first[machine] = Math.min(tally.first[machine] as number, start);
    tally.last[machine] = Math.max(tally.last[machine] as number, end);
    const { category } = kind;
    if (category === 'running') {
      hasRunningStates = true;
      tally.operating[machine] = (tally.operating[machine] as number) + minutes;
    } else if (category === undefined) {
      const value = kind.state ?? kind.label;
      unknownStates.set(value, (unknownStates.get(value) ?? 0) + minutes);
      tally.unknown[machine] = (tally.unknown[machine] as number) + minutes;
      stopLosses.unknownMinutes += minutes;
    } else if (category !== 'not_scheduled') {
      tally.down[machine] = (tally.down[machine] as number) + minutes;
      if (category === 'unplanned_stop' && minutes >= options.microStopMinutes) {
        tally.failures[machine] = (tally.failures[machine] as number) + 1;
        tally.failureMinutes[machine] = (tally.failureMinutes[machine] as number) + minutes;
      }
      downtimeByReason.add(kind.label, minutes, machine);
      stopLosses.add(category, minutes);
    }
    // Time not scheduled is no planned time; a state nobody named feeds no time-based KPI.
    const planned = category === undefined ? Number.NaN : category === 'not_scheduled' ? 0 : minutes;
    records.push(
      line,
      machine,
      column.shift[row] as number,
      groups.day.id(berlinDay(start)),
      column.part[row] as number,
      planned,
      category === undefined ? Number.NaN : category === 'running' ? minutes : 0,
      total,
      known(good) ? good : total - scrap,
      scrap,
      column.idealCtS[row] as number,
    );
    const at = records.count - 1;
    if (category === 'setup') records.setup[at] = minutes;
    if (category === undefined) records.unknown[at] = minutes;
  }
  if (unknownStates.size > 0) {
    const values = [...unknownStates.entries()].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
    const listed = values
      .slice(0, 10)
      .map(
        ([value, minutes]) =>
          `"${safeText(value, 40)}" ${((minutes / Math.max(loggedMinutes, 1e-9)) * 100).toFixed(1)} %`,
      )
      .join(', ');
    issues.add(
      'STATE_UNKNOWN',
      'warning',
      undefined,
      `${values.length} state value(s) are not known machine states, so the engine does not guess whether they are production or stops; their share of the logged time: ${listed}${values.length > 10 ? ', ...' : ''}. Name them with options.states (running, setup, planned_stop, unplanned_stop, not_scheduled).`,
      values.slice(0, 50).map(([value]) => safeText(value, 80)),
    );
  }
  if (unlogged.gaps > 0)
    issues.add(
      'SAMPLE_GAPS',
      'info',
      undefined,
      `${unlogged.gaps} gap(s) between samples were longer than a sample holds; ${unlogged.minutes.toFixed(1)} min are unlogged time (in the calendar, not in planned time).`,
    );
  const reliability: AnalysisReport['reliability'] = [];
  for (let position = 0, seen = new Set<number>(); position < rows.length; position++) {
    const machine = column.machine[rows[position] as number] as number;
    if (seen.has(machine)) continue;
    seen.add(machine);
    // A machine mostly in states nobody named has no operating time the engine could tell.
    const span = ((tally.last[machine] as number) - (tally.first[machine] as number)) / 60_000;
    if ((tally.unknown[machine] as number) > UNKNOWN_STATE_TOLERANCE * span) continue;
    const failures = tally.failures[machine] as number;
    // Without running states (a stop log), operating time is the logged span less the stops.
    const operating =
      hasRunningStates || read.has('state')
        ? (tally.operating[machine] as number)
        : Math.max(
            0,
            ((tally.last[machine] as number) - (tally.first[machine] as number)) / 60_000 -
              (tally.down[machine] as number),
          );
    reliability.push({
      machine: groups.machine.names[machine] as string,
      failures,
      operatingMin: operating,
      downtimeMin: tally.down[machine] as number,
      mtbfMin: failures > 0 ? operating / failures : null,
      mttrMin: failures > 0 ? (tally.failureMinutes[machine] as number) / failures : null,
    });
  }
  return {
    records,
    downtimeByReason,
    stopLosses,
    period,
    calendarMin: period.minutes,
    excluded,
    reliability: boundReliability(reliability),
    sampled,
  };
}

/**
 * At most MAX_GROUPS machines listed (most downtime first, then in name order); the rest summed into
 * one OTHER_GROUPS entry, so a log of 78,000 machines gives a bounded report.
 */
function boundReliability(all: AnalysisReport['reliability']): AnalysisReport['reliability'] {
  if (all.length <= MAX_GROUPS) return all;
  const kept = new Set(
    [...all]
      .sort((a, b) => b.downtimeMin - a.downtimeMin || (a.machine < b.machine ? -1 : 1))
      .slice(0, MAX_GROUPS),
  );
  const rest = all.filter((entry) => !kept.has(entry));
  const failures = rest.reduce((sum, entry) => sum + entry.failures, 0);
  const operatingMin = rest.reduce((sum, entry) => sum + entry.operatingMin, 0);
  const repairMin = rest.reduce((sum, entry) => sum + (entry.mttrMin ?? 0) * entry.failures, 0);
  return [
    ...all.filter((entry) => kept.has(entry)),
    {
      machine: OTHER_GROUPS,
      machines: rest.length,
      failures,
      operatingMin,
      downtimeMin: rest.reduce((sum, entry) => sum + entry.downtimeMin, 0),
      mtbfMin: failures > 0 ? operatingMin / failures : null,
      mttrMin: failures > 0 ? repairMin / failures : null,
    },
  ];
}

/** NaN-aware sum: unknown only when both are unknown. */
const sum = (a: number, b: number) => (known(a) ? (known(b) ? a + b : a) : b);

/**
 * Ends for sampled rows (sorted by machine, then time): each holds until its machine's next sample,
 * at most `holdMinutes` (default: the machine's median interval); the rest of a longer gap is unlogged.
 */
function holdSamples(
  rows: Int32Array,
  machineOf: Int32Array,
  starts: Float64Array,
  ends: Float64Array,
  holdMinutes: number | undefined,
  unlogged: { minutes: number; gaps: number },
) {
  for (let from = 0; from < rows.length; ) {
    const machine = machineOf[rows[from] as number];
    let to = from;
    while (to + 1 < rows.length && machineOf[rows[to + 1] as number] === machine) to++;
    const intervals: number[] = [];
    for (let i = from; i < to; i++) {
      const gap = (starts[rows[i + 1] as number] as number) - (starts[rows[i] as number] as number);
      if (gap > 0) intervals.push(gap);
    }
    const median = medianOf(intervals);
    const hold = holdMinutes !== undefined ? holdMinutes * 60_000 : known(median) ? median : 60_000;
    for (let i = from; i <= to; i++) {
      const row = rows[i] as number;
      const start = starts[row] as number;
      const next = i < to ? (starts[rows[i + 1] as number] as number) : Number.POSITIVE_INFINITY;
      ends[row] = Math.min(next, start + hold);
      if (i < to && next - start > hold) {
        unlogged.minutes += (next - start - hold) / 60_000;
        unlogged.gaps++;
      }
    }
    from = to + 1;
  }
}

/**
 * `rows` machine by machine (by `rank`), each machine's in time order, then file order: the order
 * `sort` with that comparator gives, in linear time for the usual log (each machine's rows already in
 * time order), a bucket per machine and a sort only of a bucket that is out of order.
 */
export function machineTimeOrder(
  rows: ArrayLike<number> & Iterable<number>,
  machineOf: Int32Array,
  rank: Int32Array,
  starts: Float64Array,
): Int32Array {
  const firstOf = new Int32Array(rank.length + 1);
  for (const row of rows) (firstOf[(rank[machineOf[row] as number] as number) + 1] as number)++;
  for (let bucket = 1; bucket < firstOf.length; bucket++)
    firstOf[bucket] = (firstOf[bucket] as number) + (firstOf[bucket - 1] as number);
  const ordered = new Int32Array(rows.length);
  const next = firstOf.slice(0, rank.length);
  for (const row of rows) {
    const bucket = rank[machineOf[row] as number] as number;
    ordered[next[bucket] as number] = row;
    next[bucket] = (next[bucket] as number) + 1;
  }
  for (let bucket = 0; bucket < rank.length; bucket++) {
    const [from, to] = [firstOf[bucket] as number, firstOf[bucket + 1] as number];
    let inOrder = true;
    for (let i = from + 1; i < to && inOrder; i++)
      inOrder = (starts[ordered[i - 1] as number] as number) <= (starts[ordered[i] as number] as number);
    // File order breaks ties, as rows within a bucket already are.
    if (!inOrder)
      ordered.subarray(from, to).sort((a, b) => (starts[a] as number) - (starts[b] as number) || a - b);
  }
  return ordered;
}

/** The rounding step (minutes) of the file's durations: 1 for whole minutes, 0.1 for one decimal. */
function durationStep(read: RowReader): number {
  const values = read.valuesOf('duration_min');
  const column = read.table.byCanonical.get('duration_min');
  if (!values || !column) return 0;
  let decimals = 0;
  for (const text of values.texts) {
    if (text === null) continue;
    const match = /[.,](\d+)\s*$/.exec(text);
    if (match && (match[1] as string).length > decimals) decimals = (match[1] as string).length;
  }
  const perUnit = column.unit === 's' ? 1 / 60 : column.unit === 'h' ? 60 : 1;
  return 10 ** -Math.min(decimals, 6) * perUnit;
}
