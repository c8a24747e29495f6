import { config } from '../config';
import type { ApiKeyScope } from '../contracts/scopes';
import { type PresentedToken, readSessionToken } from '../http/cookies';
import { ApiError } from '../http/errors';
import type { RequestContext } from '../http/handler';
import type { KvStore } from '../kv';
import { isApiKey, type KeyCaller, resolveApiKey } from './keys';
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
  if (presented.via === 'bearer' && isApiKey(presented.token)) throw keyNotHere();
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
  if (presented.via === 'bearer' && isApiKey(presented.token)) throw keyNotHere();
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

/** An API key where only a person's session may go (account, keys, webhooks). */
const keyNotHere = () =>
  new ApiError('forbidden', 'API keys reach the analyses routes only; sign in for account settings.');

/** Who calls an analyses route: a person's session, or a machine's API key with its scopes. */
export type Caller =
  | { userId: string; via: 'session'; session: Session }
  | { userId: string; via: 'key'; key: KeyCaller };

/** What resolving a caller reaches of the request's context. */
type CallerContext = Pick<RequestContext, 'db' | 'kv' | 'waitUntil'>;

/**
 * The caller of an analyses route: an API key (`Authorization: Bearer mia_...`) that has `scope`, else
 * the session as `optionalSession` reads it; undefined when the request carries neither. An unknown or
 * revoked key is 401, a key without the scope 403.
 */
export async function optionalCaller(
  request: Request,
  context: CallerContext,
  scope: ApiKeyScope,
): Promise<Caller | undefined> {
  const presented = readSessionToken(request.headers);
  if (presented?.via === 'bearer' && isApiKey(presented.token)) {
    const key = await resolveApiKey(context.db, context.kv(), presented.token, context.waitUntil);
    if (!key)
      throw new ApiError('unauthorized', 'The API key is unknown or was revoked.', {
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      });
    if (!key.scopes.includes(scope))
      throw new ApiError('forbidden', `This API key lacks the scope ${scope}.`, {
        headers: { 'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"` },
      });
    return { userId: key.userId, via: 'key', key };
  }
  const session = await optionalSession(request, context.kv());
  return session && { userId: session.userId, via: 'session', session };
}

/** `optionalCaller`, and 401 without one. */
export async function requireCaller(
  request: Request,
  context: CallerContext,
  scope: ApiKeyScope,
): Promise<Caller> {
  const caller = await optionalCaller(request, context, scope);
  if (caller) return caller;
  const { session } = await requireSession(request, context.kv()); // throws the 401 for no credentials
  return { userId: session.userId, via: 'session', session };
}
