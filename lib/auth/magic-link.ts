import { hmacHex, isToken, randomToken, sha256Hex } from '../crypto';
import { keys } from '../kv/keys';
import type { KvStore } from '../kv/store';

export const LOGIN_TOKEN_TTL_MS = 15 * 60_000;

const emailKey = async (email: string, secret: string) => hmacHex(secret, `login\n${email}`);

/**
 * A single-use sign-in token for `email`, valid 15 minutes. KV keeps only the token's hash; a per-email
 * index (keyed by an HMAC of the email) lets erasure remove pending tokens.
 */
export async function issueLoginToken(kv: KvStore, email: string, secret: string): Promise<string> {
  const token = randomToken(32);
  const hash = await sha256Hex(token);
  await kv.addToSet(keys.loginIndex(await emailKey(email, secret)), [hash], LOGIN_TOKEN_TTL_MS);
  await kv.set(keys.loginToken(hash), JSON.stringify({ email, issuedAt: Date.now() }), {
    ttlMs: LOGIN_TOKEN_TTL_MS,
  });
  return token;
}

export type ConsumedLogin = { ok: true; email: string } | { ok: false; reason: 'used' | 'invalid' };

/** Takes the token atomically (GETDEL): of concurrent or repeated uses, exactly one succeeds. */
export async function consumeLoginToken(kv: KvStore, token: string): Promise<ConsumedLogin> {
  if (!isToken(token)) return { ok: false, reason: 'invalid' };
  const hash = await sha256Hex(token);
  const stored = await kv.take(keys.loginToken(hash));
  if (stored === null) {
    return { ok: false, reason: (await kv.get(keys.loginTokenUsed(hash))) !== null ? 'used' : 'invalid' };
  }
  await kv.set(keys.loginTokenUsed(hash), '1', { ttlMs: LOGIN_TOKEN_TTL_MS });
  return { ok: true, email: (JSON.parse(stored) as { email: string }).email };
}

/** Removes an email's pending sign-in tokens (erasure). */
export async function forgetLoginTokens(kv: KvStore, email: string, secret: string): Promise<void> {
  const index = keys.loginIndex(await emailKey(email, secret));
  const hashes = await kv.setMembers(index);
  await kv.del(index, ...hashes.map((hash) => keys.loginToken(hash)));
}
