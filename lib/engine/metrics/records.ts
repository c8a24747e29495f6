import { Interner } from '../input/interner';
import { grow } from '../input/repeats';

export const GROUPINGS = ['machine', 'shift', 'day', 'part'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/**
 * Production records (aggregated rows, or events of a state log) stored column-wise: minutes, counts and
 * seconds, NaN where unknown; group ids (-1 where absent) into `groups[grouping].names`.
 */
export class ProductionRecords {
  count = 0;
  readonly line: Int32Array;
  readonly planned: Float64Array;
  readonly run: Float64Array;
  readonly total: Float64Array;
  readonly good: Float64Array;
  readonly scrap: Float64Array;
  readonly idealCtS: Float64Array;
  readonly rework: Float64Array;
  /** Setup minutes within the planned time (NaN: not known). */
  readonly setup: Float64Array;
  /** Minutes in states nobody named (0 for rows that are not such events). */
  readonly unknown: Float64Array;
  readonly machine: Int32Array;
  readonly shift: Int32Array;
  readonly day: Int32Array;
  readonly part: Int32Array;
  readonly groups: Record<Grouping, Interner> = {
    machine: new Interner(),
    shift: new Interner(),
    day: new Interner(),
    part: new Interner(),
  };

  /** `capacity`: the most records that will be added (one per data row at most). */
  constructor(capacity: number) {
    this.line = new Int32Array(capacity);
    this.planned = new Float64Array(capacity);
    this.run = new Float64Array(capacity);
    this.total = new Float64Array(capacity);
    this.good = new Float64Array(capacity);
    this.scrap = new Float64Array(capacity);
    this.idealCtS = new Float64Array(capacity);
    this.rework = new Float64Array(capacity).fill(Number.NaN);
    this.setup = new Float64Array(capacity).fill(Number.NaN);
    this.unknown = new Float64Array(capacity);
    this.machine = new Int32Array(capacity);
    this.shift = new Int32Array(capacity);
    this.day = new Int32Array(capacity);
    this.part = new Int32Array(capacity);
  }

  /**
   * Appends a record: group ids from `groups` (-1: none), then minutes, counts and seconds (NaN:
   * unknown). Positional, as it runs once per row and an options object would be allocated each time.
   */
  push(
    line: number,
    machine: number,
    shift: number,
    day: number,
    part: number,
    planned: number,
    run: number,
    total: number,
    good: number,
    scrap: number,
    idealCtS: number,
  ): void {
    const i = this.count++;
    this.line[i] = line;
    this.machine[i] = machine;
    this.shift[i] = shift;
    this.day[i] = day;
    this.part[i] = part;
    this.planned[i] = planned;
    this.run[i] = run;
    this.total[i] = total;
    this.good[i] = good;
    this.scrap[i] = scrap;
    this.idealCtS[i] = idealCtS;
  }
}

/**
 * Downtime minutes and stop counts by reason, and each stop's machine (by id), summed as the rows come.
 * Stops are kept as typed triples rather than a map per reason and machine: a log of 78,000 machines
 * would otherwise hold hundreds of thousands of map entries.
 */
export class DowntimeByReason {
  readonly reasons = new Interner();
  #minutes: number[] = [];
  #events: number[] = [];
  #stops = 0;
  #reason = new Int32Array(1024);
  #machine = new Int32Array(1024);
  #stopMinutes = new Float64Array(1024);

  /** One stop (or one row's summed downtime) of `reason` on machine id `machine` (-1: none). */
  add(reason: string, minutes: number, machine = -1): void {
    if (!(minutes > 0)) return;
    const id = this.reasons.id(reason);
    if (id === this.#minutes.length) {
      this.#minutes.push(0);
      this.#events.push(0);
    }
    this.#minutes[id] = (this.#minutes[id] as number) + minutes;
    this.#events[id] = (this.#events[id] as number) + 1;
    if (machine === -1) return;
    if (this.#stops === this.#reason.length) {
      this.#reason = grow(this.#reason, this.#stops + 1);
      this.#machine = grow(this.#machine, this.#stops + 1);
      const bigger = new Float64Array(this.#stopMinutes.length * 2);
      bigger.set(this.#stopMinutes);
      this.#stopMinutes = bigger;
    }
    this.#reason[this.#stops] = id;
    this.#machine[this.#stops] = machine;
    this.#stopMinutes[this.#stops++] = minutes;
  }
  /** Each reason with its minutes and stops, in first-seen order. */
  entries(): [string, { minutes: number; events: number }][] {
    return this.reasons.names.map((reason, id) => [
      reason,
      { minutes: this.#minutes[id] as number, events: this.#events[id] as number },
    ]);
  }
  /**
   * Every stop that names a machine, column-wise: reason id, machine id, minutes. Arrays rather than a
   * visitor: a callback that is not inlined boxes each stop's minutes.
   */
  stops(): { reason: Int32Array; machine: Int32Array; minutes: Float64Array } {
    return {
      reason: this.#reason.subarray(0, this.#stops),
      machine: this.#machine.subarray(0, this.#stops),
      minutes: this.#stopMinutes.subarray(0, this.#stops),
    };
  }
}
