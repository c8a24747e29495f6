import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { Database } from '../../lib/db';
import * as schema from '../../lib/db/schema';
import { MIGRATIONS_FOLDER } from '../paths';

export type EmbeddedDatabase = { db: Database; client: PGlite; close(): Promise<void> };

/**
 * Opens (creating if needed) the embedded PGlite database in `dataDir` and applies pending migrations.
 * PGlite does nothing to stop a second process opening the same folder, and a second writer silently
 * loses data, so a lock file next to the folder holds the owner's pid.
 */
export async function openEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  const release = acquireLock(`${dataDir}.lock`);
  try {
    const client = await PGlite.create(dataDir);
    const db = drizzle(client, { schema }) as unknown as Database;
    await migrateEmbedded(client);
    return {
      db,
      client,
      async close() {
        await client.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/** Applies the committed migrations to a PGlite instance (the dev database or a test template). */
export async function migrateEmbedded(client: PGlite): Promise<void> {
  if (!existsSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'))) return;
  await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
}

export class DatabaseLockedError extends Error {
  override readonly name = 'DatabaseLockedError';
}

function acquireLock(lockPath: string): () => void {
  mkdirSync(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => {
        process.off('exit', release);
        if (readPid(lockPath) === process.pid) rmSync(lockPath, { force: true });
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readPid(lockPath);
      if (owner !== undefined && isAlive(owner)) {
        throw new DatabaseLockedError(
          `The embedded database ${dirname(lockPath)} is open in process ${owner}. Stop it first (a second writer loses data).`,
        );
      }
      rmSync(lockPath, { force: true }); // stale lock of a process that died
    }
  }
  throw new DatabaseLockedError(`Could not take the lock ${lockPath}`);
}

function readPid(lockPath: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    return Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
