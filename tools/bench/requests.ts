import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { resetConfig } from '../../lib/config';
import { provideBackgroundRunner } from '../../lib/http/handler';
import { provideMailer } from '../../lib/mail';
import { migratePostgres } from '../db/migrate-postgres';
import { Outbox } from '../dev/outbox';
import { startDevServer } from '../dev/server';
import { PROJECT_ROOT } from '../paths';
import { startKvRestBridge } from '../test-support/kv-rest-bridge';
import { startNeonHttpBridge } from '../test-support/neon-http-bridge';
import { startPgWsProxy } from '../test-support/pg-ws-proxy';
import { timeSequential } from './stats';

type Call = { kind: 'kv' | 'db'; start: number; end: number };
const TIMED = 20;
const WARMUP = 3;
/**
 * While a request is counted, each store call first waits this long, as a round trip across a network
 * would: the local services answer in well under a millisecond, less than a loaded machine's scheduling
 * jitter, so two calls issued together could otherwise not overlap and count as a chain.
 */
const ROUND_TRIP_MS = 100;

/** `count` of what `make` makes, one after the other. */
async function made<T>(count: number, make: () => Promise<T>): Promise<T[]> {
  const items: T[] = [];
  for (let i = 0; i < count; i++) items.push(await make());
  return items;
}

/** The items in turn; `peek` is the one `next` gives next. */
function rotation<T>(items: T[]): { next(): T; peek(): T } {
  let at = 0;
  return { next: () => items[at++ % items.length] as T, peek: () => items[at % items.length] as T };
}

export type RouteCounts = { route: string; kv: number; db: number; connects: number; criticalPath: number };

/**
 * The longest chain of network calls that waited for one another: calls that overlap in time ran
 * concurrently and count once. This is what a request's latency is made of, in round trips.
 */
export function criticalPath(calls: readonly { start: number; end: number }[]): number {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let before = 0;
    for (let j = 0; j < i; j++)
      if ((sorted[j] as Call).end <= (sorted[i] as Call).start) before = Math.max(before, depth[j] as number);
    depth.push(before + 1);
  }
  return Math.max(0, ...depth);
}

/**
 * Round trips per route, counted through the production clients (KV over REST, Postgres over Neon's HTTP
 * mode and its WebSocket pool) against the real local services: KV requests, DB requests, DB
 * connection setups, and the critical path in sequential network calls. Counts do not drift with load.
 * Beside them, each route's median latency against a bare node:http handler in the same run.
 */
export async function benchRequests(postgresUrl: string, redisUrl: string): Promise<RouteCounts[]> {
  const name = `mia_bench_requests_${process.pid}`;
  const infoLog = console.log;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  const kvBridge = await startKvRestBridge(redisUrl);
  const http = await startNeonHttpBridge(postgresUrl);
  const proxy = await startPgWsProxy({ host: url.hostname, port: Number(url.port || 5432) });
  const outbox = new Outbox(() => {});
  const bare = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', () => resolve()));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  const previous: Record<string, string | undefined> = {};
  const realFetch = globalThis.fetch;
  let calls: Call[] = [];
  let counting = false;
  // Background work (started once the response is ready) runs under a marker: its calls are not the
  // response's, and are left out of the counts.
  const background = new AsyncLocalStorage<boolean>();
  provideBackgroundRunner((work) => background.run(true, work));
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const target = String(input instanceof Request ? input.url : input);
    const kind = background.getStore()
      ? undefined
      : target.startsWith(kvBridge.url)
        ? 'kv'
        : target.startsWith(http.url)
          ? 'db'
          : undefined;
    const start = performance.now();
    try {
      if (kind && counting) await new Promise((resolve) => setTimeout(resolve, ROUND_TRIP_MS));
      return await realFetch(input, init);
    } finally {
      if (kind) calls.push({ kind, start, end: performance.now() });
    }
  }) as typeof fetch;
  try {
    await migratePostgres(url.toString());
    const driverUrl = new URL(url);
    driverUrl.hostname = 'localhost';
    const settings = {
      POSTGRES_URL: driverUrl.toString(),
      POSTGRES_HTTP_ENDPOINT: http.url,
      POSTGRES_WS_PROXY: proxy.address,
      KV_REST_API_URL: kvBridge.url,
      KV_REST_API_TOKEN: kvBridge.token,
      KV_TIMEOUT_MS: '20000',
      IDENTIFIER_HASH_SECRET: `bench-${crypto.randomUUID()}-${crypto.randomUUID()}`,
    };
    for (const name of [...Object.keys(settings), 'APP_URL']) previous[name] = process.env[name];
    Object.assign(process.env, settings);
    resetConfig();
    provideMailer(outbox);
    const server = await startDevServer({
      projectRoot: PROJECT_ROOT,
      port: 0,
      devRoutes: { '/__dev/outbox': outbox.route },
      trustClientIpHeader: true,
    });
    process.env.APP_URL = `${server.url}/`;
    resetConfig();
    try {
      const at = (path: string) => `${server.url}${path}`;
      // Fresh addresses and a fresh user each run: the services keep their rate-limit counters between
      // runs, and a refusal in the timing loops (its reads still in flight) would spill into the next count.
      let ip = Math.floor(Math.random() * 50_000);
      const from = () => `198.51.${Math.floor(++ip / 250)}.${(ip % 250) + 1}`;
      // A bearer token through the real sign-in.
      const signIn = async (email: string) => {
        await realFetch(at('/api/auth/login'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-real-ip': from() },
          body: JSON.stringify({ email }),
        });
        await server.idle();
        // This address's sign-in link (result mails go to the outbox too).
        const link = outbox.messages
          .filter((message) => message.to === email && message.url.includes('token='))
          .at(-1);
        const token = new URL(link?.url ?? 'http://x/').searchParams.get('token') ?? '';
        const signedIn = await realFetch(at('/api/auth/callback'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ token }),
        });
        return ((await signedIn.json()) as { token: string }).token;
      };
      const bearer = await signIn(`bench-${crypto.randomUUID()}@example.com`);
      let n = 0;
      const csv = () => `Machine;Planned [min];Downtime [min];Good;Scrap\nA;480;${n++ % 400};900;10\n`;
      const post = (headers: Record<string, string>, body: Record<string, string>) =>
        realFetch(at('/api/analyses'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-real-ip': from(), ...headers },
          body: JSON.stringify({ csv: csv(), ...body }),
        });
      const own = (await (await post({ authorization: `Bearer ${bearer}` }, {})).json()) as { id: string };
      const anonymous = (await (await post({}, { email: 'form@example.com', name: 'Form' })).json()) as {
        statusUrl: string;
      };
      // A machine's API key (another user's: uploads count against their owner's quota), its lookup
      // cached by a first use, as any key in service is.
      const createKey = async () => {
        const created = await realFetch(at('/api/keys'), {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${await signIn(`bench-key-${crypto.randomUUID()}@example.com`)}`,
          },
          body: JSON.stringify({ name: 'bench', scopes: ['analyses:read', 'analyses:write'] }),
        });
        if (created.status !== 201) throw new Error(`POST /api/keys answered ${created.status}`);
        const headers = { authorization: `Bearer ${((await created.json()) as { key: string }).key}` };
        await realFetch(at('/api/analyses'), { headers }); // in service: its lookup cached
        return headers;
      };
      const keyed = await createKey();
      // Each POST, counted or timed, needs a submitter with quota left (5 a day a user, 3 an hour a key):
      // one fresh user and one fresh key each, made before anything is timed. Refusals in the timing
      // loops would time 429s, and their reads, still in flight, spilled into the next route's counts.
      const submitters = 1 + WARMUP + TIMED;
      const bearers = rotation(
        await made(submitters, () => signIn(`bench-${crypto.randomUUID()}@example.com`)),
      );
      const keys = rotation(await made(submitters, createKey));
      const keyedOwn = (await (await post(keyed, {})).json()) as { id: string };
      await server.idle();
      const routes: [string, () => Promise<Response>][] = [
        [
          'GET /api/analyses/[id] owner',
          () => realFetch(at(`/api/analyses/${own.id}`), { headers: { authorization: `Bearer ${bearer}` } }),
        ],
        ['GET /api/analyses/[id] capability', () => realFetch(anonymous.statusUrl)],
        ['GET /api/me', () => realFetch(at('/api/me'), { headers: { authorization: `Bearer ${bearer}` } })],
        ['POST /api/analyses signed in', () => post({ authorization: `Bearer ${bearers.next()}` }, {})],
        ['POST /api/analyses anonymous', () => post({}, { email: `form-${n}@example.com`, name: 'Form' })],
        [
          'GET /api/analyses/[id] api key',
          () => realFetch(at(`/api/analyses/${keyedOwn.id}`), { headers: keyed }),
        ],
        ['POST /api/analyses api key', () => post(keys.next(), {})],
      ];
      const results: RouteCounts[] = [];
      const bareLatency = await timeSequential(() => realFetch(bareUrl).then((r) => r.text()), 50, 10);
      // The functions' own info lines (an analysis computed, ...) are not the bench's output.
      const print = (line: string) => process.stdout.write(`${line}\n`);
      console.log = () => {};
      print(
        '\nRound trips per request through the production clients (local services; critical path = sequential network calls)',
      );
      for (const [route, send] of routes) {
        // A key in service has its lookup cached (a minute): warm it right before, however slow the run.
        if (route === 'GET /api/analyses/[id] api key')
          await realFetch(at(`/api/analyses/${keyedOwn.id}`), { headers: keyed });
        if (route === 'POST /api/analyses api key')
          await realFetch(at('/api/analyses'), { headers: keys.peek() });
        await server.idle();
        calls = [];
        const connectsBefore = proxy.connections();
        counting = true;
        const response = await send();
        await response.text();
        counting = false;
        if (!response.ok) throw new Error(`${route} answered ${response.status}`);
        const counted = calls;
        const connects = proxy.connections() - connectsBefore;
        await server.idle(); // background work (after the response) is not on the request's path
        const entry = {
          route,
          kv: counted.filter((call) => call.kind === 'kv').length,
          db: counted.filter((call) => call.kind === 'db').length,
          connects,
          criticalPath: criticalPath(counted),
        };
        results.push(entry);
        const latency = await timeSequential(
          async () => {
            const answered = await send();
            await answered.text();
            if (!answered.ok) throw new Error(`${route} answered ${answered.status} while timed`);
            await server.idle();
          },
          TIMED,
          WARMUP,
        );
        print(
          `${route.padEnd(36)} kv ${entry.kv}   db ${entry.db}   connects ${entry.connects}   critical path ${entry.criticalPath}   median ${latency.medianMs.toFixed(1)} ms (${(latency.medianMs / bareLatency.medianMs).toFixed(1)}x a bare handler's ${bareLatency.medianMs.toFixed(2)} ms)`,
        );
      }
      mkdirSync(join(PROJECT_ROOT, '.bench'), { recursive: true });
      writeFileSync(join(PROJECT_ROOT, '.bench/requests.json'), `${JSON.stringify(results, null, 2)}\n`);
      return results;
    } finally {
      await server.close();
    }
  } finally {
    console.log = infoLog;
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetConfig();
    globalThis.fetch = realFetch;
    provideBackgroundRunner(undefined);
    provideMailer(undefined);
    await new Promise((resolve) => bare.close(resolve));
    await proxy.close();
    await http.close();
    await kvBridge.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
