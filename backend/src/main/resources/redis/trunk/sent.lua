-- KEYS[1] trunkAttempts: the trunk's INVITEs of the last second, branch Call-ID scored by ms
-- KEYS[2] outboundNodeAttempts: the tenant's INVITEs this node sent in the last second, branch Call-ID scored by ms
-- ARGV: 1 branch Call-ID, 2 how long the keys must live at least, ms (the longest a place of another seizure may
--       still be held ahead, and a window).
-- The INVITE of a branch seize.lua let through has left the node: its place in the trunk's and the node's second
-- now counts from its departure, not from the window ahead seize.lua held it at, so the limits hold on the wire as
-- the carrier counts them and the slot frees a window after the INVITE left.
-- XX: a place already given back or already out of the window is not taken again. Returns the send time (ms).
local now = redis.call('TIME')
-- scored in ms with the microseconds as a fraction, as seize.lua scores
local ms = tonumber(now[1]) * 1000 + tonumber(now[2]) / 1000
redis.call('ZADD', KEYS[1], 'XX', ms, ARGV[1])
redis.call('ZADD', KEYS[2], 'XX', ms, ARGV[1])
-- a key's life only grows: other seizures' places may still be held ahead in it
local ttl = tonumber(ARGV[2])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
if redis.call('PTTL', KEYS[2]) < ttl then redis.call('PEXPIRE', KEYS[2], ttl) end
return math.floor(ms)
