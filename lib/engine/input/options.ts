import * as z from '../../zod';
import { CANONICAL_FIELDS } from './fields';

/**
 * What the user can tell the engine that the file cannot say. One schema for the library
 * (`analyzeCsv(bytes, options)`), the API (`options` field) and the CLI (`--options file.json`); types
 * and the OpenAPI description derive from it.
 */
const header = z.lazySchema(() => z.string().check(z.trim(), z.minLength(1), z.maxLength(200)));
const field = z.lazySchema(() => z.enum(CANONICAL_FIELDS as [string, ...string[]]));
const durationUnit = z.lazySchema(() => z.enum(['s', 'min', 'h']));
export const STATE_CATEGORIES = [
  'running',
  'setup',
  'planned_stop',
  'unplanned_stop',
  'not_scheduled',
] as const;
const stateCategory = z.lazySchema(() => z.enum(STATE_CATEGORIES));

const bounded = <T extends z.ZodMiniType>(value: T, what: string) =>
  z
    .record(header(), value)
    .check(z.refine((record) => Object.keys(record).length <= 300, `at most 300 ${what}`));

const spec = z.lazySchema(() =>
  z
    .strictObject({
      lsl: z.optional(z.number()),
      usl: z.optional(z.number()),
      target: z.optional(z.number()),
    })
    .check(
      z.refine((s) => s.lsl === undefined || s.usl === undefined || s.lsl < s.usl, 'lsl must be below usl'),
      z.refine(
        (s) => s.lsl !== undefined || s.usl !== undefined || s.target !== undefined,
        'give lsl, usl or target',
      ),
    ),
);

/** Source header -> field (or null to leave the column out), or { field, unit } for a duration column. */
export const mappingOption = z.lazySchema(() =>
  bounded(
    z.union([
      z.nullable(field()),
      z.strictObject({ field: z.nullable(field()), unit: z.optional(durationUnit()) }),
    ]),
    'columns',
  ).check(
    z.describe(
      'source header -> field (or null to leave the column out), or { field, unit } for a duration column',
    ),
  ),
);

/** Built on first use (cold start): the largest schema a function holds. */
export const analysisOptions = z.lazySchema(() =>
  z.strictObject({
    mapping: z.optional(mappingOption()),
    units: z.optionalDescribed(
      bounded(durationUnit(), 'columns'),
      'source header -> s | min | h, for a duration column whose header names no unit',
    ),
    states: z.optionalDescribed(
      bounded(stateCategory(), 'states'),
      'state or reason value -> running | setup | planned_stop | unplanned_stop | not_scheduled; numeric codes match by number ("1" matches 1.0), text by case-insensitive whole value',
    ),
    specs: z.optionalDescribed(
      bounded(spec(), 'characteristics'),
      'characteristic (or value column) -> { lsl?, usl?, target? }',
    ),
    baseline: z.optionalDescribed(
      z.union([
        z.strictObject({ subgroups: z.number().check(z.int(), z.gte(2), z.lte(100_000)) }),
        z.strictObject({ points: z.number().check(z.int(), z.gte(2), z.lte(1_000_000)) }),
      ]),
      'control limits from the first N subgroups or points (phase I), applied to all',
    ),
    microStopMinutes: z.optionalDescribed(
      z.number().check(z.gte(0), z.lte(240)),
      'unplanned stops shorter than this are small stops, not failures (default 5)',
    ),
    sheet: z.optionalDescribed(
      z.string().check(z.minLength(1), z.maxLength(200)),
      'workbooks: the worksheet to read, by name (default: the first that holds a table)',
    ),
    targetOee: z.optionalDescribed(
      z.number().check(z.gt(0), z.lte(1)),
      'your OEE target (0..1), shown beside the 85 % reference; it changes no figure',
    ),
    dateOrder: z.optionalDescribed(
      z.enum(['dmy', 'mdy']),
      'how slash dates are written when no value settles it (default dmy: day/month/year)',
    ),
    idealCycleSeconds: z.optionalDescribed(
      bounded(z.number().check(z.gt(0), z.lte(86_400)), 'parts or machines'),
      'part or machine (or "*" for all) -> ideal cycle time in seconds, for rows whose file gives none; a part goes before its machine',
    ),
    sampleHoldMinutes: z.optionalDescribed(
      z.number().check(z.gt(0), z.lte(24 * 60)),
      "sampled state logs: how long a sample's state holds at most (default: that machine's median sampling interval)",
    ),
  }),
);

export type AnalysisOptions = z.infer<ReturnType<typeof analysisOptions>>;
export type StateCategory = (typeof STATE_CATEGORIES)[number];
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
