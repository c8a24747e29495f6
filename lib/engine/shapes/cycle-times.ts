import { compareText } from '../compare';
import { Interner, known } from '../input/interner';
import type { RowReader } from '../input/reader';
import type { IssueLog } from '../issues';
import { describeSample, MAX_GROUPS } from '../metrics/kpis';
import type { AnalysisReport } from '../report';

/**
 * Cycle-time statistics per machine and part (at most MAX_GROUPS combinations, most cycles first), with
 * the share of cycles slower than 110 % of ideal. A cycle of zero or fewer seconds is no cycle (a PLC
 * writes 0 when idle): left out and reported. Combinations are counted first, so only the listed ones
 * collect their values.
 */
export function readCycleTimes(read: RowReader, issues: IssueLog): AnalysisReport['cycleTime'] {
  if (!read.has('cycle_s')) return [];
  const { rowCount } = read.table;
  const cycles = read.numberColumn('cycle_s');
  const [machines, parts] = [new Interner(), new Interner()];
  const machineOf = read.idColumn(['machine'], machines);
  const partOf = read.idColumn(['part'], parts);
  const keyOf = (row: number) =>
    ((machineOf[row] as number) + 1) * (parts.names.length + 1) + (partOf[row] as number) + 1;
  const label = (key: number) => {
    const [machine, part] = [
      Math.floor(key / (parts.names.length + 1)) - 1,
      (key % (parts.names.length + 1)) - 1,
    ];
    return { machine: machines.names[machine] ?? null, part: parts.names[part] ?? null };
  };
  let notPositive = 0;
  const counts = new Map<number, number>();
  for (let row = 0; row < rowCount; row++) {
    const value = cycles[row] as number;
    if (Number.isNaN(value)) continue;
    if (!(value > 0)) notPositive++;
    else counts.set(keyOf(row), (counts.get(keyOf(row)) ?? 0) + 1);
  }
  if (notPositive > 0)
    issues.add(
      'CYCLE_TIME_NOT_POSITIVE',
      'warning',
      undefined,
      `${notPositive} cycle time(s) of zero or less were left out of the cycle-time statistics.`,
    );
  const text = (key: number) => {
    const { machine, part } = label(key);
    return `${machine ?? ''}\u0001${part ?? ''}`;
  };
  let keys = [...counts.keys()];
  if (keys.length > MAX_GROUPS) {
    issues.add(
      'CYCLE_GROUPS_LIMITED',
      'info',
      undefined,
      `${keys.length} machine and part combinations have cycle times; the ${MAX_GROUPS} with most cycles are listed.`,
    );
    keys = keys
      .sort((a, b) => (counts.get(b) as number) - (counts.get(a) as number) || (text(a) < text(b) ? -1 : 1))
      .slice(0, MAX_GROUPS);
  }
  const groups = new Map(keys.map((key) => [key, { values: [] as number[], ideal: Number.NaN }]));
  const ideals = read.idealCycleColumn();
  for (let row = 0; row < rowCount; row++) {
    const value = cycles[row] as number;
    if (!(value > 0)) continue;
    const group = groups.get(keyOf(row));
    if (!group) continue;
    group.values.push(value);
    if (!known(group.ideal)) group.ideal = ideals[row] as number;
  }
  return [...groups.entries()]
    .sort(([a], [b]) => compareText(text(a), text(b)))
    .flatMap(([key, group]) => {
      const stats = describeSample(group.values);
      if (!stats) return [];
      const ideal = known(group.ideal) ? group.ideal : null;
      return [
        {
          ...label(key),
          n: stats.n,
          mean: stats.mean,
          p50: stats.p50,
          p95: stats.p95,
          sd: stats.sd,
          cv: stats.cv,
          idealCt: ideal,
          slowShare: ideal === null ? null : group.values.filter((v) => v > 1.1 * ideal).length / stats.n,
        },
      ];
    });
}
