-- POST /spawns with varied models, castes and sources; the server makes the ids.
dofile("bench/lua/report.lua")

local models = { "kimi-k2.5", "glm-5", "openrouter/anthropic/claude-sonnet-4.5", "openrouter/openai/gpt-5", "qwen3-coder" }
local castes = { "builder", "watcher", "scout", "oracle", "architect", "colonizer", "chronicler" }
local sources = { "caste-default", "task-based", "user-override", "cli-override" }
local headers = write_headers()
local n = 0

function request()
  n = n + 1
  local body = string.format(
    '{"task":"implement step %d of the plan and run the tests","caste":"%s","model":"%s","source":"%s"}',
    n, castes[n % #castes + 1], models[n % #models + 1], sources[n % #sources + 1])
  return wrk.format("POST", "/spawns", headers, body)
end
