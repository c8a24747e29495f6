import { requireSession } from '../../lib/auth/session';
import { revokeSession } from '../../lib/auth/sessions';
import { clearedSessionCookie, handle } from '../../lib/http';
import { kv } from '../../lib/kv';

export const config = { runtime: 'edge', regions: ['fra1'] };

export default handle({
  POST: async (request) => {
    const { session } = await requireSession(request);
    await revokeSession(kv(), session);
    return new Response(null, {
      status: 204,
      headers: { 'set-cookie': clearedSessionCookie(), 'cache-control': 'no-store' },
    });
  },
});
