import type { RateLimitResult } from './index';

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
