import type { IssueLog } from './issues';
import { isPlannedStop, MICRO_STOP_MIN, StopLosses } from './losses';
import { Period } from './period';
import type { RowReader } from './reader';
import { DowntimeByReason, ProductionRecords } from './records';
import type { AnalysisReport } from './report';
import { berlinDay } from './values';

const RUNNING =
  /^(run|running|produc|production|produktion|laeuft|läuft|betrieb|in betrieb|auto|automatic|active|up|ok|green|gruen|grün)/i;

type Event = {
  line: number;
  machine: string;
  start: number;
  end: number;
  /** Offsets the times were written with (minutes east of UTC), NaN for naive times. */
  startOffset: number;
  endOffset: number;
  running: boolean;
  planned: boolean;
  reason: string;
  shift: string | null;
  part: string | null;
  amounts: {
    planned: number;
    run: number;
    total: number | null;
    good: number | null;
    scrap: number | null;
    idealCtS: number | null;
  };
};

/** A state or stop log (one event per row, with start and end or duration) to records, stops and MTBF/MTTR. */
export function readEvents(read: RowReader, issues: IssueLog) {
  const { table } = read;
  const events: Event[] = [];
  let excluded = 0;
  for (let row = 0; row < table.rowCount; row++) {
    const line = table.lines[row] as number;
    const start = read.instant(row, 'start');
    let end = read.instant(row, 'end');
    if (!start) {
      issues.add('EVENT_WITHOUT_START', 'error', line);
      excluded++;
      continue;
    }
    if (end && end.ms < start.ms && !read.has('ts_end')) end = { ...end, ms: end.ms + 86_400_000 };
    let minutes = end ? (end.ms - start.ms) / 60_000 : read.number(row, 'duration_min');
    if (minutes === null || minutes < 0) {
      issues.add(minutes === null ? 'EVENT_WITHOUT_DURATION' : 'NEGATIVE_VALUE', 'error', line);
      excluded++;
      continue;
    }
    if (start.dst) issues.add(start.dst === 'gap' ? 'DST_GAP_TIME' : 'DST_AMBIGUOUS_TIME', 'warning', line);
    const state = read.text(row, 'state');
    const reason = read.text(row, 'reason');
    const reasonClass = read.text(row, 'reason_class');
    // With a state column, "running" states are production; a log of reasons alone is a stop log.
    const running = state !== null ? RUNNING.test(state) && !reason : false;
    const planned = !running && isPlannedStop(`${reason ?? ''} ${state ?? ''}`, reasonClass);
    minutes = Math.max(0, minutes);
    const machine = read.machine(row) ?? 'unspecified';
    const total = read.number(row, 'total_count');
    const scrap = read.number(row, 'scrap_count');
    events.push({
      line,
      machine,
      start: start.ms,
      end: start.ms + minutes * 60_000,
      startOffset: start.offset ?? Number.NaN,
      endOffset: (end ? end.offset : start.offset) ?? Number.NaN,
      running,
      planned,
      reason: read.label(row, 'reason') ?? read.label(row, 'state') ?? 'unspecified',
      shift: read.label(row, 'shift'),
      part: read.label(row, 'part'),
      amounts: {
        planned: minutes,
        run: running ? minutes : 0,
        total,
        good: read.number(row, 'good_count') ?? (total !== null && scrap !== null ? total - scrap : null),
        scrap,
        idealCtS: read.idealCycleSeconds(row),
      },
    });
  }
  events.sort((a, b) =>
    a.machine < b.machine ? -1 : a.machine > b.machine ? 1 : a.start - b.start || a.line - b.line,
  );
  const period = new Period();
  type Tally = {
    failures: number;
    operating: number;
    down: number;
    failureMinutes: number;
    first: number;
    last: number;
  };
  const tallies = new Map<string, Tally>();
  let previous: Event | undefined;
  const hasRunningStates = events.some((event) => event.running);
  for (const event of events) {
    period.widenStart(event.start, event.startOffset);
    period.widenEnd(event.end, event.endOffset);
    if (previous && previous.machine === event.machine && event.start < previous.end - 1)
      issues.add('EVENT_OVERLAP', 'warning', event.line);
    previous = event;
    const minutes = (event.end - event.start) / 60_000;
    let tally = tallies.get(event.machine);
    if (!tally) {
      tally = { failures: 0, operating: 0, down: 0, failureMinutes: 0, first: event.start, last: event.end };
      tallies.set(event.machine, tally);
    }
    tally.first = Math.min(tally.first, event.start);
    tally.last = Math.max(tally.last, event.end);
    if (event.running) tally.operating += minutes;
    else {
      tally.down += minutes;
      if (!event.planned && minutes >= MICRO_STOP_MIN) {
        tally.failures++;
        tally.failureMinutes += minutes;
      }
    }
  }
  const records = new ProductionRecords(events.length);
  const downtimeByReason = new DowntimeByReason();
  const stopLosses = new StopLosses('events');
  for (const event of events) {
    const { groups } = records;
    const { amounts } = event;
    records.push(
      event.line,
      groups.machine.id(event.machine),
      groups.shift.id(event.shift),
      groups.day.id(berlinDay(event.start)),
      groups.part.id(event.part),
      amounts.planned,
      amounts.run,
      amounts.total ?? Number.NaN,
      amounts.good ?? Number.NaN,
      amounts.scrap ?? Number.NaN,
      amounts.idealCtS ?? Number.NaN,
    );
    if (!event.running) {
      downtimeByReason.add(event.reason, (event.end - event.start) / 60_000, event.machine);
      stopLosses.add(event.planned, (event.end - event.start) / 60_000);
    }
  }
  const reliability: AnalysisReport['reliability'] = [...tallies.entries()].map(([machine, tally]) => {
    // Without running states, operating time is the logged span less the stops.
    const operating = hasRunningStates
      ? tally.operating
      : Math.max(0, (tally.last - tally.first) / 60_000 - tally.down);
    return {
      machine,
      failures: tally.failures,
      operatingMin: operating,
      downtimeMin: tally.down,
      mtbfMin: tally.failures > 0 ? operating / tally.failures : null,
      mttrMin: tally.failures > 0 ? tally.failureMinutes / tally.failures : null,
    };
  });
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
