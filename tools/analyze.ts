// `npm run analyze -- <file.csv> [--options options.json] [--map "Header=field" ...] [--narrative]`: the
// engine's command-line face. Prints the report JSON. `--map "Header=-"` leaves a column out; `--map`
// entries go over the options file's mapping.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  AnalysisInputError,
  type AnalysisOptions,
  analyzeCsv,
  CANONICAL_FIELDS,
  insightsNarrator,
  withNarrative,
} from '../lib/engine';

const usage =
  'usage: npm run analyze -- <file.csv> [--options options.json] [--map "Header=field" ...] [--narrative]';
const args = process.argv.slice(2);
const mapping: Record<string, string | null> = {};
let file: string | undefined;
let options: AnalysisOptions = {};
for (let i = 0; i < args.length; i++) {
  const arg = args[i] as string;
  if (arg === '--map') {
    const pair = args[++i] ?? '';
    const at = pair.lastIndexOf('=');
    const [source, field] = [pair.slice(0, at), pair.slice(at + 1).trim()];
    if (at <= 0 || !(field === '-' || (CANONICAL_FIELDS as readonly string[]).includes(field))) {
      console.error(`--map takes "Header=field" (or "Header=-"); fields: ${CANONICAL_FIELDS.join(', ')}`);
      process.exit(2);
    }
    mapping[source] = field === '-' ? null : field;
  } else if (arg === '--options') {
    const path = args[++i];
    try {
      options = JSON.parse(readFileSync(path ?? '', 'utf8')) as AnalysisOptions;
    } catch (error) {
      console.error(`--options takes a JSON file: ${(error as Error).message}`);
      process.exit(2);
    }
  } else if (!arg.startsWith('--')) file = arg;
}
if (!file) {
  console.error(usage);
  process.exit(2);
}
if (Object.keys(mapping).length > 0)
  options = { ...options, mapping: { ...options.mapping, ...mapping } as AnalysisOptions['mapping'] };
try {
  const report = await analyzeCsv(new Uint8Array(readFileSync(file)), {
    ...options,
    fileName: basename(file),
  });
  const output = args.includes('--narrative') ? await withNarrative(report, insightsNarrator) : report;
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
} catch (error) {
  if (error instanceof AnalysisInputError) {
    console.error(`${error.code}: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
