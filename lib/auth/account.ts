import { invalidateCacheEntry, invalidateUserCache, markErased } from '../analyses/cache';
import { presentDetail } from '../analyses/present';
import { submitterHash } from '../analyses/submitter';
import { config } from '../config';
import type { AccountExport, PublicUser } from '../contracts/responses';
import type { Database } from '../db';
import { mailboxOf } from '../db/email';
import { NotFoundError } from '../db/errors';
import {
  apiKeyHashesOf,
  countAnalysesByContentHash,
  deleteUnclaimedSubmissions,
  deleteUser,
  getUserById,
  getUserWithAnalyses,
  listApiKeys,
} from '../db/queries';
import type { User } from '../db/schema';
import type { KvStore } from '../kv/store';
import { policies, resetRateLimits } from '../limits';
import { forgetApiKeys, presentApiKey } from './keys';
import { forgetLoginTokens } from './magic-link';
import { listSessions, presentSession, revokeAllSessions } from './sessions';

export const publicUser = (user: User): PublicUser => ({
  id: user.id,
  email: user.email,
  name: user.name,
  createdAt: user.createdAt.toISOString(),
});

/** Everything held about a user, without secrets (GDPR art. 15 and 20). */
export async function exportAccount(
  db: Database,
  kv: KvStore,
  userId: string,
  currentSessionId: string,
): Promise<AccountExport> {
  const found = await getUserWithAnalyses(db, userId);
  if (!found) throw new NotFoundError('no such user');
  const { analyses, ...user } = found;
  const [sessions, keys] = await Promise.all([listSessions(kv, userId), listApiKeys(db, userId)]);
  return {
    exportedAt: new Date().toISOString(),
    user: publicUser(user),
    analyses: analyses.map((analysis) => presentDetail(analysis, { appUrl: config().appUrl })),
    sessions: sessions
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((session) => presentSession(session, currentSessionId)),
    apiKeys: keys.map(presentApiKey),
  };
}

/**
 * Erasure (GDPR art. 17). A tombstone first, which work of the user's finishing later respects. Then,
 * as order matters for retries: what needs the email (pending sign-in links,
 * rate-limit entries) goes first, then the rows in one transaction, then what is keyed by user id
 * (sessions, the cache index) and cached reports no other analysis uses. A retry after a partial
 * failure finds the user gone and finishes the KV part.
 */
export async function eraseAccount(
  db: Database,
  kv: KvStore,
  userId: string,
  secret: string,
  pendingTimeoutMs: number,
) {
  // First: work of theirs still running (a computation, its cache bookkeeping) cleans up after itself.
  await markErased(kv, userId, pendingTimeoutMs);
  const user = await getUserById(db, userId);
  let removed: { contentHash: string; analyzerVersion: string }[] = [];
  if (user) {
    await forgetLoginTokens(kv, user.email, secret);
    await resetRateLimits(kv, mailboxOf(user.email), secret);
    await resetRateLimits(kv, userId, secret, [policies.analysisPerUser]);
    // Submissions made with the address from forms and never claimed go with it.
    removed = await deleteUnclaimedSubmissions(db, await submitterHash(user.email, secret));
  }
  // The keys' rows go with the user; their cached lookups are tombstoned after.
  const keyHashes = await apiKeyHashesOf(db, userId);
  try {
    removed = [...removed, ...(await deleteUser(db, userId)).analyses];
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  const sessions = await revokeAllSessions(kv, userId);
  await forgetApiKeys(kv, keyHashes);
  const stillUsed = await countAnalysesByContentHash(db, [...new Set(removed.map((row) => row.contentHash))]);
  let cacheEntries = await invalidateUserCache(
    kv,
    userId,
    (key) => (stillUsed.get(key.contentHash) ?? 0) > 0,
  );
  for (const row of removed) {
    if ((stillUsed.get(row.contentHash) ?? 0) > 0) continue;
    if (await invalidateCacheEntry(kv, { engineVersion: row.analyzerVersion, contentHash: row.contentHash }))
      cacheEntries++;
  }
  return { userFound: user !== undefined, analyses: removed.length, sessions, cacheEntries };
}
