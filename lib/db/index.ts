import { neon, neonConfig } from '@neondatabase/serverless';
import { createPool, type VercelPool } from '@vercel/postgres';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzleHttp } from 'drizzle-orm/neon-http';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/vercel-postgres';
import { ConfigError, config } from '../config';
import { describeError, log } from '../log';
import * as schema from './schema';

export { schema };
export type Schema = typeof schema;
/** Driver-neutral handle: production (@vercel/postgres pool) and embedded (PGlite) both satisfy it. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type DatabaseBackend = 'postgres' | 'embedded';

let provided: { db: Database; backend: DatabaseBackend } | undefined;
let configuredProxy: string | undefined;

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

/** Raw SQL with typed rows; both drivers answer `{ rows }` (the neutral handle types it as unknown). */
export async function queryRows<T>(db: Pick<Database, 'execute'>, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as { rows: T[] }).rows;
}

/** A database handle for one request, and how to give its connections back when the request is done. */
export type DatabaseSession = { readonly db: Database; release(): Promise<void> };

/**
 * The one way to reach the database, and where the driver is chosen. Every statement, and every
 * transaction that is a fixed list of statements, goes over Neon's HTTP query mode: one fetch each, no
 * connection to open (a WebSocket costs about four round trips before its first result). Only an
 * interactive transaction (read, decide in JS, write) needs a connection: `db.transaction` opens a small
 * WebSocket pool for it, on first use, and `release()` (called by `handle()` after the request and its
 * background work) ends it. On the edge a WebSocket cannot outlive the request that opened it.
 */
export function openDatabase(): DatabaseSession {
  if (provided) return { db: provided.db, release: async () => {} };
  const postgres = config().postgres;
  if (!postgres) {
    throw new ConfigError(['POSTGRES_URL'], 'POSTGRES_URL is not set and no embedded database was provided');
  }
  // Local and test only: the HTTP queries go to a bridge in front of a plain PostgreSQL.
  if (postgres.httpEndpoint) neonConfig.fetchEndpoint = postgres.httpEndpoint;
  const http = drizzleHttp(neon(postgres.url), { schema }) as unknown as Database;
  let pool: VercelPool | undefined;
  const interactive = () => {
    if (postgres.wsProxy && postgres.wsProxy !== configuredProxy) {
      useLocalWebSocketProxy(postgres.wsProxy);
      configuredProxy = postgres.wsProxy;
    }
    // A createPool() pool: drizzle runs real transactions only on a VercelPool (the default `sql`
    // export would send BEGIN, the statements and COMMIT over different connections).
    if (!pool) {
      pool = createPool({ connectionString: postgres.url, max: 2, connectionTimeoutMillis: 5_000 });
      // An idle connection the server or network dropped emits 'error' on the pool: without a listener
      // that kills the process. The pool drops the connection; the next query opens a new one.
      pool.on('error', (error: unknown) => log('warn', 'db_connection_lost', describeError(error)));
    }
    return drizzle(pool, { schema }) as unknown as Database;
  };
  const db = Object.assign(Object.create(http) as Database, {
    transaction: ((work, settings) => interactive().transaction(work, settings)) as Database['transaction'],
  });
  return { db, release: async () => pool?.end() };
}

/**
 * Neon speaks Postgres over WebSocket. A local server has no Neon endpoint, so tests and the dev runner
 * point the pool at a plain ws:// proxy (one copy of the driver serves the pool and the HTTP queries).
 */
function useLocalWebSocketProxy(wsProxy: string): void {
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
