-- A parked caller's room opens on this node (state parked) and the callback service hears PARKED.
-- KEYS[1] room: the room's hash
-- KEYS[2] rooms: the tenant's open rooms
-- KEYS[3] roomEvents: the room-event stream
-- arg: 1 room id, 2 call id, 3 queue, 4 caller number, 5 caller name, 6 enqueued at (ms), 7 priority,
-- 8 why it was parked (no-agent | key | wait), 9 park deadline (ms), 10 whom the callback service wakes (the queue's
-- park wake: all | tiers), 11 with tiers, the delay before the next member tier (ms).
-- Returns 1, or 0 when the room id is taken.
if hash(KEYS[1]).id ~= nil then return 0 end
local r = {id = arg(1), node = NODE, callId = arg(2), queue = arg(3), callerNumber = arg(4), callerName = arg(5),
  enqueuedAt = arg(6), priority = arg(7)}
redis.call('HSET', KEYS[1], 'id', r.id, 'state', 'parked', 'node', NODE, 'callId', r.callId, 'queue', r.queue,
  'callerNumber', r.callerNumber, 'callerName', r.callerName, 'enqueuedAt', r.enqueuedAt, 'priority', r.priority,
  'parkedAt', NOW, 'deadline', arg(9), 'reason', arg(8), 'agent', '', 'wake', arg(10), 'wakeTierDelay', arg(11))
redis.call('SADD', KEYS[2], r.id)
-- its place among the queue's parked callers (K.queueParked), scored as the queue's wait set: priority, then the
-- first enqueue time
redis.call('ZADD', K.queueParked(r.queue), string.format('%.0f', (99 - tonumber(r.priority)) * 1e13
  + tonumber(r.enqueuedAt)), r.id)
roomEvent(KEYS[3], 'parked', r, '', arg(8))
return 1
