-- KEYS[1] user: the user's hash
-- KEYS[2] users: the tenant's extensions
-- ARGV: 1 extension, 2 display name, 3 roles, 4 HA1 MD5, 5 HA1 SHA-256, 6 kind ('' for an extension, 'app-user'),
-- then skill/level pairs. 0 if it exists.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'extension', ARGV[1], 'displayName', ARGV[2], 'roles', ARGV[3],
    'ha1md5', ARGV[4], 'ha1sha256', ARGV[5])
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'kind', ARGV[6]) end
for i = 7, #ARGV, 2 do redis.call('HSET', KEYS[1], 'skill.' .. ARGV[i], ARGV[i + 1]) end
redis.call('SADD', KEYS[2], ARGV[1])
return 1
