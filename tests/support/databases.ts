import pg from 'pg';
import { type Database, openDatabase } from '../../lib/db';
import { migratePostgres } from '../../tools/db/migrate-postgres';
import { openEmbeddedCopy } from '../../tools/test-support/embedded-template';
import { embeddedTemplate, services, useEnv } from './services';

export type TestDatabase = { db: Database; close(): Promise<void> };

/** A private, migrated PGlite copy. */
export async function openEmbeddedTestDatabase(): Promise<TestDatabase> {
  const copy = await openEmbeddedCopy(embeddedTemplate);
  return { db: copy.db, close: copy.close };
}

/**
 * A fresh database on the real server, migrated from empty by the migrator, reached through the
 * production driver (Neon's HTTP query mode through the bridge; its WebSocket pool, for interactive
 * transactions, through the proxy). Dropped on close.
 */
export async function openPostgresTestDatabase(): Promise<TestDatabase & { adminUrl: string }> {
  const postgres = services.postgres;
  if (!postgres) throw new Error('real PostgreSQL is not available');
  const name = `mia_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(postgres.url, `create database ${name}`);
  const adminUrl = withDatabase(postgres.url, name);
  await migratePostgres(adminUrl);
  const restore = useEnv({
    POSTGRES_URL: withDatabase(postgres.driverUrl, name),
    POSTGRES_WS_PROXY: postgres.wsProxy,
    POSTGRES_HTTP_ENDPOINT: postgres.httpEndpoint,
  });
  const session = openDatabase();
  return {
    db: await session.db,
    adminUrl,
    async close() {
      await session.release();
      restore();
      // The pool's end can resolve before its WebSockets have closed; a forced drop would then terminate
      // a connection still closing, which the driver reports as an uncaught error (seen once in CI).
      // Wait for the server to see them gone first.
      for (let waited = 0; waited < 3000; waited += 25) {
        const open = await adminQuery(
          postgres.url,
          `select count(*)::int as n from pg_stat_activity where datname = '${name}'`,
        );
        if (open.rows[0]?.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await adminQuery(postgres.url, `drop database if exists ${name} with (force)`);
    },
  };
}

export async function adminQuery(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
