# bench/cache_near.sh — the near-cache runs of scripts/bench.sh's cache
# part, which sources it and calls cache_near_bench inside cache_bench
# (after the gateway and baseline runs: GW, GW_PID, PLUGIN_PID, BASE,
# BASE_PID are set) and cache_near_summary in the summary. It uses say,
# run, die, free_port, wait_http, plugin_pid, put, wrk_run, wrk_measure,
# relay_chain, relay_stop, BASE_PORT, R,
# PIDS, WORK, BIN, GO, TOOLS, THREADS, CONNS, DURATION, C1_DURATION, DMAP.
#
# A second gateway, identical but for server { cache { near_cache = true,
# near_cache_bytes = $NEAR_BYTES } }, runs beside the first (near cache off:
# every get crosses to the plugin), so both paths are measured in the same
# run:
#
#   near hot      the hot key of cache_get.lua: served from the host's
#                 memory (-c$CONNS and -c1)
#   random        cache_get_random.lua: keys drawn uniformly from
#                 $NEAR_KEYS keys put first (bench/cmd/cacheputkeys) into each
#                 server; the near cache holds far fewer ($NEAR_BYTES bytes,
#                 about 200 bytes an entry), so most gets miss it. Run on
#                 the gateway without, the gateway with the near cache and
#                 the baseline, then the baseline through one tcp relay
#                 and through one http relay (bench/relay.sh: the floor of
#                 one process in front of it, as the host is in front of
#                 the plugin's Olric).
#
# The near cache's hit ratio comes from its /metrics.
#
# Knobs: BENCH_NEAR_KEYS (200000), BENCH_NEAR_BYTES (8388608: 8 MiB).
NEAR_KEYS=${BENCH_NEAR_KEYS:-200000}
NEAR_BYTES=${BENCH_NEAR_BYTES:-8388608}

# near_metric URL SERIES: one series of URL/metrics (0 when absent).
near_metric() {
	curl -s "$1/metrics" | awk -v s="$2" '$1 == s {v = $2} END {print v + 0}'
}

# put_keys URL: puts the NEAR_KEYS random-run keys (bench/cmd/cacheputkeys
# checks the last one).
put_keys() {
	run "$TOOLS/cacheputkeys" -url "$1" -n "$NEAR_KEYS" -dmap "$DMAP" -c "$CONNS" || die "putting the random keys into $1 failed"
}

cache_near_bench() {
	run "$GO" build -o "$TOOLS/cacheputkeys" ./bench/cmd/cacheputkeys
	say "start the gateway with the near cache"
	NEAR_PORT=$(free_port)
	NEAR=http://127.0.0.1:$NEAR_PORT
	mkdir -p "$WORK/near"
	cat >"$WORK/near/config.hcl" <<-HCL
	server {
	  listen = "127.0.0.1:$NEAR_PORT"
	  cache {
	    near_cache       = true
	    near_cache_bytes = $NEAR_BYTES
	  }
	}
	node {
	  id       = "bench-near"
	  data_dir = "$WORK/near/data"
	}
	plugin "cache" {
	  path = "$BIN/orama-plugin-cache"
	  config {
	    mode = "embedded"
	  }
	}
	HCL
	sed 's/^/    /' "$WORK/near/config.hcl"
	"$BIN/orama" serve -config "$WORK/near/config.hcl" >"$WORK/near.log" 2>&1 &
	NEAR_PID=$!
	PIDS+=("$NEAR_PID")
	wait_http "$NEAR/v1/health" || { tail -50 "$WORK/near.log"; exit 1; }
	NEAR_PLUGIN_PID=$(plugin_pid "$NEAR")
	for _ in $(seq 100); do
		[ "$(near_metric "$NEAR" orama_cache_near_streaming)" = 1 ] && break
		sleep 0.1
	done
	[ "$(near_metric "$NEAR" orama_cache_near_streaming)" = 1 ] || die "the near cache of $NEAR does not stream"
	echo "near gateway $NEAR (host pid $NEAR_PID, plugin pid $NEAR_PLUGIN_PID)"
	put "$NEAR"

	wrk_run near-c$CONNS "$NEAR" "$THREADS" "$CONNS" "$DURATION" "host:$NEAR_PID" "plugin:$NEAR_PLUGIN_PID"
	wrk_run near-c1 "$NEAR" 1 1 "$C1_DURATION" "host:$NEAR_PID" "plugin:$NEAR_PLUGIN_PID"

	say "random keys: put $NEAR_KEYS keys into each server"
	put_keys "$GW"
	put_keys "$NEAR"
	put_keys "$BASE"
	local h0 m0 b0
	h0=$(near_metric "$NEAR" orama_cache_near_hits_total)
	m0=$(near_metric "$NEAR" orama_cache_near_misses_total)
	b0=$(near_metric "$NEAR" orama_cache_near_bypassed_total)
	local envv="BENCH_KEYS=$NEAR_KEYS BENCH_DMAP=$DMAP"
	wrk_measure gw-rand "$GW/v1/cache/get" scripts/wrk/cache_get_random.lua "$THREADS" "$CONNS" "$DURATION" "$envv" "host:$GW_PID" "plugin:$PLUGIN_PID"
	wrk_measure near-rand "$NEAR/v1/cache/get" scripts/wrk/cache_get_random.lua "$THREADS" "$CONNS" "$DURATION" "$envv" "host:$NEAR_PID" "plugin:$NEAR_PLUGIN_PID"
	wrk_measure base-rand "$BASE/v1/cache/get" scripts/wrk/cache_get_random.lua "$THREADS" "$CONNS" "$DURATION" "$envv" "baseline:$BASE_PID"
	# The floor of one process in front of the baseline (bench/relay.sh):
	# the gateway has one, the host, in front of the plugin's Olric.
	local relay_mode
	for relay_mode in tcp http; do
		relay_chain "$relay_mode" 1 "127.0.0.1:$BASE_PORT"
		# shellcheck disable=SC2086 # RELAY_PIDS is a list of LABEL:PID
		wrk_measure "base-rand-$relay_mode" "$RELAY/v1/cache/get" scripts/wrk/cache_get_random.lua "$THREADS" "$CONNS" "$DURATION" "$envv" "baseline:$BASE_PID" $RELAY_PIDS
		relay_stop
	done
	local h1 m1 b1
	h1=$(near_metric "$NEAR" orama_cache_near_hits_total)
	m1=$(near_metric "$NEAR" orama_cache_near_misses_total)
	b1=$(near_metric "$NEAR" orama_cache_near_bypassed_total)
	NEAR_RAND_HITS=$(awk -v h=$((h1 - h0)) -v m=$((m1 - m0)) -v b=$((b1 - b0)) 'BEGIN{t = h + m + b; printf "%.1f%% of %d gets (bypassed %d)", t ? 100 * h / t : 0, t, b}')
	NEAR_STATE=$(curl -s "$NEAR/metrics" | grep -E '^orama_cache_near_(bytes|entries|evictions_total|hits_total|misses_total) ')
	echo "near cache hits during the random runs: $NEAR_RAND_HITS"
	echo "$NEAR_STATE"

	say "stop the near gateway"
	stop "$NEAR_PID"
	if [ -n "$NEAR_PLUGIN_PID" ] && kill -0 "$NEAR_PLUGIN_PID" 2>/dev/null; then
		kill -KILL "$NEAR_PLUGIN_PID" 2>/dev/null || true
	fi
}

cache_near_summary() {
	local row id name args
	row() { printf '%-30s %-14s %10s %8s %8s %7s  %-24s %s\n' "$@"; }
	echo "near cache: the same gateway with server { cache { near_cache = true, near_cache_bytes = $NEAR_BYTES } };"
	echo "random: wrk -s scripts/wrk/cache_get_random.lua over $NEAR_KEYS keys (BENCH_KEYS), put first with bench/cmd/cacheputkeys"
	row "" "wrk" "req/s" "p50 µs" "p99 µs" "non-2xx" "server CPU µs/req" "socket errors"
	for id in near-c$CONNS near-c1 gw-rand near-rand base-rand base-rand-tcp base-rand-http; do
		case $id in
		near-*) name="gateway, near cache" ;;
		gw-*) name="gateway (host + plugin)" ;;
		*-tcp) name="baseline via 1 relay, tcp" ;;
		*-http) name="baseline via 1 relay, http" ;;
		*) name="baseline (in-process Olric)" ;;
		esac
		case $id in
		*-c1) args="-t1 -c1 -d$C1_DURATION" ;;
		*-rand*) args="random -c$CONNS" ;;
		*) args="-t$THREADS -c$CONNS -d$DURATION" ;;
		esac
		row "$name" "$args" "${R[$id.rps]}" "${R[$id.p50]}" "${R[$id.p99]}" "${R[$id.non2xx]}" "${R[$id.cpu]}" "${R[$id.sockerr]}"
	done
	echo "throughput ratio near/baseline: hot -c$CONNS $(awk -v g="${R[near-c$CONNS.rps]}" -v b="${R[base-c$CONNS.rps]}" 'BEGIN{printf "%.2f", g/b}')," \
		"random $(awk -v g="${R[near-rand.rps]}" -v b="${R[base-rand.rps]}" 'BEGIN{printf "%.2f", g/b}')" \
		"(without near cache: random $(awk -v g="${R[gw-rand.rps]}" -v b="${R[base-rand.rps]}" 'BEGIN{printf "%.2f", g/b}'))   (target >= 0.75)"
	echo "floor of one process in front of the baseline (bench/relay.sh), random keys: a tcp relay" \
		"$(awk -v g="${R[base-rand-tcp.rps]}" -v b="${R[base-rand.rps]}" 'BEGIN{printf "%.2f", g/b}')," \
		"an http reverse proxy $(awk -v g="${R[base-rand-http.rps]}" -v b="${R[base-rand.rps]}" 'BEGIN{printf "%.2f", g/b}');" \
		"the gateway against the tcp relay: $(awk -v g="${R[gw-rand.rps]}" -v b="${R[base-rand-tcp.rps]}" 'BEGIN{printf "%.2f", g/b}')"
	echo "added p50 latency at -c1, near cache: $(awk -v g="${R[near-c1.p50]}" -v b="${R[base-c1.p50]}" 'BEGIN{printf "%d", g-b}') µs   (target <= 100 µs)"
	echo "near cache hit ratio in the random run: $NEAR_RAND_HITS"
	echo
}
