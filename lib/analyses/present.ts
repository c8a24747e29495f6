import type { Analysis } from '../db/schema';

/**
 * The JSON shape of an analysis for clients and for the data export; the report only when asked for.
 * The content hash only for its owner: it would tell a link holder which file this is. Kept apart from
 * the intake so the account functions do not bundle the engine.
 */
export function presentAnalysis(
  analysis: Analysis,
  withResult: boolean,
  viewer: 'owner' | 'capability' = 'owner',
) {
  return {
    id: analysis.id,
    fileName: analysis.fileName,
    status: analysis.status,
    sizeBytes: analysis.sizeBytes,
    ...(viewer === 'owner' ? { contentHash: analysis.contentHash } : {}),
    analyzerVersion: analysis.analyzerVersion,
    createdAt: analysis.createdAt.toISOString(),
    completedAt: analysis.completedAt?.toISOString() ?? null,
    error: analysis.error,
    ...(withResult ? { result: analysis.result } : {}),
  };
}

/** Where an analysis is read: built from APP_URL (never the request's Host), with its token if any. */
export const statusUrlOf = (appUrl: string, id: string, token: string | null): string =>
  new URL(`/api/analyses/${id}${token ? `?access=${token}` : ''}`, appUrl).href;
