import { DEFAULT_KV_TIMEOUT_MS } from '../../lib/config';
import type { KvStore } from '../../lib/kv';
import { createUpstashStore } from '../../lib/kv/upstash';
import { MemoryKv } from '../../tools/embedded/memory-kv';
import { type KvRestBridge, startKvRestBridge } from '../../tools/test-support/kv-rest-bridge';
import { services } from './services';

export type KvBackend = { store: KvStore; bridge?: KvRestBridge; close(): Promise<void> };

/**
 * A client-side bound no busy CI machine trips: suites assert outcomes (counts, admissions), not speed.
 * Tests of the production bound make their own client with DEFAULT_KV_TIMEOUT_MS (see `productionClient`).
 */
const GENEROUS_TIMEOUT_MS = 20_000;

/** The production client on real Redis, through a private bridge per suite so fault injection stays local. */
export async function openRealKv(timeoutMs = GENEROUS_TIMEOUT_MS): Promise<KvBackend> {
  const bridge = await startKvRestBridge(services.kv?.redisUrl ?? '');
  const store = createUpstashStore({ url: bridge.url, token: bridge.token, timeoutMs });
  return { store, bridge, close: () => bridge.close() };
}

/** The production client with the production timeout, over a suite's bridge (for fault tests). */
export const productionClient = (bridge: KvRestBridge): KvStore =>
  createUpstashStore({ url: bridge.url, token: bridge.token, timeoutMs: DEFAULT_KV_TIMEOUT_MS });

/** The backends every KV suite runs against: the embedded store, and the production client on real Redis. */
export const kvBackends: [string, () => Promise<KvBackend>, boolean][] = [
  ['embedded memory store', async () => ({ store: new MemoryKv(), close: async () => {} }), true],
  ['@vercel/kv client on real Redis', openRealKv, Boolean(services.kv)],
];

export const unique = (label: string) => `${label}-${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
