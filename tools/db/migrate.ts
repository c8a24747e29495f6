// `npm run db:migrate`: applies pending migrations to POSTGRES_URL_NON_POOLING / POSTGRES_URL, or to the
// embedded database in .data/pglite when neither is set.
import { loadConfig } from '../../lib/config';
import { openEmbeddedDatabase } from '../embedded/pglite';
import { loadEnvFiles } from '../env-files';
import { EMBEDDED_DATA_DIR } from '../paths';
import { migratePostgres } from './migrate-postgres';

loadEnvFiles();
const { postgres } = loadConfig(process.env);
if (postgres) {
  await migratePostgres(postgres.migrationUrl);
  console.log(
    `[db:migrate] migrated ${new URL(postgres.migrationUrl).host}${new URL(postgres.migrationUrl).pathname}`,
  );
} else {
  const embedded = await openEmbeddedDatabase(process.env.DEV_DATA_DIR ?? EMBEDDED_DATA_DIR);
  await embedded.close();
  console.log('[db:migrate] migrated the embedded database');
}
