import { createClient } from '@vercel/kv';
import { type KvStore, KvUnavailableError } from './store';

export type UpstashOptions = { url: string; token: string; timeoutMs: number };

/** The only place the production KV client is created. */
export function createUpstashStore({ url, token, timeoutMs }: UpstashOptions): KvStore {
  const client = createClient({
    url,
    token,
    // Strings in, the same strings out (the default JSON-parses '42' into 42).
    automaticDeserialization: false,
    // The default is 5 retries with backoff (~4 s on a dead server) inside a request path: no retries,
    // and an abort bound that throws (a plain AbortSignal would make the client resolve "Aborted").
    retry: { retries: 0 },
    signal: () => AbortSignal.timeout(timeoutMs),
    // @vercel/kv forces 'default'; commands must never be served from a fetch cache, and workerd
    // (the edge test runtime) supports only 'no-store'.
    cache: 'no-store',
  });

  const call = async <T>(operation: () => Promise<T>): Promise<T> => {
    try {
      return await operation();
    } catch (error) {
      throw new KvUnavailableError(error instanceof Error ? error.message : String(error), { cause: error });
    }
  };

  return {
    backend: 'upstash',
    ping: () =>
      call(async () => {
        const reply = await client.ping();
        if (reply !== 'PONG') throw new Error(`unexpected PING reply ${JSON.stringify(reply)}`);
      }),
    get: (key) => call(() => client.get<string>(key)),
    set: (key, value, { ttlMs, onlyIfAbsent }) =>
      call(async () => {
        const reply = onlyIfAbsent
          ? await client.set(key, value, { px: ttlMs, nx: true })
          : await client.set(key, value, { px: ttlMs });
        return reply === 'OK';
      }),
    del: (...keys) => call(() => (keys.length === 0 ? Promise.resolve(0) : client.del(...keys))),
    pttl: (key) => call(() => client.pttl(key)),
  };
}
