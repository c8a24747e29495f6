import { type DowntimeByReason, GROUPINGS, type Grouping, known, type ProductionRecords } from './records';
/** OEE and its components, summed first and divided last (never an average of percentages). */

export type KpiStatus = 'ok' | 'warning' | 'not_computable';
export type Kpi = {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  formula: string;
  status: KpiStatus;
  reason: string | null;
};

/** A KPI the data cannot give, with the reason (never a 0 in its place). */
export function notComputable(
  formula: string,
  reason: string,
  numerator: number | null = null,
  denominator: number | null = null,
): Kpi {
  return { value: null, numerator, denominator, formula, status: 'not_computable', reason };
}

export function ratio(
  numerator: number,
  denominator: number,
  formula: string,
  rows: number,
  missing: string,
): Kpi {
  if (rows === 0) return notComputable(formula, missing);
  if (denominator <= 0) return notComputable(formula, 'denominator is zero', numerator, denominator);
  return { value: numerator / denominator, numerator, denominator, formula, status: 'ok', reason: null };
}

export type GroupKpis = {
  availability: Kpi;
  performance: Kpi;
  quality: Kpi;
  oee: Kpi;
  scrapRate: Kpi;
  throughputPerHour: Kpi;
  totals: {
    plannedMin: number;
    runMin: number;
    downtimeMin: number;
    totalCount: number;
    goodCount: number;
    scrapCount: number;
  };
};

/** Sums of the components over the records that can feed each KPI. */
const SUM_FIELDS = [
  'rows',
  'plannedA',
  'runA',
  'rowsA',
  'idealP',
  'runP',
  'rowsP',
  'goodQ',
  'totalQ',
  'rowsQ',
  'scrapS',
  'totalS',
  'rowsS',
  'goodT',
  'runT',
  'rowsT',
  'oeeNumerator',
  'oeeDenominator',
  'rowsOee',
  'rejectMinutes',
  'rowsR',
  'firstPassGood',
  'totalF',
  'reworkF',
  'rowsF',
] as const;

export class KpiAccumulator {
  /** Records added, whatever they could feed. */
  rows = 0;
  plannedA = 0;
  runA = 0;
  rowsA = 0;
  idealP = 0;
  runP = 0;
  rowsP = 0;
  goodQ = 0;
  totalQ = 0;
  rowsQ = 0;
  scrapS = 0;
  totalS = 0;
  rowsS = 0;
  goodT = 0;
  runT = 0;
  rowsT = 0;
  oeeNumerator = 0;
  oeeDenominator = 0;
  rowsOee = 0;
  rejectMinutes = 0;
  rowsR = 0;
  firstPassGood = 0;
  totalF = 0;
  reworkF = 0;
  rowsF = 0;

  /** Adds another accumulator's sums (for groups summed together). */
  merge(other: KpiAccumulator): void {
    for (const field of SUM_FIELDS) this[field] += other[field];
  }

  /** Rework is known on few exports: it feeds only first-pass yield and the rework rate, overall. */
  addRework(total: number, good: number, rework: number): void {
    if (!known(rework) || !known(total) || !known(good)) return;
    this.firstPassGood += good - rework;
    this.reworkF += rework;
    this.totalF += total;
    this.rowsF++;
  }

  /** Adds one record's amounts; NaN (unknown) leaves it out of the KPIs that need that value. */
  add(planned: number, run: number, total: number, good: number, scrap: number, idealCtS: number): void {
    this.rows++;
    if (known(planned) && known(run)) {
      this.plannedA += planned;
      this.runA += run;
      this.rowsA++;
    }
    if (known(idealCtS) && known(total) && known(run)) {
      this.idealP += (idealCtS * total) / 60;
      this.runP += run;
      this.rowsP++;
    }
    if (known(good) && known(total) && known(idealCtS)) {
      this.rejectMinutes += ((total - good) * idealCtS) / 60;
      this.rowsR++;
    }
    if (known(good) && known(total)) {
      this.goodQ += good;
      this.totalQ += total;
      this.rowsQ++;
    }
    if (known(scrap) && known(total)) {
      this.scrapS += scrap;
      this.totalS += total;
      this.rowsS++;
    }
    if (known(good) && known(run)) {
      this.goodT += good;
      this.runT += run;
      this.rowsT++;
    }
    if (known(planned) && known(run) && known(idealCtS) && known(total) && known(good)) {
      this.oeeNumerator += (good * idealCtS) / 60;
      this.oeeDenominator += planned;
      this.rowsOee++;
    }
  }

  /**
   * OEE = A x P x Q, with the fully productive time (good x ideal cycle time) over planned time as its
   * numerator and denominator. With one ideal cycle time they are equal; with a mix of parts they differ
   * slightly (quality counts pieces, the time ratio weights them by cycle time), and the KPI says so.
   */
  #oee(availability: Kpi, performance: Kpi, quality: Kpi): Kpi {
    const formula = 'availability x performance x quality';
    if (availability.value === null || performance.value === null || quality.value === null)
      return notComputable(formula, 'a component is not computable');
    const value = availability.value * performance.value * quality.value;
    const reasons: string[] = [];
    if (performance.status === 'warning') reasons.push('performance above 100 %');
    if (this.rowsOee < Math.max(this.rowsA, this.rowsP, this.rowsQ))
      reasons.push('the components cover different rows');
    const timeRatio = this.oeeDenominator > 0 ? this.oeeNumerator / this.oeeDenominator : null;
    if (timeRatio !== null && Math.abs(timeRatio - value) > 1e-6 * Math.max(1, value)) {
      reasons.push(`MIXED_IDEAL_CT: fully productive / planned time is ${timeRatio.toFixed(4)}`);
    }
    return {
      value,
      numerator: this.oeeNumerator,
      denominator: this.oeeDenominator,
      formula,
      status: reasons.length > 0 ? 'warning' : 'ok',
      reason: reasons.length > 0 ? reasons.join('; ') : null,
    };
  }

  kpis(): GroupKpis {
    const availability = ratio(
      this.runA,
      this.plannedA,
      'run / planned production time',
      this.rowsA,
      'needs planned time and run time (or downtime)',
    );
    const performance = ratio(
      this.idealP,
      this.runP,
      'sum(ideal cycle time x total) / run time',
      this.rowsP,
      'needs an ideal cycle time (or rate), total count and run time',
    );
    if (performance.value !== null && performance.value > 1) {
      performance.status = 'warning';
      performance.reason =
        'IDEAL_CT_TOO_SLOW: above 100 %, the ideal cycle time is probably too slow (not capped)';
    }
    const quality = ratio(
      this.goodQ,
      this.totalQ,
      'good / total',
      this.rowsQ,
      'needs good and total counts (or scrap)',
    );
    const oee = this.#oee(availability, performance, quality);
    return {
      availability,
      performance,
      quality,
      oee,
      scrapRate: ratio(
        this.scrapS,
        this.totalS,
        'scrap / total',
        this.rowsS,
        'needs scrap (or good) and total counts',
      ),
      throughputPerHour: ratio(
        this.goodT,
        this.runT / 60,
        'good / run hours',
        this.rowsT,
        'needs good counts and run time',
      ),
      totals: {
        plannedMin: this.plannedA,
        runMin: this.runA,
        downtimeMin: this.plannedA - this.runA,
        totalCount: this.totalQ,
        goodCount: this.goodQ,
        scrapCount: this.scrapS,
      },
    };
  }
}

/** One group's KPIs; `groups` only on the OTHER_GROUPS entry: how many groups it sums. */
export type GroupedKpis = { key: string; groups?: number } & GroupKpis;

/** KPIs overall and per value of each grouping field, groups in key order; one pass over the records. */
export function computeKpis(records: ProductionRecords) {
  const overall = new KpiAccumulator();
  const accumulators = GROUPINGS.map((grouping) =>
    records.groups[grouping].names.map(() => new KpiAccumulator()),
  ) as [KpiAccumulator[], KpiAccumulator[], KpiAccumulator[], KpiAccumulator[]];
  const [machines, shifts, days, parts] = accumulators;
  for (let i = 0; i < records.count; i++) {
    const planned = records.planned[i] as number;
    const run = records.run[i] as number;
    const total = records.total[i] as number;
    const good = records.good[i] as number;
    const scrap = records.scrap[i] as number;
    const idealCtS = records.idealCtS[i] as number;
    overall.add(planned, run, total, good, scrap, idealCtS);
    overall.addRework(total, good, records.rework[i] as number);
    const machine = records.machine[i] as number;
    const shift = records.shift[i] as number;
    const day = records.day[i] as number;
    const part = records.part[i] as number;
    if (machine >= 0) (machines[machine] as KpiAccumulator).add(planned, run, total, good, scrap, idealCtS);
    if (shift >= 0) (shifts[shift] as KpiAccumulator).add(planned, run, total, good, scrap, idealCtS);
    if (day >= 0) (days[day] as KpiAccumulator).add(planned, run, total, good, scrap, idealCtS);
    if (part >= 0) (parts[part] as KpiAccumulator).add(planned, run, total, good, scrap, idealCtS);
  }
  const limited: Grouping[] = [];
  /** Groups with records, before any limit: TEEP counts every machine's calendar. */
  const counts = { machine: 0, shift: 0, day: 0, part: 0 } satisfies Record<Grouping, number>;
  const [byMachine, byShift, byDay, byPart] = GROUPINGS.map((grouping, index) => {
    let groups = records.groups[grouping].names
      .map((key, id) => ({ key, accumulator: accumulators[index]?.[id] as KpiAccumulator }))
      .filter(({ accumulator }) => accumulator.rows > 0); // names seen only in rows left out
    counts[grouping] = groups.length;
    let other: GroupedKpis | null = null;
    if (grouping !== 'day' && groups.length > MAX_GROUPS) {
      // Keep the report bounded (a job shop exports thousands of part numbers): the groups with most
      // planned time are listed, the rest summed in one "(other)" entry.
      groups.sort(
        (a, b) =>
          b.accumulator.plannedA - a.accumulator.plannedA ||
          b.accumulator.totalQ - a.accumulator.totalQ ||
          (a.key < b.key ? -1 : 1),
      );
      const rest = new KpiAccumulator();
      for (const { accumulator } of groups.slice(MAX_GROUPS)) rest.merge(accumulator);
      other = { key: OTHER_GROUPS, groups: groups.length - MAX_GROUPS, ...rest.kpis() };
      groups = groups.slice(0, MAX_GROUPS);
      limited.push(grouping);
    }
    const listed = groups
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(({ key, accumulator }): GroupedKpis => ({ key, ...accumulator.kpis() }));
    return other ? [...listed, other] : listed;
  }) as [GroupedKpis[], GroupedKpis[], GroupedKpis[], GroupedKpis[]];
  return {
    accumulator: overall,
    overall: overall.kpis(),
    byMachine,
    byShift,
    byDay,
    byPart,
    counts,
    limited,
  };
}

/** Machines, shifts or parts listed at most (days are all listed: they make the trend). */
export const MAX_GROUPS = 250;
/** The key of the entry that sums the groups beyond MAX_GROUPS. */
export const OTHER_GROUPS = '(other)';

/**
 * First-pass yield (good without rework over total) and the rework rate, when the file counts rework
 * (good parts are taken to include the reworked ones, as BDE exports count them).
 */
export function reworkKpis(overall: KpiAccumulator): { firstPassYield: Kpi; reworkRate: Kpi } {
  const missing = 'needs rework, good and total counts';
  return {
    firstPassYield: ratio(
      overall.firstPassGood,
      overall.totalF,
      '(good - rework) / total',
      overall.rowsF,
      missing,
    ),
    reworkRate: ratio(overall.reworkF, overall.totalF, 'rework / total', overall.rowsF, missing),
  };
}

/**
 * TEEP = OEE x planned production time / all time, where all time is the calendar span of the data times
 * the number of machines (each machine's calendar counts).
 */
export function teep(overall: GroupKpis, machines: number, calendarMin: number | null): Kpi {
  const formula = 'OEE x planned production time / (calendar time x machines)';
  const oee = overall.oee.value;
  if (oee === null) return notComputable(formula, 'OEE is not computable');
  if (calendarMin === null || !(calendarMin > 0))
    return notComputable(formula, 'needs dates or times that span a period');
  const planned = overall.totals.plannedMin;
  const allTime = calendarMin * Math.max(1, machines);
  const overfull = planned > allTime + 1e-9;
  return {
    value: (oee * planned) / allTime,
    numerator: oee * planned,
    denominator: allTime,
    formula,
    status: overfull ? 'warning' : 'ok',
    reason: overfull
      ? 'PLANNED_EXCEEDS_CALENDAR: more planned time than calendar time; rows overlap or machines are not named'
      : null,
  };
}

/** Planned time down to fully productive time, in minutes (needs all OEE inputs on the same rows). */
export function lossWaterfall(overall: GroupKpis, accumulator?: { idealP: number; oeeNumerator: number }) {
  const { plannedMin, runMin } = overall.totals;
  if (!accumulator || overall.oee.value === null) return [];
  return [
    { step: 'planned_production_time', minutes: plannedMin },
    { step: 'downtime_loss', minutes: -(plannedMin - runMin) },
    { step: 'run_time', minutes: runMin },
    { step: 'speed_loss', minutes: -(runMin - accumulator.idealP) },
    { step: 'net_run_time', minutes: accumulator.idealP },
    { step: 'quality_loss', minutes: -(accumulator.idealP - accumulator.oeeNumerator) },
    { step: 'fully_productive_time', minutes: accumulator.oeeNumerator },
  ];
}

/** Downtime by reason, largest first, with cumulative share; top 9 and "other"; the vital few reach 80 %. */
export function downtimePareto(downtime: DowntimeByReason) {
  const byReason = downtime.entries();
  const total = byReason.reduce((sum, [, entry]) => sum + entry.minutes, 0);
  if (total === 0) return null;
  const sorted = byReason.sort(([ra, a], [rb, b]) => b.minutes - a.minutes || (ra < rb ? -1 : 1));
  let cumulative = 0;
  const items = sorted.slice(0, 9).map(([reason, entry]) => {
    cumulative += entry.minutes;
    return {
      reason,
      minutes: entry.minutes,
      events: entry.events,
      share: entry.minutes / total,
      cumShare: cumulative / total,
    };
  });
  const rest = sorted.slice(9);
  let vitalFew = 0;
  for (const item of items) {
    vitalFew++;
    if (item.cumShare >= 0.8) break;
  }
  return {
    totalMinutes: total,
    items,
    other: { minutes: rest.reduce((sum, [, entry]) => sum + entry.minutes, 0), reasons: rest.length },
    vitalFew: items.slice(0, vitalFew).map((item) => item.reason),
  };
}

/**
 * Downtime minutes by machine (rows, in key order) and reason (the Pareto's reasons, in its order; the
 * rest summed in `other`), for a heatmap. Null without a Pareto or without machines.
 */
export function downtimeMatrix(downtime: DowntimeByReason, pareto: ReturnType<typeof downtimePareto>) {
  if (!pareto) return null;
  const entries = downtime.entries();
  const machines = [...new Set(entries.flatMap(([, entry]) => [...entry.byMachine.keys()]))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  if (machines.length === 0) return null;
  const reasons = pareto.items.map((item) => item.reason);
  const column = new Map(reasons.map((reason, index) => [reason, index]));
  const row = new Map(machines.map((machine, index) => [machine, index]));
  const minutes = machines.map(() => reasons.map(() => 0));
  const other = machines.map(() => 0);
  for (const [reason, entry] of entries) {
    const at = column.get(reason);
    for (const [machine, value] of entry.byMachine) {
      const m = row.get(machine) as number;
      if (at === undefined) other[m] = (other[m] as number) + value;
      else (minutes[m] as number[])[at] = ((minutes[m] as number[])[at] as number) + value;
    }
  }
  return { machines, reasons, minutes, other };
}

export function describeSample(values: number[]) {
  const n = values.length;
  if (n === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const quantile = (q: number) => {
    const position = (n - 1) * q;
    const low = Math.floor(position);
    const high = Math.ceil(position);
    return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (position - low);
  };
  return {
    n,
    mean,
    p50: quantile(0.5),
    p95: quantile(0.95),
    sd,
    cv: mean !== 0 ? sd / mean : null,
    min: sorted[0] as number,
    max: sorted[n - 1] as number,
  };
}
