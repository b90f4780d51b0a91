-- KEYS[1] registration: the extension's binding hash
-- KEYS[2] registrations: extensions by latest contact expiry
-- KEYS[3] pushBindings: the extension's RFC 8599 push bindings (only their expired ones are pruned here)
-- KEYS[4] nonceCount: the highest nonce-count seen for the REGISTER's nonce (used only with a proof, ARGV[8] 'p')
-- KEYS[5] user: the extension's directory entry (read only with a proof: its HA1 field)
-- One REGISTER, atomic per address of record: each contact is a field K.CONTACT_FIELD .. <contact-uri> holding the
-- binding record (JSON, Bindings.encode); the fields K.CALL_FIELD .. <call-id> are the B2BUA's and left alone.
-- ARGV: 1 now, 2 grace ms, 3 max contacts, 4 extension, 5 Call-ID, 6 CSeq, 7 mode ('*' remove all, 'c' changes),
-- 8 proof ('p' when the credentials were checked against a cached HA1, else ''), 9 nc, 10 nonce-count ttl ms,
-- 11 HA1 field, 12 HA1 (9-12 empty without a proof), then (contact, json-or-empty) pairs.
-- With a proof the digest check is finished here before anything is written (DigestGate.Proof): {userChanged = true}
-- when the user's stored HA1 is not the one the credentials were checked with (password changed, user deleted),
-- {replayed = true} when nc is not above every nc seen for the nonce (RFC 2617 §3.2.2; else it is stored, as
-- nonce_count.lua does). Returns JSON (Bindings.Registered): {outOfOrder = true} when a contact was
-- written by the same Call-ID with a CSeq not lower (RFC 3261 §10.3 step 7), else {outOfOrder = false, evicted =
-- how many contacts made room, contacts = the live binding records (JSON strings)}.
if ARGV[8] == 'p' then
  if redis.call('HGET', KEYS[5], ARGV[11]) ~= ARGV[12] then return cjson.encode({userChanged = true}) end
  local last = tonumber(redis.call('GET', KEYS[4]) or '0')
  if tonumber(ARGV[9]) <= last then return cjson.encode({replayed = true}) end
  redis.call('SET', KEYS[4], ARGV[9], 'PX', ARGV[10])
end
local now = tonumber(ARGV[1])
local grace = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
local cseq = tonumber(ARGV[6])
local live = {}
local count = 0
local flat = redis.call('HGETALL', KEYS[1])
for i = 1, #flat, 2 do
  local f = flat[i]
  if string.sub(f, 1, #K.CONTACT_FIELD) == K.CONTACT_FIELD then
    local c = cjson.decode(flat[i + 1])
    if c.expiresAt <= now then
      redis.call('HDEL', KEYS[1], f)
    else
      live[f] = c
      count = count + 1
    end
  end
end
local function outOfOrder(c)
  return c ~= nil and c.callId == ARGV[5] and cseq <= c.cseq
end
local evicted = 0
if ARGV[7] == '*' then
  for f, c in pairs(live) do
    if outOfOrder(c) then return cjson.encode({outOfOrder = true}) end
  end
  for f, _ in pairs(live) do redis.call('HDEL', KEYS[1], f) end
  live = {}
  count = 0
else
  for i = 13, #ARGV, 2 do
    if outOfOrder(live[K.CONTACT_FIELD .. ARGV[i]]) then return cjson.encode({outOfOrder = true}) end
  end
  for i = 13, #ARGV, 2 do
    local f = K.CONTACT_FIELD .. ARGV[i]
    if ARGV[i + 1] == '' then
      if live[f] then
        redis.call('HDEL', KEYS[1], f)
        live[f] = nil
        count = count - 1
      end
    else
      local c = cjson.decode(ARGV[i + 1])
      if live[f] then
        c.registeredAt = live[f].registeredAt
      else
        if count >= max then
          local oldest, oldestAt = nil, nil
          for g, d in pairs(live) do
            if oldestAt == nil or d.updatedAt < oldestAt then oldest, oldestAt = g, d.updatedAt end
          end
          redis.call('HDEL', KEYS[1], oldest)
          live[oldest] = nil
          count = count - 1
          evicted = evicted + 1
        end
        count = count + 1
      end
      live[f] = c
      redis.call('HSET', KEYS[1], f, cjson.encode(c))
    end
  end
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if count == 0 then
  redis.call('ZREM', KEYS[2], ARGV[4])
else
  local latest = 0
  for _, c in pairs(live) do
    if c.expiresAt > latest then latest = c.expiresAt end
  end
  redis.call('PEXPIREAT', KEYS[1], latest + grace)
  redis.call('ZADD', KEYS[2], latest, ARGV[4])
end
-- Push bindings outlive SIP bindings (push_bind.lua writes them); the ones that lapsed go with any REGISTER of the
-- user. Most users have none: HGETALL of a missing key costs nothing.
local pushes = redis.call('HGETALL', KEYS[3])
for i = 1, #pushes, 2 do
  local ok, b = pcall(cjson.decode, pushes[i + 1])
  if not ok or type(b) ~= 'table' or tonumber(b.expiresAt) == nil or tonumber(b.expiresAt) <= now then
    redis.call('HDEL', KEYS[3], pushes[i])
  end
end
local contacts = {}
for _, c in pairs(live) do contacts[#contacts + 1] = cjson.encode(c) end
return cjson.encode({outOfOrder = false, evicted = evicted, contacts = contacts})
