import { requireSession } from '../../lib/auth/session';
import { listSessions, revokeSession } from '../../lib/auth/sessions';
import * as schemas from '../../lib/contracts/requests';
import { NotFoundError } from '../../lib/db/errors';
import { handle, json } from '../../lib/http';
import { readQuery } from '../../lib/http/input';

export const config = { runtime: 'edge', regions: ['fra1'] };

/** A session is named by the first 12 hex digits of its token hash (as in the data export), never the token. */
const shortId = (id: string) => id.slice(0, 12);

export default handle({
  GET: async (request, { kv }) => {
    const { session } = await requireSession(request, kv());
    const sessions = await listSessions(kv(), session.userId);
    return json({
      items: sessions
        .sort((a, b) => b.lastUsedAt - a.lastUsedAt)
        .map((entry) => ({
          id: shortId(entry.id),
          createdAt: new Date(entry.createdAt).toISOString(),
          lastUsedAt: new Date(entry.lastUsedAt).toISOString(),
          expiresAt: new Date(entry.expiresAt).toISOString(),
          current: entry.id === session.id,
        })),
    });
  },
  // `/api/me/sessions/<id>` (rewritten to `?id=`): ends that one session of the user's, at once.
  DELETE: async (request, { kv }) => {
    const { id } = readQuery(request, schemas.sessionIdQuery);
    const { session } = await requireSession(request, kv());
    const target = (await listSessions(kv(), session.userId)).find((entry) => shortId(entry.id) === id);
    if (!target) throw new NotFoundError('no such session');
    await revokeSession(kv(), target);
    return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
  },
});
