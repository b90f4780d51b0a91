-- KEYS[1] campaignDialling: the contacts being dialled, id -> the node that claimed it
-- KEYS[2] campaignContacts: the campaign's contacts, id -> JSON record
-- KEYS[3] campaignDue: the contacts due for a call, scored by when (ms)
-- KEYS[4] campaignFigures: the campaign's counts, 'attempts' and one per outcome
-- KEYS[5] campaignAttempts: one entry per attempt
-- ARGV: 1 contact id, 2 the node that claimed it, 3 the contact's new JSON record, 4 when it is due again (ms; -1:
-- never), 5 outcome ('' for a contact put back without a call), 6 '1' when a call was placed, 7 attempts stream
-- length kept, 8.. the attempt's fields (name, value pairs).
-- Ends a claim, once: only while the contact is still marked dialling by that node (a sweep of a dead node's claims
-- and the node itself cannot both settle it). Returns 1 when settled here, 0 when it was not this claim's to settle.
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
local dueAt = tonumber(ARGV[4])
if dueAt >= 0 then redis.call('ZADD', KEYS[3], dueAt, ARGV[1]) end
if ARGV[5] ~= '' then
  redis.call('HINCRBY', KEYS[4], ARGV[5], 1)
  if ARGV[6] == '1' then redis.call('HINCRBY', KEYS[4], 'attempts', 1) end
  local fields = {}
  for i = 8, #ARGV do fields[#fields + 1] = ARGV[i] end
  redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[7], '*', unpack(fields))
end
return 1
