-- KEYS[1] dialog: a leg's entry in the dialog index (K.dialog)
-- ARGV: 1 TTL (ms), 2 node id, 3 party, 4 local tag, 5 remote tag. The hash is written and given its TTL in one
-- command, so no entry is ever left without a TTL; the legs of an answered call are sent together (one round trip).
redis.call('HSET', KEYS[1], 'node', ARGV[2], 'party', ARGV[3], 'localTag', ARGV[4], 'remoteTag', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
