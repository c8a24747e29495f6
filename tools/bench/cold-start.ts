import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoverRoutes } from '../dev/routes';
import { bundleForEdge } from '../edge/bundle';
import { startEdgeWorkers } from '../edge/workers';
import { PROJECT_ROOT } from '../paths';

const HELLO = `export default async () => new Response('hello');`;
const ROUNDS = 5;

/**
 * Startup of each function in a fresh workerd isolate (Miniflare), against a hello-world worker measured
 * the same way in the same run: the time from creating the runtime with the one worker to its first
 * answer (a 405 for an unknown method: the module has been evaluated, no backend is touched). Medians of
 * ROUNDS fresh runtimes, alternating with the hello-world baseline so load hits both alike.
 */
export async function benchColdStart(): Promise<{
  helloWorldMs: number;
  functions: { function: string; startupMs: number }[];
}> {
  const routes = discoverRoutes(PROJECT_ROOT);
  const bundles = await Promise.all(routes.map((route) => bundleForEdge(join(PROJECT_ROOT, route.file))));
  const startOnce = async (code: string) => {
    const started = performance.now();
    const workers = await startEdgeWorkers([{ name: 'one', code }], {});
    const response = await workers.fetch('one', 'http://localhost/', { method: 'PUT' });
    await response.text();
    const elapsed = performance.now() - started;
    await workers.close();
    return elapsed;
  };
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  await startOnce(HELLO); // warm the workerd binary and the OS caches
  const hello: number[] = [];
  const byFunction = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++)
    for (const bundle of bundles) {
      hello.push(await startOnce(HELLO));
      const list = byFunction.get(bundle.entry) ?? [];
      list.push(await startOnce(bundle.code));
      byFunction.set(bundle.entry, list);
    }
  const helloWorldMs = median(hello);
  const functions = bundles.map((bundle) => ({
    function: bundle.entry,
    startupMs: median(byFunction.get(bundle.entry) ?? []),
  }));
  console.log(
    `\nCold start in a fresh workerd isolate, median of ${ROUNDS} (hello-world worker ${helloWorldMs.toFixed(1)} ms)`,
  );
  for (const entry of functions)
    console.log(
      `${entry.function.padEnd(26)} ${entry.startupMs.toFixed(1).padStart(7)} ms   +${(entry.startupMs - helloWorldMs).toFixed(1)} ms over hello world`,
    );
  mkdirSync(join(PROJECT_ROOT, '.bench'), { recursive: true });
  const result = { helloWorldMs, functions };
  writeFileSync(join(PROJECT_ROOT, '.bench/cold-start.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
