import { createHash } from 'node:crypto';
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import type { KvStore } from '../lib/kv';
import * as scripts from '../lib/kv/scripts';
import { kvBackends, unique } from './support/kv';
import { services } from './support/services';
import { openForSuite } from './support/suite';

describe.each(kvBackends)('KV store contract: %s', (_name, open, available) => {
  let kv: KvStore;
  openForSuite(available, open, (backend) => {
    kv = backend.store;
  });

  describe.skipIf(!available)('answers', () => {
    it('gets what it set, byte for byte, with the TTL it was given', async () => {
      const key = unique('mia:test:str');
      const value = `{"n":42,"text":"Grüße 🙂"}${'x'.repeat(200_000)}`;
      expect(await kv.set(key, value, { ttlMs: 5_000 })).toBe(true);
      expect(await kv.get(key)).toBe(value);
      expect(await kv.set(`${key}:n`, '42', { ttlMs: 5_000 })).toBe(true);
      expect(await kv.get(`${key}:n`)).toBe('42'); // a string, not the number 42
      const ttl = await kv.pttl(key);
      expect(ttl).toBeGreaterThan(4_000);
      expect(ttl).toBeLessThanOrEqual(5_000);
      expect(await kv.pttl(unique('mia:test:none'))).toBe(-2);
      expect(await kv.get(unique('mia:test:none'))).toBeNull();
    });

    it('writes only if absent with onlyIfAbsent, and deletes', async () => {
      const key = unique('mia:test:nx');
      expect(await kv.set(key, 'first', { ttlMs: 5_000, onlyIfAbsent: true })).toBe(true);
      expect(await kv.set(key, 'second', { ttlMs: 5_000, onlyIfAbsent: true })).toBe(false);
      expect(await kv.get(key)).toBe('first');
      expect(await kv.del(key, unique('mia:test:none'))).toBe(1);
      expect(await kv.del()).toBe(0);
    });

    it('takes a value once, leaving its tombstone in the same step, even under concurrent takers', async () => {
      const [key, tombstone] = [unique('mia:test:take'), unique('mia:test:taken')];
      await kv.set(key, 'once', { ttlMs: 5_000 });
      const taken = await Promise.all(Array.from({ length: 10 }, () => kv.takeOnce(key, tombstone, 5_000)));
      expect(taken.filter((outcome) => 'value' in outcome && outcome.value === 'once')).toHaveLength(1);
      // Every other taker saw the tombstone: none was told the value never existed.
      expect(taken.filter((outcome) => 'used' in outcome && outcome.used)).toHaveLength(9);
      expect(await kv.get(key)).toBeNull();
      expect(await kv.pttl(tombstone)).toBeGreaterThan(0);
      expect(await kv.takeOnce(unique('mia:test:none'), unique('mia:test:none-taken'), 5_000)).toEqual({
        used: false,
      });
    });

    it('expires keys', async () => {
      const key = unique('mia:test:ttl');
      await kv.set(key, 'v', { ttlMs: 30 });
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(await kv.get(key)).toBeNull();
      expect(await kv.set(key, 'again', { ttlMs: 5_000, onlyIfAbsent: true })).toBe(true);
    });

    it('deletes only while the key holds the expected value', async () => {
      const key = unique('mia:test:cad');
      await kv.set(key, 'mine', { ttlMs: 5_000 });
      expect(await kv.deleteIfEquals(key, 'theirs')).toBe(false);
      expect(await kv.get(key)).toBe('mine');
      expect(await kv.deleteIfEquals(key, 'mine')).toBe(true);
      expect(await kv.get(key)).toBeNull();
    });

    it('keeps sets with a TTL, and an emptied set is gone', async () => {
      const key = unique('mia:test:set');
      await kv.addToSet(key, ['a', 'b'], 5_000);
      await kv.addToSet(key, ['b', 'c'], 5_000);
      expect((await kv.setMembers(key)).sort()).toEqual(['a', 'b', 'c']);
      expect(await kv.pttl(key)).toBeGreaterThan(4_000);
      expect(await kv.removeFromSet(key, ['a', 'zz'])).toBe(1);
      expect(await kv.removeFromSet(key, ['b', 'c'])).toBe(2);
      expect(await kv.pttl(key)).toBe(-2);
      expect(await kv.setMembers(key)).toEqual([]);
    });

    it('records an attempt in several windows only when every one admits it', async () => {
      const [small, large] = [unique('mia:test:small'), unique('mia:test:large')];
      const logs = [
        { key: small, limit: 2, windowMs: 10_000 },
        { key: large, limit: 5, windowMs: 10_000 },
      ];
      const t0 = Date.now();
      const hit = (n: number) => kv.hitSlidingWindows(logs, { nowMs: t0 + n, member: `m${n}` });
      expect(await hit(1)).toEqual({
        allowed: true,
        logs: [
          { count: 1, oldestMs: t0 + 1 },
          { count: 1, oldestMs: t0 + 1 },
        ],
      });
      expect((await hit(2)).allowed).toBe(true);
      // The small log is full: refused everywhere, and the large log keeps its quota.
      for (let n = 3; n < 8; n++)
        expect(await hit(n)).toEqual({
          allowed: false,
          logs: [
            { count: 2, oldestMs: t0 + 1 },
            { count: 2, oldestMs: t0 + 1 },
          ],
        });
      expect(await kv.peekSlidingWindow(large, 10_000, t0 + 9)).toMatchObject({ count: 2 });
      expect(
        (await kv.hitSlidingWindows([logs[1] as (typeof logs)[number]], { nowMs: t0 + 9, member: 'x' }))
          .logs[0],
      ).toMatchObject({ count: 3 });
    });

    it('keeps a rolling window: admits up to the limit, denied attempts use no quota, old ones roll off', async () => {
      const key = unique('mia:test:window');
      const t0 = Date.now();
      const hit = async (at: number, n: number) => {
        const state = await kv.hitSlidingWindows([{ key, limit: 3, windowMs: 1_000 }], {
          nowMs: at,
          member: `${at}:${n}`,
        });
        return { allowed: state.allowed, ...state.logs[0] };
      };
      expect(await hit(t0, 1)).toEqual({ allowed: true, count: 1, oldestMs: t0 });
      expect(await hit(t0 + 100, 2)).toMatchObject({ allowed: true, count: 2 });
      expect(await hit(t0 + 200, 3)).toMatchObject({ allowed: true, count: 3 });
      for (let n = 0; n < 5; n++)
        expect(await hit(t0 + 300 + n, 10 + n)).toEqual({ allowed: false, count: 3, oldestMs: t0 });
      expect(await kv.peekSlidingWindow(key, 1_000, t0 + 999)).toEqual({
        allowed: false,
        count: 3,
        oldestMs: t0,
      });
      // Exactly one window after the first attempt, its slot is free again; the others still count.
      expect(await hit(t0 + 1_000, 4)).toEqual({ allowed: true, count: 3, oldestMs: t0 + 100 });
      expect(await hit(t0 + 1_001, 5)).toMatchObject({ allowed: false, count: 3 });
      const ttl = await kv.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(1_000);
    });

    it('scans every matching key across bounded steps', async () => {
      const prefix = unique('mia:test:scan');
      const written = Array.from({ length: 25 }, (_, n) => `${prefix}:${n}`);
      for (const key of written) await kv.set(key, '1', { ttlMs: 5_000 });
      await kv.set(`${prefix}x:other`, '1', { ttlMs: 5_000 });
      const seen = new Set<string>();
      let cursor = '0';
      let steps = 0;
      do {
        const step = await kv.scan(cursor, `${prefix}:*`, 10);
        for (const key of step.keys) seen.add(key);
        cursor = step.cursor;
        steps++;
      } while (cursor !== '0' && steps < 10_000);
      expect([...seen].sort()).toEqual([...written].sort());
    });
  });
});

describe.skipIf(!services.kv)('Lua scripts', () => {
  it('have the SHA-1 that Redis computes for them (a stale pinned hash fails here)', async () => {
    const redis = createClient({ url: services.kv?.redisUrl, RESP: 2 });
    await redis.connect();
    try {
      for (const [name, script] of Object.entries(scripts)) {
        if (typeof script !== 'object') continue;
        const loaded = await redis.scriptLoad(script.source);
        expect({ name, sha1: script.sha1 }).toEqual({ name, sha1: loaded });
        expect(createHash('sha1').update(script.source).digest('hex')).toBe(loaded);
      }
    } finally {
      await redis.quit();
    }
  });
});
