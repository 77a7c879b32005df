-- Shared by every bench script (loaded with `require "common"`; run.py sets LUA_PATH).
--
-- Environment (set by bench/run.py):
--   BENCH_KEY         API key of the tenant (default sapi_key_bench)
--   BENCH_STOP_AFTER  fill mode: count 2xx answers and stop the thread after this many
--                     (prints BENCH_STOPPED so run.py can interrupt wrk's timer at once)
-- done() prints one line "BENCHJSON {...}" that run.py parses (latencies in microseconds).

local key = os.getenv("BENCH_KEY") or "sapi_key_bench"
wrk.headers["Authorization"] = "Bearer " .. key
wrk.headers["Accept"] = "application/json"

local stop_after = tonumber(os.getenv("BENCH_STOP_AFTER") or "")
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

if stop_after then
   -- Globals, so that done() can read them through thread:get().
   ok = 0
   bad = 0
   first_bad = ""
   local stopped = false

   function response(status, headers, body)
      if status >= 200 and status < 300 then
         ok = ok + 1
      else
         bad = bad + 1
         if first_bad == "" then
            first_bad = tostring(status) .. " " .. string.sub(body or "", 1, 200)
         end
      end
      if not stopped and (ok >= stop_after or bad >= 100) then
         stopped = true
         io.stdout:write("BENCH_STOPPED\n")
         io.stdout:flush()
         wrk.thread:stop()
      end
   end
end

local function json_string(s)
   s = string.gsub(s, '[%c"\\]', function(c)
      return string.format("\\u%04x", string.byte(c))
   end)
   return '"' .. s .. '"'
end

function done(summary, latency, requests)
   local ok_total, bad_total, first = -1, -1, ""
   if stop_after then
      ok_total, bad_total = 0, 0
      for _, t in ipairs(threads) do
         ok_total = ok_total + t:get("ok")
         bad_total = bad_total + t:get("bad")
         if first == "" then
            first = t:get("first_bad")
         end
      end
   end
   local e = summary.errors
   io.write(string.format(
      'BENCHJSON {"requests": %d, "duration_us": %d, "bytes": %d, '
         .. '"err_connect": %d, "err_read": %d, "err_write": %d, "err_status": %d, "err_timeout": %d, '
         .. '"lat_mean_us": %.2f, "lat_stdev_us": %.2f, "lat_max_us": %.2f, '
         .. '"lat_p50_us": %.2f, "lat_p90_us": %.2f, "lat_p99_us": %.2f, '
         .. '"fill_ok": %d, "fill_bad": %d, "fill_first_bad": %s}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency.mean, latency.stdev, latency.max,
      latency:percentile(50), latency:percentile(90), latency:percentile(99),
      ok_total, bad_total, json_string(first)))
end
