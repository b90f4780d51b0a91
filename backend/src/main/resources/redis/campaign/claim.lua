-- KEYS[1] campaignDue: the contacts due for a call, scored by when (ms)
-- KEYS[2] campaignDialling: the contacts being dialled, id -> the node that claimed it
-- KEYS[3] campaignContacts: the campaign's contacts, id -> JSON record
-- KEYS[4] campaignsRunning: the tenant's campaigns that dial now
-- KEYS[5] campaigns: the tenant's campaign definitions, id -> JSON
-- ARGV: 1 now (ms), 2 how many at most, 3 node id, 4 campaign id, 5 the mode the caller dials it in.
-- Nothing is claimed for a campaign stopped, deleted or given another mode since the caller read its definition (the
-- scheduler lists the campaigns once a tick and dials in slices through it): a preview campaign is never dialled as
-- the progressive one it replaced, and a stop holds from the instant it is made.
-- Claims up to ARGV[2] contacts due by now, earliest first: each leaves the due set and is marked dialling by this
-- node in one step, so no other node's claim can take it; a contact is dialled at most once, cluster-wide.
-- Returns id, record, score for each claimed contact (the score puts it back where it was if it is not dialled).
if redis.call('SISMEMBER', KEYS[4], ARGV[4]) == 0 then
  return {}
end
local definition = redis.call('HGET', KEYS[5], ARGV[4])
if not definition then
  return {}
end
local ok, campaign = pcall(cjson.decode, definition)
if not ok or campaign.mode ~= ARGV[5] then
  return {}
end
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for i = 1, #due, 2 do
  local id = due[i]
  redis.call('ZREM', KEYS[1], id)
  if redis.call('HSETNX', KEYS[2], id, ARGV[3]) == 1 then
    out[#out + 1] = id
    out[#out + 1] = redis.call('HGET', KEYS[3], id) or ''
    out[#out + 1] = due[i + 1]
  end
end
return out
