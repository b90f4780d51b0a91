-- KEYS[1] registration: the party's binding hash
-- ARGV: 1 field (K.CALL_FIELD .. call id), 2 value. Sets the field only when the binding exists.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
