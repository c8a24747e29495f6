import { describe, expect, it } from 'vitest';
import { KvUnavailableError, patterns } from '../lib/kv';
import { createUpstashStore } from '../lib/kv/upstash';
import {
  checkRateLimit,
  checkRateLimits,
  normaliseIdentifier,
  peekRateLimit,
  policies,
  type RateLimitPolicy,
  rateLimitHeaders,
  resetRateLimits,
} from '../lib/limits';
import { type KvBackend, kvBackends, openRealKv, productionClient, unique } from './support/kv';
import { services } from './support/services';
import { openForSuite } from './support/suite';

const SECRET = 'test-secret-test-secret-test-secret-!';
const fivePerDay = policies.analysisPerEmail;

describe.each(kvBackends)('rate limits on %s', (_name, open, available) => {
  let backend: KvBackend;
  openForSuite(available, open, (opened) => {
    backend = opened;
  });

  describe.skipIf(!available)('behaviour', () => {
    it('admits exactly the limit out of 100 concurrent attempts for one identifier', async () => {
      const email = `${unique('racer')}@example.com`;
      const results = await Promise.all(
        Array.from({ length: 100 }, () => checkRateLimit(backend.store, fivePerDay, email, SECRET)),
      );
      expect(results.filter((result) => result.allowed)).toHaveLength(5);
      expect((await peekRateLimit(backend.store, fivePerDay, email, SECRET)).remaining).toBe(0);
    });

    it('admits a request only when every limit admits it; a refusal by one leaves the others whole', async () => {
      const email = `${unique('both')}@example.com`;
      const ip = `198.51.100.${Math.floor(Math.random() * 250)}-${unique('ip')}`;
      const tightIp: RateLimitPolicy = { name: unique('ip-policy'), limit: 2, windowMs: 3600_000 };
      const both = [
        { policy: fivePerDay, identifier: email },
        { policy: tightIp, identifier: ip },
      ];
      expect((await checkRateLimits(backend.store, both, SECRET)).map((r) => r.allowed)).toEqual([
        true,
        true,
      ]);
      expect((await checkRateLimits(backend.store, both, SECRET)).map((r) => r.allowed)).toEqual([
        true,
        true,
      ]);
      for (let n = 0; n < 5; n++) {
        const refused = await checkRateLimits(backend.store, both, SECRET);
        expect(refused.map((r) => [r.allowed, r.remaining])).toEqual([
          [false, 3],
          [false, 0],
        ]);
      }
      expect((await peekRateLimit(backend.store, fivePerDay, email, SECRET)).remaining).toBe(3);
      // The reverse: an exhausted email's refusals cost a fresh address nothing.
      const other = `${unique('full')}@example.com`;
      for (let n = 0; n < 5; n++) await checkRateLimit(backend.store, fivePerDay, other, SECRET);
      const fresh = `${unique('fresh-ip')}`;
      const checks = [
        { policy: fivePerDay, identifier: other },
        { policy: tightIp, identifier: fresh },
      ];
      for (let n = 0; n < 4; n++)
        expect((await checkRateLimits(backend.store, checks, SECRET))[0]?.allowed).toBe(false);
      expect((await peekRateLimit(backend.store, tightIp, fresh, SECRET)).remaining).toBe(2);
      // Under concurrency the pair stays exact: 5 admitted, and the wide limit counted exactly 5.
      const wide: RateLimitPolicy = { name: unique('wide'), limit: 30, windowMs: 3600_000 };
      const racer = `${unique('pair')}@example.com`;
      const results = await Promise.all(
        Array.from({ length: 40 }, () =>
          checkRateLimits(
            backend.store,
            [
              { policy: fivePerDay, identifier: racer },
              { policy: wide, identifier: 'shared-address' },
            ],
            SECRET,
          ),
        ),
      );
      expect(results.filter((pair) => pair[0]?.allowed)).toHaveLength(5);
      expect((await peekRateLimit(backend.store, wide, 'shared-address', SECRET)).remaining).toBe(25);
    });

    it('rolls: a slot frees exactly one window after the attempt that used it, and denials cost nothing', async () => {
      const email = `${unique('roller')}@example.com`;
      const t0 = Date.now();
      const hour = 3600_000;
      for (let n = 0; n < 5; n++) {
        const result = await checkRateLimit(backend.store, fivePerDay, email, SECRET, t0 + n * hour);
        expect(result).toMatchObject({ allowed: true, remaining: 4 - n });
      }
      for (let n = 0; n < 20; n++) {
        const denied = await checkRateLimit(backend.store, fivePerDay, email, SECRET, t0 + 6 * hour);
        expect(denied).toMatchObject({ allowed: false, remaining: 0, resetAt: t0 + 24 * hour });
        expect(denied.retryAfterMs).toBe(18 * hour);
      }
      // Not a fixed window: at t0 + 24 h only the first attempt has rolled off.
      expect(
        await checkRateLimit(backend.store, fivePerDay, email, SECRET, t0 + 24 * hour - 1),
      ).toMatchObject({
        allowed: false,
      });
      expect(await checkRateLimit(backend.store, fivePerDay, email, SECRET, t0 + 24 * hour)).toMatchObject({
        allowed: true,
        remaining: 0,
        resetAt: t0 + 25 * hour,
      });
      expect(
        await checkRateLimit(backend.store, fivePerDay, email, SECRET, t0 + 24 * hour + 1),
      ).toMatchObject({
        allowed: false,
      });
    });

    it('stores identifiers only as keyed hashes, and forgets them on request', async () => {
      const email = `${unique('private')}@example.com`;
      await checkRateLimit(backend.store, fivePerDay, email, SECRET);
      await checkRateLimit(backend.store, policies.analysisPerIp, '203.0.113.7', SECRET);
      const found: string[] = [];
      let cursor = '0';
      do {
        const step = await backend.store.scan(cursor, patterns.all, 500);
        found.push(...step.keys);
        cursor = step.cursor;
      } while (cursor !== '0');
      expect(found.join('\n')).not.toContain(email.split('@')[0]);
      expect(found.join('\n')).not.toContain('203.0.113.7');
      await resetRateLimits(backend.store, email, SECRET);
      expect((await peekRateLimit(backend.store, fivePerDay, email, SECRET)).remaining).toBe(5);
    });

    it('keys differ per policy and per secret', async () => {
      const email = `${unique('scoped')}@example.com`;
      const other: RateLimitPolicy = { name: 'other', limit: 1, windowMs: 60_000 };
      expect((await checkRateLimit(backend.store, other, email, SECRET)).allowed).toBe(true);
      expect((await checkRateLimit(backend.store, other, email, SECRET)).allowed).toBe(false);
      expect((await checkRateLimit(backend.store, other, email, `${SECRET}2`)).allowed).toBe(true);
      expect((await checkRateLimit(backend.store, fivePerDay, email, SECRET)).allowed).toBe(true);
    });
  });
});

describe.skipIf(!services.kv)('rate limits through the real client: round trips and faults', () => {
  let backend: KvBackend;
  openForSuite(true, openRealKv, (opened) => {
    backend = opened;
  });

  it('makes one KV round trip per check (once the script is loaded)', async () => {
    const bridge = backend.bridge;
    if (!bridge) throw new Error('bridge expected');
    const email = `${unique('trips')}@example.com`;
    await checkRateLimit(backend.store, fivePerDay, email, SECRET); // may load the script (EVAL after NOSCRIPT)
    const before = bridge.requests();
    for (let n = 0; n < 4; n++) await checkRateLimit(backend.store, fivePerDay, email, SECRET);
    expect(bridge.requests() - before).toBe(4);
  });

  it('fails closed with KvUnavailableError when Redis answers errors or stalls, or nothing listens', async () => {
    const bridge = backend.bridge;
    if (!bridge) throw new Error('bridge expected');
    const email = `${unique('fault')}@example.com`;
    const production = productionClient(bridge);
    for (const fault of ['error', 'stall'] as const) {
      bridge.setFault(fault);
      try {
        await expect(checkRateLimit(production, fivePerDay, email, SECRET)).rejects.toBeInstanceOf(
          KvUnavailableError,
        );
      } finally {
        bridge.setFault('none');
      }
    }
    const nobody = createUpstashStore({ url: 'http://127.0.0.1:9', token: 'x', timeoutMs: 1_500 });
    await expect(checkRateLimit(nobody, fivePerDay, email, SECRET)).rejects.toBeInstanceOf(
      KvUnavailableError,
    );
    expect((await checkRateLimit(backend.store, fivePerDay, email, SECRET)).allowed).toBe(true);
  });
});

describe('rate-limit identifiers and headers', () => {
  it('limits IPv6 clients per /64 and leaves IPv4 and emails alone', () => {
    expect(normaliseIdentifier('2001:db8:1:2:aaaa::1')).toBe('2001:0db8:0001:0002::/64');
    expect(normaliseIdentifier('2001:DB8:1:2:ffff:0:0:9')).toBe('2001:0db8:0001:0002::/64');
    expect(normaliseIdentifier('203.0.113.7')).toBe('203.0.113.7');
    expect(normaliseIdentifier(' Anna@Example.com ')).toBe('anna@example.com');
  });

  it('formats RateLimit, RateLimit-Policy and Retry-After (IETF draft)', () => {
    const now = 1_000_000;
    const headers = rateLimitHeaders(
      [
        { policy: fivePerDay, allowed: false, remaining: 0, resetAt: now + 90_500, retryAfterMs: 90_500 },
        { policy: policies.analysisPerIp, allowed: true, remaining: 29, resetAt: now, retryAfterMs: 0 },
      ],
      now,
    );
    expect(headers.get('ratelimit-policy')).toBe('"analysis-email";q=5;w=86400, "analysis-ip";q=30;w=3600');
    expect(headers.get('ratelimit')).toBe('"analysis-email";r=0;t=91, "analysis-ip";r=29;t=0');
    expect(headers.get('retry-after')).toBe('91');
  });
});
