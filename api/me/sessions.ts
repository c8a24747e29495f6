import { requireSession } from '../../lib/auth/session';
import { listSessions, presentSession, publicSessionId, revokeSession } from '../../lib/auth/sessions';
import * as schemas from '../../lib/contracts/requests';
import { NotFoundError } from '../../lib/db/errors';
import { handle, json } from '../../lib/http';
import { readQuery } from '../../lib/http/input';

export const config = { runtime: 'edge', regions: ['fra1'] };

export default handle({
  GET: async (request, { kv }) => {
    const { session } = await requireSession(request, kv());
    const sessions = await listSessions(kv(), session.userId);
    return json({
      items: sessions
        .sort((a, b) => b.lastUsedAt - a.lastUsedAt)
        .map((entry) => presentSession(entry, session.id)),
    });
  },
  // `/api/me/sessions/<id>` (rewritten to `?id=`): ends that one session of the user's, at once.
  DELETE: async (request, { kv }) => {
    const { id } = readQuery(request, schemas.sessionIdQuery);
    const { session } = await requireSession(request, kv());
    const target = (await listSessions(kv(), session.userId)).find((entry) => publicSessionId(entry) === id);
    if (!target) throw new NotFoundError('no such session');
    await revokeSession(kv(), target);
    return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
  },
});
