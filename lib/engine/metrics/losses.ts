import type * as z from 'zod';
import type { sixBigLoss } from '../../contracts/report';
import { DEFAULT_MICRO_STOP_MIN } from '../input/options';
import { type StateClassifier, vocabularyCategory } from '../input/states';
import type { KpiAccumulator } from './kpis';

/** Stops by kind: setup is a planned stop of its own, counted apart. */
export type StopCategory = 'setup' | 'planned_stop' | 'unplanned_stop';

/**
 * Which stop a downtime reason is, for aggregated rows: the user's states first, then the reason class
 * (planned / unplanned / setup ...), then the reason's own words; a reason nothing names is unplanned
 * (it is downtime, so it is a stop; only which kind is open).
 */
export function stopCategory(
  classifier: StateClassifier,
  reason: string,
  reasonClass: string | null = null,
): StopCategory {
  const named =
    classifier.user(reason) ??
    (reasonClass === null ? undefined : classifier.classify(reasonClass)) ??
    vocabularyCategory(reason);
  if (named === 'setup' || named === 'unplanned_stop') return named;
  return named === 'planned_stop' || named === 'not_scheduled' ? 'planned_stop' : 'unplanned_stop';
}

type Tally = { minutes: number; events: number };

/**
 * Stop time by kind for the Six Big Losses. From an event log each stop has its own duration, so small
 * stops are told apart; aggregated rows only carry summed downtime per reason, so they cannot be.
 */
export class StopLosses {
  readonly planned: Tally = { minutes: 0, events: 0 };
  /** Setup and changeover: part of the planned stops, and a loss of its own. */
  readonly setup: Tally = { minutes: 0, events: 0 };
  readonly unplanned: Tally = { minutes: 0, events: 0 };
  readonly small: Tally = { minutes: 0, events: 0 };
  /** Rows (or events) whose downtime is known, zero included: none means the stops are unknown, not zero. */
  observed = 0;
  /** Event time in states nobody named: in no loss. */
  unknownMinutes = 0;
  /** Downtime on rows that name no reason: neither planned nor unplanned can be said. */
  readonly unattributed: Tally = { minutes: 0, events: 0 };
  constructor(
    readonly source: 'events' | 'reasons',
    readonly microStopMinutes = DEFAULT_MICRO_STOP_MIN,
  ) {}

  addUnattributed(minutes: number): void {
    if (!(minutes > 0)) return;
    this.unattributed.minutes += minutes;
    this.unattributed.events++;
  }

  /** One stop (events) or one reason's summed downtime (aggregated rows: `minutes` of `events` rows). */
  add(category: StopCategory, minutes: number, events = 1): void {
    if (!(minutes > 0)) return;
    const tally =
      category !== 'unplanned_stop'
        ? this.planned
        : this.source === 'events' && minutes < this.microStopMinutes
          ? this.small
          : this.unplanned;
    tally.minutes += minutes;
    tally.events += events;
    if (category === 'setup') {
      this.setup.minutes += minutes;
      this.setup.events += events;
    }
  }
}

export type SixBigLoss = z.output<typeof sixBigLoss>;

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
      ? stops && stops.unknownMinutes > 0
        ? 'not computable: every logged state is one the engine does not know (see STATE_UNKNOWN); name them with options.states'
        : 'not computable: needs downtime (or planned and run time) with stop reasons'
      : reasoned === 0 && unattributed > 0
        ? 'not computable: needs a stop reason for the downtime'
        : null;
  if (why) stops = null;
  const stopBasis = why
    ? why
    : `${
        fromEvents
          ? `stop events of the log; planned by state or reason, small when shorter than ${stops?.microStopMinutes ?? DEFAULT_MICRO_STOP_MIN} min`
          : 'downtime by stop reason; planned by reason class or text (aggregated rows cannot tell small stops apart)'
      }${unattributed > 0 ? `; ${unattributed.toFixed(1)} min of downtime name no reason and are in neither` : ''}${
        (stops?.unknownMinutes ?? 0) > 0
          ? `; ${stops?.unknownMinutes.toFixed(1)} min in states the engine does not know are in none`
          : ''
      }`;
  const stop = (tally: Tally | undefined): Pick<SixBigLoss, 'minutes' | 'events'> =>
    tally && stops ? { minutes: tally.minutes, events: tally.events } : { minutes: null, events: null };
  return [
    { loss: 'unplanned_stops', factor: 'availability', ...stop(stops?.unplanned), basis: stopBasis },
    {
      loss: 'planned_stops',
      factor: 'availability',
      ...stop(stops?.planned),
      basis: stopBasis,
      setup: stops && stops.setup.events > 0 ? { ...stops.setup } : null,
    },
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
