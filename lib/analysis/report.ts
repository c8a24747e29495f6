import type { Encoding } from './decode';
import type { Canonical, Unit } from './headers';
import type { Issue } from './issues';
import type { GroupedKpis, GroupKpis, Kpi } from './kpis';
import type { SixBigLoss } from './losses';
import type { ControlChart } from './spc';

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
    timezone: 'Europe/Berlin';
  };
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
    byMachine: GroupedKpis[];
    byShift: GroupedKpis[];
    byDay: GroupedKpis[];
    byPart: GroupedKpis[];
  } | null;
  losses: { waterfall: { step: string; minutes: number }[]; sixBigLosses: SixBigLoss[] };
  downtimePareto: {
    totalMinutes: number;
    items: { reason: string; minutes: number; events: number; share: number; cumShare: number }[];
    other: { minutes: number; reasons: number };
    vitalFew: string[];
  } | null;
  /** Downtime by machine and reason (the Pareto's reasons; the rest in `other`), for a heatmap. */
  downtimeByMachine: { machines: string[]; reasons: string[]; minutes: number[][]; other: number[] } | null;
  reliability: {
    machine: string;
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
