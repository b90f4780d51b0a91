-- KEYS[1] campaignContacts: the campaign's contacts, id -> JSON record
-- KEYS[2] campaignDue: the contacts due for a call, scored by when (ms)
-- ARGV: id, JSON pairs. A contact already on the campaign keeps its record (its attempts and outcome) and is not
-- made due again; a new one is due at once (score 0). Returns how many were new.
local added = 0
for i = 1, #ARGV, 2 do
  if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) == 1 then
    redis.call('ZADD', KEYS[2], 0, ARGV[i])
    added = added + 1
  end
end
return added
