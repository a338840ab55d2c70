-- wrk script: POST a small JSON body to a function's invoke route, for the
-- functions part of scripts/bench.sh (bench/functions.sh):
--   wrk -t1 -c1 -d5s --latency -s bench/wrk/fn_invoke.lua http://127.0.0.1:6001/v1/functions/echo/invoke
-- BENCH_FN_BODY overrides the body ({"name":"bench"}: what the WAT echo
-- returns as is and the Go greeting answers with its greeting). A function
-- that fails (500), is missing (404) or is over its concurrency cap (429)
-- shows up in wrk's "Non-2xx or 3xx responses" line.
local body = os.getenv("BENCH_FN_BODY") or '{"name":"bench"}'

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = body
