/** Not NaN: the amount is known (amounts are doubles with NaN for "unknown", so nothing is boxed). */
export const known = (value: number): boolean => !Number.isNaN(value);

/** Ids for strings, in first-seen order: rows group and compare as integers. */
export class Interner {
  readonly names: string[] = [];
  readonly #ids = new Map<string, number>();
  id(value: string | null): number {
    if (value === null) return -1;
    let id = this.#ids.get(value);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(value);
      this.#ids.set(value, id);
    }
    return id;
  }
}

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

/** Downtime minutes and stop counts by reason (and by machine within it), summed as the rows come. */
export class DowntimeByReason {
  readonly #reasons = new Map<string, { minutes: number; events: number; byMachine: Map<string, number> }>();
  add(reason: string, minutes: number, machine: string | null = null): void {
    if (!(minutes > 0)) return;
    let entry = this.#reasons.get(reason);
    if (!entry) {
      entry = { minutes: 0, events: 0, byMachine: new Map() };
      this.#reasons.set(reason, entry);
    }
    entry.minutes += minutes;
    entry.events++;
    if (machine !== null) entry.byMachine.set(machine, (entry.byMachine.get(machine) ?? 0) + minutes);
  }
  entries(): [string, { minutes: number; events: number; byMachine: Map<string, number> }][] {
    return [...this.#reasons.entries()];
  }
}
