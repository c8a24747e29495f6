import { config } from './config';
import { databaseBackend, pingDatabase } from './db';
import type { RequestContext } from './http/handler';
import { withTimeout } from './timeout';

export const HEALTH_TIMEOUT_MS = 2_000;

export type ComponentHealth = { status: 'ok' | 'error'; backend: string; latencyMs: number; error?: string };
export type HealthReport = {
  status: 'ok' | 'degraded';
  region: string;
  version: string;
  checks: { db: ComponentHealth; kv: ComponentHealth };
};

/** Pings the database and KV in parallel, each bounded, and never throws. */
export async function checkHealth({ db, kv }: Pick<RequestContext, 'db' | 'kv'>): Promise<HealthReport> {
  const { region, version } = config();
  const [database, store] = await Promise.all([
    probe(
      () => databaseBackend(),
      async () => {
        await pingDatabase(await db());
      },
    ),
    probe(
      () => kv().backend,
      () => kv().ping(),
    ),
  ]);
  const status = database.status === 'ok' && store.status === 'ok' ? 'ok' : 'degraded';
  return { status, region, version, checks: { db: database, kv: store } };
}

async function probe(backend: () => string, ping: () => Promise<void>): Promise<ComponentHealth> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    await withTimeout(ping(), HEALTH_TIMEOUT_MS, 'ping');
    return { status: 'ok', backend: backend(), latencyMs: elapsed() };
  } catch (error) {
    // The reason names the failure kind only: driver messages can carry hostnames.
    const reason = error instanceof Error ? error.name : 'Error';
    return { status: 'error', backend: safe(backend), latencyMs: elapsed(), error: reason };
  }
}

function safe(read: () => string): string {
  try {
    return read();
  } catch {
    return 'unconfigured';
  }
}
