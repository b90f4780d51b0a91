-- An offer rang an agent until the ring timeout, or could not reach it. The agent counts a miss (not-ready after
-- maxMisses in a row); an agent who cannot be reached at all (no binding, 404/480 from its phone) is not-ready
-- 'unreachable' at once: offering it again only makes the caller wait, and a not-ready member with a push binding is
-- one the callback service wakes. When nobody is left ringing, the caller keeps its place and may be offered again
-- after the retry delay.
-- KEYS[1] offer: the offer that rang
-- arg: 1 offer id, 2 agent id, 3 max misses (0 = never not-ready), 4 retry delay ms, 5 why: no-answer | unreachable.
-- Returns JSON (Claims.NoAnswer): {outcome = ok | not-reserved, state (the agent's, new), misses}.
local offerId, id = arg(1), arg(2)
local a = hash(K.agent(id))
if a.state ~= 'reserved' or a.offer ~= offerId then
  return cjson.encode({outcome = 'not-reserved', state = a.state or 'logged-out'})
end
local o = hash(KEYS[1])
local queue = o.queue or ''
local misses = num(a.misses) + 1
local maxMisses = tonumber(arg(3))
local newState, reason = 'available', ''
local unreachable = arg(5) == 'unreachable'
if unreachable then
  newState, reason = 'not-ready', 'unreachable'
elseif maxMisses > 0 and misses >= maxMisses then
  newState, reason = 'not-ready', 'no-answer'
end
transition(id, a, newState, reason, {'misses', misses})
agentCount(id, 'missed', 1)
qlog('RINGNOANSWER', queue, o.caller, id, NOW - num(o.createdAt))
if newState == 'not-ready' then qlog('PAUSE', 'NONE', 'NONE', id, reason) end
emit('offer.ended', queue, id, o.caller, {'offerId', offerId, 'reason', unreachable and 'unreachable' or 'timeout'})
local rest = {}
for _, other in ipairs(split(o.agents)) do
  if other ~= id then
    local b = redis.call('HMGET', K.agent(other), 'state', 'offer')
    if b[1] == 'reserved' and b[2] == offerId then rest[#rest + 1] = other end
  end
end
if #rest == 0 then
  if o.caller then
    local ckey = K.queueCaller(o.caller)
    if redis.call('HGET', ckey, 'offer') == offerId then callerReady(o.caller, tonumber(arg(4))) end
  end
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], 'agents', table.concat(rest, ','))
end
return cjson.encode({outcome = 'ok', state = newState, misses = misses})
