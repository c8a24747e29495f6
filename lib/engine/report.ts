import type { Encoding } from './input/decode';
import type { Canonical } from './input/fields';
import type { Unit } from './input/headers';
import type { AnalysisOptions } from './input/options';
import type { Issue } from './issues';
import type { GroupedKpis, GroupKpis, Kpi, PeriodUnit } from './metrics/kpis';
import type { SixBigLoss } from './metrics/losses';
import type { ControlChart } from './metrics/spc';

export type Shape = 'aggregated' | 'events' | 'measurements';

export type Insight = {
  id: string;
  severity: 'high' | 'medium' | 'low';
  kpi: string | null;
  message: string;
  evidence: Record<string, unknown>;
};

/** The engine's output. Fractions are in 0..1; minutes, counts and seconds as named. */
export type AnalysisReport = {
  schemaVersion: string;
  engineVersion: string;
  input: {
    fileName: string | null;
    bytes: number;
    sha256: string;
    encoding: Encoding;
    delimiter: string;
    sepLine: boolean;
    decimal: ',' | '.';
    headerRowIndex: number;
    rows: number;
    columns: number;
    shape: Shape;
    /** Event logs: one event per row with its end or duration, or sampled states that hold until the next sample. */
    eventLayout: 'timed' | 'sampled' | null;
    timezone: 'Europe/Berlin';
  };
  /** The options that changed this report, as applied (those that matched nothing are an OPTION_UNUSED issue). */
  options: AnalysisOptions;
  /** Each column: the field it was read as (null: not used), and whether the user set that. */
  mapping: {
    source: string;
    canonical: Canonical | null;
    unit: Unit | null;
    confidence: number;
    origin: 'detected' | 'user';
  }[];
  derived: { field: string; rule: string; rows: number }[];
  dataQuality: {
    issues: Issue[];
    rowsUsed: number;
    rowsExcluded: number;
    duplicatesRemoved: number;
    summaryRowsRemoved: number;
    coverage: { oee: number | null };
  };
  period: { start: string | null; end: string | null };
  kpis: {
    overall: GroupKpis;
    /** OEE x planned time / (calendar time x machines). */
    teep: Kpi;
    /** (good - rework) / total, and rework / total: overall only, when rework is counted. */
    firstPassYield: Kpi;
    reworkRate: Kpi;
    /** The overall totals that are null, and what would give them. */
    unknownTotals: { field: string; reason: string }[];
    byMachine: GroupedKpis[];
    byShift: GroupedKpis[];
    /** The trend's unit: days, rolled up to weeks, months or years when the data spans many. */
    periodUnit: PeriodUnit;
    byPeriod: GroupedKpis[];
    byPart: GroupedKpis[];
  } | null;
  losses: { waterfall: { step: string; minutes: number }[]; sixBigLosses: SixBigLoss[] };
  downtimePareto: {
    totalMinutes: number;
    items: { reason: string; minutes: number; events: number; share: number; cumShare: number }[];
    other: { minutes: number; reasons: number };
    vitalFew: string[];
  } | null;
  /** Scrap by defect type, when the file names defects beside scrap counts. */
  scrapPareto: {
    totalScrap: number;
    items: { defect: string; scrap: number; rows: number; share: number; cumShare: number }[];
    other: { scrap: number; defects: number };
    vitalFew: string[];
  } | null;
  /** Downtime by machine and reason (the Pareto's reasons; the rest in `other`), for a heatmap. */
  downtimeByMachine: { machines: string[]; reasons: string[]; minutes: number[][]; other: number[] } | null;
  reliability: {
    machine: string;
    /** Only on the summed OTHER_GROUPS entry: how many machines it sums. */
    machines?: number;
    failures: number;
    operatingMin: number;
    downtimeMin: number;
    mtbfMin: number | null;
    mttrMin: number | null;
  }[];
  cycleTime: {
    machine: string | null;
    part: string | null;
    n: number;
    mean: number;
    p50: number;
    p95: number;
    sd: number;
    cv: number | null;
    idealCt: number | null;
    slowShare: number | null;
  }[];
  spc: ControlChart[];
  insights: Insight[];
  charts: { id: string; type: string; dataRef: string }[];
};
