import { describe, expect, it, vi } from 'vitest';
import {
  type CacheOptions,
  cacheKeyOf,
  DEFAULT_CACHE_OPTIONS,
  DeterministicFailure,
  getOrCompute,
  invalidateCacheEntry,
  invalidateUserCache,
  peekCache,
  trackCacheUse,
} from '../lib/analyses/cache';
import { acquireLock, type KvStore, KvUnavailableError, keys, scanResumable } from '../lib/kv';
import { kvBackends, unique } from './support/kv';
import { openForSuite } from './support/suite';

const options: CacheOptions = { ...DEFAULT_CACHE_OPTIONS, waitMs: 5_000, pollMs: 20 };
const keyFor = () => ({ engineVersion: 'test-1', contentHash: unique('hash') });
const slow = <T>(value: T, ms = 100) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe.each(kvBackends)('analysis cache and locks on %s', (_name, open, available) => {
  let kv: KvStore;
  openForSuite(available, open, (backend) => {
    kv = backend.store;
  });

  describe.skipIf(!available)('behaviour', () => {
    it('runs 20 concurrent identical computations once; the others get its result', async () => {
      const key = keyFor();
      let runs = 0;
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          getOrCompute(
            kv,
            key,
            () => {
              runs++;
              return slow({ oee: 0.7479 });
            },
            options,
          ),
        ),
      );
      expect(runs).toBe(1);
      expect(results.filter((result) => result.source === 'computed')).toHaveLength(1);
      for (const result of results)
        expect(result).toMatchObject({ outcome: { ok: true, value: { oee: 0.7479 } } });
      expect(
        await getOrCompute(kv, key, () => Promise.reject(new Error('must not run')), options),
      ).toMatchObject({
        source: 'cache',
      });
      expect(await kv.pttl(cacheKeyOf(key))).toBeGreaterThan(options.ttlMs - 5_000);
      expect(await kv.get(keys.analysisCacheLock(key.engineVersion, key.contentHash))).toBeNull();
    });

    it('answers "in progress" when the computation outlasts the wait', async () => {
      const key = keyFor();
      const winner = getOrCompute(kv, key, () => slow('done', 300), options);
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(await getOrCompute(kv, key, () => slow('again'), { ...options, waitMs: 50 })).toEqual({
        source: 'in_progress',
      });
      expect(await winner).toMatchObject({ source: 'computed' });
    });

    it('caches a deterministic failure briefly, and never an unexpected error', async () => {
      const key = keyFor();
      const failure = await getOrCompute(
        kv,
        key,
        () => Promise.reject(new DeterministicFailure('not_csv', 'Not a CSV')),
        options,
      );
      expect(failure).toEqual({
        source: 'computed',
        outcome: { ok: false, error: { code: 'not_csv', message: 'Not a CSV' } },
      });
      const ttl = await kv.pttl(cacheKeyOf(key));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(options.failureTtlMs);
      expect((await getOrCompute(kv, key, () => slow('x'), options)).source).toBe('cache');

      const other = keyFor();
      await expect(
        getOrCompute(kv, other, () => Promise.reject(new Error('flaky')), options),
      ).rejects.toThrow('flaky');
      expect(await peekCache(kv, other)).toBeUndefined();
      expect((await getOrCompute(kv, other, () => slow('ok', 1), options)).source).toBe('computed'); // lock was freed
    });

    it('invalidates by key, and by user except what others still use', async () => {
      const userId = unique('user');
      const [mine, shared] = [keyFor(), keyFor()];
      for (const key of [mine, shared]) {
        await getOrCompute(kv, key, () => slow(1, 1), options);
        await trackCacheUse(kv, userId, key);
      }
      const removed = await invalidateUserCache(kv, userId, (key) => key.contentHash === shared.contentHash);
      expect(removed).toBe(1);
      expect(await peekCache(kv, mine)).toBeUndefined();
      expect(await peekCache(kv, shared)).toBeDefined();
      expect(await kv.setMembers(keys.userCacheKeys(userId))).toEqual([]);
      expect(await invalidateCacheEntry(kv, shared)).toBe(true);
      expect(await peekCache(kv, shared)).toBeUndefined();
    });

    it('lets only the holder release a lock, and frees it after its lease', async () => {
      const name = unique('cron');
      const first = await acquireLock(kv, name, 200);
      expect(first).toBeDefined();
      expect(await acquireLock(kv, name, 200)).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 250));
      const second = await acquireLock(kv, name, 5_000);
      expect(second).toBeDefined();
      expect(await first?.release()).toBe(false); // its lease ended; it must not free the new holder's lock
      expect(await acquireLock(kv, name, 5_000)).toBeUndefined();
      expect(await second?.release()).toBe(true);
      expect(await acquireLock(kv, name, 5_000)).toBeDefined();
    });

    it('scans in bounded, resumable steps', async () => {
      const prefix = unique('mia:test:job');
      for (let n = 0; n < 30; n++) await kv.set(`${prefix}:${n}`, '1', { ttlMs: 10_000 });
      const job = unique('job');
      const seen = new Set<string>();
      let done = false;
      let calls = 0;
      while (!done && calls < 1_000) {
        const step = await scanResumable(kv, job, `${prefix}:*`, { maxKeys: 7, batch: 5 });
        for (const key of step.keys) seen.add(key);
        done = step.done;
        calls++;
      }
      expect(seen.size).toBe(30);
      expect(await kv.get(keys.jobCursor(job))).toBeNull();
    });
  });
});

describe('cache when KV fails', () => {
  const failing = (overrides: Partial<KvStore>): KvStore =>
    ({
      backend: 'memory',
      get: async () => null,
      set: async () => true,
      deleteIfEquals: async () => true,
      ...overrides,
    }) as KvStore;

  it('computes without the cache when KV is unreachable (fails open)', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const kv = failing({ get: () => Promise.reject(new KvUnavailableError('down')) });
    expect(await getOrCompute(kv, keyFor(), () => slow(7, 1), options)).toEqual({
      source: 'computed',
      outcome: { ok: true, value: 7 },
    });
    vi.restoreAllMocks();
  });

  it('never fails the caller because the cache write failed', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let sets = 0;
    const kv = failing({
      set: async () => {
        sets++;
        if (sets > 1) throw new KvUnavailableError('write refused'); // the lock succeeds, the entry fails
        return true;
      },
    });
    expect(await getOrCompute(kv, keyFor(), () => slow(8, 1), options)).toMatchObject({
      outcome: { value: 8 },
    });
    expect(warn.mock.calls.map(([line]) => JSON.parse(String(line)).event)).toContain('cache_write_failed');
    vi.restoreAllMocks();
  });
});
