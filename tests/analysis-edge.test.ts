import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeCsv, MAX_INPUT_BYTES } from '../lib/engine';
import { bundleForEdge, edgeViolations } from '../tools/edge/bundle';
import { type EdgeWorkers, startEdgeWorkers } from '../tools/edge/workers';
import { PROJECT_ROOT } from '../tools/paths';
import { generateProductionCsv } from '../tools/test-support/production-csv';

describe('the analysis engine inside workerd', () => {
  let workers: EdgeWorkers;
  const csv = new TextEncoder().encode(generateProductionCsv(MAX_INPUT_BYTES - 1024));

  beforeAll(async () => {
    const bundle = await bundleForEdge(join(PROJECT_ROOT, 'tests/fixtures/edge/analyze-worker.ts'));
    expect(edgeViolations(bundle)).toEqual([]);
    workers = await startEdgeWorkers([{ name: 'analyze', ...bundle }], {});
  });
  afterAll(() => workers?.close());

  it('analyses a generated 4 MB file and agrees with Node', async () => {
    expect(csv.length).toBeGreaterThan(MAX_INPUT_BYTES - 2048);
    const response = await workers.fetch('analyze', 'http://edge.test/', { method: 'POST', body: csv });
    expect(response.status).toBe(200);
    const edge = (await response.json()) as { rows: number; oee: number; sha256: string; paretoTop: string };
    const node = await analyzeCsv(csv);
    expect(edge).toEqual({
      rows: node.input.rows,
      encoding: 'utf-8',
      oee: node.kpis?.overall.oee.value,
      sha256: node.input.sha256,
      paretoTop: node.downtimePareto?.items[0]?.reason,
    });
    expect(edge.rows).toBeGreaterThan(40_000);
  });
});
