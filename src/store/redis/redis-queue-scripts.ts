/**
 * The reply queue's Lua scripts on Redis: each change is one script, so it is atomic and one round trip. A reply is a
 * hash (`reply:<id>`), each session a sorted set of its replies (`queue:<session>`), the held and failed ones a set
 * (`stuck:<session>`), the authors' counts a hash (`queue-authors:<session>`), and the sessions with replies a set.
 */

// KEYS: reply, queue, sessions, authors, stuck, claims...; ARGV: id, session, score, owner, ttl, per session cap (0:
// none), per author cap, author, reply key prefix to wake the held and failed replies ('' not to), hash fields and
// values... Answers 1 recorded, 0 a duplicate, 2 session full, 3 author full.
export const RECORD = `
for i = 6, #KEYS do if redis.call('EXISTS', KEYS[i]) == 1 then return 0 end end
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local perSession = tonumber(ARGV[6])
if perSession > 0 then
  if redis.call('ZCARD', KEYS[2]) >= perSession then return 2 end
  if tonumber(redis.call('HGET', KEYS[4], ARGV[8]) or '0') >= tonumber(ARGV[7]) then return 3 end
end
for i = 6, #KEYS do redis.call('SET', KEYS[i], ARGV[4], 'PX', ARGV[5]) end
redis.call('HSET', KEYS[1], unpack(ARGV, 10))
if ARGV[8] ~= '' then
  redis.call('HSET', KEYS[1], 'author', ARGV[8])
  redis.call('HINCRBY', KEYS[4], ARGV[8], 1)
end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[2])
if ARGV[9] ~= '' then
  for _, id in ipairs(redis.call('SMEMBERS', KEYS[5])) do
    local state = redis.call('HGET', ARGV[9] .. id, 'state')
    if state == 'held' or state == 'failed' then redis.call('HSET', ARGV[9] .. id, 'state', 'queued') end
    redis.call('SREM', KEYS[5], id)
  end
end
return 1`;

/** Lua: removes the reply KEYS[1] (id ARGV[1] of session ARGV[2]) from its queue, its author's count and the sets. */
const DROP = `
local function drop()
  local author = redis.call('HGET', KEYS[1], 'author')
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('SREM', KEYS[3], ARGV[1])
  if author and author ~= '' and redis.call('HINCRBY', KEYS[5], author, -1) <= 0 then redis.call('HDEL', KEYS[5], author) end
  if redis.call('ZCARD', KEYS[2]) == 0 then
    redis.call('SREM', KEYS[4], ARGV[2])
    redis.call('DEL', KEYS[5])
  end
end`;

// KEYS: queue; ARGV: reply key prefix, how many (0: all)
export const READ = `
local ids = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)
local out = {}
for _, id in ipairs(ids) do
  local fields = redis.call('HGETALL', ARGV[1] .. id)
  if #fields > 0 then table.insert(out, id) table.insert(out, fields) end
end
return out`;

// KEYS: reply; ARGV: revisions expected ('' for any), fields and values. A reply withdrawn (or revised) meanwhile is
// not changed (answers 0).
export const UPDATE = `
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HGET', KEYS[1], 'withdrawn') == '1' then return 0 end
if ARGV[1] ~= '' and (redis.call('HGET', KEYS[1], 'revisions') or '0') ~= ARGV[1] then return 0 end
if #ARGV > 1 then redis.call('HSET', KEYS[1], unpack(ARGV, 2)) end
return 1`;

// KEYS: queue, stuck; ARGV: reply key prefix, to, problem (or ''), from states...
export const SET_STATES = `
local from = {}
local onlyStuck = true
for i = 4, #ARGV do
  from[ARGV[i]] = true
  if ARGV[i] == 'queued' then onlyStuck = false end
end
local ids
if onlyStuck then ids = redis.call('SMEMBERS', KEYS[2]) else ids = redis.call('ZRANGE', KEYS[1], 0, -1) end
local stuck = ARGV[2] ~= 'queued'
local out = {}
for _, id in ipairs(ids) do
  local key = ARGV[1] .. id
  local state = redis.call('HGET', key, 'state')
  if state and from[state] then
    redis.call('HSET', key, 'state', ARGV[2])
    if stuck then
      redis.call('HSET', key, 'wasHeld', '1')
      redis.call('SADD', KEYS[2], id)
    else
      redis.call('SREM', KEYS[2], id)
    end
    if ARGV[3] ~= '' then redis.call('HSET', key, 'problem', ARGV[3]) end
    table.insert(out, id)
    table.insert(out, redis.call('HGETALL', key))
  end
end
return out`;

// KEYS: reply, queue, stuck, sessions, authors, claims...; ARGV: id, session, claims' owner, their ttl
export const REMOVE = `${DROP}
drop()
for i = 6, #KEYS do redis.call('SET', KEYS[i], ARGV[3], 'PX', ARGV[4]) end
return 1`;

// KEYS: reply, queue, stuck, sessions, authors; ARGV: id, session. Answers {0} absent, {1, fields} withdrawn (removed),
// {2, fields} in flight (marked withdrawn: never sent again).
export const WITHDRAW = `${DROP}
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
local fields = redis.call('HGETALL', KEYS[1])
if redis.call('HGET', KEYS[1], 'uncertain') == '1' then
  redis.call('HSET', KEYS[1], 'withdrawn', '1')
  return {2, fields}
end
drop()
return {1, fields}`;

// KEYS: reply; ARGV: the new words. Answers {0} absent (or withdrawn), {1, fields} revised, {2} in flight.
export const REVISE = `
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HGET', KEYS[1], 'withdrawn') == '1' then return {0} end
if redis.call('HGET', KEYS[1], 'uncertain') == '1' then return {2} end
redis.call('HSET', KEYS[1], 'revision', ARGV[1], 'text', '')
redis.call('HINCRBY', KEYS[1], 'revisions', 1)
return {1, redis.call('HGETALL', KEYS[1])}`;

// KEYS: sessions; ARGV: queue key prefix, stuck key prefix
export const TO_SEND = `
local out = {}
for _, session in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('ZCARD', ARGV[1] .. session) > redis.call('SCARD', ARGV[2] .. session) then
    table.insert(out, session)
  end
end
return out`;

// KEYS: sessions; ARGV: queue key prefix, stuck key prefix, reply key prefix. Returns all, held, failed.
export const COUNTS = `
local all, held, failed = 0, 0, 0
for _, session in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  all = all + redis.call('ZCARD', ARGV[1] .. session)
  for _, id in ipairs(redis.call('SMEMBERS', ARGV[2] .. session)) do
    local state = redis.call('HGET', ARGV[3] .. id, 'state')
    if state == 'held' then held = held + 1 elseif state == 'failed' then failed = failed + 1 end
  end
end
return {all, held, failed}`;
