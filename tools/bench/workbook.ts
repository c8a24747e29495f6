import ExcelJS from 'exceljs';
import { analyzeCsv } from '../../lib/engine';
import { generateProductionCsv } from '../test-support/production-csv';
import { median } from './stats';

const ROUNDS = 5;

/**
 * The bench's 4 MB export as an Excel workbook (written by exceljs: dates as dates, numbers as numbers)
 * against the same rows as CSV: whole analysis, warm medians in one process, interleaved, and the heap
 * a run adds (after a full GC when --expose-gc is on).
 */
export async function benchWorkbook(): Promise<void> {
  const csv = generateProductionCsv(4 * 1024 * 1024);
  const [header, ...lines] = csv
    .trimEnd()
    .split('\n')
    .map((line) => line.split(';'));
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Export');
  sheet.addRow(header ?? []);
  for (const cells of lines) {
    const [day, ...rest] = cells;
    const [d, m, y] = (day ?? '').split('.').map(Number);
    sheet.addRow([
      new Date(Date.UTC(y ?? 2026, (m ?? 1) - 1, d ?? 1)),
      ...rest.map((cell) => (/^-?\d+(,\d+)?$/.test(cell) ? Number(cell.replace(',', '.')) : cell)),
    ]);
  }
  sheet.getColumn(1).numFmt = 'dd.mm.yyyy';
  const xlsx = new Uint8Array(await book.xlsx.writeBuffer());
  const csvBytes = new TextEncoder().encode(csv);
  const gc = (globalThis as { gc?: () => void }).gc;
  const run = async (bytes: Uint8Array) => {
    gc?.();
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    const report = await analyzeCsv(bytes);
    const ms = performance.now() - started;
    return {
      ms,
      heapMb: (process.memoryUsage().heapUsed - before) / 1024 / 1024,
      rows: report.dataQuality.rowsUsed,
    };
  };
  await run(csvBytes);
  await run(xlsx); // warm-up
  const times = { csv: [] as number[], xlsx: [] as number[] };
  const heaps = { csv: [] as number[], xlsx: [] as number[] };
  let rows = { csv: 0, xlsx: 0 };
  for (let round = 0; round < ROUNDS; round++)
    for (const [kind, bytes] of [
      ['csv', csvBytes],
      ['xlsx', xlsx],
    ] as const) {
      const result = await run(bytes);
      times[kind].push(result.ms);
      heaps[kind].push(result.heapMb);
      rows = { ...rows, [kind]: result.rows };
    }
  console.log(
    `\nThe 4 MB export as CSV and as .xlsx (exceljs), whole analysis, warm medians of ${ROUNDS}, one process`,
  );
  for (const kind of ['csv', 'xlsx'] as const)
    console.log(
      `${kind.padEnd(5)} ${((kind === 'csv' ? csvBytes : xlsx).length / 1024 / 1024).toFixed(2)} MB   ${median(times[kind]).toFixed(0).padStart(5)} ms   heap +${median(heaps[kind]).toFixed(0)} MB${gc ? '' : ' (no --expose-gc: rough)'}   rows ${rows[kind]}`,
    );
  console.log(`ratio: .xlsx ${(median(times.xlsx) / median(times.csv)).toFixed(2)}x the CSV's time`);
}
