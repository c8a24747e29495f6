import { checkHealth } from '../lib/health';
import { ApiError, handle, json } from '../lib/http';

export const config = { runtime: 'edge', regions: ['fra1'] };

export default handle({
  GET: async () => {
    const report = await checkHealth();
    if (report.status !== 'ok') {
      throw new ApiError('unavailable', 'A backend did not answer', { fields: { checks: report.checks } });
    }
    return json(report);
  },
});
