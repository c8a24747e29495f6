import { ApiError } from './errors';

/**
 * CORS for endpoints third-party sites post to. Only listed origins get CORS headers; any other foreign
 * `Origin` (a fetch or a plain form post from another site) is refused. Same-origin requests and
 * non-browser clients (no Origin) pass untouched.
 */
export function crossOrigin(
  request: Request,
  allowedOrigins: readonly string[],
): { headers: Headers; foreign: boolean } {
  const origin = request.headers.get('origin');
  const headers = new Headers();
  if (origin === null || origin === new URL(request.url).origin) return { headers, foreign: false };
  if (!allowedOrigins.includes(origin.toLowerCase())) {
    throw new ApiError('forbidden', 'This origin may not post here. Ask the site owner to register it.');
  }
  headers.set('access-control-allow-origin', origin);
  headers.set('vary', 'Origin');
  headers.set('access-control-expose-headers', 'Location, RateLimit, RateLimit-Policy, Retry-After');
  return { headers, foreign: true };
}

/** The answer to a preflight from an allowed origin; others get 403 and no CORS headers. */
export function preflight(request: Request, allowedOrigins: readonly string[], methods: string): Response {
  const { headers } = crossOrigin(request, allowedOrigins);
  headers.set('access-control-allow-methods', methods);
  headers.set('access-control-allow-headers', 'content-type, authorization');
  headers.set('access-control-max-age', '600');
  headers.set('allow', methods);
  return new Response(null, { status: 204, headers });
}
