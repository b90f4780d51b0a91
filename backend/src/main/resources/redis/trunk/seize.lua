-- KEYS[1] trunkChannels: the trunk's calls now, branch Call-ID -> node id
-- KEYS[2] trunkAttempts: the trunk's INVITEs of the last second, branch Call-ID scored by ms
-- ARGV: 1 branch Call-ID, 2 node id, 3 maximum channels (0: no limit), 4 calls per second (0: no limit).
-- Seizes a channel and a place in the trunk's last second, both or neither, so no node of the cluster ever sends
-- the carrier more INVITEs within any 1000 ms, or holds more calls on it, than its limits. The time is Redis's
-- own (one clock for every node). Returns 'ok', or what is full: 'channels' or 'caps'.
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local channels = tonumber(ARGV[3])
local caps = tonumber(ARGV[4])
if channels > 0 and redis.call('HLEN', KEYS[1]) >= channels then return 'channels' end
if caps > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ms - 1000)
  if redis.call('ZCARD', KEYS[2]) >= caps then return 'caps' end
  redis.call('ZADD', KEYS[2], ms, ARGV[1])
  redis.call('PEXPIRE', KEYS[2], 2000)
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 'ok'
