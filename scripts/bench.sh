#!/usr/bin/env bash
# scripts/bench.sh — what the plugin boundary costs. `make bench` runs it
# after `make build`. Each part runs side by side, on free loopback ports:
#
# cache: the gateway (bin/orama + bin/orama-plugin-cache, embedded Olric)
# and cachebaseline (bench/cmd/cachebaseline: the same put/get HTTP API
# served by net/http straight from an in-process Olric member): idle RSS,
# wrk throughput and latency of POST /v1/cache/get (loaded: -t2 -c64;
# unloaded: -t1 -c1) with the server processes' CPU time per request (the
# gateway twice: as configured, then with ORAMA_PLUGIN_MUX=off), and
# kill -9 of the plugin → serving again, and kill -STOP (a hung plugin the
# host must SIGKILL itself) → serving again (bench/cmd/restarttime).
#
# database (bench/database.sh): one rqlited, and the gateway with the
# database plugin (rqlite driver) in front of it: a point query and a
# single-row insert through the gateway (/v1/rqlite/query, /v1/rqlite/exec)
# against the same statements straight to rqlite's HTTP API (/db/query,
# /db/execute), wrk -t2 -c32, then the same two through a gateway whose
# plugin uses the embedded SQLite driver.
#
# auth (bench/auth.sh): what authentication costs on POST /v1/cache/get:
# three gateways of one config (cache, database on SQLite, auth): auth
# disabled; required, with a JWT and with an API key answered by the host's
# key cache; required with key_cache_ttl 1ns, so every request asks the
# auth plugin. wrk -t2 -c64, the four runs taking turns for 3 rounds. The
# key comes from `orama keys create`, the JWT from POST /v1/auth/token.
#
# storage (bench/storage.sh): an offline kubo, a gateway whose storage
# plugin uses the kubo driver on it and one with the embedded driver:
# upload and download MB/s of 1 MiB, 100 MiB and 1 GiB files through each
# (curl; /api/v0/add and /api/v0/cat for kubo), CPU per MiB, peak RSS;
# the plugin's in-process BenchmarkEmbedded*; the 2 GiB e2e stream test.
#
# The floor (bench/relay.sh): the cache part's random-key run, the
# database part and the storage part also measure the backend through
# bench/cmd/relay — processes that only copy bytes (tcp) or only forward
# HTTP (http), as many as the gateway puts in front of that backend — so
# each ratio the gateway reaches can be read against what any extra
# process costs on this machine.
#
# pubsub (bench/pubsub.sh): 1,000 WebSocket subscribers of one topic on a
# gateway (pubsub plugin, local driver) and on bench/cmd/pubsubhub (the same
# library, routes and frames in one process, no plugin), publishers at
# increasing rates (bench/cmd/pubsubload): deliveries/s, publish→receive
# p50/p99, lost messages, CPU of host, plugin and load generator; 10,000
# idle subscribers (host RSS per connection); two gateways with the libp2p
# driver peered on 127.0.0.1 (delivery latency across nodes); the plugin's
# Go benchmarks.
#
# functions (bench/functions.sh): one gateway (cache, database on SQLite,
# storage embedded, serverless; auth disabled), a WAT echo module and the Go
# wasip1 greeting deployed: warm POST /v1/functions/NAME/invoke against a
# plain POST /v1/cache/get of the same gateway (wrk -c1: the p50 an invoke
# adds; -c64: invokes/s), taking turns for 3 rounds, with CPU per request;
# the same modules run by wazero in-process (the engine's Go benchmarks: the
# floor); the first invoke after a deploy and after kill -9 of the plugin
# (wazero's disk cache); the plugin's VmRSS per cached module.
#
# handoff: the cache hand-off of an upgrade (bench/cmd/handoffbench): a
# gateway filled with BENCH_HANDOFF_SIZES small entries (ttl 1h), its cache
# plugin pointed at a copy of its binary, SIGHUP: hand-off time and peak RSS
# (VmHWM) of the old and the new plugin process; then BENCH_HANDOFF_PAD_N
# entries padded by BENCH_HANDOFF_PAD bytes (time per GiB of values).
#
# go: the Go benchmarks of ./bench/... (plus the plugins' and the server's
# own benchmarks when they exist).
#
# Every command it runs is printed with "+ ". Results: BENCHMARKS.md.
#
# Knobs (environment): BENCH_PARTS ("cache database auth storage pubsub functions handoff go": the parts to run),
# BENCH_HANDOFF_SIZES (10000,100000,1000000), BENCH_HANDOFF_PAD_N (20000),
# BENCH_HANDOFF_PAD (10240),
# BENCH_THREADS (2), BENCH_CONNECTIONS (64), BENCH_DURATION (10s),
# BENCH_C1_DURATION (5s), BENCH_WARMUP (2s), BENCH_BENCHTIME (2s),
# BENCH_RESTARTS (5), BENCH_DB_THREADS (2), BENCH_DB_CONNECTIONS (32),
# BENCH_DB_DURATION (10s), BENCH_DB_ROWS (1000), BENCH_DB_TUNED_CONCURRENT (32),
# BENCH_DB_TUNED_IN_FLIGHT (1: the second rqlite gateway's), BENCH_AUTH_THREADS (2),
# BENCH_AUTH_CONNECTIONS (64), BENCH_AUTH_DURATION (10s), BENCH_STORAGE_SIZES ("1 100 1024" MiB),
# BENCH_STORAGE_REPS ("10 3 1": runs per size), BENCH_STORAGE_STREAM_BYTES
# (2147483648), PUBSUB_SUBS (1000), PUBSUB_RATES
# ("50,100,200,300,400,600,800,1200,1600" msg/s), PUBSUB_STEP (5s),
# PUBSUB_PUBLISHERS (16), PUBSUB_FLUSH_INTERVAL (20ms: the first gateway's; a second runs with 0s), PUBSUB_SIZE (64 bytes), PUBSUB_IDLE_SUBS (10000),
# PUBSUB_TWO_NODE_SUBS (100), PUBSUB_TWO_NODE_RATE (200),
# PUBSUB_TWO_NODE_MSGS (2000), FUNCTIONS_ROUNDS (3), FUNCTIONS_GO_CONNECTIONS
# (nproc: greet's second loaded run), FUNCTIONS_FIRST_COPIES (3),
# FUNCTIONS_RSS_MODULES (50: echo copies), FUNCTIONS_RSS_GO_MODULES (5:
# greeting copies), GO (go),
# ORAMA_BIN_DIR (bin/: orama, orama-plugin-cache and, when there,
# orama-plugin-database, orama-plugin-storage, orama-plugin-auth,
# orama-plugin-pubsub and orama-plugin-serverless; otherwise those are built
# from ./plugins/…).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
GO=${GO:-go}
PARTS=${BENCH_PARTS:-cache database auth storage pubsub functions handoff go}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-64}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-2s}
C1_DURATION=${BENCH_C1_DURATION:-5s}
BENCHTIME=${BENCH_BENCHTIME:-2s}
RESTARTS=${BENCH_RESTARTS:-5}
DB_THREADS=${BENCH_DB_THREADS:-2}
DB_CONNS=${BENCH_DB_CONNECTIONS:-32}
DB_DURATION=${BENCH_DB_DURATION:-10s}
DB_ROWS=${BENCH_DB_ROWS:-1000}
DB_TUNED_CONCURRENT=${BENCH_DB_TUNED_CONCURRENT:-32}
DB_TUNED_IN_FLIGHT=${BENCH_DB_TUNED_IN_FLIGHT:-1}
STORAGE_SIZES=${BENCH_STORAGE_SIZES:-1 100 1024}
STORAGE_REPS=${BENCH_STORAGE_REPS:-10 3 1}
STORAGE_STREAM_BYTES=${BENCH_STORAGE_STREAM_BYTES:-2147483648}
AUTH_THREADS=${BENCH_AUTH_THREADS:-2}
AUTH_CONNS=${BENCH_AUTH_CONNECTIONS:-64}
AUTH_DURATION=${BENCH_AUTH_DURATION:-10s}
AUTH_ROUNDS=${BENCH_AUTH_ROUNDS:-3}
BIN=${ORAMA_BIN_DIR:-$ROOT/bin}
TOOLS=$ROOT/.tools/bin
DMAP=bench
KEY=hot
VALUE='{"user":"alice","n":42,"tags":["a","b"]}'

say() { printf '\n== %s\n' "$*"; }
run() { { printf '+'; printf ' %q' "$@"; echo; } >&2; "$@"; }
die() { printf 'bench.sh: %s\n' "$*" >&2; exit 1; }
# part NAME: whether BENCH_PARTS includes NAME.
part() { [[ " $PARTS " == *" $1 "* ]]; }

# --- processes we start, stopped on any exit -------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/orama-bench.XXXXXX")
PIDS=()
cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	PIDS=()
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# stop PID: SIGTERM, wait up to 10 s, SIGKILL; drops it from PIDS.
stop() {
	local pid=$1 keep=() p
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	for p in "${PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
	PIDS=("${keep[@]}")
}

# --- prerequisites -----------------------------------------------------------
if ! command -v wrk >/dev/null; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		say "installing wrk (apt-get)"
		run apt-get update -qq && run apt-get install -y -qq wrk >/dev/null
	fi
	command -v wrk >/dev/null || die "wrk is not installed: apt-get install wrk (Debian/Ubuntu) or build it from https://github.com/wg/wrk"
fi
command -v curl >/dev/null || die "curl is not installed"
for b in orama $( (part cache || part handoff) && echo orama-plugin-cache); do
	[ -x "$BIN/$b" ] || die "$BIN/$b is missing: run make build (make bench does)"
done
if part database; then
	[ -x "$TOOLS/rqlited" ] || die "$TOOLS/rqlited is missing: run make tools-rqlited"
fi
if part storage; then
	[ -x "$TOOLS/ipfs" ] || die "$TOOLS/ipfs is missing: run make tools-kubo"
fi
if part functions; then
	command -v wat2wasm >/dev/null || die "wat2wasm is missing: run make tools-wabt"
fi

say "machine"
echo "date:   $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "nproc:  $(nproc)"
echo "cpu:    $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)"
echo "go:     $($GO version)"
echo "wrk:    $(wrk -v 2>&1 | head -1)"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (dirty)')"
# Other work on the machine skews every number below: show how busy it was.
busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
read -r b0 t0 < <(busy); sleep 2; read -r b1 t1 < <(busy)
echo "busy:   $(awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) 'BEGIN{printf "%.0f%%", 100 * b / t}') of all CPUs during 2s before the run (other processes)"

# free_port, wait_http
# shellcheck source=../bench/net.sh
. "$ROOT/bench/net.sh"

# plugin_pid [GATEWAY]: the (only) plugin's pid from the gateway's /v1/health.
plugin_pid() { curl -s "${1:-$GW}/v1/health" | grep -o '"pid":[0-9]*' | head -1 | cut -d: -f2; }

# wait_listening URL: until anything answers HTTP there (60 s).
wait_listening() {
	for _ in $(seq 600); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" != 000 ] && return 0
		sleep 0.1
	done
	die "nothing answers on $1 after 60s"
}

# rss_mb PID: VmRSS in MB (1 decimal).
rss_mb() { awk '/^VmRSS:/{printf "%.1f", $2/1024}' "/proc/$1/status"; }

# --- wrk -----------------------------------------------------------------------
# to_us VALUE: wrk's latency ("635.00us", "1.02ms", "1.10s") in µs.
to_us() {
	awk -v v="$1" 'BEGIN{
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") f = 1; else if (u == "ms") f = 1000; else if (u == "s") f = 1000000; else f = 0
		if (f == 0) { print "NaN"; exit }
		printf "%.0f", n * f }'
}

# cpu_ticks PID: user+system CPU time of PID in clock ticks; nothing when
# PID is gone (a plugin the host restarted during the run).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || true; }

# wrk_measure ID URL SCRIPT THREADS CONNS DURATION ENV LABEL:PID...: a
# warm-up run, then the measured run with --latency; ENV ("" or
# "NAME=VALUE ...") is passed to wrk's Lua script. Results go to R[ID.*]:
# rps, p50 and p99 (µs), non2xx, sockerr, reqs, warm and warmnon2xx
# (requests and non-2xx answers of the measured and the warm-up run), and
# cpu: the CPU time of each LABEL:PID process per request (µs) during the
# measured run ("?" for a process gone meanwhile), and busy: how busy all
# CPUs were meanwhile (%, whoever used them).
declare -A R
wrk_measure() {
	local id=$1 url=$2 script=$3 t=$4 c=$5 d=$6 envv=$7 out warm reqs lp cpu="" b0 t0 b1 t1
	shift 7
	local -A before=()
	local -a envs=() cmd=(wrk)
	read -ra envs <<<"$envv"
	[ ${#envs[@]} -eq 0 ] || cmd=(env "${envs[@]}" wrk)
	say "wrk: $id"
	warm=$(run "${cmd[@]}" -t"$t" -c"$c" -d"$WARMUP" -s "$script" "$url")
	for lp in "$@"; do before[$lp]=$(cpu_ticks "${lp#*:}"); done
	read -r b0 t0 < <(busy)
	out=$(run "${cmd[@]}" -t"$t" -c"$c" -d"$d" --latency -s "$script" "$url")
	read -r b1 t1 < <(busy)
	R[$id.busy]=$(awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) 'BEGIN{printf "%.0f", 100 * b / t}')
	echo "$out"
	reqs=$(awk '/ requests in /{print $1}' <<<"$out")
	for lp in "$@"; do
		cpu+="${cpu:+ + }${lp%%:*} $(awk -v a="${before[$lp]}" -v b="$(cpu_ticks "${lp#*:}")" -v hz="$(getconf CLK_TCK)" -v n="$reqs" \
			'BEGIN{if (a == "" || b == "") print "?"; else printf "%.0f", (b - a) / hz / n * 1e6}')"
	done
	R[$id.reqs]=$reqs
	R[$id.warm]=$(awk '/ requests in /{print $1}' <<<"$warm")
	R[$id.warmnon2xx]=$(awk '/Non-2xx or 3xx responses:/{n=$NF} END{print n+0}' <<<"$warm")
	R[$id.rps]=$(awk '/^Requests\/sec:/{print $2}' <<<"$out")
	R[$id.p50]=$(to_us "$(awk '$1=="50%"{print $2}' <<<"$out")")
	R[$id.p99]=$(to_us "$(awk '$1=="99%"{print $2}' <<<"$out")")
	R[$id.non2xx]=$(awk '/Non-2xx or 3xx responses:/{n=$NF} END{print n+0}' <<<"$out")
	R[$id.sockerr]=$(awk -F'errors: ' '/Socket errors:/{s=$2} END{print (s=="" ? "none" : s)}' <<<"$out")
	R[$id.cpu]=$cpu
	echo "CPU per request: $cpu µs; all CPUs ${R[$id.busy]}% busy during the run (wrk, servers and anything else)"
}

# wrk_run ID BASE THREADS CONNS DURATION LABEL:PID...: wrk_measure of
# POST BASE/v1/cache/get with scripts/wrk/cache_get.lua.
wrk_run() {
	local id=$1 base=$2 t=$3 c=$4 d=$5
	shift 5
	wrk_measure "$id" "$base/v1/cache/get" scripts/wrk/cache_get.lua "$t" "$c" "$d" "" "$@"
}

# put BASE: stores the probe entry and checks that get returns it.
put() {
	local out
	run curl -sS -f -X POST -H 'Content-Type: application/json' \
		-d "{\"dmap\":\"$DMAP\",\"key\":\"$KEY\",\"value\":$VALUE}" "$1/v1/cache/put"
	echo
	out=$(curl -sS -f -X POST -H 'Content-Type: application/json' -d "{\"dmap\":\"$DMAP\",\"key\":\"$KEY\"}" "$1/v1/cache/get")
	echo "get: $out"
	[ "$out" = "{\"key\":\"$KEY\",\"value\":$VALUE,\"dmap\":\"$DMAP\"}" ] || die "unexpected get answer from $1"
}

# cache_unary_run: a second gateway of the same config with
# ORAMA_PLUGIN_MUX=off (every call to the plugin a plain unary gRPC call, as
# before the mux), measured like the first (R[gw-unary-c$CONNS], R[gw-unary-c1]).
cache_unary_run() {
	local port pid ppid gw
	say "the gateway again with ORAMA_PLUGIN_MUX=off (unary calls to the plugin)"
	port=$(free_port)
	gw=http://127.0.0.1:$port
	mkdir -p "$WORK/gateway-unary"
	sed -e "s#127.0.0.1:$GW_PORT#127.0.0.1:$port#" -e "s#$WORK/gateway/data#$WORK/gateway-unary/data#" \
		"$WORK/gateway/config.hcl" >"$WORK/gateway-unary/config.hcl"
	printf '+ %s\n' "ORAMA_PLUGIN_MUX=off $BIN/orama serve -config $WORK/gateway-unary/config.hcl >$WORK/gateway-unary.log 2>&1 &" >&2
	ORAMA_PLUGIN_MUX=off "$BIN/orama" serve -config "$WORK/gateway-unary/config.hcl" >"$WORK/gateway-unary.log" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	wait_http "$gw/v1/health" || { tail -50 "$WORK/gateway-unary.log"; exit 1; }
	ppid=$(plugin_pid "$gw")
	put "$gw"
	wrk_run gw-unary-c$CONNS "$gw" "$THREADS" "$CONNS" "$DURATION" "host:$pid" "plugin:$ppid"
	wrk_run gw-unary-c1 "$gw" 1 1 "$C1_DURATION" "host:$pid" "plugin:$ppid"
	stop "$pid"
	if [ -n "$ppid" ] && kill -0 "$ppid" 2>/dev/null; then kill -KILL "$ppid" 2>/dev/null || true; fi
}

# --- cache: gateway vs the in-process baseline ------------------------------
cache_bench() {
	say "build bench tools"
	mkdir -p "$TOOLS"
	run "$GO" build -o "$TOOLS/cachebaseline" ./bench/cmd/cachebaseline
	run "$GO" build -o "$TOOLS/restarttime" ./bench/cmd/restarttime

	# --- start both servers ---------------------------------------------------
	say "start the gateway and the baseline"
	GW_PORT=$(free_port)
	BASE_PORT=$(free_port)
	while [ "$BASE_PORT" = "$GW_PORT" ]; do BASE_PORT=$(free_port); done
	GW=http://127.0.0.1:$GW_PORT
	BASE=http://127.0.0.1:$BASE_PORT
	mkdir -p "$WORK/gateway"
	cat >"$WORK/gateway/config.hcl" <<-HCL
	server {
	  listen = "127.0.0.1:$GW_PORT"
	}
	node {
	  id       = "bench"
	  data_dir = "$WORK/gateway/data"
	}
	plugin "cache" {
	  path = "$BIN/orama-plugin-cache"
	  config {
	    mode = "embedded"
	  }
	}
	HCL
	echo "gateway config ($WORK/gateway/config.hcl):"
	sed 's/^/    /' "$WORK/gateway/config.hcl"
	printf '+ %s\n' "$BIN/orama serve -config $WORK/gateway/config.hcl >$WORK/gateway.log 2>&1 &" >&2
	"$BIN/orama" serve -config "$WORK/gateway/config.hcl" >"$WORK/gateway.log" 2>&1 &
	GW_PID=$!
	PIDS+=("$GW_PID")
	printf '+ %s\n' "$TOOLS/cachebaseline -listen 127.0.0.1:$BASE_PORT >$WORK/baseline.log 2>&1 &" >&2
	"$TOOLS/cachebaseline" -listen "127.0.0.1:$BASE_PORT" >"$WORK/baseline.log" 2>&1 &
	BASE_PID=$!
	PIDS+=("$BASE_PID")
	wait_http "$GW/v1/health" || { tail -50 "$WORK/gateway.log"; exit 1; }
	wait_listening "$BASE/"
	PLUGIN_PID=$(plugin_pid)
	[ -n "$PLUGIN_PID" ] && [ "$PLUGIN_PID" != 0 ] || die "no plugin pid in $GW/v1/health"
	echo "gateway $GW (host pid $GW_PID, plugin pid $PLUGIN_PID); baseline $BASE (pid $BASE_PID)"

	say "idle RSS (after startup, no load yet)"
	sleep 2
	HOST_RSS=$(rss_mb "$GW_PID")
	PLUGIN_RSS=$(rss_mb "$PLUGIN_PID")
	BASE_RSS=$(rss_mb "$BASE_PID")
	echo "+ awk '/^VmRSS:/' /proc/{$GW_PID,$PLUGIN_PID,$BASE_PID}/status" >&2
	IDLE_RSS_TABLE=$(printf '%-28s %10s\n' "process" "VmRSS MB"
		printf '%-28s %10s\n' "host (bin/orama)" "$HOST_RSS"
		printf '%-28s %10s\n' "cache plugin" "$PLUGIN_RSS"
		printf '%-28s %10s\n' "host + plugin" "$(awk -v a="$HOST_RSS" -v b="$PLUGIN_RSS" 'BEGIN{printf "%.1f", a+b}')"
		printf '%-28s %10s\n' "baseline (in-process Olric)" "$BASE_RSS")
	echo "$IDLE_RSS_TABLE"

	say "probe entry"
	put "$GW"
	put "$BASE"

	# --- wrk ------------------------------------------------------------------
	# Loaded: the throughput comparison. Unloaded (one connection): the latency
	# the plugin boundary adds, without queueing.
	wrk_run gw-c$CONNS "$GW" "$THREADS" "$CONNS" "$DURATION" "host:$GW_PID" "plugin:$PLUGIN_PID"
	wrk_run base-c$CONNS "$BASE" "$THREADS" "$CONNS" "$DURATION" "baseline:$BASE_PID"
	wrk_run gw-c1 "$GW" 1 1 "$C1_DURATION" "host:$GW_PID" "plugin:$PLUGIN_PID"
	wrk_run base-c1 "$BASE" 1 1 "$C1_DURATION" "baseline:$BASE_PID"
	cache_unary_run
	cache_near_bench # bench/cache_near.sh: the near cache, hot and random keys

	# --- kill -9 → serving ----------------------------------------------------
	say "kill -9 the cache plugin -> serving again"
	RESTART_OUT=$(run "$TOOLS/restarttime" -url "$GW" -n "$RESTARTS")
	echo "$RESTART_OUT"
	say "kill -STOP the cache plugin (never continued) -> serving again"
	sleep 11 # the plugin up 10 s: its next restart is immediate (no backoff)
	STOP_OUT=$(run "$TOOLS/restarttime" -url "$GW" -n "$RESTARTS" -signal STOP)
	echo "$STOP_OUT"

	say "stop the gateway and the baseline"
	PLUGIN_PID=$(plugin_pid || true)
	stop "$GW_PID"
	stop "$BASE_PID"
	# The host stops its plugin on SIGTERM; make sure nothing is left behind.
	if [ -n "$PLUGIN_PID" ] && kill -0 "$PLUGIN_PID" 2>/dev/null; then
		echo "plugin $PLUGIN_PID outlived the host; killing it" >&2
		kill -KILL "$PLUGIN_PID" 2>/dev/null || true
	fi
}

# relay_chain, relay_stop
# shellcheck source=../bench/relay.sh
. "$ROOT/bench/relay.sh"
# shellcheck source=../bench/cache_near.sh
. "$ROOT/bench/cache_near.sh"
# shellcheck source=../bench/database.sh
. "$ROOT/bench/database.sh"
# shellcheck source=../bench/storage.sh
. "$ROOT/bench/storage.sh"
# shellcheck source=../bench/auth.sh
. "$ROOT/bench/auth.sh"
# shellcheck source=../bench/pubsub.sh
. "$ROOT/bench/pubsub.sh"
# shellcheck source=../bench/functions.sh
. "$ROOT/bench/functions.sh"

FAILED=()
GOBENCH_OUT=""
part cache && cache_bench
part database && database_bench
part storage && storage_bench
part auth && auth_bench
part pubsub && pubsub_bench
part functions && functions_bench
if part handoff; then
	say "cache hand-off on upgrade"
	run "$GO" build -o "$TOOLS/handoffbench" ./bench/cmd/handoffbench
	run "$TOOLS/handoffbench" -bin "$BIN" -n "${BENCH_HANDOFF_SIZES:-10000,100000,1000000}" || FAILED+=(handoff)
	run "$TOOLS/handoffbench" -bin "$BIN" -n "${BENCH_HANDOFF_PAD_N:-20000}" -pad "${BENCH_HANDOFF_PAD:-10240}" || FAILED+=(handoff-pad)
fi

# --- Go benchmarks -----------------------------------------------------------
if part go; then
	say "Go benchmarks"
	# A failing benchmark package does not hide the rest: the summary is
	# printed, and the script exits 1 at the end.
	GOBENCH_OUT=$(run "$GO" test -run '^$' -bench . -benchtime "$BENCHTIME" ./bench/... 2>&1) || FAILED+=("./bench/...")
	echo "$GOBENCH_OUT"
	EXTRA=()
	for d in plugins/cache plugins/database plugins/serverless host/internal; do
		if grep -rqs --include='*_test.go' '^func Benchmark' "$d"; then EXTRA+=("./$d/..."); fi
	done
	if [ ${#EXTRA[@]} -gt 0 ]; then
		EXTRA_OUT=$(run "$GO" test -run '^$' -bench . "${EXTRA[@]}" 2>&1) || FAILED+=("${EXTRA[@]}")
		echo "$EXTRA_OUT"
		GOBENCH_OUT+=$'\n'"$EXTRA_OUT"
	else
		echo "(no benchmarks in ./plugins/cache/..., ./plugins/database/..., ./plugins/serverless/... or ./host/internal/... yet)"
	fi
fi

# --- summary -------------------------------------------------------------------
say "summary"
row() { printf '%-30s %-14s %10s %8s %8s %7s  %-24s %s\n' "$@"; }
if part cache; then
	echo "wrk --latency -s scripts/wrk/cache_get.lua URL/v1/cache/get (POST {\"dmap\":\"$DMAP\",\"key\":\"$KEY\"}), after a $WARMUP warm-up"
	row "" "wrk" "req/s" "p50 µs" "p99 µs" "non-2xx" "server CPU µs/req" "socket errors"
	for id in gw-c$CONNS gw-unary-c$CONNS base-c$CONNS gw-c1 gw-unary-c1 base-c1; do
		case $id in
		gw-unary-*) name="gateway, ORAMA_PLUGIN_MUX=off" ;;
		gw-*) name="gateway (host + plugin)" ;;
		*) name="baseline (in-process Olric)" ;;
		esac
		case $id in
		*-c1) args="-t1 -c1 -d$C1_DURATION" ;;
		*) args="-t$THREADS -c$CONNS -d$DURATION" ;;
		esac
		row "$name" "$args" "${R[$id.rps]}" "${R[$id.p50]}" "${R[$id.p99]}" "${R[$id.non2xx]}" "${R[$id.cpu]}" "${R[$id.sockerr]}"
	done
	RATIO=$(awk -v g="${R[gw-c$CONNS.rps]}" -v b="${R[base-c$CONNS.rps]}" 'BEGIN{printf "%.2f", g/b}')
	ADDED=$(awk -v g="${R[gw-c$CONNS.p50]}" -v b="${R[base-c$CONNS.p50]}" 'BEGIN{printf "%d", g-b}')
	ADDED1=$(awk -v g="${R[gw-c1.p50]}" -v b="${R[base-c1.p50]}" 'BEGIN{printf "%d", g-b}')
	echo "throughput ratio gateway/baseline (-c$CONNS): $RATIO   (target >= 0.75)"
	echo "added p50 latency: $ADDED µs at -c$CONNS, $ADDED1 µs at -c1   (target <= 100 µs)"
	echo "with ORAMA_PLUGIN_MUX=off (unary): ratio $(awk -v g="${R[gw-unary-c$CONNS.rps]}" -v b="${R[base-c$CONNS.rps]}" 'BEGIN{printf "%.2f", g/b}'), added p50 $(awk -v g="${R[gw-unary-c1.p50]}" -v b="${R[base-c1.p50]}" 'BEGIN{printf "%d", g-b}') µs at -c1"
	echo
	cache_near_summary
	grep -E '^kill -9' <<<"$RESTART_OUT" | sed 's/^/  /' || true
	echo "  (target: median <= 500 ms)"
	grep -E '^kill -STOP' <<<"$STOP_OUT" | sed 's/^/  /' || true
	echo "  (target: <= 2 s)"
	echo
	echo "idle RSS:"
	sed 's/^/  /' <<<"$IDLE_RSS_TABLE"
	echo
fi
part database && database_summary
part storage && storage_summary
part auth && auth_summary
part pubsub && pubsub_summary
part functions && functions_summary
if part go; then
	echo "Go benchmarks (ns/op):"
	grep -E '^Benchmark' <<<"$GOBENCH_OUT" | awk '{printf "  %-44s %12s ns/op %10s B/op %8s allocs/op\n", $1, $3, $5, $7}'
fi
if [ ${#FAILED[@]} -gt 0 ]; then
	echo
	die "go test -bench failed for: ${FAILED[*]} (output above)"
fi
