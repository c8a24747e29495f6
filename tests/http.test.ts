import { describe, expect, it, vi } from 'vitest';
import { ConfigError, config } from '../lib/config';
import { ApiError, handle, json, PROBLEM_CONTENT_TYPE } from '../lib/http';

const request = (method: string, headers: HeadersInit = {}) =>
  new Request('http://test/api/x', { method, headers });

/** Problem types are absolute, under APP_URL, where public/problems/ is served. */
const problem = (slug: string) => new URL(`/problems/${slug}`, config().appUrl).href;

describe('handle()', () => {
  const handler = handle({
    GET: () => json({ ok: true }),
    POST: () => {
      throw new ApiError('conflict', 'Already there', { fields: { id: 7 } });
    },
    DELETE: () => {
      throw new Error('secret connection string postgres://user:pw@host');
    },
    PUT: () => {
      throw new ConfigError(['POSTGRES_URL'], 'POSTGRES_URL is not set');
    },
  });

  it('refuses a store its file did not name: a type error, and at run time a 500 that logs why', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      // `npm run typecheck` fails if either line type-checks: the context holds only the named stores.
      const app = handle({
        // @ts-expect-error no database store named
        GET: async (_request, { db }) => json(await db()),
        // @ts-expect-error no KV store named
        POST: (_r, { kv }) => json(kv()),
      });
      for (const method of ['GET', 'POST']) {
        const response = await app(new Request('http://localhost/', { method }));
        expect(response.status).toBe(500);
        expect(response.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE);
      }
      expect(errors.mock.calls.map((call) => String(call[0])).join('\n')).toMatch(
        /names no database store[\s\S]*names no KV store/,
      );
    } finally {
      errors.mockRestore();
    }
  });

  it("hands the platform's waitUntil one promise that settles after the background work and the release", async () => {
    const order: string[] = [];
    const app = handle(
      {
        POST: async (_request, { db, waitUntil }) => {
          await db();
          waitUntil(async () => {
            await new Promise((resolve) => setTimeout(resolve, 20));
            order.push('background');
          });
          return json({ ok: true });
        },
        GET: () => json({ ok: true }),
      },
      {
        stores: {
          db: () => ({ db: Promise.resolve({} as never), release: async () => void order.push('released') }),
        },
      },
    );
    const kept: Promise<unknown>[] = [];
    const response = await app(new Request('http://localhost/', { method: 'POST' }), {
      waitUntil: (promise) => kept.push(promise),
    });
    expect(response.status).toBe(200);
    expect(kept).toHaveLength(1);
    expect(order).toEqual([]);
    await kept[0];
    expect(order).toEqual(['background', 'released']);
    // A request that leaves nothing behind asks nothing of the platform.
    await app(new Request('http://localhost/'), { waitUntil: (promise) => kept.push(promise) });
    expect(kept).toHaveLength(1);
  });

  it('answers a wrong method with 405, Allow and problem+json', async () => {
    const response = await handler(request('PATCH'));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST, DELETE, PUT, HEAD, OPTIONS');
    expect(response.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE);
    expect(await response.json()).toMatchObject({ type: problem('method-not-allowed'), status: 405 });
  });

  it('answers OPTIONS with Allow', async () => {
    const response = await handler(request('OPTIONS'));
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBe('GET, POST, DELETE, PUT, HEAD, OPTIONS');
  });

  it('serves HEAD from GET without a body', async () => {
    const response = await handler(request('HEAD'));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('renders ApiError with its status, stable type and extra fields', async () => {
    const response = await handler(request('POST', { 'x-vercel-id': 'fra1::abc' }));
    expect(response.status).toBe(409);
    expect(response.headers.get('x-request-id')).toBe('fra1::abc');
    expect(await response.json()).toEqual({
      type: problem('conflict'),
      title: 'Conflict',
      status: 409,
      detail: 'Already there',
      requestId: 'fra1::abc',
      id: 7,
    });
  });

  it('never leaks the message of an unexpected error, and logs it', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await handler(request('DELETE'));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('postgres://');
    expect(JSON.parse(text).type).toBe(problem('internal'));
    expect(logged).toHaveBeenCalledOnce();
    logged.mockRestore();
  });

  it('reports a configuration error as misconfigured, naming the variable', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await handler(request('PUT'));
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({
      type: problem('misconfigured'),
      detail: 'POSTGRES_URL is not set',
    });
    vi.restoreAllMocks();
  });

  it('gives every response a request id and no-store', async () => {
    const response = await handler(request('GET'));
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});
