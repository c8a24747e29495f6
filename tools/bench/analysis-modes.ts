// What the analysis benches run, in Node (analysis-worker.ts, analysis-interleaved.ts) and in workerd
// (analysis-edge-worker.ts): Web APIs only, so it bundles as an edge worker.
import { MAX_INPUT_BYTES } from '../../lib/engine/contract';
import { parseCsv } from '../../lib/engine/input/csv';
import { decodeText } from '../../lib/engine/input/decode';
import { sniffDelimiter } from '../../lib/engine/input/sniff';
import {
  generateEventLogCsv,
  generateProductionCsv,
  generateWorstCaseCsv,
  WORST_CASES,
  type WorstCase,
} from '../test-support/production-csv';

/** The generated input of a bench: `production`, `events` or a worst case, just under the 4 MB limit. */
export function benchInput(input: string): Uint8Array {
  const worst = WORST_CASES.some((entry) => entry.input === input);
  const text = worst
    ? generateWorstCaseCsv(input as WorstCase, MAX_INPUT_BYTES - 1024)
    : (input === 'events' ? generateEventLogCsv : generateProductionCsv)(MAX_INPUT_BYTES - 1024);
  return new TextEncoder().encode(text);
}

/** Our bare parse, the analyses' baseline: the same decoding and the same scanner the engine uses, nothing else. */
export function bareParse(bytes: Uint8Array): number {
  const { text } = decodeText(bytes);
  return parseCsv(text, sniffDelimiter(text).delimiter).length;
}
