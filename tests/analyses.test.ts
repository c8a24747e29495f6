import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { submitterHash } from '../lib/analyses';
import { config } from '../lib/config';
import { openDatabase, queryRows } from '../lib/db';
import { createAnalysis } from '../lib/db/queries';
import { ENGINE_VERSION } from '../lib/engine';
import { acquireLock, KvUnavailableError, keys, provideKv } from '../lib/kv';
import { MemoryKv } from '../tools/embedded/memory-kv';
import { getUserByEmail } from '../tools/test-support/queries';
import { type App, appBackends, captureLogs, signIn } from './support/app';
import { unique } from './support/kv';
import { services, useEnv } from './support/services';
import { openForSuite } from './support/suite';

const SHOP = 'https://shop.example';
const CRON_SECRET = 'cron-secret-for-tests-0123456789';
const csv = (marker: string) =>
  `Machine;Planned [min];Downtime [min];Total;Scrap;Ideal Cycle Time [s];Note\nA;480;48;1000;20;20;${marker}\nB;480;30;900;9;25;${marker}\n`;

describe.each(appBackends)('analyses end to end on %s', (_name, start, available) => {
  let app: App;
  let restore: () => void;
  let logs: string[] = [];
  let stopCapturing = () => {};
  beforeAll(async () => {
    if (!available) return;
    restore = useEnv({ FORM_ALLOWED_ORIGINS: SHOP, FORM_REDIRECT_HOSTS: 'shop.example', CRON_SECRET });
    app = await start();
    const captured = captureLogs();
    logs = captured.lines;
    stopCapturing = captured.restore;
  });
  afterAll(async () => {
    stopCapturing();
    await app?.close();
    restore?.();
  });

  const at = (path: string) => `${app.server.url}${path}`;
  const email = () => `${unique('maker')}@example.com`;
  // Each call comes from its own client address unless a test says otherwise (the per-IP limit is real).
  const octet = () => Math.floor(Math.random() * 254) + 1;
  const ip = () => `100.${octet()}.${octet()}.${octet()}`;
  const postJson = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(at('/api/analyses'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-real-ip': ip(), ...headers },
      body: JSON.stringify(body),
    });
  const count = async () =>
    (
      await queryRows<{ n: number }>(
        app.db,
        sql`select ((select count(*) from analyses) + (select count(*) from users))::int as n`,
      )
    )[0]?.n ?? 0;

  describe.skipIf(!available)('flows', () => {
    it('accepts multipart from a signed-in client and completes it in the background', async () => {
      const { bearer } = await signIn(app, email());
      const form = new FormData();
      form.set('file', new File([csv(unique('m'))], 'line.csv', { type: 'text/csv' }));
      const response = await fetch(at('/api/analyses'), {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}` },
        body: form,
      });
      expect(response.status).toBe(202);
      const body = await response.json();
      expect(body).toMatchObject({ status: 'pending', fileName: 'line.csv' });
      expect(response.headers.get('location')).toBe(body.statusUrl);
      expect(body.statusUrl).not.toContain('access='); // the owner reads it with the session
      await app.server.idle();
      const done = await (
        await fetch(body.statusUrl, { headers: { authorization: `Bearer ${bearer}` } })
      ).json();
      expect(done.status).toBe('completed');
      expect(done.result.kpis.overall.oee.value).toBeGreaterThan(0);
      expect(done.result.engineVersion).toBe(ENGINE_VERSION);
    });

    it('accepts JSON and url-encoded forms from anonymous submitters, with a mailed capability URL, never telling that a file was seen before', async () => {
      const text = csv(unique('j'));
      const ana = email();
      const first = await postJson({ csv: text, email: ana, name: 'Ana' });
      expect(first.status).toBe(202);
      const accepted = await first.json();
      const { statusUrl } = accepted;
      expect(statusUrl).toMatch(/\?access=[A-Za-z0-9_-]{43}$/);
      expect(accepted).not.toHaveProperty('contentHash');
      await app.server.idle();
      const done = await (await fetch(statusUrl)).json();
      expect(done.status).toBe('completed');
      expect(done).not.toHaveProperty('contentHash'); // only for the owner
      // The report page's link reaches the submitter by mail once the analysis has ended, with its figures.
      const mailed = app.outbox.messages.filter((message) => message.to === ana);
      expect(mailed).toHaveLength(1);
      expect(mailed[0]?.url).toBe(accepted.reportUrl);
      expect(accepted.reportUrl).toBe(statusUrl.replace('/api/analyses/', '/reports/'));
      expect(mailed[0]?.subject).toMatch(/is ready$/);
      const oee = new Intl.NumberFormat('en-GB', {
        style: 'percent',
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
      });
      expect(mailed[0]?.text).toContain(`OEE: ${oee.format(done.result.kpis.overall.oee.value)}`);
      expect(mailed[0]?.text).toContain(accepted.reportUrl);
      // The same file from someone else: stored and answered like a new one (202), completed from the cache.
      const again = await fetch(at('/api/analyses'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csv: text, email: email(), name: 'Ben' }),
      });
      expect(again.status).toBe(202);
      const second = await again.json();
      expect(second).toMatchObject({ status: 'pending' });
      expect(second).not.toHaveProperty('contentHash');
      await app.server.idle();
      expect((await (await fetch(second.statusUrl)).json()).status).toBe('completed');
    });

    it("analyses with the submitter's column mapping, as its own cached input, and refuses a malformed one", async () => {
      const text = csv(unique('map'));
      const plain = await postJson({ csv: text, email: email(), name: 'Ana' });
      // The JSON body sends the mapping as an object; forms send the same as JSON text.
      const mapped = await postJson({
        csv: text,
        email: email(),
        name: 'Ana',
        mapping: { Note: 'part', Scrap: null },
      });
      const formMapped = await fetch(at('/api/analyses'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-real-ip': ip() },
        body: new URLSearchParams({
          csv: text,
          email: email(),
          name: 'Ben',
          mapping: JSON.stringify({ Scrap: null, Note: 'part' }),
        }),
      });
      expect([plain.status, mapped.status]).toEqual([202, 202]);
      await app.server.idle();
      const [plainDone, mappedDone] = await Promise.all(
        [plain, mapped].map(async (response) => (await fetch((await response.json()).statusUrl)).json()),
      );
      expect(mappedDone.result).not.toEqual(plainDone.result);
      expect(plainDone.result.kpis.overall.quality.status).toBe('ok');
      expect(mappedDone.result.kpis.overall.quality.status).toBe('not_computable');
      expect(mappedDone.result.kpis.byPart.length).toBe(1);
      // The same mapping in another key order is the same input (one cached report, however the keys run).
      expect(formMapped.status).toBe(202);
      await app.server.idle();
      const formDone = await (await fetch((await formMapped.json()).statusUrl)).json();
      expect(formDone.result).toEqual(mappedDone.result);

      const before = await count();
      const cleo = email();
      for (const mapping of ['{"Note": "no_such_field"}', 'not json', '["Note"]']) {
        const refused = await fetch(at('/api/analyses'), {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-real-ip': ip() },
          body: new URLSearchParams({ csv: text, email: cleo, name: 'Cleo', mapping }),
        });
        expect(refused.status).toBe(422);
        expect(refused.headers.get('content-type')).toContain('application/problem+json');
        expect((await refused.json()).detail).toContain('mapping');
      }
      expect(await count()).toBe(before);
      // Refused input costs no quota: the first accepted submission still leaves 4 of 5.
      const accepted = await postJson({ csv: text, email: cleo, name: 'Cleo' });
      expect(accepted.headers.get('ratelimit')).toContain('"analysis-email";r=4');
      // A column the file does not have: the analysis fails and says why.
      const unknown = await postJson({ csv: text, email: email(), name: 'Dana', mapping: { Nope: 'part' } });
      await app.server.idle();
      const failed = await (await fetch((await unknown.json()).statusUrl)).json();
      expect(failed).toMatchObject({
        status: 'failed',
        error: { code: 'MAPPING_UNKNOWN_COLUMN', message: expect.stringContaining('"Nope"') },
      });
    });

    it('takes analysis options (an object in JSON, JSON text in forms) as part of the input, and caches a failure like a result', async () => {
      const text = `ts;asset;status\n2026-11-03 06:00;${unique('asset')};1.0\n2026-11-03 06:05;A;1.0\n2026-11-03 06:10;A;3.0\n2026-11-03 06:15;A;1.0\n`;
      const options = { states: { '1': 'running', '3': 'unplanned_stop' }, microStopMinutes: 3 };
      const first = await postJson({ csv: text, email: email(), name: 'Ana', options });
      expect(first.status).toBe(202);
      await app.server.idle();
      const done = await (await fetch((await first.json()).statusUrl)).json();
      expect(done.result.options).toEqual(options);
      expect(done.result.kpis.overall.availability.status).toBe('ok');
      // The same options in another key order, as form text: the same input, answered from the cache.
      const form = await fetch(at('/api/analyses'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-real-ip': ip() },
        body: new URLSearchParams({
          csv: text,
          email: email(),
          name: 'Ben',
          options: JSON.stringify({ microStopMinutes: 3, states: { '3': 'unplanned_stop', '1': 'running' } }),
        }),
      });
      expect(form.status).toBe(202);
      await app.server.idle();
      expect((await (await fetch((await form.json()).statusUrl)).json()).result).toEqual(done.result);
      // Options that fail the schema, or a mapping given twice: 422, and nothing stored or counted.
      const before = await count();
      const cleo = email();
      for (const body of [
        { options: { states: { '1': 'fast' } } },
        { options: '{"microStopMinutes": "five"}' },
        { options: { mapping: { ts: 'ts_start' } }, mapping: { ts: 'ts_start' } },
      ]) {
        const refused = await postJson({ csv: text, email: cleo, name: 'Cleo', ...body });
        expect(refused.status).toBe(422);
        expect(refused.headers.get('content-type')).toContain('application/problem+json');
      }
      expect(await count()).toBe(before);
      const accepted = await postJson({ csv: text, email: cleo, name: 'Cleo' });
      expect(accepted.headers.get('ratelimit')).toContain('"analysis-email";r=4');
      // A failing input (a table, but no column the engine can use): the second submission is
      // answered from the cached failure, not recomputed.
      const broken = `${unique('colour')};taste\nred;sweet\nblue;sour\n`;
      const failing = await postJson({ csv: broken, email: email(), name: 'Dana' });
      await app.server.idle();
      const firstFailure = await (await fetch((await failing.json()).statusUrl)).json();
      expect(firstFailure.status).toBe('failed');
      // The engine's own code survives, beside its message (not the generic ANALYSIS_FAILED).
      expect(firstFailure.error).toEqual({ code: 'NO_USABLE_COLUMNS', message: expect.any(String) });
      const computed = logs.filter((line) => line.includes('analysis_computed')).length;
      const again = await postJson({ csv: broken, email: email(), name: 'Eve' });
      expect(again.status).toBe(202);
      await app.server.idle();
      const cachedFailure = await (await fetch((await again.json()).statusUrl)).json();
      expect(cachedFailure).toMatchObject({ status: 'failed', error: firstFailure.error });
      expect(logs.filter((line) => line.includes('analysis_computed')).length).toBe(computed);
    });

    it('sends a plain form post back to its page, only to allowed hosts, with errors as codes', async () => {
      const form = (fields: Record<string, string>) =>
        fetch(at('/api/analyses'), {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: SHOP, 'x-real-ip': ip() },
          body: new URLSearchParams(fields),
        });
      const ok = await form({
        csv: csv(unique('f')),
        email: email(),
        name: 'Cleo',
        redirect: `${SHOP}/thanks?x=1`,
      });
      expect(ok.status).toBe(303);
      const location = new URL(ok.headers.get('location') ?? '');
      expect(location.origin + location.pathname).toBe(`${SHOP}/thanks`);
      expect(location.searchParams.get('x')).toBe('1');
      expect(location.searchParams.get('analysisId')).toMatch(/^[0-9a-f-]{36}$/);
      // The capability link travels in the fragment only: the site's server never sees it.
      expect(location.search).not.toContain('access');
      expect(new URLSearchParams(location.hash.slice(1)).get('statusUrl')).toContain('access=');
      const failed = await form({
        csv: csv('x'),
        email: 'not-an-email',
        name: 'Cleo',
        redirect: `${SHOP}/thanks`,
      });
      expect(failed.status).toBe(303);
      expect(new URL(failed.headers.get('location') ?? '').searchParams.get('error')).toBe(
        'validation_failed',
      );
      const open = await form({
        csv: csv('x'),
        email: email(),
        name: 'Cleo',
        redirect: 'https://evil.example/',
      });
      expect(open.status).toBe(400);
      expect(open.headers.get('location')).toBeNull();
    });

    it('speaks CORS to allowed origins only, preflight included', async () => {
      const allowed = await postJson(
        { csv: csv(unique('c')), email: email(), name: 'Dee' },
        { origin: SHOP },
      );
      expect(allowed.status).toBe(202);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(SHOP);
      const preflight = await fetch(at('/api/analyses'), {
        method: 'OPTIONS',
        headers: {
          origin: SHOP,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
      const before = await count();
      const foreign = await postJson(
        { csv: csv(unique('e')), email: email(), name: 'Eve' },
        { origin: 'https://evil.example' },
      );
      expect(foreign.status).toBe(403);
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
      const foreignPreflight = await fetch(at('/api/analyses'), {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example' },
      });
      expect(foreignPreflight.status).toBe(403);
      expect(foreignPreflight.headers.get('access-control-allow-origin')).toBeNull();
      expect(await count()).toBe(before);
    });

    it('limits a client address per hour too', async () => {
      const address = '192.0.2.77'; // used by no other test
      const statuses = [];
      for (let n = 0; n < 31; n++) {
        statuses.push(
          (await postJson({ csv: csv(unique('i')), email: email(), name: 'Ida' }, { 'x-real-ip': address }))
            .status,
        );
      }
      expect(statuses.filter((status) => status === 202)).toHaveLength(30);
      expect(statuses.at(-1)).toBe(429);
      // Refusals by the exhausted address leave an email's own quota whole (all or nothing).
      const victim = email();
      for (let n = 0; n < 5; n++)
        expect(
          (await postJson({ csv: csv(unique('v')), email: victim, name: 'Vic' }, { 'x-real-ip': address }))
            .status,
        ).toBe(429);
      const own = await postJson({ csv: csv(unique('v')), email: victim, name: 'Vic' });
      expect(own.status).toBe(202);
      expect(own.headers.get('ratelimit')).toContain('"analysis-email";r=4');
      await app.server.idle();
    });

    it('limits an email to 5 analyses per rolling day: the 6th is 429', async () => {
      const address = email();
      const statuses = [];
      for (let n = 0; n < 6; n++)
        statuses.push((await postJson({ csv: csv(unique('r')), email: address, name: 'Fay' })).status);
      expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
      const from = ip();
      const denied = await postJson({ csv: csv('x'), email: address, name: 'Fay' }, { 'x-real-ip': from });
      expect(denied.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(denied.headers.get('ratelimit')).toContain('"analysis-email";r=0');
      // The refusal cost the address it came from nothing: 30 of 30 left before this one, 29 after it.
      const next = await postJson(
        { csv: csv(unique('r')), email: email(), name: 'Gus' },
        { 'x-real-ip': from },
      );
      expect(next.headers.get('ratelimit')).toContain('"analysis-ip";r=29');
      await app.server.idle();
    });

    it('lets the owner renew a capability link (the old one stops), and claims a submission opened by its signed-in submitter', async () => {
      const address = email();
      // Signed in before the form post: only opening the link can claim it then.
      const theirs = await signIn(app, address);
      const posted = await postJson({ csv: csv(unique('claim')), email: address, name: 'Ida' });
      const { id, statusUrl } = await posted.json();
      await app.server.idle();
      expect((await fetch(statusUrl)).status).toBe(200);
      // Someone else signed in opening the link reads it, but does not own it.
      const stranger = await signIn(app, email());
      const read = await (
        await fetch(statusUrl, { headers: { authorization: `Bearer ${stranger.bearer}` } })
      ).json();
      expect(read).not.toHaveProperty('contentHash');
      expect(
        (await fetch(at(`/api/analyses/${id}`), { headers: { authorization: `Bearer ${stranger.bearer}` } }))
          .status,
      ).toBe(404);
      // The submitter's own session: not theirs yet, until they open its link.
      expect(
        (await fetch(at(`/api/analyses/${id}`), { headers: { authorization: `Bearer ${theirs.bearer}` } }))
          .status,
      ).toBe(404);
      const opened = await (
        await fetch(statusUrl, { headers: { authorization: `Bearer ${theirs.bearer}` } })
      ).json();
      expect(opened).toHaveProperty('contentHash');
      expect(
        (await fetch(at(`/api/analyses/${id}`), { headers: { authorization: `Bearer ${theirs.bearer}` } }))
          .status,
      ).toBe(200);
      // A new link: the old one no longer works.
      const renewed = await fetch(at(`/api/analyses/${id}`), {
        method: 'PATCH',
        headers: { authorization: `Bearer ${theirs.bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ access: 'renew' }),
      });
      expect(renewed.status).toBe(200);
      const fresh = (await renewed.json()).statusUrl;
      expect(fresh).not.toBe(statusUrl);
      expect((await fetch(statusUrl)).status).toBe(404);
      expect((await fetch(fresh)).status).toBe(200);
      const foreign = await fetch(at(`/api/analyses/${id}`), {
        method: 'PATCH',
        headers: { authorization: `Bearer ${stranger.bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ access: 'renew' }),
      });
      expect(foreign.status).toBe(404);
    });

    it('admits exactly 5 of 50 concurrent submissions of one new email', async () => {
      const address = email();
      const statuses = await Promise.all(
        Array.from({ length: 50 }, () =>
          postJson({ csv: csv(unique('p')), email: address, name: 'Gil' }).then((r) => r.status),
        ),
      );
      expect(statuses.filter((status) => status === 202)).toHaveLength(5);
      expect(statuses.filter((status) => status === 429)).toHaveLength(45);
      await app.server.idle();
      // No account for the address: five unclaimed submissions under its HMAC.
      expect(await getUserByEmail(app.db, address)).toBeUndefined();
      const rows = await queryRows<{ n: number }>(
        app.db,
        sql`select count(*)::int as n from analyses where user_id is null and submitter_hash = ${await submitterHash(address, config().identifierSecret)}`,
      );
      expect(rows[0]?.n).toBe(5);
    });

    it("cannot write into an account: a signed-up user's address on five form posts leaves their list, quota and name alone; signing in claims them", async () => {
      const address = email();
      const { bearer } = await signIn(app, address);
      const owner = await getUserByEmail(app.db, address);
      const before = await (
        await fetch(at('/api/analyses'), { headers: { authorization: `Bearer ${bearer}` } })
      ).json();
      const from = ip();
      for (let n = 0; n < 5; n++) {
        const posted = await postJson(
          { csv: csv(unique('evil')), email: address, name: 'URGENT call +1-555-0100' },
          { 'x-real-ip': from },
        );
        expect(posted.status).toBe(202);
      }
      await app.server.idle();
      const mine = async () =>
        (await (await fetch(at('/api/analyses'), { headers: { authorization: `Bearer ${bearer}` } })).json())
          .items;
      expect(await mine()).toEqual(before.items);
      expect((await getUserByEmail(app.db, address))?.name).toBe(owner?.name);
      // Their own quota is whole: five uploads of their own still go through.
      for (let n = 0; n < 5; n++) {
        const own = await postJson({ csv: csv(unique('own')) }, { authorization: `Bearer ${bearer}` });
        expect(own.status).toBe(202);
        if (n === 0) expect(own.headers.get('ratelimit')).toContain('"analysis-user";r=4');
      }
      await app.server.idle();
      expect(await mine()).toHaveLength(before.items.length + 5);
      // Signing in again with the address claims what was sent with it.
      await signIn(app, address);
      expect(await mine()).toHaveLength(before.items.length + 10);
    });

    it('computes 20 concurrent uploads of the same new file once', async () => {
      const text = csv(unique('same'));
      const from = logs.length;
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          postJson({ csv: text, email: email(), name: `Submitter ${n}` }).then((r) => r.json()),
        ),
      );
      // Late arrivals may already find the report cached (201 completed); none may compute again.
      for (const answer of answers) expect(['pending', 'completed']).toContain(answer.status);
      await app.server.idle();
      const since = logs.slice(from);
      const computed = since.filter((line) => line.includes('"analysis_computed"')).length;
      // The cache fails open by design: a KV call past its 1.5 s bound (seen only under a loaded CI run)
      // computes without the lock, and says so in the log. Otherwise exactly one computation.
      const degraded = since.filter((line) => line.includes('"cache_unavailable"')).length;
      if (degraded === 0) expect(computed).toBe(1);
      else expect(computed).toBeLessThanOrEqual(1 + degraded);
      const states = await Promise.all(
        answers.map(async (answer) => (await (await fetch(answer.statusUrl)).json()).status),
      );
      expect(new Set(states)).toEqual(new Set(['completed']));
    }, 30_000);

    it('answers a honeypot submission as accepted and stores nothing', async () => {
      const before = await count();
      const response = await postJson({
        csv: csv('bot'),
        email: email(),
        name: 'Bot',
        website: 'http://spam.example',
      });
      expect(response.status).toBe(202);
      expect(await count()).toBe(before);
    });

    it('refuses files over 4 MB (413) and spreadsheets or other types (415), storing nothing', async () => {
      const before = await count();
      const big = new FormData();
      big.set(
        'file',
        new File([new Uint8Array(4 * 1024 * 1024 + 10).fill(65)], 'big.csv', { type: 'text/csv' }),
      );
      big.set('email', email());
      big.set('name', 'Hal');
      expect((await fetch(at('/api/analyses'), { method: 'POST', body: big })).status).toBe(413);
      const xlsx = new FormData();
      xlsx.set(
        'file',
        new File([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0])], 'book.xlsx', {
          type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        }),
      );
      expect((await fetch(at('/api/analyses'), { method: 'POST', body: xlsx })).status).toBe(415);
      const disguised = await postJson({ csv: 'PK\u0003\u0004 not really', email: email(), name: 'Hal' });
      expect(disguised.status).toBe(415);
      expect(
        (
          await fetch(at('/api/analyses'), {
            method: 'POST',
            headers: { 'content-type': 'text/xml' },
            body: '<a/>',
          })
        ).status,
      ).toBe(415);
      expect(await count()).toBe(before);
    });

    it('lets only the owner or the capability token reach an analysis: others get 404', async () => {
      const a = await signIn(app, email());
      const b = await signIn(app, email());
      const created = await (
        await postJson({ csv: csv(unique('own')) }, { authorization: `Bearer ${a.bearer}` })
      ).json();
      const anonymous = await (
        await postJson({ csv: csv(unique('anon')), email: email(), name: 'Ivy' })
      ).json();
      await app.server.idle();
      const url = at(`/api/analyses/${created.id}`);
      expect((await fetch(url, { headers: { authorization: `Bearer ${a.bearer}` } })).status).toBe(200);
      // A link followed from another site (cross-site GET) still carries the owner's cookie session.
      expect(
        (await fetch(url, { headers: { cookie: a.cookie, 'sec-fetch-site': 'cross-site' } })).status,
      ).toBe(200);
      // A cross-site POST with the cookie is treated as anonymous: without email and name it is refused.
      const riding = await postJson({ csv: csv(unique('ride')) }, { cookie: a.cookie, origin: SHOP });
      expect(riding.status).toBe(422);
      for (const headers of [{ authorization: `Bearer ${b.bearer}` }, {}] as Record<string, string>[]) {
        expect((await fetch(url, { headers })).status).toBe(404);
        expect((await fetch(url, { method: 'DELETE', headers })).status).toBe(
          Object.keys(headers).length ? 404 : 401,
        );
      }
      expect((await fetch(`${url}?access=${'A'.repeat(43)}`)).status).toBe(404);
      expect((await fetch(anonymous.statusUrl)).status).toBe(200);
      expect((await fetch(anonymous.statusUrl.replace(/access=.*/, `access=${'B'.repeat(43)}`))).status).toBe(
        404,
      );
      expect(
        (await fetch(at('/api/analyses/not-a-uuid'), { headers: { authorization: `Bearer ${a.bearer}` } }))
          .status,
      ).toBe(404);
      const renamed = await fetch(url, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${a.bearer}`, 'content-type': 'application/json' },
        body: '{"fileName":"Week 45"}',
      });
      expect(await renamed.json()).toMatchObject({ fileName: 'Week 45' });
      expect(
        (
          await fetch(url, {
            method: 'PATCH',
            headers: { authorization: `Bearer ${b.bearer}`, 'content-type': 'application/json' },
            body: '{"fileName":"x"}',
          })
        ).status,
      ).toBe(404);
      expect(
        (await fetch(url, { method: 'DELETE', headers: { authorization: `Bearer ${a.bearer}` } })).status,
      ).toBe(204);
      expect((await fetch(url, { headers: { authorization: `Bearer ${a.bearer}` } })).status).toBe(404);
    });

    it('lists own analyses with keyset pages and a status filter', async () => {
      const { bearer } = await signIn(app, email());
      for (let n = 0; n < 5; n++)
        await postJson({ csv: csv(unique('l')) }, { authorization: `Bearer ${bearer}` });
      await app.server.idle();
      const headers = { authorization: `Bearer ${bearer}` };
      const first = await (await fetch(at('/api/analyses?limit=2'), { headers })).json();
      expect(first.items).toHaveLength(2);
      const second = await (
        await fetch(at(`/api/analyses?limit=10&cursor=${first.nextCursor}`), { headers })
      ).json();
      expect(second.items).toHaveLength(3);
      expect(second.nextCursor).toBeNull();
      expect((await (await fetch(at('/api/analyses?status=failed'), { headers })).json()).items).toEqual([]);
      // A cursor this API did not make is an invalid query value like any other: 422, naming it.
      const garbage = await fetch(at('/api/analyses?cursor=garbage'), { headers });
      expect(garbage.status).toBe(422);
      expect((await garbage.json()).errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
      expect((await fetch(at('/api/analyses?limit=1000'), { headers })).status).toBe(422);
    });

    it('runs the cron cleanup only with the secret, once at a time, idempotently, with effects', async () => {
      const cron = (authorization?: string) =>
        fetch(at('/api/cron/cleanup'), { headers: authorization ? { authorization } : {} });
      expect((await cron()).status).toBe(401);
      expect((await cron('Bearer wrong')).status).toBe(401);
      expect((await cron(`Bearer ${CRON_SECRET}x`)).status).toBe(401);

      const owner = await getUserByEmail(
        app.db,
        await (async () => {
          const address = email();
          await signIn(app, address);
          return address;
        })(),
      );
      const base = {
        userId: owner?.id ?? '',
        fileName: 'old.csv',
        sizeBytes: 1,
        analyzerVersion: ENGINE_VERSION,
      };
      const stale = await createAnalysis(app.db, {
        ...base,
        contentHash: 'e'.repeat(64),
        createdAt: new Date(Date.now() - 3600_000),
      });
      const expired = await createAnalysis(app.db, {
        ...base,
        contentHash: 'f'.repeat(64),
        status: 'completed',
        result: {},
        createdAt: new Date(Date.now() - 400 * 86_400_000),
      });
      await app.kv.set(keys.analysisCache('0.0.1-old', 'a'.repeat(64)), '{}', { ttlMs: 60_000 });
      await app.kv.set(keys.analysisCache(ENGINE_VERSION, 'f'.repeat(64)), '{}', { ttlMs: 60_000 });

      const held = await acquireLock(app.kv, 'cron-cleanup', 10_000);
      const overlapping = await (await cron(`Bearer ${CRON_SECRET}`)).json();
      expect(overlapping).toMatchObject({ ran: false, reason: expect.stringContaining('lock') });
      await held?.release();

      // A duplicate delivery at the same moment: one holds the lock or both run, but the work is done once.
      const both = await Promise.all([cron(`Bearer ${CRON_SECRET}`), cron(`Bearer ${CRON_SECRET}`)]).then(
        (rs) => Promise.all(rs.map((r) => r.json())),
      );
      const total = (field: string) => both.reduce((sum, summary) => sum + (summary[field] ?? 0), 0);
      expect(both.some((summary) => summary.ran)).toBe(true);
      expect(total('staleMarkedFailed')).toBeGreaterThanOrEqual(1);
      expect(total('expiredAnalysesDeleted')).toBe(1);
      expect(total('cacheEntriesRemoved')).toBeGreaterThanOrEqual(2);
      const rows = await queryRows<{ id: string; status: string; error_code: string }>(
        app.db,
        sql`select id, status, error_code from analyses where id in (${stale.id}, ${expired.id})`,
      );
      expect(rows).toEqual([{ id: stale.id, status: 'failed', error_code: 'ANALYSIS_TIMED_OUT' }]);
      expect(await app.kv.get(keys.analysisCache('0.0.1-old', 'a'.repeat(64)))).toBeNull();
      const again = await (await cron(`Bearer ${CRON_SECRET}`)).json();
      expect(again).toMatchObject({ ran: true, staleMarkedFailed: 0, expiredAnalysesDeleted: 0 });
    });

    it('refuses to run the cron without CRON_SECRET configured', async () => {
      const undo = useEnv({ CRON_SECRET: undefined });
      try {
        const response = await fetch(at('/api/cron/cleanup'), {
          headers: { authorization: 'Bearer undefined' },
        });
        expect(response.status).toBe(500);
        expect((await response.json()).type).toBe(new URL('/problems/misconfigured', config().appUrl).href);
      } finally {
        undo();
      }
    });

    it('survives a fuzz run over every route: no 5xx, nothing stored', async () => {
      let seed = 7;
      const random = () => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return seed / 2 ** 32;
      };
      const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
      const paths = app.server.routes.map(
        (route) =>
          `/${route.file
            .replace(/\.ts$/, '')
            .replace(/\/index$/, '')
            .replace('[id]', pick(['x', crypto.randomUUID(), '%ff', '']))}`,
      );
      const bodies = [
        '',
        '{',
        '{"email":1}',
        'csv=%',
        '\u0000\u0001',
        'a'.repeat(5000),
        JSON.stringify({ csv: 'a;b\n1;2', email: 'x' }),
        '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\n',
      ];
      const types = [
        'application/json',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'multipart/form-data',
        'text/plain',
        '',
      ];
      const before = await count();
      const failures: string[] = [];
      for (let n = 0; n < 200; n++) {
        const method = pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']);
        const path = pick(paths);
        const headers: Record<string, string> = { 'content-type': pick(types) };
        if (random() < 0.3)
          headers.authorization = pick(['Bearer x', `Bearer ${'A'.repeat(43)}`, 'Basic zz', 'Bearer']);
        if (random() < 0.3) headers.cookie = pick(['__Host-session=x', '__Host-session=', 'a=b']);
        if (random() < 0.3) headers.origin = pick([SHOP, 'https://evil.example', 'null']);
        const body = method === 'GET' || method === 'HEAD' ? undefined : pick(bodies);
        const response = await fetch(
          at(`${path}?${pick(['', 'token=x', 'limit=-1', 'cursor=%%', 'id=1', 'access=x'])}`),
          { method, headers, body },
        );
        if (response.status >= 500)
          failures.push(`${method} ${path} -> ${response.status} ${await response.text()}`);
        else await response.arrayBuffer();
      }
      await app.server.idle();
      expect(failures).toEqual([]);
      expect(await count()).toBe(before);
    }, 30_000);
  });
});

describe('analyses when KV is down (embedded database)', () => {
  let app: App;
  const [, startEmbedded] = appBackends[0] as (typeof appBackends)[number];
  openForSuite(true, startEmbedded, (started) => {
    app = started;
  });

  it('answers 503 problem+json and stores nothing: never an unlimited pass', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const down = new MemoryKv();
    const fail = () => Promise.reject(new KvUnavailableError('down'));
    Object.assign(down, { hitSlidingWindows: fail, get: fail, set: fail, addToSet: fail, takeOnce: fail });
    provideKv(down);
    try {
      const before = await queryRows<{ n: number }>(app.db, sql`select count(*)::int as n from analyses`);
      const response = await fetch(`${app.server.url}/api/analyses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ csv: csv('kv-down'), email: `${unique('k')}@example.com`, name: 'Kim' }),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.headers.get('retry-after')).toBe('5');
      const after = await queryRows<{ n: number }>(app.db, sql`select count(*)::int as n from analyses`);
      expect(after[0]?.n).toBe(before[0]?.n);
    } finally {
      provideKv(app.kv);
      vi.restoreAllMocks();
    }
  });
});

describe.skipIf(!(services.postgres && services.kv))('analyses when a real backend stops answering', () => {
  let app: App;
  const [, startReal] = appBackends[1] as (typeof appBackends)[number];
  openForSuite(true, startReal, (started) => {
    app = started;
  });

  const submit = () =>
    fetch(`${app.server.url}/api/analyses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-real-ip': '192.0.2.200' },
      body: JSON.stringify({ csv: csv(unique('fault')), email: `${unique('f')}@example.com`, name: 'Flo' }),
    });
  const rows = async () =>
    (await queryRows<{ n: number }>(app.db, sql`select count(*)::int as n from analyses`))[0]?.n;

  it('answers 503 problem+json when Redis answers errors or stalls, storing no analysis', {
    timeout: 10_000,
  }, async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const bridgeUrl = process.env.KV_REST_API_URL ?? '';
    const before = await rows();
    // Point the app's KV client at an address where nothing listens: a stopped Redis, as the client sees it.
    const undo = useEnv({ KV_REST_API_URL: 'http://127.0.0.1:9' });
    try {
      const response = await submit();
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    } finally {
      undo();
      vi.restoreAllMocks();
    }
    expect(process.env.KV_REST_API_URL).toBe(bridgeUrl);
    expect(await rows()).toBe(before);
  });

  it('answers 503 problem+json when PostgreSQL cannot be reached, and works again after', {
    timeout: 15_000,
  }, async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const undo = useEnv({
      POSTGRES_WS_PROXY: '127.0.0.1:9/v2',
      POSTGRES_HTTP_ENDPOINT: 'http://127.0.0.1:9/sql',
    });
    try {
      const response = await submit();
      expect(response.status).toBe(503);
      expect((await response.json()).type).toBe(new URL('/problems/unavailable', config().appUrl).href);
    } finally {
      undo();
      vi.restoreAllMocks();
    }
    const again = await submit();
    expect(again.status).toBe(202);
    await app.server.idle();
  });

  it('logs faults by kind and size only: no address, token or report in any line, none over 2 KB', {
    timeout: 30_000,
  }, async () => {
    const bridge = app.bridge;
    if (!bridge) throw new Error('bridge expected');
    const captured = captureLogs();
    const address = `${unique('leak')}@example.com`;
    const marker = unique('Customer-Line');
    const post = () =>
      fetch(`${app.server.url}/api/analyses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-real-ip': '192.0.2.201' },
        body: JSON.stringify({ csv: csv(marker), email: address, name: 'Lea' }),
      });
    let token = '';
    try {
      // Redis refuses writes: the report's cache write fails (the client quotes the whole command).
      bridge.setFault('refuse-writes');
      const accepted = await post();
      token = new URL((await accepted.json()).statusUrl ?? 'http://x/').searchParams.get('access') ?? '';
      await app.server.idle();
      // A sign-in link cannot be stored (its value holds the address).
      const login = await fetch(`${app.server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: address }),
      });
      expect(login.status).toBe(503);
      // Redis answers errors, then PostgreSQL cannot be reached.
      bridge.setFault('error');
      expect((await post()).status).toBe(503);
      bridge.setFault('none');
      const undo = useEnv({
        POSTGRES_WS_PROXY: '127.0.0.1:9/v2',
        POSTGRES_HTTP_ENDPOINT: 'http://127.0.0.1:9/sql',
      });
      try {
        expect((await post()).status).toBe(503);
      } finally {
        undo();
      }
      await app.server.idle();
    } finally {
      bridge.setFault('none');
      captured.restore();
    }
    expect(captured.lines.some((line) => line.includes('cache_write_failed'))).toBe(true);
    expect(captured.lines.some((line) => line.includes('request_failed'))).toBe(true);
    for (const line of captured.lines) {
      expect(line.length).toBeLessThanOrEqual(2048);
      expect(line).not.toContain(address);
      expect(line).not.toContain(marker);
      if (token) expect(line).not.toContain(token);
      expect(line).not.toMatch(/schemaVersion|kpis|command was/i);
    }
  });

  it('survives a dropped idle connection: the pool reports it, and the next query works', {
    timeout: 20_000,
  }, async () => {
    const captured = captureLogs();
    const session = openDatabase();
    try {
      // Only interactive transactions hold a connection (the rest is HTTP): one leaves it idle in the pool.
      const [{ pid }] = (await (
        await session.db
      ).transaction((tx) => queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`))) as [
        { pid: number },
      ];
      await queryRows(app.db, sql`select pg_terminate_backend(${pid})`);
      for (let i = 0; i < 100 && !captured.lines.some((line) => line.includes('db_connection_lost')); i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(captured.lines.some((line) => line.includes('db_connection_lost'))).toBe(true);
      const [{ ok }] = (await (
        await session.db
      ).transaction((tx) => queryRows<{ ok: number }>(tx, sql`select 1 as ok`))) as [{ ok: number }];
      expect(ok).toBe(1);
    } finally {
      captured.restore();
      await session.release();
    }
    expect((await fetch(`${app.server.url}/api/health`)).status).toBe(200);
  });
});
