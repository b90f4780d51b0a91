-- KEYS[1] authFailures: wrong-password REGISTERs from the address in this window
-- KEYS[2] blockedSource: present while the address is blocked
-- ARGV: 1 window ms, 2 threshold, 3 block ms. Returns ms the source stays blocked (0: not).
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then return blocked end
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if n >= tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return tonumber(ARGV[3])
end
return 0
