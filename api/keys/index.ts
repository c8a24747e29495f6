import { issueApiKey, presentApiKey, revokeApiKey } from '../../lib/auth/keys';
import { requireRecentSignIn, requireSession } from '../../lib/auth/session';
import * as schemas from '../../lib/contracts/requests';
import { openDatabase } from '../../lib/db';
import { listApiKeys } from '../../lib/db/queries';
import { handleParts, json } from '../../lib/http';
import { readQuery, readSmallBody } from '../../lib/http/input';
import { kv } from '../../lib/kv';

export const config = { runtime: 'edge', regions: ['fra1'] };

/**
 * API keys for machines: `/api/keys` lists and creates, `/api/keys/<id>` (a rewrite to `?part=key`)
 * revokes. A person's session only: a key never manages keys.
 */
export default handleParts(
  {
    '': {
      GET: async (request, { db, kv }) => {
        const { session } = await requireSession(request, kv());
        return json({ items: (await listApiKeys(await db(), session.userId)).map(presentApiKey) });
      },
      // A key is a lasting credential: creating one needs a recent sign-in, as erasure does.
      POST: async (request, { db, kv }) => {
        const { session } = await requireRecentSignIn(request, kv());
        const input = await readSmallBody(request, schemas.apiKeyCreate());
        const { key, row } = await issueApiKey(await db(), session.userId, input.name, input.scopes);
        return json(
          { ...presentApiKey(row), key },
          { status: 201, headers: { 'cache-control': 'no-store' } },
        );
      },
    },
    key: {
      DELETE: async (request, { db, kv }) => {
        const { id } = readQuery(request, schemas.apiKeyIdQuery());
        const { session } = await requireSession(request, kv());
        await revokeApiKey(await db(), kv(), session.userId, id);
        return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
      },
    },
  },
  { stores: { db: openDatabase, kv } },
);
