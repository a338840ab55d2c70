-- wrk script: POST /v1/cache/put of the BENCH_KEYS keys "r0" … (default
-- 200000) of dmap BENCH_DMAP (default "bench"), spread over the
-- BENCH_THREADS threads (set it to wrk's -t): thread i puts i, i+t, i+2t, …
-- and stops after its share, so a run long enough puts every key once
-- (a few more as the last requests of each connection repeat the last
-- key). The value is a small JSON object.
--   BENCH_THREADS=2 wrk -t2 -c64 -d300s -s scripts/wrk/cache_put_keys.lua http://127.0.0.1:6001/v1/cache/put
local dmap = os.getenv("BENCH_DMAP") or "bench"
local n = tonumber(os.getenv("BENCH_KEYS") or "200000")
local step = tonumber(os.getenv("BENCH_THREADS") or "1")
local ids = 0

function setup(thread)
	thread:set("id", ids)
	ids = ids + 1
end

function init()
	next_key = id
end

function request()
	local k = next_key
	next_key = next_key + step
	if k >= n then
		wrk.thread:stop()
		k = n - 1
	end
	return wrk.format("POST", nil, { ["Content-Type"] = "application/json" },
		string.format('{"dmap":"%s","key":"r%d","value":{"n":%d,"s":"random-key-value"}}', dmap, k, k))
end
