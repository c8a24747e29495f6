import * as z from 'zod';
import { CANONICAL_FIELDS } from './fields';

/**
 * What the user can tell the engine that the file cannot say. One schema for the library
 * (`analyzeCsv(bytes, options)`), the API (`options` field) and the CLI (`--options file.json`); types
 * and the OpenAPI description derive from it.
 */
const header = z.string().trim().min(1).max(200);
const field = z.enum(CANONICAL_FIELDS as [string, ...string[]]);
export const durationUnit = z.enum(['s', 'min', 'h']);
export const STATE_CATEGORIES = [
  'running',
  'setup',
  'planned_stop',
  'unplanned_stop',
  'not_scheduled',
] as const;
export const stateCategory = z.enum(STATE_CATEGORIES);

const bounded = <T extends z.ZodType>(value: T, what: string) =>
  z.record(header, value).refine((record) => Object.keys(record).length <= 300, `at most 300 ${what}`);

const spec = z
  .object({
    lsl: z.number().finite().optional(),
    usl: z.number().finite().optional(),
    target: z.number().finite().optional(),
  })
  .strict()
  .refine((s) => s.lsl === undefined || s.usl === undefined || s.lsl < s.usl, 'lsl must be below usl')
  .refine(
    (s) => s.lsl !== undefined || s.usl !== undefined || s.target !== undefined,
    'give lsl, usl or target',
  );

/** Source header -> field (or null to leave the column out), or { field, unit } for a duration column. */
export const mappingOption = bounded(
  z.union([field.nullable(), z.object({ field: field.nullable(), unit: durationUnit.optional() }).strict()]),
  'columns',
).describe(
  'source header -> field (or null to leave the column out), or { field, unit } for a duration column',
);

export const analysisOptions = z
  .object({
    mapping: mappingOption.optional(),
    units: bounded(durationUnit, 'columns')
      .optional()
      .describe('source header -> s | min | h, for a duration column whose header names no unit'),
    states: bounded(stateCategory, 'states')
      .optional()
      .describe(
        'state or reason value -> running | setup | planned_stop | unplanned_stop | not_scheduled; numeric codes match by number ("1" matches 1.0), text by case-insensitive whole value',
      ),
    specs: bounded(spec, 'characteristics')
      .optional()
      .describe('characteristic (or value column) -> { lsl?, usl?, target? }'),
    baseline: z
      .union([
        z.object({ subgroups: z.number().int().min(2).max(100_000) }).strict(),
        z.object({ points: z.number().int().min(2).max(1_000_000) }).strict(),
      ])
      .optional()
      .describe('control limits from the first N subgroups or points (phase I), applied to all'),
    microStopMinutes: z
      .number()
      .min(0)
      .max(240)
      .optional()
      .describe('unplanned stops shorter than this are small stops, not failures (default 5)'),
    sheet: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('workbooks: the worksheet to read, by name (default: the first that holds a table)'),
    targetOee: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .describe('your OEE target (0..1), shown beside the 85 % reference; it changes no figure'),
    dateOrder: z
      .enum(['dmy', 'mdy'])
      .optional()
      .describe('how slash dates are written when no value settles it (default dmy: day/month/year)'),
    idealCycleSeconds: bounded(z.number().positive().max(86_400), 'parts or machines')
      .optional()
      .describe(
        'part or machine (or "*" for all) -> ideal cycle time in seconds, for rows whose file gives none; a part goes before its machine',
      ),
    sampleHoldMinutes: z
      .number()
      .positive()
      .max(24 * 60)
      .optional()
      .describe(
        "sampled state logs: how long a sample's state holds at most (default: that machine's median sampling interval)",
      ),
  })
  .strict();

export type AnalysisOptions = z.infer<typeof analysisOptions>;
export type StateCategory = z.infer<typeof stateCategory>;
/** The user's mapping: source header to field (or null), as `analysisOptions.mapping` takes it. */
export type MappingOverride = NonNullable<AnalysisOptions['mapping']>;

export const DEFAULT_MICRO_STOP_MIN = 5;

/**
 * Options in one canonical text (keys sorted at every level), so that equal options give one cache key
 * however a client ordered them; empty options give the empty string.
 */
export function canonicalOptions(options: AnalysisOptions): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value && typeof value === 'object')
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
          .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
      );
    return value;
  };
  const given = Object.fromEntries(
    Object.entries(options).filter(
      ([, value]) => value !== undefined && !(typeof value === 'object' && Object.keys(value).length === 0),
    ),
  );
  const text = JSON.stringify(sorted(given));
  return text === '{}' ? '' : text;
}
