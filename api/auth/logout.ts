import { requireSession } from '../../lib/auth/session';
import { revokeSession } from '../../lib/auth/sessions';
import { clearedSessionCookie, handle } from '../../lib/http';

export const config = { runtime: 'edge', regions: ['fra1'] };

export default handle({
  POST: async (request, { kv }) => {
    const { session } = await requireSession(request, kv());
    await revokeSession(kv(), session);
    return new Response(null, {
      status: 204,
      headers: { 'set-cookie': clearedSessionCookie(), 'cache-control': 'no-store' },
    });
  },
});
