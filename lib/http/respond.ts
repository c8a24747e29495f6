import { base64url } from '../crypto';

/** JSON response with `no-store` by default: most of what this API returns is personal or live. */
export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  if (!headers.has('content-type')) headers.set('content-type', 'application/json; charset=utf-8');
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
  return new Response(JSON.stringify(body), { ...init, headers });
}

/**
 * JSON that does not change once written (a finished report): a strong ETag from its bytes, the
 * client's `If-None-Match` answered 304 without the body, and `cacheControl` for reuse.
 */
export async function cacheableJson(
  request: Request,
  body: unknown,
  cacheControl: string,
): Promise<Response> {
  const text = JSON.stringify(body);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  const etag = `"${base64url(digest.subarray(0, 18))}"`;
  const headers = new Headers({ etag, 'cache-control': cacheControl, vary: 'Authorization, Cookie' });
  const match = request.headers.get('if-none-match');
  if (match !== null && ifNoneMatchHits(match, etag)) return new Response(null, { status: 304, headers });
  headers.set('content-type', 'application/json; charset=utf-8');
  return new Response(text, { headers });
}

/** RFC 9110: `*`, or any listed tag equal under weak comparison. */
const ifNoneMatchHits = (header: string, etag: string) =>
  header.trim() === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
