// `npm run check:vercel`: an offline `vercel build` of this project, checked against api/, plus two
// deliberately broken copies that the check must reject. The CLI (~250 MB) is fetched for this check only,
// pinned and cached outside the project, never a dependency of `npm install`.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverRoutes } from '../dev/routes';
import { PROJECT_ROOT } from '../paths';
import { verifyVercelOutput } from './verify';

const VERCEL_VERSION = '58.10.0';
const cacheDir = join(
  process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
  'mia',
  `vercel-${VERCEL_VERSION}`,
);
const cli = join(cacheDir, 'node_modules', '.bin', 'vercel');

function ensureCli(): void {
  if (existsSync(cli)) return;
  console.log(`[vercel-check] installing vercel@${VERCEL_VERSION} into ${cacheDir} (once)`);
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      cacheDir,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      `vercel@${VERCEL_VERSION}`,
    ],
    { stdio: 'inherit' },
  );
}

/** Builds `root` offline and returns the problems the verifier finds. */
function buildAndVerify(root: string): string[] {
  mkdirSync(join(root, '.vercel'), { recursive: true });
  writeFileSync(
    join(root, '.vercel', 'project.json'),
    JSON.stringify({ projectId: 'offline-check', orgId: 'offline-check', settings: { framework: null } }),
  );
  rmSync(join(root, '.vercel', 'output'), { recursive: true, force: true });
  execFileSync(cli, ['build', '--yes'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    // node_modules is installed already (npm ci, or a symlink in the broken copies). The builders' own
    // `npm install` is skipped (@vercel/build-utils honours VERCEL_INSTALL_COMPLETED): offline, it needs
    // registry metadata that a cache filled by `npm ci` alone does not hold.
    env: {
      ...process.env,
      VERCEL_TELEMETRY_DISABLED: '1',
      VERCEL_INSTALL_COMPLETED: '1',
      npm_config_offline: 'true',
    },
  });
  return verifyVercelOutput(join(root, '.vercel', 'output'), discoverRoutes(root), join(root, 'public'));
}

/** A throwaway copy of the deployable parts of the project, with one function file rewritten. */
function brokenCopy(mutate: (root: string) => void): string {
  const root = mkdtempSync(join(tmpdir(), 'mia-vercel-'));
  for (const entry of ['api', 'lib', 'public', 'vercel.json', 'package.json', 'tsconfig.json']) {
    cpSync(join(PROJECT_ROOT, entry), join(root, entry), { recursive: true });
  }
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'));
  mutate(root);
  return root;
}

const rewriteHealth = (root: string, config: string) => {
  const path = join(root, 'api', 'health.ts');
  const source = readFileSync(path, 'utf8');
  const rewritten = source.replace(/export const config = \{[^}]*\};/, `export const config = ${config};`);
  if (rewritten === source) throw new Error('api/health.ts has no config export to rewrite');
  writeFileSync(path, rewritten);
};

ensureCli();
let failed = false;

const problems = buildAndVerify(PROJECT_ROOT);
const routes = discoverRoutes(PROJECT_ROOT);
if (problems.length > 0) {
  failed = true;
  console.error(`[vercel-check] FAIL: the build is not what api/ declares:\n  ${problems.join('\n  ')}`);
} else {
  console.log(
    `[vercel-check] ok: ${routes.length} function(s), each edge in fra1: ${routes.map((r) => r.file).join(', ')}`,
  );
}

// The check must catch a function that drops its region or its runtime; the first copy also adds a
// [param] function, whose rewrite must come out right.
const mutations: { name: string; config: string; expect: RegExp }[] = [
  { name: 'drops regions', config: "{ runtime: 'edge' }", expect: /api\/health\.ts: regions are/ },
  { name: 'drops runtime', config: "{ regions: ['fra1'] }", expect: /api\/health\.ts: runtime is/ },
];
for (const mutation of mutations) {
  const root = brokenCopy((copy) => {
    rewriteHealth(copy, mutation.config);
    mkdirSync(join(copy, 'api', 'probe'), { recursive: true });
    writeFileSync(
      join(copy, 'api', 'probe', '[id].ts'),
      "export const config = { runtime: 'edge', regions: ['fra1'] };\nexport default () => new Response('ok');\n",
    );
  });
  try {
    const found = buildAndVerify(root);
    const caught = found.length === 1 && mutation.expect.test(found[0] ?? '');
    if (!caught) failed = true;
    console.log(
      `[vercel-check] ${caught ? 'ok' : 'FAIL'}: a function that ${mutation.name} is ${caught ? 'rejected' : 'NOT rejected as expected'}: ${found.join('; ') || 'no problems found'}`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

process.exit(failed ? 1 : 0);
