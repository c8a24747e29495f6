import { compareText } from './compare';
import type { GroupedKpis } from './metrics/kpis';
import type { AnalysisReport, Insight } from './report';

/** Rule-based insights, each with the evidence that triggered it; narrators may only retell these. */
export function insightsFor(report: AnalysisReport): Insight[] {
  const insights: Insight[] = [];
  const pct = (value: number) => `${(value * 100).toFixed(1)} %`;
  const top = report.downtimePareto?.items[0];
  if (top && top.share >= 0.2) {
    insights.push({
      id: 'TOP_DOWNTIME_REASON',
      severity: top.share >= 0.4 ? 'high' : 'medium',
      kpi: 'availability',
      message: `"${top.reason}" causes ${pct(top.share)} of all downtime (${top.minutes.toFixed(0)} min).`,
      evidence: { reason: top.reason, minutes: top.minutes, share: top.share, events: top.events },
    });
  }
  const overall = report.kpis?.overall;
  if (overall?.performance.status === 'warning' && overall.performance.value !== null) {
    insights.push({
      id: 'IDEAL_CT_TOO_SLOW',
      severity: 'medium',
      kpi: 'performance',
      message: `Performance is ${pct(overall.performance.value)}, above 100 %: the ideal cycle time is probably set too slow.`,
      evidence: { performance: overall.performance.value },
    });
  }
  if (overall?.scrapRate.value != null && overall.scrapRate.value > 0.05) {
    insights.push({
      id: 'HIGH_SCRAP_RATE',
      severity: overall.scrapRate.value > 0.1 ? 'high' : 'medium',
      kpi: 'quality',
      message: `Scrap rate is ${pct(overall.scrapRate.value)}.`,
      evidence: {
        scrap: overall.scrapRate.numerator,
        total: overall.scrapRate.denominator,
        rate: overall.scrapRate.value,
      },
    });
  }
  const machines = (report.kpis?.byMachine ?? []).filter(
    (group) => group.oee.value !== null && group.groups === undefined, // not the summed "(other)" entry
  );
  if (machines.length >= 2 && overall?.oee.value != null) {
    const worst = machines.reduce((a, b) => ((b.oee.value as number) < (a.oee.value as number) ? b : a));
    const gap = overall.oee.value - (worst.oee.value as number);
    if (gap >= 0.05) {
      const weakest = (['availability', 'performance', 'quality'] as const).reduce((a, b) =>
        (worst[b].value ?? 1) < (worst[a].value ?? 1) ? b : a,
      );
      insights.push({
        id: 'WORST_MACHINE',
        severity: gap >= 0.15 ? 'high' : 'medium',
        kpi: 'oee',
        message: `${worst.key} has the lowest OEE (${pct(worst.oee.value as number)} vs ${pct(overall.oee.value)} overall); its weakest factor is ${weakest}.`,
        evidence: {
          machine: worst.key,
          oee: worst.oee.value,
          overall: overall.oee.value,
          weakest,
          weakestValue: worst[weakest].value,
        },
      });
    }
  }
  for (const chart of report.spc) {
    const violations = Object.values(chart.violationCounts).reduce((sum, count) => sum + count, 0);
    const name = chart.machine === null ? chart.characteristic : `${chart.characteristic} (${chart.machine})`;
    if (violations > 0) {
      insights.push({
        id: 'SPC_OUT_OF_CONTROL',
        severity: (chart.violationCounts.WE1 ?? 0) > 0 ? 'high' : 'medium',
        kpi: null,
        message: `${name}: ${violations} control rule violation(s) (Western Electric / Nelson); the process is not in statistical control.`,
        evidence: {
          characteristic: chart.characteristic,
          machine: chart.machine,
          counts: chart.violationCounts,
          violations: chart.violations.slice(0, 10),
        },
      });
    }
    const index = chart.capability?.cpk ?? chart.capability?.cpu ?? chart.capability?.cpl;
    if (index != null && index < 1.33) {
      insights.push({
        id: 'NOT_CAPABLE',
        severity: index < 1 ? 'high' : 'medium',
        kpi: null,
        message: `${name}: capability index ${index.toFixed(2)} is below 1.33.`,
        evidence: { characteristic: chart.characteristic, capability: chart.capability },
      });
    }
  }
  const order = { high: 0, medium: 1, low: 2 };
  return insights.sort((a, b) => order[a.severity] - order[b.severity] || compareText(a.id, b.id));
}

export function chartsFor(report: AnalysisReport): AnalysisReport['charts'] {
  const charts: AnalysisReport['charts'] = [];
  // A chart is listed only when it has data to draw.
  const kpis = report.kpis;
  const drawn = (groups: GroupedKpis[], kpi: 'oee' | 'scrapRate' | 'availability') =>
    groups.filter((group) => group[kpi].value !== null).length;
  if (kpis && drawn(kpis.byPeriod, 'oee') > 1)
    charts.push({ id: 'oeeTrend', type: 'line', dataRef: 'kpis.byPeriod' });
  if (report.losses.waterfall.length > 0)
    charts.push({ id: 'lossWaterfall', type: 'waterfall', dataRef: 'losses.waterfall' });
  if (kpis && drawn(kpis.byMachine, 'availability') + drawn(kpis.byMachine, 'oee') > 0)
    charts.push({ id: 'apqByMachine', type: 'bar', dataRef: 'kpis.byMachine' });
  if (report.downtimePareto)
    charts.push({ id: 'downtimePareto', type: 'pareto', dataRef: 'downtimePareto.items' });
  if (report.downtimeByMachine && report.downtimeByMachine.machines.length > 1)
    charts.push({ id: 'downtimeHeatmap', type: 'heatmap', dataRef: 'downtimeByMachine' });
  if (kpis && drawn(kpis.byPeriod, 'scrapRate') > 1)
    charts.push({ id: 'scrapTrend', type: 'line', dataRef: 'kpis.byPeriod' });
  if (report.scrapPareto) charts.push({ id: 'scrapPareto', type: 'pareto', dataRef: 'scrapPareto.items' });
  if (report.cycleTime.length > 0)
    charts.push({ id: 'cycleTimeBoxplot', type: 'boxplot', dataRef: 'cycleTime' });
  if (report.reliability.some((entry) => entry.mtbfMin !== null))
    charts.push({ id: 'mtbfMttr', type: 'scatter', dataRef: 'reliability' });
  report.spc.forEach((chart, index) => {
    if (chart.status === 'ok')
      charts.push({
        id: `${chart.chart === 'I-MR' ? 'imr' : 'xbar-r'}-${index}`,
        type: 'control',
        dataRef: `spc.${index}`,
      });
    if (chart.capability && chart.status === 'ok')
      charts.push({ id: `capability-${index}`, type: 'histogram', dataRef: `spc.${index}.points` });
  });
  return charts;
}
