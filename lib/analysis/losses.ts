import type { KpiAccumulator } from './kpis';

/** An unplanned stop at least this long is a failure; shorter ones are small (micro) stops. */
export const MICRO_STOP_MIN = 5;
const PLANNED_STOP =
  /(planned|geplant|setup|set-up|ruest|rüst|changeover|umrüst|wartung|maintenance|pause|break|meeting|cleaning|reinigung|schulung|training)/i;
const UNPLANNED = /unplanned|ungeplant/i;

/** A stop is planned when its reason (or class, or state) names a planned activity and not "unplanned". */
export const isPlannedStop = (text: string, reasonClass: string | null = null): boolean =>
  PLANNED_STOP.test(`${reasonClass ?? ''} ${text}`) && !UNPLANNED.test(reasonClass ?? '');

type Tally = { minutes: number; events: number };

/**
 * Stop time by kind for the Six Big Losses. From an event log each stop has its own duration, so small
 * stops are told apart; aggregated rows only carry summed downtime per reason, so they cannot be.
 */
export class StopLosses {
  readonly planned: Tally = { minutes: 0, events: 0 };
  readonly unplanned: Tally = { minutes: 0, events: 0 };
  readonly small: Tally = { minutes: 0, events: 0 };
  /** Rows (or events) whose downtime is known, zero included: none means the stops are unknown, not zero. */
  observed = 0;
  /** Downtime on rows that name no reason: neither planned nor unplanned can be said. */
  readonly unattributed: Tally = { minutes: 0, events: 0 };
  constructor(readonly source: 'events' | 'reasons') {}

  addUnattributed(minutes: number): void {
    if (!(minutes > 0)) return;
    this.unattributed.minutes += minutes;
    this.unattributed.events++;
  }

  /** One stop (events) or one reason's summed downtime (aggregated rows: `minutes` of `events` rows). */
  add(planned: boolean, minutes: number, events = 1): void {
    if (!(minutes > 0)) return;
    const tally = planned
      ? this.planned
      : this.source === 'events' && minutes < MICRO_STOP_MIN
        ? this.small
        : this.unplanned;
    tally.minutes += minutes;
    tally.events += events;
  }
}

export type SixBigLoss = {
  loss:
    | 'unplanned_stops'
    | 'planned_stops'
    | 'small_stops'
    | 'slow_cycles'
    | 'production_rejects'
    | 'startup_rejects';
  factor: 'availability' | 'performance' | 'quality';
  minutes: number | null;
  events: number | null;
  basis: string;
};

/**
 * The Six Big Losses (oee.com's naming: unplanned and planned stops, small stops, slow cycles, production
 * and startup rejects) in minutes. Stops come from the stop reasons; slow cycles and rejects from the rows
 * that carry what each needs (as performance and quality do).
 */
export function sixBigLosses(stopLosses: StopLosses | null, overall: KpiAccumulator): SixBigLoss[] {
  let stops = stopLosses;
  const fromEvents = stops?.source === 'events';
  const unattributed = stops?.unattributed.minutes ?? 0;
  const reasoned = (stops?.planned.events ?? 0) + (stops?.unplanned.events ?? 0) + (stops?.small.events ?? 0);
  // Unknown, not zero: no downtime read at all, or downtime but no reasons to classify it by.
  const why =
    !stops || stops.observed === 0
      ? 'not computable: needs downtime (or planned and run time) with stop reasons'
      : reasoned === 0 && unattributed > 0
        ? 'not computable: needs a stop reason for the downtime'
        : null;
  if (why) stops = null;
  const stopBasis = why
    ? why
    : `${
        fromEvents
          ? 'stop events of the log; planned by reason, small when shorter than 5 min'
          : 'downtime by stop reason; planned by reason class or text (aggregated rows cannot tell small stops apart)'
      }${unattributed > 0 ? `; ${unattributed.toFixed(1)} min of downtime name no reason and are in neither` : ''}`;
  const stop = (tally: Tally | undefined): Pick<SixBigLoss, 'minutes' | 'events'> =>
    tally && stops ? { minutes: tally.minutes, events: tally.events } : { minutes: null, events: null };
  return [
    { loss: 'unplanned_stops', factor: 'availability', ...stop(stops?.unplanned), basis: stopBasis },
    { loss: 'planned_stops', factor: 'availability', ...stop(stops?.planned), basis: stopBasis },
    {
      loss: 'small_stops',
      factor: 'performance',
      ...stop(fromEvents ? stops?.small : undefined),
      basis:
        fromEvents && stops
          ? `${stopBasis}; counted as downtime in availability, since the log records them as stops`
          : 'not computable: needs an event log with one row per stop',
    },
    {
      loss: 'slow_cycles',
      factor: 'performance',
      minutes: overall.rowsP > 0 ? overall.runP - overall.idealP : null,
      events: null,
      basis:
        overall.rowsP > 0
          ? 'run time - ideal cycle time x total count'
          : 'not computable: needs run time, ideal cycle time and total count',
    },
    {
      loss: 'production_rejects',
      factor: 'quality',
      minutes: overall.rowsR > 0 ? overall.rejectMinutes : null,
      events: null,
      basis:
        overall.rowsR > 0
          ? 'ideal cycle time x scrap (all rejects: start-up rejects are not told apart)'
          : 'not computable: needs ideal cycle time and good and total counts',
    },
    {
      loss: 'startup_rejects',
      factor: 'quality',
      minutes: null,
      events: null,
      basis: 'not computable: the data does not mark start-up production',
    },
  ];
}
