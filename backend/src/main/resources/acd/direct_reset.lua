-- A node that (re)starts carries no call: it forgets the direct calls it counted before (direct.lua).
-- KEYS: 1 this node's index of parties with a count (set).
local field = 'direct:' .. NODE
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do redis.call('HDEL', agentKey(id), field) end
redis.call('DEL', KEYS[1])
return 0
