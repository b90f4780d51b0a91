-- KEYS[1] queueMembers: the queue's members
-- KEYS[2] availableAgents: the tenant's available agents
local n = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if redis.call('ZSCORE', KEYS[2], id) then n = n + 1 end
end
return n
