-- A join was refused before it reached the room's state (a join token of another user, or used before): the
-- callback service hears REFUSED with the reason; the room itself does not change.
-- KEYS[1] room: the room's hash
-- KEYS[2] roomEvents: the room-event stream
-- arg: 1 the user refused, 2 why.
-- Returns 1, or 0 when there is no such room.
local r = hash(KEYS[1])
if r.id == nil then return 0 end
roomEvent(KEYS[2], 'refused', r, arg(1), arg(2))
return 1
