import { eraseAccount, publicUser } from '../../lib/auth/account';
import { requireRecentSignIn, requireSession } from '../../lib/auth/session';
import { revokeSession } from '../../lib/auth/sessions';
import { config as appConfig } from '../../lib/config';
import { getUserById } from '../../lib/db/queries';
import { ApiError, clearedSessionCookie, handle, json } from '../../lib/http';
import { log } from '../../lib/log';

export const config = { runtime: 'edge', regions: ['fra1'] };

export default handle({
  GET: async (request, { db, kv }) => {
    const { session } = await requireSession(request, kv());
    const user = await getUserById(db(), session.userId);
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
      db(),
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
});
