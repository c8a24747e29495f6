import type { IssueLog } from './issues';
import { isPlannedStop, MICRO_STOP_MIN, StopLosses } from './losses';
import { Period } from './period';
import type { RowReader } from './reader';
import { DowntimeByReason, known, ProductionRecords } from './records';
import type { AnalysisReport } from './report';
import { berlinDay } from './values';

const RUNNING =
  /^(run|running|produc|production|produktion|laeuft|läuft|betrieb|in betrieb|auto|automatic|active|up|ok|green|gruen|grün)/i;

type Kind = { running: boolean; planned: boolean; label: string };

/**
 * What an event is, from its state, reason and reason class. Logs repeat a few of each, so every
 * combination (by dictionary codes) is classified once.
 */
function eventKinds(read: RowReader): (row: number) => Kind {
  const state = read.valuesOf('state');
  const reason = read.valuesOf('reason');
  const reasonClass = read.valuesOf('reason_class');
  const cache = new Map<number, Map<number, Map<number, Kind>>>();
  return (row) => {
    const s = state ? (state.codes[row] as number) : -1;
    const r = reason ? (reason.codes[row] as number) : -1;
    const c = reasonClass ? (reasonClass.codes[row] as number) : -1;
    let byReason = cache.get(s);
    if (!byReason) {
      byReason = new Map();
      cache.set(s, byReason);
    }
    let byClass = byReason.get(r);
    if (!byClass) {
      byClass = new Map();
      byReason.set(r, byClass);
    }
    let kind = byClass.get(c);
    if (!kind) {
      const stateText = state?.texts[s] ?? null;
      const reasonText = reason?.texts[r] ?? null;
      // With a state column, "running" states are production; a log of reasons alone is a stop log.
      const running = stateText !== null ? RUNNING.test(stateText) && !reasonText : false;
      const classText = reasonClass?.texts[c] ?? null;
      kind = {
        running,
        planned: !running && isPlannedStop(`${reasonText ?? ''} ${stateText ?? ''}`, classText),
        label: reason?.labels[r] ?? state?.labels[s] ?? 'unspecified',
      };
      byClass.set(c, kind);
    }
    return kind;
  };
}

/**
 * A state or stop log (one event per row, with start and end or duration) to records, stops and MTBF/MTTR.
 * Column-wise like the aggregated reader: a 4 MB log has ~80,000 events, each with its own timestamps.
 */
export function readEvents(read: RowReader, issues: IssueLog) {
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
  const kindOf = eventKinds(read);
  const endsAreClockTimes = !read.has('ts_end');
  // Each kept event's row, end and kind; the start is the row's.
  const rows: number[] = [];
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
    let end = column.end[row] as number;
    if (end < start && endsAreClockTimes) end += 86_400_000;
    const minutes = known(end) ? (end - start) / 60_000 : (column.duration[row] as number);
    if (!(minutes >= 0)) {
      issues.add(known(minutes) ? 'NEGATIVE_VALUE' : 'EVENT_WITHOUT_DURATION', 'error', line);
      excluded++;
      continue;
    }
    const dst = column.startDst[row] as number;
    if (dst !== 0) issues.add(dst === 1 ? 'DST_GAP_TIME' : 'DST_AMBIGUOUS_TIME', 'warning', line);
    if (column.machine[row] === -1) {
      if (unspecified === -1) unspecified = groups.machine.id('unspecified');
      column.machine[row] = unspecified;
    }
    rows.push(row);
    ends[row] = start + minutes * 60_000;
    kinds[row] = kindOf(row);
  }
  // Machine by machine, in time order (then file order).
  const rank = new Int32Array(groups.machine.names.length);
  const byName = groups.machine.names
    .map((name, id) => ({ name, id }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const [position, { id }] of byName.entries()) rank[id] = position;
  const starts = column.start;
  rows.sort(
    (a, b) =>
      (rank[column.machine[a] as number] as number) - (rank[column.machine[b] as number] as number) ||
      (starts[a] as number) - (starts[b] as number) ||
      a - b,
  );

  const period = new Period();
  const machines = groups.machine.names.length;
  const tally = {
    failures: new Float64Array(machines),
    operating: new Float64Array(machines),
    down: new Float64Array(machines),
    failureMinutes: new Float64Array(machines),
    first: new Float64Array(machines).fill(Number.POSITIVE_INFINITY),
    last: new Float64Array(machines).fill(Number.NEGATIVE_INFINITY),
  };
  const downtimeByReason = new DowntimeByReason();
  const stopLosses = new StopLosses('events');
  let hasRunningStates = false;
  let previous = -1;
  for (const row of rows) {
    const start = starts[row] as number;
    const end = ends[row] as number;
    const machine = column.machine[row] as number;
    const kind = kinds[row] as Kind;
    const line = table.lines[row] as number;
    period.widenStart(start, column.startOffset[row]);
    period.widenEnd(end, known(column.end[row] as number) ? column.endOffset[row] : column.startOffset[row]);
    if (previous !== -1 && column.machine[previous] === machine && start < (ends[previous] as number) - 1)
      issues.add('EVENT_OVERLAP', 'warning', line);
    previous = row;
    const minutes = (end - start) / 60_000;
    stopLosses.observed++;
    tally.first[machine] = Math.min(tally.first[machine] as number, start);
    tally.last[machine] = Math.max(tally.last[machine] as number, end);
    if (kind.running) {
      hasRunningStates = true;
      tally.operating[machine] = (tally.operating[machine] as number) + minutes;
    } else {
      tally.down[machine] = (tally.down[machine] as number) + minutes;
      if (!kind.planned && minutes >= MICRO_STOP_MIN) {
        tally.failures[machine] = (tally.failures[machine] as number) + 1;
        tally.failureMinutes[machine] = (tally.failureMinutes[machine] as number) + minutes;
      }
      downtimeByReason.add(kind.label, minutes, groups.machine.names[machine] ?? null);
      stopLosses.add(kind.planned, minutes);
    }
    const total = column.total[row] as number;
    const scrap = column.scrap[row] as number;
    const good = column.good[row] as number;
    records.push(
      line,
      machine,
      column.shift[row] as number,
      groups.day.id(berlinDay(start)),
      column.part[row] as number,
      minutes,
      kind.running ? minutes : 0,
      total,
      known(good) ? good : total - scrap,
      scrap,
      column.idealCtS[row] as number,
    );
  }
  const reliability: AnalysisReport['reliability'] = [];
  for (let position = 0, seen = new Set<number>(); position < rows.length; position++) {
    const machine = column.machine[rows[position] as number] as number;
    if (seen.has(machine)) continue;
    seen.add(machine);
    const failures = tally.failures[machine] as number;
    // Without running states, operating time is the logged span less the stops.
    const operating = hasRunningStates
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
    reliability,
  };
}
