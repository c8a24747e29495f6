import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, RUN_TS } from '../paths';
import { WORST_CASES, type WorstCase } from '../test-support/production-csv';

type Result = {
  mode: string;
  mbPerSecond: number;
  msPerFile: number;
  firstRunMs: number;
  peakRssMb: number;
  rssAboveStartMb: number;
  megabytes: number;
  reportBytes: number;
};
type Input = 'production' | 'events' | WorstCase;

const measure = (mode: 'parse' | 'analyze', input: Input, iterations: number | 'first' = 'first'): Result =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [...RUN_TS, 'tools/bench/analysis-worker.ts', mode, input, String(iterations)],
      {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
      },
    ),
  ) as Result;

/**
 * The smallest V8 old space (MB) in which one run completes: the live heap a mode needs, which is what an
 * isolate's memory limit (128 MB on Vercel Edge) meets, unlike the process RSS.
 */
function smallestHeap(mode: 'parse' | 'analyze', input: Input): number | null {
  for (const megabytes of HEAP_STEPS) {
    try {
      execFileSync(
        process.execPath,
        [`--max-old-space-size=${megabytes}`, ...RUN_TS, 'tools/bench/analysis-worker.ts', mode, input, '0'],
        { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      );
      return megabytes;
    } catch {
      // out of memory at this size: try the next
    }
  }
  return null;
}

const HEAP_STEPS = [24, 32, 48, 64, 80, 96, 112, 128, 192];
const FIRST_RUNS = 5;

const INPUTS: { input: Input; title: string }[] = [
  { input: 'production', title: 'aggregated BDE export (the goal)' },
  { input: 'events', title: 'machine state log, a distinct timestamp per row' },
];

type Interleaved = {
  parse: number;
  analyze: number;
  udsv: number;
  /** Medians of the collector's pauses inside each mode's runs. */
  gcPauses: { parse: number; analyze: number; udsv: number };
};
const interleaved = (input: Input, gc: boolean, only = ''): Interleaved =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [
        ...(gc ? ['--expose-gc'] : []),
        ...RUN_TS,
        'tools/bench/analysis-interleaved.ts',
        input,
        '12', // a multiple of the three modes, whose order rotates
        gc ? 'gc' : '',
        only,
      ],
      { cwd: PROJECT_ROOT, encoding: 'utf8' },
    ),
  );

/**
 * Whole analysis of generated 4 MB exports against a bare decode + parse of the same bytes with the same
 * scanner. Warm and after a full GC: both interleaved in one process (load hits both alike), with uDSV
 * as a peer parser. First runs: fresh processes, alternating, medians of FIRST_RUNS. Goals: warm within
 * 1.6x (aggregated) and 2x (state log), first run within 2.5x, after a full GC within 2x. Writes
 * .bench/analysis.json.
 */
export function benchAnalysis(): void {
  const figures: Record<string, unknown> = {};
  for (const { input, title } of INPUTS) {
    const warm = interleaved(input, false);
    const collected = interleaved(input, true);
    // The analysis with no peer in its process: what the peers' garbage adds to the warm figure.
    const alone = interleaved(input, false, 'analyze');
    const { heap: allocated, typedArrays } = JSON.parse(
      execFileSync(process.execPath, [...RUN_TS, 'tools/bench/analysis-allocation.ts', input], {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
      }),
    ) as { heap: { parse: number; analyze: number }; typedArrays: { analyze: number } };
    // First runs: fresh processes, alternating, the median of FIRST_RUNS each (one alone moved 3.5x-7.5x).
    const firstRuns = { parse: [] as Result[], analyze: [] as Result[] };
    for (let i = 0; i < FIRST_RUNS; i++) {
      firstRuns.parse.push(measure('parse', input));
      firstRuns.analyze.push(measure('analyze', input));
    }
    const medianRun = (runs: Result[]) =>
      [...runs].sort((a, b) => a.firstRunMs - b.firstRunMs)[Math.floor(runs.length / 2)] as Result;
    const parse = medianRun(firstRuns.parse);
    const analyze = medianRun(firstRuns.analyze);
    const megabytes = parse.megabytes;
    const row = (name: string, ms: number) =>
      `${name.padEnd(34)} ${(megabytes / (ms / 1000)).toFixed(1).padStart(6)} MB/s   ${ms.toFixed(0).padStart(5)} ms`;
    console.log(
      `\nAnalysis of a generated ${megabytes.toFixed(2)} MB ${title}: warm medians, one process, interleaved`,
    );
    console.log(row('bare decode + parse (our scanner)', warm.parse));
    console.log(row('uDSV (peer), same decoding', warm.udsv));
    console.log(row('whole analysis', warm.analyze));
    console.log(
      `GC pauses inside the runs (medians): bare parse ${warm.gcPauses.parse.toFixed(1)} ms, uDSV ${warm.gcPauses.udsv.toFixed(1)} ms, analysis ${warm.gcPauses.analyze.toFixed(1)} ms; the analysis alone in its process: ${alone.analyze.toFixed(0)} ms with ${alone.gcPauses.analyze.toFixed(1)} ms of pauses (${(alone.analyze / warm.parse).toFixed(2)}x the interleaved bare parse; not the goal figure)`,
    );
    console.log(
      `JS heap allocated per warm run (sampled, freed objects included): bare parse ${allocated.parse.toFixed(1)} MB, analysis ${allocated.analyze.toFixed(1)} MB (${(allocated.analyze / allocated.parse).toFixed(2)}x); typed arrays (outside the JS heap, counted): analysis ${typedArrays.analyze.toFixed(1)} MB`,
    );
    const heap = (mode: 'parse' | 'analyze') => {
      const megabytesOld = smallestHeap(mode, input);
      return megabytesOld === null ? 'over 192 MB' : `${megabytesOld} MB`;
    };
    const goal = input === 'production' ? 1.6 : 2;
    const ratios = {
      warmRatio: warm.analyze / warm.parse,
      firstRunRatio: analyze.firstRunMs / parse.firstRunMs,
      gcRatio: collected.analyze / collected.parse,
      udsvRatio: warm.udsv / warm.parse,
      aloneRatio: alone.analyze / warm.parse,
      gcPausesMs: warm.gcPauses,
      allocatedMbPerRun: allocated,
      typedArrayMbPerRun: typedArrays.analyze,
    };
    console.log(
      `ratios to the bare parse: warm ${ratios.warmRatio.toFixed(2)}x (goal ${goal}x), first run ${ratios.firstRunRatio.toFixed(2)}x (${analyze.firstRunMs.toFixed(0)} vs ${parse.firstRunMs.toFixed(0)} ms, medians of ${FIRST_RUNS} fresh processes; goal 2.5x), after a full GC ${ratios.gcRatio.toFixed(2)}x (goal 2x); uDSV ${ratios.udsvRatio.toFixed(2)}x`,
    );
    console.log(
      `peak RSS: analysis ${analyze.peakRssMb.toFixed(0)} MB vs parse ${parse.peakRssMb.toFixed(0)} MB; smallest old space (of ${HEAP_STEPS.join('/')} MB) completing one run: bare parse ${heap('parse')}, whole analysis ${heap('analyze')}`,
    );
    figures[input === 'production' ? 'aggregated' : 'stateLog'] = ratios;
  }
  mkdirSync(join(PROJECT_ROOT, '.bench'), { recursive: true });
  writeFileSync(join(PROJECT_ROOT, '.bench/analysis.json'), `${JSON.stringify(figures, null, 2)}\n`);
}

/**
 * Generated 4 MB worst cases for the engine's bounds: the report's size (limit 1 MB) and the smallest
 * V8 old space that completes one run (limit 128 MB, the Vercel Edge isolate), beside the bare parse of
 * the same bytes in the same run.
 */
export function benchWorstCases(): void {
  console.log(
    `\nWorst cases of 4 MB: report size (limit 1 MB) and smallest old space (of ${HEAP_STEPS.join('/')} MB) completing one run`,
  );
  for (const { input, title } of WORST_CASES) {
    const analyze = measure('analyze', input);
    const heap = (mode: 'parse' | 'analyze') => {
      const megabytes = smallestHeap(mode, input);
      return megabytes === null ? `over ${HEAP_STEPS.at(-1)} MB` : `${megabytes} MB`;
    };
    console.log(
      `${title.padEnd(62)} report ${(analyze.reportBytes / 1e6).toFixed(3)} MB   ${analyze.msPerFile.toFixed(0).padStart(5)} ms   old space: bare parse ${heap('parse')}, whole analysis ${heap('analyze')}`,
    );
  }
}
