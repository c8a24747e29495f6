import { randomToken, sha256Hex } from '../crypto';
import { keys, parseAnalysisCacheKey } from '../kv/keys';
import type { KvStore } from '../kv/store';
import { describeError, log } from '../log';

/** What the cache holds for a key: a computed value, or a failure that would recur for the same input. */
export type CachedOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; error: { code: string; message: string } };

/** Thrown by a computation for failures that depend only on its input (not a CSV, no usable columns). */
export class DeterministicFailure extends Error {
  override readonly name = 'DeterministicFailure';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type CacheKey = Readonly<{ engineVersion: string; contentHash: string }>;
export type CacheOptions = Readonly<{
  ttlMs: number;
  /**
   * Deterministic failures are kept like results, so a resubmission does not recompute; the key holds
   * the engine version, so a fixed engine computes anew.
   */
  failureTtlMs: number;
  /** Longest computation; the lock frees itself after this if its holder died. */
  lockTtlMs: number;
  /** How long a caller that lost the race waits for the winner's result before answering "in progress". */
  waitMs: number;
  pollMs: number;
}>;

export const DEFAULT_CACHE_OPTIONS: CacheOptions = {
  ttlMs: 7 * 24 * 3600_000,
  failureTtlMs: 7 * 24 * 3600_000,
  lockTtlMs: 60_000,
  waitMs: 10_000,
  pollMs: 100,
};

export type CacheResult<T> =
  | { source: 'cache' | 'computed'; outcome: CachedOutcome<T> }
  | { source: 'in_progress' };

export const cacheKeyOf = (key: CacheKey) => keys.analysisCache(key.engineVersion, key.contentHash);

/**
 * Get-or-compute with single flight across instances: of concurrent callers for one key, one computes
 * (holding a KV lock) and the others wait for its result. The cache fails open: when KV is unreachable
 * the value is computed without it, and a failed cache write never fails the caller.
 */
export async function getOrCompute<T>(
  kv: KvStore,
  key: CacheKey,
  compute: () => Promise<T>,
  options: CacheOptions = DEFAULT_CACHE_OPTIONS,
): Promise<CacheResult<T>> {
  const entryKey = cacheKeyOf(key);
  const read = async () => {
    const stored = await kv.get(entryKey);
    return stored === null ? undefined : (JSON.parse(stored) as CachedOutcome<T>);
  };

  let hit: CachedOutcome<T> | undefined;
  let lockToken: string | undefined;
  try {
    hit = await read();
    if (hit) return { source: 'cache', outcome: hit };
    const token = randomToken(16);
    if (
      await kv.set(keys.analysisCacheLock(key.engineVersion, key.contentHash), token, {
        ttlMs: options.lockTtlMs,
        onlyIfAbsent: true,
      })
    ) {
      lockToken = token;
      // The previous holder may have stored the result between our read and our lock.
      hit = await read();
      if (hit) return { source: 'cache', outcome: hit };
    }
  } catch (error) {
    log('warn', 'cache_unavailable', describeError(error));
    return { source: 'computed', outcome: await run(compute) };
  } finally {
    if (hit && lockToken) await release(kv, key, lockToken);
  }

  if (lockToken) {
    try {
      const outcome = await run(compute);
      try {
        await kv.set(entryKey, JSON.stringify(outcome), {
          ttlMs: outcome.ok ? options.ttlMs : options.failureTtlMs,
        });
      } catch (error) {
        log('warn', 'cache_write_failed', describeError(error));
      }
      return { source: 'computed', outcome };
    } finally {
      await release(kv, key, lockToken);
    }
  }

  // Someone else is computing: wait for their result, within bounds.
  const deadline = Date.now() + options.waitMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
    try {
      const outcome = await read();
      if (outcome) return { source: 'cache', outcome };
    } catch (error) {
      log('warn', 'cache_unavailable', describeError(error));
      break;
    }
  }
  return { source: 'in_progress' };
}

async function run<T>(compute: () => Promise<T>): Promise<CachedOutcome<T>> {
  try {
    return { ok: true, value: await compute() };
  } catch (error) {
    if (error instanceof DeterministicFailure)
      return { ok: false, error: { code: error.code, message: error.message } };
    throw error;
  }
}

async function release(kv: KvStore, key: CacheKey, token: string): Promise<void> {
  try {
    await kv.deleteIfEquals(keys.analysisCacheLock(key.engineVersion, key.contentHash), token);
  } catch (error) {
    log('warn', 'cache_lock_release_failed', describeError(error)); // the lease expires by itself
  }
}

/** Reads an entry without computing (fails open: undefined when KV is unreachable). */
export async function peekCache<T>(kv: KvStore, key: CacheKey): Promise<CachedOutcome<T> | undefined> {
  try {
    const stored = await kv.get(cacheKeyOf(key));
    return stored === null ? undefined : (JSON.parse(stored) as CachedOutcome<T>);
  } catch (error) {
    log('warn', 'cache_unavailable', describeError(error));
    return undefined;
  }
}

export async function invalidateCacheEntry(kv: KvStore, key: CacheKey): Promise<boolean> {
  return (await kv.del(cacheKeyOf(key))) > 0;
}

/**
 * Remembers that a user's analysis used this entry, so erasure can find it. Checked after the write: if
 * the user was erased meanwhile (a tombstone), the index is removed again rather than outliving them.
 */
export async function trackCacheUse(
  kv: KvStore,
  userId: string,
  key: CacheKey,
  ttlMs = DEFAULT_CACHE_OPTIONS.ttlMs,
): Promise<void> {
  await kv.addToSet(keys.userCacheKeys(userId), [cacheKeyOf(key)], ttlMs);
  if (await wasErased(kv, userId)) await kv.del(keys.userCacheKeys(userId));
}

const erasedKey = async (userId: string) => keys.erasedUser(await sha256Hex(userId));

/** Marks a user as erased for `ttlMs`: writers that finish later (trackCacheUse) remove what they wrote. */
export async function markErased(kv: KvStore, userId: string, ttlMs: number): Promise<void> {
  await kv.set(await erasedKey(userId), '1', { ttlMs });
}

export async function wasErased(kv: KvStore, userId: string): Promise<boolean> {
  return (await kv.get(await erasedKey(userId))) !== null;
}

/**
 * Drops the cache entries a user's analyses used, except those `stillUsed` by anyone else's analyses,
 * and the user's index. Answers how many entries were removed.
 */
export async function invalidateUserCache(
  kv: KvStore,
  userId: string,
  stillUsed: (key: CacheKey) => boolean,
): Promise<number> {
  const entries = await kv.setMembers(keys.userCacheKeys(userId));
  const doomed = entries.filter((entry) => {
    const key = parseAnalysisCacheKey(entry);
    return key !== undefined && !stillUsed(key);
  });
  const removed = doomed.length > 0 ? await kv.del(...doomed) : 0;
  await kv.del(keys.userCacheKeys(userId));
  return removed;
}
