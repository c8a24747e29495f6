import {
  AnalysisInputError,
  type AnalysisOptions,
  analyzeCsv,
  canonicalOptions,
  ENGINE_VERSION,
} from '../analysis';
import { randomToken, sha256Hex, timingSafeEqual } from '../crypto';
import type { Database } from '../db';
import { NotFoundError } from '../db/errors';
import {
  completeAnalysis,
  countAnalysesByContentHash,
  createAnalysis,
  deleteAnalysis,
  failAnalysis,
  getAnalysisById,
} from '../db/queries';
import type { Analysis, AnalysisResult } from '../db/schema';
import { describeError, log } from '../http/log';
import {
  type CacheKey,
  DeterministicFailure,
  getOrCompute,
  invalidateCacheEntry,
  peekCache,
  trackCacheUse,
} from '../kv/cache';
import type { KvStore } from '../kv/store';

export { presentAnalysis } from './present';

export type Submission = {
  userId: string;
  fileName: string;
  bytes: Uint8Array;
  /** The user's analysis options, if any: part of what is analysed, so part of the content hash. */
  options?: AnalysisOptions | undefined;
  anonymous: boolean;
};
export type Submitted = { analysis: Analysis; capabilityToken: string | null };

/**
 * Stores an analysis for an upload. A cached report (or cached deterministic failure) for the same bytes
 * and engine finishes it at once; otherwise it is stored pending and computed by `background` after the
 * response, single-flight across instances through the cache. The file itself is never stored.
 */
export async function submitAnalysis(
  db: Database,
  kv: KvStore,
  submission: Submission,
  background: (work: Promise<unknown>) => void,
  requestId: string,
): Promise<Submitted> {
  const contentHash = await analysisInputHash(submission.bytes, submission.options);
  const key: CacheKey = { engineVersion: ENGINE_VERSION, contentHash };
  const capabilityToken = submission.anonymous ? randomToken(32) : null;
  const base = {
    userId: submission.userId,
    fileName: submission.fileName.slice(0, 255) || 'upload.csv',
    contentHash,
    sizeBytes: submission.bytes.length,
    analyzerVersion: ENGINE_VERSION,
    capabilityHash: capabilityToken ? await sha256Hex(capabilityToken) : null,
  };
  const cached = await peekCache<AnalysisResult>(kv, key);
  const now = new Date();
  const analysis = await createAnalysis(db, {
    ...base,
    ...(cached?.ok === true ? { status: 'completed', result: cached.value, completedAt: now } : {}),
    ...(cached?.ok === false ? { status: 'failed', error: cached.error.message, completedAt: now } : {}),
  });
  // Bookkeeping for erasure, off the request path; it never fails the submission.
  background(
    trackCacheUse(kv, submission.userId, key).catch((error) =>
      log('warn', 'cache_track_failed', { requestId, ...describeError(error) }),
    ),
  );
  if (!cached)
    background(
      computeInBackground(db, kv, analysis.id, key, submission.bytes, submission.options, requestId),
    );
  return { analysis, capabilityToken };
}

/**
 * What identifies an analysis input: the file's SHA-256, or with options, the SHA-256 of the file's hash
 * and the options in canonical form (keys sorted at every level), so reports for the same file under
 * different options never share a cache entry, and equal options in another key order do.
 */
export async function analysisInputHash(bytes: Uint8Array, options?: AnalysisOptions): Promise<string> {
  const fileHash = await sha256Hex(bytes);
  const canonical = options ? canonicalOptions(options) : '';
  if (canonical === '') return fileHash;
  return sha256Hex(new TextEncoder().encode(`${fileHash}\n${canonical}`));
}

/** Runs the engine (once per content across concurrent submissions) and stores the report or the failure. */
async function computeInBackground(
  db: Database,
  kv: KvStore,
  id: string,
  key: CacheKey,
  bytes: Uint8Array,
  options: AnalysisOptions | undefined,
  requestId: string,
) {
  const compute = async (): Promise<AnalysisResult> => {
    log('info', 'analysis_computed', { requestId, analysisId: id, bytes: bytes.length });
    try {
      return (await analyzeCsv(bytes, options ?? {})) as unknown as AnalysisResult;
    } catch (error) {
      if (error instanceof AnalysisInputError) throw new DeterministicFailure(error.code, error.message);
      // The engine is pure: any other failure recurs for the same input, so it is cached like one.
      log('error', 'analysis_engine_failed', { requestId, analysisId: id, ...describeError(error) });
      throw new DeterministicFailure(
        'ANALYSIS_FAILED',
        'The analysis of this file failed in the engine; we have been notified. Check the export, or send it to support.',
      );
    }
  };
  try {
    let result = await getOrCompute<AnalysisResult>(kv, key, compute);
    // The winner is still computing after the wait: compute here rather than leave this one pending.
    if (result.source === 'in_progress')
      result = { source: 'computed', outcome: { ok: true, value: await compute() } };
    if (result.outcome.ok) await completeAnalysis(db, id, result.outcome.value);
    else await failAnalysis(db, id, result.outcome.error.message);
  } catch (error) {
    if (error instanceof NotFoundError) {
      // The analysis was deleted (or its owner erased) while it computed: the report just cached must
      // not outlive it unless another analysis uses it.
      await dropOrphanCacheEntry(db, kv, key).catch((failure) =>
        log('warn', 'cache_invalidate_failed', { requestId, ...describeError(failure) }),
      );
      return;
    }
    log('error', 'analysis_failed', { requestId, analysisId: id, ...describeError(error) });
    // Record the failure if the database still answers; otherwise the cron marks it failed later.
    await failAnalysis(db, id, 'The analysis could not be completed; submit the file again.').catch(() => {});
  }
}

/** Removes a cache entry no analysis refers to any more. */
async function dropOrphanCacheEntry(db: Database, kv: KvStore, key: CacheKey): Promise<void> {
  const remaining = await countAnalysesByContentHash(db, [key.contentHash]);
  if ((remaining.get(key.contentHash) ?? 0) === 0) await invalidateCacheEntry(kv, key);
}

/** An analysis its owner, or a holder of its capability token, may read; NotFoundError for anyone else. */
export async function readableAnalysis(
  db: Database,
  id: string,
  reader: { userId?: string; accessToken?: string },
): Promise<Analysis> {
  const analysis = await getAnalysisById(db, id);
  if (!analysis) throw new NotFoundError('no such analysis');
  if (reader.userId && analysis.userId === reader.userId) return analysis;
  if (
    reader.accessToken &&
    analysis.capabilityHash &&
    timingSafeEqual(await sha256Hex(reader.accessToken), analysis.capabilityHash)
  ) {
    return analysis;
  }
  throw new NotFoundError('no such analysis');
}

/** Deletes the user's analysis and its cached report when no other analysis uses it. */
export async function removeAnalysis(db: Database, kv: KvStore, id: string, userId: string): Promise<void> {
  const removed = await deleteAnalysis(db, id, userId);
  await dropOrphanCacheEntry(db, kv, {
    engineVersion: removed.analyzerVersion,
    contentHash: removed.contentHash,
  }).catch((error) => log('warn', 'cache_invalidate_failed', describeError(error)));
}
