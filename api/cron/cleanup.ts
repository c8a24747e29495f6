import { runCleanup } from '../../lib/analyses/cleanup';
import { config as appConfig } from '../../lib/config';
import { timingSafeEqual } from '../../lib/crypto';
import { openDatabase } from '../../lib/db';
import { ApiError, handle, json } from '../../lib/http';
import { kv } from '../../lib/kv';
import { log } from '../../lib/log';
import { runDueDeliveries, webhookContext } from '../../lib/webhooks';

export const config = { runtime: 'edge', regions: ['fra1'] };

export default handle(
  {
    GET: async (request, context) => {
      const { db, requestId, kv } = context;
      const { cronSecret, analyses } = appConfig();
      // Refuse to run unprotected: an unset secret must not turn into "Bearer undefined" matching.
      if (!cronSecret)
        throw new ApiError('misconfigured', 'CRON_SECRET is not set; the cleanup refuses to run.');
      const presented = request.headers.get('authorization') ?? '';
      if (!timingSafeEqual(presented, `Bearer ${cronSecret}`))
        throw new ApiError('unauthorized', 'This endpoint is for the scheduler.');
      const summary = await runCleanup(await db(), kv(), { ...analyses, budgetMs: 20_000, batch: 500 });
      // Webhook deliveries whose retry is due (the first attempt ran when the analysis ended).
      const retried = await runDueDeliveries(await webhookContext(context));
      log('info', 'cleanup_finished', { requestId, ...summary, webhookDeliveries: retried.attempted });
      return json({ ...summary, webhookDeliveries: retried.attempted });
    },
  },
  { stores: { db: openDatabase, kv } },
);
