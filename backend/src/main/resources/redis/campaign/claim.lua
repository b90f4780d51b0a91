-- KEYS[1] campaignDue: the contacts due for a call, scored by when (ms)
-- KEYS[2] campaignDialling: the contacts being dialled, id -> the node that claimed it
-- KEYS[3] campaignContacts: the campaign's contacts, id -> JSON record
-- ARGV: 1 now (ms), 2 how many at most, 3 node id.
-- Claims up to ARGV[2] contacts due by now, earliest first: each leaves the due set and is marked dialling by this
-- node in one step, so no other node's claim can take it; a contact is dialled at most once, cluster-wide.
-- Returns id, record, score for each claimed contact (the score puts it back where it was if it is not dialled).
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
