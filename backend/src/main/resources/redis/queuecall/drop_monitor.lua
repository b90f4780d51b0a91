-- KEYS[1] callMonitors: call id -> monitor (JSON)
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and cjson.decode(current).monitorId == ARGV[2] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 1
end
return 0
