import type { AnalysisOptions } from './input/options';
import type { AnalysisReport } from './report';

export { ENGINE_VERSION, MAX_INPUT_BYTES, SCHEMA_VERSION } from './contract';
export { AnalysisInputError, type InputErrorCode } from './errors';
export { CANONICAL_FIELDS, type Canonical } from './input/fields';
export {
  type AnalysisOptions,
  analysisOptions,
  canonicalOptions,
  type MappingOverride,
} from './input/options';
export { insightsNarrator, type Narrator, withNarrative } from './narrative';
export type { AnalysisReport } from './report';

/**
 * A manufacturing CSV export (or workbook) to an explainable KPI report: see analyze.ts. The pipeline is
 * imported by the first analysis an instance runs, so the functions that carry the engine (intake,
 * report page) start without evaluating it, and a request that never analyses never does.
 */
export async function analyzeCsv(
  bytes: Uint8Array,
  options: AnalysisOptions & { fileName?: string } = {},
): Promise<AnalysisReport> {
  return (await import('./analyze')).analyzeCsv(bytes, options);
}

/**
 * The upload's cheap checks before anything is stored or counted (see input/screen.ts), imported on
 * first use like the pipeline: the reader they run (decoder, scanner, workbook reader) is most of the
 * engine's input stage, and evaluating it at cold start cost every function that carries the engine.
 */
export async function screenUpload(bytes: Uint8Array): Promise<void> {
  return (await import('./input/screen')).screenUpload(bytes);
}
