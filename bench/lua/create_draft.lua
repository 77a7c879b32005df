-- POST /v1/posts: a draft with two targets (linkedin, twitter), duplicate check skipped.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text": "Benchmark draft: hello from wrk", "skip_duplicate_check": true, '
   .. '"targets": [{"account_id": "acc_01JGTY1E836VY9YE7XYGSKYSVC"}, '
   .. '{"account_id": "acc_01JGR43PP11YMKWM7ZXA9DVNXE"}]}'
require "common"
