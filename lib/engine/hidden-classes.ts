import { sampleCollector } from './input/csv';
import { sampleEncoder } from './input/encode';
import { Interner } from './input/interner';
import { RowReader } from './input/reader';
import { HashChains, RepeatIndex } from './input/repeats';
import { StateClassifier } from './input/states';
import { buildTable, sampleRecordCollector } from './input/table';
import { IssueLog } from './issues';
import { Derivations } from './metrics/derivations';
import { KpiAccumulator } from './metrics/kpis';
import { StopLosses } from './metrics/losses';
import { Period } from './metrics/period';
import { DowntimeByReason, ProductionRecords } from './metrics/records';
import { readAggregated } from './shapes/aggregated';
import { readEvents } from './shapes/events';

/** Replaced after each analysis; only held, never read. */
const samples: object[] = [];
const SAMPLE =
  'Beginn;Ende;Datum;Maschine;Schicht;Artikel;Zustand;Gutteile;Ausschuss;Stillstand [min]\n' +
  '2026-01-05 05:00:00;2026-01-05 05:12:00;05.01.2026;M1;F;A;RUN;5;1;1,5\n' +
  '2026-01-05 05:12:00;2026-01-05 05:20:00;05.01.2026;M2;S;B;STOP;6;0;2\n';
const SAMPLE_BYTES = new TextEncoder().encode(SAMPLE);

/**
 * Keeps one small instance of each class the hot loops use alive between analyses. V8 reaches an
 * instance's hidden class through weak transitions from its class's initial map: once an analysis's
 * objects are garbage, a full collection (idle time, memory pressure in a warm instance) frees those
 * hidden classes, and all optimised code that checks for them is thrown away and optimised again on the
 * next analysis (measured: ~150 deoptimisations a run, the whole analysis up to twice as slow). A live
 * instance keeps its hidden class, so the optimised code stays valid. Rebuilt after every analysis, so
 * the samples have the classes as that analysis left them (field representations only generalise).
 */
export function keepHiddenClasses(): void {
  const issues = new IssueLog();
  // Columns of each kind the readers know (times, labels, numbers), so their column views exist too.
  // Encoded from bytes as a UTF-8 upload is (the WebAssembly encoder): kept from text, through the JS
  // encoder, the aggregated reader still met a wrong map after collections and was optimised again in
  // 4-9 of 8 runs in half the processes (which object differs was not found; keeping both tables was
  // no better). Quoted files and workbooks, which the JS encoder reads, go without a sample of theirs.
  const table = buildTable(SAMPLE, ';', issues, { utf8: SAMPLE_BYTES });
  const read = new RowReader(table);
  const classifier = new StateClassifier();
  const derived = new Derivations();
  samples.splice(
    0,
    samples.length,
    issues,
    table,
    read,
    // The state log reader's answer: its object literal's shape, else the reader deoptimises at its end
    // in every run after a collection (options in the shape analyze.ts passes, or that map differs).
    readEvents(read, issues, classifier, { microStopMinutes: 5, sampleHoldMinutes: undefined }),
    // The aggregated reader's, for the same reason (its answer's shape does not depend on the table, so the
    // same sample serves): without it, after each collection the reader was optimised again in 6-8 of 8
    // runs of a 4 MB export, which then took 117-127 ms against 99-108.
    readAggregated(read, issues, derived, classifier),
    // The scanner's three sinks: its optimised code checks for each of them.
    sampleEncoder(issues),
    sampleCollector(),
    sampleRecordCollector(),
    new HashChains(1),
    new RepeatIndex(1),
    new Interner(),
    classifier,
    derived,
    new KpiAccumulator(),
    new StopLosses('events'),
    new Period(),
    new DowntimeByReason(),
    new ProductionRecords(1),
  );
}
