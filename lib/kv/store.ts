/**
 * The key-value operations the app uses, nothing more. Implemented by the production Vercel KV
 * (Upstash REST) client in `upstash.ts` and by the embedded in-memory store in tools/, and held to the
 * same answers by one contract suite. Values are strings: callers serialise, so both backends return
 * exactly what was stored. Every write takes a TTL: no key lives forever by accident.
 *
 * Read-modify-write steps that must be atomic are single methods here (`hitSlidingWindows`,
 * `deleteIfEquals`): one Lua script on Redis, one synchronous step in memory.
 */
export interface KvStore {
  readonly backend: 'upstash' | 'memory';
  ping(): Promise<void>;
  get(key: string): Promise<string | null>;
  /**
   * SET with PX; with `onlyIfAbsent` it is SET NX, with `onlyIfPresent` SET XX (an update never
   * recreates a key deleted meanwhile); answers whether it wrote.
   */
  set(
    key: string,
    value: string,
    options: { ttlMs: number; onlyIfAbsent?: boolean; onlyIfPresent?: boolean },
  ): Promise<boolean>;
  del(...keys: string[]): Promise<number>;
  /**
   * Takes a single-use value and leaves `tombstone` (for `ttlMs`) in the same atomic step; when there is
   * no value, says whether the tombstone exists. Of concurrent takers exactly one gets the value, and every
   * other one sees the tombstone (never "unknown").
   */
  takeOnce(key: string, tombstone: string, ttlMs: number): Promise<{ value: string } | { used: boolean }>;
  /** Remaining TTL in ms; -2 when the key does not exist, -1 when it has no TTL (as Redis PTTL). */
  pttl(key: string): Promise<number>;
  /** Deletes the key only while it holds `value` (a lock released by its holder only). */
  deleteIfEquals(key: string, value: string): Promise<boolean>;
  /** Adds members to a set and sets the set's TTL, atomically. */
  addToSet(key: string, members: string[], ttlMs: number): Promise<void>;
  setMembers(key: string): Promise<string[]>;
  removeFromSet(key: string, members: string[]): Promise<number>;
  /**
   * One attempt against the rolling-window logs of every limit a request is under: each drops entries
   * older than its window before `nowMs`, and the attempt is recorded in all of them only if each has
   * fewer than its limit (a denied attempt uses no quota anywhere). Atomic.
   */
  hitSlidingWindows(logs: SlidingWindowLog[], attempt: SlidingWindowAttempt): Promise<SlidingWindowsState>;
  /** Reads a rolling-window log without recording anything. */
  peekSlidingWindow(key: string, windowMs: number, nowMs: number): Promise<SlidingWindowState>;
  /** One step of a cursor scan over keys matching a glob `pattern`; cursor '0' starts and ends. */
  scan(cursor: string, pattern: string, count: number): Promise<{ cursor: string; keys: string[] }>;
}

export type SlidingWindowLog = { key: string; limit: number; windowMs: number };
export type SlidingWindowAttempt = { nowMs: number; member: string };
/** `count` attempts inside the window after this call; `oldestMs` the earliest of them (or null). */
export type SlidingWindowState = { allowed: boolean; count: number; oldestMs: number | null };
/** Whether the attempt was admitted (by every log), and each log's state after it, in order. */
export type SlidingWindowsState = { allowed: boolean; logs: Omit<SlidingWindowState, 'allowed'>[] };

/** The store did not answer in time or answered with an error: callers fail closed or open on purpose. */
export class KvUnavailableError extends Error {
  override readonly name = 'KvUnavailableError';
}
