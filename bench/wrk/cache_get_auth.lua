-- wrk script: POST /v1/cache/get with a JSON body and a credential, for the
-- auth part of scripts/bench.sh (bench/auth.sh):
--   BENCH_AUTH_JWT=<jwt> wrk -t2 -c64 -d10s --latency -s bench/wrk/cache_get_auth.lua http://127.0.0.1:6001/v1/cache/get
--   BENCH_AUTH_KEY=<key> wrk ... (sent as X-API-Key)
-- With neither set no credential is sent (a gateway with auth = "disabled").
-- The credential goes through the environment because wrk's Lua cannot
-- take arguments with spaces through scripts/bench.sh. BENCH_DMAP and
-- BENCH_KEY override the dmap and key; the entry must exist (a missing one
-- shows up in wrk's "Non-2xx or 3xx responses" line, as does a refused
-- credential).
local dmap = os.getenv("BENCH_DMAP") or "bench"
local key = os.getenv("BENCH_KEY") or "hot"
local jwt = os.getenv("BENCH_AUTH_JWT") or ""
local apikey = os.getenv("BENCH_AUTH_KEY") or ""

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
if jwt ~= "" then
	wrk.headers["Authorization"] = "Bearer " .. jwt
end
if apikey ~= "" then
	wrk.headers["X-API-Key"] = apikey
end
wrk.body = string.format('{"dmap":"%s","key":"%s"}', dmap, key)
