-- KEYS[1] user: the user's hash
-- ARGV: 1 '1' to replace all skills, then field/value pairs to set. Returns 0 when there is no such user.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] == '1' then
  local fields = redis.call('HKEYS', KEYS[1])
  for _, f in ipairs(fields) do
    if string.sub(f, 1, 6) == 'skill.' then redis.call('HDEL', KEYS[1], f) end
  end
end
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1
