-- The atomic claim: the best waiting caller and the best agent(s) by the queue's strategy, in one step; then, up to
-- the number of offer ids given, the same for the next callers (a batch of claims, each as if run alone in order).
-- KEYS[1] queueWait: the callers waiting
-- KEYS[2] queueMembers: the queue's members (score = position)
-- KEYS[3] queueTiers: agent -> "tier|penalty"
-- KEYS[4] queueState: the round-robin cursor, the last agent offered
-- KEYS[5] availableAgents: score = idle since
-- KEYS[6] queueReady: the waiting callers without a live offer, same order
-- KEYS[7] availableAgentsByCalls: score = calls taken
-- KEYS[8] availableAgentsByTalk: score = talk time
-- Discovered while running (K): each candidate's agent and user hash (state, skills), each reserved agent's
-- registration hash (its K.CONTACT_FIELD fields), the caller hashes of the ready callers, the offer hash written.
-- arg: 1 queue, 2 strategy, 3 ring ms, 4 lease ms, 5 tier delay ms, 6 callers to scan, 7 ring-all max,
-- 8 random seed, 9 offer ids (comma list: one per claim at most), 10 alive node ids (comma list), 11 queue name,
-- 12 tenant, 13 the offer channels of the alive nodes (comma list in the order of arg 10; '' = publish nothing).
-- Returns JSON (Claims.Reply): {grants = [{offerId, callId, callerNode, leaseUntil, agents = [{agentId, version,
-- node, contacts}], delivered}]}, no grants when nothing can be offered. The contacts are the agent's registration
-- binding records (JSON strings, expired ones included), read here so that the node placing the offer routes it
-- without another round trip. An offer for a caller of another node than the claiming one (NODE) is published here
-- on that node's offer channel (OfferGrant.fromWire reads it): the caller's node rings the agent as the claim
-- runs, not after this reply has gone back to the claiming node and come out again as its PUBLISH. delivered: a
-- subscriber received it (the claiming node then does nothing more with it).
local queue, strategy = arg(1), arg(2)
local ringMs, leaseMs, tierMs = tonumber(arg(3)), tonumber(arg(4)), tonumber(arg(5))
local scanLimit, ringMax = tonumber(arg(6)), tonumber(arg(7))
local offerIds = split(arg(9))
local alive = {}
local offerChannel = {}
local channels = split(arg(13))
-- An agent's fields read once per claim: its state and figures, then its direct-call count on each live node.
local agentFields = {'state', 'node', 'calls', 'talkMs', 'idle'}
for i, n in ipairs(split(arg(10))) do
  alive[n] = true
  offerChannel[n] = channels[i]
  agentFields[#agentFields + 1] = K.DIRECT_CALLS_FIELD .. n
end
local function reply(grants) return cjson.encode({grants = grants}) end
if redis.call('ZCARD', KEYS[5]) == 0 then return reply({}) end
math.randomseed(tonumber(arg(8)))

-- Tiers read so far ("tier|penalty", or false for an agent not in the queue); skills-based fills it a page at a time.
local tierCache = {}

-- What one agent offers every caller of this claim (or false): read once, then filtered per caller.
local cache = {}
local function base(id)
  local c = cache[id]
  if c ~= nil then return c end
  c = false
  local tp = tierCache[id]
  if tp == nil then
    tp = redis.call('HGET', KEYS[3], id)
    tierCache[id] = tp
  end
  if tp then
    local a = redis.call('HMGET', K.agent(id), unpack(agentFields))
    -- Only 'available': a reserved agent's lease is live by definition until the sweeper releases it.
    local free = a[1] == 'available' and (not a[2] or a[2] == '' or alive[a[2]])
    for i = 6, #agentFields do
      if free and num(a[i]) > 0 then free = false end -- on a direct call (direct.lua)
    end
    if free then
      local sep = string.find(tp, '|', 1, true)
      c = {id = id, tier = tonumber(string.sub(tp, 1, sep - 1)), penalty = tonumber(string.sub(tp, sep + 1)),
        node = a[2] or '', calls = num(a[3]), talk = num(a[4]), idle = num(a[5]), skills = {}, skill = 0}
    end
  end
  cache[id] = c
  return c
end

local function eligible(id, maxTier, needs)
  local c = base(id)
  if not c or c.tier > maxTier then return nil end
  local total = 0
  for i = 1, #needs, 2 do
    local level = c.skills[needs[i]]
    if level == nil then
      level = tonumber(redis.call('HGET', K.user(id), 'skill.' .. needs[i]) or '-1')
      c.skills[needs[i]] = level
    end
    if level < needs[i + 1] then return nil end
    total = total + level
  end
  c.skill = total
  return c
end

-- Among equal keys the agent on the caller's node wins; then the one idle longest.
local function better(c, best, kc, kb, owner)
  if best == nil then return true end
  if kc ~= kb then return kc < kb end
  local cl, bl = c.node == owner, best.node == owner
  if cl ~= bl then return cl end
  return c.idle < best.idle
end

local CHUNK = 100
-- When the order is the scan order (longest-idle), how many more equal agents are looked at for one on the
-- caller's node: after a busy minute hundreds of agents can share an idle second, and the claim must stay cheap.
local TIE_LOOKAHEAD = 16

-- Scans an index of available agents; keyOf(c) ranks them. With keyOfScore (the index is sorted by that key) it
-- stops at the first larger key, at a best agent on the caller's node, or after TIE_LOOKAHEAD equal ones; without
-- it every agent of the index is ranked.
local function scanAvailable(index, maxTier, needs, owner, keyOf, keyOfScore)
  local sorted = keyOfScore ~= nil
  local best, bestKey = nil, nil
  local start = 0
  local page_size = CHUNK
  if sorted then page_size = 8 end -- the head nearly always holds the best: read a few first
  local ties = 0
  while true do
    local page = redis.call('ZRANGE', index, start, start + page_size - 1, 'WITHSCORES')
    if #page == 0 then break end
    for i = 1, #page, 2 do
      if sorted and best ~= nil then
        if best.node == owner or ties >= TIE_LOOKAHEAD or keyOfScore(tonumber(page[i + 1])) > bestKey then
          return best
        end
        ties = ties + 1
      end
      local c = eligible(page[i], maxTier, needs)
      if c then
        local k = keyOf(c)
        if better(c, best, k, bestKey, owner) then best, bestKey = c, k end
      end
    end
    start = start + page_size
    if sorted then page_size = 2 * TIE_LOOKAHEAD end
  end
  return best
end

-- Members in position order starting after a cursor (round-robin) or from the first (linear); first free wins.
local function scanMembers(maxTier, needs, after)
  local ranges = {{'-inf', '+inf'}}
  if after ~= nil then ranges = {{'(' .. after, '+inf'}, {'-inf', after}} end
  for _, r in ipairs(ranges) do
    local offset = 0
    while true do
      local page = redis.call('ZRANGEBYSCORE', KEYS[2], r[1], r[2], 'WITHSCORES', 'LIMIT', offset, CHUNK)
      if #page == 0 then break end
      for i = 1, #page, 2 do
        if redis.call('ZSCORE', KEYS[5], page[i]) then
          local c = eligible(page[i], maxTier, needs)
          if c then c.position = page[i + 1]; return c end
        end
      end
      offset = offset + CHUNK
    end
  end
  return nil
end

-- From a random place in the available index onwards (wrapping round), the first eligible agent.
local function scanRandom(maxTier, needs)
  local n = redis.call('ZCARD', KEYS[5])
  local from = math.random(0, n - 1)
  for _, range in ipairs({{from, n - 1}, {0, from - 1}}) do
    local start = range[1]
    while start <= range[2] do
      local stop = math.min(start + 2 * TIE_LOOKAHEAD - 1, range[2])
      for _, id in ipairs(redis.call('ZRANGE', KEYS[5], start, stop)) do
        local c = eligible(id, maxTier, needs)
        if c then return c end
      end
      start = stop + 1
    end
  end
  return nil
end

-- Skills-based, ranking only the agents that can still win. The available index is read in idle order a page at a
-- time with the page's tiers in one HMGET. An agent with a higher penalty than the best so far is skipped unread:
-- levels are 0-100, so one penalty step (1e7 in the key) outweighs any skill total. Without skills every agent of a
-- penalty has the same key, so once the best has penalty 0 (the lowest there is) and sits on the caller's node, no
-- later agent (idle no longer) can beat it. The result is what ranking every available member decides.
local function scanSkills(maxTier, needs, owner)
  local best, bestKey = nil, nil
  local start = 0
  local pageSize = 8 -- usually enough: the first few agents include one on the caller's node
  while true do
    local ids = redis.call('ZRANGE', KEYS[5], start, start + pageSize - 1)
    if #ids == 0 then break end
    local tps = redis.call('HMGET', KEYS[3], unpack(ids))
    for i, id in ipairs(ids) do
      local tp = tps[i]
      tierCache[id] = tp
      if tp then
        local sep = string.find(tp, '|', 1, true)
        if tonumber(string.sub(tp, 1, sep - 1)) <= maxTier
            and (best == nil or tonumber(string.sub(tp, sep + 1)) <= best.penalty) then
          local c = eligible(id, maxTier, needs)
          if c then
            local k = c.penalty * 1e7 - c.skill
            if better(c, best, k, bestKey, owner) then best, bestKey = c, k end
            if #needs == 0 and best.penalty == 0 and best.node == owner then return best end
          end
        end
      end
    end
    start = start + pageSize
    pageSize = CHUNK
  end
  return best
end

local function pick(owner, maxTier, needs)
  if strategy == 'ring-all' then
    local all = {}
    local start = 0
    while #all < ringMax do
      local page = redis.call('ZRANGE', KEYS[5], start, start + CHUNK - 1)
      if #page == 0 then break end
      for _, id in ipairs(page) do
        local c = eligible(id, maxTier, needs)
        if c and #all < ringMax then all[#all + 1] = c end
      end
      start = start + CHUNK
    end
    return all
  end
  local c
  if strategy == 'longest-idle' then
    local second = function(ms) return math.floor(ms / 1000) end
    c = scanAvailable(KEYS[5], maxTier, needs, owner, function(x) return second(x.idle) end, second)
  elseif strategy == 'linear' then
    c = scanMembers(maxTier, needs, nil)
  elseif strategy == 'round-robin' then
    local cursor = redis.call('HGET', KEYS[4], 'rrPosition')
    c = scanMembers(maxTier, needs, cursor or nil)
  elseif strategy == 'fewest-calls' then
    c = scanAvailable(KEYS[7], maxTier, needs, owner, function(x) return x.calls end, function(s) return s end)
  elseif strategy == 'least-talk-time' then
    c = scanAvailable(KEYS[8], maxTier, needs, owner, function(x) return x.talk end, function(s) return s end)
  elseif strategy == 'random' then
    c = scanRandom(maxTier, needs)
  elseif strategy == 'skills-based' then
    c = scanSkills(maxTier, needs, owner)
  else
    error('unknown strategy ' .. strategy)
  end
  if c then return {c} end
  return {}
end

-- The head of the ready callers, a few at a time: the first is nearly always offered, and reading scanLimit ids on
-- every claim cost more than the rest of the scan.
local removed = 0 -- ready entries dropped by this claim (the pages after them move up)
local function claimFor(callId, offerId)
  local ckey = K.queueCaller(callId)
  local c = redis.call('HMGET', ckey, 'owner', 'offer', 'retryAt', 'enqueuedAt', 'skills', 'number', 'name', 'data',
    'offers', 'assignee', 'kind')
  if not c[1] then
    redis.call('ZREM', KEYS[1], callId) -- its hash is gone: nothing left to offer
    redis.call('ZREM', KEYS[6], callId)
    removed = removed + 1
  elseif alive[c[1]] and (not c[2] or c[2] == '') and num(c[3]) <= NOW then
    local waited = NOW - num(c[4])
    local maxTier = 9
    if tierMs > 0 then maxTier = 1 + math.floor(waited / tierMs) end
    local needs = {}
    for _, s in ipairs(split(c[5])) do
      local sep = string.find(s, ':', 1, true)
      if sep then
        needs[#needs + 1] = string.sub(s, 1, sep - 1); needs[#needs + 1] = tonumber(string.sub(s, sep + 1))
      else
        needs[#needs + 1] = s; needs[#needs + 1] = 1
      end
    end
    local chosen
    if c[10] and c[10] ~= '' then
      -- a ticket assigned to one agent: offered to that agent only, whatever the strategy
      local only = eligible(c[10], 9, needs)
      chosen = only and {only} or {}
    else
      chosen = pick(c[1], maxTier, needs)
    end
    if #chosen > 0 then
      local leaseUntil = NOW + leaseMs
      local agents = {}
      local ids = {}
      local ofields = {'caller', callId, 'queue', queue, 'owner', c[1], 'createdAt', NOW, 'deadline', NOW + ringMs}
      for _, ag in ipairs(chosen) do
        local a = hash(K.agent(ag.id))
        local v = transition(ag.id, a, 'reserved', '', {'leaseUntil', leaseUntil, 'offer', offerId})
        cache[ag.id] = false -- reserved now: not free for the next claim of the batch
        ids[#ids + 1] = ag.id
        ofields[#ofields + 1] = 'v:' .. ag.id; ofields[#ofields + 1] = v
        local contacts = {}
        local reg = redis.call('HGETALL', K.registration(ag.id))
        local prefix = #K.CONTACT_FIELD
        for i = 1, #reg, 2 do
          if string.sub(reg[i], 1, prefix) == K.CONTACT_FIELD then contacts[#contacts + 1] = reg[i + 1] end
        end
        agents[#agents + 1] = {agentId = ag.id, version = v, node = ag.node, contacts = contacts}
      end
      ofields[#ofields + 1] = 'agents'; ofields[#ofields + 1] = table.concat(ids, ',')
      local okey = K.offer(offerId)
      redis.call('HSET', okey, unpack(ofields))
      redis.call('PEXPIRE', okey, leaseMs + 3600000) -- garbage only: the sweeper ends offers long before
      redis.call('HSET', ckey, 'offer', offerId, 'offers', num(c[9]) + 1)
      redis.call('ZREM', KEYS[6], callId)
      removed = removed + 1
      if chosen[1].position then
        redis.call('HSET', KEYS[4], 'lastAgent', chosen[1].id, 'rrPosition', chosen[1].position)
      else
        redis.call('HSET', KEYS[4], 'lastAgent', chosen[1].id)
      end
      for _, id in ipairs(ids) do
        emit('offer', queue, id, callId, {'offerId', offerId, 'callerNode', c[1], 'queueName', arg(11),
          'callerNumber', c[6] or '', 'callerName', c[7] or '', 'waitedSeconds', math.floor(waited / 1000),
          'ringTimeoutSeconds', math.floor(ringMs / 1000), 'data', c[8] or '{}', 'agents', table.concat(ids, ','),
          'callback', c[11] == 'ticket' and 'ticket' or ''})
      end
      local grant = {offerId = offerId, callId = callId, callerNode = c[1], leaseUntil = leaseUntil, agents = agents,
        delivered = false}
      if c[1] ~= NODE and offerChannel[c[1]] then
        grant.delivered = redis.call('PUBLISH', offerChannel[c[1]], cjson.encode({offerId = offerId, tenant = arg(12),
          queue = queue, callId = callId, callerNode = c[1], leaseUntil = leaseUntil, agents = agents})) > 0
      end
      return grant
    end
  end
  return nil
end

-- Callers are scanned from the head; a caller offered (or found gone) leaves the ready set, so the scan's next page
-- starts that many places earlier. scanLimit bounds the callers looked at without an offer.
local out = {}
local offers = 0
local from, page, skipped = 0, math.max(4, #offerIds), 0
while skipped < scanLimit and offers < #offerIds do
  local ids = redis.call('ZRANGE', KEYS[6], from, from + page - 1)
  for _, callId in ipairs(ids) do
    local grant = claimFor(callId, offerIds[offers + 1])
    if grant then
      out[#out + 1] = grant
      offers = offers + 1
      if offers == #offerIds or redis.call('ZCARD', KEYS[5]) == 0 then return reply(out) end
    else
      skipped = skipped + 1
      if skipped >= scanLimit then return reply(out) end
    end
  end
  if #ids < page then break end
  from = from + page - removed
  removed = 0
  page = 16
end
return reply(out)
