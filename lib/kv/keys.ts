/**
 * Every KV key name, in one place. Identifiers in keys are hashes (session token hashes, HMACs of emails
 * and IPs) or internal ids, never personal data in clear. Each key has a TTL set where it is written.
 */
const PREFIX = 'mia';

export const keys = {
  /** Session record, by SHA-256 of the token. TTL: idle timeout, capped by the absolute lifetime. */
  session: (tokenHash: string) => `${PREFIX}:session:${tokenHash}`,
  /** Set of a user's session token hashes. TTL: the absolute session lifetime, renewed on sign-in. */
  userSessions: (userId: string) => `${PREFIX}:user-sessions:${userId}`,
  /** Rolling-window log of one policy for one identifier HMAC. TTL: the window. */
  rateLimit: (policy: string, identifierHash: string) => `${PREFIX}:rl:${policy}:${identifierHash}`,
  /** Cached analysis report (or deterministic failure), by engine version and content hash. TTL: set per entry. */
  analysisCache: (engineVersion: string, contentHash: string) =>
    `${PREFIX}:cache:${engineVersion}:${contentHash}`,
  /** Single-flight lock for computing one cache entry. TTL: the longest computation we allow. */
  analysisCacheLock: (engineVersion: string, contentHash: string) =>
    `${PREFIX}:cache-lock:${engineVersion}:${contentHash}`,
  /** Set of cache keys a user's analyses used, for erasure. TTL: the cache TTL, renewed on use. */
  userCacheKeys: (userId: string) => `${PREFIX}:user-cache:${userId}`,
  /** A pending magic-link sign-in, by SHA-256 of its token. TTL: 15 minutes. */
  loginToken: (tokenHash: string) => `${PREFIX}:login:${tokenHash}`,
  /** Tombstone of a used magic link, so a replay is told "already used". TTL: 15 minutes. */
  loginTokenUsed: (tokenHash: string) => `${PREFIX}:login-used:${tokenHash}`,
  /** Pending magic-link token hashes of one email (HMAC), for erasure. TTL: 15 minutes. */
  loginIndex: (emailHash: string) => `${PREFIX}:login-index:${emailHash}`,
  /**
   * Tombstone of an erased user, by SHA-256 of the user id (the id itself is gone with the user), so
   * writers finishing later remove what they wrote. TTL: the longest a pending analysis can run.
   */
  erasedUser: (userIdHash: string) => `${PREFIX}:erased:${userIdHash}`,
  /** An API key's owner and scopes, by SHA-256 of the key: the hot path's one read. TTL: a minute, purged on revoke. */
  apiKey: (keyHash: string) => `${PREFIX}:api-key:${keyHash}`,
  /** Set when an API key's last use was written to its row, so that happens at most every few minutes. */
  apiKeyUsed: (keyId: string) => `${PREFIX}:api-key-used:${keyId}`,
  /** The one delivery in flight to a webhook endpoint (its id). TTL: a few timeouts. */
  webhookInFlight: (webhookId: string) => `${PREFIX}:webhook-in-flight:${webhookId}`,
  /** A named lock (cron runs). TTL: the holder's lease. */
  lock: (name: string) => `${PREFIX}:lock:${name}`,
  /**
   * A request's Idempotency-Key and its sealed answer, by HMACs of who sent it and of the key. TTL: two
   * minutes while in flight, then 24 hours.
   */
  idempotency: (scopeHash: string, keyHash: string) => `${PREFIX}:idem:${scopeHash}:${keyHash}`,
  /** Where a resumable job stopped. TTL: a week; a lost cursor only restarts the job. */
  jobCursor: (name: string) => `${PREFIX}:cursor:${name}`,
} as const;

/** The engine version and content hash an `analysisCache` key was built from; undefined for other keys. */
export function parseAnalysisCacheKey(
  key: string,
): { engineVersion: string; contentHash: string } | undefined {
  const match = new RegExp(`^${PREFIX}:cache:([^:]+):([^:]+)$`).exec(key);
  return match ? { engineVersion: match[1] as string, contentHash: match[2] as string } : undefined;
}

/** Glob patterns for scans (cleanup). */
export const patterns = {
  analysisCache: `${PREFIX}:cache:*`,
  userSessions: `${PREFIX}:user-sessions:*`,
  all: `${PREFIX}:*`,
} as const;
