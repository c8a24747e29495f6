import { publicUser } from '../../lib/auth/account';
import { consumeLoginToken } from '../../lib/auth/magic-link';
import { config as appConfig } from '../../lib/config';
import { schemas } from '../../lib/contracts';
import { findOrCreateUserByEmail } from '../../lib/db/queries';
import { ApiError, handle, json, sessionCookie } from '../../lib/http';
import { readQuery } from '../../lib/http/input';
import { createSession, kv } from '../../lib/kv';

export const config = { runtime: 'edge', regions: ['fra1'] };

export default handle({
  GET: async (request, { db }) => {
    const { token } = readQuery(request, schemas.callbackQuery);
    const consumed = await consumeLoginToken(kv(), token);
    if (!consumed.ok) {
      throw consumed.reason === 'used'
        ? new ApiError('gone', 'This sign-in link was already used. Ask for a new one.')
        : new ApiError('bad_request', 'This sign-in link is invalid or has expired. Ask for a new one.');
    }
    const { user } = await findOrCreateUserByEmail(db(), {
      email: consumed.email,
      name: consumed.email.split('@')[0] ?? '',
    });
    const { sessions, appUrl } = appConfig();
    const { token: sessionToken, session } = await createSession(kv(), user.id, sessions);
    if ((request.headers.get('accept') ?? '').includes('application/json')) {
      return json({
        token: sessionToken,
        tokenType: 'Bearer',
        expiresAt: new Date(session.expiresAt).toISOString(),
        user: publicUser(user),
      });
    }
    return new Response(null, {
      status: 303,
      headers: {
        location: appUrl,
        'set-cookie': sessionCookie(sessionToken, sessions.maxAgeMs),
        'cache-control': 'no-store',
      },
    });
  },
});
