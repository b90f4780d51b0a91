-- A tenant event written by a node, not a script: XADD to the event stream and PUBLISH with its id, as the ACD
-- prelude's emit does.
-- KEYS[1] events: the tenant's event stream
-- KEYS[2] liveEvents: the tenant's live channel (events published with their stream id)
-- ARGV: 1 events MAXLEN ~, 2 kind, 3 queue, 4 agent id, 5 call id, 6 node, 7 at (ms), then field/value pairs.
-- Returns the stream id.
local args = {'kind', ARGV[2], 'queue', ARGV[3], 'agentId', ARGV[4], 'callId', ARGV[5], 'node', ARGV[6], 'at', ARGV[7]}
local map = {}
for i = 8, #ARGV, 2 do
  args[#args + 1] = ARGV[i]; args[#args + 1] = ARGV[i + 1]; map[ARGV[i]] = ARGV[i + 1]
end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(args))
redis.call('PUBLISH', KEYS[2], cjson.encode({id = id, kind = ARGV[2], queue = ARGV[3], agentId = ARGV[4],
  callId = ARGV[5], node = ARGV[6], at = ARGV[7], fields = map}))
return id
