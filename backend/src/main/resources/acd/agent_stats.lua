-- Per-agent figures of one UTC day, read in one step with the current state counted up to now (the calling node's
-- clock), so every node answers with the same figures. Nothing is written.
-- KEYS: 1 the tenant's sessions set (names the tenant's slot). arg: 1 day (yyyy-mm-dd), 2 the day's start (ms), 3 agent id ('' = every agent with figures that day or a session).
-- Returns now (ms), then per agent: id, state, reason, n, then n field/value pairs (ms:<bucket>, answered, missed).
local d, dayStart, only = arg(1), tonumber(arg(2)), arg(3)
local dayEnd = dayStart + DAY_MS
local ids = {}
if only ~= '' then
  ids[1] = only
else
  local seen = {}
  for _, id in ipairs(redis.call('SMEMBERS', P .. 'agents:stats:' .. d)) do seen[id] = true; ids[#ids + 1] = id end
  if NOW > dayStart then
    for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
      if not seen[id] then ids[#ids + 1] = id end
    end
  end
  table.sort(ids)
end
local out = {tostring(NOW)}
for _, id in ipairs(ids) do
  local f = hash(agentStatsKey(id, d))
  local a = redis.call('HMGET', agentKey(id), 'state', 'reason', 'since')
  local bucket = stateBucket(a[1] or nil, a[2] or '')
  local since = num(a[3])
  if bucket ~= nil and since > 0 then
    local from, to = math.max(since, dayStart), math.min(NOW, dayEnd)
    if to > from then f[bucket] = tostring(num(f[bucket]) + to - from) end
  end
  local flat = {}
  for k, v in pairs(f) do flat[#flat + 1] = k; flat[#flat + 1] = v end
  if only ~= '' or #flat > 0 then
    out[#out + 1] = id; out[#out + 1] = a[1] or 'logged-out'; out[#out + 1] = a[2] or ''
    out[#out + 1] = tostring(#flat / 2)
    for _, x in ipairs(flat) do out[#out + 1] = x end
  end
end
return out
