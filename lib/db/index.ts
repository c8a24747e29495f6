import type { neonConfig as NeonConfig } from '@neondatabase/serverless';
import type { VercelPool } from '@vercel/postgres';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { ConfigError, config } from '../config';
import { describeError, log } from '../log';

export type Schema = typeof import('./schema');
/** Driver-neutral handle: production (@vercel/postgres pool) and embedded (PGlite) both satisfy it. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type DatabaseBackend = 'postgres' | 'embedded';

let provided: { db: Database; backend: DatabaseBackend } | undefined;
/** The HTTP driver's modules, imported once per instance (see openDatabase). */
let httpDriver:
  | Promise<[typeof import('@neondatabase/serverless'), typeof import('drizzle-orm/neon-http')]>
  | undefined;
let configuredProxy: string | undefined;
let tables: Promise<Schema> | undefined;

/**
 * The schema's tables, built on first use and once per instance: with pg-core's column builders they
 * were about two thirds of a function's module scope, and a request that never queries never pays them.
 */
export const loadSchema = (): Promise<Schema> => {
  tables ??= import('./schema');
  return tables;
};

/**
 * Lets Node-only tooling (dev runner, tests) supply an embedded database. Function bundles never
 * import PGlite; on Vercel nothing calls this and `POSTGRES_URL` is used.
 */
export function provideDatabase(db: Database | undefined, backend: DatabaseBackend = 'embedded'): void {
  provided = db ? { db, backend } : undefined;
}

export function databaseBackend(): DatabaseBackend {
  return provided?.backend ?? 'postgres';
}

/** One trivial statement: the health check's probe (drizzle's `sql` imported as the queries do, on use). */
export async function pingDatabase(db: Pick<Database, 'execute'>): Promise<void> {
  const { sql } = await import('drizzle-orm');
  await db.execute(sql`select 1`);
}

/** Raw SQL with typed rows; both drivers answer `{ rows }` (the neutral handle types it as unknown). */
export async function queryRows<T>(db: Pick<Database, 'execute'>, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as { rows: T[] }).rows;
}

/** A database handle for one request, and how to give its connections back when the request is done. */
export type DatabaseSession = { readonly db: Promise<Database>; release(): Promise<void> };

/**
 * The one way to reach the database, and where the driver is chosen. Every statement, and every
 * transaction that is a fixed list of statements, goes over Neon's HTTP query mode: one fetch each, no
 * connection to open (a WebSocket costs about four round trips before its first result). Only an
 * interactive transaction (read, decide in JS, write) needs a connection: `db.transaction` opens a small
 * WebSocket pool for it, on first use, and `release()` (called by `handle()` after the request and its
 * background work) ends it. On the edge a WebSocket cannot outlive the request that opened it.
 *
 * The driver is imported when a request first asks for the database, not at cold start: it is a third
 * of a function's code, a request that needs no database (a refusal, a preflight) never evaluates it,
 * and one that does evaluates it while its KV call is already on the wire.
 */
export function openDatabase(): DatabaseSession {
  if (provided) return { db: Promise.resolve(provided.db), release: async () => {} };
  const postgres = config().postgres;
  if (!postgres) {
    throw new ConfigError(['POSTGRES_URL'], 'POSTGRES_URL is not set and no embedded database was provided');
  }
  let pool: Promise<VercelPool> | undefined;
  const interactive = async () => {
    pool ??= (async () => {
      const [{ neonConfig }, { createPool }] = await Promise.all([
        import('@neondatabase/serverless'),
        import('@vercel/postgres'),
      ]);
      if (postgres.wsProxy && postgres.wsProxy !== configuredProxy) {
        useLocalWebSocketProxy(neonConfig, postgres.wsProxy);
        configuredProxy = postgres.wsProxy;
      }
      // A createPool() pool: drizzle runs real transactions only on a VercelPool (the default `sql`
      // export would send BEGIN, the statements and COMMIT over different connections).
      const created = createPool({ connectionString: postgres.url, max: 2, connectionTimeoutMillis: 5_000 });
      // An idle connection the server or network dropped emits 'error' on the pool: without a listener
      // that kills the process. The pool drops the connection; the next query opens a new one.
      created.on('error', (error: unknown) => log('warn', 'db_connection_lost', describeError(error)));
      return created;
    })();
    const [{ drizzle }, connected, schema] = await Promise.all([
      import('drizzle-orm/vercel-postgres'),
      pool,
      loadSchema(),
    ]);
    return drizzle(connected, { schema }) as unknown as Database;
  };
  const db = (async () => {
    httpDriver ??= Promise.all([import('@neondatabase/serverless'), import('drizzle-orm/neon-http')]);
    const [[{ neon, neonConfig }, { drizzle }], schema] = await Promise.all([httpDriver, loadSchema()]);
    // Local and test only: the HTTP queries go to a bridge in front of a plain PostgreSQL.
    if (postgres.httpEndpoint) neonConfig.fetchEndpoint = postgres.httpEndpoint;
    const http = drizzle(neon(postgres.url), { schema }) as unknown as Database;
    return Object.assign(Object.create(http) as Database, {
      transaction: (async (work, settings) =>
        (await interactive()).transaction(work, settings)) as Database['transaction'],
    });
  })();
  return { db, release: async () => (pool ? (await pool).end() : undefined) };
}

/**
 * Neon speaks Postgres over WebSocket. A local server has no Neon endpoint, so tests and the dev runner
 * point the pool at a plain ws:// proxy (one copy of the driver serves the pool and the HTTP queries).
 */
function useLocalWebSocketProxy(neonConfig: typeof NeonConfig, wsProxy: string): void {
  const settings = neonConfig as unknown as NeonSettings;
  settings.wsProxy = (host, port) => `${wsProxy}?address=${host}:${port}`; // host:port/path, no scheme
  settings.useSecureWebSocket = false;
  settings.pipelineTLS = false;
  settings.pipelineConnect = false; // else SCRAM fails: "client selected an invalid SASL authentication mechanism"
  settings.coalesceWrites = false; // else every query waits ~1 ms on a timer
}

type NeonSettings = {
  wsProxy: (host: string, port: number | string) => string;
  useSecureWebSocket: boolean;
  pipelineTLS: boolean;
  pipelineConnect: false | 'password';
  coalesceWrites: boolean;
};
