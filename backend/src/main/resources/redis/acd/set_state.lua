-- A state the agent (or a supervisor, or the presence check) asks for: available, not-ready + reason, logged-out.
-- KEYS[1] agent: the agent's record
-- arg: 1 agent id, 2 expected version ('' = any), 3 target, 4 reason, 5 actor (agent | supervisor | presence).
-- Returns JSON (AgentSessions.StateChange): {outcome, state, version}; outcome: ok, conflict (version moved),
-- not-logged-in, busy (on a call), ringing (an offer is ringing; only a supervisor or the presence check may cut it).
local id, target, reason, actor = arg(1), arg(3), arg(4), arg(5)
local a = hash(K.agent(id))
local state = a.state or 'logged-out'
if arg(2) ~= '' and tostring(num(a.version)) ~= arg(2) then
  return cjson.encode({outcome = 'conflict', state = state, version = num(a.version)})
end
if state == 'logged-out' then
  if target == 'logged-out' then return cjson.encode({outcome = 'ok', state = state, version = num(a.version)}) end
  return cjson.encode({outcome = 'not-logged-in', state = state, version = num(a.version)})
end
if state == 'on-call' then return cjson.encode({outcome = 'busy', state = state, version = num(a.version)}) end
if state == 'reserved' then
  if actor == 'agent' then return cjson.encode({outcome = 'ringing', state = state, version = num(a.version)}) end
  releaseOffer(a.offer, 'agent-unavailable', 0)
  a = hash(K.agent(id))
  state = a.state
end
if target ~= 'not-ready' then reason = '' end
if target == state and reason == (a.reason or '') then
  return cjson.encode({outcome = 'ok', state = state, version = num(a.version)})
end
local extra = {}
if target == 'available' then extra = {'idle', NOW, 'misses', 0} end
local v = transition(id, a, target, reason, extra)
if target == 'logged-out' then
  qlog('AGENTLOGOFF', 'NONE', 'NONE', id, NODE, math.floor((NOW - num(a.loginAt)) / 1000))
elseif target == 'not-ready' and state ~= 'not-ready' then
  qlog('PAUSE', 'NONE', 'NONE', id, reason)
elseif target == 'available' and state == 'not-ready' then
  qlog('UNPAUSE', 'NONE', 'NONE', id, a.reason or '')
end
return cjson.encode({outcome = 'ok', state = target, version = v})
