-- KEYS[1] queue: the definition (JSON)
-- KEYS[2] queueMembers: members by position
-- KEYS[3] queueTiers: member -> tier|penalty
-- KEYS[4] queues: the tenant's queue numbers
-- KEYS[5] queueDigests: queue number -> digest of its definition
-- ARGV: 1 json, 2 number, 3 create-only ('1'), 4 digest of
-- the json, then agent/tier/penalty.
local existed = redis.call('EXISTS', KEYS[1]) == 1
if ARGV[3] == '1' and existed then return -1 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[5], ARGV[2], ARGV[4])
redis.call('DEL', KEYS[2], KEYS[3])
local position = 0
for i = 5, #ARGV, 3 do
  position = position + 1
  redis.call('ZADD', KEYS[2], position, ARGV[i])
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1] .. '|' .. ARGV[i + 2])
end
redis.call('SADD', KEYS[4], ARGV[2])
if existed then return 0 end
return 1
