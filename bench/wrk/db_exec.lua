-- wrk script: a single-row INSERT through the gateway or straight to
-- rqlite, with the same statement:
--   BENCH_DB_TARGET=gateway wrk ... -s bench/wrk/db_exec.lua http://GATEWAY/v1/rqlite/exec
--   BENCH_DB_TARGET=rqlite  wrk ... -s bench/wrk/db_exec.lua 'http://RQLITE/db/execute'
-- Straight to rqlite the table has its physical name, "default$hits" (the
-- gateway's namespace "default" + "$" + table); scripts/bench.sh creates it.
-- rqlite answers 200 even for a failing statement: scripts/bench.sh checks
-- one answer of each kind with curl before it runs wrk, and counts the rows
-- afterwards.
local target = os.getenv("BENCH_DB_TARGET") or "gateway"

local body
if target == "rqlite" then
	body = '[["INSERT INTO \\"default$hits\\" (name, n) VALUES (?, ?)", "%s", %d]]'
elseif target == "gateway" then
	body = '{"sql":"INSERT INTO hits (name, n) VALUES (?, ?)","args":["%s",%d]}'
else
	error("BENCH_DB_TARGET must be gateway or rqlite, not " .. target)
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local threads = 0
function setup(thread)
	threads = threads + 1
	thread:set("tid", threads)
end

local n = 0
function request()
	n = n + 1
	return wrk.format(nil, nil, nil, string.format(body, target, (tid or 0) * 1000000000 + n))
end

