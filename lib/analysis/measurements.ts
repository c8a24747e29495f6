import type { IssueLog } from './issues';
import { Period } from './period';
import type { RowReader } from './reader';
import { individualsChart } from './spc';
import { formatInstant, isMissing, safeText } from './values';

const MAX_CHARACTERISTICS = 20;

/** Measurement series (long: characteristic + value, or wide: one column per characteristic) to control charts. */
export function readMeasurements(read: RowReader, issues: IssueLog) {
  const { table } = read;
  const period = new Period();
  const series = new Map<string, { t: number | null; offset: number; x: number; order: number }[]>();
  const specs = new Map<string, { lsl: number | null; usl: number | null }>();
  const push = (name: string, t: number | null, offset: number, x: number, order: number) => {
    let list = series.get(name);
    if (!list) {
      list = [];
      series.set(name, list);
    }
    list.push({ t, offset, x, order });
  };
  // Wide: unmapped numeric columns are characteristics unless (nearly) constant or mostly empty.
  const wide = read.has('value')
    ? []
    : table.unmappedNumeric.filter((column) => {
        const missing = column.dictionary.map(isMissing);
        const present = new Set<number>();
        let rows = 0;
        for (const code of column.codes)
          if (!missing[code]) {
            rows++;
            present.add(code);
          }
        return rows >= table.rowCount * 0.5 && present.size > 1;
      });
  const wideNames = wide.map((column) => safeText(column.header, 80));
  const valueName = table.byCanonical.get('value')?.header ?? 'value';
  for (let row = 0; row < table.rowCount; row++) {
    const line = table.lines[row] as number;
    const when = read.instant(row, 'start') ?? read.time(row, 'date');
    const t = when?.kind === 'instant' ? when.ms : null;
    const offset = (when?.kind === 'instant' ? when.offset : undefined) ?? Number.NaN;
    if (t !== null) period.widen(t, offset);
    if (read.has('value')) {
      const x = read.number(row, 'value');
      if (x === null) {
        issues.add('MISSING_VALUE', 'warning', line);
        continue;
      }
      const name = safeText(read.text(row, 'characteristic') ?? valueName, 80);
      push(name, t, offset, x, line);
      let spec = specs.get(name);
      if (!spec) {
        spec = { lsl: null, usl: null };
        specs.set(name, spec);
      }
      spec.lsl ??= read.number(row, 'lsl');
      spec.usl ??= read.number(row, 'usl');
    } else {
      for (let i = 0; i < wide.length; i++) {
        const x = read.numberIn(wide[i] as (typeof wide)[number], row);
        if (x !== null) push(wideNames[i] as string, t, offset, x, line);
      }
    }
  }
  const names = [...series.keys()].sort(
    (a, b) => (series.get(b)?.length ?? 0) - (series.get(a)?.length ?? 0) || (a < b ? -1 : 1),
  );
  if (names.length > MAX_CHARACTERISTICS)
    issues.add(
      'CHARACTERISTICS_LIMITED',
      'info',
      undefined,
      `${names.length} characteristics; the ${MAX_CHARACTERISTICS} with most values are charted`,
    );
  const spc = names
    .slice(0, MAX_CHARACTERISTICS)
    .sort()
    .map((name) => {
      const points = [...(series.get(name) ?? [])].sort(
        (a, b) => (a.t ?? 0) - (b.t ?? 0) || a.order - b.order,
      );
      return individualsChart(
        name,
        points.map((point) => ({
          t: point.t === null ? null : formatInstant(point.t, point.offset),
          x: point.x,
        })),
        specs.get(name) ?? { lsl: null, usl: null },
      );
    });
  return { spc, period };
}
