import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Analysis, AnalysisResult } from '../../lib/db/schema';
import { analyzeCsv, ENGINE_VERSION } from '../../lib/engine';
import { renderReportPage } from '../../lib/report';
import { PROJECT_ROOT } from '../paths';
import { generateEventLogCsv, generateProductionCsv } from '../test-support/production-csv';
import { median } from './stats';

const ROUNDS = 7;

/**
 * The report page's render time against the analysis of the same file, in one process, warm medians
 * (a first run of each primes the JIT): what a reader waits for beyond the stored report, and how big
 * the page is.
 */
export async function benchReportPage(): Promise<void> {
  const fixture = (path: string) => new Uint8Array(readFileSync(join(PROJECT_ROOT, 'tests/fixtures', path)));
  const inputs: [string, Uint8Array][] = [
    ['german-bde.csv (fixture)', fixture('analysis/german-bde.csv')],
    ['company_A (real, 14,492 rows)', fixture('realdata/company_A_labelled_subset.csv')],
    ['pistonrings (real, SPC)', fixture('realdata/pistonrings.csv')],
    ['generated 4 MB export', new TextEncoder().encode(generateProductionCsv(4 * 1024 * 1024))],
    ['generated 4 MB state log', new TextEncoder().encode(generateEventLogCsv(4 * 1024 * 1024))],
  ];
  console.log(
    `\nReport page render vs the analysis of the same file (warm medians of ${ROUNDS}, one process)`,
  );
  for (const [name, bytes] of inputs) {
    const analyses: number[] = [];
    const renders: number[] = [];
    let page = '';
    for (let round = 0; round <= ROUNDS; round++) {
      let started = performance.now();
      const report = await analyzeCsv(bytes, { fileName: name });
      const analysed = performance.now() - started;
      const analysis: Analysis = {
        id: crypto.randomUUID(),
        userId: null,
        submitterHash: null,
        fileName: name,
        contentHash: report.input.sha256,
        sizeBytes: bytes.length,
        status: 'completed',
        result: report as unknown as AnalysisResult,
        error: null,
        errorCode: null,
        analyzerVersion: ENGINE_VERSION,
        capabilityHash: null,
        parentId: null,
        createdAt: new Date(),
        completedAt: new Date(),
      };
      started = performance.now();
      const response = await renderReportPage({
        analysis,
        lang: 'de',
        otherLanguageHref: '/reports/x?lang=en',
        formAction: '/reports/x',
      });
      page = await response.text();
      const rendered = performance.now() - started;
      if (round === 0) continue; // the first of each warms up
      analyses.push(analysed);
      renders.push(rendered);
    }
    const [analysis, render] = [median(analyses), median(renders)];
    console.log(
      `${name.padEnd(32)} analysis ${analysis.toFixed(1).padStart(7)} ms   render ${render.toFixed(2).padStart(6)} ms   ratio ${(render / analysis).toFixed(3)}x   page ${(page.length / 1024).toFixed(0)} KB (${(gzipSync(page).length / 1024).toFixed(0)} KB gzip)`,
    );
  }
}
