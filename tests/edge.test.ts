import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverRoutes } from '../tools/dev/routes';
import { bundleForEdge, type EdgeBundle, edgeViolations, GZIP_BUDGET_BYTES } from '../tools/edge/bundle';
import { type EdgeWorkers, startEdgeWorkers } from '../tools/edge/workers';
import { PROJECT_ROOT } from '../tools/paths';
import { hasRealServices, productionEnv } from './support/services';

const functions = discoverRoutes(PROJECT_ROOT);
const bundles = new Map<string, EdgeBundle>();

beforeAll(async () => {
  for (const route of functions) bundles.set(route.file, await bundleForEdge(join(PROJECT_ROOT, route.file)));
  console.log(
    `[edge] gzip size per function (budget ${GZIP_BUDGET_BYTES / 1024} KB):\n${[...bundles.values()]
      .map(
        (bundle) =>
          `  ${bundle.entry}: ${(bundle.gzipBytes / 1024).toFixed(1)} KB gzip (${(bundle.bytes / 1024).toFixed(0)} KB raw)`,
      )
      .join('\n')}`,
  );
});

describe('every api/ file is an edge function', () => {
  it.each(functions.map((route) => route.file))(
    '%s bundles for the edge with no Node or embedded-only code',
    (file) => {
      const bundle = bundles.get(file);
      expect(bundle?.code.length).toBeGreaterThan(0);
      expect(edgeViolations(bundle as EdgeBundle)).toEqual([]);
    },
  );

  it('carries only the store clients its file names (sign-in: KV only; the OpenAPI document: neither)', () => {
    const clients = (file: string) => {
      const inputs = (bundles.get(file) as EdgeBundle).inputs;
      return ['@neondatabase/serverless', 'drizzle-orm', '@upstash/redis'].filter((name) =>
        inputs.some((input) => input.includes(`node_modules/${name}/`)),
      );
    };
    expect(clients('api/health.ts')).toEqual(['@neondatabase/serverless', 'drizzle-orm', '@upstash/redis']);
    expect(clients('api/auth/login.ts')).toEqual(['@upstash/redis']);
    expect(clients('api/openapi.ts')).toEqual([]);
  });

  it("evaluates the store clients, the engine's reader and pipeline, fflate and the mail texts on first use, not at cold start", () => {
    const eager = (bundle: EdgeBundle, pattern: RegExp) =>
      bundle.inputs.filter((input) => pattern.test(input) && !bundle.lazyInputs.includes(input));
    const clients =
      /node_modules\/(@neondatabase\/serverless|@vercel\/postgres|drizzle-orm|@upstash\/redis)\//;
    for (const bundle of bundles.values()) expect(eager(bundle, clients), bundle.entry).toEqual([]);
    for (const file of ['api/analyses/index.ts', 'api/reports/[id].ts']) {
      const bundle = bundles.get(file) as EdgeBundle;
      const pipeline =
        /^lib\/engine\/(analyze\.ts|shapes\/|metrics\/|input\/(screen|csv|workbook|table|encode)\.ts)|node_modules\/fflate\//;
      expect(bundle.inputs.filter((input) => pipeline.test(input)).length).toBeGreaterThan(15);
      expect(eager(bundle, pipeline), file).toEqual([]);
    }
    // The intake mails in the background: its texts in both languages wait for the first mail.
    const intake = bundles.get('api/analyses/index.ts') as EdgeBundle;
    expect(intake.inputs).toContain('lib/report/messages.ts');
    expect(eager(intake, /^lib\/report\/messages\.ts$/)).toEqual([]);
  });

  it('rejects a function that imports node:crypto', async () => {
    const bundle = await bundleForEdge(join(PROJECT_ROOT, 'tests/fixtures/edge/uses-node-crypto.ts'));
    expect(edgeViolations(bundle)).toEqual(['imports Node built-in "node:crypto"']);
  });

  it('rejects a function that bundles the embedded database', async () => {
    const bundle = await bundleForEdge(join(PROJECT_ROOT, 'tests/fixtures/edge/uses-embedded-db.ts'));
    expect(edgeViolations(bundle).join('\n')).toMatch(/bundles PGlite/);
  });

  it('rejects a bundle over the size budget', () => {
    const bundle = bundles.get('api/health.ts') as EdgeBundle;
    expect(edgeViolations({ ...bundle, gzipBytes: GZIP_BUDGET_BYTES + 1 })).toEqual([
      `gzip size ${GZIP_BUDGET_BYTES + 1} B exceeds the budget of ${GZIP_BUDGET_BYTES} B`,
    ]);
  });

  it('workerd refuses to start the node:crypto function without Node compatibility flags', async () => {
    const bundle = await bundleForEdge(join(PROJECT_ROOT, 'tests/fixtures/edge/uses-node-crypto.ts'));
    await expect(startEdgeWorkers([{ name: 'bad', code: bundle.code }], {})).rejects.toThrow();
  });
});

const workerName = (file: string) => file.replace(/[^a-z0-9]/gi, '-');

describe('inside workerd (Miniflare), with unreachable backends', () => {
  let workers: EdgeWorkers;
  beforeAll(async () => {
    workers = await startEdgeWorkers(
      functions.map((route) => ({
        name: workerName(route.file),
        code: '',
        wasm: [],
        ...bundles.get(route.file),
      })),
      {
        POSTGRES_URL: 'postgres://nobody@localhost:5432/none',
        POSTGRES_WS_PROXY: '127.0.0.1:9/v2',
        POSTGRES_HTTP_ENDPOINT: 'http://127.0.0.1:9/sql',
        KV_REST_API_URL: 'http://127.0.0.1:9',
        KV_REST_API_TOKEN: 'x',
      },
    );
  }, 300_000);
  afterAll(() => workers?.close());

  it.each(functions.map((route) => route.file))(
    '%s loads and answers in workerd (405 for a method it lacks)',
    async (file) => {
      const response = await workers.fetch(workerName(file), 'http://edge.test/x', { method: 'PUT' });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toMatch(/GET|POST|DELETE/);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    },
  );

  it('health answers 503 problem+json naming the failed checks', async () => {
    const response = await workers.fetch(workerName('api/health.ts'), 'http://edge.test/api/health');
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      type: expect.stringMatching(/^https?:\/\/[^/]+\/problems\/unavailable$/),
      checks: { db: { status: 'error' }, kv: { status: 'error', error: 'KvUnavailableError' } },
    });
  });
});

describe.skipIf(!hasRealServices)(
  'inside workerd (Miniflare), through the production clients to real services',
  () => {
    let workers: EdgeWorkers;
    // Starting twelve workerd isolates is slow on a loaded machine: a generous bound, never a timing test.
    beforeAll(async () => {
      const started = performance.now();
      workers = await startEdgeWorkers(
        functions.map((route) => ({
          name: workerName(route.file),
          code: '',
          wasm: [],
          ...bundles.get(route.file),
        })),
        productionEnv(),
      );
      console.log(`[edge] workerd with real services ready in ${Math.round(performance.now() - started)} ms`);
    }, 300_000);
    afterAll(() => workers?.close());

    it('serves the OpenAPI document and refuses /api/me without a session', async () => {
      expect((await workers.fetch(workerName('api/openapi.ts'), 'http://edge.test/api/openapi')).status).toBe(
        200,
      );
      const me = await workers.fetch(workerName('api/me/index.ts'), 'http://edge.test/api/me');
      expect(me.status).toBe(401);
    });

    it('health answers 200 on consecutive requests (no connection outlives its request)', async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const response = await workers.fetch(workerName('api/health.ts'), 'http://edge.test/api/health');
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({
          status: 'ok',
          checks: { db: { status: 'ok', backend: 'postgres' }, kv: { status: 'ok', backend: 'upstash' } },
        });
      }
    });
  },
);
