-- A caller joins a queue.
-- KEYS[1] queueWait: the callers waiting
-- KEYS[2] queueCaller: the caller's hash
-- KEYS[3] queueMembers: the queue's members
-- KEYS[4] queueReady: the callers without a live offer, same scores
-- arg: 1 queue, 2 call id, 3 owner node, 4 priority 0-99, 5 number, 6 name, 7 skills (name:min,...),
-- 8 custom data (JSON), 9 max length (0 = none), 10 join when empty ('1'/'0'), 11 enqueue time to keep (ms; 0 =
-- now), 12 kind ('call', or 'ticket': a callback ticket the node works, queued at its caller's original place),
-- 13 the only agent it may be offered to ('' = any).
-- Returns JSON (Callers.Enqueued): {outcome = ok | exists | full | empty, position}. A ticket already waiting takes
-- the new assignee (arg 13) and answers exists.
-- Score: higher priority first, then enqueue time (ms < 1e13, so one double holds both exactly).
local queue, callId = arg(1), arg(2)
local kind, assignee = arg(12), arg(13)
if redis.call('EXISTS', KEYS[2]) == 1 then
  if kind == 'ticket' and redis.call('HGET', KEYS[2], 'kind') == 'ticket' then
    redis.call('HSET', KEYS[2], 'assignee', assignee)
  end
  return cjson.encode({outcome = 'exists'})
end
local at = tonumber(arg(11))
if at <= 0 then at = NOW end
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
local score = string.format('%.0f', (99 - tonumber(arg(4))) * 1e13 + at)
redis.call('ZADD', KEYS[1], score, callId)
redis.call('ZADD', KEYS[4], score, callId)
redis.call('HSET', KEYS[2], 'callId', callId, 'queue', queue, 'owner', arg(3), 'priority', arg(4), 'number', arg(5),
  'name', arg(6), 'skills', arg(7), 'data', arg(8), 'enqueuedAt', at, 'offer', '', 'retryAt', 0, 'state', 'waiting',
  'offers', 0, 'score', score, 'kind', kind, 'assignee', assignee)
local pos = redis.call('ZRANK', KEYS[1], callId) + 1
-- kept for the transfer lines' origposition
redis.call('HSET', KEYS[2], 'position', pos)
qlog('ENTERQUEUE', queue, callId, 'NONE', '', arg(5), pos)
emit('caller.enqueued', queue, '', callId, {'number', arg(5), 'name', arg(6), 'priority', arg(4), 'position', pos,
  'score', score, 'enqueuedAt', at})
return cjson.encode({outcome = 'ok', position = pos})
