import { config } from '../config';
import { type PresentedToken, readSessionToken } from '../http/cookies';
import { ApiError } from '../http/errors';
import type { KvStore } from '../kv';
import { type Session, validateSession } from './sessions';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type Authenticated = { session: Session; presented: PresentedToken };

/**
 * The request's session, or 401. A cookie-authenticated unsafe request must also come from our own
 * origin (Sec-Fetch-Site, else Origin): SameSite=Lax alone is not CSRF protection. Bearer-token
 * requests are exempt: a browser never attaches a bearer token by itself.
 */
export async function requireSession(request: Request, kv: KvStore): Promise<Authenticated> {
  const presented = readSessionToken(request.headers);
  if (!presented)
    throw new ApiError('unauthorized', 'Sign in first: send the session cookie or a bearer token.', {
      headers: { 'www-authenticate': 'Bearer' },
    });
  if (presented.via === 'cookie' && !SAFE_METHODS.has(request.method.toUpperCase()))
    assertSameOrigin(request);
  const session = await validateSession(kv, presented.token, config().sessions);
  if (!session)
    throw new ApiError('unauthorized', 'The session is invalid or has ended.', {
      headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
    });
  return { session, presented };
}

/** How recent a sign-in must be for what cannot be undone (erasing the account). */
export const RECENT_SIGN_IN_MS = 10 * 60_000;

/** `requireSession`, and the session must be younger than RECENT_SIGN_IN_MS: else 403, sign in again. */
export async function requireRecentSignIn(request: Request, kv: KvStore): Promise<Authenticated> {
  const authenticated = await requireSession(request, kv);
  if (Date.now() - authenticated.session.createdAt > RECENT_SIGN_IN_MS)
    throw new ApiError(
      'forbidden',
      'This needs a recent sign-in: ask for a new sign-in link and try again within 10 minutes.',
    );
  return authenticated;
}

export function assertSameOrigin(request: Request): void {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null) {
    if (site === 'same-origin' || site === 'none') return;
    throw new ApiError('forbidden', 'Cross-site requests cannot use the session cookie.');
  }
  const origin = request.headers.get('origin');
  const allowed = new Set([new URL(request.url).origin, new URL(config().appUrl).origin]);
  if (origin !== null && allowed.has(origin)) return;
  throw new ApiError(
    'forbidden',
    'Cookie-authenticated changes need a same-origin request (Origin or Sec-Fetch-Site).',
  );
}

/**
 * The session if the request carries a usable one: a bearer token (invalid means 401), or a cookie (on an
 * unsafe method only from our own origin). A cookie riding along on a cross-site form post is ignored, not
 * trusted: such a submitter is treated as anonymous.
 */
export async function optionalSession(request: Request, kv: KvStore): Promise<Session | undefined> {
  const presented = readSessionToken(request.headers);
  if (!presented) return undefined;
  if (presented.via === 'cookie' && !SAFE_METHODS.has(request.method.toUpperCase())) {
    try {
      assertSameOrigin(request);
    } catch {
      return undefined;
    }
  }
  const session = await validateSession(kv, presented.token, config().sessions);
  if (!session && presented.via === 'bearer')
    throw new ApiError('unauthorized', 'The session is invalid or has ended.', {
      headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
    });
  return session ?? undefined;
}

/**
 * Refuses what a browser sends cross-site (a form or fetch on another website), unless from a
 * `registered` origin; a request no browser sent (no Sec-Fetch-Site, no Origin: a script) passes.
 */
export function assertNotCrossSite(request: Request, registered: readonly string[]): void {
  const origin = request.headers.get('origin');
  const ours = new Set([new URL(request.url).origin, new URL(config().appUrl).origin]);
  if (origin !== null && (ours.has(origin) || registered.includes(origin.toLowerCase()))) return;
  const site = request.headers.get('sec-fetch-site');
  if (site === 'same-origin' || site === 'none') return;
  if (site === null && origin === null) return;
  throw new ApiError('forbidden', 'This request must come from this site (or a registered form origin).');
}
