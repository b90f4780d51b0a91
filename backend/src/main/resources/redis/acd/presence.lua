-- The presence check of a tenant, run by one node per round: the sessions whose agent may be gone.
-- KEYS[1] agentSessions: the tenant's sessions
-- KEYS[2] registrations: extension -> latest contact expiry (ms)
-- KEYS[3] presenceRound: the round's lease
-- arg: 1 grace ms, 2 round length ms.
-- Returns JSON (Presence.Round): {checked = false} when another node holds this round, else {checked = true,
-- suspects = [{agentId, registered}]}: each session neither logged out nor on a call whose agent no WebSocket has
-- marked seen within the grace; registered when the extension still has an unexpired contact (the node then checks
-- that its node is alive).
local grace, round = tonumber(arg(1)), tonumber(arg(2))
if not redis.call('SET', KEYS[3], NODE, 'NX', 'PX', round) then return cjson.encode({checked = false}) end
local suspects = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local a = redis.call('HMGET', K.agent(id), 'state', 'seen')
  if a[1] and a[1] ~= 'logged-out' and a[1] ~= 'on-call' and NOW - num(a[2]) >= grace then
    local expiry = redis.call('ZSCORE', KEYS[2], id)
    suspects[#suspects + 1] = {agentId = id, registered = (expiry and tonumber(expiry) > NOW) and true or false}
  end
end
return cjson.encode({checked = true, suspects = suspects})
