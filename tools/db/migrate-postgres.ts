import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { MIGRATIONS_FOLDER } from '../paths';

/**
 * Applies the committed migrations to a PostgreSQL server over a plain TCP connection (`pg`), which
 * reaches Neon's direct endpoint and a local server alike. The folder is an absolute path, so this works
 * from any working directory. Runs in CI or a deploy step, never inside a function.
 */
export async function migratePostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.end();
  }
}
