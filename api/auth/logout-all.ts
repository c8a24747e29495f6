import { forgetLoginTokens } from '../../lib/auth/magic-link';
import { requireSession } from '../../lib/auth/session';
import { revokeAllSessions } from '../../lib/auth/sessions';
import { config as appConfig } from '../../lib/config';
import { getUserById } from '../../lib/db/queries';
import { clearedSessionCookie, handle } from '../../lib/http';

export const config = { runtime: 'edge', regions: ['fra1'] };

export default handle({
  POST: async (request, { db, kv }) => {
    const { session } = await requireSession(request, kv());
    await revokeAllSessions(kv(), session.userId);
    // Links asked for earlier die too: logging out everywhere must not leave a way back in.
    const user = await getUserById(db(), session.userId);
    if (user) await forgetLoginTokens(kv(), user.email, appConfig().identifierSecret);
    return new Response(null, {
      status: 204,
      headers: { 'set-cookie': clearedSessionCookie(), 'cache-control': 'no-store' },
    });
  },
});
