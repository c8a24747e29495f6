import { analyzeCsv, MAX_INPUT_BYTES } from '../lib/analysis';
import { parseCsv } from '../lib/analysis/csv';
import { generateWorstCaseCsv, type WorstCase } from './test-support/production-csv';

const bytes = new TextEncoder().encode(
  generateWorstCaseCsv(process.argv[2] as WorstCase, MAX_INPUT_BYTES - 1024),
);
if (process.argv[3] === 'parse') parseCsv(new TextDecoder().decode(bytes), ';');
else await analyzeCsv(bytes, process.argv[3] ? JSON.parse(process.argv[3]) : {});
console.log('ok');
