-- KEYS[1] pushBindings: the user's RFC 8599 push bindings, device key -> PushBinding JSON
-- KEYS[2] deviceEvents: the tenant's stream of devices with push parameters that registered
-- One REGISTER's push bindings, atomic with the device events the callback service reacts to. Expired bindings of
-- the user are pruned; a binding replaces the field of its device and any other field with the same pn-prid (the
-- same device, registered before with or without a +sip.instance); the hash lives as long as its last binding.
-- ARGV: 1 now (ms), 2 stream length kept (approximately), then per binding: device key, pn-prid, JSON, expiresAt,
-- the number n of event field/value pairs, then the n pairs. Returns the number of fields pruned or replaced.
local now = tonumber(ARGV[1])
local removed = 0
local prids = {}
local flat = redis.call('HGETALL', KEYS[1])
for i = 1, #flat, 2 do
  local ok, b = pcall(cjson.decode, flat[i + 1])
  if not ok or type(b) ~= 'table' or tonumber(b.expiresAt) == nil or tonumber(b.expiresAt) <= now then
    redis.call('HDEL', KEYS[1], flat[i])
    removed = removed + 1
  else
    prids[flat[i]] = b.prid
  end
end
local i = 3
while i <= #ARGV do
  local device, prid, json = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local pairs_n = tonumber(ARGV[i + 4])
  for field, other in pairs(prids) do
    if field ~= device and other == prid then
      redis.call('HDEL', KEYS[1], field)
      prids[field] = nil
      removed = removed + 1
    end
  end
  redis.call('HSET', KEYS[1], device, json)
  prids[device] = prid
  local event = {}
  for j = i + 5, i + 4 + 2 * pairs_n do event[#event + 1] = ARGV[j] end
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', unpack(event))
  i = i + 5 + 2 * pairs_n
end
-- The hash goes with its longest-lived binding: nothing of a device that never comes back stays behind.
local latest = 0
for _, json in ipairs(redis.call('HVALS', KEYS[1])) do
  local ok, b = pcall(cjson.decode, json)
  if ok and type(b) == 'table' and tonumber(b.expiresAt) ~= nil and tonumber(b.expiresAt) > latest then
    latest = tonumber(b.expiresAt)
  end
end
if latest > 0 then redis.call('PEXPIREAT', KEYS[1], latest) end
return removed
