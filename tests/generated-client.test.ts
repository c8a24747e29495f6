import { readFileSync } from 'node:fs';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TYPES_FILE, apiTypes } from '../tools/api-types';
import type { paths } from './support/api-types';
import { type App, appBackends } from './support/app';
import { unique } from './support/kv';

/**
 * An integrator's client: types generated from the OpenAPI document by openapi-typescript
 * (tests/support/api-types.ts, `npm run api-types`) and openapi-fetch, through the whole flow against
 * the dev runner. `npm run typecheck` holds this file to the generated types, so a contract change that
 * breaks clients fails there, and this test fails at run time if the document and the server disagree.
 */
describe('the generated types', () => {
  it('match the current document (regenerate with npm run api-types)', async () => {
    expect(readFileSync(API_TYPES_FILE, 'utf8')).toBe(await apiTypes());
  });
});

const [embedded] = appBackends;
describe('a client generated from the document (openapi-typescript + openapi-fetch)', () => {
  let app: App;
  beforeAll(async () => {
    app = await (embedded as (typeof appBackends)[number])[1]();
  });
  afterAll(() => app?.close());

  it('signs in, uploads, polls, reads, renames and deletes', async () => {
    const client = createClient<paths>({ baseUrl: app.server.url });
    const email = `${unique('client')}@example.com`;

    const sent = await client.POST('/api/auth/login', { body: { email } });
    expect(sent.response.status).toBe(202);
    expect(sent.data?.status).toBe('sent');
    await app.server.idle();
    const outbox = (await (await fetch(`${app.server.url}/__dev/outbox`)).json()) as {
      to: string;
      url: string;
    }[];
    const token = new URL(outbox.find((mail) => mail.to === email)?.url ?? 'http://x/').searchParams.get(
      'token',
    );
    const signedIn = await client.POST('/api/auth/callback', {
      body: { token: token ?? '' },
      headers: { accept: 'application/json' },
    });
    expect(signedIn.response.status).toBe(200);
    const bearer = signedIn.data && 'token' in signedIn.data ? signedIn.data.token : '';
    const authorized = createClient<paths>({
      baseUrl: app.server.url,
      headers: { authorization: `Bearer ${bearer}` },
    });
    const me = await authorized.GET('/api/me');
    expect(me.data?.email).toBe(email);

    const csv = `Machine;Planned [min];Downtime [min];Total;Scrap;Ideal Cycle Time [s]\nA;480;48;1000;20;20\nB;480;30;900;9;${unique('n').length}\n`;
    const submitted = await authorized.POST('/api/analyses', {
      params: { header: { 'Idempotency-Key': crypto.randomUUID() } },
      body: { file: 'line.csv' },
      bodySerializer: () => {
        const form = new FormData();
        form.set('file', new File([csv], 'line.csv', { type: 'text/csv' }));
        return form;
      },
    });
    expect(submitted.response.status).toBe(202);
    const id = submitted.data?.id ?? '';
    expect(submitted.response.headers.get('retry-after')).toBe('2');

    let analysis = (await authorized.GET('/api/analyses/{id}', { params: { path: { id } } })).data;
    for (let poll = 0; poll < 50 && analysis?.status === 'pending'; poll++) {
      await app.server.idle();
      analysis = (await authorized.GET('/api/analyses/{id}', { params: { path: { id } } })).data;
    }
    expect(analysis?.status).toBe('completed');
    expect(analysis?.result?.kpis?.overall.oee.value).toBeGreaterThan(0);
    expect(analysis?.error).toBeNull();

    const listed = await authorized.GET('/api/analyses', { params: { query: { limit: 10 } } });
    expect(listed.data?.items.map((item) => item.id)).toContain(id);

    const renamed = await authorized.PATCH('/api/analyses/{id}', {
      params: { path: { id } },
      body: { fileName: 'Line 3, week 48.csv' },
    });
    expect(renamed.data?.fileName).toBe('Line 3, week 48.csv');

    const deleted = await authorized.DELETE('/api/analyses/{id}', { params: { path: { id } } });
    expect(deleted.response.status).toBe(204);
    const gone = await authorized.GET('/api/analyses/{id}', { params: { path: { id } } });
    expect(gone.response.status).toBe(404);
    expect(gone.error?.type).toMatch(/\/problems\/not-found$/);
  });
});
