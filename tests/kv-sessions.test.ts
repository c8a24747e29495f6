import { describe, expect, it } from 'vitest';
import {
  createSession,
  listSessions,
  revokeAllSessions,
  revokeSession,
  validateSession,
} from '../lib/auth/sessions';
import { clearedSessionCookie, readSessionToken, SESSION_COOKIE, sessionCookie } from '../lib/http';
import { keys } from '../lib/kv';
import { type CountingKv, countingKv } from '../tools/test-support/counting-kv';
import { kvBackends, unique } from './support/kv';
import { openForSuite } from './support/suite';

const settings = { idleTimeoutMs: 60_000, maxAgeMs: 300_000, touchIntervalMs: 10_000 };

describe.each(kvBackends)('sessions on %s', (_name, open, available) => {
  let kv: CountingKv;
  openForSuite(available, open, (backend) => {
    kv = countingKv(backend.store);
  });

  describe.skipIf(!available)('behaviour', () => {
    it('issues a 256-bit token and keeps only its SHA-256 in KV', async () => {
      const userId = unique('user');
      const { token, session } = await createSession(kv, userId, settings);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(session.id).toMatch(/^[0-9a-f]{64}$/);
      expect(await kv.get(keys.session(session.id))).not.toContain(token);
      expect(await kv.get(keys.session(token))).toBeNull();
      expect(await kv.setMembers(keys.userSessions(userId))).toEqual([session.id]);
      expect(await validateSession(kv, token, settings)).toMatchObject({ userId, id: session.id });
    });

    it('never brings a session back: a "last used" write landing after its revocation writes nothing', async () => {
      const now = Date.now();
      const userId = unique('user');
      const { token, session } = await createSession(kv, userId, settings, now);
      // The touch's read happens, then a logout (or erasure) revokes the session, then the touch writes.
      let revoked: Promise<void> | undefined;
      const racing = new Proxy(kv, {
        get(target, name, receiver) {
          if (name === 'get')
            return async (key: string) => {
              const value = await target.get(key);
              revoked ??= revokeSession(target, session);
              await revoked;
              return value;
            };
          return Reflect.get(target, name, receiver);
        },
      });
      expect(await validateSession(racing, token, settings, now + settings.touchIntervalMs)).toBeNull();
      expect(await kv.get(keys.session(session.id))).toBeNull();
      expect(await kv.setMembers(keys.userSessions(userId))).toEqual([]);
    });

    it('validates with one KV read, and writes "last used" at most once per touch interval', async () => {
      const now = Date.now();
      const { token } = await createSession(kv, unique('user'), settings, now);
      kv.reset();
      for (let i = 0; i < 5; i++) await validateSession(kv, token, settings, now + i * 1_000);
      expect(kv.calls).toEqual({ get: 5 });
      kv.reset();
      const touched = await validateSession(kv, token, settings, now + 10_000);
      expect(kv.calls).toEqual({ get: 1, set: 1 });
      expect(touched?.lastUsedAt).toBe(now + 10_000);
    });

    it('slides the idle timeout with use, and ends at the absolute lifetime regardless', async () => {
      const now = Date.now();
      const { token } = await createSession(kv, unique('user'), settings, now);
      // Used every 50 s: each use is within the 60 s idle timeout of the last recorded use.
      let at = now;
      for (; at + 50_000 < now + settings.maxAgeMs; at += 50_000) {
        expect(await validateSession(kv, token, settings, at)).not.toBeNull();
      }
      expect(await validateSession(kv, token, settings, now + settings.maxAgeMs)).toBeNull();
    });

    it('ends an idle session', async () => {
      const now = Date.now();
      const { token } = await createSession(kv, unique('user'), settings, now);
      expect(await validateSession(kv, token, settings, now + settings.idleTimeoutMs)).toBeNull();
      expect(await validateSession(kv, token, settings, now + 1)).toBeNull(); // gone, not just hidden
    });

    it('refuses malformed and tampered tokens without a lookup for malformed ones', async () => {
      const { token } = await createSession(kv, unique('user'), settings);
      kv.reset();
      expect(await validateSession(kv, 'not-a-token', settings)).toBeNull();
      expect(await validateSession(kv, `${token}x`, settings)).toBeNull();
      expect(kv.total()).toBe(0);
      const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      expect(await validateSession(kv, tampered, settings)).toBeNull();
    });

    it('revokes one session, or all of a user', async () => {
      const userId = unique('user');
      const first = await createSession(kv, userId, settings);
      const second = await createSession(kv, userId, settings);
      const third = await createSession(kv, userId, settings);
      const other = await createSession(kv, unique('user'), settings);
      expect((await listSessions(kv, userId)).map((session) => session.id).sort()).toEqual(
        [first.session.id, second.session.id, third.session.id].sort(),
      );
      await revokeSession(kv, first.session);
      expect(await validateSession(kv, first.token, settings)).toBeNull();
      expect(await validateSession(kv, second.token, settings)).not.toBeNull();
      expect(await revokeAllSessions(kv, userId)).toBe(2);
      expect(await validateSession(kv, second.token, settings)).toBeNull();
      expect(await validateSession(kv, third.token, settings)).toBeNull();
      expect(await kv.setMembers(keys.userSessions(userId))).toEqual([]);
      expect(await validateSession(kv, other.token, settings)).not.toBeNull();
    });

    it('lists live sessions and prunes index entries whose session expired', async () => {
      const userId = unique('user');
      const live = await createSession(kv, userId, settings);
      const dead = await createSession(kv, userId, settings);
      await kv.del(keys.session(dead.session.id));
      expect((await listSessions(kv, userId)).map((session) => session.id)).toEqual([live.session.id]);
      expect(await kv.setMembers(keys.userSessions(userId))).toEqual([live.session.id]);
    });
  });
});

describe('session cookie and bearer helpers', () => {
  it('sets a __Host- cookie that is HttpOnly, Secure, SameSite=Lax, Path=/ and has no Domain', () => {
    const cookie = sessionCookie('abc', 3_600_500);
    expect(cookie).toBe(`${SESSION_COOKIE}=abc; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=3600`);
    expect(cookie).not.toMatch(/Domain/i);
    expect(clearedSessionCookie()).toMatch(/Max-Age=0/);
  });

  it('reads the bearer token first, then the cookie', () => {
    const both = new Headers({ authorization: 'Bearer tok1', cookie: `a=1; ${SESSION_COOKIE}=tok2` });
    expect(readSessionToken(both)).toEqual({ token: 'tok1', via: 'bearer' });
    expect(
      readSessionToken(new Headers({ cookie: `x=y; ${SESSION_COOKIE}=tok2; ${SESSION_COOKIE}=evil` })),
    ).toEqual({
      token: 'tok2',
      via: 'cookie',
    });
    expect(readSessionToken(new Headers({ authorization: 'Basic abc' }))).toBeUndefined();
    expect(readSessionToken(new Headers())).toBeUndefined();
  });
});
