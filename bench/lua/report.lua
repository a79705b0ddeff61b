-- Shared by every scenario: counts answers by status per thread and prints one JSON line
-- at the end, which run.sh turns into the table.
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

counts = {}

-- the headers of a write: JSON, with the write token when bench/run.sh sets BENCH_TOKEN
function write_headers()
  local headers = { ["Content-Type"] = "application/json" }
  if os.getenv("BENCH_TOKEN") then
    headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
  end
  return headers
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local by_status = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do
      by_status[status] = (by_status[status] or 0) + n
    end
  end
  local statuses = {}
  for status, n in pairs(by_status) do
    table.insert(statuses, string.format('"%d":%d', status, n))
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'RESULT {"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"socket_errors":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, errors,
    table.concat(statuses, ",")))
end
