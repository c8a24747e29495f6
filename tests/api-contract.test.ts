import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../lib/config';
import { openApiDocument } from '../lib/contracts';
import { servedOpenApi } from '../lib/contracts/served';
import { OPENAPI_FILE, openApiModule } from '../tools/openapi-document';
import { type App, appBackends, signIn } from './support/app';
import { ContractChecker, type OpenApiDocument, redoclyLint } from './support/contract';
import { unique } from './support/kv';
import { useEnv } from './support/services';

const SHOP = 'https://shop.example';
const CRON_SECRET = 'cron-secret-for-contract-tests-0123';
const csv = (marker: string) =>
  `Machine;Planned [min];Downtime [min];Total;Scrap;Ideal Cycle Time [s];Note\nA;480;48;1000;20;20;${marker}\nB;480;30;900;9;25;${marker}\n`;

describe('the served OpenAPI document', () => {
  it('is the one the schemas give (regenerate with npm run openapi)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(openApiModule());
  });

  it("carries the deployment's origin and version wherever the schemas' document does", () => {
    for (const [version, appUrl] of [
      ['1.4.2', 'https://analyzer.example.com/'],
      ['0.1.0-dev "quoted"', 'http://localhost:3000/some/path'],
    ] as const)
      expect(JSON.parse(servedOpenApi(version, appUrl))).toEqual(openApiDocument(version, appUrl));
  });
});

/**
 * Every operation of the served OpenAPI document, called as a client would, success and each error
 * class, with every real response (status, headers, body) validated against the document by ajv.
 * The document itself passes @redocly/cli lint with no problem at all.
 */
describe.each(appBackends)('the API contract on %s', (_name, start, available) => {
  let app: App;
  let restore: () => void;
  let document: OpenApiDocument;
  let contract: ContractChecker;

  beforeAll(async () => {
    if (!available) return;
    restore = useEnv({ FORM_ALLOWED_ORIGINS: SHOP, FORM_REDIRECT_HOSTS: 'shop.example', CRON_SECRET });
    app = await start();
    document = (await (await fetch(`${app.server.url}/api/openapi`)).json()) as OpenApiDocument;
    contract = new ContractChecker(document);
  });
  afterAll(async () => {
    await app?.close();
    restore?.();
  });

  const octet = () => Math.floor(Math.random() * 254) + 1;
  const ip = () => `100.${octet()}.${octet()}.${octet()}`;
  const email = () => `${unique('contract')}@example.com`;
  type Call = {
    path?: Record<string, string>;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    json?: unknown;
    form?: Record<string, string>;
    multipart?: FormData;
    body?: string;
    bearer?: string;
  };
  /** Calls an operation by its operationId and validates the answer; answers status, headers, body. */
  const call = async (operationId: string, init: Call = {}) => {
    const { method, path } = contract.operation(operationId);
    const url = new URL(
      path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(init.path?.[name] ?? '')),
      app.server.url,
    );
    for (const [name, value] of Object.entries(init.query ?? {})) url.searchParams.set(name, value);
    const headers = new Headers({ 'x-real-ip': ip(), ...init.headers });
    if (init.bearer) headers.set('authorization', `Bearer ${init.bearer}`);
    let body: BodyInit | undefined = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    } else if (init.form) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams(init.form);
    } else if (init.multipart) body = init.multipart;
    const response = await fetch(url, { method: method.toUpperCase(), headers, body, redirect: 'manual' });
    const status = response.status;
    const responseHeaders = response.headers;
    const parsed = await contract.check(operationId, response);
    return {
      status,
      headers: responseHeaders,
      body: parsed as Record<string, unknown> & { errors?: unknown },
    };
  };
  const mailedToken = async (to: string) => {
    await app.server.idle();
    const messages = (await (await fetch(`${app.server.url}/__dev/outbox`)).json()) as {
      to: string;
      url: string;
    }[];
    const link = messages.filter((message) => message.to === to && message.url.includes('token=')).at(-1);
    return new URL(link?.url ?? 'http://x/').searchParams.get('token') ?? '';
  };
  const upload = (text: string, name = 'line.csv') => {
    const form = new FormData();
    form.set('file', new File([text], name, { type: 'text/csv' }));
    return form;
  };

  describe.skipIf(!available)('operations', () => {
    it('the document is OpenAPI 3.1 that @redocly/cli lints with no errors and no warnings', async () => {
      expect(document.openapi).toBe('3.1.0');
      const report = await redoclyLint(document);
      expect(report.problems.map((problem) => `${problem.ruleId}: ${problem.message}`)).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
      // Path parameters are in the path, every operation has an id, problem types resolve to pages.
      expect(JSON.stringify(document)).not.toContain('"in":"query","name":"id"');
      expect(new Set(contract.operationIds).size).toBe(contract.operationIds.length);
      const problemPage = await fetch(new URL('/problems/not-found', config().appUrl));
      expect(problemPage.status).toBe(200);
      expect(await problemPage.text()).toContain('404 Not found');
    });

    it('platform: health, the document, the scheduled cleanup', async () => {
      expect((await call('getHealth')).status).toBe(200);
      expect((await call('getOpenApi')).status).toBe(200);
      expect((await call('runCleanup', { headers: { authorization: `Bearer ${CRON_SECRET}` } })).status).toBe(
        200,
      );
      expect((await call('runCleanup', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      const undo = useEnv({ CRON_SECRET: undefined });
      try {
        expect((await call('runCleanup', { headers: { authorization: 'Bearer undefined' } })).status).toBe(
          500,
        );
      } finally {
        undo();
      }
    });

    it('sign-in: the link request, the confirmation page and its confirmation, each refusal', async () => {
      const address = email();
      expect((await call('requestSignIn', { json: { email: address } })).status).toBe(202);
      expect(
        (await call('requestSignIn', { body: '{', headers: { 'content-type': 'application/json' } })).status,
      ).toBe(400);
      expect((await call('requestSignIn', { json: { email: 'nope' } })).status).toBe(422);
      expect(
        (await call('requestSignIn', { body: 'x', headers: { 'content-type': 'text/plain' } })).status,
      ).toBe(415);
      expect(
        (await call('requestSignIn', { json: { email: address, pad: 'x'.repeat(20_000) } })).status,
      ).toBe(413);
      expect(
        (
          await call('requestSignIn', {
            json: { email: address },
            headers: { origin: 'https://evil.example' },
          })
        ).status,
      ).toBe(403);
      let limited = 0;
      for (let attempt = 0; attempt < 8 && limited === 0; attempt++)
        if ((await call('requestSignIn', { json: { email: address } })).status === 429) limited++;
      expect(limited).toBe(1);

      const token = await mailedToken(address);
      expect((await call('showSignInConfirmation', { query: { token } })).status).toBe(200);
      expect((await call('showSignInConfirmation', { query: { token: 'not-a-token' } })).status).toBe(400);
      expect((await call('showSignInConfirmation')).status).toBe(422);
      const script = { accept: 'application/json' };
      const asScript = { headers: script };
      expect((await call('confirmSignIn', { ...asScript, json: { token: 'not-a-token' } })).status).toBe(400);
      expect(
        (await call('confirmSignIn', { form: { token: 'not-a-token' }, headers: { origin: app.server.url } }))
          .status,
      ).toBe(400);
      expect(
        (await call('confirmSignIn', { form: { token }, headers: { origin: 'https://evil.example' } }))
          .status,
      ).toBe(403);
      expect((await call('confirmSignIn', { ...asScript, json: {} })).status).toBe(422);
      expect(
        (await call('confirmSignIn', { body: 'x', headers: { ...script, 'content-type': 'text/plain' } }))
          .status,
      ).toBe(415);
      expect(
        (await call('confirmSignIn', { ...asScript, json: { token, pad: 'x'.repeat(20_000) } })).status,
      ).toBe(413);
      const issued = await call('confirmSignIn', { ...asScript, json: { token } });
      expect(issued.status).toBe(200);
      expect((await call('confirmSignIn', { ...asScript, json: { token } })).status).toBe(410);
      expect((await call('showSignInConfirmation', { query: { token } })).status).toBe(410);
      const other = email();
      await call('requestSignIn', { json: { email: other } });
      const browser = await call('confirmSignIn', {
        form: { token: await mailedToken(other) },
        headers: { origin: app.server.url },
      });
      expect(browser.status).toBe(303);
    });

    it('account: me, sessions, export, sign-out, erasure', async () => {
      const { bearer, cookie } = await signIn(app, email());
      expect((await call('getMe', { bearer })).status).toBe(200);
      expect((await call('getMe')).status).toBe(401);
      const sessions = await call('listSessions', { bearer });
      expect(sessions.status).toBe(200);
      expect((await call('listSessions')).status).toBe(401);
      expect((await call('exportAccount', { bearer })).status).toBe(200);
      expect((await call('exportAccount')).status).toBe(401);
      const items = sessions.body.items as { id: string; current: boolean }[];
      const otherSession = items.find((session) => !session.current)?.id ?? '';
      expect((await call('endSession', { bearer, path: { id: 'nothex' } })).status).toBe(422);
      expect((await call('endSession', { bearer, path: { id: '0123456789ab' } })).status).toBe(404);
      expect((await call('endSession', { path: { id: otherSession } })).status).toBe(401);
      expect(
        (
          await call('endSession', {
            headers: { cookie, origin: 'https://evil.example' },
            path: { id: otherSession },
          })
        ).status,
      ).toBe(403);
      expect((await call('endSession', { bearer, path: { id: otherSession } })).status).toBe(204);

      const second = await signIn(app, email());
      expect(
        (await call('signOut', { headers: { cookie: second.cookie, origin: 'https://evil.example' } }))
          .status,
      ).toBe(403);
      expect((await call('signOut', { bearer: second.bearer })).status).toBe(204);
      expect((await call('signOut', { bearer: second.bearer })).status).toBe(401);
      expect(
        (
          await call('signOutEverywhere', {
            headers: { cookie: second.cookie, origin: 'https://evil.example' },
          })
        ).status,
      ).toBe(403);
      expect(
        (await call('signOutEverywhere', { headers: { cookie: second.cookie, origin: app.server.url } }))
          .status,
      ).toBe(204);
      expect((await call('signOutEverywhere')).status).toBe(401);

      expect(
        (await call('eraseAccount', { headers: { cookie, origin: 'https://evil.example' } })).status,
      ).toBe(403);
      expect((await call('eraseAccount')).status).toBe(401);
      expect((await call('eraseAccount', { bearer })).status).toBe(204);
    });

    it('analyses: submit, list, read, rename, renew, delete, each refusal', async () => {
      const { bearer, cookie } = await signIn(app, email());
      const text = csv(unique('c'));
      const accepted = await call('submitAnalysis', { bearer, multipart: upload(text) });
      expect(accepted.status).toBe(202);
      const id = String(accepted.body.id);
      await app.server.idle();
      // The same file again, by its owner: answered from the cache, complete with its report.
      expect((await call('submitAnalysis', { bearer, multipart: upload(text) })).status).toBe(201);
      const read = await call('getAnalysis', { bearer, path: { id } });
      expect(read.status).toBe(200);
      const etag = read.headers.get('etag') ?? '';
      expect(
        (await call('getAnalysis', { bearer, path: { id }, headers: { 'if-none-match': etag } })).status,
      ).toBe(304);
      expect((await call('getAnalysis', { path: { id } })).status).toBe(404);
      expect((await call('getAnalysis', { path: { id }, bearer: 'x'.repeat(43) })).status).toBe(401);
      expect((await call('getAnalysis', { path: { id }, query: { access: 'x'.repeat(300) } })).status).toBe(
        422,
      );

      // Anonymous, from a registered form; a form post with a redirect; the link's reader.
      const anonymous = await call('submitAnalysis', {
        json: { csv: csv(unique('a')), email: email(), name: 'Ana' },
        headers: { origin: SHOP },
      });
      expect(anonymous.status).toBe(202);
      const link = new URL(String(anonymous.body.statusUrl));
      await app.server.idle();
      expect(
        (
          await call('getAnalysis', {
            path: { id: String(anonymous.body.id) },
            query: { access: link.searchParams.get('access') ?? '' },
          })
        ).status,
      ).toBe(200);
      const redirected = await call('submitAnalysis', {
        form: { csv: csv(unique('f')), email: email(), name: 'Fee', redirect: `${SHOP}/thanks` },
        headers: { origin: SHOP },
      });
      expect(redirected.status).toBe(303);

      // Refusals, none of which costs anything.
      expect(
        (await call('submitAnalysis', { body: '{', headers: { 'content-type': 'application/json' } })).status,
      ).toBe(400);
      expect((await call('submitAnalysis', { bearer: 'x'.repeat(43), multipart: upload(text) })).status).toBe(
        401,
      );
      expect(
        (
          await call('submitAnalysis', {
            json: { csv: text, email: email(), name: 'E' },
            headers: { origin: 'https://evil.example' },
          })
        ).status,
      ).toBe(403);
      expect(
        (await call('submitAnalysis', { bearer, multipart: upload('x'.repeat(4 * 1024 * 1024 + 1)) })).status,
      ).toBe(413);
      expect(
        (await call('submitAnalysis', { bearer, body: text, headers: { 'content-type': 'text/csv' } }))
          .status,
      ).toBe(415);
      const png = new FormData();
      png.set(
        'file',
        new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])], 'chart.csv'),
      );
      const binary = await call('submitAnalysis', { bearer, multipart: png });
      expect(binary).toMatchObject({ status: 415, body: { code: 'BINARY_FILE' } });
      const prose = await call('submitAnalysis', {
        bearer,
        multipart: upload('Dear team,\nplease find the numbers attached.\n'),
      });
      expect(prose).toMatchObject({ status: 422, body: { code: 'NOT_TABULAR' } });
      expect((await call('submitAnalysis', { json: { csv: text } })).status).toBe(422);

      // Idempotency: a replay, the key with another body, and a duplicate while the first runs.
      const key = crypto.randomUUID();
      const first = await call('submitAnalysis', {
        bearer,
        multipart: upload(csv(unique('i'))),
        headers: { 'idempotency-key': key },
      });
      const again = await call('submitAnalysis', {
        bearer,
        multipart: upload(csv(unique('other'))),
        headers: { 'idempotency-key': key },
      });
      expect(again).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
      expect(first.status).toBe(202);
      // Duplicates at once: one effect. The others are told to wait (409) or, if the first has
      // answered by then, get its answer again.
      const before = (
        (await call('listAnalyses', { bearer, query: { limit: '100' } })).body.items as unknown[]
      ).length;
      const racing = crypto.randomUUID();
      const racer = csv(unique('r'));
      const answers = await Promise.all(
        [0, 1, 2].map(() =>
          call('submitAnalysis', {
            bearer,
            multipart: upload(racer),
            headers: { 'idempotency-key': racing },
          }),
        ),
      );
      const created = answers.filter(
        (answer) => answer.status === 202 && !answer.headers.has('idempotent-replayed'),
      );
      expect(created).toHaveLength(1);
      for (const answer of answers) {
        expect([202, 409]).toContain(answer.status);
        if (answer.status === 202) expect(answer.body.id).toBe(created[0]?.body.id);
      }
      const replay = await call('submitAnalysis', {
        bearer,
        multipart: upload(racer),
        headers: { 'idempotency-key': racing },
      });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body.id).toBe(created[0]?.body.id);
      const after = (
        (await call('listAnalyses', { bearer, query: { limit: '100' } })).body.items as unknown[]
      ).length;
      expect(after).toBe(before + 1);

      // The quota (5 a day): three stored so far and one cached (all count), so the sixth is refused,
      // with the headers to wait by.
      let limited: Awaited<ReturnType<typeof call>> | undefined;
      for (let attempt = 0; attempt < 6 && !limited; attempt++) {
        const answer = await call('submitAnalysis', { bearer, multipart: upload(csv(unique('q'))) });
        if (answer.status === 429) limited = answer;
      }
      expect(limited?.headers.get('retry-after')).toMatch(/^\d+$/);

      const listed = await call('listAnalyses', { bearer, query: { limit: '2' } });
      expect(listed.status).toBe(200);
      expect((await call('listAnalyses', { bearer, query: { cursor: 'garbage' } })).status).toBe(422);
      expect((await call('listAnalyses', { bearer, query: { limit: '0' } })).status).toBe(422);
      expect((await call('listAnalyses')).status).toBe(401);

      expect(
        (await call('updateAnalysis', { bearer, path: { id }, json: { fileName: 'Line 3.csv' } })).status,
      ).toBe(200);
      expect((await call('updateAnalysis', { bearer, path: { id }, json: { access: 'renew' } })).status).toBe(
        200,
      );
      expect(
        (
          await call('updateAnalysis', {
            bearer,
            path: { id },
            body: '{',
            headers: { 'content-type': 'application/json' },
          })
        ).status,
      ).toBe(400);
      expect((await call('updateAnalysis', { path: { id }, json: { fileName: 'x' } })).status).toBe(401);
      expect(
        (
          await call('updateAnalysis', {
            headers: { cookie, origin: 'https://evil.example' },
            path: { id },
            json: { fileName: 'x' },
          })
        ).status,
      ).toBe(403);
      expect(
        (await call('updateAnalysis', { bearer, path: { id: crypto.randomUUID() }, json: { fileName: 'x' } }))
          .status,
      ).toBe(404);
      expect(
        (await call('updateAnalysis', { bearer, path: { id }, json: { fileName: 'x'.repeat(20_000) } }))
          .status,
      ).toBe(413);
      expect(
        (
          await call('updateAnalysis', {
            bearer,
            path: { id },
            body: 'x',
            headers: { 'content-type': 'text/plain' },
          })
        ).status,
      ).toBe(415);
      expect((await call('updateAnalysis', { bearer, path: { id }, json: {} })).status).toBe(422);

      expect((await call('deleteAnalysis', { path: { id } })).status).toBe(401);
      expect(
        (await call('deleteAnalysis', { headers: { cookie, origin: 'https://evil.example' }, path: { id } }))
          .status,
      ).toBe(403);
      expect((await call('deleteAnalysis', { bearer, path: { id } })).status).toBe(204);
      expect((await call('deleteAnalysis', { bearer, path: { id } })).status).toBe(404);
    });

    it('reports: the page in both languages, answers to its questions, each refusal', async () => {
      const address = email();
      const text = csv(unique('r')).replaceAll(';Note\n', ';Extra\n');
      const submitted = await call('submitAnalysis', { json: { csv: text, email: address, name: 'Rea' } });
      const id = String(submitted.body.id);
      const access = new URL(String(submitted.body.reportUrl)).searchParams.get('access') ?? '';
      await app.server.idle();
      const page = await call('getReportPage', { path: { id }, query: { access, lang: 'de' } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-language')).toBe('de');
      expect(String(page.body)).toContain('<html lang="de">');
      const english = await call('getReportPage', {
        path: { id },
        query: { access },
        headers: { 'accept-language': 'en-US,en;q=0.8' },
      });
      expect(english.headers.get('content-language')).toBe('en');
      expect((await call('getReportPage', { path: { id } })).status).toBe(404);
      expect((await call('getReportPage', { path: { id }, query: { access, lang: 'fr' } })).status).toBe(422);

      // "Extra" is a column the engine did not read: the page asks what it is.
      const answers = (
        file: string,
        fields: Record<string, string> = { 'columnName.0': 'Extra', 'column.0': 'part' },
      ) => {
        const form = upload(file);
        for (const [name, value] of Object.entries(fields)) form.set(name, value);
        return form;
      };
      const rerun = await call('answerReportQuestions', {
        path: { id },
        query: { access },
        multipart: answers(text),
      });
      expect(rerun.status).toBe(303);
      const location = new URL(rerun.headers.get('location') ?? '', app.server.url);
      expect(location.pathname).toMatch(/^\/reports\/[0-9a-f-]{36}$/);
      expect(location.searchParams.get('access')).toBe(access); // the same link reads the re-run
      const wrongFile = await call('answerReportQuestions', {
        path: { id },
        query: { access },
        multipart: answers(csv(unique('other'))),
      });
      expect(wrongFile.status).toBe(422);
      const none = await call('answerReportQuestions', {
        path: { id },
        query: { access },
        multipart: answers(text, {}),
      });
      expect(none.status).toBe(422);
      expect(
        (
          await call('answerReportQuestions', {
            path: { id },
            query: { access },
            body: 'column.0=part',
            headers: { 'content-type': 'text/plain' },
          })
        ).status,
      ).toBe(415);
      expect(
        (
          await call('answerReportQuestions', {
            path: { id },
            query: { access },
            multipart: answers('x'.repeat(4 * 1024 * 1024 + 1)),
          })
        ).status,
      ).toBe(413);
      expect((await call('answerReportQuestions', { path: { id }, multipart: answers(text) })).status).toBe(
        404,
      );

      // A failed analysis has no questions to answer.
      const { bearer } = await signIn(app, email());
      const failed = await call('submitAnalysis', {
        bearer,
        json: { csv: csv(unique('x')), options: { mapping: { Nope: 'part' } } },
      });
      await app.server.idle();
      expect(
        (
          await call('answerReportQuestions', {
            path: { id: String(failed.body.id) },
            bearer,
            multipart: answers(text),
          })
        ).status,
      ).toBe(409);
      // Once its address signs in and opens the link, the analysis is theirs: the link alone re-runs nothing.
      const owner = await signIn(app, address);
      expect(
        (await call('getAnalysis', { path: { id }, query: { access }, bearer: owner.bearer })).status,
      ).toBe(200);
      expect(
        (await call('answerReportQuestions', { path: { id }, query: { access }, multipart: answers(text) }))
          .status,
      ).toBe(403);
    });

    it('keys: create, list, revoke; a key within its scopes, never on account routes', async () => {
      const { bearer, cookie } = await signIn(app, email());
      const create = (json: unknown, as = bearer) => call('createApiKey', { bearer: as, json });
      const reader = await create({ name: 'BI tool', scopes: ['analyses:read'] });
      expect(reader.status).toBe(201);
      expect(String(reader.body.key)).toMatch(/^mia_[A-Za-z0-9_-]{43}$/);
      const writer = await create({ name: 'MES job', scopes: ['analyses:write'] });
      const [read, write] = [String(reader.body.key), String(writer.body.key)];
      expect((await create({ name: 'x', scopes: ['everything'] })).status).toBe(422);
      expect(
        (await call('createApiKey', { bearer, body: '{', headers: { 'content-type': 'application/json' } }))
          .status,
      ).toBe(400);
      expect(
        (await call('createApiKey', { bearer, body: 'x', headers: { 'content-type': 'text/plain' } })).status,
      ).toBe(415);
      expect((await create({ name: 'x', scopes: ['analyses:read'] }, '')).status).toBe(401);
      expect((await create({ name: 'x', scopes: ['analyses:read'] }, write)).status).toBe(403); // a key makes no keys
      const listed = await call('listApiKeys', { bearer });
      expect(listed.status).toBe(200);
      expect(JSON.stringify(listed.body)).not.toContain(read.slice(12)); // never the key again
      expect((await call('listApiKeys')).status).toBe(401);
      expect((await call('listApiKeys', { bearer: read })).status).toBe(403);
      for (const operationId of ['getMe', 'listSessions', 'exportAccount'])
        expect((await call(operationId, { bearer: read })).status).toBe(403);

      // Within its scopes.
      const upload = new FormData();
      upload.set('file', new File([csv(unique('k'))], 'keyed.csv', { type: 'text/csv' }));
      const submitted = await call('submitAnalysis', { bearer: write, multipart: upload });
      expect(submitted.status).toBe(202);
      const id = String(submitted.body.id);
      await app.server.idle();
      expect((await call('getAnalysis', { bearer: read, path: { id } })).status).toBe(200);
      expect((await call('getReportPage', { bearer: read, path: { id } })).status).toBe(200);
      expect((await call('listAnalyses', { bearer: read })).status).toBe(200);
      expect((await call('listAnalyses', { bearer: write })).status).toBe(403);
      expect((await call('getAnalysis', { bearer: write, path: { id } })).status).toBe(403);
      expect((await call('getReportPage', { bearer: write, path: { id } })).status).toBe(403);
      expect((await call('submitAnalysis', { bearer: read, multipart: upload })).status).toBe(403);
      expect(
        (await call('answerReportQuestions', { bearer: read, path: { id }, multipart: upload })).status,
      ).toBe(403);
      expect(
        (await call('updateAnalysis', { bearer: read, path: { id }, json: { fileName: 'x.csv' } })).status,
      ).toBe(403);
      expect((await call('deleteAnalysis', { bearer: read, path: { id } })).status).toBe(403);
      expect(
        (await call('updateAnalysis', { bearer: write, path: { id }, json: { fileName: 'renamed.csv' } }))
          .status,
      ).toBe(200);

      // Revoked: the next request fails.
      const revokeId = String(reader.body.id);
      expect((await call('revokeApiKey', { path: { id: revokeId } })).status).toBe(401);
      expect(
        (
          await call('revokeApiKey', {
            headers: { cookie, origin: 'https://evil.example' },
            path: { id: revokeId },
          })
        ).status,
      ).toBe(403);
      expect((await call('revokeApiKey', { bearer, path: { id: 'x'.repeat(101) } })).status).toBe(422);
      expect((await call('revokeApiKey', { bearer, path: { id: crypto.randomUUID() } })).status).toBe(404);
      expect((await call('revokeApiKey', { bearer, path: { id: revokeId } })).status).toBe(204);
      expect((await call('getAnalysis', { bearer: read, path: { id } })).status).toBe(401);
      expect((await call('getReportPage', { bearer: read, path: { id } })).status).toBe(401);
      expect(
        (await call('answerReportQuestions', { bearer: read, path: { id }, multipart: upload })).status,
      ).toBe(401);
      expect((await call('deleteAnalysis', { bearer: write, path: { id } })).status).toBe(204);
      // At most 20 keys.
      for (let made = 1; made < 20; made++) await create({ name: `k${made}`, scopes: ['analyses:read'] });
      expect((await create({ name: 'one too many', scopes: ['analyses:read'] })).status).toBe(409);
    });

    it('webhooks: create, list, rotate, the delivery log, send again, delete, each refusal', async () => {
      const { bearer, cookie } = await signIn(app, email());
      const evil = { cookie, origin: 'https://evil.example' };
      const json = { url: 'https://hooks.example.com/mia', events: ['analysis.completed'] };
      const created = await call('createWebhook', { bearer, json });
      expect(created.status).toBe(201);
      const id = String(created.body.id);
      expect(
        (await call('createWebhook', { bearer, json: { ...json, url: 'https://10.0.0.1/' } })).status,
      ).toBe(422);
      expect(
        (await call('createWebhook', { bearer, body: '{', headers: { 'content-type': 'application/json' } }))
          .status,
      ).toBe(400);
      expect(
        (await call('createWebhook', { bearer, body: 'x', headers: { 'content-type': 'text/plain' } }))
          .status,
      ).toBe(415);
      expect((await call('createWebhook', { json })).status).toBe(401);
      expect((await call('createWebhook', { headers: evil, json })).status).toBe(403);
      for (let made = 1; made < 10; made++) await call('createWebhook', { bearer, json });
      expect((await call('createWebhook', { bearer, json })).status).toBe(409);
      expect((await call('listWebhooks', { bearer })).status).toBe(200);
      expect((await call('listWebhooks')).status).toBe(401);

      // A key reaches no webhook route.
      const key = String(
        (await call('createApiKey', { bearer, json: { name: 'k', scopes: ['analyses:read'] } })).body.key,
      );
      expect((await call('listWebhooks', { bearer: key })).status).toBe(403);
      expect((await call('listWebhookDeliveries', { bearer: key, path: { id } })).status).toBe(403);

      expect((await call('rotateWebhookSecret', { bearer, path: { id } })).status).toBe(200);
      expect((await call('rotateWebhookSecret', { path: { id } })).status).toBe(401);
      expect((await call('rotateWebhookSecret', { headers: evil, path: { id } })).status).toBe(403);
      expect((await call('rotateWebhookSecret', { bearer, path: { id: crypto.randomUUID() } })).status).toBe(
        404,
      );
      expect((await call('rotateWebhookSecret', { bearer, path: { id: 'x'.repeat(101) } })).status).toBe(422);
      expect((await call('listWebhookDeliveries', { bearer, path: { id } })).status).toBe(200);
      expect((await call('listWebhookDeliveries', { path: { id } })).status).toBe(401);
      expect(
        (await call('listWebhookDeliveries', { bearer, path: { id: crypto.randomUUID() } })).status,
      ).toBe(404);
      expect((await call('listWebhookDeliveries', { bearer, path: { id: 'x'.repeat(101) } })).status).toBe(
        422,
      );

      // A delivery to send again: one analysis of this user, announced to a receiver that is down.
      const other = await signIn(app, email());
      const hook = await call('createWebhook', {
        bearer: other.bearer,
        json: { url: 'http://127.0.0.1:9/hook', events: ['analysis.completed'] },
      });
      const hookId = String(hook.body.id);
      const form = new FormData();
      form.set('file', new File([csv(unique('w'))], 'w.csv', { type: 'text/csv' }));
      await call('submitAnalysis', { bearer: other.bearer, multipart: form });
      await app.server.idle();
      const log = await call('listWebhookDeliveries', { bearer: other.bearer, path: { id: hookId } });
      const deliveryId = String((log.body.items as { id: string }[])[0]?.id);
      const path = { id: hookId, delivery: deliveryId };
      expect((await call('redeliverWebhook', { bearer: other.bearer, path })).status).toBe(200);
      expect((await call('redeliverWebhook', { path })).status).toBe(401);
      expect(
        (
          await call('redeliverWebhook', {
            headers: { cookie: other.cookie, origin: 'https://evil.example' },
            path,
          })
        ).status,
      ).toBe(403);
      expect((await call('redeliverWebhook', { bearer, path })).status).toBe(404); // not this user's
      expect(
        (
          await call('redeliverWebhook', {
            bearer: other.bearer,
            path: { ...path, delivery: 'x'.repeat(101) },
          })
        ).status,
      ).toBe(422);

      expect((await call('deleteWebhook', { path: { id } })).status).toBe(401);
      expect((await call('deleteWebhook', { headers: evil, path: { id } })).status).toBe(403);
      expect((await call('deleteWebhook', { bearer, path: { id: 'x'.repeat(101) } })).status).toBe(422);
      expect((await call('deleteWebhook', { bearer, path: { id } })).status).toBe(204);
      expect((await call('deleteWebhook', { bearer, path: { id } })).status).toBe(404);
    });

    it('answers a method a path does not list with 405, Allow naming exactly the documented ones', async () => {
      const problemSchema = document.components as { schemas: Record<string, unknown> };
      expect(problemSchema.schemas.Problem).toBeDefined();
      for (const path of Object.keys(document.paths)) {
        const documented = contract.methodsOf(path);
        const url = new URL(
          path.replace('{id}', crypto.randomUUID().replaceAll('-', '').slice(0, 12)),
          app.server.url,
        );
        if (path.startsWith('/api/analyses/')) url.pathname = `/api/analyses/${crypto.randomUUID()}`;
        const response = await fetch(url, { method: 'PUT' });
        expect(response.status, path).toBe(405);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        const allow = (response.headers.get('allow') ?? '').split(', ').sort();
        const expected = [...documented, ...(documented.includes('GET') ? ['HEAD'] : []), 'OPTIONS'];
        // /api/me/sessions and /api/me/sessions/{id} are one function: its Allow is their union.
        if (path.startsWith('/api/me/sessions')) expect(allow).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS']);
        else expect(allow, path).toEqual(expected.sort());
        expect(((await response.json()) as { type: string }).type).toMatch(/\/problems\/method-not-allowed$/);
      }
    });

    it('saw every operation answer at least one success and one refusal, each matching the document', () => {
      const missing: string[] = [];
      for (const operationId of contract.operationIds) {
        const statuses = [...(contract.seen.get(operationId) ?? [])];
        if (!statuses.some((status) => status < '400')) missing.push(`${operationId}: no success`);
        if (!['getHealth', 'getOpenApi'].includes(operationId) && !statuses.some((status) => status >= '400'))
          missing.push(`${operationId}: no refusal`);
      }
      expect(missing).toEqual([]);
      // Documented statuses no call above produced are exercised in the suites named here.
      const unexercised = contract.operationIds.flatMap((operationId) => {
        const { operation } = contract.operation(operationId);
        const seen = contract.seen.get(operationId) ?? new Set();
        return Object.keys(operation.responses)
          .filter((status) => status !== 'default' && !seen.has(status))
          .map((status) => `${operationId} ${status}`);
      });
      const elsewhere = [
        'getHealth 503', // analyses.test.ts, edge.test.ts: a backend down
        'submitAnalysis 409', // kv-idempotency.test.ts; here only when a duplicate overtakes the first
        'answerReportQuestions 429', // reports.test.ts: the 21st re-run of one analysis in a day
      ];
      expect(unexercised.filter((entry) => !elsewhere.includes(entry))).toEqual([]);
    });
  });
});
