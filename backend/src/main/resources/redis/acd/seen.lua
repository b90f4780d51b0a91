-- Marks agents as seen now (their WebSocket is open on the calling node), those with a session hash only: the
-- presence check logs out the sessions nobody has seen for the grace. One call for all of a node's sockets of a
-- tenant, every sweep.
-- KEYS[1] agentSessions: the tenant's sessions (names the tenant's slot)
-- arg: agent ids. Returns how many were marked.
local marked = 0
for i = 1, argCount() do
  local key = K.agent(arg(i))
  if redis.call('EXISTS', key) == 1 then
    redis.call('HSET', key, 'seen', NOW)
    marked = marked + 1
  end
end
return marked
