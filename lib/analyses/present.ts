import type { Analysis } from '../db/schema';

/**
 * The JSON shape of an analysis for clients and for the data export; the report only when asked for.
 * Kept apart from the intake so the account functions do not bundle the engine.
 */
export function presentAnalysis(analysis: Analysis, withResult: boolean) {
  return {
    id: analysis.id,
    fileName: analysis.fileName,
    status: analysis.status,
    sizeBytes: analysis.sizeBytes,
    contentHash: analysis.contentHash,
    analyzerVersion: analysis.analyzerVersion,
    createdAt: analysis.createdAt.toISOString(),
    completedAt: analysis.completedAt?.toISOString() ?? null,
    error: analysis.error,
    ...(withResult ? { result: analysis.result } : {}),
  };
}
