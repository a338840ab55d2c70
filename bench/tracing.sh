#!/usr/bin/env bash
# bench/tracing.sh — the overhead of tracing on the cache GET path
# (BENCHMARKS.md "Tracing overhead"). Needs bin/ built (make build) and wrk.
#
# One gateway per mode, each with the cache plugin (embedded Olric) and no
# auth, like the cache part of scripts/bench.sh; the modes differ only in
# the telemetry block:
#
#   off     no telemetry block (the default)
#   r1      telemetry { sampling_ratio = 1.0 }: every request traced (host
#           span, plugin server span, olric.get span), exported by OTLP/gRPC
#   r0.1    telemetry { sampling_ratio = 0.1 }
#
# The collector is bench/cmd/otlpsink on the same host (it counts spans).
# Modes run in the order off r1 r0.1 off, ROUNDS times, so the two "off"
# runs of a round show the noise. Each run: put the key, 2 s of warm-up,
# then wrk -t2 -c64 -d$DURATION and wrk -t1 -c1 -d$C1_DURATION with
# scripts/wrk/cache_get.lua.
#
# Knobs: BENCH_DURATION (10s), BENCH_C1_DURATION (5s), BENCH_ROUNDS (1),
# BENCH_MODES ("off r1 r0.1 off": the runs of a round), BENCH_BASE_BIN (a
# bin/ of another build, e.g. from before tracing existed: mode "base" runs
# its gateway, without a telemetry block).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/bin
GO=${GO:-go}
DURATION=${BENCH_DURATION:-10s}
C1_DURATION=${BENCH_C1_DURATION:-5s}
ROUNDS=${BENCH_ROUNDS:-1}
MODES=${BENCH_MODES:-off r1 r0.1 off}
BASE_BIN=${BENCH_BASE_BIN:-}
WORK=$(mktemp -d /tmp/orama-bench-tracing-XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap cleanup EXIT
die() { echo "tracing.sh: $*" >&2; exit 1; }
command -v wrk >/dev/null || die "wrk not found (apt-get install wrk)"
[ -x "$BIN/orama" ] && [ -x "$BIN/orama-plugin-cache" ] || die "run make build first"

# free_port, wait_http
# shellcheck source=net.sh
. "$ROOT/bench/net.sh"

(cd "$ROOT" && "$GO" build -o "$WORK/otlpsink" ./bench/cmd/otlpsink)
OTLP=127.0.0.1:$(free_port)
SINK_HTTP=127.0.0.1:$(free_port)
"$WORK/otlpsink" -listen "$OTLP" -http "$SINK_HTTP" >"$WORK/otlpsink.log" 2>&1 &
PIDS+=($!)
wait_http "http://$SINK_HTTP/spans"

# run MODE: one gateway in MODE, its two wrk runs; prints one result line
# per wrk run: mode conns req/s p50 p99.
run() {
	local mode=$1 port dir tel="" pid before after bin=$BIN
	port=$(free_port)
	dir=$WORK/$mode-$RANDOM
	mkdir -p "$dir"
	case $mode in
	r*) tel="telemetry {
  otlp_endpoint  = \"$OTLP\"
  sampling_ratio = ${mode#r}
}" ;;
	base) bin=$BASE_BIN ;;
	esac
	cat >"$dir/config.hcl" <<-HCL
	server {
	  listen = "127.0.0.1:$port"
	}
	node {
	  id       = "bench-tracing"
	  data_dir = "$dir/data"
	}
	plugin "cache" {
	  path = "$bin/orama-plugin-cache"
	  config {
	    mode = "embedded"
	  }
	}
	$tel
	HCL
	"$bin/orama" serve -config "$dir/config.hcl" >"$dir/orama.log" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	local url=http://127.0.0.1:$port
	wait_http "$url/v1/health"
	curl -sS -f -o /dev/null -X POST -H 'Content-Type: application/json' \
		-d '{"dmap":"bench","key":"hot","value":"v"}' "$url/v1/cache/put"
	before=$(curl -s "http://$SINK_HTTP/spans")
	wrk -t2 -c64 -d2s -s "$ROOT/scripts/wrk/cache_get.lua" "$url/v1/cache/get" >/dev/null
	for tc in "2 64 $DURATION" "1 1 $C1_DURATION"; do
		set -- $tc
		wrk -t"$1" -c"$2" -d"$3" --latency -s "$ROOT/scripts/wrk/cache_get.lua" "$url/v1/cache/get" >"$dir/wrk-c$2.txt"
		grep -q "Non-2xx" "$dir/wrk-c$2.txt" && die "$mode: non-2xx answers (see $dir/wrk-c$2.txt)"
		awk -v m="$mode" -v c="$2" '
			/Requests\/sec/ {rps = $2}
			$1 == "50%" {p50 = $2}
			$1 == "99%" {p99 = $2}
			END {printf "%-5s -c%-3s %10s req/s  p50 %8s  p99 %8s\n", m, c, rps, p50, p99}' "$dir/wrk-c$2.txt"
	done
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	after=$(curl -s "http://$SINK_HTTP/spans")
	echo "      spans exported during the run: $((after - before))"
}

echo "tracing overhead, cache GET; collector $OTLP; $(date -u +%FT%TZ); $(git -C "$ROOT" rev-parse --short HEAD)"
for _ in $(seq "$ROUNDS"); do
	for mode in $MODES; do run "$mode"; done
done | tee "$WORK/results.txt"

# Medians over the runs of each mode (the machine is shared: single runs
# swing by tens of percent).
echo "median of $ROUNDS round(s) of: $MODES"
awk 'function us(v) {
		if (v ~ /ms$/) return substr(v, 1, length(v) - 2) * 1000
		if (v ~ /us$/) return substr(v, 1, length(v) - 2) + 0
		return substr(v, 1, length(v) - 1) * 1000000
	}
	function med(a, k, c,   i, j, t, v) {
		for (i = 1; i <= c; i++) v[i] = a[k, i]
		for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) {t = v[i]; v[i] = v[j]; v[j] = t}
		return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
	}
	$2 ~ /^-c/ {key = $1 " " $2; c = ++n[key]; rps[key, c] = $3 + 0; p50[key, c] = us($6); p99[key, c] = us($8)}
	END {for (k in n) printf "%-10s %8.0f req/s  p50 %7.0f us  p99 %7.0f us  (%d runs)\n", k, med(rps, k, n[k]), med(p50, k, n[k]), med(p99, k, n[k]), n[k]}' "$WORK/results.txt" | sort
