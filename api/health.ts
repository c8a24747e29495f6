import { openDatabase } from '../lib/db';
import { checkHealth } from '../lib/health';
import { ApiError, handle, json } from '../lib/http';
import { kv } from '../lib/kv';

export const config = { runtime: 'edge', regions: ['fra1'] };

export default handle(
  {
    GET: async (_request, context) => {
      const report = await checkHealth(context);
      if (report.status !== 'ok') {
        throw new ApiError('unavailable', 'A backend did not answer', { fields: { checks: report.checks } });
      }
      return json(report);
    },
  },
  { stores: { db: openDatabase, kv } },
);
