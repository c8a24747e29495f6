// `npm run db:seed`: the demo users and analyses, into POSTGRES_URL or the embedded database. Idempotent.
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { loadConfig } from '../../lib/config';
import type { Database } from '../../lib/db';
import * as schema from '../../lib/db/schema';
import { openEmbeddedDatabase } from '../embedded/pglite';
import { loadEnvFiles } from '../env-files';
import { EMBEDDED_DATA_DIR } from '../paths';
import { seedDemoData } from './seed-data';

loadEnvFiles();
const { postgres } = loadConfig(process.env);
if (postgres) {
  const pool = new pg.Pool({ connectionString: postgres.migrationUrl, max: 1 });
  const counts = await seedDemoData(drizzle(pool, { schema }) as unknown as Database);
  await pool.end();
  console.log(`[db:seed] new rows: ${counts.users} users, ${counts.analyses} analyses`);
} else {
  const embedded = await openEmbeddedDatabase(process.env.DEV_DATA_DIR ?? EMBEDDED_DATA_DIR);
  const counts = await seedDemoData(embedded.db);
  await embedded.close();
  console.log(`[db:seed] new rows (embedded): ${counts.users} users, ${counts.analyses} analyses`);
}
