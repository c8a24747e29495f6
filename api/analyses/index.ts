import { presentSummary } from '../../lib/analyses';
import { acceptUpload } from '../../lib/analyses/intake';
import { requireCaller } from '../../lib/auth/session';
import { config as appConfig } from '../../lib/config';
import * as schemas from '../../lib/contracts/requests';
import { openDatabase } from '../../lib/db';
import { decodeCursor, listAnalysesPage } from '../../lib/db/queries';
import { handle, json } from '../../lib/http';
import { invalidField, readQuery } from '../../lib/http/input';
import { kv } from '../../lib/kv';

export const config = { runtime: 'edge', regions: ['fra1'] };

export default handle(
  {
    POST: acceptUpload,

    GET: async (request, context) => {
      const { db } = context;
      const session = await requireCaller(request, context, 'analyses:read');
      const query = readQuery(request, schemas.listQuery());
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      if (query.cursor !== undefined && !after) throw invalidField('cursor', 'not a cursor from this API');
      const page = await listAnalysesPage(await db(), session.userId, {
        limit: query.limit,
        after,
        status: query.status,
      });
      return json({
        items: page.items.map((analysis) => presentSummary(analysis, { appUrl: appConfig().appUrl })),
        nextCursor: page.nextCursor,
      });
    },
  },
  // Registered form origins get CORS headers on every answer, refusals included.
  { cors: () => appConfig().forms.allowedOrigins, stores: { db: openDatabase, kv } },
);
