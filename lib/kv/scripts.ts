/**
 * The Lua scripts the Redis backend runs, as named constants with their pinned SHA-1 (EVALSHA first,
 * EVAL on NOSCRIPT). A test asks Redis for each script's hash, so an edit without a new hash fails CI.
 * The in-memory store implements the same steps in `tools/embedded/memory-kv.ts`.
 */
export type Script = { source: string; sha1: string };

export const SLIDING_WINDOW_HIT: Script = {
  source: `-- KEYS[i] logs (sorted sets: score = attempt time in ms), one per limit of the request
-- ARGV[1] now ms, ARGV[2] unique member for this attempt, then per key: limit, window ms
-- All or nothing: the attempt is recorded in every log only when every log admits it.
local now = tonumber(ARGV[1])
local counts = {}
local allowed = 1
for i = 1, #KEYS do
  local window = tonumber(ARGV[2 * i + 2])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  counts[i] = redis.call('ZCARD', KEYS[i])
  if counts[i] >= tonumber(ARGV[2 * i + 1]) then allowed = 0 end
end
local reply = { allowed }
for i = 1, #KEYS do
  if allowed == 1 then
    redis.call('ZADD', KEYS[i], now, ARGV[2])
    redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[2 * i + 2]))
    counts[i] = counts[i] + 1
  end
  reply[2 * i] = counts[i]
  reply[2 * i + 1] = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')[2] or false
end
return reply`,
  sha1: '9f1dadff1a787021ce5bb9cf0d6ad6c427ed8dc1',
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

export const TAKE_ONCE: Script = {
  source: `-- KEYS[1] single-use value, KEYS[2] its tombstone; ARGV[1] tombstone TTL ms.
-- Takes the value and leaves the tombstone in one step: a second taker always sees one of the two.
local value = redis.call('GET', KEYS[1])
if value then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], '1', 'PX', tonumber(ARGV[1]))
  return { 1, value }
end
return { 0, redis.call('EXISTS', KEYS[2]) }`,
  sha1: '1920f924eb70c97fd71a7d350863d2d301d4f700',
};
