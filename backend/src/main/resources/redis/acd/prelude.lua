-- Shared by every ACD script (LuaScript prepends it, after the key shapes K). The keys a script discovers while
-- running (agents of a queue, callers of a queue) are built with K on the tenant's prefix (Keys.tenantPrefix), so
-- they carry the tenant's hash tag and live on the same slot as its KEYS.
-- ARGV[1] tenant key prefix, ARGV[2] now (ms, the calling node's injected clock), ARGV[3] node id,
-- ARGV[4] events MAXLEN ~, ARGV[5] queue-log MAXLEN ~; a script's own arguments follow: arg(1) = ARGV[6].
KP = ARGV[1]
local NOW = tonumber(ARGV[2])
local NODE = ARGV[3]
local EVMAX = ARGV[4]
local LOGMAX = ARGV[5]
local function arg(i) return ARGV[5 + i] end
-- How many arguments of its own the script was given.
local function argCount() return #ARGV - 5 end

local function split(s)
  local out = {}
  if s == nil or s == false or s == '' then return out end
  for part in string.gmatch(s, '[^,]+') do out[#out + 1] = part end
  return out
end

local function hash(key)
  local flat = redis.call('HGETALL', key)
  local t = {}
  for i = 1, #flat, 2 do t[flat[i]] = flat[i + 1] end
  return t
end

local function num(v) if v == nil or v == false or v == '' then return 0 end return tonumber(v) end

-- One entry of the tenant's event stream, published live with its stream id (nodes fan it out to WebSockets).
-- fields: flat list {name, value, ...}.
local function emit(kind, queue, agent, call, fields)
  local args = {'kind', kind, 'queue', queue or '', 'agentId', agent or '',
    'callId', call or '', 'node', NODE, 'at', tostring(NOW)}
  local map = {}
  for i = 1, #fields, 2 do
    local v = tostring(fields[i + 1])
    args[#args + 1] = fields[i]; args[#args + 1] = v
    map[fields[i]] = v
  end
  local id = redis.call('XADD', K.events(), 'MAXLEN', '~', EVMAX, '*', unpack(args))
  redis.call('PUBLISH', K.liveEvents(), cjson.encode({id = id, kind = kind, queue = queue or '', agentId = agent or '',
    callId = call or '', node = NODE, at = tostring(NOW), fields = map}))
  return id
end

-- One line of the queue log, Asterisk queue_log style: time|callid|queue|agent|event|data1|...|data5. data: the
-- event's fields in Asterisk's order, data1..data3 always written (empty when the event has fewer), data4 and data5
-- only by the events that have them (BLINDTRANSFER, ATTENDEDTRANSFER). An exit may name where the caller went in an
-- extra field (destination: kind:target), outside the Asterisk columns.
local function queueLogLine(event, queue, call, agent, data, destination)
  local args = {'time', tostring(NOW), 'callid', call or 'NONE',
    'queue', queue or 'NONE', 'agent', agent or 'NONE', 'event', event}
  for i = 1, math.max(3, #data) do
    args[#args + 1] = 'data' .. i; args[#args + 1] = tostring(data[i] or '')
  end
  if destination and destination ~= '' then
    args[#args + 1] = 'destination'; args[#args + 1] = destination
  end
  redis.call('XADD', K.queueLog(), 'MAXLEN', '~', LOGMAX, '*', unpack(args))
end

-- A line of up to three fields (every event but the transfers).
local function qlog(event, queue, call, agent, d1, d2, d3, destination)
  queueLogLine(event, queue, call, agent, {d1 or '', d2 or '', d3 or ''}, destination)
end

local function day(ms)
  -- UTC day of a ms timestamp, as yyyy-mm-dd (civil-from-days, H. Hinnant), for the per-day statistics hash.
  local z = math.floor(ms / 86400000) + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then y = y + 1 end
  return string.format('%04d-%02d-%02d', y, m, d)
end

-- Per-day statistics are kept 400 days after their day (13 months: this month last year is still there for a
-- year-on-year report); then Redis drops them, so they do not pile up for good.
local DAY_MS = 86400000
local STATS_KEEP_MS = 400 * DAY_MS
-- The TTL (ms from now) of the statistics of the day holding ms: relative, so Redis's own clock need not agree with
-- the node's.
local function keepFor(ms) return (math.floor(ms / DAY_MS) + 1) * DAY_MS + STATS_KEEP_MS - NOW end

-- Adds to a field of a per-day statistics hash (of the day holding ms); true when the field is new. Every writer of
-- these hashes comes here, so the write that creates a hash creates a field of it and sets its TTL: a field that
-- already existed means the TTL is set, and is not set again (it names the same instant).
local function dayIncr(key, field, by, ms)
  if redis.call('HINCRBY', key, field, by) ~= by then return false end
  redis.call('PEXPIRE', key, keepFor(ms))
  return true
end

-- Adds to a figure of a queue's statistics of today.
local function statIncr(queue, field, by)
  dayIncr(K.queueStats(queue, day(NOW)), field, by, NOW)
end

-- Per-agent statistics of one UTC day: a hash per agent and day (K.agentStats: ms per state, calls answered, missed
-- offers) and a set of the agents that have one (K.agentsWithStats), so the whole tenant is read without scanning.

-- One agent's figure of the day holding ms; the day's agent list gains the agent (and its TTL) with the first field.
local function agentDayIncr(id, field, by, ms)
  local d = day(ms)
  if dayIncr(K.agentStats(id, d), field, by, ms) then
    local list = K.agentsWithStats(d)
    redis.call('SADD', list, id)
    redis.call('PEXPIRE', list, keepFor(ms))
  end
end

local function agentCount(id, field, by) agentDayIncr(id, field, by, NOW) end

-- The bucket time in a state is counted in: not-ready per reason code; logged-out is not counted (nil).
local function stateBucket(state, reason)
  if state == nil or state == '' or state == 'logged-out' then return nil end
  if state == 'not-ready' then return 'ms:not-ready:' .. (reason or '') end
  return 'ms:' .. state
end

-- Adds [from, to) to a bucket, split at UTC midnights so each day holds its own share. A 'since' written by a node
-- whose clock runs ahead of this one gives from > to: nothing is counted rather than a negative time.
local function agentTime(id, bucket, from, to)
  if bucket == nil or from <= 0 then return end
  while from < to do
    local stop = math.min((math.floor(from / DAY_MS) + 1) * DAY_MS, to)
    agentDayIncr(id, bucket, stop - from, from)
    from = stop
  end
end

-- Moves an agent to a new state: bumps the version (the fencing token), keeps the available index and the timer
-- index in step, and emits agent.state. a: the agent's whole hash as it is in Redis (the indexes are kept by what it
-- says the agent was); extra: flat list of more fields to set. Returns the new version.
local function transition(id, a, state, reason, extra)
  local key = K.agent(id)
  local version = num(a.version) + 1
  -- The time in the state being left, counted here because every transition passes through this function.
  agentTime(id, stateBucket(a.state, a.reason), num(a.since), NOW)
  if a.state == 'wrap-up' and a.wrapQueue and a.wrapQueue ~= '' then
    statIncr(a.wrapQueue, 'wrapMs', math.max(0, NOW - num(a.since)))
  end
  local lease, wrap, offer = '', '', ''
  local fields = {'state', state, 'version', version, 'since', NOW, 'reason', reason or ''}
  -- The agent's fields once this transition is written: a (the whole hash as read), then extra over it.
  local after = {}
  for i = 1, #extra, 2 do
    if extra[i] == 'leaseUntil' then lease = extra[i + 1] end
    if extra[i] == 'wrapUntil' then wrap = extra[i + 1] end
    if extra[i] == 'offer' then offer = extra[i + 1] end
    fields[#fields + 1] = extra[i]; fields[#fields + 1] = extra[i + 1]
    after[extra[i]] = extra[i + 1]
  end
  local function now(f) local v = after[f]; if v == nil then v = a[f] end return v end
  fields[#fields + 1] = 'leaseUntil'; fields[#fields + 1] = lease
  fields[#fields + 1] = 'wrapUntil'; fields[#fields + 1] = wrap
  if state ~= 'reserved' then fields[#fields + 1] = 'offer'; fields[#fields + 1] = offer; after.offer = offer end
  redis.call('HSET', key, unpack(fields))
  -- Available agents indexed three ways, so longest-idle, fewest-calls and least-talk-time read only the head.
  if state == 'available' then
    redis.call('ZADD', K.availableAgents(), num(now('idle')), id)
    redis.call('ZADD', K.availableAgentsByCalls(), num(now('calls')), id)
    redis.call('ZADD', K.availableAgentsByTalk(), num(now('talkMs')), id)
  else
    redis.call('ZREM', K.availableAgents(), id)
    redis.call('ZREM', K.availableAgentsByCalls(), id)
    redis.call('ZREM', K.availableAgentsByTalk(), id)
  end
  if lease ~= '' then redis.call('ZADD', K.agentTimers(), lease, id)
  elseif wrap ~= '' then redis.call('ZADD', K.agentTimers(), wrap, id)
  elseif num(a.leaseUntil) > 0 or num(a.wrapUntil) > 0 then redis.call('ZREM', K.agentTimers(), id) end
  if state == 'logged-out' then redis.call('SREM', K.agentSessions(), id)
  elseif a.state == nil or a.state == 'logged-out' then redis.call('SADD', K.agentSessions(), id) end
  -- The event carries all a supervisor's grid shows of the agent (its queue call, today's calls and talk time), so
  -- the panel applies it as it comes instead of asking the REST API again for every change.
  local call, callQueue, callerNumber, callerName = '', '', '', ''
  if state == 'on-call' then
    call, callQueue = now('call') or '', now('callQueue') or ''
    if call ~= '' then
      local c = redis.call('HMGET', K.queueCaller(call), 'number', 'name')
      callerNumber, callerName = c[1] or '', c[2] or ''
    end
  end
  local today = redis.call('HMGET', K.agentStats(id, day(NOW)), 'answered', 'ms:on-call')
  emit('agent.state', '', id, '', {'state', state, 'reason', reason or '', 'version', version, 'since', NOW,
    'wrapUpUntil', wrap, 'leaseUntil', lease, 'agentNode', now('node') or '', 'queues', now('queues') or '',
    'offer', now('offer') or '', 'call', call, 'callQueue', callQueue, 'callerNumber', callerNumber,
    'callerName', callerName, 'callsToday', num(today[1]), 'talkMsToday', num(today[2])})
  return version
end

-- A caller whose offer ended without a connection becomes offerable again (the ready set mirrors the wait set
-- minus callers with a live offer, so a claim never scans past ringing callers).
local function callerReady(callId, retryMs)
  local ckey = K.queueCaller(callId)
  local c = redis.call('HMGET', ckey, 'queue', 'score')
  if not c[1] then return end
  redis.call('HSET', ckey, 'offer', '', 'retryAt', NOW + retryMs)
  redis.call('ZADD', K.queueReady(c[1]), c[2], callId)
end

-- Ends an offer without a connection: every agent still reserved by it goes back to available (keeping the place
-- in the idle order they had), the caller may be offered again after retryMs. Returns the released agent ids.
local function releaseOffer(offerId, why, retryMs)
  local okey = K.offer(offerId)
  local o = hash(okey)
  local released = {}
  if o.caller == nil then return released end
  for _, id in ipairs(split(o.agents)) do
    local a = hash(K.agent(id))
    if a.state == 'reserved' and a.offer == offerId then
      transition(id, a, 'available', '', {})
      released[#released + 1] = id
    end
    emit('offer.ended', o.queue, id, o.caller, {'offerId', offerId, 'reason', why})
  end
  local ckey = K.queueCaller(o.caller)
  if redis.call('HGET', ckey, 'offer') == offerId then callerReady(o.caller, retryMs) end
  redis.call('DEL', okey)
  return released
end
