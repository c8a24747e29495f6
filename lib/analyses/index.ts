import { optionalCaller } from '../auth/session';
import { config } from '../config';
import type { ApiKeyScope } from '../contracts/scopes';
import { randomToken, sha256Hex, timingSafeEqual } from '../crypto';
import type { Database } from '../db';
import { mailboxOf } from '../db/email';
import { NotFoundError } from '../db/errors';
import {
  claimSubmissions,
  completeAnalysis,
  countAnalysesByContentHash,
  createAnalysis,
  deleteAnalysis,
  failAnalysis,
  getAnalysisById,
  getUserById,
  replaceCapability,
  userHasContent,
} from '../db/queries';
import type { Analysis, AnalysisResult } from '../db/schema';
import {
  AnalysisInputError,
  type AnalysisOptions,
  analyzeCsv,
  canonicalOptions,
  ENGINE_VERSION,
} from '../engine';
import type { RequestContext } from '../http/handler';
import type { KvStore } from '../kv/store';
import { policies, type RateLimitCheck } from '../limits';
import { describeError, log } from '../log';
import {
  type CacheKey,
  DeterministicFailure,
  getOrCompute,
  invalidateCacheEntry,
  peekCache,
  trackCacheUse,
} from './cache';
import type { Viewer } from './present';

export {
  POLL_AFTER_SECONDS,
  presentDetail,
  presentSummary,
  reportPath,
  reportUrlOf,
  statusUrlOf,
  type Viewer,
} from './present';

import { submitterHash } from './submitter';

export { submitterHash };

/**
 * Who submits: a signed-in user (the analysis is theirs), or a form post without a session. The latter
 * never touches an account: the analysis belongs to no user, only to the HMAC of the address given
 * (`submitterHash`), and signing in with that address later claims it.
 */
export type Submitter = { userId: string } | { submitterHash: string };

export type Submission = {
  submitter: Submitter;
  fileName: string;
  bytes: Uint8Array;
  /** The user's analysis options, if any: part of what is analysed, so part of the content hash. */
  options?: AnalysisOptions | undefined;
  /** `analysisInputHash(bytes, options)`, when the caller has it already. */
  contentHash?: string;
  /** A re-run of this analysis (same file, the reader's answers). */
  parentId?: string;
  /** A re-run by a link holder: the parent's capability hash, so the same link reads both. */
  capabilityHash?: string;
  /** Told when the analysis has finished (completed or failed): the result mail. Never fails it. */
  onFinished?: (analysis: Analysis) => Promise<void>;
};
export type Submitted = { analysis: Analysis; capabilityToken: string | null };

/**
 * The limits a submission is under, all or nothing: a signed-in user's own quota; for a form post
 * without a session, the submitter's mailbox, the client address and the mailbox's daily mail ceiling
 * (the link is mailed). Neither kind ever counts against the other's bucket.
 */
export function submissionLimits(
  who: { userId: string } | { email: string },
  ip: string | undefined,
): RateLimitCheck[] {
  if ('userId' in who) return [{ policy: policies.analysisPerUser, identifier: who.userId }];
  const mailbox = mailboxOf(who.email);
  return [
    { policy: policies.analysisPerEmail, identifier: mailbox },
    { policy: policies.analysisPerIp, identifier: ip ?? 'unknown' },
    { policy: policies.mailPerAddress, identifier: mailbox },
  ];
}

/**
 * Stores an analysis for an upload, computed by `background` after the response, single-flight across
 * instances through the cache. A signed-in user who already has this input gets the cached report (or
 * cached failure) at once; anyone else's identical upload is stored pending like any other and completes
 * from the cache in the background, so nobody learns that someone uploaded the same file. An anonymous
 * submission gets a capability token. The file itself is never stored.
 */
export async function submitAnalysis(
  db: Database,
  kv: KvStore,
  submission: Submission,
  background: (work: () => Promise<unknown>) => void,
  requestId: string,
  /** The limits' verdict: the reads below run beside it, and nothing is stored unless it resolves. */
  admitted: Promise<unknown> = Promise.resolve(),
): Promise<Submitted> {
  const contentHash =
    submission.contentHash ?? (await analysisInputHash(submission.bytes, submission.options));
  const key: CacheKey = { engineVersion: ENGINE_VERSION, contentHash };
  const owner = 'userId' in submission.submitter ? submission.submitter.userId : null;
  const capabilityToken = owner || submission.capabilityHash ? null : randomToken(32);
  const base = {
    userId: owner,
    submitterHash: 'submitterHash' in submission.submitter ? submission.submitter.submitterHash : null,
    fileName: submission.fileName.slice(0, 255) || 'upload.csv',
    contentHash,
    sizeBytes: submission.bytes.length,
    analyzerVersion: ENGINE_VERSION,
    capabilityHash: capabilityToken ? await sha256Hex(capabilityToken) : (submission.capabilityHash ?? null),
    parentId: submission.parentId ?? null,
  };
  const reads = owner
    ? Promise.all([peekCache<AnalysisResult>(kv, key), userHasContent(db, owner, contentHash)])
    : Promise.resolve([undefined, false] as const);
  const [, [cached, ownInput]] = await Promise.all([admitted, reads]);
  const hit = ownInput ? cached : undefined;
  const analysis = await createAnalysis(db, {
    ...base,
    ...(hit?.ok === true ? { status: 'completed', result: hit.value } : {}),
    ...(hit?.ok === false ? { status: 'failed', error: hit.error.message, errorCode: hit.error.code } : {}),
  });
  // Bookkeeping for erasure, off the request path; it never fails the submission.
  if (owner)
    background(() =>
      trackCacheUse(kv, owner, key).catch((error) =>
        log('warn', 'cache_track_failed', { requestId, ...describeError(error) }),
      ),
    );
  const finished = (done: Analysis) =>
    submission
      .onFinished?.(done)
      .catch((error) =>
        log('warn', 'result_mail_failed', { requestId, analysisId: done.id, ...describeError(error) }),
      );
  if (hit) background(async () => finished(analysis));
  else
    background(async () => {
      const done = await computeInBackground(
        db,
        kv,
        analysis.id,
        key,
        submission.bytes,
        submission.options,
        requestId,
      );
      if (done) await finished(done);
    });
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

/** Why an analysis has no report when its computation died (an outage, a timeout): retrying may work. */
export const INTERRUPTED = {
  code: 'ANALYSIS_INTERRUPTED',
  message: 'The analysis could not be completed; submit the file again.',
} as const;

/**
 * Runs the engine (once per content across concurrent submissions) and stores the report or the failure;
 * the finished analysis, or undefined when it is gone or nothing could be stored.
 */
async function computeInBackground(
  db: Database,
  kv: KvStore,
  id: string,
  key: CacheKey,
  bytes: Uint8Array,
  options: AnalysisOptions | undefined,
  requestId: string,
): Promise<Analysis | undefined> {
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
    if (result.outcome.ok) return await completeAnalysis(db, id, result.outcome.value);
    return await failAnalysis(db, id, result.outcome.error);
  } catch (error) {
    if (error instanceof NotFoundError) {
      // The analysis was deleted (or its owner erased) while it computed: the report just cached must
      // not outlive it unless another analysis uses it.
      await dropOrphanCacheEntry(db, kv, key).catch((failure) =>
        log('warn', 'cache_invalidate_failed', { requestId, ...describeError(failure) }),
      );
      return undefined;
    }
    log('error', 'analysis_failed', { requestId, analysisId: id, ...describeError(error) });
    // Record the failure if the database still answers; otherwise the cron marks it failed later.
    return await failAnalysis(db, id, INTERRUPTED).catch(() => undefined);
  }
}

/** Removes a cache entry no analysis refers to any more. */
async function dropOrphanCacheEntry(db: Database, kv: KvStore, key: CacheKey): Promise<void> {
  const remaining = await countAnalysesByContentHash(db, [key.contentHash]);
  if ((remaining.get(key.contentHash) ?? 0) === 0) await invalidateCacheEntry(kv, key);
}

export type Readable = { analysis: Analysis; viewer: Viewer };

/**
 * Whether an analysis (`row`, read beside the session by the caller) may be read: by its owner, or a
 * holder of its capability token; NotFoundError for anyone else, and for no row.
 * A token works while its analysis is kept (`retentionMs`). A signed-in reader whose address made an
 * unclaimed submission (`claimant`, asked only then) claims it by opening its link.
 */
export async function readableAnalysis(
  db: Database,
  row: Analysis | undefined,
  reader: {
    userId?: string | undefined;
    accessToken?: string | undefined;
    retentionMs: number;
    claimant?: () => Promise<{ userId: string; submitterHash: string } | undefined>;
  },
): Promise<Readable> {
  const analysis = row;
  if (!analysis) throw new NotFoundError('no such analysis');
  if (reader.userId && analysis.userId === reader.userId) return { analysis, viewer: 'owner' };
  const tokenValid =
    reader.accessToken !== undefined &&
    analysis.capabilityHash !== null &&
    analysis.createdAt.getTime() + reader.retentionMs > Date.now() &&
    timingSafeEqual(await sha256Hex(reader.accessToken), analysis.capabilityHash);
  if (!tokenValid) throw new NotFoundError('no such analysis');
  if (analysis.userId === null && analysis.submitterHash !== null && reader.claimant) {
    const claimant = await reader.claimant();
    if (claimant && claimant.submitterHash === analysis.submitterHash) {
      await claimSubmissions(db, claimant.userId, claimant.submitterHash, analysis.id);
      return { analysis: { ...analysis, userId: claimant.userId, submitterHash: null }, viewer: 'owner' };
    }
  }
  return { analysis, viewer: 'capability' };
}

/**
 * The analysis a request may read: the session and the row at once (one round trip), the row
 * authorised in memory. Opening a submission's link signed in with the address it was made with
 * claims it. NotFoundError for anyone else.
 */
export async function readAnalysisFor(
  request: Request,
  context: RequestContext,
  id: string,
  accessToken: string | undefined,
  scope: ApiKeyScope = 'analyses:read',
): Promise<Readable> {
  const [caller, [db, row]] = await Promise.all([
    optionalCaller(request, context, scope),
    context.db().then(async (db) => [db, await getAnalysisById(db, id)] as const),
  ]);
  const { identifierSecret, analyses } = config();
  // Only a person signed in with the submitter's address claims a submission by opening its link.
  const session = caller?.via === 'session' ? caller.session : undefined;
  return readableAnalysis(db, row, {
    userId: caller?.userId,
    accessToken,
    retentionMs: analyses.retentionMs,
    claimant: session
      ? async () => {
          const user = await getUserById(db, session.userId);
          return (
            user && { userId: user.id, submitterHash: await submitterHash(user.email, identifierSecret) }
          );
        }
      : undefined,
  });
}

/** A new capability token for the owner's analysis: the old link stops working at once. */
export async function renewCapability(db: Database, id: string, userId: string) {
  const token = randomToken(32);
  const analysis = await replaceCapability(db, id, userId, await sha256Hex(token));
  return { analysis, capabilityToken: token };
}

/** Deletes the user's analysis and its cached report when no other analysis uses it. */
export async function removeAnalysis(db: Database, kv: KvStore, id: string, userId: string): Promise<void> {
  const removed = await deleteAnalysis(db, id, userId);
  await dropOrphanCacheEntry(db, kv, {
    engineVersion: removed.analyzerVersion,
    contentHash: removed.contentHash,
  }).catch((error) => log('warn', 'cache_invalidate_failed', describeError(error)));
}
