-- KEYS[1] user: the app user's hash
-- KEYS[2] users: the tenant's extensions and app users
-- KEYS[3] registration: the app user's SIP bindings
-- KEYS[4] registrations: the tenant's registered users by latest expiry
-- KEYS[5] pushBindings: the app user's RFC 8599 push bindings
-- ARGV: 1 id. Deletes an app user with everything that would still reach its devices: its SIP bindings and its
-- push bindings. Returns 1 when deleted, 0 when there is no such user, -1 when the id is an extension (left alone).
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], 'kind') ~= 'app-user' then return -1 end
redis.call('DEL', KEYS[1], KEYS[3], KEYS[5])
redis.call('SREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
return 1
