import type { AnalysisReport } from './report';

/**
 * An optional plain-language summary of a finished report (for an AI summary later). It may only
 * describe the computed numbers: it receives the report and returns text, and nothing it says flows
 * back into the report's figures. Off by default; the engine never calls the network itself.
 */
export interface Narrator {
  readonly name: string;
  describe(report: AnalysisReport): Promise<string>;
}

/** A deterministic narrator from the rule-based insights: useful offline and as a fallback. */
export const insightsNarrator: Narrator = {
  name: 'insights',
  async describe(report) {
    const oee = report.kpis?.overall.oee.value;
    const lines = [
      oee === null || oee === undefined
        ? 'OEE could not be computed from this file.'
        : `Overall OEE is ${(oee * 100).toFixed(1)} %.`,
      ...report.insights.map((insight) => insight.message),
    ];
    return lines.join(' ');
  },
};

/** Adds a narrative when a narrator is given; the report's numbers are untouched. */
export async function withNarrative(
  report: AnalysisReport,
  narrator?: Narrator,
): Promise<AnalysisReport & { narrative?: { by: string; text: string } }> {
  if (!narrator) return report;
  return { ...report, narrative: { by: narrator.name, text: await narrator.describe(report) } };
}
