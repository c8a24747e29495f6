import { createClient, createPool } from '@vercel/postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/vercel-postgres';
import { ConfigError, config } from '../config';
import * as schema from './schema';

export { schema };
export type Schema = typeof schema;
/** Driver-neutral handle: production (@vercel/postgres pool) and embedded (PGlite) both satisfy it. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type DatabaseBackend = 'postgres' | 'embedded';

let provided: { db: Database; backend: DatabaseBackend } | undefined;
let production: Database | undefined;

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

/** The one database handle. */
export function db(): Database {
  if (provided) return provided.db;
  if (!production) {
    const postgres = config().postgres;
    if (!postgres) {
      throw new ConfigError(['POSTGRES_URL'], 'POSTGRES_URL is not set and no embedded database was provided');
    }
    production = createProductionDatabase(postgres.url, postgres.wsProxy);
  }
  return production;
}

function createProductionDatabase(connectionString: string, wsProxy: string | undefined): Database {
  if (wsProxy) useLocalWebSocketProxy(connectionString, wsProxy);
  // Always a createPool() pool: drizzle runs real transactions only on a VercelPool; the default `sql`
  // export would send BEGIN, the statements and COMMIT over different connections.
  const pool = createPool({ connectionString, max: 5, connectionTimeoutMillis: 5_000 });
  return drizzle(pool, { schema }) as unknown as Database;
}

/**
 * Neon speaks Postgres over WebSocket. A local server has no Neon endpoint, so tests and the dev runner
 * point it at a plain ws:// proxy. The settings object is only reachable through a client instance.
 */
function useLocalWebSocketProxy(connectionString: string, wsProxy: string): void {
  const probe = createClient({ connectionString }) as unknown as { neonConfig: { constructor: NeonSettings } };
  const settings = probe.neonConfig.constructor;
  settings.wsProxy = (host, port) => `${wsProxy}?address=${host}:${port}`;
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
