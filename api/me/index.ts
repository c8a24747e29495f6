import { eraseAccount, exportAccount, publicUser } from '../../lib/auth/account';
import { requireRecentSignIn, requireSession } from '../../lib/auth/session';
import { listSessions, presentSession, publicSessionId, revokeSession } from '../../lib/auth/sessions';
import { config as appConfig } from '../../lib/config';
import * as schemas from '../../lib/contracts/requests';
import { openDatabase } from '../../lib/db';
import { NotFoundError } from '../../lib/db/errors';
import { getUserById } from '../../lib/db/queries';
import { ApiError, clearedSessionCookie, handleParts, json } from '../../lib/http';
import { readQuery } from '../../lib/http/input';
import { kv } from '../../lib/kv';
import { log } from '../../lib/log';

export const config = { runtime: 'edge', regions: ['fra1'] };

/**
 * The account: `/api/me`, and through rewrites (vercel.json) `/api/me/export` (`?part=export`),
 * `/api/me/sessions` and `/api/me/sessions/<id>` (`?part=sessions`): one function for one resource.
 */
export default handleParts(
  {
    '': {
      GET: async (request, { db, kv }) => {
        const { session } = await requireSession(request, kv());
        const user = await getUserById(await db(), session.userId);
        if (!user) {
          await revokeSession(kv(), session); // the account was erased: this session is an orphan
          throw new ApiError('unauthorized', 'The session is invalid or has ended.');
        }
        return json(publicUser(user));
      },
      DELETE: async (request, { db, requestId, kv }) => {
        // Erasure cannot be undone: a session left open on a shared machine must not be enough.
        const { session } = await requireRecentSignIn(request, kv());
        const { identifierSecret, analyses } = appConfig();
        const erased = await eraseAccount(
          await db(),
          kv(),
          session.userId,
          identifierSecret,
          analyses.pendingTimeoutMs,
        );
        log('info', 'account_erased', { requestId, ...erased });
        return new Response(null, {
          status: 204,
          headers: { 'set-cookie': clearedSessionCookie(), 'cache-control': 'no-store' },
        });
      },
    },
    export: {
      GET: async (request, { db, kv }) => {
        const { session } = await requireSession(request, kv());
        const data = await exportAccount(await db(), kv(), session.userId, session.id);
        const day = data.exportedAt.slice(0, 10);
        return json(data, {
          headers: { 'content-disposition': `attachment; filename="account-export-${day}.json"` },
        });
      },
    },
    sessions: {
      GET: async (request, { kv }) => {
        const { session } = await requireSession(request, kv());
        const sessions = await listSessions(kv(), session.userId);
        return json({
          items: sessions
            .sort((a, b) => b.lastUsedAt - a.lastUsedAt)
            .map((entry) => presentSession(entry, session.id)),
        });
      },
      // `/api/me/sessions/<id>`: ends that one session of the user's, at once.
      DELETE: async (request, { kv }) => {
        const { id } = readQuery(request, schemas.sessionIdQuery());
        const { session } = await requireSession(request, kv());
        const target = (await listSessions(kv(), session.userId)).find(
          (entry) => publicSessionId(entry) === id,
        );
        if (!target) throw new NotFoundError('no such session');
        await revokeSession(kv(), target);
        return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
      },
    },
  },
  { stores: { db: openDatabase, kv } },
);
