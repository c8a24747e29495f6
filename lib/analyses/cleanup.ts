import { listSessions } from '../auth/sessions';
import type { CleanupSummary } from '../contracts/responses';
import type { Database } from '../db';
import { contentHashesInUse, deleteAnalysesCreatedBefore, failStalePending } from '../db/queries';
import { ENGINE_VERSION } from '../engine';
import { keys, parseAnalysisCacheKey, patterns } from '../kv/keys';
import { acquireLock, scanResumable } from '../kv/locks';
import type { KvStore } from '../kv/store';

export type CleanupOptions = {
  pendingTimeoutMs: number;
  retentionMs: number;
  budgetMs: number;
  batch: number;
  now?: number;
};

/** What a run did: the response contract's shape. */
export type { CleanupSummary } from '../contracts/responses';

const LOCK = 'cron-cleanup';

/**
 * The daily cleanup. Vercel crons may overlap and may be delivered twice, so: a KV lease keeps runs
 * apart, every step is idempotent, and each stops within the time budget, keeping its cursor for the
 * next run. Steps: stale pending analyses fail; analyses past retention go (GDPR storage limitation);
 * cache entries of other engine versions or of no remaining analysis go; session indexes are pruned.
 */
export async function runCleanup(
  db: Database,
  kv: KvStore,
  options: CleanupOptions,
): Promise<CleanupSummary> {
  const summary: CleanupSummary = {
    ran: false,
    staleMarkedFailed: 0,
    expiredAnalysesDeleted: 0,
    cacheEntriesRemoved: 0,
    sessionIndexesPruned: 0,
    complete: false,
  };
  const lock = await acquireLock(kv, LOCK, options.budgetMs + 30_000);
  if (!lock) return { ...summary, reason: 'another cleanup run holds the lock' };
  summary.ran = true;
  const started = Date.now();
  const now = options.now ?? Date.now();
  const inBudget = () => Date.now() - started < options.budgetMs;
  try {
    summary.staleMarkedFailed = await failStalePending(
      db,
      new Date(now - options.pendingTimeoutMs),
      options.batch,
      { code: 'ANALYSIS_TIMED_OUT', message: 'The analysis did not finish in time; submit the file again.' },
    );

    let retentionDone = false;
    while (inBudget()) {
      const deleted = await deleteAnalysesCreatedBefore(
        db,
        new Date(now - options.retentionMs),
        options.batch,
      );
      summary.expiredAnalysesDeleted += deleted.length;
      if (deleted.length < options.batch) {
        retentionDone = true;
        break;
      }
    }

    // Scans go in bounded steps; each keeps its cursor in KV, so the next run resumes where this one stopped.
    const drainScan = async (job: string, pattern: string, handle: (keys: string[]) => Promise<void>) => {
      while (inBudget()) {
        const step = await scanResumable(kv, job, pattern, { maxKeys: options.batch });
        await handle(step.keys);
        if (step.done) return true;
      }
      return false;
    };

    const cacheDone = await drainScan('cleanup-cache', patterns.analysisCache, async (found) => {
      const parsed = found.map((key) => {
        const { engineVersion = '', contentHash = '' } = parseAnalysisCacheKey(key) ?? {};
        return { key, version: engineVersion, hash: contentHash };
      });
      const used = await contentHashesInUse(db, [...new Set(parsed.map((entry) => entry.hash))]);
      const doomed = parsed
        .filter((entry) => entry.version !== ENGINE_VERSION || !used.has(`${entry.version}:${entry.hash}`))
        .map((entry) => entry.key);
      if (doomed.length > 0) summary.cacheEntriesRemoved += await kv.del(...doomed);
    });

    const sessionsDone = await drainScan('cleanup-sessions', patterns.userSessions, async (found) => {
      for (const key of found) {
        await listSessions(kv, key.slice(keys.userSessions('').length)); // drops members whose session expired
        summary.sessionIndexesPruned++;
      }
    });
    summary.complete = retentionDone && cacheDone && sessionsDone;
    return summary;
  } finally {
    await lock.release();
  }
}
