import type {
  KvStore,
  SlidingWindowAttempt,
  SlidingWindowLog,
  SlidingWindowState,
  SlidingWindowsState,
} from '../../lib/kv';

type Attempt = { at: number; member: string };
type Entry = { expiresAt: number } & (
  | { kind: 'string'; value: string }
  | { kind: 'set'; members: Set<string> }
  | { kind: 'log'; attempts: Attempt[] }
);

/**
 * The embedded KV default: one process, in memory. The contract suite holds it to the same answers as
 * Redis behind the production client, TTLs included. Each method runs to completion without awaiting,
 * so it is as atomic as the Lua script it mirrors. Expiry is checked on access, like Redis' lazy expiry.
 */
export class MemoryKv implements KvStore {
  readonly backend = 'memory' as const;
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  async ping(): Promise<void> {}

  async get(key: string): Promise<string | null> {
    const entry = this.#live(key);
    return entry?.kind === 'string' ? entry.value : null;
  }

  async set(
    key: string,
    value: string,
    options: { ttlMs: number; onlyIfAbsent?: boolean; onlyIfPresent?: boolean },
  ): Promise<boolean> {
    if (options.onlyIfAbsent && this.#live(key)) return false;
    if (options.onlyIfPresent && !this.#live(key)) return false;
    this.#entries.set(key, { kind: 'string', value, expiresAt: this.now() + options.ttlMs });
    return true;
  }

  async del(...keys: string[]): Promise<number> {
    let removed = 0;
    for (const key of keys) if (this.#live(key) && this.#entries.delete(key)) removed++;
    return removed;
  }

  async takeOnce(
    key: string,
    tombstone: string,
    ttlMs: number,
  ): Promise<{ value: string } | { used: boolean }> {
    const entry = this.#live(key);
    if (entry?.kind === 'string') {
      this.#entries.delete(key);
      await this.set(tombstone, '1', { ttlMs });
      return { value: entry.value };
    }
    return { used: this.#live(tombstone) !== undefined };
  }

  async pttl(key: string): Promise<number> {
    const entry = this.#live(key);
    return entry ? Math.max(0, entry.expiresAt - this.now()) : -2;
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    const entry = this.#live(key);
    if (entry?.kind !== 'string' || entry.value !== value) return false;
    return this.#entries.delete(key);
  }

  async addToSet(key: string, members: string[], ttlMs: number): Promise<void> {
    if (members.length === 0) return;
    const entry = this.#live(key);
    const set = entry?.kind === 'set' ? entry.members : new Set<string>();
    for (const member of members) set.add(member);
    this.#entries.set(key, { kind: 'set', members: set, expiresAt: this.now() + ttlMs });
  }

  async setMembers(key: string): Promise<string[]> {
    const entry = this.#live(key);
    return entry?.kind === 'set' ? [...entry.members] : [];
  }

  async removeFromSet(key: string, members: string[]): Promise<number> {
    const entry = this.#live(key);
    if (entry?.kind !== 'set') return 0;
    let removed = 0;
    for (const member of members) if (entry.members.delete(member)) removed++;
    if (entry.members.size === 0) this.#entries.delete(key); // as Redis: an empty set does not exist
    return removed;
  }

  async hitSlidingWindows(
    logs: SlidingWindowLog[],
    { nowMs, member }: SlidingWindowAttempt,
  ): Promise<SlidingWindowsState> {
    // The script's steps: trim every log, admit only if each is under its limit, then record in all.
    const trimmed = logs.map(({ key, windowMs }) => {
      const entry = this.#live(key);
      const attempts =
        entry?.kind === 'log' ? entry.attempts.filter((attempt) => attempt.at > nowMs - windowMs) : [];
      if (entry?.kind === 'log') entry.attempts = attempts;
      return attempts;
    });
    const allowed = logs.every((log, i) => (trimmed[i] as Attempt[]).length < log.limit);
    const states = logs.map(({ key, windowMs }, i) => {
      const attempts = trimmed[i] as Attempt[];
      if (allowed) {
        attempts.push({ at: nowMs, member });
        attempts.sort((a, b) => a.at - b.at || a.member.localeCompare(b.member));
        this.#entries.set(key, { kind: 'log', attempts, expiresAt: this.now() + windowMs });
      }
      if (attempts.length === 0) this.#entries.delete(key);
      return { count: attempts.length, oldestMs: attempts[0]?.at ?? null };
    });
    return { allowed, logs: states };
  }

  async peekSlidingWindow(key: string, windowMs: number, nowMs: number): Promise<SlidingWindowState> {
    const entry = this.#live(key);
    const attempts =
      entry?.kind === 'log' ? entry.attempts.filter((attempt) => attempt.at > nowMs - windowMs) : [];
    return { allowed: false, count: attempts.length, oldestMs: attempts[0]?.at ?? null };
  }

  async scan(cursor: string, pattern: string, count: number): Promise<{ cursor: string; keys: string[] }> {
    const matcher = globToRegExp(pattern);
    const keys = [...this.#entries.keys()].filter((key) => this.#live(key)).sort();
    const start = Number(cursor) || 0;
    const page = keys.slice(start, start + count);
    const next = start + count >= keys.length ? '0' : String(start + count);
    return { cursor: next, keys: page.filter((key) => matcher.test(key)) };
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

/** Redis glob: `*`, `?`, `[...]`, backslash escapes. */
function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '\\' && i + 1 < pattern.length) source += `\\${pattern[++i]}`;
    else if (char === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) source += '\\[';
      else {
        source += `[${pattern.slice(i + 1, end).replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}
