import { ApiError } from './errors';

/** The field a third-party form names to send the browser back to its own page. */
export const REDIRECT_FIELD = 'redirect';
/** A field humans never see or fill; bots do. Named in the README for site owners. */
export const HONEYPOT_FIELD = 'website';

/**
 * The form's redirect target, only if its host is allowed (no open redirect) and, when deployed, over
 * https (a plain-http page would expose the link on the way): otherwise 400.
 */
export function formRedirect(
  value: string | undefined,
  allowedHosts: readonly string[],
  httpsOnly = false,
): URL | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ApiError('bad_request', 'redirect: not an absolute URL.');
  }
  if (httpsOnly && url.protocol !== 'https:')
    throw new ApiError('bad_request', 'redirect: must be an https URL.');
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    !allowedHosts.includes(url.host.toLowerCase())
  ) {
    throw new ApiError('bad_request', 'redirect: this host is not allowed; ask the service to register it.');
  }
  return url;
}

/** 303 to `target` with `params` appended to its query, and `secret` ones in its fragment. */
export function redirectWith(
  target: URL,
  params: Record<string, string>,
  headers: HeadersInit = {},
  secret: Record<string, string> = {},
): Response {
  const url = new URL(target);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  if (Object.keys(secret).length > 0) url.hash = new URLSearchParams(secret).toString();
  const out = new Headers(headers);
  out.set('location', url.toString());
  out.set('cache-control', 'no-store');
  return new Response(null, { status: 303, headers: out });
}
