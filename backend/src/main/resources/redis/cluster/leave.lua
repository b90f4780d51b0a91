-- KEYS[1] node: this node's heartbeat hash (cluster-wide, no tenant)
-- ARGV: 1 instance. Deletes the heartbeat only when this process owns it.
if redis.call('HGET', KEYS[1], 'instance') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
