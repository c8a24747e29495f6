import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import health from '../api/health';
import { provideDatabase } from '../lib/db';
import { provideKv } from '../lib/kv';
import { MemoryKv } from '../tools/embedded/memory-kv';
import { openEmbeddedCopy } from '../tools/test-support/embedded-template';
import { type KvRestBridge, startKvRestBridge } from '../tools/test-support/kv-rest-bridge';
import { embeddedTemplate, hasRealServices, productionEnv, services, useEnv } from './support/services';

const get = () => health(new Request('http://test/api/health'));

describe('health on embedded backends', () => {
  let close: () => Promise<void>;
  beforeAll(async () => {
    const copy = await openEmbeddedCopy(embeddedTemplate);
    provideDatabase(copy.db);
    provideKv(new MemoryKv());
    close = copy.close;
  });
  afterAll(async () => {
    provideDatabase(undefined);
    provideKv(undefined);
    await close();
  });

  it('answers 200 with both checks ok', async () => {
    const response = await get();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      version: 'dev',
      checks: { db: { backend: 'embedded' } },
    });
  });

  it('answers 503 when KV fails, and says which check failed', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = new MemoryKv();
    broken.ping = () => Promise.reject(new Error('down'));
    provideKv(broken);
    const response = await get();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      checks: { db: { status: 'ok' }, kv: { status: 'error' } },
    });
    vi.restoreAllMocks();
  });
});

describe.skipIf(!hasRealServices)(
  'health through the production clients (@vercel/postgres, @vercel/kv)',
  () => {
    let bridge: KvRestBridge;
    let restore: () => void;
    beforeAll(async () => {
      // A private bridge, so this suite can inject faults without disturbing others.
      bridge = await startKvRestBridge(services.kv?.redisUrl ?? '');
      restore = useEnv({ ...productionEnv(), KV_REST_API_URL: bridge.url, KV_REST_API_TOKEN: bridge.token });
    });
    afterAll(async () => {
      restore();
      await bridge.close();
    });

    it('answers 200 from real PostgreSQL and Redis', async () => {
      const response = await get();
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        checks: { db: { status: 'ok', backend: 'postgres' }, kv: { status: 'ok', backend: 'upstash' } },
      });
    });

    it('answers 503 when KV answers errors', async () => {
      vi.spyOn(console, 'error').mockImplementation(() => {});
      bridge.setFault('error');
      try {
        const response = await get();
        expect(response.status).toBe(503);
        expect(await response.json()).toMatchObject({
          checks: { kv: { status: 'error', error: 'KvUnavailableError' } },
        });
      } finally {
        bridge.setFault('none');
        vi.restoreAllMocks();
      }
    });

    it('answers 503 instead of hanging when KV stalls', { timeout: 5_000 }, async () => {
      vi.spyOn(console, 'error').mockImplementation(() => {});
      bridge.setFault('stall');
      try {
        const response = await get();
        expect(response.status).toBe(503);
        expect(await response.json()).toMatchObject({
          checks: { db: { status: 'ok' }, kv: { status: 'error' } },
        });
      } finally {
        bridge.setFault('none');
        vi.restoreAllMocks();
      }
    });

    it('answers 503 when PostgreSQL is unreachable', { timeout: 5_000 }, async () => {
      vi.spyOn(console, 'error').mockImplementation(() => {});
      const undo = useEnv({
        POSTGRES_URL: 'postgres://nobody@localhost:5432/none',
        POSTGRES_WS_PROXY: '127.0.0.1:9/v2',
        POSTGRES_HTTP_ENDPOINT: 'http://127.0.0.1:9/sql',
      });
      try {
        const response = await get();
        expect(response.status).toBe(503);
        expect(await response.json()).toMatchObject({
          checks: { db: { status: 'error' }, kv: { status: 'ok' } },
        });
      } finally {
        undo();
        vi.restoreAllMocks();
      }
    });
  },
);
