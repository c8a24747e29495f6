import type { ApiKeyInfo } from '../contracts/responses';
import type { ApiKeyScope } from '../contracts/scopes';
import { randomToken, sha256Hex } from '../crypto';
import type { Database } from '../db';
import {
  createApiKey,
  deleteApiKey,
  getApiKeyByHash,
  MAX_API_KEYS_PER_USER,
  touchApiKey,
} from '../db/queries';
import type { ApiKey } from '../db/schema';
import { ApiError } from '../http/errors';
import { keys } from '../kv/keys';
import type { KvStore } from '../kv/store';

/** Every key starts so: recognisable in logs and secret scanners, and told apart from session tokens. */
const API_KEY_PREFIX = 'mia_';
/** How long a key's owner and scopes are reused from KV before the row is read again (revocation purges it). */
const CACHE_MS = 60_000;
/** A key's last use is written to its row at most this often. */
const TOUCH_EVERY_MS = 5 * 60_000;

export const isApiKey = (token: string): boolean => token.startsWith(API_KEY_PREFIX);

export type KeyCaller = { keyId: string; userId: string; scopes: ApiKeyScope[] };

/** A new key: 256 random bits, shown once; the row keeps its SHA-256 and its first characters. */
export async function issueApiKey(
  db: Database,
  userId: string,
  name: string,
  scopes: ApiKeyScope[],
): Promise<{ key: string; row: ApiKey }> {
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  const row = await createApiKey(db, {
    userId,
    name,
    prefix: key.slice(0, API_KEY_PREFIX.length + 6),
    hash: await sha256Hex(key),
    scopes: [...new Set(scopes)].sort(),
  });
  if (!row) throw new ApiError('conflict', `You have ${MAX_API_KEYS_PER_USER} API keys: delete one first.`);
  return { key, row };
}

/**
 * Revokes at once: the row goes and its cached lookup becomes a tombstone, so the next request with it
 * fails, and a request that read the row just before cannot cache it again (its write is SET NX).
 */
export async function revokeApiKey(db: Database, kv: KvStore, userId: string, id: string): Promise<void> {
  await forgetApiKeys(kv, [await deleteApiKey(db, userId, id)]);
}

/**
 * Who a key belongs to and what it may do, or undefined for no such key. One KV read on the hot path;
 * on a miss the row, cached for a minute (in the background). Its last use is written now and then.
 * The database is opened only on a miss or for that write: a cached key never waits on it.
 */
export async function resolveApiKey(
  db: () => Promise<Database>,
  kv: KvStore,
  key: string,
  background: (work: () => Promise<unknown>) => void,
): Promise<KeyCaller | undefined> {
  if (!/^mia_[A-Za-z0-9_-]{43}$/.test(key)) return undefined;
  const hash = await sha256Hex(key);
  const cached = await kv.get(keys.apiKey(hash));
  if (cached === REVOKED) return undefined;
  let caller: KeyCaller | undefined = cached ? (JSON.parse(cached) as KeyCaller) : undefined;
  if (!caller) {
    const row = await getApiKeyByHash(await db(), hash);
    if (!row) return undefined;
    caller = { keyId: row.id, userId: row.userId, scopes: row.scopes };
    const entry = JSON.stringify(caller);
    background(() => kv.set(keys.apiKey(hash), entry, { ttlMs: CACHE_MS, onlyIfAbsent: true }));
  }
  const { keyId } = caller;
  background(async () => {
    if (await kv.set(keys.apiKeyUsed(keyId), '1', { ttlMs: TOUCH_EVERY_MS, onlyIfAbsent: true }))
      await touchApiKey(await db(), keyId);
  });
  return caller;
}

const REVOKED = 'revoked';

/** Tombstones the cached lookups of revoked keys for longer than any cached entry lives. */
export async function forgetApiKeys(kv: KvStore, hashes: string[]): Promise<void> {
  await Promise.all(hashes.map((hash) => kv.set(keys.apiKey(hash), REVOKED, { ttlMs: 2 * CACHE_MS })));
}

export const presentApiKey = (row: ApiKey): ApiKeyInfo => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  scopes: row.scopes,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
});
