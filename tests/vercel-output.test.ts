import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toRoute } from '../tools/dev/routes';
import { verifyVercelOutput } from '../tools/vercel-check/verify';

// The real `vercel build` runs in `npm run check:vercel` (CI); these pin down what the verifier rejects,
// on output trees shaped exactly like vercel 58.10.0's.
const routes = [toRoute('api/health.ts'), toRoute('api/things/[id].ts')];
const EDGE_FRA1 = { runtime: 'edge', deploymentTarget: 'v8-worker', regions: ['fra1'] };
const PARAM_ROUTE = { src: '^/api/things/([^/]+)$', dest: '/api/things/[id]?id=$1', check: true };

let root: string;
const write = (path: string, content: unknown) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
};
const verify = () => verifyVercelOutput(join(root, 'output'), routes, join(root, 'public'));

function goodBuild() {
  write('public/index.html', '<p>hi</p>');
  write('output/static/index.html', '<p>hi</p>');
  write('output/config.json', { version: 3, routes: [{ handle: 'filesystem' }, PARAM_ROUTE] });
  write('output/functions/api/health.func/.vc-config.json', { ...EDGE_FRA1, entrypoint: 'api/health.js' });
  write('output/functions/api/things/[id].func/.vc-config.json', {
    ...EDGE_FRA1,
    entrypoint: 'api/things/[id].js',
  });
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mia-vc-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('vercel output verifier', () => {
  it('accepts one edge function in fra1 per api/ file with the [param] rewrite', () => {
    goodBuild();
    expect(verify()).toEqual([]);
  });

  it('fails a build that silently produced nothing', () => {
    expect(verify()).toEqual([expect.stringMatching(/config\.json is missing: the build produced nothing/)]);
  });

  it('fails a function that dropped its regions or its runtime', () => {
    goodBuild();
    write('output/functions/api/health.func/.vc-config.json', {
      runtime: 'edge',
      entrypoint: 'api/health.js',
    });
    write('output/functions/api/things/[id].func/.vc-config.json', {
      runtime: 'nodejs22.x',
      regions: ['fra1'],
    });
    expect(verify()).toEqual([
      'api/health.ts: regions are undefined, not ["fra1"]',
      'api/things/[id].ts: runtime is "nodejs22.x", not "edge"',
    ]);
  });

  it('fails a missing function, an unexpected one, and a wrong [param] route', () => {
    goodBuild();
    rmSync(join(root, 'output/functions/api/health.func'), { recursive: true });
    write('output/functions/api/extra.func/.vc-config.json', EDGE_FRA1);
    write('output/config.json', { version: 3, routes: [{ ...PARAM_ROUTE, dest: '/api/things/[id]' }] });
    expect(verify()).toEqual([
      'unexpected function api/extra',
      'api/health.ts did not become a function',
      'api/things/[id].ts: no route ^/api/things/([^/]+)$ -> /api/things/[id]?id=$1',
    ]);
  });

  it('fails when a cron of vercel.json is missing from the build or has no function', () => {
    goodBuild();
    write('vercel.json', {
      crons: [
        { path: '/api/health', schedule: '0 3 * * *' },
        { path: '/api/nothing', schedule: '0 3 * * *' },
      ],
    });
    write('output/config.json', {
      version: 3,
      routes: [PARAM_ROUTE],
      crons: [{ path: '/api/health', schedule: '0 3 * * *' }],
    });
    expect(verify()).toEqual([
      'cron /api/nothing is missing from the build',
      'cron /api/nothing has no function',
    ]);
  });

  it('fails when project sources are published as static files', () => {
    goodBuild();
    write('output/static/lib/config.ts', 'export {}');
    expect(verify()).toEqual(['static file lib/config.ts does not come from public/']);
  });
});
