-- The presence check of a tenant, run by one node per round: the sessions whose agent may be gone.
-- KEYS[1] agentSessions: the tenant's sessions
-- KEYS[2] registrations: extension -> latest contact expiry (ms)
-- KEYS[3] presenceRound: the round's lease
-- arg: 1 grace ms, 2 round length ms.
-- Returns {} when another node holds this round, else {'checked', id, registered, ...} for each session neither
-- logged out nor on a call whose agent no WebSocket has marked seen within the grace; registered is 1 when the
-- extension still has an unexpired contact (the node then checks that its node is alive), else 0.
local grace, round = tonumber(arg(1)), tonumber(arg(2))
if not redis.call('SET', KEYS[3], NODE, 'NX', 'PX', round) then return {} end
local out = {'checked'}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local a = redis.call('HMGET', K.agent(id), 'state', 'seen')
  if a[1] and a[1] ~= 'logged-out' and a[1] ~= 'on-call' and NOW - num(a[2]) >= grace then
    local expiry = redis.call('ZSCORE', KEYS[2], id)
    out[#out + 1] = id
    out[#out + 1] = (expiry and tonumber(expiry) > NOW) and '1' or '0'
  end
end
return out
