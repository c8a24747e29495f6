import type { IssueLog } from './issues';
import { Period } from './period';
import type { RowReader } from './reader';
import { known } from './records';
import { individualsChart, MAX_SUBGROUP, xbarRChart } from './spc';
import { formatInstant, isMissing, safeText } from './values';

const MAX_CHARACTERISTICS = 20;

/** Measurement series (long: characteristic + value, or wide: one column per characteristic) to control charts. */
export function readMeasurements(read: RowReader, issues: IssueLog) {
  const { table } = read;
  const period = new Period();
  const series = new Map<
    string,
    { t: number | null; offset: number; x: number; order: number; subgroup: string | null }[]
  >();
  const specs = new Map<string, { lsl: number | null; usl: number | null }>();
  const push = (
    name: string,
    t: number | null,
    offset: number,
    x: number,
    order: number,
    subgroup: string | null = null,
  ) => {
    let list = series.get(name);
    if (!list) {
      list = [];
      series.set(name, list);
    }
    list.push({ t, offset, x, order, subgroup });
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
  const wideValues = wide.map((column) => read.numberColumnIn(column));
  const valueName = table.byCanonical.get('value')?.header ?? 'value';
  const [starts, startOffsets] = [read.instantColumn('start'), read.offsetColumn('start')];
  const [dates, dateOffsets] = [read.instantColumn('date'), read.offsetColumn('date')];
  for (let row = 0; row < table.rowCount; row++) {
    const line = table.lines[row] as number;
    // When: the start (a timestamp, or a date plus a clock time), else the date.
    const start = starts[row] as number;
    const date = dates[row] as number;
    const t = known(start) ? start : known(date) ? date : null;
    const offset = (known(start) ? startOffsets[row] : dateOffsets[row]) as number;
    if (t !== null) period.widen(t, offset);
    if (read.has('value')) {
      const x = read.number(row, 'value');
      if (x === null) {
        issues.add('MISSING_VALUE', 'warning', line);
        continue;
      }
      const name = safeText(read.text(row, 'characteristic') ?? valueName, 80);
      push(name, t, offset, x, line, read.label(row, 'subgroup'));
      let spec = specs.get(name);
      if (!spec) {
        spec = { lsl: null, usl: null };
        specs.set(name, spec);
      }
      spec.lsl ??= read.number(row, 'lsl');
      spec.usl ??= read.number(row, 'usl');
    } else {
      for (let i = 0; i < wide.length; i++) {
        const x = (wideValues[i] as Float64Array)[row] as number;
        if (!Number.isNaN(x)) push(wideNames[i] as string, t, offset, x, line);
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
      const spec = specs.get(name) ?? { lsl: null, usl: null };
      const at = (point: (typeof points)[number]) =>
        point.t === null ? null : formatInstant(point.t, point.offset);
      const subgroups = subgroupsOf(points, at);
      if (subgroups) {
        const { size, groups } = subgroups;
        const even = groups.filter((group) => group.values.length === size);
        if (even.length < groups.length)
          issues.add(
            'SUBGROUPS_DROPPED',
            'warning',
            undefined,
            `${name}: ${groups.length - even.length} subgroup(s) not of size ${size} left out of the X-bar-R chart`,
          );
        return xbarRChart(name, even, spec);
      }
      return individualsChart(
        name,
        points.map((point) => ({ t: at(point), x: point.x })),
        spec,
      );
    });
  return { spc, period };
}

/**
 * Subgroups for an X-bar-R chart, in time order, and their size: when the points name subgroups and at
 * least 80 % of them share one size from 2 to 10 (the caller leaves the others out). Null otherwise: the
 * points are charted as individuals.
 */
function subgroupsOf<P extends { x: number; subgroup: string | null }>(
  points: P[],
  at: (point: P) => string | null,
): { size: number; groups: { id: string; t: string | null; values: number[] }[] } | null {
  const groups = new Map<string, { id: string; t: string | null; values: number[] }>();
  for (const point of points) {
    if (point.subgroup === null) return null;
    let group = groups.get(point.subgroup);
    if (!group) {
      group = { id: point.subgroup, t: at(point), values: [] };
      groups.set(point.subgroup, group);
    }
    group.values.push(point.x);
  }
  const sizes = new Map<number, number>();
  for (const group of groups.values())
    sizes.set(group.values.length, (sizes.get(group.values.length) ?? 0) + 1);
  const [size, count] = [...sizes.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0] ?? [0, 0];
  if (size < 2 || size > MAX_SUBGROUP || count < groups.size * 0.8) return null;
  return { size, groups: [...groups.values()] };
}
