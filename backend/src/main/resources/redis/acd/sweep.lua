-- Timers that ran out: leases of reservations whose node never reported (it died, or lost Redis), and wrap-up.
-- KEYS[1] agentTimers: agents by their next deadline
-- arg: 1 most agents per run, 2 retry delay ms for callers whose offer lapsed.
-- Returns the agents made available.
local freed = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', NOW, 'LIMIT', 0, tonumber(arg(1)))) do
  local a = hash(K.agent(id))
  if a.state == 'reserved' and num(a.leaseUntil) <= NOW then
    if a.offer and a.offer ~= '' then releaseOffer(a.offer, 'lease-expired', tonumber(arg(2))) end
    a = hash(K.agent(id))
    if a.state == 'reserved' then transition(id, a, 'available', '', {}) end -- its offer hash was already gone
    freed[#freed + 1] = id
  elseif a.state == 'wrap-up' and num(a.wrapUntil) <= NOW then
    transition(id, a, 'available', '', {'idle', NOW})
    freed[#freed + 1] = id
  elseif a.state ~= 'reserved' and a.state ~= 'wrap-up' then
    redis.call('ZREM', KEYS[1], id)
  end
end
return freed
