import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoverRoutes } from '../dev/routes';
import { bundleForEdge } from '../edge/bundle';
import { startWorkerd, workerDirectory } from '../edge/workerd';
import { PROJECT_ROOT } from '../paths';
import { median } from './stats';

const HELLO = `export default async () => new Response('hello');`;
const ROUNDS = 11;

/** CPU time (ms) all threads of a process have run, from the scheduler's nanosecond counters. */
function cpuMs(pid: number): number {
  let nanoseconds = 0;
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    try {
      nanoseconds += Number(readFileSync(`/proc/${pid}/task/${thread}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended while we looked
    }
  }
  return nanoseconds / 1e6;
}

const canReadCpu = existsSync('/proc/self/task');

/**
 * One cold start: workerd started on the worker's config, until its first answer (a function answers an
 * unknown method with 405: its modules have been evaluated, no backend is touched), and the CPU workerd
 * used until then.
 */
async function startOnce(directory: string): Promise<{ wall: number; cpu: number }> {
  const started = performance.now();
  const workerd = await startWorkerd(directory);
  try {
    const response = await fetch(`http://127.0.0.1:${workerd.port}/`, { method: 'PUT' });
    await response.text();
    // A failure at module evaluation answers 500: then nothing here would be a startup figure.
    if (response.status >= 500) throw new Error(`the worker answered ${response.status}`);
    const wall = performance.now() - started;
    return { wall, cpu: canReadCpu && workerd.pid ? cpuMs(workerd.pid) : Number.NaN };
  } finally {
    workerd.stop();
  }
}

/**
 * Startup of each function in a fresh workerd (the binary Miniflare runs, started directly with the
 * worker's modules embedded in its config), against a hello-world worker measured the same way in the
 * same run: from starting workerd to its first answer. Not through Miniflare: Miniflare's own work in
 * Node grows with the script (11 ms more Node CPU for the largest bundle than for hello world, read with
 * process.cpuUsage around startEdgeWorkers), which a platform's isolate does not do. Two figures: the
 * wall time, and the CPU time workerd itself used until that answer (Linux), which other load on the
 * machine moves far less. Medians of ROUNDS fresh runtimes, alternating with the hello-world baseline.
 */
export async function benchColdStart(): Promise<{
  helloWorldMs: number;
  helloWorldCpuMs: number | null;
  functions: { function: string; startupMs: number; cpuMs: number | null; gzipKb: number }[];
  largestBytesNeverRunMs: number;
}> {
  const routes = discoverRoutes(PROJECT_ROOT);
  const bundles = await Promise.all(routes.map((route) => bundleForEdge(join(PROJECT_ROOT, route.file))));
  const directories = new Map<string, string>([[HELLO, workerDirectory({ code: HELLO })]]);
  const wasmOf = new Map(bundles.map((bundle) => [bundle.code, bundle.wasm]));
  const directoryOf = (code: string) => {
    const known = directories.get(code);
    if (known) return known;
    const made = workerDirectory({ code, wasm: wasmOf.get(code) ?? [] });
    directories.set(code, made);
    return made;
  };
  try {
    return await measure(bundles, (code) => startOnce(directoryOf(code)));
  } finally {
    for (const directory of directories.values()) rmSync(directory, { recursive: true, force: true });
  }
}

async function measure(
  bundles: Awaited<ReturnType<typeof bundleForEdge>>[],
  startOnce: (code: string) => Promise<{ wall: number; cpu: number }>,
) {
  await startOnce(HELLO); // warm the workerd binary and the OS caches
  const hello: { wall: number; cpu: number }[] = [];
  const byFunction = new Map<string, { wall: number; cpu: number }[]>();
  for (let round = 0; round < ROUNDS; round++)
    for (const bundle of bundles) {
      hello.push(await startOnce(HELLO));
      const list = byFunction.get(bundle.entry) ?? [];
      list.push(await startOnce(bundle.code));
      byFunction.set(bundle.entry, list);
    }
  const helloWorldMs = median(hello.map((run) => run.wall));
  const helloWorldCpuMs = canReadCpu ? median(hello.map((run) => run.cpu)) : null;
  const functions = bundles.map((bundle) => {
    const runs = byFunction.get(bundle.entry) ?? [];
    return {
      function: bundle.entry,
      startupMs: median(runs.map((run) => run.wall)),
      cpuMs: canReadCpu ? median(runs.map((run) => run.cpu)) : null,
      gzipKb: Math.round(bundle.gzipBytes / 102.4) / 10,
    };
  });
  const plus = (value: number, base: number) => `+${(value - base).toFixed(1)}`.padStart(7);
  console.log(
    `\nCold start in a fresh workerd isolate, medians of ${ROUNDS}: wall time to the first answer, and workerd's own CPU time to it`,
  );
  console.log(
    `${'hello world'.padEnd(26)} ${helloWorldMs.toFixed(1).padStart(7)} ms wall${helloWorldCpuMs === null ? '' : `   ${helloWorldCpuMs.toFixed(1).padStart(6)} ms CPU`}`,
  );
  for (const entry of functions)
    console.log(
      `${entry.function.padEnd(26)} ${entry.startupMs.toFixed(1).padStart(7)} ms wall ${plus(entry.startupMs, helloWorldMs)}${entry.cpuMs === null || helloWorldCpuMs === null ? '' : `   ${entry.cpuMs.toFixed(1).padStart(6)} ms CPU ${plus(entry.cpuMs, helloWorldCpuMs)}`}   ${entry.gzipKb.toFixed(1).padStart(5)} KB gzip`,
    );
  // What is left is mostly bytes: the largest bundle's code inside a function nobody calls (parsed, never
  // run) beside the hello-world handler, against the same hello world, in the same alternation.
  const largest = bundles.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const script = (await bundleForEdge(join(PROJECT_ROOT, largest.entry), 'iife')).code;
  const neverRun = `function neverCalled(){${script}}\n${HELLO}`;
  const unrun: number[] = [];
  const unrunHello: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    unrunHello.push((await startOnce(HELLO)).wall);
    unrun.push((await startOnce(neverRun)).wall);
  }
  const parseOnlyMs = median(unrun) - median(unrunHello);
  const largestMs =
    (functions.find((entry) => entry.function === largest.entry)?.startupMs ?? 0) - helloWorldMs;
  console.log(
    `${largest.entry}'s ${(largest.bytes / 1024).toFixed(0)} KB inside a function never called: +${parseOnlyMs.toFixed(1)} ms wall over hello world (the function itself: +${largestMs.toFixed(1)})`,
  );
  mkdirSync(join(PROJECT_ROOT, '.bench'), { recursive: true });
  const result = { helloWorldMs, helloWorldCpuMs, functions, largestBytesNeverRunMs: parseOnlyMs };
  writeFileSync(join(PROJECT_ROOT, '.bench/cold-start.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
