// The JS heap the bare parse and the whole analysis allocate per run, warm, in one process: V8's sampling
// heap profiler, told to keep what the collector freed, so short-lived objects count too. Allocation is what
// makes the collector run, and what its incremental marking is paid by. argv: input (production | events).
// Prints one JSON line: megabytes per run by mode.
import { Session } from 'node:inspector/promises';
import { analyzeCsv } from '../../lib/engine/analyze';
import { MAX_INPUT_BYTES } from '../../lib/engine/contract';
import { parseCsv } from '../../lib/engine/input/csv';
import { decodeText } from '../../lib/engine/input/decode';
import { sniffDelimiter } from '../../lib/engine/input/sniff';
import { generateEventLogCsv, generateProductionCsv } from '../test-support/production-csv';

const [input = 'production'] = process.argv.slice(2);
const bytes = new TextEncoder().encode(
  (input === 'events' ? generateEventLogCsv : generateProductionCsv)(MAX_INPUT_BYTES - 1024),
);
const modes: Record<string, () => Promise<unknown>> = {
  parse: async () => {
    const { text } = decodeText(bytes);
    return parseCsv(text, sniffDelimiter(text).delimiter).length;
  },
  analyze: async () => (await analyzeCsv(bytes)).input.rows,
};
const WARM_UP = 25; // past the engine's last deoptimisations: earlier runs allocate in unoptimised code
const RUNS = 4;

type Node = { selfSize: number; children: Node[] };
const total = (node: Node): number => node.children.reduce((sum, child) => sum + total(child), node.selfSize);

const session = new Session();
session.connect();
const result: Record<string, number> = {};
for (const [name, run] of Object.entries(modes)) {
  for (let i = 0; i < WARM_UP; i++) await run();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as { samplingInterval: number });
  for (let i = 0; i < RUNS; i++) await run();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  result[name] = total(profile.head as unknown as Node) / RUNS / 1e6;
}
session.disconnect();
console.log(JSON.stringify(result));
