// `npx tsx tools/workbook-fixtures.ts`: the CSV fixtures as workbooks written by LibreOffice (Debian's
// libreoffice-calc, headless), committed under tests/fixtures/workbooks/ so the tests need no LibreOffice.
// Each CSV is imported with its own delimiter and locale (as a person opening it in Calc would), so
// dates and numbers become typed cells; then saved as .xlsx, and one as legacy .xls for the refusal.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths';

const OUT = join(PROJECT_ROOT, 'tests/fixtures/workbooks');
// name, source, field separator (char code), its encoding, the import locale (LCID)
const FILES: [string, string, number, 'windows-1252' | 'utf-8', number][] = [
  ['german-bde', 'analysis/german-bde.csv', 59, 'windows-1252', 1031],
  ['english-mes', 'analysis/english-mes.csv', 44, 'utf-8', 2057],
  ['event-log', 'analysis/event-log.csv', 44, 'utf-8', 2057],
  ['measurements', 'analysis/measurements.csv', 59, 'utf-8', 1031],
];

const work = mkdtempSync(join(tmpdir(), 'workbooks-'));
mkdirSync(OUT, { recursive: true });
try {
  for (const [name, source, separator, encoding, locale] of FILES) {
    const text = new TextDecoder(encoding).decode(readFileSync(join(PROJECT_ROOT, 'tests/fixtures', source)));
    const csv = join(work, `${name}.csv`);
    writeFileSync(csv, text); // as UTF-8 (import charset 76)
    for (const format of name === 'german-bde' ? ['xlsx', 'xls'] : ['xlsx']) {
      execFileSync(
        'soffice',
        [
          '--headless',
          `-env:UserInstallation=file://${join(work, 'profile')}`,
          `--infilter=CSV:${separator},34,76,1,,${locale}`,
          '--convert-to',
          format === 'xlsx' ? 'xlsx:Calc MS Excel 2007 XML' : 'xls:MS Excel 97',
          '--outdir',
          work,
          csv,
        ],
        { stdio: 'inherit', timeout: 120_000 },
      );
      renameSync(
        join(work, `${name}.${format}`),
        join(OUT, `${name}.${format === 'xls' ? 'legacy.xls' : 'xlsx'}`),
      );
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`wrote ${OUT}`);
