-- Ends an offer without a connection (the ringing node gave up, could not reach the agent, ...).
-- KEYS[1] offer: the offer ended (releaseOffer reads it by its id)
-- arg: 1 offer id, 2 why, 3 retry delay ms. Returns the released agent ids.
return releaseOffer(arg(1), arg(2), tonumber(arg(3)))
