-- KEYS[1] user: the user's hash
-- KEYS[2] users: the tenant's extensions
-- ARGV: 1 extension. Returns 1 when the user existed.
local n = redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return n
