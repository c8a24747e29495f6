import { hmacHex } from '../crypto';
import { normaliseEmail } from '../db/email';

/**
 * The key under which a submitter address's unclaimed submissions are kept (an HMAC, never the
 * address). Apart from the intake, so sign-in and erasure do not bundle the engine.
 */
export const submitterHash = (email: string, secret: string): Promise<string> =>
  hmacHex(secret, `submitter\n${normaliseEmail(email)}`);
