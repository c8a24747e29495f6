import type { Config } from '../../lib/config';
import { provideDatabase } from '../../lib/db';
import { provideKv } from '../../lib/kv';
import { MemoryKv } from '../embedded/memory-kv';
import { openEmbeddedDatabase } from '../embedded/pglite';

export type Backends = { db: string; kv: string; close(): Promise<void> };

/**
 * Real services when their variables are set, otherwise the embedded defaults: PGlite in `dataDir`
 * (migrated at start-up) and an in-memory KV store. Nothing here reaches a function bundle.
 */
export async function setUpBackends(config: Config, dataDir: string): Promise<Backends> {
  let closeDb = async () => {};
  let dbLabel: string;
  if (config.postgres) {
    dbLabel = `postgres ${redact(config.postgres.url)}`;
  } else {
    const embedded = await openEmbeddedDatabase(dataDir);
    provideDatabase(embedded.db);
    closeDb = () => embedded.close();
    dbLabel = `embedded PGlite in ${dataDir}`;
  }
  let kvLabel: string;
  if (config.kv) {
    kvLabel = `Vercel KV at ${config.kv.url}`;
  } else {
    provideKv(new MemoryKv());
    kvLabel = 'embedded in-memory store (cleared on restart)';
  }
  return {
    db: dbLabel,
    kv: kvLabel,
    async close() {
      provideDatabase(undefined);
      provideKv(undefined);
      await closeDb();
    },
  };
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
