import type { UnzipFileInfo } from 'fflate';
import { AnalysisInputError } from '../errors';
import { LIMITS } from './table';

/**
 * An .xlsx/.xlsm workbook read into the text the CSV path reads (one pipeline after decoding): one
 * worksheet's cells as comma-separated rows. Only the parts needed are inflated, with a total bound
 * (a zip bomb is refused before anything large is allocated); no entity is ever resolved (the XML is
 * scanned, never parsed by a DOM); formulas are never evaluated (their cached values are read). Dates
 * follow their cell's number format and the workbook's 1900/1904 system; errors (#DIV/0!) are empty.
 */
export type Workbook = {
  text: string;
  sheet: string;
  sheets: string[];
  hiddenRows: number;
  hiddenColumns: number;
  mergedCells: number;
};

/** Unpacked bytes at most, and the largest unpacked/packed ratio of a part: beyond is a zip bomb. */
const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;
const MAX_RATIO = 100;

const refuse = (message: string): never => {
  throw new AnalysisInputError('WORKBOOK_UNREADABLE', message);
};

export async function readWorkbook(bytes: Uint8Array, wanted?: string): Promise<Workbook> {
  const parts = await unpack(bytes);
  const xml = (name: string) => {
    const part = parts[name];
    return part ? new TextDecoder().decode(part) : undefined;
  };
  const book =
    xml('xl/workbook.xml') ?? refuse('This workbook has no xl/workbook.xml: save it again as .xlsx.');
  const relations = new Map<string, string>();
  for (const match of (xml('xl/_rels/workbook.xml.rels') ?? '').matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attribute(match[0], 'Id');
    const target = attribute(match[0], 'Target');
    if (id && target) relations.set(id, target.replace(/^\/?(xl\/)?/, 'xl/'));
  }
  const sheets = [...book.matchAll(/<sheet\b[^>]*>/g)].map((match) => ({
    name: decodeXml(attribute(match[0], 'name') ?? ''),
    part: relations.get(attribute(match[0], 'r:id') ?? '') ?? '',
  }));
  if (sheets.length === 0) refuse('This workbook has no worksheet.');
  const date1904 = /<workbookPr\b[^>]*\bdate1904="(1|true)"/.test(book);
  const strings = sharedStrings(xml('xl/sharedStrings.xml') ?? '');
  const dates = dateStyles(xml('xl/styles.xml') ?? '');

  const read = (sheet: { name: string; part: string }) =>
    readSheet(xml(sheet.part) ?? '', strings, dates, date1904);
  let chosen: { name: string; part: string } | undefined;
  let table: ReturnType<typeof readSheet> | undefined;
  if (wanted !== undefined) {
    chosen = sheets.find((sheet) => sheet.name === wanted);
    if (!chosen)
      throw new AnalysisInputError(
        'WORKBOOK_SHEET_NOT_FOUND',
        `The workbook has no sheet "${wanted.slice(0, 80)}"; its sheets: ${sheets.map((sheet) => sheet.name).join(', ')}.`,
      );
    table = read(chosen);
  } else
    for (const sheet of sheets) {
      const candidate = read(sheet);
      // The first sheet with a table: two rows of two filled cells or more (a cover page has none).
      if (candidate.rows.filter((row) => row.filter((cell) => cell !== '').length >= 2).length >= 2) {
        [chosen, table] = [sheet, candidate];
        break;
      }
    }
  if (!chosen || !table)
    throw new AnalysisInputError(
      'NOT_TABULAR',
      'No sheet of this workbook holds a table (a header row and data rows).',
    );
  return {
    text: table.rows.map((row) => row.map(csvField).join(',')).join('\n'),
    sheet: chosen.name,
    sheets: sheets.map((sheet) => sheet.name),
    hiddenRows: table.hiddenRows,
    hiddenColumns: table.hiddenColumns,
    mergedCells: table.merged,
  };
}

/**
 * The parts a table needs, inflated within MAX_UNPACKED_BYTES in all and MAX_RATIO each. fflate is
 * imported with the first workbook: its module scope builds inflate tables (about 4 ms of a cold start).
 */
async function unpack(bytes: Uint8Array): Promise<Record<string, Uint8Array>> {
  const { unzipSync } = await import('./unzip');
  let total = 0;
  const needed = (file: UnzipFileInfo) => {
    const wanted =
      file.name === 'xl/workbook.xml' ||
      file.name === 'xl/_rels/workbook.xml.rels' ||
      file.name === 'xl/sharedStrings.xml' ||
      file.name === 'xl/styles.xml' ||
      /^xl\/worksheets\/[^/]+\.xml$/.test(file.name);
    if (!wanted) return false;
    total += file.originalSize;
    if (total > MAX_UNPACKED_BYTES || file.originalSize > MAX_RATIO * Math.max(file.size, 1024))
      throw new AnalysisInputError(
        'WORKBOOK_TOO_LARGE',
        `This workbook unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MB (or packs one part over ${MAX_RATIO} times): export the table as CSV, or a shorter period.`,
      );
    return true;
  };
  let parts: Record<string, Uint8Array>;
  try {
    parts = unzipSync(bytes, { filter: needed });
  } catch (error) {
    if (error instanceof AnalysisInputError) throw error;
    return refuse(
      'This workbook is damaged or cut off (its ZIP structure does not read): save it again as .xlsx.',
    );
  }
  // The sizes a ZIP declares are its own word: what came out is what counts.
  const inflated = Object.values(parts).reduce((sum, part) => sum + part.length, 0);
  if (inflated > MAX_UNPACKED_BYTES) refuse('This workbook unpacks to more than its declared size.');
  return parts;
}

const ATTRIBUTES = new Map<string, RegExp>();
/** An attribute's raw value in a tag's text (patterns compiled once per name). */
function attribute(tag: string, name: string): string | undefined {
  let pattern = ATTRIBUTES.get(name);
  if (!pattern) {
    pattern = new RegExp(`\\s${name.replace(':', '\\:')}="([^"]*)"`);
    ATTRIBUTES.set(name, pattern);
  }
  return pattern.exec(tag)?.[1];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** The five XML entities and numeric references: nothing else is ever expanded. */
function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (whole, name: string) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? whole;
    const code =
      name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/** The text of each `<si>`: all its `<t>` runs (rich text), phonetic runs left out. */
function sharedStrings(xml: string): string[] {
  const out: string[] = [];
  for (const item of xml.matchAll(/<si>([\s\S]*?)<\/si>/g)) {
    const body = (item[1] ?? '').replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
    let text = '';
    for (const run of body.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t\s*\/>/g)) text += run[1] ?? '';
    out.push(decodeXml(text));
  }
  return out;
}

/** Built-in number formats that are dates or times (ECMA-376 18.8.30), and custom ones by their code. */
const BUILT_IN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);
const BUILT_IN_TIMES = new Set([18, 19, 20, 21, 45, 46, 47]);

type DateStyle = 'date' | 'time' | 'datetime' | undefined;

/** For each cell style index: whether its number format shows a date, a time or both. */
function dateStyles(xml: string): DateStyle[] {
  const custom = new Map<number, string>();
  for (const match of xml.matchAll(/<numFmt\b[^>]*>/g))
    custom.set(Number(attribute(match[0], 'numFmtId')), decodeXml(attribute(match[0], 'formatCode') ?? ''));
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml)?.[1] ?? '';
  return [...xfs.matchAll(/<xf\b[^>]*>/g)].map((match) => {
    const id = Number(attribute(match[0], 'numFmtId') ?? 0);
    const code = custom.get(id);
    if (code === undefined) {
      if (!BUILT_IN_DATES.has(id)) return undefined;
      if (BUILT_IN_TIMES.has(id)) return id === 22 ? 'datetime' : 'time';
      return id === 22 ? 'datetime' : 'date';
    }
    // Quoted text, escapes and colours are not format letters; "m" next to h or s is minutes.
    const plain = code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '').toLowerCase();
    const date = /[dy]/.test(plain) || /(^|[^hs:])m+([^:s]|$)/.test(plain);
    const time = /[hs]/.test(plain);
    if (date && time) return 'datetime';
    if (date) return 'date';
    return time ? 'time' : undefined;
  });
}

const DAY_MS = 86_400_000;
/** A serial day number as ISO text, in the workbook's date system (1900: from 1899-12-30, which absorbs
 *  Excel's phantom 29 Feb 1900 for every date after it; 1904: from 1904-01-01). Wall-clock, no zone. */
function serialToIso(serial: number, style: DateStyle, date1904: boolean): string {
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  const instant = new Date(epoch + Math.round((serial * DAY_MS) / 1000) * 1000);
  const iso = instant.toISOString();
  if (style === 'time') return iso.slice(11, 19);
  if (style === 'date' && Number.isInteger(serial)) return iso.slice(0, 10);
  return iso.slice(0, 19);
}

const CELL_ATTRIBUTES = /\s(r|t|s)="([^"]*)"/g;

function columnIndex(reference: string): number {
  let index = 0;
  for (const char of reference) {
    const code = char.charCodeAt(0);
    if (code < 65 || code > 90) break;
    index = index * 26 + (code - 64);
  }
  return index - 1;
}

function readSheet(xml: string, strings: string[], dates: DateStyle[], date1904: boolean) {
  const rows: string[][] = [];
  let hiddenRows = 0;
  let width = 0;
  for (const row of xml.matchAll(/<row\b([^>]*)>([\s\S]*?)<\/row>|<row\b[^>]*\/>/g)) {
    if (rows.length > LIMITS.maxRows + 30)
      throw new AnalysisInputError(
        'TOO_MANY_ROWS',
        `The sheet has more than ${LIMITS.maxRows} rows; split it by period.`,
      );
    const attributes = row[1] ?? '';
    const at = Number(attribute(`<r ${attributes}`, 'r') ?? rows.length + 1) - 1;
    if (/\shidden="(1|true)"/.test(attributes)) hiddenRows++;
    const cells: string[] = [];
    for (const cell of (row[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      // The three attributes a cell needs, in one pass over its tag (any order).
      let reference: string | undefined;
      let type = 'n';
      let style = 0;
      for (const [, name, value] of (cell[1] ?? '').matchAll(CELL_ATTRIBUTES)) {
        if (name === 'r') reference = value;
        else if (name === 't') type = value ?? 'n';
        else style = Number(value);
      }
      const column = reference ? columnIndex(reference) : cells.length;
      if (column >= LIMITS.maxColumns)
        throw new AnalysisInputError(
          'TOO_MANY_COLUMNS',
          `The sheet has more than ${LIMITS.maxColumns} columns.`,
        );
      const body = cell[2] ?? '';
      const raw = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      let value = '';
      if (type === 's') value = strings[Number(raw)] ?? '';
      else if (type === 'inlineStr')
        value = decodeXml([...body.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => m[1]).join(''));
      else if (type === 'str') value = decodeXml(raw ?? '');
      else if (type === 'b') value = raw === '1' ? 'TRUE' : raw === '0' ? 'FALSE' : '';
      else if (type === 'e')
        value = ''; // #DIV/0!, #N/A ...: missing
      else if (raw !== undefined && raw !== '') {
        const number = Number(raw);
        const format = dates[style];
        value = format && Number.isFinite(number) ? serialToIso(number, format, date1904) : raw;
      }
      while (cells.length < column) cells.push('');
      cells[column] = value;
    }
    while (rows.length < at) rows.push([]);
    rows[at] = cells;
    width = Math.max(width, cells.length);
  }
  // A merged header cell names every column it spans (only the top-left cell holds the value).
  let merged = 0;
  for (const range of xml.matchAll(/<mergeCell\b[^>]*\bref="([A-Z]+)(\d+):([A-Z]+)(\d+)"/g)) {
    merged++;
    const [from, to, row] = [columnIndex(range[1] ?? ''), columnIndex(range[3] ?? ''), Number(range[2]) - 1];
    const cells = rows[row];
    if (!cells || to >= LIMITS.maxColumns) continue;
    for (let column = from + 1; column <= to; column++) if (!cells[column]) cells[column] = cells[from] ?? '';
  }
  let hiddenColumns = 0;
  for (const col of xml.matchAll(/<col\b[^>]*>/g))
    if (/\shidden="(1|true)"/.test(col[0]))
      hiddenColumns += Number(attribute(col[0], 'max') ?? 0) - Number(attribute(col[0], 'min') ?? 0) + 1;
  for (const cells of rows) while (cells.length < width) cells.push('');
  return { rows, hiddenRows, hiddenColumns, merged };
}

const csvField = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
