/**
 * The Lua scripts the Redis backend runs, as named constants with their pinned SHA-1 (EVALSHA first,
 * EVAL on NOSCRIPT). A test asks Redis for each script's hash, so an edit without a new hash fails CI.
 * The in-memory store implements the same steps in `tools/embedded/memory-kv.ts`.
 */
export type Script = { source: string; sha1: string };

export const SLIDING_WINDOW_HIT: Script = {
  source: `-- KEYS[1] log (sorted set: score = attempt time in ms)
-- ARGV[1] limit, ARGV[2] window ms, ARGV[3] now ms, ARGV[4] unique member for this attempt
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
local allowed = 0
if count < limit then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('PEXPIRE', key, window)
  count = count + 1
  allowed = 1
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2]
return { allowed, count, oldest or false }`,
  sha1: '8ba4b2d19c41f523d09be7796ee4546a797403fa',
};

export const SLIDING_WINDOW_PEEK: Script = {
  source: `-- KEYS[1] log; ARGV[1] window ms, ARGV[2] now ms. Read-only: counts attempts inside the window.
local key = KEYS[1]
local from = tonumber(ARGV[2]) - tonumber(ARGV[1])
local count = redis.call('ZCOUNT', key, '(' .. from, '+inf')
local oldest = redis.call('ZRANGEBYSCORE', key, '(' .. from, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)[2]
return { 0, count, oldest or false }`,
  sha1: '78c44129faf553e14df48742ace835f84eaa7bf0',
};

export const DELETE_IF_EQUALS: Script = {
  source: `-- KEYS[1] key; ARGV[1] expected value. Deletes only while the key holds that value.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`,
  sha1: 'b81d29feb0c99e957e482a2beb857769705d7f63',
};
