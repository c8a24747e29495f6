import { DEFAULT_CACHE_OPTIONS, getOrCompute } from '../../lib/analyses/cache';
import { createSession, validateSession } from '../../lib/auth/sessions';
import { DEFAULT_KV_TIMEOUT_MS } from '../../lib/config';
import type { KvStore } from '../../lib/kv';
import { createUpstashStore } from '../../lib/kv/upstash';
import { checkRateLimit, policies } from '../../lib/limits';
import { startKvRestBridge } from '../test-support/kv-rest-bridge';
import { ms, timeSequential } from './stats';

const SECRET = 'bench-secret-bench-secret-bench-secret';
const sessionSettings = { idleTimeoutMs: 3600_000, maxAgeMs: 86_400_000, touchIntervalMs: 600_000 };

/**
 * KV operations through the production client against real Redis (via the REST bridge): round trips
 * per operation, counted at the bridge, and median latency against a bare GET through the same client.
 */
export async function benchKv(redisUrl: string): Promise<void> {
  const bridge = await startKvRestBridge(redisUrl);
  try {
    const kv: KvStore = createUpstashStore({
      url: bridge.url,
      token: bridge.token,
      timeoutMs: DEFAULT_KV_TIMEOUT_MS,
    });
    const suffix = `${process.pid}-${Date.now()}`;
    await kv.set(`mia:bench:${suffix}`, 'x', { ttlMs: 600_000 });
    const { token } = await createSession(kv, `bench-user-${suffix}`, sessionSettings);
    const cacheKey = { engineVersion: 'bench', contentHash: suffix };
    await getOrCompute(kv, cacheKey, async () => ({ report: 'x'.repeat(20_000) }), DEFAULT_CACHE_OPTIONS);
    let n = 0;
    // A fresh identifier per check keeps every check admitted (the common path) and the log small.
    const rateLimitPolicy = { ...policies.analysisPerEmail, limit: 1_000_000 };

    const cases: { name: string; run: () => Promise<unknown> }[] = [
      {
        name: 'rate-limit check',
        run: () => checkRateLimit(kv, rateLimitPolicy, `bench-${suffix}@example.com`, SECRET),
      },
      { name: 'session validation', run: () => validateSession(kv, token, sessionSettings) },
      {
        name: 'cache hit (20 KB report)',
        run: () => getOrCompute(kv, cacheKey, async () => n++, DEFAULT_CACHE_OPTIONS),
      },
    ];
    const trips = async (run: () => Promise<unknown>) => {
      await run(); // scripts loaded, touches settled
      const before = bridge.requests();
      for (let i = 0; i < 10; i++) await run();
      return (bridge.requests() - before) / 10;
    };

    const baseline = await timeSequential(() => kv.get(`mia:bench:${suffix}`));
    console.log(
      '\nKV through @vercel/kv -> REST bridge -> Redis: round trips and median latency vs a bare GET',
    );
    console.log(
      `${'bare GET'.padEnd(26)} trips 1.00   ${ms(baseline.medianMs).padStart(9)}   ratio 1.00x   (p95 ${ms(baseline.p95Ms)})`,
    );
    for (const entry of cases) {
      const roundTrips = await trips(entry.run);
      const measured = await timeSequential(entry.run);
      console.log(
        `${entry.name.padEnd(26)} trips ${roundTrips.toFixed(2)}   ${ms(measured.medianMs).padStart(9)}   ratio ${(measured.medianMs / baseline.medianMs).toFixed(2)}x   (p95 ${ms(measured.p95Ms)})`,
      );
    }
    if (n !== 0) console.log(`[bench] warning: the cache recomputed ${n} times`);
  } finally {
    await bridge.close();
  }
}
