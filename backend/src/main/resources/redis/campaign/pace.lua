-- KEYS[1] campaignPacing: the node pacing the campaign now (a string with a TTL of about one tick)
-- KEYS[2] campaignExposed: the calls over-dialled lately, member '<node>:<ms>:<count>' scored by when they stop
--         being exposed (ms, Redis's clock)
-- ARGV: 1 'take', 'expose' or 'give', 2 node id, 3 the turn's length (take) or the exposure (expose) in ms,
--       4 how many calls were over-dialled (expose).
-- take: the pacing turn, if no other node holds it: the inputs of the pacing (available agents, calls in flight,
--   the abandon budget) are cluster-wide, so two nodes pacing at once would each dial the same calls. Returns the
--   calls over-dialled by every node and still exposed (they may yet end abandoned), or -1 without the turn.
-- expose: the pacer's over-dialled calls of this turn, exposed until ARGV[3] ms from now. Returns 1.
-- give: the turn back, if this node holds it (it had no trunk room, so another node may pace this tick). Returns 1.
-- Redis's own clock: one clock for every node.
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local action, node = ARGV[1], ARGV[2]
if action == 'take' then
  if not redis.call('SET', KEYS[1], node, 'NX', 'PX', tonumber(ARGV[3])) then
    return -1
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ms)
  local exposed = 0
  for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
    exposed = exposed + tonumber(string.match(member, ':(%d+)$'))
  end
  return exposed
elseif action == 'expose' then
  local ttl = tonumber(ARGV[3])
  redis.call('ZADD', KEYS[2], ms + ttl, node .. ':' .. ms .. ':' .. ARGV[4])
  redis.call('PEXPIRE', KEYS[2], ttl)
  return 1
elseif action == 'give' then
  if redis.call('GET', KEYS[1]) == node then
    redis.call('DEL', KEYS[1])
  end
  return 1
end
return redis.error_reply('unknown action ' .. tostring(action))
