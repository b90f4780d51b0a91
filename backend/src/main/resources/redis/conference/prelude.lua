-- Shared by every conference script (LuaScript prepends it, after the key shapes K). A room's state changes only in
-- these scripts, and each appends the matching entry of the callback contract's room-event stream in the same run,
-- so the callback service never sees a state without its event or an event without its state.
-- ARGV[1] tenant key prefix, ARGV[2] now (ms, the calling node's injected clock), ARGV[3] node id,
-- ARGV[4] room-event stream MAXLEN ~, ARGV[5] queue-log MAXLEN ~; a script's own arguments follow: arg(1) = ARGV[6].
KP = ARGV[1]
local NOW = tonumber(ARGV[2])
local NODE = ARGV[3]
local EVMAX = ARGV[4]
local LOGMAX = ARGV[5]
local function arg(i) return ARGV[5 + i] end

local function hash(key)
  local flat = redis.call('HGETALL', key)
  local t = {}
  for i = 1, #flat, 2 do t[flat[i]] = flat[i + 1] end
  return t
end

-- Appends a RoomEvent (protocol.callback.RoomEvent#fields: the same names) for room r to the stream.
local function roomEvent(stream, kind, r, agent, reason)
  redis.call('XADD', stream, 'MAXLEN', '~', EVMAX, '*', 'kind', kind, 'room', r.id or '', 'node', r.node or '',
    'callId', r.callId or '', 'queue', r.queue or '', 'callerNumber', r.callerNumber or '',
    'callerName', r.callerName or '', 'enqueuedAt', r.enqueuedAt or '0', 'priority', r.priority or '0',
    'agent', agent or '', 'reason', reason or '', 'at', tostring(NOW))
end
