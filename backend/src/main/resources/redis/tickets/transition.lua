-- A supervisor's change of a callback ticket, the callback service's own compare-and-set (its Tickets.TRANSITION):
-- only a ticket nobody works (open, retry-wait) is changed, so the panel and any service instance never both win.
-- KEYS[1] ticket: the ticket's hash
-- ARGV: 1 the states it may be in (comma-separated), then field/value pairs. Returns ok, missing, or its state.
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 'missing' end
local allowed = false
for s in string.gmatch(ARGV[1], '[^,]+') do if s == state then allowed = true end end
if not allowed then return state end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
return 'ok'
