-- POST /spawns routed by the service: 8 candidates, 5 castes; the server makes the ids.
dofile("bench/lua/report.lua")

local castes = { "builder", "watcher", "scout", "oracle", "architect" }
local candidates = '["kimi-k2.5","glm-5","openrouter/anthropic/claude-sonnet-4.5","openrouter/openai/gpt-5",'
  .. '"qwen3-coder","deepseek-v3.2","minimax-m2","grok-4-fast"]'
local headers = write_headers()
local n = 0

function request()
  n = n + 1
  local body = string.format(
    '{"task":"implement step %d of the plan and run the tests","caste":"%s","route":{"candidates":%s}}',
    n, castes[n % #castes + 1], candidates)
  return wrk.format("POST", "/spawns", headers, body)
end
