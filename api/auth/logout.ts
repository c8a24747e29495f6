import { forgetLoginTokens } from '../../lib/auth/magic-link';
import { requireSession } from '../../lib/auth/session';
import { revokeAllSessions, revokeSession } from '../../lib/auth/sessions';
import { config as appConfig } from '../../lib/config';
import * as schemas from '../../lib/contracts/requests';
import { openDatabase } from '../../lib/db';
import { getUserById } from '../../lib/db/queries';
import { clearedSessionCookie, handle } from '../../lib/http';
import { readQuery } from '../../lib/http/input';
import { kv } from '../../lib/kv';

export const config = { runtime: 'edge', regions: ['fra1'] };

/** Sign out here, or everywhere (`/api/auth/logout-all`, rewritten to `?scope=all`). */
export default handle(
  {
    POST: async (request, { db, kv }) => {
      const { scope } = readQuery(request, schemas.logoutQuery());
      const { session } = await requireSession(request, kv());
      if (scope === 'all') {
        await revokeAllSessions(kv(), session.userId);
        // Links asked for earlier die too: logging out everywhere must not leave a way back in.
        const user = await getUserById(await db(), session.userId);
        if (user) await forgetLoginTokens(kv(), user.email, appConfig().identifierSecret);
      } else await revokeSession(kv(), session);
      return new Response(null, {
        status: 204,
        headers: { 'set-cookie': clearedSessionCookie(), 'cache-control': 'no-store' },
      });
    },
  },
  { stores: { db: openDatabase, kv } },
);
