-- wrk script: a point query (SELECT by primary key, random id) through the
-- gateway or straight to rqlite, with the same statement:
--   BENCH_DB_TARGET=gateway wrk ... -s bench/wrk/db_query.lua http://GATEWAY/v1/rqlite/query
--   BENCH_DB_TARGET=rqlite  wrk ... -s bench/wrk/db_query.lua 'http://RQLITE/db/query?level=weak'
-- Straight to rqlite the table has its physical name, "default$bench" (the
-- gateway's namespace "default" + "$" + table). BENCH_DB_ROWS is the number
-- of seeded ids (1000; scripts/bench.sh seeds them). rqlite answers 200 even
-- for a failing statement: scripts/bench.sh checks one answer of each kind
-- with curl before it runs wrk.
--
-- BENCH_DB_TARGET=rqlite-typed sends to rqlite (URL
-- 'http://RQLITE/db/query?level=weak&blob_array&transaction') what the
-- database plugin's rqlite driver sends for this query (see
-- plugins/database/rqlite/typed.go): a statement that loads the schema,
-- the query wrapped for its column names, and the query wrapped to give
-- every cell with its type, in one read transaction; the row limit is the
-- default max_rows + 1. It shows what rqlite's part of a gateway request
-- costs, without the gateway.
local target = os.getenv("BENCH_DB_TARGET") or "gateway"
local rows = tonumber(os.getenv("BENCH_DB_ROWS") or "1000")

local body
local physical = 'SELECT id, name, n FROM \\"default$bench\\" WHERE id = ?'
if target == "rqlite" then
	body = '[["' .. physical .. '", %d]]'
elseif target == "rqlite-typed" then
	local cells = {}
	for i = 1, 3 do
		local c = "c" .. i
		cells[i] = "typeof(" .. c .. "),CASE WHEN typeof(" .. c .. ")='blob' THEN hex(" .. c .. ") ELSE " .. c .. " END"
	end
	body = '[["SELECT 1 FROM sqlite_master LIMIT 0"],'
		.. '["SELECT * FROM (' .. physical .. '\\n) LIMIT 0", %d],'
		.. '["WITH _orama_q(c1,c2,c3) AS (' .. physical .. '\\n) SELECT ' .. table.concat(cells, ",")
		.. ' FROM _orama_q LIMIT 10001", %d]]'
elseif target == "gateway" then
	body = '{"sql":"SELECT id, name, n FROM bench WHERE id = ?","args":[%d]}'
else
	error("BENCH_DB_TARGET must be gateway, rqlite or rqlite-typed, not " .. target)
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local threads = 0
function setup(thread)
	threads = threads + 1
	thread:set("tid", threads)
end

function init(args)
	math.randomseed(os.time() * 1000 + (tid or 0))
end

function request()
	local id = math.random(rows)
	return wrk.format(nil, nil, nil, string.format(body, id, id))
end

