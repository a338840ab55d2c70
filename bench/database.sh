# bench/database.sh — the database part of scripts/bench.sh, which sources
# it and provides what it uses: say, run, die, stop, free_port, wait_http,
# plugin_pid, rss_mb, wrk_measure, R, PIDS, WORK, BIN, TOOLS, GO, WARMUP and
# the DB_* knobs.
#
# One rqlited (a single node, data under $WORK) and a gateway whose database
# plugin uses the rqlite driver against it (default consistency: weak). The
# same two statements — a point query by primary key over DB_ROWS seeded
# rows, and a single-row INSERT — run with wrk through the gateway
# (/v1/rqlite/query, /v1/rqlite/exec; bench/wrk/db_*.lua with
# BENCH_DB_TARGET=gateway) and straight against rqlite's HTTP API
# (/db/query?level=weak, /db/execute; BENCH_DB_TARGET=rqlite, where the
# table has its physical name "default$bench"); the point query also as
# the plugin's rqlite driver sends it (BENCH_DB_TARGET=rqlite-typed: one
# typed statement) and as it sent it at 942c567 (BENCH_DB_TARGET=
# rqlite-typed3: three statements in a read transaction); both straight to
# rqlite through two tcp relays and two http relays (bench/relay.sh: the
# floor of two processes in front of rqlited); both through a second
# gateway with max_concurrent_statements = DB_TUNED_CONCURRENT and
# in_flight = DB_TUNED_IN_FLIGHT. Then the same two through a gateway whose
# plugin uses the embedded SQLite driver.

# db_plugin_binary sets DB_PLUGIN: $BIN/orama-plugin-database when there,
# else one built from ./plugins/database into $WORK.
db_plugin_binary() {
	DB_PLUGIN=$BIN/orama-plugin-database
	if [ ! -x "$DB_PLUGIN" ]; then
		DB_PLUGIN=$WORK/bin/orama-plugin-database
		run "$GO" build -o "$DB_PLUGIN" ./plugins/database
	fi
	echo "database plugin: $DB_PLUGIN ($(date -u -r "$DB_PLUGIN" +%Y-%m-%dT%H:%M:%SZ))"
}

# db_rq_http prints rqlited's HTTP counters (requests and statements of
# /db/query and /db/execute, from /debug/vars) as "name:value …".
db_rq_http() {
	curl -s "$RQ/debug/vars" | tr -d '\n' | sed 's/.*"http": *{\([^}]*\)}.*/\1/' |
		grep -o '"\(queries\|query_stmts_rx\|executions\|execute_stmts_rx\)": *[0-9]*' | tr -d '" ' | tr '\n' ' '
}

# db_rq_merged ID BEFORE AFTER (db_rq_http outputs): sets R[ID.merged],
# statements per rqlite request while ID ran (warm-up included).
db_rq_merged() {
	R[$1.merged]=$(awk -v a="$2" -v b="$3" 'BEGIN {
		n = split(a, x, /[: ]+/); for (i = 1; i < n; i += 2) A[x[i]] = x[i+1]
		n = split(b, x, /[: ]+/); for (i = 1; i < n; i += 2) B[x[i]] = x[i+1]
		q = B["queries"] - A["queries"]; qs = B["query_stmts_rx"] - A["query_stmts_rx"]
		e = B["executions"] - A["executions"]; es = B["execute_stmts_rx"] - A["execute_stmts_rx"]
		if (q + e > 0) printf "%d statements in %d requests (%.2f per request)", qs + es, q + e, (qs + es) / (q + e)
	}')
}

# db_gateway NAME ATTRS: starts a gateway whose database plugin has the
# config attributes ATTRS (HCL lines); sets DBGW, DBGW_PID, DBPLUGIN_PID.
db_gateway() {
	local name=$1 attrs=$2 port
	port=$(free_port)
	DBGW=http://127.0.0.1:$port
	mkdir -p "$WORK/$name"
	cat >"$WORK/$name/config.hcl" <<-HCL
	server {
	  listen = "127.0.0.1:$port"
	}
	node {
	  id       = "bench"
	  data_dir = "$WORK/$name/data"
	}
	plugin "database" {
	  path = "$DB_PLUGIN"
	  config {
	$attrs
	  }
	}
	HCL
	echo "gateway config ($WORK/$name/config.hcl):"
	sed 's/^/    /' "$WORK/$name/config.hcl"
	printf '+ %s\n' "$BIN/orama serve -config $WORK/$name/config.hcl >$WORK/$name.log 2>&1 &" >&2
	"$BIN/orama" serve -config "$WORK/$name/config.hcl" >"$WORK/$name.log" 2>&1 &
	DBGW_PID=$!
	PIDS+=("$DBGW_PID")
	wait_http "$DBGW/v1/health" || { tail -50 "$WORK/$name.log"; exit 1; }
	DBPLUGIN_PID=$(plugin_pid "$DBGW")
	[ -n "$DBPLUGIN_PID" ] && [ "$DBPLUGIN_PID" != 0 ] || die "no plugin pid in $DBGW/v1/health"
	echo "gateway $DBGW (host pid $DBGW_PID, database plugin pid $DBPLUGIN_PID)"
}

# db_stop_gateway: stops the gateway (and makes sure its plugin is gone).
db_stop_gateway() {
	stop "$DBGW_PID"
	if kill -0 "$DBPLUGIN_PID" 2>/dev/null; then
		echo "plugin $DBPLUGIN_PID outlived the host; killing it" >&2
		kill -KILL "$DBPLUGIN_PID" 2>/dev/null || true
	fi
}

# db_post URL BODY [WANT]: POSTs a JSON body (from a file when it starts
# with @) and prints the answer; dies unless it is 200/201 and, when WANT
# is given, contains WANT.
db_post() {
	local out
	out=$(run curl -sS -f -X POST -H 'Content-Type: application/json' -d "$2" "$1") || die "POST $1 failed"
	echo "$out"
	if [ -n "${3:-}" ] && [[ "$out" != *"$3"* ]]; then
		die "POST $1: answer lacks $3"
	fi
}

# db_seed GATEWAY: creates bench (DB_ROWS rows) and hits through the
# gateway, then checks one point query and one insert there.
db_seed() {
	db_post "$1/v1/rqlite/create-table" '{"schema":"CREATE TABLE bench (id INTEGER PRIMARY KEY, name TEXT NOT NULL, n INTEGER NOT NULL)"}' '"ok"'
	db_post "$1/v1/rqlite/create-table" '{"schema":"CREATE TABLE hits (id INTEGER PRIMARY KEY, name TEXT NOT NULL, n INTEGER NOT NULL)"}' '"ok"'
	awk -v rows="$DB_ROWS" 'BEGIN{
		printf "{\"sql\":\"INSERT INTO bench (id, name, n) VALUES "
		for (i = 1; i <= rows; i++) printf "%s(%d, '\''name-%d'\'', %d)", (i > 1 ? ", " : ""), i, i, 7 * i
		print "\"}" }' >"$WORK/seed.json"
	db_post "$1/v1/rqlite/exec" @"$WORK/seed.json" "\"rows_affected\":$DB_ROWS"
	db_post "$1/v1/rqlite/query" '{"sql":"SELECT id, name, n FROM bench WHERE id = ?","args":[2]}' '{"items":[{"id":2,"name":"name-2","n":14}],"count":1}'
	db_post "$1/v1/rqlite/exec" '{"sql":"INSERT INTO hits (name, n) VALUES (?, ?)","args":["probe",0]}' '"rows_affected":1'
}

# db_rqlite_count SQL: the single number a query straight to rqlite
# (level=strong) returns.
db_rqlite_count() {
	curl -sS -f -X POST -H 'Content-Type: application/json' -d "[[\"$1\"]]" "$RQ/db/query?level=strong" |
		grep -o '"values":\[\[[0-9]*\]\]' | grep -o '[0-9][0-9]*'
}

database_bench() {
	local rq_http rq_raft dbenv="BENCH_DB_ROWS=$DB_ROWS"
	say "database: rqlited and the gateway (driver rqlite)"
	db_plugin_binary
	rq_http=$(free_port)
	rq_raft=$(free_port)
	while [ "$rq_raft" = "$rq_http" ]; do rq_raft=$(free_port); done
	RQ=http://127.0.0.1:$rq_http
	printf '+ %s\n' "$TOOLS/rqlited -node-id 1 -http-addr 127.0.0.1:$rq_http -raft-addr 127.0.0.1:$rq_raft $WORK/rqlite >$WORK/rqlite.log 2>&1 &" >&2
	"$TOOLS/rqlited" -node-id 1 -http-addr "127.0.0.1:$rq_http" -raft-addr "127.0.0.1:$rq_raft" "$WORK/rqlite" >"$WORK/rqlite.log" 2>&1 &
	RQ_PID=$!
	PIDS+=("$RQ_PID")
	wait_http "$RQ/readyz" || { tail -50 "$WORK/rqlite.log"; exit 1; }
	echo "rqlited $RQ (pid $RQ_PID, $("$TOOLS/rqlited" -version 2>&1 | head -1))"
	db_gateway gw-rqlite "    driver = \"rqlite\"
    hosts  = [\"$RQ\"]"

	say "database: seed through the gateway; the same statements straight to rqlite"
	db_seed "$DBGW"
	db_post "$RQ/db/query?level=weak" '[["SELECT id, name, n FROM \"default$bench\" WHERE id = ?", 2]]' '"values":[[2,"name-2",14]]'
	local q='SELECT id, name, n FROM \"default$bench\" WHERE id = ?' cells="" cells3="" i
	for i in 1 2 3; do
		cells+="${cells:+,}typeof(c$i),CASE typeof(c$i) WHEN 'blob' THEN hex(c$i) ELSE c$i END"
		cells3+="${cells3:+,}typeof(c$i),CASE WHEN typeof(c$i)='blob' THEN hex(c$i) ELSE c$i END"
	done
	db_post "$RQ/db/query?level=weak&blob_array&timeout=10s" \
		"[[\"WITH _orama_q(c1,c2,c3) AS ($q\\n) SELECT 'orama',schema_version,NULL,NULL,NULL,NULL FROM pragma_schema_version UNION ALL SELECT $cells FROM _orama_q LIMIT 10002\", 2]]" \
		'["integer",2,"text","name-2","integer",14]]'
	db_post "$RQ/db/query?level=weak&blob_array&transaction" \
		"[[\"SELECT 1 FROM sqlite_master LIMIT 0\"],[\"SELECT * FROM ($q\\n) LIMIT 0\", 2],[\"WITH _orama_q(c1,c2,c3) AS ($q\\n) SELECT $cells3 FROM _orama_q LIMIT 10001\", 2]]" \
		'"values":[["integer",2,"text","name-2","integer",14]]'
	db_post "$RQ/db/execute" '[["INSERT INTO \"default$hits\" (name, n) VALUES (?, ?)", "probe", 0]]' '"rows_affected":1'
	sleep 2
	DB_RSS="host $(rss_mb "$DBGW_PID") MB, database plugin (rqlite driver) $(rss_mb "$DBPLUGIN_PID") MB, rqlited $(rss_mb "$RQ_PID") MB"
	echo "+ awk '/^VmRSS:/' /proc/{$DBGW_PID,$DBPLUGIN_PID,$RQ_PID}/status" >&2
	echo "RSS after seeding: $DB_RSS"

	local gw=("host:$DBGW_PID" "plugin:$DBPLUGIN_PID" "rqlited:$RQ_PID") c0 c1
	c0=$(db_rq_http)
	wrk_measure db-gw-query "$DBGW/v1/rqlite/query" bench/wrk/db_query.lua "$DB_THREADS" "$DB_CONNS" "$DB_DURATION" "BENCH_DB_TARGET=gateway $dbenv" "${gw[@]}"
	c1=$(db_rq_http)
	db_rq_merged db-gw-query "$c0" "$c1"
	wrk_measure db-rq-query "$RQ/db/query?level=weak" bench/wrk/db_query.lua "$DB_THREADS" "$DB_CONNS" "$DB_DURATION" "BENCH_DB_TARGET=rqlite $dbenv" "rqlited:$RQ_PID"
	wrk_measure db-rqt-query "$RQ/db/query?level=weak&blob_array&timeout=10s" bench/wrk/db_query.lua "$DB_THREADS" "$DB_CONNS" "$DB_DURATION" "BENCH_DB_TARGET=rqlite-typed $dbenv" "rqlited:$RQ_PID"
	wrk_measure db-rqt3-query "$RQ/db/query?level=weak&blob_array&transaction" bench/wrk/db_query.lua "$DB_THREADS" "$DB_CONNS" "$DB_DURATION" "BENCH_DB_TARGET=rqlite-typed3 $dbenv" "rqlited:$RQ_PID"
	c0=$(db_rq_http)
	wrk_measure db-gw-exec "$DBGW/v1/rqlite/exec" bench/wrk/db_exec.lua "$DB_THREADS" "$DB_CONNS" "$DB_DURATION" "BENCH_DB_TARGET=gateway" "${gw[@]}"
	c1=$(db_rq_http)
	db_rq_merged db-gw-exec "$c0" "$c1"
	wrk_measure db-rq-exec "$RQ/db/execute" bench/wrk/db_exec.lua "$DB_THREADS" "$DB_CONNS" "$DB_DURATION" "BENCH_DB_TARGET=rqlite" "rqlited:$RQ_PID"

	# Every insert that was answered must be there (the ones in flight when
	# wrk stopped may be there too).
	say "database: inserts answered vs rows stored (rqlite, level=strong)"
	local t stored answered
	DB_ROWS_CHECK=""
	for t in gateway rqlite; do
		local id=db-gw-exec
		[ "$t" = rqlite ] && id=db-rq-exec
		stored=$(db_rqlite_count "SELECT COUNT(*) FROM \\\"default\$hits\\\" WHERE name = '$t'")
		answered=$((${R[$id.warm]} + ${R[$id.reqs]} - ${R[$id.warmnon2xx]} - ${R[$id.non2xx]}))
		DB_ROWS_CHECK+="${DB_ROWS_CHECK:+; }$t: $stored rows stored, $answered inserts answered 2xx (warm-up + measured)"
		[ -n "$stored" ] && [ "$stored" -ge "$answered" ] || DB_ROWS_CHECK+=" — FEWER ROWS THAN ANSWERS"
	done
	echo "$DB_ROWS_CHECK"

	# The floor of two processes in front of rqlited (bench/relay.sh), as
	# many as the gateway has: host and plugin.
	local relay_mode
	for relay_mode in tcp http; do
		relay_chain "$relay_mode" 2 "${RQ#http://}"
		# shellcheck disable=SC2086 # RELAY_PIDS is a list of LABEL:PID
		wrk_measure "db-rq-query-$relay_mode" "$RELAY/db/query?level=weak" bench/wrk/db_query.lua "$DB_THREADS" "$DB_CONNS" "$DB_DURATION" "BENCH_DB_TARGET=rqlite $dbenv" "rqlited:$RQ_PID" $RELAY_PIDS
		# shellcheck disable=SC2086
		wrk_measure "db-rq-exec-$relay_mode" "$RELAY/db/execute" bench/wrk/db_exec.lua "$DB_THREADS" "$DB_CONNS" "$DB_DURATION" "BENCH_DB_TARGET=rqlite" "rqlited:$RQ_PID" $RELAY_PIDS
		relay_stop
	done
	db_stop_gateway

	# The same gateway with one namespace allowed DB_TUNED_CONCURRENT
	# statements at once (the rqlite default is 8: one tenant cannot make
	# rqlited compute more at once) and DB_TUNED_IN_FLIGHT merged requests
	# per kind: what the single namespace of this benchmark gains when the
	# fairness cap is lifted.
	say "database: the gateway again, max_concurrent_statements = $DB_TUNED_CONCURRENT, in_flight = $DB_TUNED_IN_FLIGHT"
	db_gateway gw-rqlite-tuned "    driver = \"rqlite\"
    hosts  = [\"$RQ\"]
    max_concurrent_statements = $DB_TUNED_CONCURRENT
    in_flight = $DB_TUNED_IN_FLIGHT"
	db_post "$DBGW/v1/rqlite/query" '{"sql":"SELECT id, name, n FROM bench WHERE id = ?","args":[2]}' '{"items":[{"id":2,"name":"name-2","n":14}],"count":1}'
	gw=("host:$DBGW_PID" "plugin:$DBPLUGIN_PID" "rqlited:$RQ_PID")
	c0=$(db_rq_http)
	wrk_measure db-gwt-query "$DBGW/v1/rqlite/query" bench/wrk/db_query.lua "$DB_THREADS" "$DB_CONNS" "$DB_DURATION" "BENCH_DB_TARGET=gateway $dbenv" "${gw[@]}"
	c1=$(db_rq_http)
	db_rq_merged db-gwt-query "$c0" "$c1"
	c0=$(db_rq_http)
	wrk_measure db-gwt-exec "$DBGW/v1/rqlite/exec" bench/wrk/db_exec.lua "$DB_THREADS" "$DB_CONNS" "$DB_DURATION" "BENCH_DB_TARGET=gateway" "${gw[@]}"
	c1=$(db_rq_http)
	db_rq_merged db-gwt-exec "$c0" "$c1"
	db_stop_gateway
	stop "$RQ_PID"

	say "database: the gateway with the embedded SQLite driver"
	db_gateway gw-sqlite '    driver = "sqlite"'
	db_seed "$DBGW"
	local gs=("host:$DBGW_PID" "plugin:$DBPLUGIN_PID")
	wrk_measure db-sq-query "$DBGW/v1/rqlite/query" bench/wrk/db_query.lua "$DB_THREADS" "$DB_CONNS" "$DB_DURATION" "BENCH_DB_TARGET=gateway $dbenv" "${gs[@]}"
	wrk_measure db-sq-exec "$DBGW/v1/rqlite/exec" bench/wrk/db_exec.lua "$DB_THREADS" "$DB_CONNS" "$DB_DURATION" "BENCH_DB_TARGET=gateway" "${gs[@]}"
	db_stop_gateway
}

database_summary() {
	local id name
	dbrow() { printf '%-44s %10s %8s %8s %7s  %-50s %5s  %s\n' "$@"; }
	echo "database: wrk -t$DB_THREADS -c$DB_CONNS -d$DB_DURATION --latency -s bench/wrk/db_{query,exec}.lua, after a $WARMUP warm-up;"
	echo "point query = SELECT id, name, n FROM bench WHERE id = ? (random of $DB_ROWS); insert = INSERT INTO hits (name, n) VALUES (?, ?)"
	dbrow "" "req/s" "p50 µs" "p99 µs" "non-2xx" "server CPU µs/req" "busy" "socket errors"
	for id in db-gw-query db-gwt-query db-rq-query db-rqt-query db-rqt3-query db-rq-query-tcp db-rq-query-http db-gw-exec db-gwt-exec db-rq-exec db-rq-exec-tcp db-rq-exec-http db-sq-query db-sq-exec; do
		case $id in
		db-gwt-query) name="point query: gateway, max_conc $DB_TUNED_CONCURRENT, in_flight $DB_TUNED_IN_FLIGHT" ;;
		db-gwt-exec) name="insert: gateway, max_conc $DB_TUNED_CONCURRENT, in_flight $DB_TUNED_IN_FLIGHT" ;;
		db-rq-query-tcp) name="point query: rqlite via 2 relays, tcp" ;;
		db-rq-query-http) name="point query: rqlite via 2 relays, http" ;;
		db-rq-exec-tcp) name="insert: rqlite via 2 relays, tcp" ;;
		db-rq-exec-http) name="insert: rqlite via 2 relays, http" ;;
		db-gw-query) name="point query: gateway (rqlite driver)" ;;
		db-rq-query) name="point query: rqlite /db/query" ;;
		db-rqt-query) name="point query: rqlite, as the plugin sends it" ;;
		db-rqt3-query) name="point query: rqlite, 3 statements (942c567)" ;;
		db-gw-exec) name="insert: gateway (rqlite driver)" ;;
		db-rq-exec) name="insert: rqlite /db/execute" ;;
		db-sq-query) name="point query: gateway (sqlite driver)" ;;
		db-sq-exec) name="insert: gateway (sqlite driver)" ;;
		esac
		dbrow "$name" "${R[$id.rps]}" "${R[$id.p50]}" "${R[$id.p99]}" "${R[$id.non2xx]}" "${R[$id.cpu]}" "${R[$id.busy]}%" "${R[$id.sockerr]}"
	done
	echo "busy: all CPUs during the measured run (wrk, the servers and any other process on the machine)"
	echo "throughput ratio gateway/rqlite direct: point query $(awk -v g="${R[db-gw-query.rps]}" -v b="${R[db-rq-query.rps]}" 'BEGIN{printf "%.2f", g/b}'), insert $(awk -v g="${R[db-gw-exec.rps]}" -v b="${R[db-rq-exec.rps]}" 'BEGIN{printf "%.2f", g/b}')   (target >= 0.9)"
	ratio() { awk -v g="${R[$1.rps]}" -v b="${R[$2.rps]}" 'BEGIN{printf "%.2f", g/b}'; }
	echo "with max_concurrent_statements = $DB_TUNED_CONCURRENT, in_flight = $DB_TUNED_IN_FLIGHT: point query $(ratio db-gwt-query db-rq-query), insert $(ratio db-gwt-exec db-rq-exec)" \
		"(merged: point query ${R[db-gwt-query.merged]:-?}; insert ${R[db-gwt-exec.merged]:-?})"
	echo "floor of two processes in front of rqlited (bench/relay.sh), ratio to direct: tcp relays point query $(ratio db-rq-query-tcp db-rq-query)," \
		"insert $(ratio db-rq-exec-tcp db-rq-exec); http reverse proxies point query $(ratio db-rq-query-http db-rq-query), insert $(ratio db-rq-exec-http db-rq-exec)"
	echo "the gateway (defaults) against the two tcp relays: point query $(ratio db-gw-query db-rq-query-tcp), insert $(ratio db-gw-exec db-rq-exec-tcp);" \
		"against the two http reverse proxies: point query $(ratio db-gw-query db-rq-query-http), insert $(ratio db-gw-exec db-rq-exec-http)"
	echo "$DB_ROWS_CHECK"
	echo "rqlite requests during the gateway runs (the driver merges concurrent single-statement calls; config in_flight): point query ${R[db-gw-query.merged]:-?}; insert ${R[db-gw-exec.merged]:-?}"
	echo "RSS after seeding: $DB_RSS"
	echo
}
