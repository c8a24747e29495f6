import {
  POLL_AFTER_SECONDS,
  presentDetail,
  presentSummary,
  readableAnalysis,
  removeAnalysis,
  renewCapability,
  statusUrlOf,
  submitterHash,
} from '../../lib/analyses';
import { optionalSession, requireSession } from '../../lib/auth/session';
import { config as appConfig } from '../../lib/config';
import * as schemas from '../../lib/contracts/requests';
import { isUuid } from '../../lib/crypto';
import { NotFoundError } from '../../lib/db/errors';
import { getAnalysisById, getUserById, renameAnalysis } from '../../lib/db/queries';
import { cacheableJson, handle, json } from '../../lib/http';
import { readQuery, readSmallBody } from '../../lib/http/input';

export const config = { runtime: 'edge', regions: ['fra1'] };

/** Vercel passes `[id]` as a query parameter. Anything that is not an id is simply not found. */
function analysisId(request: Request) {
  const query = readQuery(request, schemas.analysisIdQuery);
  if (!isUuid(query.id)) throw new NotFoundError('no such analysis');
  return query;
}

/** How long a browser may reuse a finished analysis before it revalidates (a rename shows after). */
const FINISHED_MAX_AGE_SECONDS = 60;

export default handle(
  {
    GET: async (request, { db, kv }) => {
      const { id, access } = analysisId(request);
      // The session and the row at once (one round trip); the row is authorised in memory.
      const [session, row] = await Promise.all([optionalSession(request, kv()), getAnalysisById(db(), id)]);
      const { identifierSecret, analyses } = appConfig();
      const { analysis, viewer } = await readableAnalysis(db(), row, {
        userId: session?.userId,
        accessToken: access,
        retentionMs: analyses.retentionMs,
        // Opening a submission's link signed in with the address it was made with claims it.
        claimant: session
          ? async () => {
              const user = await getUserById(db(), session.userId);
              return (
                user && { userId: user.id, submitterHash: await submitterHash(user.email, identifierSecret) }
              );
            }
          : undefined,
      });
      const presented = presentDetail(analysis, viewer);
      if (analysis.status === 'pending')
        return json(presented, { headers: { 'retry-after': String(POLL_AFTER_SECONDS) } });
      // A finished analysis changes only when renamed: reusable privately, revalidated by its ETag.
      return cacheableJson(request, presented, `private, max-age=${FINISHED_MAX_AGE_SECONDS}`);
    },
    // Rename, or `{"access": "renew"}`: a new capability link (the old one stops working).
    PATCH: async (request, { db, kv }) => {
      const { id } = analysisId(request);
      const { session } = await requireSession(request, kv());
      const update = await readSmallBody(request, schemas.analysisUpdate);
      let analysis = update.fileName
        ? await renameAnalysis(db(), id, session.userId, update.fileName)
        : undefined;
      if (update.access !== 'renew') return json(presentSummary(analysis as NonNullable<typeof analysis>));
      const renewed = await renewCapability(db(), id, session.userId);
      analysis = renewed.analysis;
      return json({
        ...presentSummary(analysis),
        statusUrl: statusUrlOf(appConfig().appUrl, id, renewed.capabilityToken),
      });
    },
    DELETE: async (request, { db, kv }) => {
      const { id } = analysisId(request);
      const { session } = await requireSession(request, kv());
      await removeAnalysis(db(), kv(), id, session.userId);
      return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
    },
  },
  // The pages of registered form origins poll the report they submitted.
  { cors: () => appConfig().forms.allowedOrigins },
);
