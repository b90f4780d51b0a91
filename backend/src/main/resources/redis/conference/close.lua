-- A room closes: the caller hung up while parked (abandoned; the queue log's ABANDON), the call ended after a
-- join, the park timed out or the service closed it (closed, with the reason), or the node lost it (lost).
-- KEYS[1] room: the room's hash
-- KEYS[2] rooms: the tenant's open rooms
-- KEYS[3] roomEvents: the room-event stream
-- KEYS[4] queueLog: the tenant's queue log
-- arg: 1 kind (abandoned | closed | lost), 2 reason, 3 seconds the room's record keeps after closing.
-- Returns 1, or 0 when the room was already closed (or never opened).
local r = hash(KEYS[1])
if r.id == nil or r.state == 'closed' then return 0 end
local kind = arg(1)
redis.call('HSET', KEYS[1], 'state', 'closed', 'closedAt', NOW, 'closeReason', arg(2))
redis.call('EXPIRE', KEYS[1], tonumber(arg(3)))
redis.call('SREM', KEYS[2], r.id)
if r.queue ~= nil then redis.call('ZREM', K.queueParked(r.queue), r.id) end
roomEvent(KEYS[3], kind, r, r.agent, arg(2))
if kind == 'abandoned' then
  -- as Asterisk's ABANDON: position (none: parked), original position, seconds waited since the first enqueue
  local waited = math.floor((NOW - tonumber(r.enqueuedAt or NOW)) / 1000)
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', LOGMAX, '*', 'time', tostring(NOW), 'callid', r.callId,
    'queue', r.queue, 'agent', 'NONE', 'event', 'ABANDON', 'data1', '0', 'data2', '0', 'data3', tostring(waited),
    'destination', 'park')
end
return 1
