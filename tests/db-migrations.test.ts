import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../tools/paths';
import { adminQuery } from './support/databases';
import { services } from './support/services';

const run = promisify(execFile);

describe.skipIf(!services.postgres)('npm run db:migrate against a real server', () => {
  it('migrates an empty database from any working directory, and a second run changes nothing', async () => {
    const base = services.postgres?.url ?? '';
    const name = `mia_migrate_${process.pid}`;
    await adminQuery(base, `create database ${name}`);
    try {
      const url = new URL(base);
      url.pathname = `/${name}`;
      const env = { ...process.env, POSTGRES_URL: url.toString(), POSTGRES_URL_NON_POOLING: url.toString() };
      const script = [
        join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'),
        join(PROJECT_ROOT, 'tools/db/migrate.ts'),
      ];
      const first = await run(process.execPath, script, { cwd: tmpdir(), env });
      expect(first.stdout).toContain('[db:migrate] migrated');
      await run(process.execPath, script, { cwd: tmpdir(), env });
      const tables = await adminQuery(
        url.toString(),
        `select table_name from information_schema.tables where table_schema = 'public' order by 1`,
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual([
        'analyses',
        'api_keys',
        'users',
        'webhook_deliveries',
        'webhooks',
      ]);
      const applied = await adminQuery(
        url.toString(),
        'select count(*)::int as n from drizzle.__drizzle_migrations',
      );
      const journal = JSON.parse(readFileSync(join(PROJECT_ROOT, 'drizzle/meta/_journal.json'), 'utf8'));
      expect(applied.rows[0]?.n).toBe(journal.entries.length);
    } finally {
      await adminQuery(base, `drop database if exists ${name} with (force)`);
    }
  });
});
