-- KEYS[1] node: this node's heartbeat hash (cluster-wide, no tenant)
-- ARGV: 1 instance, 2 ttl ms, then field/value pairs. Returns 0 when the id belongs to another process.
local owner = redis.call('HGET', KEYS[1], 'instance')
if owner and owner ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'instance', ARGV[1])
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
