import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { forgetApiKeys, resolveApiKey } from '../lib/auth/keys';
import { sha256Hex } from '../lib/crypto';
import { queryRows } from '../lib/db';
import { keys } from '../lib/kv/keys';
import { type App, appBackends, signIn } from './support/app';
import { unique } from './support/kv';
import { openForSuite } from './support/suite';

/** API keys on both backends: hashed at rest, scoped, revoked at once, gone with the account. */
describe.each(appBackends)('API keys on %s', (_name, start, available) => {
  let app: App;
  openForSuite(available, start, (started) => {
    app = started;
  });
  const at = (path: string) => `${app.server.url}${path}`;
  const createKey = async (bearer: string, scopes: string[]) => {
    const response = await fetch(at('/api/keys'), {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'MES export job', scopes }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; key: string; prefix: string };
  };
  const upload = (key: string, marker: string) => {
    const form = new FormData();
    form.set(
      'file',
      new File(
        [`Machine;Planned [min];Downtime [min];Good;Scrap\nA;480;40;900;10\n${marker};480;20;800;5\n`],
        'mes.csv',
        {
          type: 'text/csv',
        },
      ),
    );
    return fetch(at('/api/analyses'), {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
  };
  /** Every KV value and every api_keys column, as text: where a key in clear would show. */
  const everythingStored = async () => {
    const texts: string[] = [];
    let cursor = '0';
    do {
      const page = await app.kv.scan(cursor, 'mia:*', 500);
      cursor = page.cursor;
      // The shared store holds every suite's keys: each page's values are read at once (a set or a
      // sorted set answers GET with an error: not a string, so nothing to look into).
      const values = await Promise.all(page.keys.map((name) => app.kv.get(name).catch(() => null)));
      page.keys.forEach((name, index) => {
        texts.push(name, values[index] ?? '');
      });
    } while (cursor !== '0');
    const rows = await queryRows<Record<string, unknown>>(app.db, sql`select * from api_keys`);
    texts.push(JSON.stringify(rows));
    return texts.join('\n');
  };

  it.skipIf(!available)(
    'keeps only a hash, counts uploads against the owner, revokes on the next request',
    async () => {
      const address = `${unique('keys')}@example.com`;
      const { bearer } = await signIn(app, address);
      const { key, id, prefix } = await createKey(bearer, ['analyses:read', 'analyses:write']);
      expect(key.startsWith(prefix)).toBe(true);
      const first = await upload(key, unique('M'));
      expect(first.status).toBe(202);
      // The owner's quota and the key's own limit, in one verdict.
      expect(first.headers.get('ratelimit')).toContain('"analysis-user";r=4');
      expect(first.headers.get('ratelimit')).toContain('"analysis-key";r=2');
      const { id: analysisId } = (await first.json()) as { id: string };
      await app.server.idle();
      const stored = await everythingStored();
      expect(stored).not.toContain(key);
      expect(stored).not.toContain(key.slice(prefix.length)); // not even its secret part
      expect(stored).toContain(await sha256Hex(key));
      // Read with the key (its lookup now cached), then revoked: the very next request fails.
      const read = () =>
        fetch(at(`/api/analyses/${analysisId}`), { headers: { authorization: `Bearer ${key}` } });
      expect((await read()).status).toBe(200);
      await app.server.idle();
      expect(await app.kv.get(keys.apiKey(await sha256Hex(key)))).not.toBeNull();
      const listed = (await (
        await fetch(at('/api/keys'), { headers: { authorization: `Bearer ${bearer}` } })
      ).json()) as {
        items: { id: string; lastUsedAt: string | null }[];
      };
      expect(listed.items.find((item) => item.id === id)?.lastUsedAt).not.toBeNull();
      const revoked = await fetch(at(`/api/keys/${id}`), {
        method: 'DELETE',
        headers: { authorization: `Bearer ${bearer}` },
      });
      expect(revoked.status).toBe(204);
      const after = await read();
      expect(after.status).toBe(401);
      expect(after.headers.get('www-authenticate')).toContain('invalid_token');
      // The session still works; the analysis is the user's.
      expect(
        (await fetch(at(`/api/analyses/${analysisId}`), { headers: { authorization: `Bearer ${bearer}` } }))
          .status,
      ).toBe(200);
    },
    // Scanning the whole shared store is slow on a busy machine: a bound on the work, not a speed.
    120_000,
  );

  it.skipIf(!available)('a lookup that raced a revocation cannot cache the key again', async () => {
    const { bearer } = await signIn(app, `${unique('race')}@example.com`);
    const { key, id } = await createKey(bearer, ['analyses:read']);
    // The request reads the row before the revocation; its cache write runs after it.
    const deferred: (() => Promise<unknown>)[] = [];
    expect(
      await resolveApiKey(
        async () => app.db,
        app.kv,
        key,
        (work) => deferred.push(work),
      ),
    ).toMatchObject({
      keyId: id,
    });
    await fetch(at(`/api/keys/${id}`), { method: 'DELETE', headers: { authorization: `Bearer ${bearer}` } });
    for (const work of deferred) await work();
    expect(
      await resolveApiKey(
        async () => app.db,
        app.kv,
        key,
        () => {},
      ),
    ).toBeUndefined();
    // A tombstone outlives any cached entry and names no one.
    expect(await app.kv.get(keys.apiKey(await sha256Hex(key)))).toBe('revoked');
    await forgetApiKeys(app.kv, []); // nothing to do is fine
  });

  it.skipIf(!available)(
    'goes with the account: rows, cached lookups, and the key stops working',
    async () => {
      const address = `${unique('erase')}@example.com`;
      const { bearer } = await signIn(app, address);
      const { key } = await createKey(bearer, ['analyses:write']);
      expect((await upload(key, unique('E'))).status).toBe(202);
      await app.server.idle();
      const erased = await fetch(at('/api/me'), {
        method: 'DELETE',
        headers: { authorization: `Bearer ${bearer}` },
      });
      expect(erased.status).toBe(204);
      expect((await upload(key, unique('F'))).status).toBe(401);
      const rows = await queryRows(app.db, sql`select 1 from api_keys where hash = ${await sha256Hex(key)}`);
      expect(rows).toHaveLength(0);
      expect(await app.kv.get(keys.apiKey(await sha256Hex(key)))).toBe('revoked');
    },
  );
});
