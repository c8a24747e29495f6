import { AnalysisInputError } from '../errors';
import { parseCsv } from './csv';
import { decodeText } from './decode';
import { sniffDelimiter } from './sniff';
import { readWorkbook } from './workbook';

/**
 * File formats people upload instead of a CSV export, by their first bytes. Workbooks get their own
 * code (the answer is "export it as CSV"); the rest are binary files of a kind we can name.
 */
const SIGNATURES: { format: string; bytes: number[]; workbook?: true }[] = [
  {
    format: 'a legacy Excel workbook (XLS) or an encrypted one',
    bytes: [0xd0, 0xcf, 0x11, 0xe0],
    workbook: true,
  },
  { format: 'a PNG image', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { format: 'a JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { format: 'a GIF image', bytes: [0x47, 0x49, 0x46, 0x38] },
  { format: 'a PDF document', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { format: 'a GZIP archive', bytes: [0x1f, 0x8b] },
  { format: 'a 7-Zip archive', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { format: 'a RAR archive', bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07] },
  { format: 'a BZIP2 archive', bytes: [0x42, 0x5a, 0x68] },
  { format: 'a Parquet file', bytes: [0x50, 0x41, 0x52, 0x31] },
  { format: 'an SQLite database', bytes: [...new TextEncoder().encode('SQLite format 3'), 0] },
];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const EMPTY_ZIP = [0x50, 0x4b, 0x05, 0x06];

const startsWith = (bytes: Uint8Array, signature: readonly number[]) =>
  bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte);

/** What a file's first bytes say it is, when that is not text: null for anything that may be CSV. */
export function binaryFormat(
  bytes: Uint8Array,
): { format: string; workbook: boolean; readable?: true } | null {
  if (startsWith(bytes, ZIP) || startsWith(bytes, EMPTY_ZIP)) {
    // XLSX and ODS are ZIP archives whose first entries name their parts.
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
    if (/\[Content_Types\]\.xml|xl\/|docProps\//.test(head))
      return { format: 'an Excel workbook (XLSX)', workbook: true, readable: true };
    if (head.includes('mimetypeapplication/vnd.oasis.opendocument.spreadsheet'))
      return { format: 'an OpenDocument spreadsheet (ODS)', workbook: true };
    return { format: 'a ZIP archive', workbook: false };
  }
  const known = SIGNATURES.find((signature) => startsWith(bytes, signature.bytes));
  return known ? { format: known.format, workbook: known.workbook === true } : null;
}

/** How much of a file the screen reads: enough for the delimiter sniffer and some rows. */
const SCREEN_BYTES = 64 * 1024;

/** An .xlsx or .xlsm workbook: read by the engine like a CSV. */
export const isXlsx = (bytes: Uint8Array): boolean => binaryFormat(bytes)?.readable === true;

/**
 * Empty files, workbooks we do not read (legacy .xls, encrypted, OpenDocument) and other binary formats:
 * refused by the screen and by the engine alike. An .xlsx passes.
 */
export function refuseNonText(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new AnalysisInputError('EMPTY_FILE', 'The file is empty.');
  const binary = binaryFormat(bytes);
  if (binary?.readable) return;
  if (binary?.workbook)
    throw new AnalysisInputError(
      'SPREADSHEET_NOT_CSV',
      `This is ${binary.format}. Save it as .xlsx (Excel workbook) or CSV and upload that.`,
    );
  if (binary)
    throw new AnalysisInputError('BINARY_FILE', `This is ${binary.format}, not CSV. Upload a CSV export.`);
}

/**
 * The cheap checks an upload passes before anything is stored or counted: not empty, not a workbook
 * or other binary format, text that holds a table (two non-empty rows with two or more fields). Reads
 * the first 64 KB only; the engine checks the whole file when it analyses it.
 */
export async function screenUpload(bytes: Uint8Array): Promise<void> {
  refuseNonText(bytes);
  // A workbook is read whole (bounded): a damaged one, a zip bomb or one without a table costs nothing.
  if (isXlsx(bytes)) return void (await readWorkbook(bytes));
  // A cut through a multi-byte character only costs the sample its strict UTF-8 reading: still text.
  const { text } = decodeText(bytes.subarray(0, SCREEN_BYTES));
  const { delimiter, body } = sniffDelimiter(text);
  const rows = parseCsv(body.slice(0, SCREEN_BYTES), delimiter, 60).filter((row) =>
    row.some((cell) => cell.trim() !== ''),
  );
  if (rows.filter((row) => row.length >= 2).length < 2)
    throw new AnalysisInputError(
      'NOT_TABULAR',
      'No table found: expected a header row and at least one data row with two or more columns.',
    );
}
