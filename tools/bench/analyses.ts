import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { drizzle } from 'drizzle-orm/pglite';
import { type Database, provideDatabase } from '../../lib/db';
import * as schema from '../../lib/db/schema';
import { provideKv } from '../../lib/kv';
import { provideMailer } from '../../lib/mail';
import { Outbox } from '../dev/outbox';
import { startDevServer } from '../dev/server';
import { MemoryKv } from '../embedded/memory-kv';
import { PROJECT_ROOT } from '../paths';
import { countingKv } from '../test-support/counting-kv';
import { ensureEmbeddedTemplate, openEmbeddedCopy } from '../test-support/embedded-template';
import { ms, timeSequential } from './stats';

const CSV =
  'Machine;Planned [min];Downtime [min];Total;Scrap;Ideal Cycle Time [s]\nA;480;48;1000;20;20\nB;480;30;900;9;25\n';

/** Runs `make` with `concurrency` callers for `seconds`; answers completed calls per second. */
async function throughput(
  make: (n: number) => Promise<unknown>,
  seconds: number,
  concurrency = 8,
): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  let n = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await make(n++);
        done++;
      }
    }),
  );
  return done / seconds;
}

/**
 * Submissions per second (cached file, new file) and GET /api/analyses/[id] latency through the dev
 * runner on embedded backends, against a bare node:http handler driven the same way, with KV and
 * database operations per request counted.
 */
export async function benchAnalyses(seconds = 3): Promise<void> {
  const copy = await openEmbeddedCopy(await ensureEmbeddedTemplate());
  let queries = 0;
  provideDatabase(
    drizzle(copy.client, { schema, logger: { logQuery: () => void queries++ } }) as unknown as Database,
  );
  const kv = countingKv(new MemoryKv());
  provideKv(kv);
  const outbox = new Outbox(() => {});
  provideMailer(outbox);
  const quiet = console.log;
  console.log = () => {}; // request logs would dominate the measurement
  const server = await startDevServer({
    projectRoot: PROJECT_ROOT,
    port: 0,
    trustClientIpHeader: true,
    devRoutes: { '/__dev/outbox': outbox.route },
  });
  const bare = createServer((_request, response) => {
    response.writeHead(202, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end('{"id":"00000000-0000-4000-8000-000000000000","status":"pending","statusUrl":"/x"}');
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  try {
    const submit = (base: string, n: number, text: string) =>
      fetch(`${base}/api/analyses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-real-ip': `100.64.${(n >> 8) & 255}.${n & 255}` },
        body: JSON.stringify({ csv: text, email: `bench-${n}-${Math.random()}@example.com`, name: 'Bench' }),
      }).then((response) => response.arrayBuffer());
    await submit(server.url, 0, CSV); // the cached file's report now exists
    await server.idle();

    // Operations per request, counted on one request of each kind (background work included: it
    // starts with the request and often finishes before the response is read).
    const count = async (run: () => Promise<unknown>) => {
      kv.reset();
      queries = 0;
      await run();
      await server.idle();
      return { kv: kv.total(), db: queries };
    };
    const cachedOps = await count(() => submit(server.url, 1, CSV));
    const newOps = await count(() => submit(server.url, 2, `${CSV}C;480;0;10;0;20\n`));

    const baseline = await throughput((n) => submit(bareUrl, n, CSV), seconds);
    const cached = await throughput((n) => submit(server.url, 1000 + n, CSV), seconds);
    const fresh = await throughput(
      (n) => submit(server.url, 100_000 + n, `${CSV}N${n};480;0;10;0;20\n`),
      seconds,
    );
    await server.idle();

    // GET one analysis by its capability URL, sequentially.
    const created = (await (
      await fetch(`${server.url}/api/analyses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-real-ip': '100.65.0.1' },
        body: JSON.stringify({ csv: CSV, email: 'reader@example.com', name: 'Reader' }),
      })
    ).json()) as { statusUrl: string };
    const getOps = await count(() => fetch(created.statusUrl).then((r) => r.arrayBuffer()));
    const bareGet = await timeSequential(() => fetch(`${bareUrl}/x`).then((r) => r.arrayBuffer()), 300);
    const get = await timeSequential(() => fetch(created.statusUrl).then((r) => r.arrayBuffer()), 300);

    console.log = quiet;
    const ops = (o: { kv: number; db: number }) => `${o.kv} KV and ${o.db} database operations per request`;
    console.log(
      '\nAnalyses through the dev runner (embedded PGlite + memory KV) vs a bare node:http handler, same client',
    );
    console.log(`${'bare handler'.padEnd(30)} ${baseline.toFixed(0).padStart(6)} req/s`);
    console.log(
      `${'submit, cached file'.padEnd(30)} ${cached.toFixed(0).padStart(6)} req/s   ratio ${(cached / baseline).toFixed(3)}x   ${ops(cachedOps)}`,
    );
    console.log(
      `${'submit, new file'.padEnd(30)} ${fresh.toFixed(0).padStart(6)} req/s   ratio ${(fresh / baseline).toFixed(3)}x   ${ops(newOps)}`,
    );
    console.log(
      `${'GET /api/analyses/[id]'.padEnd(30)} median ${ms(get.medianMs)} vs bare ${ms(bareGet.medianMs)}   ratio ${(get.medianMs / bareGet.medianMs).toFixed(1)}x   (p95 ${ms(get.p95Ms)})   ${ops(getOps)}`,
    );
  } finally {
    console.log = quiet;
    await server.close();
    bare.close();
    provideDatabase(undefined);
    provideKv(undefined);
    provideMailer(undefined);
    await copy.close();
  }
}
