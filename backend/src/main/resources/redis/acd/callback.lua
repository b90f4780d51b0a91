-- A caller left a queue for a callback (max wait, exit key, full queue, refused join, unreachable extension): one
-- entry of the tenant's callback stream (MAXLEN ~ the queue log's), which the callback service consumes, and a
-- tenant event for supervisors.
-- KEYS[1] callbacks: the tenant's callback requests
-- arg: 1 call id, 2 number, 3 name, 4 queue, 5 waited s, 6 priority, 7 data (JSON
-- object), 8 cause. Returns the request id (the stream id).
local callId, queue, cause = arg(1), arg(4), arg(8)
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', LOGMAX, '*', 'callId', callId, 'number', arg(2),
  'name', arg(3), 'queue', queue, 'waitedSeconds', arg(5), 'priority', arg(6), 'data', arg(7), 'cause', cause,
  'node', NODE, 'at', tostring(NOW))
emit('callback.requested', queue, '', callId, {'requestId', id, 'number', arg(2), 'name', arg(3),
  'waitedSeconds', arg(5), 'priority', arg(6), 'cause', cause})
return id
