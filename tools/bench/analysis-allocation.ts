// The JS heap the bare parse and the whole analysis allocate per run, warm, in one process: V8's sampling
// heap profiler, told to keep what the collector freed, so short-lived objects count too. Allocation is what
// makes the collector run, and what its incremental marking is paid by; then the typed arrays each run
// constructs. argv: input (production | events). Prints one JSON line: megabytes per run by mode, of each.
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

// Typed arrays live outside the JS heap (the profiler above does not see them), and a fresh one is fresh
// pages the kernel must fault in: counted here by the bytes of every typed array a run constructs with a
// length, through subclasses put in place of the global constructors (the engine looks them up per call).
let typedBytes = 0;
const TYPED = ['Float64Array', 'Float32Array', 'Int32Array', 'Uint32Array', 'Int16Array', 'Uint16Array'];
for (const name of [...TYPED, 'Int8Array', 'Uint8Array']) {
  const global = globalThis as unknown as Record<string, new (...args: unknown[]) => ArrayBufferView>;
  const Base = global[name] as new (...args: unknown[]) => ArrayBufferView;
  global[name] = class extends Base {
    constructor(...args: unknown[]) {
      super(...args);
      if (typeof args[0] === 'number') typedBytes += this.byteLength;
    }
  };
}
const typed: Record<string, number> = {};
for (const [name, run] of Object.entries(modes)) {
  typedBytes = 0;
  for (let i = 0; i < RUNS; i++) await run();
  typed[name] = typedBytes / RUNS / 1e6;
}
console.log(JSON.stringify({ heap: result, typedArrays: typed }));
