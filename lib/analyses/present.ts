import type { AnalysisDetail, AnalysisSummary } from '../contracts/responses';
import type { Analysis } from '../db/schema';
import type { AnalysisReport } from '../engine/report';

export type Viewer = 'owner' | 'capability';

/** Seconds a client waits before polling a pending analysis (Retry-After): most finish within them. */
export const POLL_AFTER_SECONDS = 2;

/**
 * An analysis as clients see it (the response contract's type), without its report. The content hash
 * only for its owner: it would tell a link holder which file this is. Kept apart from the intake so
 * the account functions do not bundle the engine.
 */
export function presentSummary(analysis: Analysis, link: Link): AnalysisSummary {
  const viewer = link.viewer ?? 'owner';
  const report = analysis.status === 'completed' ? (analysis.result as AnalysisReport | null) : null;
  return {
    id: analysis.id,
    fileName: analysis.fileName,
    status: analysis.status,
    sizeBytes: analysis.sizeBytes,
    ...(viewer === 'owner' ? { contentHash: analysis.contentHash } : {}),
    analyzerVersion: analysis.analyzerVersion,
    createdAt: analysis.createdAt.toISOString(),
    completedAt: analysis.completedAt?.toISOString() ?? null,
    error:
      analysis.status === 'failed'
        ? { code: analysis.errorCode ?? 'ANALYSIS_FAILED', message: analysis.error ?? 'The analysis failed.' }
        : null,
    oee: report?.kpis?.overall.oee.value ?? null,
    parentId: analysis.parentId,
    reportUrl: reportUrlOf(link.appUrl, analysis.id, viewer === 'owner' ? null : (link.token ?? null)),
  };
}

/** Who reads, for the links in an answer: the owner, or a link holder with their token. */
export type Link = { appUrl: string; viewer?: Viewer; token?: string | null };

/** The same with its report (null until completed). The stored JSON is the engine's report. */
export function presentDetail(analysis: Analysis, link: Link): AnalysisDetail {
  return { ...presentSummary(analysis, link), result: (analysis.result as AnalysisReport | null) ?? null };
}

/** The report page (`/reports/[id]`, a rewrite to `api/reports/[id]`), with the reader's token if any. */
export const reportUrlOf = (appUrl: string, id: string, token: string | null): string =>
  new URL(reportPath(id, { access: token ?? undefined }), appUrl).href;

/** The report page's path, relative (so a page links to itself on whichever host serves it). */
export function reportPath(
  id: string,
  query: { access?: string | undefined; lang?: string | undefined } = {},
): string {
  const params = new URLSearchParams();
  if (query.access) params.set('access', query.access);
  if (query.lang) params.set('lang', query.lang);
  const search = params.toString();
  return `/reports/${id}${search ? `?${search}` : ''}`;
}

/** Where an analysis is read: built from APP_URL (never the request's Host), with its token if any. */
export const statusUrlOf = (appUrl: string, id: string, token: string | null): string =>
  new URL(`/api/analyses/${id}${token ? `?access=${token}` : ''}`, appUrl).href;
