-- KEYS[1] nodeVotes: the cluster's votes on whether each node reaches each other, and the nodes out of dialling
-- ARGV: 1 subject (the node voted on), 2 voter ('' to decide without voting), 3 vote ('reachable' or
-- 'unreachable'; '' without one), 4 vote TTL in ms, then the ids of the live nodes (by their heartbeats).
-- Records the vote (as of Redis's own clock: one clock for every voter), then decides, all in one step so two
-- voters deciding at once cannot both flip the subject. The voters are the live nodes other than the subject that
-- are in dialling themselves (a node the others cannot reach has no say, so two nodes cut off from each other do
-- not vote each other out); a vote counts while younger than the TTL (a dead voter's vote expires). A strict
-- majority of the voters saying unreachable takes the subject out of dialling, a strict majority saying reachable
-- brings it back, anything else (a tie, too few fresh votes) leaves it as it was; with no voter at all the subject
-- is in (no node is left to say otherwise). Expired votes are deleted on the way.
-- Returns {state ('in' or 'out'), changed (1 or 0), voters, voter1, vote1, voter2, vote2, ...} (the counted votes).
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local subject, voter, vote, ttl = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local prefix = 'vote:' .. subject .. ':'
if voter ~= '' then
  redis.call('HSET', KEYS[1], prefix .. voter, vote .. ' ' .. ms)
end

local live = {}
for i = 5, #ARGV do live[ARGV[i]] = true end

local wasOut = redis.call('HEXISTS', KEYS[1], 'out:' .. subject) == 1
local voters, reachable, unreachable = 0, 0, 0
local counted = {}
for id in pairs(live) do
  if id ~= subject and redis.call('HEXISTS', KEYS[1], 'out:' .. id) == 0 then
    voters = voters + 1
  end
end
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local field, value = all[i], all[i + 1]
  if string.sub(field, 1, #prefix) == prefix then
    local id = string.sub(field, #prefix + 1)
    local kind, at = string.match(value, '^(%S+) (%d+)$')
    if not at or ms - tonumber(at) > ttl then
      redis.call('HDEL', KEYS[1], field)
    elseif live[id] and id ~= subject and redis.call('HEXISTS', KEYS[1], 'out:' .. id) == 0 then
      if kind == 'reachable' then reachable = reachable + 1 else unreachable = unreachable + 1 end
      counted[#counted + 1] = id
      counted[#counted + 1] = kind
    end
  end
end

local out = wasOut
if voters == 0 then
  out = false
elseif unreachable * 2 > voters then
  out = true
elseif reachable * 2 > voters then
  out = false
end
if out and not wasOut then
  redis.call('HSET', KEYS[1], 'out:' .. subject, ms)
elseif wasOut and not out then
  redis.call('HDEL', KEYS[1], 'out:' .. subject)
end
local reply = {out and 'out' or 'in', (out ~= wasOut) and 1 or 0, voters}
for _, v in ipairs(counted) do reply[#reply + 1] = v end
return reply
