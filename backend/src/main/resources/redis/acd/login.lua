-- Opens an agent's session (or refreshes it when already logged in: a second device, a re-login).
-- KEYS[1] agent: the agent's record
-- arg: 1 agent id, 2 queues (comma list). Returns 1 when a new session began, 0 when one existed.
local id = arg(1)
local key = KEYS[1]
local a = hash(key)
local session = {'agentId', id, 'node', NODE, 'queues', arg(2), 'seen', NOW}
if a.state == nil or a.state == 'logged-out' then
  for _, v in ipairs({'loginAt', NOW, 'calls', 0, 'talkMs', 0, 'misses', 0, 'idle', NOW}) do session[#session + 1] = v end
  transition(id, a, 'not-ready', 'login', session)
  qlog('AGENTLOGIN', 'NONE', 'NONE', id, NODE)
  return 1
end
redis.call('HSET', key, unpack(session))
return 0
