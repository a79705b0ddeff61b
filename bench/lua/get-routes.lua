-- GET /routes/{caste} over a different set of candidates each time, so that every answer
-- computes its decision anew (the policy remembers the last 256 sets of posteriors):
-- wrk ... -s get-routes.lua URL -- <caste> <models in the pool> <candidates per request>
dofile("bench/lua/report.lua")

local requests = {}

-- every set of k of the pool's models, leaving out pool - k of them
local function combinations(pool, k, from, chosen, out)
  if #chosen == k then
    out[#out + 1] = table.concat(chosen, ",")
    return
  end
  for i = from, pool - (k - #chosen) + 1 do
    chosen[#chosen + 1] = "m" .. i
    combinations(pool, k, i + 1, chosen, out)
    chosen[#chosen] = nil
  end
end

function init(args)
  local caste, pool, k = args[1], tonumber(args[2]), tonumber(args[3])
  local sets = {}
  combinations(pool, k, 1, {}, sets)
  for i, set in ipairs(sets) do
    requests[i] = wrk.format("GET", "/routes/" .. caste .. "?candidates=" .. set)
  end
  n = ((id or 1) - 1) * math.floor(#requests / 2)
end

function request()
  n = n + 1
  return requests[n % #requests + 1]
end
