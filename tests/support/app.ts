import { vi } from 'vitest';
import { type Database, provideDatabase } from '../../lib/db';
import { type KvStore, kv, provideKv } from '../../lib/kv';
import { provideMailer } from '../../lib/mail';
import { Outbox } from '../../tools/dev/outbox';
import { type DevServer, startDevServer } from '../../tools/dev/server';
import { MemoryKv } from '../../tools/embedded/memory-kv';
import { PROJECT_ROOT } from '../../tools/paths';
import type { KvRestBridge } from '../../tools/test-support/kv-rest-bridge';
import { openEmbeddedTestDatabase, openPostgresTestDatabase } from './databases';
import { openRealKv } from './kv';
import { services, useEnv } from './services';

/** This project's functions behind the dev runner, on one backend set, with the dev outbox as mailer. */
export type App = {
  name: string;
  server: DevServer;
  outbox: Outbox;
  db: Database;
  kv: KvStore;
  /** The REST bridge in front of real Redis (real backends only), for fault injection. */
  bridge?: KvRestBridge;
  close(): Promise<void>;
};

export type AppBackend = [name: string, start: () => Promise<App>, available: boolean];

async function serve(
  name: string,
  db: Database,
  store: KvStore,
  cleanup: () => Promise<void>,
  bridge?: KvRestBridge,
): Promise<App> {
  const outbox = new Outbox(() => {});
  provideMailer(outbox);
  // A private identifier secret per suite: rate-limit keys never collide with other runs on a shared Redis.
  const restore = useEnv({ IDENTIFIER_HASH_SECRET: `test-${crypto.randomUUID()}-${crypto.randomUUID()}` });
  const server = await startDevServer({
    projectRoot: PROJECT_ROOT,
    port: 0,
    devRoutes: { '/__dev/outbox': outbox.route },
    trustClientIpHeader: true,
  });
  // Links in mails are built from APP_URL: this suite's server.
  const restoreAppUrl = useEnv({ APP_URL: `${server.url}/` });
  return {
    name,
    server,
    outbox,
    db,
    kv: store,
    ...(bridge ? { bridge } : {}),
    async close() {
      await server.close();
      restoreAppUrl();
      restore();
      provideMailer(undefined);
      await cleanup();
    },
  };
}

export const appBackends: AppBackend[] = [
  [
    'embedded backends',
    async () => {
      const database = await openEmbeddedTestDatabase();
      const store = new MemoryKv();
      provideDatabase(database.db);
      provideKv(store);
      return serve('embedded', database.db, store, async () => {
        provideDatabase(undefined);
        provideKv(undefined);
        await database.close();
      });
    },
    true,
  ],
  [
    'real PostgreSQL and Redis through the production clients',
    async () => {
      const database = await openPostgresTestDatabase(); // sets POSTGRES_URL to its fresh database
      const bridge = await openRealKv();
      const restore = useEnv({
        KV_REST_API_URL: bridge.bridge?.url,
        KV_REST_API_TOKEN: bridge.bridge?.token,
        // Suites assert outcomes under concurrency: a bound no busy CI machine trips (not the deployed 1.5 s).
        KV_TIMEOUT_MS: '20000',
      });
      return serve(
        'real',
        database.db,
        kv(),
        async () => {
          restore();
          await bridge.close();
          await database.close();
        },
        bridge.bridge,
      );
    },
    Boolean(services.postgres && services.kv),
  ],
];

/** Signs in through the outbox link; answers the bearer token and the session cookie of two sign-ins. */
export async function signIn(app: App, email: string): Promise<{ bearer: string; cookie: string }> {
  const url = async () => {
    const login = await fetch(`${app.server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    if (login.status !== 202) throw new Error(`login answered ${login.status}: ${await login.text()}`);
    await app.server.idle();
    const messages = (await (await fetch(`${app.server.url}/__dev/outbox`)).json()) as {
      to: string;
      url: string;
    }[];
    // The newest sign-in link to this address (result mails go to the same outbox).
    const message = messages.find(
      (entry) => entry.to === email.toLowerCase() && entry.url.includes('token='),
    );
    if (!message) throw new Error('no mail in the outbox');
    return message.url;
  };
  const json = await confirmSignIn(app, await url(), 'script');
  const { token } = (await json.json()) as { token: string };
  const redirect = await confirmSignIn(app, await url(), 'browser');
  const cookie = (redirect.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { bearer: token, cookie };
}

/**
 * Confirms a mailed sign-in link as a script (POST JSON, Accept: application/json: a bearer token) or
 * as the browser's confirmation page does (a same-origin form post: a cookie and a redirect).
 */
export function confirmSignIn(app: App, link: string, as: 'script' | 'browser'): Promise<Response> {
  const token = new URL(link).searchParams.get('token') ?? '';
  return as === 'script'
    ? fetch(`${app.server.url}/api/auth/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ token }),
      })
    : fetch(`${app.server.url}/api/auth/callback`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.server.url },
        body: new URLSearchParams({ token }),
      });
}

/** Collects every console line for the suite (to assert on log events and on what logs never hold). */
export function captureLogs(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const spies = (['log', 'warn', 'error'] as const).map((stream) =>
    vi.spyOn(console, stream).mockImplementation((...args) => void lines.push(args.join(' '))),
  );
  return {
    lines,
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
