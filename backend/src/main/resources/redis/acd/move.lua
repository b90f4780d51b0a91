-- A supervisor moves a waiting caller: to the head of its queue, or to another queue (keeping its priority and
-- enqueue time, so it lands where it would have been had it called there first). A ringing offer is cancelled.
-- KEYS[1] queueCaller: the caller's hash
-- arg: 1 call id, 2 target queue ('' = head of its own queue).
-- Returns JSON (Callers.Moved): {outcome = ok | gone | connected, queue, position}.
local callId, target = arg(1), arg(2)
local c = hash(KEYS[1])
if c.callId == nil then return cjson.encode({outcome = 'gone'}) end
if c.state == 'connected' then return cjson.encode({outcome = 'connected'}) end
if c.offer and c.offer ~= '' then releaseOffer(c.offer, 'moved', 0) end
local from = c.queue
local fromWait, fromReady = K.queueWait(from), K.queueReady(from)
local score = c.score
local queue = from
if target == '' then
  local first = redis.call('ZRANGE', fromWait, 0, 0, 'WITHSCORES')
  if first[1] ~= callId then score = string.format('%.0f', tonumber(first[2]) - 1) end
else
  queue = target
  redis.call('ZREM', fromWait, callId)
  redis.call('ZREM', fromReady, callId)
end
local wait, ready = K.queueWait(queue), K.queueReady(queue)
redis.call('ZADD', wait, score, callId)
redis.call('ZADD', ready, score, callId)
redis.call('HSET', KEYS[1], 'queue', queue, 'score', score, 'offer', '', 'retryAt', 0)
local pos = redis.call('ZRANK', wait, callId) + 1
if queue ~= from then
  -- its entry position in the queue it now waits in (the transfer lines' origposition)
  redis.call('HSET', KEYS[1], 'position', pos)
  qlog('TRANSFER', from, callId, 'NONE', queue, pos, math.floor((NOW - num(c.enqueuedAt)) / 1000))
end
-- what a wallboard needs to list the caller in its new place without asking again
emit('caller.moved', queue, '', callId, {'from', from, 'position', pos, 'score', score, 'number', c.number or '',
  'name', c.name or '', 'enqueuedAt', c.enqueuedAt or ''})
return cjson.encode({outcome = 'ok', queue = queue, position = pos})
