-- POST /v1/posts with publish_now and three targets (linkedin, twitter, facebook).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text": "Benchmark publish_now: hello from wrk", "skip_duplicate_check": true, '
   .. '"publish_now": true, '
   .. '"targets": [{"account_id": "acc_01JGTY1E836VY9YE7XYGSKYSVC"}, '
   .. '{"account_id": "acc_01JGR43PP11YMKWM7ZXA9DVNXE"}, '
   .. '{"account_id": "acc_01JGR4N5JJX9K1QQXV5SZ7VZSG"}]}'
require "common"
