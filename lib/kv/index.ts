import { ConfigError, config } from '../config';
import type { KvStore } from './store';
import { createUpstashStore } from './upstash';

export { keys, patterns } from './keys';
export { acquireLock, type Lock, type ScanStep, scanResumable } from './locks';
export {
  type KvStore,
  KvUnavailableError,
  type SlidingWindowAttempt,
  type SlidingWindowLog,
  type SlidingWindowState,
  type SlidingWindowsState,
} from './store';

let provided: KvStore | undefined;
let production: { store: KvStore; settings: string } | undefined;

/** Lets Node-only tooling supply the embedded in-memory store; on Vercel the KV_* variables are used. */
export function provideKv(store: KvStore | undefined): void {
  provided = store;
}

/** The one KV handle. The REST client holds no connection, so one per instance is right on the edge. */
export function kv(): KvStore {
  if (provided) return provided;
  const settings = config().kv;
  if (!settings) {
    throw new ConfigError(
      ['KV_REST_API_URL', 'KV_REST_API_TOKEN'],
      'KV_REST_API_URL is not set and no embedded store was provided',
    );
  }
  const key = `${settings.url} ${settings.timeoutMs}`;
  if (production?.settings !== key) production = { store: createUpstashStore(settings), settings: key };
  return production.store;
}
