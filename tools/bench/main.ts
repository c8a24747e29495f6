// `npm run bench`: each figure is printed next to a baseline measured in the same run, as a ratio.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, RUN_TS } from '../paths';
import { ensureEmbeddedTemplate } from '../test-support/embedded-template';
import { benchAnalyses } from './analyses';
import { benchAnalysis, benchWorstCases } from './analysis';
import { benchAnalysisEdge } from './analysis-edge';
import { benchColdStart } from './cold-start';
import { benchQueries } from './db';
import { type LoadResult, measureHttp } from './http-load';
import { benchKv } from './kv';
import { benchReportPage } from './report';
import { benchRequests } from './requests';
import { benchWorkbook } from './workbook';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);

/** Starts a child that prints its URL; returns the URL and the child. */
function startChild(args: string[], env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] && output.includes('\n')) resolve({ url: match[1], child });
    });
    child.on('exit', (code) => reject(new Error(`child exited ${code}: ${output}`)));
  });
}

// A bare node:http server answering the same JSON the health function answers: the platform's floor.
const BARE_SERVER = `
const body = process.argv[1];
require('node:http').createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}).listen(0, '127.0.0.1', function () { console.log('http://127.0.0.1:' + this.address().port + '\\n'); });`;

const row = (name: string, result: LoadResult) =>
  `${name.padEnd(34)} ${result.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${String(result.p50Ms).padStart(4)} ms   p99 ${String(result.p99Ms).padStart(4)} ms   errors ${result.errors + result.non2xx}`;

async function benchHealth(): Promise<void> {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'mia-bench-')), 'pglite');
  cpSync(await ensureEmbeddedTemplate(), dataDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DEV_DATA_DIR: dataDir };
  for (const name of ['POSTGRES_URL', 'KV_REST_API_URL', 'KV_REST_API_TOKEN']) delete env[name];
  const dev = await startChild([...RUN_TS, 'tools/dev/main.ts'], env);
  try {
    const body = await (await fetch(`${dev.url}/api/health`)).text();
    const bare = await startChild(['-e', BARE_SERVER, body], process.env);
    try {
      const baseline = await measureHttp(bare.url, seconds);
      const health = await measureHttp(`${dev.url}/api/health`, seconds);
      console.log(
        '\n/api/health through the dev runner (embedded PGlite + memory KV) vs a bare node:http handler',
      );
      console.log(row('bare node:http, same JSON', baseline));
      console.log(row('dev runner /api/health', health));
      console.log(
        `ratio: throughput ${(health.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)}x of bare, p99 ${(health.p99Ms / Math.max(baseline.p99Ms, 1)).toFixed(1)}x of bare`,
      );
    } finally {
      bare.child.kill();
    }
  } finally {
    dev.child.kill('SIGTERM');
    await new Promise((resolve) => dev.child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const only = process.argv[2];
if (!only || only === 'health') await benchHealth();
if (!only || only === 'db') {
  const postgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  await benchQueries(postgresUrl).catch((error) =>
    console.log(`\n[bench] queries skipped: PostgreSQL at ${postgresUrl} is not usable (${error.message})`),
  );
}
if (!only || only === 'kv') {
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  await benchKv(redisUrl).catch((error) =>
    console.log(`\n[bench] kv skipped: Redis at ${redisUrl} is not usable (${error.message})`),
  );
}
if (!only || only === 'analysis') {
  benchAnalysis();
  benchWorstCases();
}
if (!only || only === 'analysis' || only === 'analysis-edge') await benchAnalysisEdge();
if (!only || only === 'analyses') await benchAnalyses();
if (!only || only === 'report') await benchReportPage();
if (!only || only === 'workbook') await benchWorkbook();
if (!only || only === 'cold-start') await benchColdStart();
if (!only || only === 'requests') {
  const postgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  await benchRequests(postgresUrl, redisUrl).catch((error) =>
    console.log(`\n[bench] requests skipped: the local services are not usable (${error.message})`),
  );
}
process.exit(0);
