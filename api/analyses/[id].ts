import {
  POLL_AFTER_SECONDS,
  presentDetail,
  presentSummary,
  readAnalysisFor,
  removeAnalysis,
  renewCapability,
  statusUrlOf,
} from '../../lib/analyses';
import { requireCaller } from '../../lib/auth/session';
import { config as appConfig } from '../../lib/config';
import * as schemas from '../../lib/contracts/requests';
import { isUuid } from '../../lib/crypto';
import { openDatabase } from '../../lib/db';
import { NotFoundError } from '../../lib/db/errors';
import { renameAnalysis } from '../../lib/db/queries';
import { cacheableJson, handle, json } from '../../lib/http';
import { readQuery, readSmallBody } from '../../lib/http/input';
import { kv } from '../../lib/kv';

export const config = { runtime: 'edge', regions: ['fra1'] };

/** Vercel passes `[id]` as a query parameter. Anything that is not an id is simply not found. */
function analysisId(request: Request) {
  const query = readQuery(request, schemas.analysisIdQuery());
  if (!isUuid(query.id)) throw new NotFoundError('no such analysis');
  return query;
}

/** How long a browser may reuse a finished analysis before it revalidates (a rename shows after). */
const FINISHED_MAX_AGE_SECONDS = 60;

export default handle(
  {
    GET: async (request, context) => {
      const { id, access } = analysisId(request);
      const { analysis, viewer } = await readAnalysisFor(request, context, id, access);
      const presented = presentDetail(analysis, { appUrl: appConfig().appUrl, viewer, token: access });
      if (analysis.status === 'pending')
        return json(presented, { headers: { 'retry-after': String(POLL_AFTER_SECONDS) } });
      // A finished analysis changes only when renamed: reusable privately, revalidated by its ETag.
      return cacheableJson(request, presented, `private, max-age=${FINISHED_MAX_AGE_SECONDS}`);
    },
    // Rename, or `{"access": "renew"}`: a new capability link (the old one stops working).
    PATCH: async (request, context) => {
      const { db } = context;
      const { id } = analysisId(request);
      const session = await requireCaller(request, context, 'analyses:write');
      const update = await readSmallBody(request, schemas.analysisUpdate());
      let analysis = update.fileName
        ? await renameAnalysis(await db(), id, session.userId, update.fileName)
        : undefined;
      const { appUrl } = appConfig();
      if (update.access !== 'renew')
        return json(presentSummary(analysis as NonNullable<typeof analysis>, { appUrl }));
      const renewed = await renewCapability(await db(), id, session.userId);
      analysis = renewed.analysis;
      return json({
        ...presentSummary(analysis, { appUrl }),
        statusUrl: statusUrlOf(appUrl, id, renewed.capabilityToken),
      });
    },
    DELETE: async (request, context) => {
      const { db, kv } = context;
      const { id } = analysisId(request);
      const session = await requireCaller(request, context, 'analyses:write');
      await removeAnalysis(await db(), kv(), id, session.userId);
      return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
    },
  },
  // The pages of registered form origins poll the report they submitted.
  { cors: () => appConfig().forms.allowedOrigins, stores: { db: openDatabase, kv } },
);
