import { ApiError } from './errors';

const EXPOSED = 'Location, Retry-After, RateLimit, RateLimit-Policy, ETag, Idempotent-Replayed';
const REQUEST_HEADERS = 'content-type, authorization, idempotency-key, if-none-match';

/**
 * CORS for functions that pages of registered origins call (their forms post uploads, their scripts
 * poll the report). A registered origin gets CORS headers on every answer, refusals included, so the
 * page can read why. Any other foreign origin gets none; its unsafe requests (a fetch or a plain form
 * post from another site) are refused outright. Same-origin requests and non-browser clients (no
 * Origin) pass untouched.
 */
export function crossOrigin(request: Request, registered: readonly string[]): Headers {
  const origin = request.headers.get('origin');
  const headers = new Headers();
  if (origin === null || origin === new URL(request.url).origin) return headers;
  if (!registered.includes(origin.toLowerCase())) {
    const safe = request.method === 'GET' || request.method === 'HEAD';
    if (safe) return headers;
    throw new ApiError('forbidden', 'This origin may not post here. Ask the site owner to register it.');
  }
  headers.set('access-control-allow-origin', origin);
  headers.set('vary', 'Origin');
  headers.set('access-control-expose-headers', EXPOSED);
  return headers;
}

/** Whether an OPTIONS request is a CORS preflight rather than a client asking what the path allows. */
export const isPreflight = (request: Request): boolean =>
  request.method === 'OPTIONS' &&
  request.headers.has('origin') &&
  request.headers.has('access-control-request-method');

/** The answer to a preflight from a registered origin (`allow`: the methods the function takes). */
export function preflight(request: Request, registered: readonly string[], allow: string): Response {
  const origin = request.headers.get('origin') ?? '';
  if (!registered.includes(origin.toLowerCase()))
    throw new ApiError('forbidden', 'This origin may not call here. Ask the site owner to register it.');
  const headers = crossOrigin(request, registered);
  headers.set('access-control-allow-methods', allow);
  headers.set('access-control-allow-headers', REQUEST_HEADERS);
  headers.set('access-control-max-age', '600');
  headers.set('allow', allow);
  return new Response(null, { status: 204, headers });
}
