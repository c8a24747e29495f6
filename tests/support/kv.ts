import type { KvStore } from '../../lib/kv';
import { KV_TIMEOUT_MS } from '../../lib/kv';
import { createUpstashStore } from '../../lib/kv/upstash';
import { MemoryKv } from '../../tools/embedded/memory-kv';
import { type KvRestBridge, startKvRestBridge } from '../../tools/test-support/kv-rest-bridge';
import { services } from './services';

export type KvBackend = { store: KvStore; bridge?: KvRestBridge; close(): Promise<void> };

/** The production client on real Redis, through a private bridge per suite so fault injection stays local. */
export async function openRealKv(): Promise<KvBackend> {
  const bridge = await startKvRestBridge(services.kv?.redisUrl ?? '');
  const store = createUpstashStore({ url: bridge.url, token: bridge.token, timeoutMs: KV_TIMEOUT_MS });
  return { store, bridge, close: () => bridge.close() };
}

/** The backends every KV suite runs against: the embedded store, and the production client on real Redis. */
export const kvBackends: [string, () => Promise<KvBackend>, boolean][] = [
  ['embedded memory store', async () => ({ store: new MemoryKv(), close: async () => {} }), true],
  ['@vercel/kv client on real Redis', openRealKv, Boolean(services.kv)],
];

export const unique = (label: string) => `${label}-${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
