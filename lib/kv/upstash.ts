import type { VercelKV } from '@vercel/kv';
import { DELETE_IF_EQUALS, type Script, SLIDING_WINDOW_HIT, SLIDING_WINDOW_PEEK, TAKE_ONCE } from './scripts';
import { type KvStore, KvUnavailableError, type SlidingWindowState } from './store';

export type UpstashOptions = { url: string; token: string; timeoutMs: number };

/** The only place the production KV client is created. */
export function createUpstashStore({ url, token, timeoutMs }: UpstashOptions): KvStore {
  // Loaded on the first command, not at cold start: the client is a fifth of a function's code, and
  // evaluating it then overlaps with whatever the request already waits for.
  let client: Promise<VercelKV> | undefined;
  const connect = () =>
    (client ??= import('@vercel/kv').then(({ createClient }) =>
      createClient({
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
      }),
    ));

  const call = async <T>(operation: (client: VercelKV) => Promise<T>): Promise<T> => {
    try {
      return await operation(await connect());
    } catch (error) {
      // Not the client's message: it repeats the failed command, values (reports, addresses) included.
      throw new KvUnavailableError('The KV store did not answer or refused the command.', { cause: error });
    }
  };

  /** EVALSHA, and EVAL only when Redis does not know the script yet (one extra trip, once per server). */
  const run = async <T>(
    client: VercelKV,
    script: Script,
    keys: string[],
    args: (string | number)[],
  ): Promise<T> => {
    try {
      return (await client.evalsha(script.sha1, keys, args)) as T;
    } catch (error) {
      if (!String((error as Error)?.message).includes('NOSCRIPT')) throw error;
      return (await client.eval(script.source, keys, args)) as T;
    }
  };

  const windowState = (reply: [number, number, string | number | null]): SlidingWindowState => ({
    allowed: reply[0] === 1,
    count: Number(reply[1]),
    oldestMs: reply[2] === null || reply[2] === undefined ? null : Number(reply[2]),
  });

  return {
    backend: 'upstash',
    ping: () =>
      call(async (client) => {
        const reply = await client.ping();
        if (reply !== 'PONG') throw new Error(`unexpected PING reply ${JSON.stringify(reply)}`);
      }),
    get: (key) => call((client) => client.get<string>(key)),
    set: (key, value, { ttlMs, onlyIfAbsent, onlyIfPresent }) =>
      call(async (client) => {
        const reply = onlyIfAbsent
          ? await client.set(key, value, { px: ttlMs, nx: true })
          : onlyIfPresent
            ? await client.set(key, value, { px: ttlMs, xx: true })
            : await client.set(key, value, { px: ttlMs });
        return reply === 'OK';
      }),
    del: (...keys) => call((client) => (keys.length === 0 ? Promise.resolve(0) : client.del(...keys))),
    pttl: (key) => call((client) => client.pttl(key)),
    takeOnce: (key, tombstone, ttlMs) =>
      call(async (client) => {
        const [found, rest] = await run<[number, string | number]>(
          client,
          TAKE_ONCE,
          [key, tombstone],
          [ttlMs],
        );
        return found === 1 ? { value: String(rest) } : { used: Number(rest) === 1 };
      }),
    deleteIfEquals: (key, value) =>
      call(async (client) => (await run<number>(client, DELETE_IF_EQUALS, [key], [value])) === 1),
    addToSet: (key, members, ttlMs) =>
      call(async (client) => {
        if (members.length === 0) return;
        const [first, ...rest] = members as [string, ...string[]];
        await client
          .multi()
          .sadd(key, first, ...rest)
          .pexpire(key, ttlMs)
          .exec();
      }),
    setMembers: (key) => call((client) => client.smembers(key)),
    removeFromSet: (key, members) =>
      call((client) => {
        if (members.length === 0) return Promise.resolve(0);
        const [first, ...rest] = members as [string, ...string[]];
        return client.srem(key, first, ...rest);
      }),
    hitSlidingWindows: (logs, { nowMs, member }) =>
      call(async (client) => {
        const reply = await run<(number | string | null)[]>(
          client,
          SLIDING_WINDOW_HIT,
          logs.map((log) => log.key),
          [nowMs, member, ...logs.flatMap((log) => [log.limit, log.windowMs])],
        );
        return {
          allowed: reply[0] === 1,
          logs: logs.map((_, i) => {
            const oldest = reply[2 * i + 2];
            return {
              count: Number(reply[2 * i + 1]),
              oldestMs: oldest === null || oldest === undefined ? null : Number(oldest),
            };
          }),
        };
      }),
    peekSlidingWindow: (key, windowMs, nowMs) =>
      call(async (client) => windowState(await run(client, SLIDING_WINDOW_PEEK, [key], [windowMs, nowMs]))),
    scan: (cursor, pattern, count) =>
      call(async (client) => {
        const [next, keys] = await client.scan(cursor, { match: pattern, count });
        return { cursor: String(next), keys };
      }),
  };
}
