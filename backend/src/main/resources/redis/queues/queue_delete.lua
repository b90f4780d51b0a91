-- KEYS[1] queue: the definition (JSON)
-- KEYS[2] queueMembers: members by position
-- KEYS[3] queueTiers: member -> tier|penalty
-- KEYS[4] queues: the tenant's queue numbers
-- KEYS[5] queueWait: the callers waiting (none, or the queue stays)
-- KEYS[6] queueDigests: queue number -> digest of its definition
-- ARGV: 1 number. Returns -1 while callers wait, else how many definitions were deleted.
if redis.call('ZCARD', KEYS[5]) > 0 then return -1 end
local n = redis.call('DEL', KEYS[1])
redis.call('HDEL', KEYS[6], ARGV[1])
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('SREM', KEYS[4], ARGV[1])
return n
