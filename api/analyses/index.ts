import { presentAnalysis } from '../../lib/analyses';
import { acceptUpload } from '../../lib/analyses/intake';
import { requireSession } from '../../lib/auth/session';
import { config as appConfig } from '../../lib/config';
import * as schemas from '../../lib/contracts/requests';
import { decodeCursor, listAnalysesPage } from '../../lib/db/queries';
import { ApiError, handle, json } from '../../lib/http';
import { crossOrigin, preflight } from '../../lib/http/cors';
import { redirectWith } from '../../lib/http/forms';
import { readQuery } from '../../lib/http/input';

export const config = { runtime: 'edge', regions: ['fra1'] };

export default handle(
  {
    OPTIONS: (request) => preflight(request, appConfig().forms.allowedOrigins, 'POST, OPTIONS'),

    POST: async (request, context) => {
      const result = await acceptUpload(request, context);
      if (result.kind === 'redirect')
        return redirectWith(result.to, result.query, result.headers, result.fragment);
      return json(result.body, { status: result.status, headers: result.headers });
    },

    GET: async (request, { db, kv }) => {
      const { session } = await requireSession(request, kv());
      const query = readQuery(request, schemas.listQuery);
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      if (query.cursor !== undefined && !after)
        throw new ApiError('bad_request', 'cursor: not a cursor from this API.');
      const page = await listAnalysesPage(db(), session.userId, {
        limit: query.limit,
        after,
        status: query.status,
      });
      return json({
        items: page.items.map((analysis) => presentAnalysis(analysis, false)),
        nextCursor: page.nextCursor,
      });
    },
  },
  // Registered form origins get CORS headers on every answer, refusals included.
  { cors: (request) => crossOrigin(request, appConfig().forms.allowedOrigins).headers },
);
