-- An agent joined a parked caller's room (conference/join.lua decided it won): it is on that call for the caller's
-- queue as if it had answered an offer — on-call (so no offer reaches it and its hang-up starts wrap-up through
-- call_end.lua), the queue log's CONNECT with data2 = 'callback' and the room, the queue's answered figures.
-- KEYS[1] agent: the agent's hash
-- arg: 1 agent id, 2 queue, 3 call id, 4 the caller's first enqueue time (ms), 5 room id.
-- A logged-out member of the queue (woken from its sleep by the push) is logged in by the join, as login.lua would
-- (AGENTLOGIN), straight into on-call.
-- Returns JSON (Claims.CallbackConnect): {outcome = ok | not-a-member | busy, state (the agent's)}. Someone logged
-- out who is no member of the queue (an app user, another extension), or an agent reserved for or on another call,
-- is left as it is (the join stands: the room is theirs).
local id, queue, callId = arg(1), arg(2), arg(3)
local a = hash(KEYS[1])
if a.state == nil or a.state == 'logged-out' then
  if not redis.call('ZSCORE', K.queueMembers(queue), id) then
    return cjson.encode({outcome = 'not-a-member', state = 'logged-out'})
  end
  local session = {'agentId', id, 'node', NODE, 'queues', queue, 'seen', NOW, 'loginAt', NOW, 'calls', 0,
    'talkMs', 0, 'misses', 0, 'idle', NOW}
  transition(id, a, 'not-ready', 'login', session)
  qlog('AGENTLOGIN', 'NONE', 'NONE', id, NODE)
  a = hash(KEYS[1])
end
if a.state == 'on-call' or a.state == 'reserved' then return cjson.encode({outcome = 'busy', state = a.state}) end
local waited = math.max(0, NOW - num(arg(4)))
agentCount(id, 'answered', 1) -- first: the on-call event counts this call
transition(id, a, 'on-call', '', {'call', callId, 'callQueue', queue, 'talkStart', NOW, 'misses', 0,
  'holdMs', waited})
statIncr(queue, 'answered', 1)
statIncr(queue, 'waitMsAnswered', waited)
qlog('CONNECT', queue, callId, id, math.floor(waited / 1000), 'callback', arg(5))
emit('connect', queue, id, callId, {'callback', 'true', 'room', arg(5), 'waitedMs', waited})
return cjson.encode({outcome = 'ok', state = 'on-call'})
