import { describeSample } from './kpis';
import type { RowReader } from './reader';
import { known } from './records';
import type { AnalysisReport } from './report';

/** Cycle-time statistics per machine and part, with the share of cycles slower than 110 % of ideal. */
export function readCycleTimes(read: RowReader): AnalysisReport['cycleTime'] {
  if (!read.has('cycle_s')) return [];
  const groups = new Map<
    string,
    { machine: string | null; part: string | null; values: number[]; ideal: number | null }
  >();
  const ideals = read.idealCycleColumn();
  for (let row = 0; row < read.table.rowCount; row++) {
    const value = read.number(row, 'cycle_s');
    if (value === null || value < 0) continue;
    const machine = read.label(row, 'machine');
    const part = read.label(row, 'part');
    const key = `${machine ?? ''}\u0001${part ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = { machine, part, values: [], ideal: null };
      groups.set(key, group);
    }
    group.values.push(value);
    const ideal = ideals[row] as number;
    if (group.ideal === null && known(ideal)) group.ideal = ideal;
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([, group]) => {
      const stats = describeSample(group.values);
      if (!stats) return [];
      const ideal = group.ideal;
      return [
        {
          machine: group.machine,
          part: group.part,
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
