-- An agent answered an offer. The first answer wins; every other agent the offer rang is released.
-- KEYS[1] offer: the offer answered
-- arg: 1 offer id, 2 agent id, 3 agent version the answering node holds ('' = unchecked),
-- 4 service level (ms).
-- Returns JSON (Claims.Accepted): {outcome, ...}: ok with waitedMs and the released agent ids, gone (offer ended or
-- already answered: this agent lost), not-reserved with the agent's state, stale with its version (the fencing
-- token moved on: a newer reservation owns the agent).
local offerId, id = arg(1), arg(2)
local o = hash(KEYS[1])
if o.caller == nil then return cjson.encode({outcome = 'gone'}) end
local a = hash(K.agent(id))
if a.state ~= 'reserved' or a.offer ~= offerId then
  return cjson.encode({outcome = 'not-reserved', state = a.state or 'logged-out'})
end
if o['v:' .. id] ~= a.version or (arg(3) ~= '' and arg(3) ~= a.version) then
  return cjson.encode({outcome = 'stale', version = num(a.version)})
end
local ckey = K.queueCaller(o.caller)
local enqueuedAt = num(redis.call('HGET', ckey, 'enqueuedAt'))
-- a callback ticket: CONNECT marked as a callback (data2), as for an agent joining a parked caller's room
local connectKind = ''
if redis.call('HGET', ckey, 'kind') == 'ticket' then connectKind = 'callback' end
local waited = NOW - enqueuedAt
agentCount(id, 'answered', 1) -- first: the on-call event counts this call
transition(id, a, 'on-call', '', {'call', o.caller, 'callQueue', o.queue, 'talkStart', NOW, 'misses', 0,
  'holdMs', waited})
local released = {}
for _, other in ipairs(split(o.agents)) do
  if other ~= id then
    local b = hash(K.agent(other))
    if b.state == 'reserved' and b.offer == offerId then
      transition(other, b, 'available', '', {})
      released[#released + 1] = other
    end
    emit('offer.ended', o.queue, other, o.caller, {'offerId', offerId, 'reason', 'answered-elsewhere'})
  end
end
redis.call('ZREM', K.queueWait(o.queue), o.caller)
redis.call('ZREM', K.queueReady(o.queue), o.caller)
redis.call('HSET', ckey, 'offer', '', 'state', 'connected', 'agent', id, 'answeredAt', NOW)
statIncr(o.queue, 'answered', 1)
statIncr(o.queue, 'waitMsAnswered', waited)
if waited <= tonumber(arg(4)) then statIncr(o.queue, 'withinServiceLevel', 1) end
qlog('CONNECT', o.queue, o.caller, id, math.floor(waited / 1000), connectKind,
  math.floor((NOW - num(o.createdAt)) / 1000))
emit('connect', o.queue, id, o.caller, {'offerId', offerId, 'waitedMs', waited})
redis.call('DEL', KEYS[1])
return cjson.encode({outcome = 'ok', waitedMs = waited, released = released})
