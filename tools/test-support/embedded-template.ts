import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import type { Database } from '../../lib/db';
import * as schema from '../../lib/db/schema';
import { migrateEmbedded } from '../embedded/pglite';
import { MIGRATIONS_FOLDER, PROJECT_ROOT } from '../paths';

/**
 * A fresh PGlite runs initdb in WASM (6-8 s here); opening a copy of a migrated data folder takes ~1 s.
 * The template is built once per set of migrations and cached under .cache/.
 */
export async function ensureEmbeddedTemplate(): Promise<string> {
  const dir = join(PROJECT_ROOT, '.cache', `pglite-template-${migrationsHash()}`);
  if (existsSync(dir)) return dir;
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(join(PROJECT_ROOT, '.cache'), { recursive: true });
  const client = await PGlite.create(building);
  await migrateEmbedded(client);
  await client.close();
  try {
    renameSync(building, dir);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another run finished first
  }
  return dir;
}

export type EmbeddedCopy = { db: Database; client: PGlite; close(): Promise<void> };

/** Opens a private, already-migrated copy of the template; removed on close. */
export async function openEmbeddedCopy(templateDir: string): Promise<EmbeddedCopy> {
  const dir = mkdtempSync(join(tmpdir(), 'mia-pglite-'));
  cpSync(templateDir, dir, { recursive: true });
  const client = await PGlite.create(dir);
  return {
    db: drizzle(client, { schema }) as unknown as Database,
    client,
    async close() {
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function migrationsHash(): string {
  const hash = createHash('sha256');
  if (existsSync(MIGRATIONS_FOLDER)) {
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
        a.name.localeCompare(b.name),
      )) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else hash.update(entry.name).update(readFileSync(path));
      }
    };
    walk(MIGRATIONS_FOLDER);
  }
  return hash.digest('hex').slice(0, 16);
}
