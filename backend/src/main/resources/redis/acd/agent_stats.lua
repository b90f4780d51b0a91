-- Per-agent figures of one UTC day, read in one step with the current state counted up to now (the calling node's
-- clock), so every node answers with the same figures. Nothing is written.
-- KEYS[1] agentSessions: the tenant's sessions
-- arg: 1 day (yyyy-mm-dd), 2 the day's start (ms), 3 agent id ('' = every agent with figures that day or a
-- session).
-- Returns JSON (AgentStatisticsService.Reply): {now = ms, agents = [{agentId, state, reason, figures = {field =
-- value}}]}, the figures being ms:<bucket>, answered, missed.
local d, dayStart, only = arg(1), tonumber(arg(2)), arg(3)
local dayEnd = dayStart + DAY_MS
local ids = {}
if only ~= '' then
  ids[1] = only
else
  local seen = {}
  for _, id in ipairs(redis.call('SMEMBERS', K.agentsWithStats(d))) do seen[id] = true; ids[#ids + 1] = id end
  if NOW > dayStart then
    for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
      if not seen[id] then ids[#ids + 1] = id end
    end
  end
  table.sort(ids)
end
local agents = {}
for _, id in ipairs(ids) do
  local f = hash(K.agentStats(id, d))
  local a = redis.call('HMGET', K.agent(id), 'state', 'reason', 'since')
  local bucket = stateBucket(a[1] or nil, a[2] or '')
  local since = num(a[3])
  if bucket ~= nil and since > 0 then
    local from, to = math.max(since, dayStart), math.min(NOW, dayEnd)
    if to > from then f[bucket] = tostring(num(f[bucket]) + to - from) end
  end
  if only ~= '' or next(f) ~= nil then
    agents[#agents + 1] = {agentId = id, state = a[1] or 'logged-out', reason = a[2] or '', figures = f}
  end
end
return cjson.encode({now = NOW, agents = agents})
