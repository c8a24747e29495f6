import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../lib/contracts';
import { analysisReport } from '../lib/contracts/report';
import { analyzeCsv } from '../lib/engine';
import { PROJECT_ROOT } from '../tools/paths';
import {
  generateEventLogCsv,
  generateProductionCsv,
  generateWorstCaseCsv,
  WORST_CASES,
} from '../tools/test-support/production-csv';
import { ContractChecker, type OpenApiDocument } from './support/contract';

/**
 * The report schema (lib/contracts/report.ts) is what the OpenAPI document promises in `result`: every
 * report the engine writes for real files, our fixtures and the worst cases must validate against the
 * document's JSON Schema (extra keys included: its objects are closed) and parse with the zod schema.
 */
const files = [
  ...readdirSync(join(PROJECT_ROOT, 'tests/fixtures/realdata'))
    .filter((name) => name.endsWith('.csv'))
    .map((name) => ({ name, bytes: readFileSync(join(PROJECT_ROOT, 'tests/fixtures/realdata', name)) })),
  ...readdirSync(join(PROJECT_ROOT, 'tests/fixtures/analysis')).map((name) => ({
    name,
    bytes: readFileSync(join(PROJECT_ROOT, 'tests/fixtures/analysis', name)),
  })),
  { name: 'generated production log', bytes: new TextEncoder().encode(generateProductionCsv(300_000)) },
  { name: 'generated event log', bytes: new TextEncoder().encode(generateEventLogCsv(300_000)) },
  ...WORST_CASES.map(({ input, title }) => ({
    name: title,
    bytes: new TextEncoder().encode(generateWorstCaseCsv(input, 400_000)),
  })),
];

describe('the report schema holds for every report the engine writes', () => {
  const document = openApiDocument('0.0.0', 'http://localhost:3000/') as unknown as OpenApiDocument;
  const validate = new ContractChecker(document).schema('#/components/schemas/AnalysisReport');

  it.each(files)('$name', async ({ bytes }) => {
    const report = await analyzeCsv(bytes);
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    expect(analysisReport.safeParse(report).success).toBe(true);
  });

  it('and refuses what a report never is', async () => {
    const report = structuredClone(await analyzeCsv(files[0]?.bytes ?? new Uint8Array())) as Record<
      string,
      unknown
    >;
    expect(validate({ ...report, surprise: 1 })).toBe(false);
    expect(validate({ ...report, kpis: { overall: {} } })).toBe(false);
  });
});
