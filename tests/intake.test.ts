import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../lib/db';
import { screenUpload } from '../lib/engine';
import { PROJECT_ROOT } from '../tools/paths';
import { type App, appBackends, confirmSignIn, signIn } from './support/app';
import { unique } from './support/kv';
import { useEnv } from './support/services';

const SHOP = 'https://shop.example';
const csv = (marker: string) =>
  `Machine;Planned [min];Downtime [min];Total;Scrap;Ideal Cycle Time [s];Note\nA;480;48;1000;20;20;${marker}\nB;480;30;900;9;25;${marker}\n`;
const realCsvFiles = ['realdata', 'analysis'].flatMap((folder) =>
  readdirSync(join(PROJECT_ROOT, 'tests/fixtures', folder))
    .filter((name) => name.endsWith('.csv'))
    .map((name) => ({
      name,
      bytes: new Uint8Array(readFileSync(join(PROJECT_ROOT, 'tests/fixtures', folder, name))),
    })),
);

/** A workbook as Excel users have it: written by a real workbook writer (exceljs), in both formats it writes. */
async function workbook(): Promise<Uint8Array<ArrayBuffer>> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Schicht');
  sheet.addRow(['Maschine', 'Planzeit [min]', 'Stillstand [min]', 'Gutteile']);
  sheet.addRow(['A', 480, 48, 1000]);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

/** A legacy .xls LibreOffice wrote (tools/workbook-fixtures.ts): the one workbook format refused. */
const legacyXls = () =>
  new Uint8Array(readFileSync(join(PROJECT_ROOT, 'tests/fixtures/workbooks/german-bde.legacy.xls')));

describe('the upload screen on files people really send', () => {
  it.each(realCsvFiles)('lets the CSV export $name through', async ({ bytes }) => {
    await expect(screenUpload(bytes)).resolves.toBeUndefined();
  });

  it('names a workbook, a ZIP and a gzipped CSV', async () => {
    const refusal = async (bytes: Uint8Array) => {
      try {
        await screenUpload(bytes);
        return 'accepted';
      } catch (error) {
        return `${(error as { code: string }).code}: ${(error as Error).message}`;
      }
    };
    // A workbook with a table is read like a CSV; a legacy one is refused with what to do.
    expect(await refusal(await workbook())).toBe('accepted');
    expect(await refusal(legacyXls())).toMatch(
      /^SPREADSHEET_NOT_CSV: This is a legacy Excel workbook \(XLS\).*Save it as \.xlsx/,
    );
    const zip = zipSync({ 'export.csv': new TextEncoder().encode(csv('z')) });
    expect(await refusal(zip)).toMatch(/^BINARY_FILE: This is a ZIP archive/);
    expect(await refusal(gzipSync(csv('g')))).toMatch(/^BINARY_FILE: This is a GZIP archive/);
    expect(await refusal(new TextEncoder().encode('Dear team,\nthe numbers are attached.\n'))).toMatch(
      /^NOT_TABULAR/,
    );
  });
});

describe.each(appBackends)('intake, CORS and caching on %s', (_name, start, available) => {
  let app: App;
  let restore: () => void;
  beforeAll(async () => {
    if (!available) return;
    restore = useEnv({ FORM_ALLOWED_ORIGINS: SHOP, FORM_REDIRECT_HOSTS: 'shop.example' });
    app = await start();
  });
  afterAll(async () => {
    await app?.close();
    restore?.();
  });

  const at = (path: string) => `${app.server.url}${path}`;
  const email = () => `${unique('intake')}@example.com`;
  const octet = () => Math.floor(Math.random() * 254) + 1;
  const ip = () => `100.${octet()}.${octet()}.${octet()}`;
  const rows = async () =>
    (await queryRows<{ n: number }>(app.db, sql`select count(*)::int as n from analyses`))[0]?.n ?? 0;
  const multipart = (
    bytes: Uint8Array<ArrayBuffer> | string,
    name: string,
    fields: Record<string, string> = {},
  ) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.set(key, value);
    form.set('file', new File([bytes], name));
    return form;
  };

  describe.skipIf(!available)('behaviour', () => {
    it('refuses workbooks, archives and prose before any quota or row, with a code', async () => {
      const { bearer } = await signIn(app, email());
      const auth = { authorization: `Bearer ${bearer}`, 'x-real-ip': ip() };
      const before = await rows();
      const cases: [Uint8Array<ArrayBuffer> | string, string, number, string][] = [
        [legacyXls(), 'Schicht.xls', 415, 'SPREADSHEET_NOT_CSV'],
        [legacyXls(), 'renamed.csv', 415, 'SPREADSHEET_NOT_CSV'],
        [
          new Uint8Array(zipSync({ 'a.csv': new TextEncoder().encode(csv('z')) })),
          'export.csv',
          415,
          'BINARY_FILE',
        ],
        [new Uint8Array(gzipSync(csv('g'))), 'export.csv.gz', 415, 'BINARY_FILE'],
        ['Dear team,\nthe numbers are attached.\n', 'mail.csv', 422, 'NOT_TABULAR'],
        ['', 'empty.csv', 422, 'EMPTY_FILE'],
      ];
      for (const [bytes, name, status, code] of cases) {
        const response = await fetch(at('/api/analyses'), {
          method: 'POST',
          headers: auth,
          body: multipart(bytes, name),
        });
        expect(response.status, name).toBe(status);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect(await response.json()).toMatchObject({ code });
      }
      expect(await rows()).toBe(before);
      // None of them counted: the first accepted upload still has the whole daily quota but one.
      const accepted = await fetch(at('/api/analyses'), {
        method: 'POST',
        headers: auth,
        body: multipart(csv(unique('ok')), 'ok.csv'),
      });
      expect(accepted.status).toBe(202);
      expect(accepted.headers.get('ratelimit')).toContain('"analysis-user";r=4');
    });

    it('sends every refusal of a plain form post back to its page, the redirect read before the body', async () => {
      const back = async (init: RequestInit, path = '/api/analyses') => {
        const response = await fetch(at(path), { method: 'POST', redirect: 'manual', ...init });
        expect(response.status).toBe(303);
        return new URL(response.headers.get('location') ?? '');
      };
      const fields = { email: email(), name: 'Ina', redirect: `${SHOP}/upload` };
      const headers = { origin: SHOP, 'x-real-ip': ip() };
      // A legacy workbook: the field comes with the body, the screen refuses after it.
      const xlsx = await back({ headers, body: multipart(legacyXls(), 'Schicht.xls', fields) });
      expect(Object.fromEntries(xlsx.searchParams)).toEqual({
        error: 'unsupported_media_type',
        code: 'SPREADSHEET_NOT_CSV',
      });
      // Too large: the body is never read whole, but the redirect field before the file is found.
      const huge = await back({ headers, body: multipart('x'.repeat(13 * 1024 * 1024), 'big.csv', fields) });
      expect(Object.fromEntries(huge.searchParams)).toEqual({ error: 'payload_too_large' });
      expect(huge.origin + huge.pathname).toBe(`${SHOP}/upload`);
      // The form's action URL can carry it too: then even a body of the wrong type goes back.
      const wrongType = await back(
        { headers: { ...headers, 'content-type': 'text/plain' }, body: 'csv' },
        `/api/analyses?redirect=${encodeURIComponent(`${SHOP}/upload`)}`,
      );
      expect(wrongType.searchParams.get('error')).toBe('unsupported_media_type');
      // A redirect to a host that is not registered is never followed: it is itself refused, as JSON.
      const foreign = await fetch(at('/api/analyses'), {
        method: 'POST',
        redirect: 'manual',
        headers,
        body: multipart(legacyXls(), 'a.xls', { ...fields, redirect: 'https://evil.example/' }),
      });
      expect(foreign.status).toBe(400);
      expect((await foreign.json()).detail).toContain('redirect');
    });

    it('answers a registered origin with CORS on every route it calls, refusals included; others get none', async () => {
      const submitted = await fetch(at('/api/analyses'), {
        method: 'POST',
        headers: { origin: SHOP, 'content-type': 'application/json', 'x-real-ip': ip() },
        body: JSON.stringify({ csv: csv(unique('c')), email: email(), name: 'Cy' }),
      });
      expect(submitted.status).toBe(202);
      expect(submitted.headers.get('access-control-allow-origin')).toBe(SHOP);
      expect(submitted.headers.get('access-control-expose-headers')).toContain('Location');
      const { statusUrl } = (await submitted.json()) as { statusUrl: string };
      const path = new URL(statusUrl).pathname + new URL(statusUrl).search;
      await app.server.idle();
      const read = await fetch(at(path), { headers: { origin: SHOP } });
      expect(read.status).toBe(200);
      expect(read.headers.get('access-control-allow-origin')).toBe(SHOP);
      expect(read.headers.get('access-control-expose-headers')).toContain('ETag');
      expect(read.headers.get('vary')).toMatch(/Origin/);
      const refused = [
        await fetch(at(`/api/analyses/${crypto.randomUUID()}`), { headers: { origin: SHOP } }),
        await fetch(at('/api/analyses'), {
          method: 'POST',
          headers: { origin: SHOP, 'content-type': 'application/json' },
          body: '{}',
        }),
        await fetch(at('/api/auth/login'), {
          method: 'POST',
          headers: { origin: SHOP, 'content-type': 'application/json' },
          body: '{}',
        }),
      ];
      expect(refused.map((response) => response.status)).toEqual([404, 422, 422]);
      for (const response of refused) expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
      for (const target of ['/api/analyses', `/api/analyses/${crypto.randomUUID()}`]) {
        const preflight = await fetch(at(target), {
          method: 'OPTIONS',
          headers: {
            origin: SHOP,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'idempotency-key',
          },
        });
        expect(preflight.status).toBe(204);
        expect(preflight.headers.get('access-control-allow-origin')).toBe(SHOP);
        expect(preflight.headers.get('access-control-allow-headers')).toContain('idempotency-key');
        expect(preflight.headers.get('allow')).toContain('GET');
      }
      // An unknown origin: its post is refused, its reads and preflights get no CORS headers.
      const evil = 'https://evil.example';
      const posted = await fetch(at('/api/analyses'), {
        method: 'POST',
        headers: { origin: evil, 'content-type': 'application/json' },
        body: '{}',
      });
      const peeked = await fetch(at(path), { headers: { origin: evil } });
      const asked = await fetch(at('/api/analyses'), {
        method: 'OPTIONS',
        headers: { origin: evil, 'access-control-request-method': 'POST' },
      });
      expect([posted.status, peeked.status, asked.status]).toEqual([403, 200, 403]);
      for (const response of [posted, peeked, asked])
        expect(response.headers.get('access-control-allow-origin')).toBeNull();
      // OPTIONS without CORS: what the path allows.
      expect((await fetch(at('/api/analyses'), { method: 'OPTIONS' })).headers.get('allow')).toBe(
        'POST, GET, HEAD, OPTIONS',
      );
    });

    it('lets a finished report be reused and revalidated; a pending one says when to poll', async () => {
      const { bearer } = await signIn(app, email());
      const auth = { authorization: `Bearer ${bearer}`, 'x-real-ip': ip() };
      const text = csv(unique('e'));
      const posted = await fetch(at('/api/analyses'), {
        method: 'POST',
        headers: auth,
        body: multipart(text, 'e.csv'),
      });
      expect(posted.status).toBe(202);
      expect(posted.headers.get('retry-after')).toBe('2');
      const { id } = (await posted.json()) as { id: string };
      await app.server.idle();
      const read = await fetch(at(`/api/analyses/${id}`), { headers: auth });
      expect(read.headers.get('cache-control')).toBe('private, max-age=60');
      const etag = read.headers.get('etag') ?? '';
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{24}"$/);
      const again = await fetch(at(`/api/analyses/${id}`), {
        headers: { ...auth, 'if-none-match': `W/${etag}, "x"` },
      });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      // Renamed, it is another representation.
      await fetch(at(`/api/analyses/${id}`), {
        method: 'PATCH',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ fileName: 'renamed.csv' }),
      });
      const renamed = await fetch(at(`/api/analyses/${id}`), { headers: { ...auth, 'if-none-match': etag } });
      expect(renamed.status).toBe(200);
      expect(renamed.headers.get('etag')).not.toBe(etag);
      // The same file again by its owner completes from the cache at the instant it is created.
      const cached = await fetch(at('/api/analyses'), {
        method: 'POST',
        headers: auth,
        body: multipart(text, 'e.csv'),
      });
      expect(cached.status).toBe(201);
      const body = (await cached.json()) as { createdAt: string; completedAt: string };
      expect(body.completedAt).toBe(body.createdAt);
    });

    it('serves public/ like Vercel (clean URLs), so the sign-in lands on a page and problem types resolve', async () => {
      // Where a confirmed sign-in sends the browser (APP_URL: the runner itself) is a page.
      const address = email();
      await fetch(at('/api/auth/login'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: address }),
      });
      await app.server.idle();
      const link = app.outbox.messages.find((message) => message.to === address)?.url ?? '';
      const confirmed = await confirmSignIn(app, link, 'browser');
      expect(confirmed.status).toBe(303);
      const home = await fetch(confirmed.headers.get('location') ?? '');
      expect(home.status).toBe(200);
      expect(home.headers.get('content-type')).toContain('text/html');
      const page = await fetch(at('/problems/payload-too-large'));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('413 Payload too large');
      const suffixed = await fetch(at('/problems/payload-too-large.html'), { redirect: 'manual' });
      expect([suffixed.status, suffixed.headers.get('location')]).toEqual([
        308,
        '/problems/payload-too-large',
      ]);
      expect((await fetch(at('/../package.json'))).status).toBe(404);
      expect((await fetch(at('/%2e%2e/package.json'))).status).toBe(404);
    });
  });
});
