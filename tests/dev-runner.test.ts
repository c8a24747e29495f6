import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { provideDatabase } from '../lib/db';
import { provideKv } from '../lib/kv';
import { discoverRoutes, matchRoute, toRoute } from '../tools/dev/routes';
import { type DevServer, startDevServer } from '../tools/dev/server';
import { MemoryKv } from '../tools/embedded/memory-kv';
import { DatabaseLockedError, openEmbeddedDatabase } from '../tools/embedded/pglite';
import { PROJECT_ROOT, RUN_TS } from '../tools/paths';
import { openEmbeddedCopy } from '../tools/test-support/embedded-template';
import { embeddedTemplate } from './support/services';

const FIXTURE = join(PROJECT_ROOT, 'tests/fixtures/project');

describe('routing as Vercel does it', () => {
  it('makes one function per file, skipping _helpers', () => {
    expect(discoverRoutes(FIXTURE).map((route) => route.file)).toEqual([
      'api/background.ts',
      'api/index.ts',
      'api/users/me.ts',
      'api/users/[id].ts',
    ]);
  });

  it('builds the route source Vercel writes for [param] files', () => {
    expect(toRoute('api/users/[id].ts')).toMatchObject({ source: '^/api/users/([^/]+)$', params: ['id'] });
    expect(toRoute('api/index.ts').source).toBe('^/api$');
    expect(toRoute('api/cron/cleanup.ts').source).toBe('^/api/cron/cleanup$');
  });

  it('prefers static segments and decodes params', () => {
    const routes = discoverRoutes(FIXTURE);
    expect(matchRoute(routes, '/api/users/me')?.route.file).toBe('api/users/me.ts');
    expect(matchRoute(routes, '/api/users/a%20b')?.params).toEqual({ id: 'a b' });
    expect(matchRoute(routes, '/api/users/%E0%A4%A')?.params).toEqual({ id: '%E0%A4%A' });
    expect(matchRoute(routes, '/api/users/1/2')).toBeUndefined();
  });
});

describe('dev server on a fixture project', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startDevServer({ projectRoot: FIXTURE, port: 0 });
  });
  afterAll(() => server.close());

  it('passes [param] segments as query parameters and the client address as x-real-ip', async () => {
    const response = await fetch(`${server.url}/api/users/42?x=1`, { headers: { 'x-real-ip': '6.6.6.6' } });
    expect(await response.json()).toEqual({
      path: '/api/users/42',
      query: { x: '1', id: '42' },
      ip: '127.0.0.1',
    });
  });

  it('answers unknown paths with 404 problem+json', async () => {
    const response = await fetch(`${server.url}/api/nothing`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('awaits waitUntil work after the response and logs its failures', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const accepted = await fetch(`${server.url}/api/background`, { method: 'POST' });
    expect(accepted.status).toBe(202);
    await server.idle();
    expect(await (await fetch(`${server.url}/api/background`)).json()).toEqual({ finished: ['slow work'] });
    const lines = logged.mock.calls.map(([line]) => JSON.parse(String(line)));
    expect(lines).toContainEqual(
      expect.objectContaining({ event: 'wait_until_failed', message: 'background boom' }),
    );
    logged.mockRestore();
  });
});

describe('dev server on this project with embedded backends', () => {
  let server: DevServer;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const copy = await openEmbeddedCopy(embeddedTemplate);
    provideDatabase(copy.db);
    provideKv(new MemoryKv());
    server = await startDevServer({ projectRoot: PROJECT_ROOT, port: 0 });
    close = copy.close;
  });
  afterAll(async () => {
    await server.close();
    provideDatabase(undefined);
    provideKv(undefined);
    await close();
  });

  it('serves /api/health with both embedded backends ok', async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({
      status: 'ok',
      region: 'local',
      checks: { db: { status: 'ok', backend: 'embedded' }, kv: { status: 'ok', backend: 'memory' } },
    });
  });
});

describe('embedded database lock', () => {
  it('refuses a data folder that a live process holds, and takes over a stale lock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mia-lock-'));
    const dataDir = join(dir, 'pglite');
    cpSync(embeddedTemplate, dataDir, { recursive: true });
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(`${dataDir}.lock`, String(holder.pid));
      await expect(openEmbeddedDatabase(dataDir)).rejects.toThrow(DatabaseLockedError);
      writeFileSync(`${dataDir}.lock`, '999999999'); // no such process
      const opened = await openEmbeddedDatabase(dataDir);
      await expect(openEmbeddedDatabase(dataDir)).rejects.toThrow(/open in process/);
      await opened.close();
    } finally {
      holder.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run dev', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('starts on embedded backends, prints its URL and backends, and answers health', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'mia-dev-')), 'pglite');
    cpSync(embeddedTemplate, dataDir, { recursive: true });
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DEV_DATA_DIR: dataDir };
    for (const name of ['POSTGRES_URL', 'KV_REST_API_URL', 'KV_REST_API_TOKEN']) delete env[name];
    child = spawn(process.execPath, [...RUN_TS, 'tools/dev/main.ts'], { cwd: PROJECT_ROOT, env });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child?.stdout?.on('data', (chunk) => {
        output += chunk;
        const match = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1] && output.includes('kv:')) resolve(match[1]);
      });
      child?.stderr?.on('data', (chunk) => {
        output += chunk;
      });
      child?.on('exit', (code) => reject(new Error(`dev runner exited ${code}: ${output}`)));
    });
    expect(output).toContain('database: embedded PGlite');
    expect(output).toContain('kv:       embedded in-memory store');
    const response = await fetch(`${url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      checks: { db: { backend: 'embedded' }, kv: { backend: 'memory' } },
    });
  });
});
