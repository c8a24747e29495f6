import type { KvStore } from '../../lib/kv';

export type CountingKv = KvStore & { calls: Record<string, number>; total(): number; reset(): void };

/** Wraps a store and counts calls per method: how many KV operations a piece of code makes. */
export function countingKv(inner: KvStore): CountingKv {
  const calls: Record<string, number> = {};
  const own = {
    calls,
    total: () => Object.values(calls).reduce((sum, n) => sum + n, 0),
    reset: () => {
      for (const name of Object.keys(calls)) delete calls[name];
    },
  };
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property in own) return own[property as keyof typeof own];
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls[String(property)] = (calls[String(property)] ?? 0) + 1;
        return value.apply(target, args);
      };
    },
  }) as CountingKv;
}
