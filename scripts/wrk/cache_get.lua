-- wrk script: POST /v1/cache/get with a JSON body.
--   wrk -t2 -c64 -d10s --latency -s scripts/wrk/cache_get.lua http://127.0.0.1:6001/v1/cache/get
-- The entry must exist (scripts/bench.sh puts it first); a missing key shows
-- up in wrk's "Non-2xx or 3xx responses" line. BENCH_DMAP and BENCH_KEY
-- override the dmap and key.
local dmap = os.getenv("BENCH_DMAP") or "bench"
local key = os.getenv("BENCH_KEY") or "hot"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.format('{"dmap":"%s","key":"%s"}', dmap, key)
