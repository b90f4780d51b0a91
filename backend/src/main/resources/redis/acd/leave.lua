-- A waiting caller leaves the queue other than to an agent.
-- KEYS[1] queueWait: the callers waiting
-- KEYS[2] queueCaller: the caller's hash
-- KEYS[3] queueReady: the callers without a live offer
-- arg: 1 queue, 2 call id, 3 reason (abandon | timeout | exitkey | lost | moved | park | vanished), 4 exit key (for
-- vanished: why — no-ack, silent, dialog-gone), 5 destination (kind:target, for timeout and exitkey; may be empty).
-- A ringing offer is cancelled first. Returns JSON (Callers.Left): {outcome = ok | gone | connected, released =
-- the agent ids the cancelled offer freed}.
local queue, callId, reason = arg(1), arg(2), arg(3)
local c = hash(KEYS[2])
if c.callId == nil then return cjson.encode({outcome = 'gone'}) end
if c.state == 'connected' then return cjson.encode({outcome = 'connected'}) end
-- A supervisor may have moved the caller to another queue (move.lua) since its node last looked: it leaves the queue
-- it waits in now, or it would stay listed there for ever.
local waitKey, readyKey = KEYS[1], KEYS[3]
if c.queue and c.queue ~= '' and c.queue ~= queue then
  queue = c.queue
  waitKey, readyKey = K.queueWait(queue), K.queueReady(queue)
end
local rank = redis.call('ZRANK', waitKey, callId)
local pos = rank and rank + 1 or 0
local released = {}
if c.offer and c.offer ~= '' then
  local why = reason
  if reason == 'abandon' then why = 'abandoned' end
  if reason == 'vanished' then why = 'caller-gone' end
  released = releaseOffer(c.offer, why, 0)
end
redis.call('ZREM', waitKey, callId)
redis.call('ZREM', readyKey, callId)
redis.call('DEL', KEYS[2])
local waited = math.floor((NOW - num(c.enqueuedAt)) / 1000)
if reason == 'abandon' then
  qlog('ABANDON', queue, callId, 'NONE', pos, pos, waited)
  statIncr(queue, 'abandoned', 1)
elseif reason == 'timeout' then
  qlog('EXITWITHTIMEOUT', queue, callId, 'NONE', pos, pos, waited, arg(5))
  statIncr(queue, 'timedOut', 1)
elseif reason == 'exitkey' then
  qlog('EXITWITHKEY', queue, callId, 'NONE', arg(4), pos, waited, arg(5))
elseif reason == 'park' then
  -- Not an Asterisk event: the caller left for a room on its node (conference/), where the callback service wakes
  -- an agent; data1 the exit key that parked it (empty: no agent, or the wait), data2 position, data3 seconds waited.
  qlog('PARK', queue, callId, 'NONE', arg(4), pos, waited)
  statIncr(queue, 'parked', 1)
elseif reason == 'vanished' then
  -- Not an Asterisk event (its ABANDON means the caller hung up): the caller's phone went away without a BYE — it
  -- never ACKed our 200, or sent no RTP and answered no OPTIONS; data1 why, data2 position, data3 seconds waited.
  qlog('VANISHED', queue, callId, 'NONE', arg(4), pos, waited)
  statIncr(queue, 'vanished', 1)
elseif reason == 'lost' then
  -- Not an Asterisk event: the caller's node died, which is neither an abandon nor a timeout.
  qlog('LOSTNODE', queue, callId, 'NONE', c.owner, pos, waited)
  statIncr(queue, 'lost', 1)
else
  qlog('TRANSFER', queue, callId, 'NONE', reason, pos, waited)
end
emit('caller.left', queue, '', callId, {'reason', reason, 'position', pos, 'waitedSeconds', waited,
  'destination', arg(5) or ''})
return cjson.encode({outcome = 'ok', released = released})
