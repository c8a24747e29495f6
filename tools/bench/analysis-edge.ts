import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleForEdge } from '../edge/bundle';
import { startWorkerd, workerDirectory } from '../edge/workerd';
import { PROJECT_ROOT } from '../paths';
import { median } from './stats';

const WARM_UP = 5;
const ROUNDS = 12;
const FIRST_RUNS = 5;
const INPUTS = [
  { input: 'production', key: 'aggregated', title: 'aggregated BDE export', goal: 1.6 },
  { input: 'events', key: 'stateLog', title: 'machine state log', goal: 2 },
] as const;

/** One fresh workerd: the input made, then each `/run` query in turn; answers the last one's times. */
async function inFreshIsolate(directory: string, input: string, runs: string[]) {
  const workerd = await startWorkerd(directory);
  try {
    const get = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${workerd.port}${path}`);
      if (!response.ok) throw new Error(`${path}: the worker answered ${response.status}`);
      return response;
    };
    await (await get(`/prepare?input=${input}`)).arrayBuffer();
    let times: Record<string, number[]> = {};
    for (const run of runs) times = (await (await get(`/run?${run}`)).json()) as Record<string, number[]>;
    return times;
  } finally {
    workerd.stop();
  }
}

/**
 * The analysis bench's three ratios in workerd, the runtime Miniflare runs (a current V8, as on the
 * edge), beside Node 20's from `benchAnalysis`: the same bare parse and whole analysis of the same
 * generated 4 MB inputs, warm (medians of ROUNDS interleaved in one isolate after WARM_UP), after a full
 * GC before each run, warm-up included (same), and first runs (medians of FIRST_RUNS fresh isolates
 * each, alternating). Writes .bench/analysis-edge.json in analysis.json's shape, with the milliseconds.
 */
export async function benchAnalysisEdge(): Promise<void> {
  const bundle = await bundleForEdge(join(PROJECT_ROOT, 'tools/bench/analysis-edge-worker.ts'));
  const directory = workerDirectory(bundle, ['--expose-gc']);
  const figures: Record<string, unknown> = {};
  try {
    console.log('\nThe same analysis bench in workerd (its V8, as on the edge), one isolate per figure');
    for (const { input, key, title, goal } of INPUTS) {
      const interleaved = (gc: string) =>
        inFreshIsolate(directory, input, [
          `modes=parse,analyze&rounds=${WARM_UP}${gc}`,
          `modes=parse,analyze&rounds=${ROUNDS}${gc}`,
        ]);
      const warm = await interleaved('');
      const collected = await interleaved('&gc=1');
      const first = { parse: [] as number[], analyze: [] as number[] };
      for (let i = 0; i < FIRST_RUNS; i++)
        for (const mode of ['parse', 'analyze'] as const)
          first[mode].push(
            ((await inFreshIsolate(directory, input, [`modes=${mode}`]))[mode] ?? [])[0] ?? NaN,
          );
      const of = (times: Record<string, number[]>, mode: string) => median(times[mode] ?? []);
      const ms = {
        warm: { parse: of(warm, 'parse'), analyze: of(warm, 'analyze') },
        gc: { parse: of(collected, 'parse'), analyze: of(collected, 'analyze') },
        firstRun: { parse: median(first.parse), analyze: median(first.analyze) },
      };
      const ratios = {
        warmRatio: ms.warm.analyze / ms.warm.parse,
        firstRunRatio: ms.firstRun.analyze / ms.firstRun.parse,
        gcRatio: ms.gc.analyze / ms.gc.parse,
        ms,
      };
      const pair = ({ analyze, parse }: { analyze: number; parse: number }) =>
        `${analyze.toFixed(0)} vs ${parse.toFixed(0)} ms`;
      console.log(
        `${title}: warm ${ratios.warmRatio.toFixed(2)}x (${pair(ms.warm)}; goal ${goal}x), first run ${ratios.firstRunRatio.toFixed(2)}x (${pair(ms.firstRun)}, medians of ${FIRST_RUNS} fresh isolates; goal 2.5x), after a full GC ${ratios.gcRatio.toFixed(2)}x (${pair(ms.gc)}; goal 2x)`,
      );
      figures[key] = ratios;
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  mkdirSync(join(PROJECT_ROOT, '.bench'), { recursive: true });
  writeFileSync(join(PROJECT_ROOT, '.bench/analysis-edge.json'), `${JSON.stringify(figures, null, 2)}\n`);
}
