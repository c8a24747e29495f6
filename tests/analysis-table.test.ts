import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalysisInputError } from '../lib/engine/errors';
import { parseCsv } from '../lib/engine/input/csv';
import { cleanHeaders, findHeaderRow } from '../lib/engine/input/headers';
import { buildTable, cellAt } from '../lib/engine/input/table';
import { IssueLog } from '../lib/engine/issues';

// The engine reads records straight into dictionary codes (hashing cells in the text). This checks it
// against the plain reading it replaces: parse every record into strings, drop blank records, pad short
// ones, drop totals rows, keep the first of exact repeats.
function plainReading(body: string) {
  const filled = parseCsv(body, ';')
    .map((cells, index) => ({ cells, line: index + 1 }))
    .filter(({ cells }) => cells.some((cell) => cell.trim() !== ''));
  const headerAt = findHeaderRow(filled.slice(0, 31).map(({ cells }) => cells));
  const width = cleanHeaders(filled[headerAt]?.cells ?? []).length;
  const seen = new Set<string>();
  const rows: { line: number; cells: string[] }[] = [];
  for (const { cells: raw, line } of filled.slice(headerAt + 1)) {
    const cells = Array.from({ length: width }, (_, i) => raw[i] ?? '');
    const first = cells.find((cell) => cell !== '');
    if (first !== undefined && /^(summe|gesamt|total|sum|gesamtsumme|grand total)\b/i.test(first.trim()))
      continue;
    const key = JSON.stringify(cells);
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ line, cells });
  }
  return rows;
}

function engineReading(body: string) {
  const table = buildTable(body, ';', new IssueLog());
  return Array.from({ length: table.rowCount }, (_, row) => ({
    line: table.lines[row] as number,
    cells: table.columns.map((column) => cellAt(column, row)),
  }));
}

describe('reading records into column codes', () => {
  const cell = fc.oneof(
    fc.constantFrom(
      'A',
      'B',
      '',
      ' ',
      '"A"',
      '"x;y"',
      '"say ""hi"""',
      'Summe',
      ' GESAMT',
      '\tTotal 3',
      'Summen',
      '7',
      '07',
      '7,5',
    ),
    fc.integer({ min: 0, max: 300 }).map(String),
  );
  const record = fc.array(cell, { minLength: 0, maxLength: 5 });

  it('keeps exactly the rows a plain reading keeps, with their record numbers', async () => {
    await fc.assert(
      fc.property(
        // Records drawn from a small pool, so exact repeats are common.
        fc.array(record, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
        fc.constantFrom('\n', '\r\n'),
        (pool, picks, eol) => {
          const records = picks.map((pick) => pool[pick % pool.length] as string[]);
          const body = ['Machine;Good;Scrap', ...records.map((cells) => cells.join(';'))].join(eol);
          let engine: ReturnType<typeof engineReading>;
          try {
            engine = engineReading(body);
          } catch (error) {
            // Tables the engine refuses (too ragged, nothing below the header) are not compared.
            expect(error).toBeInstanceOf(AnalysisInputError);
            return;
          }
          expect(engine).toEqual(plainReading(body));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('stays exact past a column turning distinct-only (a timestamp per row): repeats of earlier rows, blank, totals and quoted rows', async () => {
    // 2,100 rows with a new first cell each: the first column turns distinct-only after 2,048 of them.
    const lead = Array.from({ length: 2100 }, (_, i) => `2026-01-01 ${i};M${i % 3};${i % 7}`);
    await fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
        (pool, picks) => {
          // A third of the later records repeat a leading row (written before the switch).
          const later = picks.map((pick) =>
            pick % 3 === 0
              ? (lead[pick % lead.length] as string)
              : (pool[pick % pool.length] as string[]).join(';'),
          );
          const body = ['Start;Machine;Good', ...lead, ...later].join('\n');
          const engine = engineReading(body);
          expect(engine).toEqual(plainReading(body));
        },
      ),
      // A totals label behind an empty cell of the distinct-only column, and an escaped quote in it.
      {
        numRuns: 60,
        examples: [
          [[['', 'Summe']], [1]],
          [[['"say ""hi"""', 'A']], [1, 2]],
        ],
      },
    );
  });

  it('stays exact when dictionaries and the repeat index grow (thousands of distinct cells and repeats)', () => {
    const lines = ['Machine;Good;Scrap;Comment'];
    for (let i = 0; i < 6000; i++) {
      const n = (i * 7919) % 2500; // every value comes back, so about half the rows repeat
      lines.push(`M${n % 13};${n};${(n * 31) % 977};c${n}`);
    }
    const body = lines.join('\n');
    const engine = engineReading(body);
    expect(engine).toEqual(plainReading(body));
    expect(engine).toHaveLength(2500);
  });

  it('stays exact when the rows far outnumber what the first records predict (row arrays and a distinct-only column grow)', () => {
    // Row arrays are sized from the first records' length: 30 long ones predict a few hundred rows.
    const lines = ['Start;Machine;Comment'];
    for (let i = 0; i < 30; i++) lines.push(`2025-12-31 ${i};M0;${'long comment '.repeat(200)}${i}`);
    for (let i = 0; i < 6000; i++) lines.push(`2026-01-01 ${i};M${i % 4};`);
    const body = lines.join('\n');
    const engine = engineReading(body);
    expect(engine).toHaveLength(6030);
    expect(engine).toEqual(plainReading(body));
  });
});

describe('scanning CSV records', () => {
  // Each field as written and as read: plain, quoted (delimiters, line breaks and doubled quotes inside),
  // padded around its quotes, or with text after the closing quote (kept, as spreadsheets do).
  const plain = fc.stringMatching(/^[A-Za-z0-9 .:-]{0,12}$/).map((text) => ({ written: text, read: text }));
  const quoted = fc
    .array(fc.constantFrom('A', ' ', ';', '\n', '\r\n', '"', '2026-01-05 05:00:00', 'ä'), { maxLength: 6 })
    .map((parts) => {
      const read = parts.join('');
      return { written: `"${read.replaceAll('"', '""')}"`, read };
    });
  const padded = quoted.map(({ written, read }) => ({ written: `  ${written} `, read }));
  const trailed = quoted.map(({ written, read }) => ({ written: `${written} x`, read: `${read} x` }));
  const field = fc.oneof(plain, quoted, padded, trailed);

  it('reads each field as written, quoted or not, with LF or CRLF line ends', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom('\n', '\r\n'),
        (records, eol) => {
          // A record of one empty field would be an empty line: such records are not compared.
          fc.pre(records.every((fields) => fields.length > 1 || fields[0]?.written !== ''));
          const text = records.map((fields) => fields.map((f) => f.written).join(';')).join(eol);
          expect(parseCsv(text, ';')).toEqual(records.map((fields) => fields.map((f) => f.read)));
        },
      ),
      { numRuns: 500 },
    );
  });
});
