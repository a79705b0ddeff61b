-- Every other request records a spawn with a client id; the others record the outcome of
-- a spawn this thread recorded LAG requests earlier (long answered, still in the log).
dofile("bench/lua/report.lua")

local LAG = 200
local outcomes = { "completed", "completed", "failed", "blocked" }
local models = { "kimi-k2.5", "glm-5", "openrouter/anthropic/claude-sonnet-4.5" }
local castes = { "builder", "watcher", "scout", "oracle" }
local headers = write_headers()
local n = 0
-- BENCH_RUN tells apart the ids of wrk runs started in the same second (two replicas)
local run = (os.getenv("BENCH_RUN") or "") .. tostring(os.time())

function request()
  n = n + 1
  local k = math.floor(n / 2)
  if n % 2 == 1 or k <= LAG then
    local body = string.format('{"task":"bench","caste":"%s","model":"%s","source":"task-based","spawn_id":"b%s-%d-%d"}',
      castes[k % #castes + 1], models[k % #models + 1], run, id, n)
    return wrk.format("POST", "/spawns", headers, body)
  end
  local target = n - 2 * LAG - 1
  local body = string.format('{"outcome":"%s","tokens":%d,"tools":{"read":3,"edit":1}}', outcomes[target % #outcomes + 1], target)
  return wrk.format("PUT", string.format("/spawns/b%s-%d-%d/outcome", run, id, target), headers, body)
end
