import { requireSession } from '../../lib/auth/session';
import * as schemas from '../../lib/contracts/requests';
import { openDatabase } from '../../lib/db';
import { deleteWebhook, getDelivery, getWebhook, listDeliveries, listWebhooks } from '../../lib/db/queries';
import { handleParts, json, type RequestContext } from '../../lib/http';
import { readQuery, readSmallBody } from '../../lib/http/input';
import { kv } from '../../lib/kv';
import {
  presentDelivery,
  presentWebhook,
  redeliver,
  registerWebhook,
  rotateSecret,
  webhookContext,
  webhookSettings,
} from '../../lib/webhooks';

export const config = { runtime: 'edge', regions: ['fra1'] };

const noStore = { 'cache-control': 'no-store' };

/** The caller's webhook named by `?id=` (a person's session: keys never manage webhooks). */
async function ownWebhook(request: Request, { db, kv }: RequestContext) {
  const { id } = readQuery(request, schemas.webhookIdQuery());
  const { session } = await requireSession(request, kv());
  return getWebhook(await db(), session.userId, id);
}

/**
 * Webhooks: `/api/webhooks` lists and creates; through rewrites `/api/webhooks/<id>` deletes,
 * `.../secret` rotates the signing secret, `.../deliveries` is the delivery log and
 * `.../deliveries/<delivery>` sends one again.
 */
export default handleParts(
  {
    '': {
      GET: async (request, { db, kv }) => {
        const { session } = await requireSession(request, kv());
        return json({ items: (await listWebhooks(await db(), session.userId)).map(presentWebhook) });
      },
      POST: async (request, { db, kv }) => {
        const { session } = await requireSession(request, kv());
        const input = await readSmallBody(request, schemas.webhookCreate());
        const { webhook, secret } = await registerWebhook(await db(), webhookSettings(), {
          userId: session.userId,
          ...input,
        });
        return json({ ...presentWebhook(webhook), secret }, { status: 201, headers: noStore });
      },
    },
    hook: {
      DELETE: async (request, { db, kv }) => {
        const { id } = readQuery(request, schemas.webhookIdQuery());
        const { session } = await requireSession(request, kv());
        await deleteWebhook(await db(), session.userId, id);
        return new Response(null, { status: 204, headers: noStore });
      },
    },
    secret: {
      POST: async (request, context) => {
        const { id } = readQuery(request, schemas.webhookIdQuery());
        const { session } = await requireSession(request, context.kv());
        const { webhook, secret } = await rotateSecret(
          await context.db(),
          webhookSettings(),
          session.userId,
          id,
        );
        return json({ ...presentWebhook(webhook), secret }, { headers: noStore });
      },
    },
    deliveries: {
      GET: async (request, context) => {
        const webhook = await ownWebhook(request, context);
        return json({ items: (await listDeliveries(await context.db(), webhook.id)).map(presentDelivery) });
      },
    },
    delivery: {
      POST: async (request, context) => {
        const { delivery: deliveryId } = readQuery(request, schemas.deliveryQuery());
        const webhook = await ownWebhook(request, context);
        const delivery = await getDelivery(await context.db(), webhook.id, deliveryId);
        return json(presentDelivery(await redeliver(await webhookContext(context), webhook, delivery)));
      },
    },
  },
  { stores: { db: openDatabase, kv } },
);
