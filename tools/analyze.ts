// `npm run analyze -- <file.csv> [--narrative]`: the engine's command-line face. Prints the report JSON.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { AnalysisInputError, analyzeCsv, insightsNarrator, withNarrative } from '../lib/analysis';

const args = process.argv.slice(2);
const file = args.find((arg) => !arg.startsWith('--'));
if (!file) {
  console.error('usage: npm run analyze -- <file.csv> [--narrative]');
  process.exit(2);
}
try {
  const report = await analyzeCsv(new Uint8Array(readFileSync(file)), { fileName: basename(file) });
  const output = args.includes('--narrative') ? await withNarrative(report, insightsNarrator) : report;
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
} catch (error) {
  if (error instanceof AnalysisInputError) {
    console.error(`${error.code}: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
