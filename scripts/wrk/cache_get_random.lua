-- wrk script: POST /v1/cache/get of a key drawn uniformly at random from
-- BENCH_KEYS keys "r0" … "r<BENCH_KEYS-1>" (default 200000) of dmap
-- BENCH_DMAP (default "bench"), put first by bench/cmd/cacheputkeys. With more
-- keys than the host's near cache holds, most gets miss it.
--   wrk -t2 -c64 -d10s --latency -s scripts/wrk/cache_get_random.lua http://127.0.0.1:6001/v1/cache/get
local dmap = os.getenv("BENCH_DMAP") or "bench"
local n = tonumber(os.getenv("BENCH_KEYS") or "200000")

function setup(thread)
	thread:set("seed", math.random(1, 1e9))
end

function init()
	math.randomseed(seed)
end

function request()
	return wrk.format("POST", nil, { ["Content-Type"] = "application/json" },
		string.format('{"dmap":"%s","key":"r%d"}', dmap, math.random(0, n - 1)))
end
