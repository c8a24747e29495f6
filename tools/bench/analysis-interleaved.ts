// The bare parse, the whole analysis and a peer parser (uDSV) interleaved in one process, so load hits
// all alike. argv: input (production | events), iterations, and `gc` for a full collection before each
// run (needs --expose-gc). Prints one JSON line: medians in ms.
import { inferSchema, initParser } from 'udsv';
// The pipeline itself, loaded before any timing (lib/engine's entry imports it on first use).
import { analyzeCsv } from '../../lib/engine/analyze';
import { MAX_INPUT_BYTES } from '../../lib/engine/contract';
import { parseCsv } from '../../lib/engine/input/csv';
import { decodeText } from '../../lib/engine/input/decode';
import { sniffDelimiter } from '../../lib/engine/input/sniff';
import { generateEventLogCsv, generateProductionCsv } from '../test-support/production-csv';

const [input = 'production', iterations = '10', gcMode = ''] = process.argv.slice(2);
const generate = input === 'events' ? generateEventLogCsv : generateProductionCsv;
const bytes = new TextEncoder().encode(generate(MAX_INPUT_BYTES - 1024));
const collect = gcMode === 'gc' ? (globalThis as { gc?: () => void }).gc : undefined;
if (gcMode === 'gc' && !collect) throw new Error('run with --expose-gc');

const modes: Record<string, () => Promise<unknown>> = {
  // Our bare parse: the same decoding and the same scanner the engine uses, nothing else.
  parse: async () => {
    const { text } = decodeText(bytes);
    return parseCsv(text, sniffDelimiter(text).delimiter).length;
  },
  analyze: async () => (await analyzeCsv(bytes)).input.rows,
  // A peer: uDSV, the same decoding, its schema inference and string arrays.
  udsv: async () => {
    const { text } = decodeText(bytes);
    return initParser(inferSchema(text)).stringArrs(text).length;
  },
};
const timed = async (run: () => Promise<unknown>) => {
  collect?.();
  const started = performance.now();
  await run();
  return performance.now() - started;
};
// Warm-up as in a warm function instance: five runs of each.
for (let i = 0; i < 5; i++) for (const run of Object.values(modes)) await timed(run);
const samples: Record<string, number[]> = { parse: [], analyze: [], udsv: [] };
// The order rotates each round: a run leaves garbage the next run's collector pays for, so each mode
// follows each other mode equally often (the bare parse's millions of strings were billed to the analysis).
const entries = Object.entries(modes);
for (let i = 0; i < Number(iterations); i++)
  for (let j = 0; j < entries.length; j++) {
    const [name, run] = entries[(i + j) % entries.length] as [string, () => Promise<unknown>];
    samples[name]?.push(await timed(run));
  }
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
console.log(
  JSON.stringify(Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]))),
);
