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
-- 'http://RQLITE/db/query?level=weak&blob_array&timeout=10s') what the
-- database plugin's rqlite driver sends for this query once it knows its
-- columns (see plugins/database/rqlite/typed.go): one statement that gives
-- a row with the schema cookie, then every cell with its type; the row
-- limit is the default max_rows + 1. It shows what rqlite's part of a
-- gateway request costs, without the gateway. BENCH_DB_TARGET=rqlite-typed3
-- (URL '…&transaction') sends what the driver sent before (942c567):
-- a statement that loads the schema, the query wrapped for its column
-- names, and the typed query, in one read transaction.
local target = os.getenv("BENCH_DB_TARGET") or "gateway"
local rows = tonumber(os.getenv("BENCH_DB_ROWS") or "1000")

local body
local physical = 'SELECT id, name, n FROM \\"default$bench\\" WHERE id = ?'
if target == "rqlite" then
	body = '[["' .. physical .. '", %d]]'
elseif target == "rqlite-typed" then
	local cells, nulls = {}, {}
	for i = 1, 3 do
		local c = "c" .. i
		cells[i] = "typeof(" .. c .. "),CASE typeof(" .. c .. ") WHEN 'blob' THEN hex(" .. c .. ") ELSE " .. c .. " END"
	end
	for i = 3, 6 do
		nulls[#nulls + 1] = "NULL"
	end
	body = '[["WITH _orama_q(c1,c2,c3) AS (' .. physical .. '\\n) SELECT \'orama\',schema_version,'
		.. table.concat(nulls, ",") .. ' FROM pragma_schema_version UNION ALL SELECT '
		.. table.concat(cells, ",") .. ' FROM _orama_q LIMIT 10002", %d]]'
elseif target == "rqlite-typed3" then
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
	error("BENCH_DB_TARGET must be gateway, rqlite, rqlite-typed or rqlite-typed3, not " .. target)
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

