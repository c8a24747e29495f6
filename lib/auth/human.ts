import { config } from '../config';
import { ApiError } from '../http/errors';

/** The form field Cloudflare's Turnstile widget fills with its token. */
export const HUMAN_CHECK_FIELD = 'cf-turnstile-response';

/**
 * The optional human check (Cloudflare Turnstile, server-side verify), on when TURNSTILE_SECRET_KEY is
 * set: a request without a passed check is refused with 403 before it costs anything. Off by default.
 */
export async function verifyHuman(token: string | undefined, ip: string | undefined): Promise<void> {
  const settings = config().humanCheck;
  if (!settings) return;
  if (!token) throw new ApiError('forbidden', `Complete the human check (${HUMAN_CHECK_FIELD}).`);
  const form = new URLSearchParams({ secret: settings.secret, response: token });
  if (ip) form.set('remoteip', ip);
  let passed = false;
  try {
    const response = await fetch(settings.verifyUrl, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(5_000),
    });
    passed = response.ok && ((await response.json()) as { success?: unknown }).success === true;
  } catch {
    throw new ApiError('unavailable', 'The human check could not be verified; try again.');
  }
  if (!passed) throw new ApiError('forbidden', 'The human check did not pass; try again.');
}
