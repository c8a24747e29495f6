// Analyses of one generated export, each after a full garbage collection, as a warm function instance
// meets them after idle time. Run with --expose-gc (and --trace-deopt to see what V8 throws away).
// argv: input (production | events), megabytes, runs. Prints a marker line before the measured runs.
import { analyzeCsv } from '../../lib/engine';
import { generateEventLogCsv, generateProductionCsv } from './production-csv';

const [input = 'production', megabytes = '1', runs = '4'] = process.argv.slice(2);
const generate = input === 'events' ? generateEventLogCsv : generateProductionCsv;
const bytes = new TextEncoder().encode(generate(Number(megabytes) * 1_000_000));
const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error('run with --expose-gc');
// Optimised as in a warm instance whose requests each follow idle time (a full collection before each).
for (let i = 0; i < 5; i++) {
  collect();
  await analyzeCsv(bytes);
}
console.log('--- analyses after a full collection');
for (let i = 0; i < Number(runs); i++) {
  collect();
  await analyzeCsv(bytes);
}
