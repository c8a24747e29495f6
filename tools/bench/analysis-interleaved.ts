// The bare parse, the whole analysis and a peer parser (uDSV) interleaved in one process, so load hits
// all alike. argv: input (production | events), iterations, `gc` for a full collection before each
// run (needs --expose-gc), and optionally the one mode to run alone. Prints one JSON line: medians in ms,
// and under `gcPauses` the median of the collector's pauses inside each mode's runs.
import { PerformanceObserver } from 'node:perf_hooks';
import { inferSchema, initParser } from 'udsv';
// The pipeline itself, loaded before any timing (lib/engine's entry imports it on first use).
import { analyzeCsv } from '../../lib/engine/analyze';
import { decodeText } from '../../lib/engine/input/decode';
import { bareParse, benchInput } from './analysis-modes';
import { median } from './stats';

const [input = 'production', iterations = '10', gcMode = '', only = ''] = process.argv.slice(2);
const bytes = benchInput(input);
const collect = gcMode === 'gc' ? (globalThis as { gc?: () => void }).gc : undefined;
if (gcMode === 'gc' && !collect) throw new Error('run with --expose-gc');

const modes: Record<string, () => Promise<unknown>> = {
  // Our bare parse: the same decoding and the same scanner the engine uses, nothing else.
  parse: async () => bareParse(bytes),
  analyze: async () => (await analyzeCsv(bytes)).input.rows,
  // A peer: uDSV, the same decoding, its schema inference and string arrays.
  udsv: async () => {
    const { text } = decodeText(bytes);
    return initParser(inferSchema(text)).stringArrs(text).length;
  },
};
// Each pause the collector took (main thread), to say whose garbage a run paid for. The observer reports
// on a later turn of the event loop, so pauses are matched to the runs' windows after the last run.
const pauses: { start: number; duration: number }[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) pauses.push({ start: entry.startTime, duration: entry.duration });
}).observe({ entryTypes: ['gc'] });
const windows: { name: string; started: number; ended: number }[] = [];
const timed = async (run: () => Promise<unknown>) => {
  collect?.();
  const started = performance.now();
  await run();
  const ended = performance.now();
  return { started, ended };
};

// The order rotates each round: a run leaves garbage the next run's collector pays for, so each mode
// follows each other mode equally often (the bare parse's millions of strings were billed to the analysis).
const entries = Object.entries(modes).filter(([name]) => only === '' || name === only);
const samples = Object.fromEntries(entries.map(([name]) => [name, [] as number[]]));
const paused = Object.fromEntries(entries.map(([name]) => [name, [] as number[]]));
// Warm-up as in a warm function instance: five runs of each.
for (let i = 0; i < 5; i++) for (const [, run] of entries) await timed(run);
for (let i = 0; i < Number(iterations); i++)
  for (let j = 0; j < entries.length; j++) {
    const [name, run] = entries[(i + j) % entries.length] as [string, () => Promise<unknown>];
    const { started, ended } = await timed(run);
    samples[name]?.push(ended - started);
    windows.push({ name, started, ended });
  }
await new Promise((resolve) => setTimeout(resolve, 10));
for (const { name, started, ended } of windows)
  paused[name]?.push(
    pauses
      .filter((pause) => pause.start >= started && pause.start < ended)
      .reduce((sum, pause) => sum + pause.duration, 0),
  );
const medians = (of: Record<string, number[]>) =>
  Object.fromEntries(Object.entries(of).map(([name, values]) => [name, median(values)]));
console.log(JSON.stringify({ ...medians(samples), gcPauses: medians(paused) }));
