/**
 * The key-value operations the app uses, nothing more. Implemented by the production Vercel KV
 * (Upstash REST) client in `upstash.ts` and by the embedded in-memory store in tools/.
 * Values are strings: callers serialise, so both backends return exactly what was stored.
 * Every write takes a TTL: no key lives forever by accident.
 */
export interface KvStore {
  readonly backend: 'upstash' | 'memory';
  ping(): Promise<void>;
  get(key: string): Promise<string | null>;
  /** SET with PX; with `onlyIfAbsent` it is SET NX and answers whether it wrote. */
  set(key: string, value: string, options: { ttlMs: number; onlyIfAbsent?: boolean }): Promise<boolean>;
  del(...keys: string[]): Promise<number>;
  /** Remaining TTL in ms; -2 when the key does not exist, -1 when it has no TTL (as Redis PTTL). */
  pttl(key: string): Promise<number>;
}

/** The store did not answer in time or answered with an error: callers fail closed or open on purpose. */
export class KvUnavailableError extends Error {
  override readonly name = 'KvUnavailableError';
}
