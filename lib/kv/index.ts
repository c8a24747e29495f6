import { ConfigError, config } from '../config';
import type { KvStore } from './store';
import { createUpstashStore } from './upstash';

export { type KvStore, KvUnavailableError } from './store';

/** Upper bound for one KV call inside a request path. */
export const KV_TIMEOUT_MS = 1_500;

let provided: KvStore | undefined;
let production: KvStore | undefined;

/** Lets Node-only tooling supply the embedded in-memory store; on Vercel the KV_* variables are used. */
export function provideKv(store: KvStore | undefined): void {
  provided = store;
}

/** The one KV handle. */
export function kv(): KvStore {
  if (provided) return provided;
  if (!production) {
    const settings = config().kv;
    if (!settings) {
      throw new ConfigError(
        ['KV_REST_API_URL', 'KV_REST_API_TOKEN'],
        'KV_REST_API_URL is not set and no embedded store was provided',
      );
    }
    production = createUpstashStore({ ...settings, timeoutMs: KV_TIMEOUT_MS });
  }
  return production;
}
