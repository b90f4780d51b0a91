-- A queue call of an agent ended: wrap-up (or straight back to available), counters for fewest-calls and
-- least-talk-time, the queue log's COMPLETEAGENT / COMPLETECALLER, or (the agent transferred the caller, REFER)
-- BLINDTRANSFER / ATTENDEDTRANSFER in app_queue's layout (Asterisk 12+), which queue_log readers parse:
-- BLINDTRANSFER|extension|context|holdtime|calltime|origposition, the extension the target, the context the tenant
-- (its numbering plan is the one a number is dialled in);
-- ATTENDEDTRANSFER|BRIDGE|data|holdtime|calltime|origposition, BRIDGE since the caller's leg is joined to the
-- consultation call's other party (the REFER's Replaces), the data that party's number. holdtime: seconds the caller
-- waited, calltime: seconds with the agent, origposition: its position when it entered the queue (0 when it never
-- waited in one, a callback's room).
-- KEYS[1] agent: the agent whose call ended
-- arg: 1 agent id, 2 wrap-up ms, 3 how it ended (agent | caller | blind | attended), 4 the transfer's target,
-- 5 the tenant (a blind transfer's context).
-- Returns JSON (Claims.CallEnd): {outcome = ok | not-on-call, state (the agent's, new), talkMs}.
local id = arg(1)
local a = hash(KEYS[1])
if a.state ~= 'on-call' then return cjson.encode({outcome = 'not-on-call', state = a.state or 'logged-out'}) end
local talk = NOW - num(a.talkStart)
local queue = a.callQueue or ''
local how = arg(3)
local hold = math.floor(num(a.holdMs) / 1000)
if how == 'blind' or how == 'attended' then
  local position = 0
  if a.call and a.call ~= '' then position = num(redis.call('HGET', K.queueCaller(a.call), 'position')) end
  if how == 'blind' then
    queueLogLine('BLINDTRANSFER', queue, a.call, id, {arg(4), arg(5), hold, math.floor(talk / 1000), position})
  else
    queueLogLine('ATTENDEDTRANSFER', queue, a.call, id, {'BRIDGE', arg(4), hold, math.floor(talk / 1000), position})
  end
else
  local event = 'COMPLETECALLER'
  if how == 'agent' then event = 'COMPLETEAGENT' end
  qlog(event, queue, a.call, id, hold, math.floor(talk / 1000))
end
if queue ~= '' then
  statIncr(queue, 'completed', 1)
  statIncr(queue, 'talkMs', talk)
end
if a.call and a.call ~= '' then redis.call('DEL', K.queueCaller(a.call)) end
emit('call.end', queue, id, a.call, {'talkMs', talk, 'hungUpBy', arg(3)})
local wrap = tonumber(arg(2))
local extra = {'calls', num(a.calls) + 1, 'talkMs', num(a.talkMs) + talk, 'lastCallEnd', NOW, 'call', '',
  'callQueue', ''}
local state = 'available'
if wrap > 0 then
  state = 'wrap-up'
  extra[#extra + 1] = 'wrapUntil'; extra[#extra + 1] = NOW + wrap
  -- whose queue the wrap-up belongs to: its time counts in that queue's average handle time when it ends
  extra[#extra + 1] = 'wrapQueue'; extra[#extra + 1] = queue
else
  extra[#extra + 1] = 'idle'; extra[#extra + 1] = NOW
end
transition(id, a, state, '', extra)
return cjson.encode({outcome = 'ok', state = state, talkMs = talk})
