// One measurement in a fresh process, so peak memory (max RSS) belongs to this mode alone.
// argv: mode (parse | analyze), iterations. Prints one JSON line.
import { analyzeCsv, MAX_INPUT_BYTES } from '../../lib/analysis';
import { parseCsv } from '../../lib/analysis/csv';
import { decodeText } from '../../lib/analysis/decode';
import { sniffDelimiter } from '../../lib/analysis/sniff';
import { generateProductionCsv } from '../test-support/production-csv';

const [mode = 'analyze', iterations = '5'] = process.argv.slice(2);
const bytes = new TextEncoder().encode(generateProductionCsv(MAX_INPUT_BYTES - 1024));
const baseline = process.resourceUsage().maxRSS;
const run = async () => {
  if (mode === 'parse') {
    // The bare parse: the same decoding and the same parser, nothing else.
    const { text } = decodeText(bytes);
    return parseCsv(text, sniffDelimiter(text).delimiter).length;
  }
  return (await analyzeCsv(bytes)).input.rows;
};
await run(); // warm-up
const started = performance.now();
for (let i = 0; i < Number(iterations); i++) await run();
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    mode,
    mbPerSecond: (bytes.length / 1e6) * (Number(iterations) / seconds),
    msPerFile: (seconds * 1000) / Number(iterations),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    rssAboveStartMb: (process.resourceUsage().maxRSS - baseline) / 1024,
    megabytes: bytes.length / 1e6,
  }),
);
