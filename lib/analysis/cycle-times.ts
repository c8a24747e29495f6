import type { IssueLog } from './issues';
import { describeSample } from './kpis';
import type { RowReader } from './reader';
import { known } from './records';
import type { AnalysisReport } from './report';

/** Machine x part groups listed at most (most cycles first). */
const MAX_CYCLE_GROUPS = 250;

/**
 * Cycle-time statistics per machine and part, with the share of cycles slower than 110 % of ideal.
 * A cycle of zero or fewer seconds is no cycle (a PLC writes 0 when idle): left out and reported.
 */
export function readCycleTimes(read: RowReader, issues: IssueLog): AnalysisReport['cycleTime'] {
  if (!read.has('cycle_s')) return [];
  let notPositive = 0;
  const groups = new Map<
    string,
    { machine: string | null; part: string | null; values: number[]; ideal: number | null }
  >();
  const ideals = read.idealCycleColumn();
  for (let row = 0; row < read.table.rowCount; row++) {
    const value = read.number(row, 'cycle_s');
    if (value === null) continue;
    if (!(value > 0)) {
      notPositive++;
      continue;
    }
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
  if (notPositive > 0)
    issues.add(
      'CYCLE_TIME_NOT_POSITIVE',
      'warning',
      undefined,
      `${notPositive} cycle time(s) of zero or less were left out of the cycle-time statistics.`,
    );
  let listed = [...groups.entries()];
  if (listed.length > MAX_CYCLE_GROUPS) {
    issues.add(
      'CYCLE_GROUPS_LIMITED',
      'info',
      undefined,
      `${listed.length} machine and part combinations have cycle times; the ${MAX_CYCLE_GROUPS} with most cycles are listed.`,
    );
    listed = listed
      .sort(([ka, a], [kb, b]) => b.values.length - a.values.length || (ka < kb ? -1 : 1))
      .slice(0, MAX_CYCLE_GROUPS);
  }
  return listed
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
