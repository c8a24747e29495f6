import { type Readable, readAnalysisFor, reportPath } from '../../lib/analyses';
import { rerunWithAnswers } from '../../lib/analyses/rerun';
import * as schemas from '../../lib/contracts/requests';
import type { ApiKeyScope } from '../../lib/contracts/scopes';
import { isUuid } from '../../lib/crypto';
import { openDatabase } from '../../lib/db';
import { NotFoundError } from '../../lib/db/errors';
import type { AnalysisReport } from '../../lib/engine';
import { ApiError, handle, type RequestContext } from '../../lib/http';
import { escapeHtml, htmlPage } from '../../lib/http/html';
import { readQuery } from '../../lib/http/input';
import { kv } from '../../lib/kv';
import { exportLanguage, type Lang, MESSAGES, pickLanguage, renderReportPage } from '../../lib/report';

export const config = { runtime: 'edge', regions: ['fra1'] };

/** `/reports/{id}` (a rewrite): the report page for people; answers to its questions are posted here. */
export default handle(
  {
    GET: async (request, context) => {
      const query = readQuery(request, schemas.reportQuery());
      const found = await readable(request, query, context);
      if (!found) return notFound(request, query.lang);
      return renderReportPage(view(request, query, found));
    },
    POST: async (request, context) => {
      const query = readQuery(request, schemas.reportQuery());
      const found = await readable(request, query, context, 'analyses:write');
      if (!found) return notFound(request, query.lang);
      const lang = languageOf(request, query.lang, found);
      try {
        const rerun = await rerunWithAnswers(request, context, found, lang);
        return new Response(null, {
          status: 303,
          headers: {
            location: reportPath(rerun.id, {
              lang,
              access: found.viewer === 'capability' ? query.access : undefined,
            }),
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
  },
  { stores: { db: openDatabase, kv } },
);

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

function view(request: Request, query: Query, found: Readable) {
  const lang = languageOf(request, query.lang, found);
  const token = found.viewer === 'capability' ? query.access : undefined;
  const { parentId } = found.analysis;
  return {
    analysis: found.analysis,
    lang,
    otherLanguageHref: reportPath(query.id, { lang: lang === 'de' ? 'en' : 'de', access: token }),
    formAction: reportPath(query.id, { lang, access: token }),
    parentHref: parentId ? reportPath(parentId, { lang, access: token }) : undefined,
  };
}

/** No such report, or not for this reader (the same answer, so a link tells nothing). */
function notFound(request: Request, lang: Lang | undefined) {
  const m = MESSAGES[pickLanguage(lang ?? null, request.headers.get('accept-language'))];
  return htmlPage(m.title, `<h1>${escapeHtml(m.title)}</h1><p>${escapeHtml(m.notFound)}</p>`, {
    status: 404,
  });
}
