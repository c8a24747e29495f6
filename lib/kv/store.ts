/**
 * The key-value operations the app uses, nothing more. Implemented by the production Vercel KV
 * (Upstash REST) client in `upstash.ts` and by the embedded in-memory store in tools/, and held to the
 * same answers by one contract suite. Values are strings: callers serialise, so both backends return
 * exactly what was stored. Every write takes a TTL: no key lives forever by accident.
 *
 * Read-modify-write steps that must be atomic are single methods here (`hitSlidingWindow`,
 * `deleteIfEquals`): one Lua script on Redis, one synchronous step in memory.
 */
export interface KvStore {
  readonly backend: 'upstash' | 'memory';
  ping(): Promise<void>;
  get(key: string): Promise<string | null>;
  /** SET with PX; with `onlyIfAbsent` it is SET NX and answers whether it wrote. */
  set(key: string, value: string, options: { ttlMs: number; onlyIfAbsent?: boolean }): Promise<boolean>;
  del(...keys: string[]): Promise<number>;
  /** GETDEL: the value, removed in the same step (a single-use token can be taken once). */
  take(key: string): Promise<string | null>;
  /** Remaining TTL in ms; -2 when the key does not exist, -1 when it has no TTL (as Redis PTTL). */
  pttl(key: string): Promise<number>;
  /** Deletes the key only while it holds `value` (a lock released by its holder only). */
  deleteIfEquals(key: string, value: string): Promise<boolean>;
  /** Adds members to a set and sets the set's TTL, atomically. */
  addToSet(key: string, members: string[], ttlMs: number): Promise<void>;
  setMembers(key: string): Promise<string[]>;
  removeFromSet(key: string, members: string[]): Promise<number>;
  /**
   * One attempt against a rolling-window log: drops entries older than `windowMs` before `nowMs`, and
   * records this attempt only if fewer than `limit` remain (a denied attempt uses no quota). Atomic.
   */
  hitSlidingWindow(key: string, attempt: SlidingWindowAttempt): Promise<SlidingWindowState>;
  /** Reads a rolling-window log without recording anything. */
  peekSlidingWindow(key: string, windowMs: number, nowMs: number): Promise<SlidingWindowState>;
  /** One step of a cursor scan over keys matching a glob `pattern`; cursor '0' starts and ends. */
  scan(cursor: string, pattern: string, count: number): Promise<{ cursor: string; keys: string[] }>;
}

export type SlidingWindowAttempt = { limit: number; windowMs: number; nowMs: number; member: string };
/** `count` attempts inside the window after this call; `oldestMs` the earliest of them (or null). */
export type SlidingWindowState = { allowed: boolean; count: number; oldestMs: number | null };

/** The store did not answer in time or answered with an error: callers fail closed or open on purpose. */
export class KvUnavailableError extends Error {
  override readonly name = 'KvUnavailableError';
}
