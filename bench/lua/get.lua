-- GET a path, optionally with If-None-Match: wrk ... -s get.lua URL -- /stats ["etag"]
dofile("bench/lua/report.lua")

function init(args)
  local headers = {}
  if args[2] then
    headers["If-None-Match"] = args[2]
  end
  request_bytes = wrk.format("GET", args[1], headers)
end

function request()
  return request_bytes
end
