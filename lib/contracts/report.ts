import * as z from 'zod';
import { CANONICAL_FIELDS, type Canonical } from '../engine/input/fields';
import { analysisOptions } from '../engine/input/options';

/**
 * The engine's report, as clients receive it in `result`. The engine's `AnalysisReport` type is derived
 * from this schema, so the two cannot drift; tests check real reports against the JSON Schema the
 * OpenAPI document renders from it. Fractions are in 0..1; minutes, counts and seconds as named.
 * Only functions that describe the API import it (the engine imports its type alone).
 */
const fraction = z.number().min(0).max(1);
const count = z.number().int().min(0);

const kpiStatus = z.enum(['ok', 'warning', 'not_computable']);
export const kpi = z
  .object({
    value: z.number().nullable().describe('null when not computable: never a 0 in its place'),
    numerator: z.number().nullable(),
    denominator: z.number().nullable(),
    formula: z.string(),
    status: kpiStatus,
    reason: z.string().nullable().describe('why the KPI is not computable, or what to check'),
  })
  .meta({ id: 'Kpi' });

const totals = z.object({
  plannedMin: z.number().nullable(),
  runMin: z.number().nullable(),
  downtimeMin: z.number().nullable().describe('planned less run time over the rows that have both'),
  setupMin: z.number().nullable(),
  totalCount: z.number().nullable(),
  goodCount: z.number().nullable(),
  scrapCount: z.number().nullable(),
});

export const groupKpis = z
  .object({
    availability: kpi,
    performance: kpi,
    quality: kpi,
    oee: kpi,
    scrapRate: kpi,
    throughputPerHour: kpi,
    totals: totals.describe('sums over the rows that carry each value; null when no row does'),
  })
  .meta({ id: 'GroupKpis' });

export const groupedKpis = groupKpis
  .extend({
    key: z.string().describe('the machine, shift, period or part; "(other)" sums the groups beyond 120'),
    groups: count.optional().describe('only on the summed entry: how many groups it sums'),
  })
  .meta({ id: 'GroupedKpis' });

export const issue = z
  .object({
    code: z.string(),
    severity: z.enum(['error', 'warning', 'info']),
    count,
    rows: z.array(count).describe('the first row numbers, as evidence'),
    detail: z.string().optional(),
    values: z
      .array(z.string())
      .optional()
      .describe(
        'what the issue is about, for a question back (STATE_UNKNOWN: the unknown values, most time first)',
      ),
  })
  .meta({ id: 'DataQualityIssue' });

export const sixBigLoss = z.object({
  loss: z.enum([
    'unplanned_stops',
    'planned_stops',
    'small_stops',
    'slow_cycles',
    'production_rejects',
    'startup_rejects',
  ]),
  factor: z.enum(['availability', 'performance', 'quality']),
  minutes: z.number().nullable(),
  events: z.number().nullable(),
  basis: z.string(),
  setup: z
    .object({ minutes: z.number(), events: count })
    .nullable()
    .optional()
    .describe('planned stops only: the setup and changeover time among them'),
});

const rule = z.enum(['WE1', 'WE2', 'WE3', 'WE4', 'N3', 'N4', 'N7', 'N8']);
const span = z.object({ from: count, to: count });
export const capability = z.object({
  lsl: z.number().nullable(),
  usl: z.number().nullable(),
  target: z.number().nullable(),
  source: z.enum(['file', 'options']).describe("the file's columns, or options.specs"),
  cp: z.number().nullable(),
  cpk: z.number().nullable(),
  cpu: z.number().nullable(),
  cpl: z.number().nullable(),
  pp: z.number().nullable(),
  ppk: z.number().nullable(),
  capable: z.boolean().nullable(),
  warnings: z.array(z.string()),
});
const chartBase = z.object({
  characteristic: z.string(),
  machine: z.string().nullable().describe('series are never pooled across machines'),
  status: z.enum(['ok', 'not_computable']),
  reason: z.string().nullable(),
  n: count.describe('individual values (I-MR) or subgroups (X-bar-R)'),
  center: z.number().nullable(),
  ucl: z.number().nullable(),
  lcl: z.number().nullable(),
  sigmaWithin: z.number().nullable(),
  sigmaOverall: z.number().nullable(),
  baseline: span.nullable().describe('the points the limits were computed from (phase I)'),
  pointsShown: span.nullable().describe('the points listed: a long series lists its latest'),
  violationCounts: z.partialRecord(rule, count),
  violations: z
    .array(z.object({ rule, index: count, t: z.string().nullable() }))
    .describe('at most 100; violationCounts has them all'),
  capability: capability.nullable(),
});
export const controlChart = z
  .discriminatedUnion('chart', [
    chartBase.extend({
      chart: z.literal('I-MR'),
      mrBar: z.number().nullable(),
      mrUcl: z.number().nullable(),
      points: z.array(z.object({ t: z.string().nullable(), x: z.number(), mr: z.number().nullable() })),
    }),
    chartBase.extend({
      chart: z.literal('Xbar-R'),
      subgroupSize: z.number().int().min(2),
      rBar: z.number().nullable(),
      rUcl: z.number().nullable(),
      rLcl: z.number().nullable(),
      points: z.array(
        z.object({ t: z.string().nullable(), subgroup: z.string(), x: z.number(), r: z.number() }),
      ),
    }),
  ])
  .meta({ id: 'ControlChart' });

export const insight = z.object({
  id: z.string(),
  severity: z.enum(['high', 'medium', 'low']),
  kpi: z.string().nullable(),
  message: z.string(),
  evidence: z.record(z.string(), z.unknown()).describe('the figures that triggered it'),
});

const paretoShare = { share: fraction, cumShare: fraction };

export const analysisReport = z
  .object({
    schemaVersion: z.string(),
    engineVersion: z.string(),
    input: z.object({
      fileName: z.string().nullable(),
      bytes: count,
      sha256: z.string(),
      encoding: z
        .enum(['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252', 'xlsx'])
        .describe('xlsx: an Excel workbook, read from its cells'),
      workbook: z
        .object({
          sheet: z.string().describe('the worksheet read'),
          sheets: z.array(z.string()).describe('every worksheet of the workbook'),
          hiddenRows: count,
          hiddenColumns: count.describe('hidden rows and columns are read like the others'),
          mergedCells: count.describe('merged ranges: a merged header names every column it spans'),
        })
        .nullable()
        .optional()
        .describe('workbooks only'),
      delimiter: z.string(),
      sepLine: z.boolean(),
      decimal: z.enum([',', '.']),
      headerRowIndex: count,
      rows: count,
      columns: count,
      shape: z.enum(['aggregated', 'events', 'measurements']),
      eventLayout: z
        .enum(['timed', 'sampled'])
        .nullable()
        .describe('event logs: one event per row with its end or duration, or sampled states'),
      timezone: z.literal('Europe/Berlin'),
    }),
    options: analysisOptions().check(z.describe('the options that changed this report, as applied')),
    mapping: z
      .array(
        z.object({
          source: z.string(),
          canonical: z.enum(CANONICAL_FIELDS as [Canonical, ...Canonical[]]).nullable(),
          unit: z.enum(['min', 's', 'h', 'ms', '%', 'count']).nullable(),
          confidence: fraction,
          origin: z.enum(['detected', 'user']),
        }),
      )
      .describe('each column: the field it was read as (null: not used), and whether the user set that'),
    derived: z.array(z.object({ field: z.string(), rule: z.string(), rows: count })),
    dataQuality: z.object({
      issues: z.array(issue),
      rowsUsed: count,
      rowsExcluded: count,
      duplicatesRemoved: count,
      summaryRowsRemoved: count,
      coverage: z.object({ oee: fraction.nullable() }),
    }),
    period: z.object({ start: z.string().nullable(), end: z.string().nullable() }),
    kpis: z
      .object({
        overall: groupKpis,
        teep: kpi.describe('OEE x planned time / (calendar time x machines)'),
        firstPassYield: kpi,
        reworkRate: kpi,
        unknownTotals: z
          .array(z.object({ field: z.string(), reason: z.string() }))
          .describe('the overall totals that are null, and what would give them'),
        byMachine: z.array(groupedKpis),
        byShift: z.array(groupedKpis),
        periodUnit: z.enum(['day', 'week', 'month', 'year']),
        byPeriod: z.array(groupedKpis),
        byPart: z.array(groupedKpis),
      })
      .nullable()
      .describe('null for measurement files'),
    losses: z.object({
      waterfall: z.array(z.object({ step: z.string(), minutes: z.number() })),
      sixBigLosses: z.array(sixBigLoss),
    }),
    downtimePareto: z
      .object({
        totalMinutes: z.number(),
        items: z.array(z.object({ reason: z.string(), minutes: z.number(), events: count, ...paretoShare })),
        other: z.object({ minutes: z.number(), reasons: count }),
        vitalFew: z.array(z.string()),
      })
      .nullable(),
    scrapPareto: z
      .object({
        totalScrap: z.number(),
        items: z.array(z.object({ defect: z.string(), scrap: z.number(), rows: count, ...paretoShare })),
        other: z.object({ scrap: z.number(), defects: count }),
        vitalFew: z.array(z.string()),
      })
      .nullable()
      .describe('scrap by defect type, when the file names defects beside scrap counts'),
    downtimeByMachine: z
      .object({
        machines: z.array(z.string()),
        reasons: z.array(z.string()),
        minutes: z.array(z.array(z.number())),
        other: z.array(z.number()),
      })
      .nullable()
      .describe("downtime by machine and the Pareto's reasons, for a heatmap"),
    reliability: z.array(
      z.object({
        machine: z.string(),
        machines: count.optional().describe('only on the summed "(other)" entry'),
        failures: count,
        operatingMin: z.number(),
        downtimeMin: z.number(),
        mtbfMin: z.number().nullable(),
        mttrMin: z.number().nullable(),
      }),
    ),
    cycleTime: z.array(
      z.object({
        machine: z.string().nullable(),
        part: z.string().nullable(),
        n: count,
        mean: z.number(),
        p50: z.number(),
        p95: z.number(),
        sd: z.number(),
        cv: z.number().nullable(),
        idealCt: z.number().nullable(),
        slowShare: fraction.nullable(),
      }),
    ),
    spc: z.array(controlChart),
    insights: z.array(insight),
    charts: z.array(z.object({ id: z.string(), type: z.string(), dataRef: z.string() })),
  })
  .meta({ id: 'AnalysisReport' });
