import { exportAccount } from '../../lib/auth/account';
import { requireSession } from '../../lib/auth/session';
import { handle, json } from '../../lib/http';

export const config = { runtime: 'edge', regions: ['fra1'] };

export default handle({
  GET: async (request, { db, kv }) => {
    const { session } = await requireSession(request, kv());
    const data = await exportAccount(db(), kv(), session.userId, session.id);
    const day = data.exportedAt.slice(0, 10);
    return json(data, {
      headers: { 'content-disposition': `attachment; filename="account-export-${day}.json"` },
    });
  },
});
