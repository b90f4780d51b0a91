-- KEYS[1] trunkAttempts: the trunk's INVITEs of the last second, branch Call-ID scored by ms
-- KEYS[2] outboundNodeAttempts: the tenant's INVITEs this node sent in the last second, branch Call-ID scored by ms
-- ARGV: 1 branch Call-ID.
-- The INVITE of a branch seize.lua let through has left the node: its place in the trunk's and the node's second
-- now counts from its departure, not from its seizure, so the limits hold on the wire as the carrier counts them (an
-- INVITE sent 100 ms after its seizure would otherwise fall out of the window 100 ms before the carrier's does).
-- XX: a place already given back or already out of the window is not taken again. Returns the send time (ms).
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', ms, ARGV[1])
redis.call('ZADD', KEYS[2], 'XX', ms, ARGV[1])
-- seize.lua's keys live 2 s past their last place; so they do past a departure
redis.call('PEXPIRE', KEYS[1], 2000)
redis.call('PEXPIRE', KEYS[2], 2000)
return ms
