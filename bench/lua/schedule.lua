-- POST /v1/posts scheduled at BENCH_SCHEDULED_AT (two targets), for the clock bench.
local at = os.getenv("BENCH_SCHEDULED_AT") or "2026-01-02T00:00:00Z"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text": "Benchmark scheduled post", "skip_duplicate_check": true, '
   .. '"scheduled_at": "' .. at .. '", '
   .. '"targets": [{"account_id": "acc_01JGTY1E836VY9YE7XYGSKYSVC"}, '
   .. '{"account_id": "acc_01JGR43PP11YMKWM7ZXA9DVNXE"}]}'
require "common"
