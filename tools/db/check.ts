// `npm run db:check`: fails when lib/db/schema.ts and the committed migrations in drizzle/ disagree,
// i.e. when `drizzle-kit generate` would write a new migration, or when the snapshots are inconsistent.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MIGRATIONS_FOLDER, PROJECT_ROOT } from '../paths';

const kit = join(PROJECT_ROOT, 'node_modules', '.bin', 'drizzle-kit');
// drizzle-kit prefixes paths with './': give it paths relative to the project.
execFileSync(kit, ['check', '--dialect', 'postgresql', '--out', relative(PROJECT_ROOT, MIGRATIONS_FOLDER)], {
  cwd: PROJECT_ROOT,
  stdio: 'inherit',
});

mkdirSync(join(PROJECT_ROOT, '.cache'), { recursive: true });
const scratch = mkdtempSync(join(PROJECT_ROOT, '.cache', 'db-check-'));
try {
  cpSync(MIGRATIONS_FOLDER, scratch, { recursive: true });
  const before = readdirSync(scratch).sort();
  execFileSync(
    kit,
    [
      'generate',
      '--dialect',
      'postgresql',
      '--schema',
      './lib/db/schema.ts',
      '--out',
      relative(PROJECT_ROOT, scratch),
      '--name',
      'pending',
    ],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const added = readdirSync(scratch).filter((file) => !before.includes(file));
  if (added.length > 0) {
    console.error(
      `[db:check] FAIL: the schema has changes with no migration (${added.join(', ')}). Run npm run db:generate.`,
    );
    process.exit(1);
  }
  console.log('[db:check] ok: schema and committed migrations agree');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
