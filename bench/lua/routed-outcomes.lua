-- Every other request records a spawn the service routes (4 candidates, 4 castes) under a
-- client id; the others record the outcome of a spawn this thread recorded LAG requests
-- earlier, which adds its propensity sums to its buckets.
dofile("bench/lua/report.lua")

local LAG = 200
local outcomes = { "completed", "completed", "failed", "blocked" }
local castes = { "builder", "watcher", "scout", "oracle" }
local candidates = '["kimi-k2.5","glm-5","openrouter/anthropic/claude-sonnet-4.5","qwen3-coder"]'
local headers = write_headers()
local n = 0
local run = (os.getenv("BENCH_RUN") or "") .. tostring(os.time())

function request()
  n = n + 1
  local k = math.floor(n / 2)
  if n % 2 == 1 or k <= LAG then
    local body = string.format('{"task":"bench","caste":"%s","spawn_id":"r%s-%d-%d","route":{"candidates":%s}}',
      castes[k % #castes + 1], run, id, n, candidates)
    return wrk.format("POST", "/spawns", headers, body)
  end
  local target = n - 2 * LAG - 1
  local body = string.format('{"outcome":"%s","tokens":%d}', outcomes[target % #outcomes + 1], target)
  return wrk.format("PUT", string.format("/spawns/r%s-%d-%d/outcome", run, id, target), headers, body)
end
