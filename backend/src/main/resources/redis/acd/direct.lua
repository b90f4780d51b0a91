-- A party whose leg this node holds entered (+1) or left (-1) a direct call, one that is no queue call: an agent
-- with a direct call in progress on a live node gets no queue offer (claim.lua). Counted per node in the party's
-- agent hash (field direct:<node>), so a dead node's count is ignored by the claim and a restarted node clears its
-- own (direct_reset.lua). The counts commute: an end written before its start, after a Redis outage, still sums to 0.
-- KEYS[1] agent: the party's agent hash
-- KEYS[2] directCalls: this node's index of parties with a count
-- arg: 1 party, 2 delta.
-- Returns 1 when the party is now free of direct calls and available (the caller dispatches), else 0.
local field = K.DIRECT_CALLS_FIELD .. NODE
local n = redis.call('HINCRBY', KEYS[1], field, tonumber(arg(2)))
if n ~= 0 then
  redis.call('SADD', KEYS[2], arg(1))
  return 0
end
redis.call('HDEL', KEYS[1], field)
redis.call('SREM', KEYS[2], arg(1))
if redis.call('HGET', KEYS[1], 'state') ~= 'available' then return 0 end
for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
  if string.sub(f, 1, #K.DIRECT_CALLS_FIELD) == K.DIRECT_CALLS_FIELD then return 0 end
end
return 1
