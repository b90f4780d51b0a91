-- A node that (re)starts carries no call: it forgets the direct calls it counted before (direct.lua).
-- KEYS[1] directCalls: this node's index of parties with a count
local field = K.DIRECT_CALLS_FIELD .. NODE
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do redis.call('HDEL', K.agent(id), field) end
redis.call('DEL', KEYS[1])
return 0
