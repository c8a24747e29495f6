import { hmacHex, isToken, randomToken, sha256Hex } from '../crypto';
import { mailboxOf } from '../db/email';
import { keys } from '../kv/keys';
import type { KvStore } from '../kv/store';
import { policies, type RateLimitCheck } from '../limits';

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

export type LoginTokenState = 'valid' | 'used' | 'invalid';
export type ConsumedLogin = { ok: true; email: string } | { ok: false; reason: 'used' | 'invalid' };

/**
 * What a token is, without using it: opening a link (a person, or a mail scanner's GET or HEAD) consumes
 * nothing; only the confirmation does.
 */
export async function peekLoginToken(kv: KvStore, token: string): Promise<LoginTokenState> {
  if (!isToken(token)) return 'invalid';
  const hash = await sha256Hex(token);
  if ((await kv.get(keys.loginToken(hash))) !== null) return 'valid';
  return (await kv.get(keys.loginTokenUsed(hash))) !== null ? 'used' : 'invalid';
}

/**
 * Takes the token atomically, leaving its tombstone: of concurrent or repeated uses, exactly one succeeds. A sign-in
 * also ends the address's other outstanding links.
 */
export async function consumeLoginToken(kv: KvStore, token: string, secret: string): Promise<ConsumedLogin> {
  if (!isToken(token)) return { ok: false, reason: 'invalid' };
  const hash = await sha256Hex(token);
  // One step: of 20 concurrent confirmations one signs in, and the other 19 are told "already used".
  const taken = await kv.takeOnce(keys.loginToken(hash), keys.loginTokenUsed(hash), LOGIN_TOKEN_TTL_MS);
  if (!('value' in taken)) return { ok: false, reason: taken.used ? 'used' : 'invalid' };
  const { email } = JSON.parse(taken.value) as { email: string };
  await forgetLoginTokens(kv, email, secret);
  return { ok: true, email };
}

/** Removes an email's pending sign-in tokens (after a sign-in, logout everywhere, erasure). */
export async function forgetLoginTokens(kv: KvStore, email: string, secret: string): Promise<void> {
  const index = keys.loginIndex(await emailKey(email, secret));
  const hashes = await kv.setMembers(index);
  await kv.del(index, ...hashes.map((hash) => keys.loginToken(hash)));
}

/**
 * The limits a sign-in request is under, all or nothing: per mailbox (`a.b+1@gmail.com` is
 * `ab@gmail.com`), per client address, and the mailbox's daily ceiling on all mail the service sends.
 */
export function signInLimits(email: string, ip: string | undefined): RateLimitCheck[] {
  const mailbox = mailboxOf(email);
  return [
    { policy: policies.loginPerEmail, identifier: mailbox },
    { policy: policies.loginPerIp, identifier: ip ?? 'unknown' },
    { policy: policies.mailPerAddress, identifier: mailbox },
  ];
}
