-- Ends an offer without a connection (the ringing node gave up, could not reach the agent, ...).
-- KEYS: 1 offer hash. arg: 1 offer id, 2 why, 3 retry delay ms. Returns the released agent ids.
return releaseOffer(arg(1), arg(2), tonumber(arg(3)))
