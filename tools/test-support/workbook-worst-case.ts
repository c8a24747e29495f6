// Reads one workbook (a path) and prints its sizes: run by the bounds test under --max-old-space-size=128.
import { readFileSync } from 'node:fs';
import { analyzeCsv } from '../../lib/engine';

const report = await analyzeCsv(new Uint8Array(readFileSync(process.argv[2] ?? '')));
console.log(
  JSON.stringify({
    rows: report.input.rows,
    columns: report.input.columns,
    reportBytes: new TextEncoder().encode(JSON.stringify(report)).length,
  }),
);
