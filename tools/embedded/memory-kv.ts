import type { KvStore } from '../../lib/kv';

type Entry = { value: string; expiresAt: number };

/**
 * The embedded KV default: one process, in memory, same answers as Redis for the operations in KvStore
 * (the contract suite runs against both). Expiry is checked on read, like Redis' lazy expiry.
 */
export class MemoryKv implements KvStore {
  readonly backend = 'memory' as const;
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  async ping(): Promise<void> {}

  async get(key: string): Promise<string | null> {
    return this.#live(key)?.value ?? null;
  }

  async set(
    key: string,
    value: string,
    options: { ttlMs: number; onlyIfAbsent?: boolean },
  ): Promise<boolean> {
    if (options.onlyIfAbsent && this.#live(key)) return false;
    this.#entries.set(key, { value, expiresAt: this.now() + options.ttlMs });
    return true;
  }

  async del(...keys: string[]): Promise<number> {
    let removed = 0;
    for (const key of keys) if (this.#live(key) && this.#entries.delete(key)) removed++;
    return removed;
  }

  async pttl(key: string): Promise<number> {
    const entry = this.#live(key);
    return entry ? Math.max(0, entry.expiresAt - this.now()) : -2;
  }

  /** Number of live keys; for tests and the dev runner's status line. */
  size(): number {
    for (const key of this.#entries.keys()) this.#live(key);
    return this.#entries.size;
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
