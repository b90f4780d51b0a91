-- A caller joins a queue.
-- KEYS[1] queueWait: the callers waiting
-- KEYS[2] queueCaller: the caller's hash
-- KEYS[3] queueMembers: the queue's members
-- KEYS[4] queueReady: the callers without a live offer, same scores
-- arg: 1 queue, 2 call id, 3 owner node, 4 priority 0-99, 5 number, 6 name, 7 skills (name:min,...),
-- 8 custom data (JSON), 9 max length (0 = none), 10 join when empty ('1'/'0').
-- Returns JSON (Callers.Enqueued): {outcome = ok | exists | full | empty, position}.
-- Score: higher priority first, then enqueue time (ms < 1e13, so one double holds both exactly).
local queue, callId = arg(1), arg(2)
if redis.call('EXISTS', KEYS[2]) == 1 then return cjson.encode({outcome = 'exists'}) end
local max = tonumber(arg(9))
if max > 0 and redis.call('ZCARD', KEYS[1]) >= max then
  qlog('FULL', queue, callId, 'NONE')
  return cjson.encode({outcome = 'full'})
end
if arg(10) ~= '1' then
  local staffed = false
  for _, id in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
    if redis.call('SISMEMBER', K.agentSessions(), id) == 1 then staffed = true; break end
  end
  if not staffed then
    qlog('JOINEMPTY', queue, callId, 'NONE')
    return cjson.encode({outcome = 'empty'})
  end
end
local score = string.format('%.0f', (99 - tonumber(arg(4))) * 1e13 + NOW)
redis.call('ZADD', KEYS[1], score, callId)
redis.call('ZADD', KEYS[4], score, callId)
redis.call('HSET', KEYS[2], 'callId', callId, 'queue', queue, 'owner', arg(3), 'priority', arg(4), 'number', arg(5),
  'name', arg(6), 'skills', arg(7), 'data', arg(8), 'enqueuedAt', NOW, 'offer', '', 'retryAt', 0, 'state', 'waiting',
  'offers', 0, 'score', score)
local pos = redis.call('ZRANK', KEYS[1], callId) + 1
qlog('ENTERQUEUE', queue, callId, 'NONE', '', arg(5), pos)
emit('caller.enqueued', queue, '', callId, {'number', arg(5), 'name', arg(6), 'priority', arg(4), 'position', pos})
return cjson.encode({outcome = 'ok', position = pos})
