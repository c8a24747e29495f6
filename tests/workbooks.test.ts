import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { type AnalysisReport, analyzeCsv, screenUpload } from '../lib/engine';
import { PROJECT_ROOT, RUN_TS } from '../tools/paths';
import { type App, appBackends, signIn } from './support/app';
import { unique } from './support/kv';
import { openForSuite } from './support/suite';

/**
 * Workbooks written by writers nobody here wrote: LibreOffice (the committed fixtures, from
 * tools/workbook-fixtures.ts) and exceljs at test time. Each is read into the same pipeline as CSV.
 */
const fixture = (path: string) => new Uint8Array(readFileSync(join(PROJECT_ROOT, 'tests/fixtures', path)));
const codeOf = async (work: () => unknown) => {
  try {
    await work();
    return 'accepted';
  } catch (error) {
    return `${(error as { code?: string }).code}: ${(error as Error).message}`;
  }
};
const kpisOf = (report: AnalysisReport) => ({ kpis: report.kpis, period: report.period, spc: report.spc });

describe('workbooks LibreOffice wrote', () => {
  it.each(['german-bde', 'english-mes', 'event-log', 'measurements'])(
    '%s.xlsx gives the report its CSV gives',
    async (name) => {
      const source =
        name === 'german-bde' || name === 'english-mes' ? `analysis/${name}.csv` : `analysis/${name}.csv`;
      const fromCsv = await analyzeCsv(fixture(source));
      const fromBook = await analyzeCsv(fixture(`workbooks/${name}.xlsx`));
      expect(kpisOf(fromBook)).toEqual(kpisOf(fromCsv));
      expect(fromBook.input.encoding).toBe('xlsx');
      expect(fromBook.input.workbook).toMatchObject({ sheet: name, sheets: [name] });
      expect(fromBook.input.shape).toBe(fromCsv.input.shape);
    },
  );

  it('reads the dates Calc typed as dates (serial numbers with a date format), not as text', () => {
    const sheet = new TextDecoder().decode(
      unzipSync(fixture('workbooks/german-bde.xlsx'))['xl/worksheets/sheet1.xml'],
    );
    expect(sheet).toMatch(/<c r="A4" s="1" t="n"><v>46329<\/v>/); // 3 Nov 2026, a number in the file
  });

  it('refuses a legacy .xls with what to do instead', async () => {
    const refusal = await codeOf(() => analyzeCsv(fixture('workbooks/german-bde.legacy.xls')));
    expect(refusal).toMatch(/^SPREADSHEET_NOT_CSV: .*Save it as \.xlsx/);
    expect(await codeOf(() => screenUpload(fixture('workbooks/german-bde.legacy.xls')))).toBe(refusal);
  });
});

/** A production table, with its cells as exceljs writes them (dates as Date, numbers, formulas). */
async function book(
  build: (workbook: ExcelJS.Workbook) => void,
  options: Partial<ExcelJS.XlsxWriteOptions> = {},
): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return new Uint8Array(await workbook.xlsx.writeBuffer(options));
}
const HEADER = [
  'Date',
  'Machine',
  'Planned Time (min)',
  'Run Time (min)',
  'Total Count',
  'Good Count',
  'Ideal Cycle Time (s)',
];
const ROWS: [string, string, number, number, number, number, number][] = [
  ['2026-11-02', 'CNC-01', 480, 400, 1000, 980, 20],
  ['2026-11-02', 'CNC-02', 480, 450, 1100, 1045, 20],
  ['2026-11-03', 'CNC-01', 480, 360, 900, 891, 20],
];
const asCsv = () =>
  new TextEncoder().encode(`${HEADER.join(',')}\n${ROWS.map((row) => row.join(',')).join('\n')}\n`);

describe('workbooks exceljs wrote', () => {
  it('dates as dates or as text, numbers, shared or inline strings: the CSV report', async () => {
    const expected = kpisOf(await analyzeCsv(asCsv()));
    const typed = await book((workbook) => {
      const sheet = workbook.addWorksheet('Shift report');
      sheet.addRow(HEADER);
      for (const [date, ...rest] of ROWS) sheet.addRow([new Date(`${date}T00:00:00Z`), ...rest]);
      sheet.getColumn(1).numFmt = 'dd.mm.yyyy';
    });
    const text = await book(
      (workbook) => {
        const sheet = workbook.addWorksheet('Shift report');
        sheet.addRow(HEADER);
        for (const row of ROWS) sheet.addRow(row);
      },
      { useSharedStrings: false },
    );
    expect(kpisOf(await analyzeCsv(typed))).toEqual(expected);
    expect(kpisOf(await analyzeCsv(text))).toEqual(expected);
  });

  it('the 1904 date system from the workbook flag', async () => {
    const bytes = await book((workbook) => {
      workbook.properties.date1904 = true;
      const sheet = workbook.addWorksheet('Data');
      sheet.addRow(HEADER);
      for (const [date, ...rest] of ROWS) sheet.addRow([new Date(`${date}T00:00:00Z`), ...rest]);
      sheet.getColumn(1).numFmt = 'yyyy-mm-dd';
    });
    const workbookXml = new TextDecoder().decode(unzipSync(bytes)['xl/workbook.xml']);
    expect(workbookXml).toMatch(/date1904="1"/);
    const report = await analyzeCsv(bytes);
    expect(report.period).toEqual((await analyzeCsv(asCsv())).period);
  });

  it('formulas by their cached values (never evaluated), errors as missing, booleans', async () => {
    const bytes = await book((workbook) => {
      const sheet = workbook.addWorksheet('Data');
      sheet.addRow([...HEADER, 'Checked']);
      ROWS.forEach(([date, machine, planned, run, total, good, ideal], index) => {
        const row = index + 2;
        // The run time is a formula whose cached result is the value; the sheet says so.
        sheet.addRow([
          date,
          machine,
          planned,
          { formula: `C${row}-${planned - run}`, result: run },
          total,
          good,
          ideal,
          index === 0,
        ]);
      });
      sheet.addRow([
        '2026-11-04',
        'CNC-02',
        480,
        { formula: '1/0', result: { error: '#DIV/0!' } },
        500,
        490,
        20,
        false,
      ]);
    });
    const report = await analyzeCsv(bytes);
    const withoutError = await analyzeCsv(asCsv());
    expect(report.kpis?.overall.totals.runMin).toBe(withoutError.kpis?.overall.totals.runMin); // the #DIV/0! row has no run time
    expect(report.kpis?.overall.totals.totalCount).toBe(
      (withoutError.kpis?.overall.totals.totalCount ?? 0) + 500,
    );
  });

  it('several sheets: the first with a table, or options.sheet by name; merged headers; hidden rows and columns', async () => {
    const bytes = await book((workbook) => {
      workbook.addWorksheet('Deckblatt').addRow(['Produktionsbericht KW 45']);
      for (const name of ['Linie 1', 'Linie 2']) {
        const sheet = workbook.addWorksheet(name);
        sheet.addRow(['Shift report', '', '', '', '', '', '']);
        sheet.mergeCells('A1:G1');
        sheet.addRow(HEADER);
        for (const row of name === 'Linie 1' ? ROWS : ROWS.slice(0, 1)) sheet.addRow(row);
        sheet.getRow(3).hidden = true;
        sheet.getColumn(7).hidden = true;
      }
    });
    const first = await analyzeCsv(bytes);
    expect(first.input.workbook).toEqual({
      sheet: 'Linie 1',
      sheets: ['Deckblatt', 'Linie 1', 'Linie 2'],
      hiddenRows: 1,
      hiddenColumns: 1,
      mergedCells: 1,
    });
    expect(kpisOf(first)).toEqual(kpisOf(await analyzeCsv(asCsv()))); // hidden rows are read; the title row skipped
    const second = await analyzeCsv(bytes, { sheet: 'Linie 2' });
    expect(second.input.workbook?.sheet).toBe('Linie 2');
    expect(second.dataQuality.rowsUsed).toBe(1);
    expect(second.options.sheet).toBe('Linie 2');
    expect(await codeOf(() => analyzeCsv(bytes, { sheet: 'Linie 3' }))).toMatch(
      /^WORKBOOK_SHEET_NOT_FOUND: .*Deckblatt, Linie 1, Linie 2/,
    );
  });
});

describe('workbooks that must not be read', () => {
  const real = fixture('workbooks/english-mes.xlsx');

  it('a zip bomb: refused from its declared sizes, before anything large is inflated', async () => {
    const parts = unzipSync(real);
    // 80 MB of one repeated row: a few hundred KB packed.
    const row = '<row><c t="n"><v>1</v></c></row>';
    const bomb = zipSync({
      ...parts,
      'xl/worksheets/sheet1.xml': new TextEncoder().encode(row.repeat((80 * 1024 * 1024) / row.length)),
    });
    expect(bomb.length).toBeLessThan(4 * 1024 * 1024);
    expect(await codeOf(() => analyzeCsv(bomb))).toMatch(/^WORKBOOK_TOO_LARGE/);
    expect(await codeOf(() => screenUpload(bomb))).toMatch(/^WORKBOOK_TOO_LARGE/);
    // A small part packed far beyond any real sheet's ratio.
    const dense = zipSync({ ...parts, 'xl/sharedStrings.xml': new Uint8Array(8 * 1024 * 1024).fill(32) });
    expect(await codeOf(() => analyzeCsv(dense))).toMatch(/^WORKBOOK_TOO_LARGE/);
  });

  it('a truncated workbook: a typed refusal', async () => {
    expect(await codeOf(() => analyzeCsv(real.subarray(0, Math.floor(real.length / 2))))).toMatch(
      /^WORKBOOK_UNREADABLE/,
    );
    expect(await codeOf(() => screenUpload(real.subarray(0, 2000)))).toMatch(/^WORKBOOK_UNREADABLE/);
  });

  it('the command line reads a workbook as it reads a CSV', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    writeFileSync(join(dir, 'book.xlsx'), real);
    const output = execFileSync(process.execPath, [...RUN_TS, 'tools/analyze.ts', join(dir, 'book.xlsx')], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    });
    expect((JSON.parse(output) as AnalysisReport).input.workbook?.sheet).toBe('english-mes');
  }, 60_000);
});

describe.each(appBackends)('workbooks through the API on %s', (_name, start, available) => {
  let app: App;
  openForSuite(available, start, (started) => {
    app = started;
  });

  it.skipIf(!available)(
    'an uploaded .xlsx is analysed like its CSV; a zip bomb costs nothing',
    async () => {
      const { bearer } = await signIn(app, `${unique('book')}@example.com`);
      const post = (bytes: Uint8Array, name: string) => {
        const form = new FormData();
        form.set(
          'file',
          new File([new Uint8Array(bytes)], name, {
            type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          }),
        );
        return fetch(`${app.server.url}/api/analyses`, {
          method: 'POST',
          headers: { authorization: `Bearer ${bearer}` },
          body: form,
        });
      };
      const accepted = await post(fixture('workbooks/german-bde.xlsx'), 'Schicht.xlsx');
      expect(accepted.status).toBe(202);
      expect(accepted.headers.get('ratelimit')).toContain('"analysis-user";r=4');
      const { statusUrl } = (await accepted.json()) as { statusUrl: string };
      await app.server.idle();
      const done = (await (
        await fetch(statusUrl, { headers: { authorization: `Bearer ${bearer}` } })
      ).json()) as {
        result: AnalysisReport;
      };
      expect(kpisOf(done.result)).toEqual(kpisOf(await analyzeCsv(fixture('analysis/german-bde.csv'))));
      const parts = unzipSync(fixture('workbooks/english-mes.xlsx'));
      const row = '<row><c t="n"><v>1</v></c></row>';
      const bomb = zipSync({
        ...parts,
        'xl/worksheets/sheet1.xml': new TextEncoder().encode(row.repeat((80 * 1024 * 1024) / row.length)),
      });
      const refused = await post(bomb, 'bomb.xlsx');
      expect(refused.status).toBe(422);
      expect(((await refused.json()) as { code: string }).code).toBe('WORKBOOK_TOO_LARGE');
      // The refusal used no quota.
      const next = await post(fixture('workbooks/english-mes.xlsx'), 'Linie.xlsx');
      expect(next.headers.get('ratelimit')).toContain('"analysis-user";r=3');
    },
    60_000,
  );
});
