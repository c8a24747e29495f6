import type * as z from 'zod';
import type { groupedKpis, groupKpis as groupKpisSchema, kpi } from '../../contracts/report';
import { compareText } from '../compare';
import { known } from '../input/interner';
import { two, utcMs } from '../input/values';
import type { DowntimeByReason, Grouping, ProductionRecords } from './records';

// OEE and its components, summed first and divided last (never an average of percentages).

/** A KPI, or why it is missing: the report contract's type (lib/contracts/report.ts). */
export type Kpi = z.output<typeof kpi>;
export type KpiStatus = Kpi['status'];

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

export type GroupKpis = z.output<typeof groupKpisSchema>;

/** Why a total is null. */
export const TOTAL_NEEDS: Record<keyof GroupKpis['totals'], string> = {
  plannedMin: 'no row has a planned time (or run time and downtime, or start and end)',
  runMin: 'no row has a run time (or planned time and downtime)',
  downtimeMin: 'no row has both planned and run time',
  setupMin: 'the file has no setup time',
  totalCount: 'no row has a total count (or good and scrap counts)',
  goodCount: 'no row has a good count (or total and scrap counts)',
  scrapCount: 'no row has a scrap count (or total and good counts)',
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
  'setupA',
  'unknownMin',
  'sumPlanned',
  'nPlanned',
  'sumRun',
  'nRun',
  'sumTotal',
  'nTotal',
  'sumGood',
  'nGood',
  'sumScrap',
  'nScrap',
  'sumSetup',
  'nSetup',
] as const;

/** Availability stays computable when at most this share of the logged time is in unknown states. */
export const UNKNOWN_STATE_TOLERANCE = 0.05;

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
  /** Setup minutes on the rows that feed availability. */
  setupA = 0;
  /** Minutes in states nobody named: they feed no time-based KPI, and availability says so. */
  unknownMin = 0;
  sumPlanned = 0;
  nPlanned = 0;
  sumRun = 0;
  nRun = 0;
  sumTotal = 0;
  nTotal = 0;
  sumGood = 0;
  nGood = 0;
  sumScrap = 0;
  nScrap = 0;
  sumSetup = 0;
  nSetup = 0;

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

  /**
   * Adds record `i`'s amounts; NaN (unknown) leaves it out of the KPIs that need that value. Read here
   * from the records, not passed in: a call that is not inlined boxes every double argument.
   */
  add(records: ProductionRecords, i: number): void {
    const planned = records.planned[i] as number;
    const run = records.run[i] as number;
    const total = records.total[i] as number;
    const good = records.good[i] as number;
    const scrap = records.scrap[i] as number;
    const idealCtS = records.idealCtS[i] as number;
    const setup = records.setup[i] as number;
    this.unknownMin += records.unknown[i] as number;
    if (known(setup)) {
      this.sumSetup += setup;
      this.nSetup++;
      if (known(planned) && known(run)) this.setupA += setup;
    }
    this.rows++;
    if (known(planned)) {
      this.sumPlanned += planned;
      this.nPlanned++;
    }
    if (known(run)) {
      this.sumRun += run;
      this.nRun++;
    }
    if (known(total)) {
      this.sumTotal += total;
      this.nTotal++;
    }
    if (known(good)) {
      this.sumGood += good;
      this.nGood++;
    }
    if (known(scrap)) {
      this.sumScrap += scrap;
      this.nScrap++;
    }
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
      this.unknownMin > 0
        ? 'STATE_UNKNOWN: every logged state is one the engine does not know; name them with options.states'
        : 'needs planned time and run time (or downtime)',
    );
    if (this.unknownMin > 0 && availability.value !== null) {
      // Time in unnamed states is left out; a small share is a warning, a large one leaves A unknown.
      const unknownShare = this.unknownMin / (this.unknownMin + this.plannedA);
      const reason = `STATE_UNKNOWN: ${(unknownShare * 100).toFixed(1)} % of the logged time is in states the engine does not know (see the issue); name them with options.states`;
      if (unknownShare > UNKNOWN_STATE_TOLERANCE)
        Object.assign(
          availability,
          notComputable(availability.formula, reason, availability.numerator, availability.denominator),
        );
      else Object.assign(availability, { status: 'warning', reason });
    }
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
        plannedMin: this.nPlanned > 0 ? this.sumPlanned : null,
        runMin: this.nRun > 0 ? this.sumRun : null,
        downtimeMin: this.rowsA > 0 ? this.plannedA - this.runA : null,
        setupMin: this.nSetup > 0 ? this.sumSetup : null,
        totalCount: this.nTotal > 0 ? this.sumTotal : null,
        goodCount: this.nGood > 0 ? this.sumGood : null,
        scrapCount: this.nScrap > 0 ? this.sumScrap : null,
      },
    };
  }
}

/** One group's KPIs; `groups` only on a summed entry (OTHER_GROUPS, EARLIER_PERIODS): how many it sums. */
export type GroupedKpis = z.output<typeof groupedKpis>;

/** Machines, shifts or parts listed at most; the rest are summed in one OTHER_GROUPS entry. */
export const MAX_GROUPS = 120;
/** The key of the entry that sums the groups beyond MAX_GROUPS. */
export const OTHER_GROUPS = '(other)';
/** Trend entries at most: days roll up to weeks, months, then years to stay within it. */
export const MAX_PERIODS = 370;
/** The key of the entry that sums the years before the last MAX_PERIODS. */
export const EARLIER_PERIODS = '(earlier)';
export type PeriodUnit = 'day' | 'week' | 'month' | 'year';

/**
 * Which groups are listed: at most `max`, chosen by planned time then total count (largest first), in
 * key order. Each id's slot among them, `max` for the summed rest, -1 for ids with no record. Only two
 * sums per id are kept to choose, so 150,000 distinct machines cost typed arrays, not accumulators.
 */
function chooseGroups(names: readonly string[], ids: Int32Array, records: ProductionRecords, max: number) {
  const rows = new Int32Array(names.length);
  const planned = new Float64Array(names.length);
  const total = new Float64Array(names.length);
  for (let i = 0; i < records.count; i++) {
    const id = ids[i] as number;
    if (id < 0) continue;
    rows[id] = (rows[id] as number) + 1;
    const p = records.planned[i] as number;
    if (known(p) && known(records.run[i] as number)) planned[id] = (planned[id] as number) + p;
    const t = records.total[i] as number;
    if (known(t) && known(records.good[i] as number)) total[id] = (total[id] as number) + t;
  }
  const present: number[] = [];
  for (let id = 0; id < names.length; id++) if ((rows[id] as number) > 0) present.push(id);
  const byKey = (a: number, b: number) => compareText(names[a] as string, names[b] as string);
  let listed = present;
  if (present.length > max)
    listed = [...present]
      .sort(
        (a, b) =>
          (planned[b] as number) - (planned[a] as number) ||
          (total[b] as number) - (total[a] as number) ||
          byKey(a, b),
      )
      .slice(0, max);
  listed.sort(byKey);
  const slots = new Int32Array(names.length).fill(-1);
  for (const id of present) slots[id] = max;
  for (const [slot, id] of listed.entries()) slots[id] = slot;
  return { slots, listed, groups: present.length };
}

/** KPIs per listed group (key order), and the summed rest when there is one. */
function groupKpis(names: readonly string[], ids: Int32Array, records: ProductionRecords, max: number) {
  const { slots, listed, groups } = chooseGroups(names, ids, records, max);
  const accumulators = Array.from({ length: listed.length + 1 }, () => new KpiAccumulator());
  for (let i = 0; i < records.count; i++) {
    const id = ids[i] as number;
    if (id < 0) continue;
    const slot = slots[id] as number;
    (accumulators[slot === max ? listed.length : slot] as KpiAccumulator).add(records, i);
  }
  const result: GroupedKpis[] = listed.map((id, slot) => ({
    key: names[id] as string,
    ...(accumulators[slot] as KpiAccumulator).kpis(),
  }));
  const rest = groups - listed.length;
  if (rest > 0)
    result.push({
      key: OTHER_GROUPS,
      groups: rest,
      ...(accumulators[listed.length] as KpiAccumulator).kpis(),
    });
  return { groups: result, count: groups, limited: rest > 0 };
}

/** A Berlin day (YYYY-MM-DD) as the key of its ISO week (2026-W45), month (2026-11) or year (2026). */
export function periodKey(day: string, unit: PeriodUnit): string {
  if (unit === 'day') return day;
  if (unit === 'month') return day.slice(0, 7);
  if (unit === 'year') return day.slice(0, 4);
  const date = Date.parse(`${day}T00:00:00Z`);
  const weekday = (new Date(date).getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(date + (3 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * A `YYYY-MM-DD` day's period of `unit` as a number that only the days of that period share: the day's
 * number, its ISO week's Thursday, year x 12 + month, or the year. NaN for a day written otherwise.
 */
function periodNumber(day: string, unit: PeriodUnit): number {
  if (day.length !== 10 || day.charCodeAt(4) !== 45 || day.charCodeAt(7) !== 45) return Number.NaN;
  const y = two(day, 0) * 100 + two(day, 2);
  const mo = two(day, 5);
  if (unit === 'year') return y;
  if (unit === 'month') return y * 12 + mo;
  const dayNumber = utcMs(y, mo, two(day, 8)) / 86_400_000;
  if (unit === 'day') return dayNumber;
  // 1970-01-01 was a Thursday: Monday is 0 here, as in periodKey.
  const weekday = (((dayNumber + 3) % 7) + 7) % 7;
  return dayNumber + 3 - weekday;
}

/**
 * How many periods of `unit` the used days fall in. Counted on numbers: ten years of days once cost a
 * Date and a string each per unit tried, 2 MB a run; the keys are made for the unit chosen only.
 */
export function periodCount(days: readonly string[], used: Uint8Array, unit: PeriodUnit): number {
  const numbers = new Set<number>();
  for (let id = 0; id < days.length; id++) {
    if (used[id] !== 1) continue;
    const key = periodNumber(days[id] as string, unit);
    if (Number.isNaN(key)) {
      // A day beyond year 9999 or before 0 (toISOString's six digits): the keys themselves decide.
      const keys = new Set<string>();
      for (let other = 0; other < days.length; other++)
        if (used[other] === 1) keys.add(periodKey(days[other] as string, unit));
      return keys.size;
    }
    numbers.add(key);
  }
  return numbers.size;
}

/**
 * The trend: by day, or by the finest of week, month and year that gives at most MAX_PERIODS entries;
 * beyond that many years, the earliest are summed in one EARLIER_PERIODS entry first.
 */
function trendKpis(records: ProductionRecords) {
  const days = records.groups.day.names;
  const used = new Uint8Array(days.length);
  for (let i = 0; i < records.count; i++) {
    const day = records.day[i] as number;
    if (day >= 0) used[day] = 1;
  }
  let unit: PeriodUnit = 'day';
  for (const candidate of ['day', 'week', 'month', 'year'] as const) {
    unit = candidate;
    if (periodCount(days, used, candidate) <= MAX_PERIODS) break;
  }
  const keys = days.map((day, id) => (used[id] === 1 ? periodKey(day, unit) : ''));
  const sorted = [...new Set(keys.filter((key) => key !== ''))].sort();
  const earlier = Math.max(0, sorted.length - MAX_PERIODS);
  const listed = sorted.slice(earlier);
  const slotOf = new Map(listed.map((key, slot) => [key, slot + 1]));
  // Slot 0 sums the earliest periods (years only); slot n + 1 is the nth listed period.
  const daySlot = Int32Array.from(keys, (key) => (key === '' ? -1 : (slotOf.get(key) ?? 0)));
  const accumulators = Array.from({ length: listed.length + 1 }, () => new KpiAccumulator());
  for (let i = 0; i < records.count; i++) {
    const day = records.day[i] as number;
    if (day >= 0) (accumulators[daySlot[day] as number] as KpiAccumulator).add(records, i);
  }
  const byPeriod: GroupedKpis[] = listed.map((key, slot) => ({
    key,
    ...(accumulators[slot + 1] as KpiAccumulator).kpis(),
  }));
  if (earlier > 0)
    byPeriod.unshift({
      key: EARLIER_PERIODS,
      groups: earlier,
      ...(accumulators[0] as KpiAccumulator).kpis(),
    });
  let dayCount = 0;
  for (const flag of used) dayCount += flag;
  return { byPeriod, unit, days: dayCount };
}

/**
 * KPIs overall, per machine, shift and part (at most MAX_GROUPS each, the rest summed) and the trend (at
 * most MAX_PERIODS entries): bounded in memory and in output whatever the number of groups.
 */
export function computeKpis(records: ProductionRecords) {
  const overall = new KpiAccumulator();
  for (let i = 0; i < records.count; i++) {
    overall.add(records, i);
    overall.addRework(records.total[i] as number, records.good[i] as number, records.rework[i] as number);
  }
  const limited: Grouping[] = [];
  /** Groups with records, before any limit: TEEP counts every machine's calendar. */
  const counts = { machine: 0, shift: 0, day: 0, part: 0 } satisfies Record<Grouping, number>;
  const grouped = (grouping: Exclude<Grouping, 'day'>) => {
    const result = groupKpis(records.groups[grouping].names, records[grouping], records, MAX_GROUPS);
    counts[grouping] = result.count;
    if (result.limited) limited.push(grouping);
    return result.groups;
  };
  const byMachine = grouped('machine');
  const byShift = grouped('shift');
  const byPart = grouped('part');
  const trend = trendKpis(records);
  counts.day = trend.days;
  return {
    accumulator: overall,
    overall: overall.kpis(),
    byMachine,
    byShift,
    byPart,
    byPeriod: trend.byPeriod,
    periodUnit: trend.unit,
    counts,
    limited,
  };
}

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
  const planned = overall.availability.denominator ?? 0;
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

/**
 * Planned time down to fully productive time, in minutes, over the rows that carry all OEE inputs;
 * setup is its own step when the file tells it.
 */
export function lossWaterfall(overall: GroupKpis, accumulator: KpiAccumulator) {
  if (overall.oee.value === null) return [];
  const { plannedA, runA, setupA, idealP, oeeNumerator } = accumulator;
  return [
    { step: 'planned_production_time', minutes: plannedA },
    ...(accumulator.nSetup > 0 ? [{ step: 'setup_loss', minutes: -setupA }] : []),
    { step: 'downtime_loss', minutes: -(plannedA - runA - setupA) },
    { step: 'run_time', minutes: runA },
    { step: 'speed_loss', minutes: -(runA - idealP) },
    { step: 'net_run_time', minutes: idealP },
    { step: 'quality_loss', minutes: -(idealP - oeeNumerator) },
    { step: 'fully_productive_time', minutes: oeeNumerator },
  ];
}

/** Amounts by label, largest first, with cumulative share; the top 9 and the rest; the vital few reach 80 %. */
function pareto(entries: [string, number, number][]) {
  const total = entries.reduce((sum, [, amount]) => sum + amount, 0);
  if (!(total > 0)) return null;
  const sorted = [...entries].sort(([la, a], [lb, b]) => b - a || (la < lb ? -1 : 1));
  let cumulative = 0;
  const items = sorted.slice(0, 9).map(([label, amount, events]) => {
    cumulative += amount;
    return { label, amount, events, share: amount / total, cumShare: cumulative / total };
  });
  const rest = sorted.slice(9);
  let vitalFew = 0;
  for (const item of items) {
    vitalFew++;
    if (item.cumShare >= 0.8) break;
  }
  return {
    total,
    items,
    other: { amount: rest.reduce((sum, [, amount]) => sum + amount, 0), labels: rest.length },
    vitalFew: items.slice(0, vitalFew).map((item) => item.label),
  };
}

/** Downtime by reason: minutes and stops, the top 9 and "other"; the vital few reach 80 %. */
export function downtimePareto(downtime: DowntimeByReason) {
  const result = pareto(downtime.entries().map(([reason, { minutes, events }]) => [reason, minutes, events]));
  if (!result) return null;
  return {
    totalMinutes: result.total,
    items: result.items.map(({ label, amount, events, share, cumShare }) => ({
      reason: label,
      minutes: amount,
      events,
      share,
      cumShare,
    })),
    other: { minutes: result.other.amount, reasons: result.other.labels },
    vitalFew: result.vitalFew,
  };
}

/** Scrap by defect type: pieces and rows, the top 9 and "other"; the vital few reach 80 %. */
export function scrapPareto(byDefect: ReadonlyMap<string, { scrap: number; rows: number }>) {
  const result = pareto([...byDefect.entries()].map(([defect, { scrap, rows }]) => [defect, scrap, rows]));
  if (!result) return null;
  return {
    totalScrap: result.total,
    items: result.items.map(({ label, amount, events, share, cumShare }) => ({
      defect: label,
      scrap: amount,
      rows: events,
      share,
      cumShare,
    })),
    other: { scrap: result.other.amount, defects: result.other.labels },
    vitalFew: result.vitalFew,
  };
}

/**
 * Downtime minutes by machine (rows, in key order) and reason (the Pareto's reasons, in its order; the
 * rest summed in `other`), for a heatmap: at most MAX_GROUPS machines (most downtime), the rest summed in
 * an OTHER_GROUPS row. Null without a Pareto or without machines.
 */
export function downtimeMatrix(
  downtime: DowntimeByReason,
  pareto: ReturnType<typeof downtimePareto>,
  machineNames: readonly string[],
) {
  if (!pareto) return null;
  const byMachine = new Float64Array(machineNames.length);
  const stops = downtime.stops();
  if (stops.machine.length === 0) return null;
  for (let i = 0; i < stops.machine.length; i++) {
    const machine = stops.machine[i] as number;
    byMachine[machine] = (byMachine[machine] as number) + (stops.minutes[i] as number);
  }
  const present: number[] = [];
  for (let id = 0; id < machineNames.length; id++) if ((byMachine[id] as number) > 0) present.push(id);
  const name = (id: number) => machineNames[id] as string;
  const byKey = (a: number, b: number) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
  const listed = (
    present.length > MAX_GROUPS
      ? [...present]
          .sort((a, b) => (byMachine[b] as number) - (byMachine[a] as number) || byKey(a, b))
          .slice(0, MAX_GROUPS)
      : present
  ).sort(byKey);
  const rowOf = new Int32Array(machineNames.length).fill(listed.length);
  for (const [row, id] of listed.entries()) rowOf[id] = row;
  const summed = present.length > listed.length;
  const machines = [...listed.map(name), ...(summed ? [OTHER_GROUPS] : [])];
  const reasons = pareto.items.map((item) => item.reason);
  const columnOf = new Map(reasons.map((reason, index) => [downtime.reasons.id(reason), index]));
  const minutes = machines.map(() => reasons.map(() => 0));
  const other = machines.map(() => 0);
  for (let i = 0; i < stops.machine.length; i++) {
    const m = rowOf[stops.machine[i] as number] as number;
    const at = columnOf.get(stops.reason[i] as number);
    const value = stops.minutes[i] as number;
    if (at === undefined) other[m] = (other[m] as number) + value;
    else (minutes[m] as number[])[at] = ((minutes[m] as number[])[at] as number) + value;
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
