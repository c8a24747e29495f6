import { randomToken } from '../crypto';
import { keys } from './keys';
import type { KvStore } from './store';

export type Lock = { readonly name: string; readonly token: string; release(): Promise<boolean> };

/**
 * A lease: SET NX PX with a random token, released only by its holder (compare-and-delete), expiring
 * by itself if the holder dies. Undefined when someone else holds it. For efficiency (no two cron runs
 * doing the same work), not for correctness: work under it must still be idempotent.
 */
export async function acquireLock(kv: KvStore, name: string, leaseMs: number): Promise<Lock | undefined> {
  const token = randomToken(16);
  const key = keys.lock(name);
  if (!(await kv.set(key, token, { ttlMs: leaseMs, onlyIfAbsent: true }))) return undefined;
  return { name, token, release: () => kv.deleteIfEquals(key, token) };
}

export type ScanStep = { keys: string[]; done: boolean };

/**
 * Scans keys matching `pattern` in bounded steps that survive across runs: at most `maxKeys` keys per
 * call, resuming from the cursor stored under `jobName` (kept a week; losing it only restarts the scan).
 */
export async function scanResumable(
  kv: KvStore,
  jobName: string,
  pattern: string,
  options: { maxKeys: number; batch?: number },
): Promise<ScanStep> {
  const cursorKey = keys.jobCursor(jobName);
  let cursor = (await kv.get(cursorKey)) ?? '0';
  const found: string[] = [];
  let started = false;
  while (found.length < options.maxKeys && (!started || cursor !== '0')) {
    started = true;
    const step = await kv.scan(cursor, pattern, options.batch ?? 200);
    found.push(...step.keys);
    cursor = step.cursor;
  }
  if (cursor === '0') await kv.del(cursorKey);
  else await kv.set(cursorKey, cursor, { ttlMs: 7 * 24 * 3600_000 });
  return { keys: found, done: cursor === '0' };
}
