-- wrk script: cycles through the URL paths listed in the file named by $WRK_PATHS (one a line),
-- each thread from its own offset, and prints one machine-readable RESULT line at the end.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end

local started = 0
function setup(thread)
  started = started + 1
  thread:set("offset", started * 17)
end

local i
function request()
  if i == nil then i = (offset or 0) % #paths end
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f requests=%d bytes=%d errors=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests, summary.bytes,
    e.connect + e.read + e.write + e.status + e.timeout))
end
