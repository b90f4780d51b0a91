-- KEYS[1] nonceCount: the highest nonce-count seen for the nonce
-- ARGV: 1 nc, 2 ttl ms. Returns 1 when nc is above every nc seen for the nonce (then stored), else 0.
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) <= last then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
