import type { SessionInfo } from '../contracts/responses';
import { isToken, randomToken, sha256Hex } from '../crypto';
import { keys } from '../kv/keys';
import type { KvStore } from '../kv/store';

export type SessionSettings = { idleTimeoutMs: number; maxAgeMs: number; touchIntervalMs: number };
type SessionRecord = { userId: string; createdAt: number; lastUsedAt: number; expiresAt: number };
/** A live session. `id` is the SHA-256 of the token: safe to show and log, useless to present. */
export type Session = SessionRecord & { id: string };

const ttlFor = (record: SessionRecord, settings: SessionSettings, now: number) =>
  Math.min(settings.idleTimeoutMs, record.expiresAt - now);

/**
 * Starts a session. KV keeps only the token's hash; the token goes to the client once. The user's index
 * is written first: an index entry without a session is harmless (pruned), a session missing from the
 * index could not be revoked with the others.
 */
export async function createSession(
  kv: KvStore,
  userId: string,
  settings: SessionSettings,
  now = Date.now(),
): Promise<{ token: string; session: Session }> {
  const token = randomToken(32);
  const id = await sha256Hex(token);
  const record: SessionRecord = {
    userId,
    createdAt: now,
    lastUsedAt: now,
    expiresAt: now + settings.maxAgeMs,
  };
  await kv.addToSet(keys.userSessions(userId), [id], settings.maxAgeMs);
  await kv.set(keys.session(id), JSON.stringify(record), { ttlMs: ttlFor(record, settings, now) });
  return { token, session: { ...record, id } };
}

/**
 * The session for a presented token, or null (unknown, malformed, idle too long, past its absolute
 * lifetime, revoked). Normally one KV read; "last used" is written at most once per touch interval,
 * which slides the idle timeout without a write per request.
 */
export async function validateSession(
  kv: KvStore,
  token: string,
  settings: SessionSettings,
  now = Date.now(),
): Promise<Session | null> {
  if (!isToken(token)) return null;
  const id = await sha256Hex(token);
  const stored = await kv.get(keys.session(id));
  if (!stored) return null;
  const record = JSON.parse(stored) as SessionRecord;
  if (now >= record.expiresAt || now - record.lastUsedAt >= settings.idleTimeoutMs) {
    await kv.del(keys.session(id));
    return null;
  }
  if (now - record.lastUsedAt >= settings.touchIntervalMs) {
    record.lastUsedAt = now;
    // XX: a touch landing after a logout or an erasure must not bring the session back.
    const touched = await kv.set(keys.session(id), JSON.stringify(record), {
      ttlMs: ttlFor(record, settings, now),
      onlyIfPresent: true,
    });
    if (!touched) return null;
  }
  return { ...record, id };
}

/** Ends one session by its id (the token hash). */
export async function revokeSession(kv: KvStore, session: Pick<Session, 'id' | 'userId'>): Promise<void> {
  await kv.del(keys.session(session.id));
  await kv.removeFromSet(keys.userSessions(session.userId), [session.id]);
}

/** Ends every session of a user ("log out everywhere", erasure). Answers how many were live. */
export async function revokeAllSessions(kv: KvStore, userId: string): Promise<number> {
  const ids = await kv.setMembers(keys.userSessions(userId));
  const removed = ids.length > 0 ? await kv.del(...ids.map((id) => keys.session(id))) : 0;
  await kv.del(keys.userSessions(userId));
  return removed;
}

/** A user's live sessions (for the account page and data export), dropping index entries that expired. */
export async function listSessions(kv: KvStore, userId: string): Promise<Session[]> {
  const ids = await kv.setMembers(keys.userSessions(userId));
  const stored = await Promise.all(ids.map((id) => kv.get(keys.session(id))));
  const dead = ids.filter((_, index) => stored[index] === null);
  if (dead.length > 0) await kv.removeFromSet(keys.userSessions(userId), dead);
  return ids.flatMap((id, index) => {
    const value = stored[index];
    return value ? [{ ...(JSON.parse(value) as SessionRecord), id }] : [];
  });
}

/** A session is named by the first 12 hex digits of its token hash, never the token. */
export const publicSessionId = (session: Session): string => session.id.slice(0, 12);

/** A session as its user sees it (the list, the data export). */
export const presentSession = (session: Session, currentId: string): SessionInfo => ({
  id: publicSessionId(session),
  createdAt: new Date(session.createdAt).toISOString(),
  lastUsedAt: new Date(session.lastUsedAt).toISOString(),
  expiresAt: new Date(session.expiresAt).toISOString(),
  current: session.id === currentId,
});
