import { compareText } from '../compare';
import { Interner, known } from '../input/interner';
import type { AnalysisOptions } from '../input/options';
import type { RowReader } from '../input/reader';
import type { Column } from '../input/table';
import { formatInstant, isMissing, safeText } from '../input/values';
import type { IssueLog } from '../issues';
import { Period } from '../metrics/period';
import { type ControlChart, individualsChart, MAX_SUBGROUP, type Spec, xbarRChart } from '../metrics/spc';

/** Control charts per file at most (the characteristics with most values); the rest are listed. */
export const MAX_CHARTS = 20;
/** Points listed over all charts at most: a long series lists its latest points (limits use them all). */
const MAX_POINTS_LISTED = 6000;

type Point = { t: number; offset: number; x: number; order: number; subgroup: number };

/**
 * Measurement series to control charts: long (characteristic + value) or wide (one numeric column per
 * characteristic), one series per characteristic and machine (never pooled across machines), in time
 * order when times exist. A subgroup column gives X-bar-R charts. Which series are charted is settled by
 * counting first, so only the charted values are ever collected (a 300-column sensor file has ~700,000).
 */
export function readMeasurements(
  read: RowReader,
  issues: IssueLog,
  options: Pick<AnalysisOptions, 'specs' | 'baseline'>,
) {
  const { table } = read;
  const period = new Period();
  // Wide: unmapped numeric columns are characteristics unless (nearly) constant or mostly empty.
  const wide: Column[] = read.has('value')
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
  const valueColumn = table.byCanonical.get('value');
  const valueName = valueColumn ? safeText(valueColumn.header, 80) : 'value';
  const characteristics = new Interner();
  const machines = new Interner();
  const subgroups = new Interner();
  const machineOf = read.idColumn(['machine'], machines);
  const subgroupOf = read.idColumn(['subgroup'], subgroups);
  const characteristicOf = valueColumn ? read.idColumn(['characteristic'], characteristics) : null;
  const wideIds = wide.map((column) => characteristics.id(safeText(column.header, 80)));
  const valueId = characteristics.id(valueName);
  const values = valueColumn
    ? [read.numberColumn('value')]
    : wide.map((column) => read.numberColumnIn(column));
  const seriesOf = (characteristic: number, machine: number) =>
    characteristic * (machines.names.length + 1) + (machine + 1);

  // Count values per series, then chart the MAX_CHARTS with most values.
  const counts = new Map<number, number>();
  for (let row = 0; row < table.rowCount; row++) {
    const machine = machineOf[row] as number;
    if (characteristicOf) {
      if (Number.isNaN(values[0]?.[row] as number)) {
        issues.add('MISSING_VALUE', 'warning', table.lines[row]);
        continue;
      }
      const id = characteristicOf[row] === -1 ? valueId : (characteristicOf[row] as number);
      const key = seriesOf(id, machine);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    } else
      for (let i = 0; i < values.length; i++) {
        if (Number.isNaN((values[i] as Float64Array)[row] as number)) continue;
        const key = seriesOf(wideIds[i] as number, machine);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
  }
  const nameOf = (key: number) => {
    const characteristic = characteristics.names[Math.floor(key / (machines.names.length + 1))] as string;
    const machine = (key % (machines.names.length + 1)) - 1;
    return { characteristic, machine: machine === -1 ? null : (machines.names[machine] as string) };
  };
  const label = (key: number) => {
    const { characteristic, machine } = nameOf(key);
    return machine === null ? characteristic : `${characteristic} (${machine})`;
  };
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (label(a[0]) < label(b[0]) ? -1 : 1));
  const charted = new Map<number, Point[]>(ranked.slice(0, MAX_CHARTS).map(([key]) => [key, []]));
  if (ranked.length > MAX_CHARTS) {
    const rest = ranked.slice(MAX_CHARTS).map(([key]) => `"${label(key)}"`);
    issues.add(
      'CHARACTERISTICS_LIMITED',
      'info',
      undefined,
      `${ranked.length} series; the ${MAX_CHARTS} with most values are charted. Not charted: ${rest.slice(0, 40).join(', ')}${rest.length > 40 ? `, and ${rest.length - 40} more` : ''}.`,
    );
  }

  const [starts, startOffsets] = [read.instantColumn('start'), read.offsetColumn('start')];
  const [dates, dateOffsets] = [read.instantColumn('date'), read.offsetColumn('date')];
  const fileSpecs = new Map<number, { lsl: number | null; usl: number | null }>();
  const [lsls, usls] = [read.numberColumn('lsl'), read.numberColumn('usl')];
  for (let row = 0; row < table.rowCount; row++) {
    const line = table.lines[row] as number;
    // When: the start (a timestamp, or a date plus a clock time), else the date.
    const start = starts[row] as number;
    const date = dates[row] as number;
    const t = known(start) ? start : date;
    const offset = (known(start) ? startOffsets[row] : dateOffsets[row]) as number;
    if (known(t)) period.widen(t, offset);
    const machine = machineOf[row] as number;
    const subgroup = subgroupOf[row] as number;
    const take = (characteristic: number, x: number) => {
      if (Number.isNaN(x)) return;
      charted.get(seriesOf(characteristic, machine))?.push({ t, offset, x, order: line, subgroup });
    };
    if (characteristicOf) {
      const id = characteristicOf[row] === -1 ? valueId : (characteristicOf[row] as number);
      take(id, values[0]?.[row] as number);
      let spec = fileSpecs.get(id);
      if (!spec) {
        spec = { lsl: null, usl: null };
        fileSpecs.set(id, spec);
      }
      if (spec.lsl === null && known(lsls[row] as number)) spec.lsl = lsls[row] as number;
      if (spec.usl === null && known(usls[row] as number)) spec.usl = usls[row] as number;
    } else
      for (let i = 0; i < values.length; i++)
        take(wideIds[i] as number, (values[i] as Float64Array)[row] as number);
  }

  // The file's limits first; else options.specs by characteristic (or by the value column's header).
  const specsUsed = new Set<string>();
  const specOf = (characteristic: number): Spec => {
    const file = fileSpecs.get(characteristic);
    if (file && (file.lsl !== null || file.usl !== null)) return { ...file, target: null, source: 'file' };
    const names = [characteristics.names[characteristic] as string];
    if (characteristic === valueId && valueColumn) names.push(valueColumn.header);
    const key = names.find((name) => options.specs?.[name] !== undefined);
    const given = key === undefined ? undefined : options.specs?.[key];
    if (key !== undefined) specsUsed.add(key);
    return {
      lsl: given?.lsl ?? null,
      usl: given?.usl ?? null,
      target: given?.target ?? null,
      source: 'options',
    };
  };
  const baseline = options.baseline
    ? 'subgroups' in options.baseline
      ? options.baseline.subgroups
      : options.baseline.points
    : null;
  const maxPoints = Math.min(1000, Math.floor(MAX_POINTS_LISTED / Math.max(1, charted.size)));
  const spc = [...charted.entries()]
    .sort((a, b) => compareText(label(a[0]), label(b[0])))
    .map(([key, points]): ControlChart => {
      points.sort((a, b) => (known(a.t) && known(b.t) ? a.t - b.t : 0) || a.order - b.order);
      const series = nameOf(key);
      const spec = specOf(Math.floor(key / (machines.names.length + 1)));
      const at = (point: Point) => (known(point.t) ? formatInstant(point.t, point.offset) : null);
      const grouped = subgroupsOf(points, at, subgroups.names);
      if (grouped) {
        const { size, groups } = grouped;
        const even = groups.filter((group) => group.values.length === size);
        if (even.length < groups.length)
          issues.add(
            'SUBGROUPS_DROPPED',
            'warning',
            undefined,
            `${label(key)}: ${groups.length - even.length} subgroup(s) not of size ${size} left out of the X-bar-R chart`,
          );
        return xbarRChart(series, even, spec, { baseline, maxPoints });
      }
      return individualsChart(
        series,
        points.map((point) => ({ t: at(point), x: point.x })),
        spec,
        { baseline, maxPoints },
      );
    });
  return { spc, period, specsUsed };
}

/**
 * Subgroups for an X-bar-R chart, in time order, and their size: when the points name subgroups and at
 * least 80 % of them share one size from 2 to 10 (the caller leaves the others out). Null otherwise: the
 * points are charted as individuals.
 */
function subgroupsOf(
  points: Point[],
  at: (point: Point) => string | null,
  names: readonly string[],
): { size: number; groups: { id: string; t: string | null; values: number[] }[] } | null {
  const groups = new Map<number, { id: string; t: string | null; values: number[] }>();
  for (const point of points) {
    if (point.subgroup === -1) return null;
    let group = groups.get(point.subgroup);
    if (!group) {
      group = { id: names[point.subgroup] as string, t: at(point), values: [] };
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
