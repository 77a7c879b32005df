-- GET /v1/posts?limit=25&status=draft (default sort); the path is set here, run.py gives the base URL.
wrk.method = "GET"
wrk.path = "/v1/posts?limit=25&status=draft"
require "common"
