-- Someone answered to join a room. The first join wins: a compare-and-set on state parked -> connected. A join
-- that finds the room connected or closed is refused (REFUSED, with who won or why).
-- KEYS[1] room: the room's hash
-- KEYS[2] roomEvents: the room-event stream
-- arg: 1 the joining user (agent extension or app user).
-- Returns JSON (Room.Joined): {outcome = joined | taken | closed, agent = who holds the room}.
local r = hash(KEYS[1])
local who = arg(1)
if r.state == 'parked' then
  redis.call('HSET', KEYS[1], 'state', 'connected', 'agent', who, 'joinedAt', NOW)
  redis.call('ZREM', K.queueParked(r.queue), r.id)
  roomEvent(KEYS[2], 'joined', r, who, '')
  return cjson.encode({outcome = 'joined', agent = who})
end
if r.state == 'connected' then
  roomEvent(KEYS[2], 'refused', r, who, 'taken')
  return cjson.encode({outcome = 'taken', agent = r.agent or ''})
end
if r.id ~= nil then roomEvent(KEYS[2], 'refused', r, who, 'closed') end
return cjson.encode({outcome = 'closed', agent = ''})
