-- An event a node writes itself rather than a transition (a supervisor's monitor started, changed or ended): the
-- prelude's emit, so it reaches the stream and the live channel exactly as the transitions' events do.
-- KEYS[1] events: the tenant's event stream
-- arg: 1 kind, 2 queue, 3 agent id, 4 call id, then field/value pairs. Returns the stream id.
local fields = {}
for i = 5, argCount() do fields[#fields + 1] = arg(i) end
return emit(arg(1), arg(2), arg(3), arg(4), fields)
