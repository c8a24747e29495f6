import { hmacHex } from '../crypto';
import { ApiError } from '../http/errors';
import { keys } from '../kv/keys';
import type { KvStore } from '../kv/store';

export type RateLimitPolicy = Readonly<{ name: string; limit: number; windowMs: number }>;

const HOUR = 3600_000;

/** The named policies. Windows roll: an attempt counts for exactly `windowMs` after it was admitted. */
export const policies = {
  /** The product rule for signed-in users: 5 analyses per user per rolling 24 hours. */
  analysisPerUser: { name: 'analysis-user', limit: 5, windowMs: 24 * HOUR },
  /** Uploads through one API key (besides its owner's quota): a leaked key cannot spend a day at once. */
  analysisPerKey: { name: 'analysis-key', limit: 3, windowMs: HOUR },
  /** The same for form posts without a session, per submitter mailbox (see `mailboxOf`). */
  analysisPerEmail: { name: 'analysis-email', limit: 5, windowMs: 24 * HOUR },
  /** Form posts without a session, per client IP. */
  analysisPerIp: { name: 'analysis-ip', limit: 30, windowMs: HOUR },
  /** Magic-link requests, per mailbox. */
  loginPerEmail: { name: 'login-email', limit: 5, windowMs: HOUR / 4 },
  // Generous: a factory's staff often share one NAT address at shift start.
  loginPerIp: { name: 'login-ip', limit: 100, windowMs: HOUR / 4 },
  /**
   * Re-runs of one analysis with the reader's answers (the same file): not upload quota, but bounded,
   * per analysis re-run.
   */
  rerunPerAnalysis: { name: 'rerun-analysis', limit: 20, windowMs: 24 * HOUR },
  /** Every mail the service sends to one mailbox (sign-in links and results), per rolling day. */
  mailPerAddress: { name: 'mail-address', limit: 12, windowMs: 24 * HOUR },
} as const satisfies Record<string, RateLimitPolicy>;

export type RateLimitResult = Readonly<{
  policy: RateLimitPolicy;
  allowed: boolean;
  remaining: number;
  /** Epoch ms at which the next unit of quota frees up (now, if some is left and none is used). */
  resetAt: number;
  /** For a denied attempt, how long until one would be admitted. */
  retryAfterMs: number;
}>;

/**
 * Keys are HMACs of policy and identifier: emails and IPs are personal data, and a plain hash of an
 * email is reversible by guessing. IPv6 clients are limited per /64, which one subscriber usually holds.
 */
async function identifierKey(policy: RateLimitPolicy, identifier: string, secret: string): Promise<string> {
  return keys.rateLimit(
    policy.name,
    await hmacHex(secret, `${policy.name}\n${normaliseIdentifier(identifier)}`),
  );
}

export function normaliseIdentifier(identifier: string): string {
  const value = identifier.trim().toLowerCase();
  if (!value.includes(':') || value.includes('@')) return value;
  const groups = expandIpv6(value);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : value;
}

function expandIpv6(address: string): string[] | undefined {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  if (right.at(-1)?.includes('.')) return undefined; // IPv4-mapped: the caller's IPv4 part is the identity
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) => group.padStart(4, '0'));
}

const result = (
  policy: RateLimitPolicy,
  state: { allowed: boolean; count: number; oldestMs: number | null },
  now: number,
): RateLimitResult => {
  const resetAt = state.oldestMs === null ? now : state.oldestMs + policy.windowMs;
  return {
    policy,
    allowed: state.allowed,
    remaining: Math.max(0, policy.limit - state.count),
    resetAt,
    retryAfterMs: state.allowed ? 0 : Math.max(0, resetAt - now),
  };
};

/** A limit a request is under: a policy, and whom it counts (an email, an IP, a user id). */
export type RateLimitCheck = Readonly<{ policy: RateLimitPolicy; identifier: string }>;

/**
 * One attempt under every limit that applies to a request, all or nothing: admitted only when each
 * admits it, and a refused attempt uses no quota anywhere (an exhausted IP cannot spend an email's
 * quota, nor the reverse). One KV round trip, atomic under concurrency. KV failure throws
 * KvUnavailableError: the caller fails closed (503).
 */
export async function checkRateLimits(
  kv: KvStore,
  checks: readonly RateLimitCheck[],
  secret: string,
  now = Date.now(),
): Promise<RateLimitResult[]> {
  const logs = await Promise.all(
    checks.map(async ({ policy, identifier }) => ({
      key: await identifierKey(policy, identifier, secret),
      limit: policy.limit,
      windowMs: policy.windowMs,
    })),
  );
  const state = await kv.hitSlidingWindows(logs, { nowMs: now, member: `${now}:${crypto.randomUUID()}` });
  return checks.map(({ policy }, i) =>
    result(
      policy,
      { allowed: state.allowed, ...(state.logs[i] as { count: number; oldestMs: number | null }) },
      now,
    ),
  );
}

/** One attempt under one policy (see `checkRateLimits`). */
export async function checkRateLimit(
  kv: KvStore,
  policy: RateLimitPolicy,
  identifier: string,
  secret: string,
  now = Date.now(),
): Promise<RateLimitResult> {
  const [single] = await checkRateLimits(kv, [{ policy, identifier }], secret, now);
  return single as RateLimitResult;
}

/** The quota left, without using any. */
export async function peekRateLimit(
  kv: KvStore,
  policy: RateLimitPolicy,
  identifier: string,
  secret: string,
  now = Date.now(),
): Promise<RateLimitResult> {
  const key = await identifierKey(policy, identifier, secret);
  const state = await kv.peekSlidingWindow(key, policy.windowMs, now);
  return result(policy, { ...state, allowed: state.count < policy.limit }, now);
}

/** Forgets an identifier's attempts under the given policies (erasure). */
export async function resetRateLimits(
  kv: KvStore,
  identifier: string,
  secret: string,
  limits: readonly RateLimitPolicy[] = Object.values(policies),
): Promise<void> {
  const targets = await Promise.all(limits.map((policy) => identifierKey(policy, identifier, secret)));
  await kv.del(...targets);
}

/**
 * Every limit of a request, all or nothing: the `RateLimit` headers to send with the answer, or 429
 * with them (and `Retry-After`). The one way a route limits.
 */
export async function enforceLimits(
  kv: KvStore,
  checks: readonly RateLimitCheck[],
  secret: string,
  refusal: string,
): Promise<Headers> {
  const results = await checkRateLimits(kv, checks, secret);
  const headers = rateLimitHeaders(results);
  if (results.some((result) => !result.allowed)) throw new ApiError('rate_limited', refusal, { headers });
  return headers;
}

/**
 * `RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers) for the checks a request
 * went through, and `Retry-After` when one denied it. Seconds are rounded up, so a client that waits
 * `t` is admitted.
 */
export function rateLimitHeaders(results: readonly RateLimitResult[], now = Date.now()): Headers {
  const headers = new Headers();
  if (results.length === 0) return headers;
  const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));
  headers.set(
    'ratelimit-policy',
    results
      .map(({ policy }) => `"${policy.name}";q=${policy.limit};w=${seconds(policy.windowMs)}`)
      .join(', '),
  );
  headers.set(
    'ratelimit',
    results
      .map((result) => `"${result.policy.name}";r=${result.remaining};t=${seconds(result.resetAt - now)}`)
      .join(', '),
  );
  const denied = results.filter((result) => !result.allowed);
  if (denied.length > 0)
    headers.set('retry-after', String(Math.max(...denied.map((result) => seconds(result.retryAfterMs)))));
  return headers;
}
