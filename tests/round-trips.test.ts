import { describe, expect, it } from 'vitest';
import { benchRequests } from '../tools/bench/requests';
import { services } from './support/services';

// Counted through the production clients against the real services (the request bench's own counter):
// counts, not times, so a busy machine cannot move them. The limits are the physical minimum per route.
describe.skipIf(!(services.postgres && services.kv))('round trips per request', () => {
  it('reach the minimum: one for a read by owner or link, two for /api/me, three and two for submissions', async () => {
    const counts = Object.fromEntries(
      (await benchRequests(services.postgres?.url ?? '', services.kv?.redisUrl ?? '')).map((entry) => [
        entry.route,
        entry,
      ]),
    );
    expect(counts['GET /api/analyses/[id] owner']).toMatchObject({ criticalPath: 1, connects: 0 });
    expect(counts['GET /api/analyses/[id] capability']).toMatchObject({
      criticalPath: 1,
      kv: 0,
      connects: 0,
    });
    expect(counts['GET /api/me']).toMatchObject({ criticalPath: 2, connects: 0 });
    expect(counts['POST /api/analyses signed in']).toMatchObject({ criticalPath: 3, connects: 0 });
    expect(counts['POST /api/analyses anonymous']).toMatchObject({ criticalPath: 2, connects: 0 });
    // An API key costs one KV read, beside the row (a read) or in place of the session (an upload).
    expect(counts['GET /api/analyses/[id] api key']).toMatchObject({ criticalPath: 1, kv: 1, connects: 0 });
    expect(counts['POST /api/analyses api key']).toMatchObject({ criticalPath: 3, kv: 3, connects: 0 });
  }, 120_000);
});
