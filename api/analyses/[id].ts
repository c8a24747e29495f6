import { presentAnalysis, readableAnalysis, removeAnalysis } from '../../lib/analyses';
import { optionalSession, requireSession } from '../../lib/auth/session';
import { schemas } from '../../lib/contracts';
import { isUuid } from '../../lib/crypto';
import { NotFoundError } from '../../lib/db/errors';
import { renameAnalysis } from '../../lib/db/queries';
import { handle, json } from '../../lib/http';
import { readQuery, readSmallBody } from '../../lib/http/input';
import { kv } from '../../lib/kv';

export const config = { runtime: 'edge', regions: ['fra1'] };

/** Vercel passes `[id]` as a query parameter. Anything that is not an id is simply not found. */
function analysisId(request: Request) {
  const query = readQuery(request, schemas.analysisIdQuery);
  if (!isUuid(query.id)) throw new NotFoundError('no such analysis');
  return query;
}

export default handle({
  GET: async (request, { db }) => {
    const { id, access } = analysisId(request);
    const session = await optionalSession(request);
    const analysis = await readableAnalysis(db(), id, { userId: session?.userId, accessToken: access });
    return json(presentAnalysis(analysis, true));
  },
  PATCH: async (request, { db }) => {
    const { id } = analysisId(request);
    const { session } = await requireSession(request);
    const { fileName } = await readSmallBody(request, schemas.renameInput);
    return json(presentAnalysis(await renameAnalysis(db(), id, session.userId, fileName), false));
  },
  DELETE: async (request, { db }) => {
    const { id } = analysisId(request);
    const { session } = await requireSession(request);
    await removeAnalysis(db(), kv(), id, session.userId);
    return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
  },
});
