import type * as z from 'zod';
import type { capability as capabilitySchema, controlChart } from '../../contracts/report';
import { describeSample } from './kpis';

/** d2 for subgroups of two (moving ranges), and the I-MR constants derived from it. */
const D2 = 1.128;
const MR_UCL_FACTOR = 3.267;
export const MIN_POINTS = 20;

/** A chart as the report holds it: the report contract's type (lib/contracts/report.ts). */
export type ControlChart = z.output<typeof controlChart>;
/**
 * Western Electric rules 1-4, and the Nelson rules that add to them: N3 six points trending, N4 fourteen
 * alternating, N7 fifteen within 1 sigma (stratification), N8 eight outside 1 sigma on both sides
 * (mixture). Nelson 1, 2, 5 and 6 are WE1, WE4 (nine in a row instead of eight), WE2 and WE3.
 */
export type Rule = keyof ControlChart['violationCounts'];
export type Violation = ControlChart['violations'][number];
export type Capability = z.output<typeof capabilitySchema>;
type ChartBase = Omit<Extract<ControlChart, { chart: 'I-MR' }>, 'chart' | 'mrBar' | 'mrUcl' | 'points'>;

/** The fields both charts share, for a chart the data cannot give. */
const notComputable = (series: SeriesName, n: number, reason: string): ChartBase => ({
  ...series,
  status: 'not_computable',
  reason,
  n,
  center: null,
  ucl: null,
  lcl: null,
  sigmaWithin: null,
  sigmaOverall: null,
  baseline: null,
  pointsShown: null,
  violationCounts: {},
  violations: [],
  capability: null,
});

export type SeriesName = { characteristic: string; machine: string | null };
export type Spec = {
  lsl: number | null;
  usl: number | null;
  target: number | null;
  source: 'file' | 'options';
};
/** How a chart is drawn: its phase-I length (null: all points) and how many points it may list. */
export type ChartOptions = { baseline: number | null; maxPoints: number };
export const MAX_VIOLATIONS = 100;

/** Shewhart constants by subgroup size n = 2..10: d2, A2, D3, D4. */
const XBAR_R: Record<number, { d2: number; a2: number; d3: number; d4: number }> = {
  2: { d2: 1.128, a2: 1.88, d3: 0, d4: 3.267 },
  3: { d2: 1.693, a2: 1.023, d3: 0, d4: 2.574 },
  4: { d2: 2.059, a2: 0.729, d3: 0, d4: 2.282 },
  5: { d2: 2.326, a2: 0.577, d3: 0, d4: 2.114 },
  6: { d2: 2.534, a2: 0.483, d3: 0, d4: 2.004 },
  7: { d2: 2.704, a2: 0.419, d3: 0.076, d4: 1.924 },
  8: { d2: 2.847, a2: 0.373, d3: 0.136, d4: 1.864 },
  9: { d2: 2.97, a2: 0.337, d3: 0.184, d4: 1.816 },
  10: { d2: 3.078, a2: 0.308, d3: 0.223, d4: 1.777 },
};
export const MAX_SUBGROUP = 10;

/** Phase I: the first `baseline` points when given (and fewer than all), else all of them. */
const phaseOne = (count: number, baseline: number | null) =>
  baseline !== null && baseline < count ? baseline : count;

/** Violations by rule, the first MAX_VIOLATIONS listed; and the latest `maxPoints` points shown. */
function bound<P>(points: P[], violations: Violation[], maxPoints: number) {
  const from = Math.max(0, points.length - maxPoints);
  const violationCounts: Partial<Record<Rule, number>> = {};
  for (const violation of violations)
    violationCounts[violation.rule] = (violationCounts[violation.rule] ?? 0) + 1;
  return {
    points: points.slice(from),
    pointsShown: { from, to: points.length - 1 },
    violationCounts,
    violations: violations.slice(0, MAX_VIOLATIONS),
  };
}

/**
 * X-bar and range chart for subgroups of equal size (2 to 10): limits x-double-bar +- A2 R-bar, range
 * limits D3 R-bar and D4 R-bar, sigma within = R-bar / d2, all from the phase-I subgroups; the same rules
 * as the I-MR chart on every subgroup mean, and capability when spec limits are given.
 */
export function xbarRChart(
  series: SeriesName,
  subgroups: { id: string; t: string | null; values: number[] }[],
  spec: Spec,
  options: ChartOptions = { baseline: null, maxPoints: Number.POSITIVE_INFINITY },
): ControlChart {
  const size = subgroups[0]?.values.length ?? 0;
  const constants = XBAR_R[size];
  const empty: ControlChart = {
    ...notComputable(
      series,
      subgroups.length,
      `needs at least ${MIN_POINTS} subgroups, has ${subgroups.length}`,
    ),
    chart: 'Xbar-R',
    subgroupSize: size,
    rBar: null,
    rUcl: null,
    rLcl: null,
    points: [],
  };
  if (!constants || subgroups.some((group) => group.values.length !== size))
    return { ...empty, reason: `needs subgroups of one size from 2 to ${MAX_SUBGROUP}` };
  const phase = phaseOne(subgroups.length, options.baseline);
  if (phase < MIN_POINTS)
    return { ...empty, reason: `needs at least ${MIN_POINTS} subgroups for the limits, has ${phase}` };
  const points = subgroups.map((group) => ({
    t: group.t,
    subgroup: group.id,
    x: group.values.reduce((sum, v) => sum + v, 0) / size,
    r: Math.max(...group.values) - Math.min(...group.values),
  }));
  const base = points.slice(0, phase);
  const center = base.reduce((sum, point) => sum + point.x, 0) / phase;
  const rBar = base.reduce((sum, point) => sum + point.r, 0) / phase;
  const sigma = rBar / constants.d2;
  if (!(sigma > 0)) return { ...empty, reason: 'the values do not vary within subgroups' };
  const phaseValues = subgroups.slice(0, phase).flatMap((group) => group.values);
  const sigmaOverall = describeSample(phaseValues)?.sd ?? 0;
  const violations = controlRules(
    points.map((point) => point.x),
    center,
    sigma / Math.sqrt(size),
    (i) => points[i]?.t ?? null,
  );
  return {
    ...empty,
    status: 'ok',
    reason: null,
    center,
    ucl: center + constants.a2 * rBar,
    lcl: center - constants.a2 * rBar,
    rBar,
    rUcl: constants.d4 * rBar,
    rLcl: constants.d3 * rBar,
    sigmaWithin: sigma,
    sigmaOverall,
    baseline: { from: 0, to: phase - 1 },
    ...bound(points, violations, options.maxPoints),
    capability: capability(center, sigma, sigmaOverall, spec, phaseValues.length, violations.length > 0),
  };
}

/**
 * Individuals and moving-range chart: sigma within = mean moving range / d2, limits at 3 sigma, from the
 * phase-I points; Western Electric zone rules (1 beyond 3 sigma; 2 of 3 beyond 2 sigma; 4 of 5 beyond 1
 * sigma, same side; 8 in a row on one side) and Nelson's further rules (see `Rule`) on every point, and
 * capability when spec limits are given.
 */
export function individualsChart(
  series: SeriesName,
  values: { t: string | null; x: number }[],
  spec: Spec,
  options: ChartOptions = { baseline: null, maxPoints: Number.POSITIVE_INFINITY },
): ControlChart {
  const empty: ControlChart = {
    ...notComputable(series, values.length, `needs at least ${MIN_POINTS} values, has ${values.length}`),
    chart: 'I-MR',
    mrBar: null,
    mrUcl: null,
    points: [],
  };
  const phase = phaseOne(values.length, options.baseline);
  if (phase < MIN_POINTS)
    return values.length < MIN_POINTS
      ? empty
      : { ...empty, reason: `needs at least ${MIN_POINTS} values for the limits, has ${phase}` };
  const xs = values.map((point) => point.x);
  const base = xs.slice(0, phase);
  const stats = describeSample(base);
  const ranges = xs.slice(1).map((x, i) => Math.abs(x - (xs[i] as number)));
  const baseRanges = ranges.slice(0, phase - 1);
  const mrBar = baseRanges.reduce((sum, r) => sum + r, 0) / baseRanges.length;
  const center = stats?.mean ?? 0;
  const sigma = mrBar / D2;
  if (!(sigma > 0)) return { ...empty, reason: 'the values do not vary' };
  const points = values.map((point, i) => ({
    t: point.t,
    x: point.x,
    mr: i === 0 ? null : (ranges[i - 1] as number),
  }));
  const violations = controlRules(xs, center, sigma, (i) => values[i]?.t ?? null);
  const sigmaOverall = stats?.sd ?? 0;
  return {
    ...empty,
    status: 'ok',
    reason: null,
    center,
    ucl: center + 3 * sigma,
    lcl: center - 3 * sigma,
    mrBar,
    mrUcl: MR_UCL_FACTOR * mrBar,
    sigmaWithin: sigma,
    sigmaOverall,
    baseline: { from: 0, to: phase - 1 },
    ...bound(points, violations, options.maxPoints),
    capability: capability(center, sigma, sigmaOverall, spec, phase, violations.length > 0),
  };
}

/**
 * The zone and run rules over a chart's plotted values, with sigma that of the plotted statistic (an
 * individual value, or a subgroup mean).
 */
function controlRules(
  xs: number[],
  center: number,
  sigma: number,
  timeOf: (index: number) => string | null,
): Violation[] {
  const zone = (x: number) => (x - center) / sigma;
  const violations: Violation[] = [];
  let [trend, alternating, lastStep, within, outside] = [1, 1, 0, 0, 0];
  for (let i = 0; i < xs.length; i++) {
    const z = zone(xs[i] as number);
    const t = timeOf(i);
    if (Math.abs(z) > 3) violations.push({ rule: 'WE1', index: i, t });
    const side = Math.sign(z);
    const window = (size: number) => xs.slice(Math.max(0, i - size + 1), i + 1).map(zone);
    if (
      i >= 2 &&
      side !== 0 &&
      window(3).filter((v) => Math.sign(v) === side && Math.abs(v) > 2).length >= 2 &&
      Math.abs(z) > 2
    ) {
      violations.push({ rule: 'WE2', index: i, t });
    }
    if (
      i >= 4 &&
      side !== 0 &&
      window(5).filter((v) => Math.sign(v) === side && Math.abs(v) > 1).length >= 4 &&
      Math.abs(z) > 1
    ) {
      violations.push({ rule: 'WE3', index: i, t });
    }
    if (i >= 7 && side !== 0 && window(8).every((v) => Math.sign(v) === side))
      violations.push({ rule: 'WE4', index: i, t });
    // Runs of steps: each counts the points in the current run ending at i.
    const step = i > 0 ? Math.sign((xs[i] as number) - (xs[i - 1] as number)) : 0;
    trend = step !== 0 && step === lastStep ? trend + 1 : step !== 0 ? 2 : 1;
    alternating = step !== 0 && step === -lastStep ? alternating + 1 : step !== 0 ? 2 : 1;
    lastStep = step;
    within = Math.abs(z) < 1 ? within + 1 : 0;
    outside = Math.abs(z) > 1 ? outside + 1 : 0;
    if (trend >= 6) violations.push({ rule: 'N3', index: i, t });
    if (alternating >= 14) violations.push({ rule: 'N4', index: i, t });
    if (within >= 15) violations.push({ rule: 'N7', index: i, t });
    if (outside >= 8) {
      const last = window(8);
      if (last.some((v) => v > 0) && last.some((v) => v < 0)) violations.push({ rule: 'N8', index: i, t });
    }
  }
  return violations;
}

function capability(
  mean: number,
  sigmaWithin: number,
  sigmaOverall: number,
  { lsl, usl, target, source }: Spec,
  n: number,
  outOfControl: boolean,
): Capability | null {
  if (lsl === null && usl === null) return null; // capability needs a spec limit
  const cpu = usl !== null ? (usl - mean) / (3 * sigmaWithin) : null;
  const cpl = lsl !== null ? (mean - lsl) / (3 * sigmaWithin) : null;
  const twoSided = usl !== null && lsl !== null;
  const ppu = usl !== null && sigmaOverall > 0 ? (usl - mean) / (3 * sigmaOverall) : null;
  const ppl = lsl !== null && sigmaOverall > 0 ? (mean - lsl) / (3 * sigmaOverall) : null;
  const cpk = twoSided ? Math.min(cpu as number, cpl as number) : null;
  const warnings: string[] = [];
  if (outOfControl) warnings.push('PROCESS_NOT_IN_CONTROL: capability assumes a stable process');
  if (n < 30) warnings.push(`FEW_POINTS: ${n} values; capability needs at least 30 to be reliable`);
  const index = cpk ?? cpu ?? cpl;
  return {
    lsl,
    usl,
    target,
    source,
    cp: twoSided ? ((usl as number) - (lsl as number)) / (6 * sigmaWithin) : null,
    cpk,
    cpu: twoSided ? null : cpu,
    cpl: twoSided ? null : cpl,
    pp: twoSided && sigmaOverall > 0 ? ((usl as number) - (lsl as number)) / (6 * sigmaOverall) : null,
    ppk: twoSided && ppu !== null && ppl !== null ? Math.min(ppu, ppl) : null,
    capable: index === null ? null : index >= 1.33,
    warnings,
  };
}
