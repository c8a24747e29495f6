/**
 * The session cookie. `__Host-` makes browsers insist on Secure, Path=/ and no Domain, so no subdomain
 * can set or read it; HttpOnly keeps it from scripts; SameSite=Lax keeps it off cross-site POSTs.
 */
export const SESSION_COOKIE = '__Host-session';

export function sessionCookie(token: string, maxAgeMs: number): string {
  const maxAge = Math.max(0, Math.floor(maxAgeMs / 1000));
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=${maxAge}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
}

/** Cookie header to name -> value; the first occurrence of a name wins (RFC 6265 ordering). */
export function parseCookies(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(index + 1).trim());
  }
  return cookies;
}

export type PresentedToken = { token: string; via: 'bearer' | 'cookie' };

/**
 * The session token a request presents: `Authorization: Bearer` (API clients) first, then the cookie
 * (browsers). `via` matters: only cookie-authenticated unsafe requests need a same-origin check.
 */
export function readSessionToken(headers: Headers): PresentedToken | undefined {
  const authorization = headers.get('authorization');
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (bearer) return { token: bearer, via: 'bearer' };
  const cookie = parseCookies(headers.get('cookie')).get(SESSION_COOKIE);
  return cookie ? { token: cookie, via: 'cookie' } : undefined;
}
