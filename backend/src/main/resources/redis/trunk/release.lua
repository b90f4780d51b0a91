-- KEYS[1] trunkChannels: the trunk's calls now, branch Call-ID -> node id (seize.lua)
-- KEYS[2] outboundNodeChannels: the tenant's outside calls on this node now, branch Call-ID -> trunk
-- KEYS[3] outboundChannels: the calls of the call's group now, Call-ID -> node id
-- KEYS[4] trunkAttempts: the trunk's INVITEs of the last second, branch Call-ID scored by ms
-- KEYS[5] outboundNodeAttempts: the tenant's INVITEs this node sent in the last second, branch Call-ID scored by ms
-- ARGV: 1 branch Call-ID.
-- Gives a seized channel back. Its places in the seconds stay where sent.lua put them (the INVITE's departure); one
-- still held ahead of now (the INVITE was never sent) counts from now instead, the safe side, rather than holding its
-- slot for the whole send deadline. Returns 1.
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + tonumber(now[2]) / 1000
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
local trunkPlace = redis.call('ZSCORE', KEYS[4], ARGV[1])
if trunkPlace and tonumber(trunkPlace) > ms then
  redis.call('ZADD', KEYS[4], 'XX', ms, ARGV[1])
end
local nodePlace = redis.call('ZSCORE', KEYS[5], ARGV[1])
if nodePlace and tonumber(nodePlace) > ms then
  redis.call('ZADD', KEYS[5], 'XX', ms, ARGV[1])
end
return 1
