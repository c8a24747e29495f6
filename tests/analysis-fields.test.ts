import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeCsv, CANONICAL_FIELDS } from '../lib/engine';
import { synonymsOf } from '../lib/engine/input/fields';
import { matchHeader, tokenize } from '../lib/engine/input/headers';

const bytes = (text: string) => new TextEncoder().encode(text);
const mappingOf = async (csv: string) =>
  Object.fromEntries((await analyzeCsv(bytes(csv))).mapping.map((m) => [m.source, m.canonical]));

describe('header matching by whole words', () => {
  it('claims no field by a word inside another word', () => {
    // Headers of real exports (a continuous process file, a German booking export) that substring
    // matching misread as machine, part, reason class and date.
    for (const header of [
      'Machine1_Zone1Temperature_C_Actual',
      'Machine1.RawMaterial.Property1',
      'Stage1.Output.Measurement0.U.Actual',
      'Karton-Nr.',
      'status_time',
      'power_avg',
      'Unique_id',
      'Stagetemperatur',
    ])
      expect([header, matchHeader(header)?.canonical]).toEqual([header, undefined]);
  });

  it('reads the vocabulary of German and English exports', () => {
    const expected: Record<string, string> = {
      Gesamt: 'total_count',
      Gesamtmenge: 'total_count',
      Gutmenge: 'good_count',
      Ausschuss: 'scrap_count',
      'Prod.Zeit': 'run_min',
      'Rüst.Zeit': 'setup_min',
      Rüstzeit: 'setup_min',
      'Stillst.Zeit': 'downtime_min',
      Fehlerart: 'defect',
      'Fehlerart-Bez.': 'defect',
      Teilenummer: 'part',
      Buchungsdatum: 'date',
      Anwender: 'operator',
      Bediener: 'operator',
      Werker: 'operator',
      Auftrag: 'order',
      'FA-Nr.': 'order',
      Charge: 'order',
      ts: 'ts_start',
      time: 'ts_start',
      datetime: 'ts_start',
      Zeit: 'ts_start',
      time_stamp: 'ts_start',
      MachineID: 'machine',
      'Machine name': 'machine',
      'Planned Production Time [min]': 'planned_min',
      planned_production_time: 'planned_min',
      'Stillstand in Minuten': 'downtime_min',
      state_duration_minutes: 'duration_min',
      'Downtime reason': 'reason',
      cycle_time: 'cycle_s',
      'Ist-Menge': 'total_count',
      'n.i.O.': 'scrap_count',
    };
    for (const [header, field] of Object.entries(expected))
      expect([header, matchHeader(header)?.canonical]).toEqual([header, field]);
  });

  it('property: a synonym with letters glued on is not claimed through it', () => {
    const words = CANONICAL_FIELDS.flatMap((field) =>
      synonymsOf(field).map((synonym) => ({ field, synonym })),
    );
    const joined = new Set(words.map(({ synonym }) => tokenize(synonym).join('')));
    fc.assert(
      fc.property(
        fc.constantFrom(...words),
        fc.stringMatching(/^[a-z]{1,6}$/),
        fc.boolean(),
        ({ synonym }, glue, before) => {
          const word = tokenize(synonym).join('');
          const header = before ? `${glue}${word}` : `${word}${glue}`;
          // Unless the glued word is itself a listed word, nothing may claim it.
          fc.pre(!joined.has(header));
          expect(matchHeader(header)).toBeUndefined();
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: any order of the columns gives the same mapping', async () => {
    const columns = [
      ['Datum', '03.11.2026', '04.11.2026'],
      ['Maschine', 'Presse 1', 'Presse 2'],
      ['Anlage', 'A1', 'A2'], // a second machine column: which one wins may not depend on the order
      ['Gutmenge', '100', '90'],
      ['Gut', '100', '90'],
      ['Ausschuss', '2', '1'],
      ['Belegungszeit [min]', '480', '480'],
      ['Stillstand [min]', '30', '45'],
      ['Stillstandsgrund', 'Rüsten', 'Störung'],
      ['Temperatur', '21,5', '22,1'],
    ];
    const reference = await mappingOf(
      columns.map((_, line) => columns.map((column) => column[line]).join(';')).join('\n'),
    );
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(columns, { minLength: columns.length }), async (order) => {
        const csv = [0, 1, 2].map((line) => order.map((column) => column[line]).join(';')).join('\n');
        expect(await mappingOf(csv)).toEqual(reference);
      }),
      { numRuns: 60 },
    );
  });

  it('asks the values: a machine column holds labels, a time column parses, a count is a number', async () => {
    const mapped = await mappingOf(
      'Machine;Time;Good;State\n21.5;soon;many;Frei\n22.75;later;few;Gesperrt\n23.5;never;none;Frei\n',
    );
    expect(mapped).toMatchObject({ Machine: null, Time: null, Good: null });
  });
});
