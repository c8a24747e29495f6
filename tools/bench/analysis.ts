import { execFileSync } from 'node:child_process';
import { PROJECT_ROOT } from '../paths';
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

const measure = (mode: 'parse' | 'analyze', input: Input, iterations = 10): Result =>
  JSON.parse(
    execFileSync(
      process.execPath,
      ['--import', 'tsx', 'tools/bench/analysis-worker.ts', mode, input, String(iterations)],
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
        [
          `--max-old-space-size=${megabytes}`,
          '--import',
          'tsx',
          'tools/bench/analysis-worker.ts',
          mode,
          input,
          '0',
        ],
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

const INPUTS: { input: Input; title: string }[] = [
  { input: 'production', title: 'aggregated BDE export (the goal)' },
  { input: 'events', title: 'machine state log, a distinct timestamp per row' },
];

/** Whole analysis of generated 4 MB exports against a bare decode + parse of the same bytes (goal: within 2x). */
export function benchAnalysis(): void {
  for (const { input, title } of INPUTS) {
    const parse = measure('parse', input);
    const analyze = measure('analyze', input);
    const row = (name: string, r: Result) =>
      `${name.padEnd(26)} ${r.mbPerSecond.toFixed(1).padStart(6)} MB/s   ${r.msPerFile.toFixed(0).padStart(5)} ms per file, median (first run ${r.firstRunMs.toFixed(0).padStart(4)} ms)   peak RSS ${r.peakRssMb.toFixed(0)} MB (+${r.rssAboveStartMb.toFixed(0)} MB over start)`;
    console.log(
      `\nAnalysis of a generated ${parse.megabytes.toFixed(2)} MB ${title}: whole engine vs bare decode + parse (same parser)`,
    );
    console.log(row('bare decode + parse', parse));
    console.log(row('whole analysis', analyze));
    const heap = (mode: 'parse' | 'analyze') => {
      const megabytes = smallestHeap(mode, input);
      return megabytes === null ? 'over 192 MB' : `${megabytes} MB`;
    };
    console.log(
      `smallest old space (of ${HEAP_STEPS.join('/')} MB) that completes one run: bare parse ${heap('parse')}, whole analysis ${heap('analyze')}`,
    );
    console.log(
      `ratio: the whole analysis takes ${(parse.mbPerSecond / analyze.mbPerSecond).toFixed(2)}x the time of the bare parse${input === 'production' ? ' (goal <= 2x' : ' (no goal set'}; first run ${(analyze.firstRunMs / parse.firstRunMs).toFixed(2)}x); peak memory ${(analyze.peakRssMb / parse.peakRssMb).toFixed(2)}x`,
    );
  }
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
    const analyze = measure('analyze', input, 1);
    const heap = (mode: 'parse' | 'analyze') => {
      const megabytes = smallestHeap(mode, input);
      return megabytes === null ? `over ${HEAP_STEPS.at(-1)} MB` : `${megabytes} MB`;
    };
    console.log(
      `${title.padEnd(62)} report ${(analyze.reportBytes / 1e6).toFixed(3)} MB   ${analyze.msPerFile.toFixed(0).padStart(5)} ms   old space: bare parse ${heap('parse')}, whole analysis ${heap('analyze')}`,
    );
  }
}
