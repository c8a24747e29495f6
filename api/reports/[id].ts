import { type Readable, readAnalysisFor } from '../../lib/analyses';
import { rerunWithAnswers } from '../../lib/analyses/rerun';
import * as schemas from '../../lib/contracts/requests';
import { isUuid } from '../../lib/crypto';
import { NotFoundError } from '../../lib/db/errors';
import type { ApiKeyScope } from '../../lib/db/schema';
import type { AnalysisReport } from '../../lib/engine';
import { ApiError, handle, type RequestContext } from '../../lib/http';
import { escapeHtml, htmlPage } from '../../lib/http/html';
import { readQuery } from '../../lib/http/input';
import { exportLanguage, type Lang, MESSAGES, pickLanguage, renderReportPage } from '../../lib/report';

export const config = { runtime: 'edge', regions: ['fra1'] };

/** `/reports/{id}` (a rewrite): the report page for people; answers to its questions are posted here. */
export default handle({
  GET: async (request, context) => {
    const query = readQuery(request, schemas.reportQuery);
    const found = await readable(request, query, context);
    if (!found) return notFound(request, query.lang);
    return renderReportPage(view(request, query, found));
  },
  POST: async (request, context) => {
    const query = readQuery(request, schemas.reportQuery);
    const found = await readable(request, query, context, 'analyses:write');
    if (!found) return notFound(request, query.lang);
    const lang = languageOf(request, query.lang, found);
    try {
      const rerun = await rerunWithAnswers(request, context, found, lang);
      return new Response(null, {
        status: 303,
        headers: {
          location: pageHref(rerun.id, lang, found.viewer === 'capability' ? query.access : undefined),
        },
      });
    } catch (error) {
      // A person posted the form: the refusal is shown on the page, above the questions.
      if (!(error instanceof ApiError)) throw error;
      return renderReportPage(
        { ...view(request, query, found), notice: error.message },
        { status: error.status },
      );
    }
  },
});

type Query = { id: string; access?: string | undefined; lang?: Lang | undefined };

async function readable(
  request: Request,
  query: Query,
  context: RequestContext,
  scope: ApiKeyScope = 'analyses:read',
) {
  if (!isUuid(query.id)) return undefined;
  try {
    return await readAnalysisFor(request, context, query.id, query.access, scope);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

const languageOf = (request: Request, lang: Lang | undefined, { analysis }: Readable) =>
  pickLanguage(
    lang ?? null,
    request.headers.get('accept-language'),
    exportLanguage(analysis.status === 'completed' ? (analysis.result as unknown as AnalysisReport) : null),
  );

/** The page's own path: relative, so it stays on whichever host serves it. */
function pageHref(id: string, lang: Lang | undefined, access: string | undefined): string {
  const params = new URLSearchParams();
  if (access) params.set('access', access);
  if (lang) params.set('lang', lang);
  const query = params.toString();
  return `/reports/${id}${query ? `?${query}` : ''}`;
}

function view(request: Request, query: Query, found: Readable) {
  const lang = languageOf(request, query.lang, found);
  const token = found.viewer === 'capability' ? query.access : undefined;
  const { parentId } = found.analysis;
  return {
    analysis: found.analysis,
    lang,
    otherLanguageHref: pageHref(query.id, lang === 'de' ? 'en' : 'de', token),
    formAction: pageHref(query.id, lang, token),
    parentHref: parentId ? pageHref(parentId, lang, token) : undefined,
  };
}

/** No such report, or not for this reader (the same answer, so a link tells nothing). */
function notFound(request: Request, lang: Lang | undefined) {
  const m = MESSAGES[pickLanguage(lang ?? null, request.headers.get('accept-language'))];
  return htmlPage(m.title, `<h1>${escapeHtml(m.title)}</h1><p>${escapeHtml(m.notFound)}</p>`, {
    status: 404,
  });
}
