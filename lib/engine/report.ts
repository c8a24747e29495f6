import type * as z from 'zod';
import type { analysisReport, insight } from '../contracts/report';

/**
 * The engine's output. Its schema (lib/contracts/report.ts) is the contract the API documents; the type
 * is derived from it (a type-only import: the engine never loads the schema).
 */
export type AnalysisReport = z.output<typeof analysisReport>;
export type Insight = z.output<typeof insight>;
export type Shape = AnalysisReport['input']['shape'];
