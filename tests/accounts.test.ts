import { request as httpRequest } from 'node:http';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisInputHash, submissionLimits, submitAnalysis } from '../lib/analyses';
import { trackCacheUse } from '../lib/analyses/cache';
import { eraseAccount } from '../lib/auth/account';
import { signInLimits } from '../lib/auth/magic-link';
import { createSession, listSessions } from '../lib/auth/sessions';
import { config } from '../lib/config';
import { queryRows } from '../lib/db';
import { createAnalysis } from '../lib/db/queries';
import { patterns } from '../lib/kv';
import { checkRateLimits, type RateLimitCheck } from '../lib/limits';
import { loadRewrites } from '../tools/dev/routes';
import { PROJECT_ROOT } from '../tools/paths';
import { getUserByEmail } from '../tools/test-support/queries';
import { type App, appBackends, captureLogs, confirmSignIn, signIn } from './support/app';
import { unique } from './support/kv';
import { openForSuite } from './support/suite';

describe.each(appBackends)('accounts end to end on %s', (_name, start, available) => {
  let app: App;
  let logs: string[] = [];
  let stopCapturing = () => {};
  beforeAll(async () => {
    if (!available) return;
    app = await start();
    const captured = captureLogs();
    logs = captured.lines;
    stopCapturing = captured.restore;
  });
  afterAll(async () => {
    stopCapturing();
    await app?.close();
  });

  const at = (path: string) => `${app.server.url}${path}`;
  const email = () => `${unique('person')}@Example.com`;
  /** Asks for a sign-in link (optionally with forged headers, sent raw) and answers the mailed link. */
  const mailedLink = async (address: string, headers: Record<string, string> = {}) => {
    const body = JSON.stringify({ email: address });
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        at('/api/auth/login'),
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': body.length, ...headers },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
    expect(status).toBe(202);
    await app.server.idle();
    const messages = (await (await fetch(at('/__dev/outbox'))).json()) as { to: string; url: string }[];
    return (
      messages.find((message) => message.to === address.toLowerCase() && message.url.includes('token='))
        ?.url ?? ''
    );
  };

  describe.skipIf(!available)('flows', () => {
    it('signs in through the mailed link, with the cookie and with the bearer token', async () => {
      const address = email();
      const { bearer, cookie } = await signIn(app, address);
      expect(cookie).toMatch(/^__Host-session=[A-Za-z0-9_-]{43}$/);
      for (const headers of [{ authorization: `Bearer ${bearer}` }, { cookie }] as Record<string, string>[]) {
        const me = await fetch(at('/api/me'), { headers: headers as HeadersInit });
        expect(me.status).toBe(200);
        expect(me.headers.get('cache-control')).toBe('no-store');
        expect(await me.json()).toMatchObject({ email: address.toLowerCase() });
      }
    });

    it('answers the same for unknown and known addresses, and limits per address', async () => {
      const address = email();
      const answers = [];
      for (let n = 0; n < 6; n++) {
        const response = await fetch(at('/api/auth/login'), {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `email=${encodeURIComponent(address)}`,
        });
        answers.push(response.status);
        if (n === 5) expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      }
      expect(answers).toEqual([202, 202, 202, 202, 202, 429]);
    });

    it('limits mail per mailbox (+tags and gmail dots are one), refuses cross-site login posts, and caps all mail a mailbox gets', async () => {
      const local = unique('mb').replaceAll('-', '');
      const variants = [
        `${local}@gmail.com`,
        `${local}+1@gmail.com`,
        `${local.slice(0, 3)}.${local.slice(3)}@gmail.com`,
        `${local}+x@googlemail.com`,
        `${local}+2@gmail.com`,
      ];
      const login = (address: string, headers: Record<string, string> = {}) =>
        fetch(at('/api/auth/login'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ email: address }),
        });
      for (const address of variants) expect((await login(address)).status).toBe(202);
      expect((await login(`${local}+3@gmail.com`)).status).toBe(429);
      // Another website's form (or fetch) cannot make a visitor's browser ask for mail.
      const crossSite: Record<string, string>[] = [
        { origin: 'https://evil.example' },
        { 'sec-fetch-site': 'cross-site' },
      ];
      for (const headers of crossSite) expect((await login(email(), headers)).status).toBe(403);
      expect((await login(email(), { origin: app.server.url })).status).toBe(202);
      // The daily ceiling counts every mail to a mailbox, sign-in links and form results alike: over a
      // day, five results and three 15-minute windows of sign-in links come to more than 12 mails.
      const busy = `${unique('ceiling')}@example.com`;
      const secret = config().identifierSecret;
      const t0 = Date.now();
      const admitted = async (checks: RateLimitCheck[], at: number) =>
        (await checkRateLimits(app.kv, checks, secret, at)).every((result) => result.allowed);
      let mails = 0;
      for (let n = 0; n < 5; n++)
        if (await admitted(submissionLimits({ email: busy }, `198.18.0.${n}`), t0)) mails++;
      const refusedBy: string[] = [];
      for (let window = 0; window < 3; window++)
        for (let n = 0; n < 5; n++) {
          const at = t0 + window * 16 * 60_000 + n;
          const results = await checkRateLimits(app.kv, signInLimits(busy, '198.19.0.1'), secret, at);
          if (results.every((result) => result.allowed)) mails++;
          else
            refusedBy.push(...results.filter((result) => result.remaining === 0).map((r) => r.policy.name));
        }
      expect(mails).toBe(12);
      expect(refusedBy).toContain('mail-address');
    });

    it('refuses replayed, unknown and malformed links, tampered tokens, and bad input', async () => {
      await fetch(at('/api/auth/login'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: email() }),
      });
      await app.server.idle();
      const [{ url }] = (await (await fetch(at('/__dev/outbox'))).json()) as [{ url: string }];
      expect((await confirmSignIn(app, url, 'browser')).status).toBe(303);
      const replay = await confirmSignIn(app, url, 'browser');
      expect(replay.status).toBe(410);
      expect(replay.headers.get('set-cookie')).toBeNull();
      expect((await confirmSignIn(app, url, 'script')).status).toBe(410);
      expect((await fetch(url)).status).toBe(410); // the page says so too
      expect((await fetch(at(`/api/auth/callback?token=${'A'.repeat(43)}`))).status).toBe(400);
      expect((await fetch(at('/api/auth/callback?token=x'))).status).toBe(400);
      expect((await fetch(at('/api/auth/callback'))).status).toBe(422);
      expect(
        (await fetch(at('/api/me'), { headers: { authorization: `Bearer ${'B'.repeat(43)}` } })).status,
      ).toBe(401);
      expect((await fetch(at('/api/me'))).status).toBe(401);
      const bad = await fetch(at('/api/auth/login'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"email":',
      });
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toBe('application/problem+json');
      const invalid = await fetch(at('/api/auth/login'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"email":"nope"}',
      });
      expect(invalid.status).toBe(422);
      expect((await invalid.json()).detail).toMatch(/^Invalid request body: email:/);
      expect((await fetch(at('/api/auth/login'), { method: 'POST', body: 'x' })).status).toBe(415);
      expect((await fetch(at('/api/auth/login'))).status).toBe(405);
    });

    it('survives mail scanners: opening the link (GET, HEAD) consumes nothing; only the confirmation does', async () => {
      const address = email();
      const link = await mailedLink(address);
      expect(new URL(link).origin).toBe(app.server.url); // from APP_URL
      for (const method of ['HEAD', 'GET', 'GET', 'HEAD']) {
        const opened = await fetch(link, { method, redirect: 'manual' });
        expect([method, opened.status, opened.headers.get('set-cookie')]).toEqual([method, 200, null]);
      }
      const page = await fetch(link);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      const html = await page.text();
      expect(html).toContain('<form method="post" action="/api/auth/callback">');
      expect(html).toContain(`value="${new URL(link).searchParams.get('token')}"`);
      // A cross-site post of the token (login CSRF) is refused and leaves the link usable.
      const token = new URL(link).searchParams.get('token') ?? '';
      const forgeries: Record<string, string>[] = [
        { origin: 'https://evil.example' },
        { 'sec-fetch-site': 'cross-site' },
        {},
      ];
      for (const headers of forgeries) {
        const forged = await fetch(at('/api/auth/callback'), {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body: new URLSearchParams({ token }),
        });
        expect(forged.status).toBe(403);
      }
      // 20 parallel confirmations: exactly one session.
      const confirmations = await Promise.all(
        Array.from({ length: 20 }, (_, i) => confirmSignIn(app, link, i % 2 ? 'script' : 'browser')),
      );
      const statuses = confirmations.map((response) => response.status);
      expect(statuses.filter((status) => status === 200 || status === 303)).toHaveLength(1);
      expect(statuses.filter((status) => status === 410)).toHaveLength(19);
      const user = await getUserByEmail(app.db, address);
      expect(await listSessions(app.kv, user?.id ?? '')).toHaveLength(1);
    });

    it('ends outstanding links on sign-in and on logout everywhere, and never builds a link from Host', async () => {
      const address = email();
      const older = await mailedLink(address);
      const newer = await mailedLink(address);
      expect((await confirmSignIn(app, newer, 'script')).status).toBe(200);
      expect((await confirmSignIn(app, older, 'script')).status).toBe(400); // ended by the sign-in
      const { bearer } = await signIn(app, address);
      const pending = await mailedLink(address);
      const out = await fetch(at('/api/auth/logout-all'), {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}` },
      });
      expect(out.status).toBe(204);
      expect((await confirmSignIn(app, pending, 'script')).status).toBe(400);
      // A forged Host header does not reach the mailed link.
      const forgedHost = await mailedLink(email(), { host: 'attacker.example' });
      expect(new URL(forgedHost).host).toBe(new URL(app.server.url).host);
    });

    it('lists the sessions and ends one of them; erasing the account needs a recent sign-in', async () => {
      const address = email();
      const first = await signIn(app, address);
      await signIn(app, address);
      const list = await (
        await fetch(at('/api/me/sessions'), { headers: { authorization: `Bearer ${first.bearer}` } })
      ).json();
      // Two sign-ins, each confirmed twice by the helper (script and browser): four sessions.
      expect(list.items).toHaveLength(4);
      expect(list.items.filter((item: { current: boolean }) => item.current)).toHaveLength(1);
      const current = list.items.find((item: { current: boolean }) => item.current);
      const other = list.items.find((item: { current: boolean }) => !item.current);
      expect(other.id).toMatch(/^[0-9a-f]{12}$/);
      const ended = await fetch(at(`/api/me/sessions/${other.id}`), {
        method: 'DELETE',
        headers: { authorization: `Bearer ${first.bearer}` },
      });
      expect(ended.status).toBe(204);
      const after = await (
        await fetch(at('/api/me/sessions'), { headers: { authorization: `Bearer ${first.bearer}` } })
      ).json();
      expect(after.items.map((item: { id: string }) => item.id)).not.toContain(other.id);
      expect(after.items.map((item: { id: string }) => item.id)).toContain(current.id);
      // Another user's session id is not found, whatever it is.
      const stranger = await signIn(app, email());
      expect(
        (
          await fetch(at(`/api/me/sessions/${current.id}`), {
            method: 'DELETE',
            headers: { authorization: `Bearer ${stranger.bearer}` },
          })
        ).status,
      ).toBe(404);
      expect(
        (await fetch(at('/api/me'), { headers: { authorization: `Bearer ${first.bearer}` } })).status,
      ).toBe(200);
      // A session signed in 11 minutes ago may not erase the account.
      const user = await getUserByEmail(app.db, address);
      const old = await createSession(app.kv, user?.id ?? '', config().sessions, Date.now() - 11 * 60_000);
      const refused = await fetch(at('/api/me'), {
        method: 'DELETE',
        headers: { authorization: `Bearer ${old.token}` },
      });
      expect(refused.status).toBe(403);
      expect((await refused.json()).detail).toContain('recent sign-in');
      expect(await getUserByEmail(app.db, address)).toBeDefined();
    });

    it('stops reading a body past its limit, whatever Content-Length says', async () => {
      const status = await new Promise<number>((resolve, reject) => {
        const request = httpRequest(at('/api/auth/login'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        });
        request.on('response', (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
          request.destroy();
        });
        request.on('error', (error) =>
          error.message.includes('socket hang up') || error.message.includes('EPIPE')
            ? undefined
            : reject(error),
        );
        const chunk = `"${'x'.repeat(64 * 1024)}"`;
        let sent = 0;
        const pump = () => {
          while (sent < 200 && request.write(chunk)) sent++;
          if (sent < 200 && !request.destroyed) request.once('drain', pump);
          else if (!request.destroyed) request.end();
        };
        request.write('{"email":');
        pump();
      });
      expect(status).toBe(413);
    });

    it('refuses a cross-site cookie POST, and lets a bearer request through', async () => {
      const { bearer, cookie } = await signIn(app, email());
      const crossSite: Record<string, string>[] = [
        { cookie, origin: 'https://evil.example' },
        { cookie, 'sec-fetch-site': 'cross-site' },
        { cookie },
      ];
      for (const headers of crossSite) {
        expect(
          (await fetch(at('/api/auth/logout'), { method: 'POST', headers: headers as HeadersInit })).status,
        ).toBe(403);
      }
      expect((await fetch(at('/api/me'), { headers: { cookie } })).status).toBe(200); // still signed in
      const sameOrigin = await fetch(at('/api/auth/logout'), {
        method: 'POST',
        headers: { cookie, 'sec-fetch-site': 'same-origin' },
      });
      expect(sameOrigin.status).toBe(204);
      expect(sameOrigin.headers.get('set-cookie')).toMatch(/Max-Age=0/);
      expect((await fetch(at('/api/me'), { headers: { cookie } })).status).toBe(401);
      const viaBearer = await fetch(at('/api/auth/logout'), {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, origin: 'https://evil.example' },
      });
      expect(viaBearer.status).toBe(204);
      expect((await fetch(at('/api/me'), { headers: { authorization: `Bearer ${bearer}` } })).status).toBe(
        401,
      );
    });

    it('logs out everywhere', async () => {
      const address = email();
      const first = await signIn(app, address);
      const second = await signIn(app, address);
      const response = await fetch(at('/api/auth/logout-all'), {
        method: 'POST',
        headers: { authorization: `Bearer ${first.bearer}` },
      });
      expect(response.status).toBe(204);
      for (const headers of [
        { authorization: `Bearer ${second.bearer}` },
        { cookie: second.cookie },
        { cookie: first.cookie },
      ] as Record<string, string>[]) {
        expect((await fetch(at('/api/me'), { headers: headers as HeadersInit })).status).toBe(401);
      }
    });

    it("exports everything about the user and nothing of another's", async () => {
      const [a, b] = [email(), email()];
      const sessionA = await signIn(app, a);
      const sessionB = await signIn(app, b);
      const userA = await getUserByEmail(app.db, a);
      const userB = await getUserByEmail(app.db, b);
      await createAnalysis(app.db, {
        userId: userA?.id ?? '',
        fileName: 'a.csv',
        contentHash: 'a'.repeat(64),
        sizeBytes: 1,
        analyzerVersion: 't',
      });
      await createAnalysis(app.db, {
        userId: userB?.id ?? '',
        fileName: 'b.csv',
        contentHash: 'b'.repeat(64),
        sizeBytes: 1,
        analyzerVersion: 't',
      });
      const response = await fetch(at('/api/me/export'), {
        headers: { authorization: `Bearer ${sessionA.bearer}` },
      });
      expect(response.headers.get('content-disposition')).toMatch(
        /^attachment; filename="account-export-\d{4}-\d{2}-\d{2}\.json"$/,
      );
      const body = await response.text();
      const data = JSON.parse(body);
      expect(data.user.email).toBe(a.toLowerCase());
      expect(data.analyses.map((row: { fileName: string }) => row.fileName)).toEqual(['a.csv']);
      expect(data.sessions).toHaveLength(2);
      expect(data.sessions.filter((session: { current: boolean }) => session.current)).toHaveLength(1);
      expect(body).not.toContain(sessionA.bearer);
      expect(body).not.toContain(sessionA.cookie.split('=')[1]);
      expect(body).not.toContain(b.toLowerCase());
      expect(
        await (
          await fetch(at('/api/me'), { headers: { authorization: `Bearer ${sessionB.bearer}` } })
        ).json(),
      ).toMatchObject({ email: b.toLowerCase() });
    });

    it('erases for good: a computation of theirs finishing after the erasure leaves no key and no row', async () => {
      const address = email();
      await signIn(app, address);
      const userId = (await getUserByEmail(app.db, address))?.id ?? '';
      const bytes = new TextEncoder().encode(
        `Machine;Planned [min];Downtime [min];Good;Scrap\nA;480;30;900;${unique('race').length}\n`,
      );
      // The computation's cache write and its cache bookkeeping wait until the erasure is done.
      let open = () => {};
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      const reached: string[] = [];
      const gated = new Proxy(app.kv, {
        get(target, name, receiver) {
          const method = Reflect.get(target, name, receiver);
          if (name !== 'set' && name !== 'addToSet')
            return typeof method === 'function' ? method.bind(target) : method;
          return async (...args: unknown[]) => {
            const key = String(args[0]);
            if (key.startsWith('mia:cache:') || key.startsWith('mia:user-cache:')) {
              reached.push(key);
              await gate;
            }
            return (method as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          };
        },
      });
      const background: Promise<unknown>[] = [];
      await submitAnalysis(
        app.db,
        gated,
        { submitter: { userId }, fileName: 'race.csv', bytes },
        (work) => background.push(work()),
        'race',
      );
      for (let i = 0; i < 200 && reached.length < 2; i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(reached.length).toBe(2);
      await eraseAccount(app.db, app.kv, userId, config().identifierSecret, 60_000);
      open();
      await Promise.all(background);
      const contentHash = await analysisInputHash(bytes);
      const rows = await queryRows<{ n: number }>(
        app.db,
        sql`select (select count(*) from users where id = ${userId})::int + (select count(*) from analyses where user_id = ${userId})::int as n`,
      );
      expect(rows[0]?.n).toBe(0);
      const left: string[] = [];
      let cursor = '0';
      do {
        const step = await app.kv.scan(cursor, patterns.all, 500);
        for (const key of step.keys) {
          const members = await app.kv.setMembers(key).catch(() => []);
          if (`${key} ${members.join(' ')}`.includes(userId) || key.includes(contentHash)) left.push(key);
        }
        cursor = step.cursor;
      } while (cursor !== '0');
      expect(left).toEqual([]);
    });

    it('erases the user: afterwards no row in Postgres and no key in KV refers to them', async () => {
      const address = email();
      const other = email();
      const session = await signIn(app, address);
      await signIn(app, other);
      const user = await getUserByEmail(app.db, address);
      const userId = user?.id ?? '';
      const otherUser = await getUserByEmail(app.db, other);
      const mine = unique('hash')
        .padEnd(64, '0')
        .replace(/[^0-9a-f]/g, 'c')
        .slice(0, 64);
      const shared = 'd'.repeat(64);
      for (const [owner, hash] of [
        [userId, mine],
        [userId, shared],
        [otherUser?.id ?? '', shared],
      ] as const) {
        await createAnalysis(app.db, {
          userId: owner,
          fileName: 'x.csv',
          contentHash: hash,
          sizeBytes: 1,
          analyzerVersion: 't',
        });
      }
      for (const hash of [mine, shared]) {
        await app.kv.set(`mia:cache:t:${hash}`, '{"ok":true,"value":{}}', { ttlMs: 60_000 });
        await trackCacheUse(app.kv, userId, { engineVersion: 't', contentHash: hash });
      }
      // A pending sign-in link too.
      await fetch(at('/api/auth/login'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: address }),
      });
      await app.server.idle();

      const erase = await fetch(at('/api/me'), {
        method: 'DELETE',
        headers: { cookie: session.cookie, origin: app.server.url },
      });
      expect(erase.status).toBe(204);
      expect(erase.headers.get('set-cookie')).toMatch(/Max-Age=0/);
      expect(
        (await fetch(at('/api/me'), { headers: { authorization: `Bearer ${session.bearer}` } })).status,
      ).toBe(401);

      const rows = await queryRows<{ n: number }>(
        app.db,
        sql`select (select count(*) from users where id = ${userId} or email = ${address.toLowerCase()})::int
                 + (select count(*) from analyses where user_id = ${userId})::int as n`,
      );
      expect(rows[0]?.n).toBe(0);
      expect(await app.kv.get(`mia:cache:t:${mine}`)).toBeNull();
      expect(await app.kv.get(`mia:cache:t:${shared}`)).not.toBeNull(); // still used by the other user

      // Scan every key and value: nothing holds the id or the address.
      const leftovers: string[] = [];
      let cursor = '0';
      do {
        const step = await app.kv.scan(cursor, patterns.all, 500);
        // A step's keys read at once: the store holds every suite's keys, so this is O(keyspace).
        const texts = await Promise.all(
          step.keys.map(async (key) => {
            const [value, members] = await Promise.all([
              app.kv.get(key).catch(() => null),
              app.kv.setMembers(key).catch(() => []),
            ]);
            return { key, text: `${key} ${value ?? ''} ${members.join(' ')}` };
          }),
        );
        for (const { key, text } of texts)
          if (text.includes(userId) || text.toLowerCase().includes(address.toLowerCase()))
            leftovers.push(key);
        cursor = step.cursor;
      } while (cursor !== '0');
      expect(leftovers).toEqual([]);
    }, 120_000);

    it('never writes a session token or an email into the logs', async () => {
      const address = email();
      const { bearer } = await signIn(app, address);
      await fetch(at('/api/me'), { headers: { authorization: `Bearer ${bearer}` } });
      await fetch(at('/api/me'), { method: 'DELETE', headers: { authorization: `Bearer ${bearer}` } });
      const all = logs.join('\n');
      expect(all).not.toContain(bearer);
      expect(all.toLowerCase()).not.toContain(address.toLowerCase());
      expect(logs.some((line) => line.includes('account_erased'))).toBe(true);
    });
  });
});

describe.each(appBackends)('the OpenAPI description on %s', (_name, start, available) => {
  let app: App;
  openForSuite(available, start, (started) => {
    app = started;
  });

  it.skipIf(!available)(
    'describes every function, with the zod schemas the functions validate with',
    async () => {
      const document = await (await fetch(`${app.server.url}/api/openapi`)).json();
      expect(document.openapi).toBe('3.1.0');
      const described = Object.keys(document.paths).sort();
      // A function reached only through a rewrite of the same path (/reports/{id}) is described there.
      const aliased = new Set(
        loadRewrites(PROJECT_ROOT)
          .filter((rewrite) => !rewrite.destination.includes('?'))
          .map((rewrite) => rewrite.destination.replace(/:(\w+)/g, '{$1}')),
      );
      const served = app.server.routes
        .map(
          (route) =>
            `/${route.file
              .replace(/\.ts$/, '')
              .replace(/\/index$/, '')
              .replace(/\[(\w+)\]/g, '{$1}')}`,
        )
        .filter((path) => !aliased.has(path))
        .concat(loadRewrites(PROJECT_ROOT).map((rewrite) => rewrite.source.replace(/:(\w+)/g, '{$1}')))
        .sort();
      expect(described).toEqual(served);
      const login = document.paths['/api/auth/login'].post;
      expect(login.requestBody.content['application/json'].schema.properties.email).toMatchObject({
        type: 'string',
        maxLength: 254,
      });
      expect(document.paths['/api/me'].delete.responses).toHaveProperty('204');
    },
  );
});
