// One measurement in a fresh process, so peak memory (max RSS) belongs to this mode alone.
// argv: mode (parse | analyze), input (production | events | a worst case), iterations. Prints one JSON line: the first (cold) run, then the median of
// `iterations` runs after five more warm-up runs (the JIT has settled, as in a warm function instance).
// The pipeline itself, loaded before any timing (lib/engine's entry imports it on first use).
import { analyzeCsv } from '../../lib/engine/analyze';
import { bareParse, benchInput } from './analysis-modes';
import { median } from './stats';

const [mode = 'analyze', input = 'production', iterations = '10'] = process.argv.slice(2);
const bytes = benchInput(input);
const baseline = process.resourceUsage().maxRSS;
const run = async () => {
  if (mode === 'parse') return bareParse(bytes);
  reportBytes = JSON.stringify(await analyzeCsv(bytes)).length;
  return reportBytes;
};
let reportBytes = 0;
const timed = async () => {
  const started = performance.now();
  await run();
  return performance.now() - started;
};
const firstRunMs = await timed();
if (iterations === '0') {
  // A heap probe (the caller caps the heap): one run done is all it asks.
  console.log(JSON.stringify({ mode, completed: true }));
  process.exit(0);
}
if (iterations === 'first') {
  // The first (cold) run alone, with the peak memory it took.
  console.log(
    JSON.stringify({
      mode,
      firstRunMs,
      msPerFile: firstRunMs,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      megabytes: bytes.length / 1e6,
      reportBytes,
    }),
  );
  process.exit(0);
}
// V8 takes about five runs of this size to tier the engine's loops up to optimised code.
for (let i = 0; i < 5; i++) await run();
const times: number[] = [];
for (let i = 0; i < Number(iterations); i++) times.push(await timed());
// The median run: a garbage collection landing in one run does not move it.
const msPerFile = median(times);
console.log(
  JSON.stringify({
    mode,
    mbPerSecond: bytes.length / 1e6 / (msPerFile / 1000),
    msPerFile,
    firstRunMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    rssAboveStartMb: (process.resourceUsage().maxRSS - baseline) / 1024,
    megabytes: bytes.length / 1e6,
    reportBytes,
  }),
);
