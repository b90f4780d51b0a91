-- KEYS[1] trunkChannels: the trunk's calls now, branch Call-ID -> node id
-- KEYS[2] trunkAttempts: the trunk's INVITEs of the last second, branch Call-ID scored by ms
-- KEYS[3] outboundNodeChannels: the tenant's outside calls on this node now, branch Call-ID -> trunk
-- KEYS[4] outboundNodeAttempts: the tenant's INVITEs this node sent in the last second, branch Call-ID scored by ms
-- KEYS[5] outboundChannels: the calls of the call's group now (a campaign, or the extensions), Call-ID -> node id
-- ARGV: 1 branch Call-ID, 2 node id, 3 trunk's maximum channels, 4 trunk's calls per second, 5 node's maximum
-- channels, 6 node's calls per second, 7 group's maximum channels, 8 trunk id (every limit: 0 for none), 9 the
-- trunk's CAPS window in ms (1000 plus the guard, tandem.trunks.caps-guard), 10 how far ahead a place is held until
-- its INVITE is sent, ms (tandem.trunks.send-deadline and a CAPS window).
-- Seizes a channel and a place in the last second of the trunk, of the node and of the group, all or none, so no
-- node of the cluster ever sends the carrier more INVITEs within any 1000 ms, or holds more calls on it, than its
-- limits, no node more than its own, and no campaign more calls at once than its own. The time is Redis's own (one
-- clock for every node); sent.lua then moves the place to when the INVITE left, so the limits hold on the wire.
-- Places are scored in ms with the microseconds as a fraction: counted in whole ms, an INVITE at .999 and one a
-- "second" later at .000 of the next ms would both count in one window 999.001 ms long at the carrier.
-- The trunk's window is 1000 ms plus a guard: the carrier counts arrivals on its own clock, and an INVITE that left
-- on time but reached it late (its read loop, a loaded path) bunches with the next second's; a carrier that polices
-- CAPS refuses the excess with 503. The node's own CAPS is ours alone, counted over exactly 1000 ms.
-- Returns 'ok <ms>' (the Redis time the place in the second was taken), or the first limit that is full:
-- 'channels', 'caps', 'node-channels', 'node-caps' or 'group-channels'.
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + tonumber(now[2]) / 1000
local channels, caps = tonumber(ARGV[3]), tonumber(ARGV[4])
local nodeChannels, nodeCaps, groupChannels = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local trunkWindow = tonumber(ARGV[9])

local function full(key, limit)
  return limit > 0 and redis.call('HLEN', key) >= limit
end

local function second(key, limit, window)
  if limit <= 0 then return false end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', ms - window)
  return redis.call('ZCARD', key) >= limit
end

if full(KEYS[1], channels) then return 'channels' end
if full(KEYS[3], nodeChannels) then return 'node-channels' end
if full(KEYS[5], groupChannels) then return 'group-channels' end
if second(KEYS[2], caps, trunkWindow) then return 'caps' end
if second(KEYS[4], nodeCaps, 1000) then return 'node-caps' end
-- A place is taken ahead of now, by the send deadline and a window: until sent.lua moves it to the INVITE's
-- departure, it must not leave the window however late the INVITE goes (a loaded node's dialling thread, sent.lua
-- queued behind other writes), or the next seizures would go on the wire within 1000 ms of it. The node sends no
-- INVITE past the deadline (TrunkHunt.sendable); release.lua moves a place given back unsent to then. A place whose
-- node died unsent holds its slot until the hold runs out: the safe side.
local hold = tonumber(ARGV[10])
-- A key's life only grows: it holds other places still held ahead.
if caps > 0 then
  redis.call('ZADD', KEYS[2], ms + hold, ARGV[1])
  if redis.call('PTTL', KEYS[2]) < hold + trunkWindow + 1000 then
    redis.call('PEXPIRE', KEYS[2], hold + trunkWindow + 1000)
  end
end
-- the node's second counts every INVITE it sends, limited or not, so a limit set later starts from the truth
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', ms - 1000)
redis.call('ZADD', KEYS[4], ms + hold, ARGV[1])
if redis.call('PTTL', KEYS[4]) < hold + 2000 then
  redis.call('PEXPIRE', KEYS[4], hold + 2000)
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[8])
redis.call('HSET', KEYS[5], ARGV[1], ARGV[2])
return 'ok ' .. math.floor(ms)
