# bench/functions.sh — the functions part of scripts/bench.sh, which
# sources it and provides what it uses: say, run, die, stop, free_port,
# wait_http, put, rss_mb, wrk_measure, wrk_run, R, PIDS, WORK, BIN, GO, DMAP, KEY,
# TOOLS, THREADS, CONNS, DURATION, C1_DURATION, WARMUP, BENCHTIME, FAILED,
# kind_pid and median (bench/auth.sh), and the FUNCTIONS_* knobs
# (FUNCTIONS_ROUNDS, FUNCTIONS_GO_CONNECTIONS, FUNCTIONS_FIRST_COPIES,
# FUNCTIONS_RSS_MODULES, FUNCTIONS_RSS_GO_MODULES).
#
# Issue 11's benchmark. One gateway (bin/orama with the cache (embedded
# Olric), database (SQLite), storage (embedded) and serverless plugins;
# auth = "disabled", as in the cache part: no credential is looked at, so
# the numbers are the functions path alone) and two functions:
#
#   echo   sdk/serverless/serverlesstest/testdata/echo.wat (wat2wasm): copies
#          stdin to stdout, the smallest function that does real I/O
#   greet  serverlesstest.GreetingSource (printed by bench/cmd/fnmodule),
#          built with GOOS=wasip1 GOARCH=wasm go build: a stock Go program
#          that decodes {"name":"X"} and encodes its greeting
#
# Steps:
#
#   floor    the engine's Go benchmarks (./plugins/serverless/engine:
#            BenchmarkRunEcho, BenchmarkRunGoGreeting: one warm Run of the
#            same module in-process, no gateway, no plugin boundary;
#            BenchmarkCompile: compile from scratch and from the disk
#            cache) and the service's (./plugins/serverless/service:
#            BenchmarkInvokeWarm, the echo through the service's warm path
#            around the engine, RunParallel), run before the gateway
#            starts, in µs per invoke
#   warm     wrk -s bench/wrk/fn_invoke.lua of POST /v1/functions/echo/invoke
#            and /v1/functions/greet/invoke (body {"name":"bench"}), and of
#            the plain POST /v1/cache/get (scripts/wrk/cache_get.lua) on the
#            same gateway: -t1 -c1 (latency without queueing: the p50 an
#            invoke adds over a plain gateway request) and -t$THREADS
#            -c$CONNS (throughput), and greet also at -c
#            FUNCTIONS_GO_CONNECTIONS (nproc: one invoke per core), with
#            the CPU time per request of the host, the serverless and the
#            cache plugin. They take turns, FUNCTIONS_ROUNDS (3) times; the
#            summary shows medians, and how often the host restarted the
#            serverless plugin during each (a plugin whose process misses
#            its liveness probes for about 1.2 s is SIGKILLed): the run
#            after a restart measures the new plugin.
#   first    FUNCTIONS_FIRST_COPIES (3) fresh copies of each module (other
#            bytes: bench/cmd/fnmodule appends a custom section, so nothing
#            is compiled yet): the deploy (it compiles the module to
#            validate it), then the first and the second invoke, timed with
#            curl -w; the median of the copies
#   restart  kill -9 of the serverless plugin; once /v1/health names the new
#            plugin, the first invoke of echo and greet (metadata from the
#            database, the module from storage, compiled code from wazero's
#            disk cache under data_dir) and the second, timed with curl -w
#   rss      on a fresh plugin (kill -9 once more), FUNCTIONS_RSS_MODULES
#            (50) distinct copies of echo, then FUNCTIONS_RSS_GO_MODULES (5)
#            of greet deployed and invoked once each: the plugin's VmRSS
#            growth (5 s after the last invoke) per cached module. It is
#            the process's growth: compiled code, wazero's module state and
#            whatever the Go heap of the plugin has not returned yet
#
# The gateway's serverless config raises max_concurrency (16 by default)
# and max_namespace_concurrency (64) to $CONNS, so the loaded runs measure
# throughput, not the 429 of the caps.

# fn_modules builds the modules into $WORK/fn: echo.wasm, greet.wasm and
# the tagged copies (echo-first-*, greet-first-*, rss-echo-*, rss-greet-*).
fn_modules() {
	local dir=$WORK/fn
	say "functions: build the modules"
	command -v wat2wasm >/dev/null || die "wat2wasm is not installed: make tools-wabt (Debian's wabt)"
	mkdir -p "$dir/greet" "$TOOLS"
	run "$GO" build -o "$TOOLS/fnmodule" ./bench/cmd/fnmodule
	run wat2wasm sdk/serverless/serverlesstest/testdata/echo.wat -o "$dir/echo.wasm"
	run "$TOOLS/fnmodule" greeting-source >"$dir/greet/main.go"
	(cd "$dir/greet" && run env GOOS=wasip1 GOARCH=wasm GOWORK=off GOFLAGS= CGO_ENABLED=0 "$GO" build -o "$dir/greet.wasm" main.go)
	run "$TOOLS/fnmodule" tag -in "$dir/echo.wasm" -out "$dir" -n "$FN_FIRST_N" -prefix echo-first
	run "$TOOLS/fnmodule" tag -in "$dir/greet.wasm" -out "$dir" -n "$FN_FIRST_N" -prefix greet-first
	run "$TOOLS/fnmodule" tag -in "$dir/echo.wasm" -out "$dir" -n "$FN_RSS_N" -prefix rss-echo
	run "$TOOLS/fnmodule" tag -in "$dir/greet.wasm" -out "$dir" -n "$FN_RSS_GO_N" -prefix rss-greet
	FN_ECHO_BYTES=$(stat -c %s "$dir/echo.wasm")
	FN_GREET_BYTES=$(stat -c %s "$dir/greet.wasm")
	echo "echo.wasm: $FN_ECHO_BYTES bytes; greet.wasm: $FN_GREET_BYTES bytes"
}

# fn_plugins sets FN_PLUGIN_{CACHE,DATABASE,STORAGE,SERVERLESS}:
# $BIN/orama-plugin-* when there, else built into $WORK/bin.
fn_plugins() {
	local k p
	for k in cache database storage serverless; do
		p=$BIN/orama-plugin-$k
		if [ ! -x "$p" ]; then
			p=$WORK/bin/orama-plugin-$k
			run "$GO" build -o "$p" "./plugins/$k"
		fi
		printf -v "FN_PLUGIN_${k^^}" '%s' "$p"
		echo "$k plugin: $p"
	done
}

# fn_gateway starts the gateway; sets FGW (URL), FGW_PID, FGW_SL (the
# serverless plugin's pid) and FGW_LABELS (label:pid of host, serverless
# and cache plugin).
fn_gateway() {
	local port config=$WORK/functions/config.hcl cache
	port=$(free_port)
	FGW=http://127.0.0.1:$port
	mkdir -p "$WORK/functions"
	cat >"$config" <<-HCL
	server {
	  listen = "127.0.0.1:$port"
	  auth   = "disabled"
	}
	node {
	  id       = "bench"
	  data_dir = "$WORK/functions/data"
	}
	plugin "cache" {
	  path = "$FN_PLUGIN_CACHE"
	  config {
	    mode = "embedded"
	  }
	}
	plugin "database" {
	  path = "$FN_PLUGIN_DATABASE"
	  config {
	    driver = "sqlite"
	  }
	}
	plugin "storage" {
	  path = "$FN_PLUGIN_STORAGE"
	  config {
	    driver = "embedded"
	  }
	}
	plugin "serverless" {
	  path = "$FN_PLUGIN_SERVERLESS"
	  config {
	    key_secret                = "bench-functions-secret-0123456789abcdef"
	    max_concurrency           = $CONNS
	    max_namespace_concurrency = $CONNS
	  }
	}
	HCL
	echo "gateway config ($config):"
	sed 's/^/    /' "$config"
	printf '+ %s\n' "$BIN/orama serve -config $config >$WORK/functions.log 2>&1 &" >&2
	"$BIN/orama" serve -config "$config" >"$WORK/functions.log" 2>&1 &
	FGW_PID=$!
	PIDS+=("$FGW_PID")
	wait_http "$FGW/v1/health" || { tail -50 "$WORK/functions.log"; exit 1; }
	FGW_SL=$(kind_pid "$FGW" serverless)
	cache=$(kind_pid "$FGW" cache)
	[ -n "$FGW_SL" ] && [ "$FGW_SL" != 0 ] || die "no serverless plugin pid in $FGW/v1/health: $(curl -s "$FGW/v1/health")"
	[ -n "$cache" ] && [ "$cache" != 0 ] || die "no cache plugin pid in $FGW/v1/health"
	FGW_LABELS=("host:$FGW_PID" "serverless:$FGW_SL" "cache:$cache")
	echo "gateway $FGW (${FGW_LABELS[*]})"
}

# fn_deploy NAME FILE: deploys FILE as NAME (multipart: file wasm, field
# name); sets FN_MS (the deploy's time_total in ms).
fn_deploy() {
	local out code
	out=$(run curl -sS -o "$WORK/fn/deploy.out" -w '%{http_code} %{time_total}' \
		-F "name=$1" -F "wasm=@$2;type=application/wasm" "$FGW/v1/functions") || die "deploy of $1 failed"
	code=${out%% *}
	[ "$code" = 201 ] || die "deploy of $1 answered $code: $(cat "$WORK/fn/deploy.out")"
	FN_MS=$(awk -v s="${out#* }" 'BEGIN{printf "%.1f", s * 1000}')
}

# fn_invoke NAME WANT: POST {"name":"bench"} to NAME's invoke route; the
# answer must be 200 and WANT; sets FN_MS (time_total in ms).
fn_invoke() {
	local out code body
	out=$(curl -sS -o "$WORK/fn/invoke.out" -w '%{http_code} %{time_total}' -X POST -H 'Content-Type: application/json' \
		-d '{"name":"bench"}' "$FGW/v1/functions/$1/invoke") || die "invoke of $1 failed"
	code=${out%% *}
	body=$(cat "$WORK/fn/invoke.out")
	[ "$code" = 200 ] && [ "$body" = "$2" ] || die "invoke of $1 answered $code: $body (want 200: $2)"
	FN_MS=$(awk -v s="${out#* }" 'BEGIN{printf "%.1f", s * 1000}')
}

# fn_cache_get: a plain POST /v1/cache/get of the probe entry, timed like
# fn_invoke (what curl -w shows for a request that runs no function); sets
# FN_MS.
fn_cache_get() {
	local out
	out=$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' -X POST -H 'Content-Type: application/json' \
		-d "{\"dmap\":\"$DMAP\",\"key\":\"$KEY\"}" "$FGW/v1/cache/get") || die "cache get failed"
	[ "${out%% *}" = 200 ] || die "cache get answered ${out%% *}"
	FN_MS=$(awk -v s="${out#* }" 'BEGIN{printf "%.1f", s * 1000}')
}

# The answers of the two functions to {"name":"bench"}: echo's is the body,
# greet's GreetingOutput("bench") (json.Encoder ends it with a newline,
# which $(…) strips).
FN_ECHO_WANT='{"name":"bench"}'
FN_GREET_WANT='{"greeting":"Hello, bench!","name":"bench","runtime":"wasip1"}'

# fn_wait_plugin OLD_PID: until /v1/health names a serverless plugin other
# than OLD_PID (60 s); sets FGW_SL.
fn_wait_plugin() {
	local pid
	for _ in $(seq 6000); do
		pid=$(kind_pid "$FGW" serverless || true)
		if [ -n "$pid" ] && [ "$pid" != 0 ] && [ "$pid" != "$1" ] && kill -0 "$pid" 2>/dev/null; then
			FGW_SL=$pid
			return 0
		fi
		sleep 0.01
	done
	die "the serverless plugin did not come back within 60s: $(curl -s "$FGW/v1/health")"
}

# fn_restarts: the serverless plugin's restart count from /v1/health.
fn_restarts() {
	curl -s "$FGW/v1/health" | grep -o '"serverless":{[^}]*}' | grep -o '"restarts":[0-9]*' | cut -d: -f2
}

# fn_follow_plugin ID: after the wrk run ID, R[ID.restarts] is how often
# the host restarted the serverless plugin meanwhile (it SIGKILLs a plugin
# whose process stops answering its liveness probe for about 1.2 s). After
# a restart it shows the supervisor's lines of the gateway's log, waits
# for the new plugin and follows it (FGW_SL, FGW_LABELS), so the next runs
# measure the new one.
fn_follow_plugin() {
	local n
	if kill -0 "$FGW_SL" 2>/dev/null && [ "$(kind_pid "$FGW" serverless || true)" = "$FGW_SL" ]; then
		n=$(fn_restarts)
		R[$1.restarts]=$((n - FN_RESTARTS))
		FN_RESTARTS=$n
		[ "${R[$1.restarts]}" = 0 ] && return 0
	fi
	fn_wait_plugin "$FGW_SL"
	FGW_LABELS[1]="serverless:$FGW_SL"
	n=$(fn_restarts)
	R[$1.restarts]=$((n - FN_RESTARTS))
	FN_RESTARTS=$n
	echo "the host restarted the serverless plugin ${R[$1.restarts]} time(s) during $1 (now pid $FGW_SL); the gateway's log:" >&2
	grep -v '"@message":"request"' "$WORK/functions.log" | grep -E 'orama\.plugin\.serverless' | tail -6 >&2
}

# now_ms: the wall clock in ms.
now_ms() { echo $(($(date +%s%N) / 1000000)); }

functions_bench() {
	FN_ROUNDS=${FUNCTIONS_ROUNDS:-3}
	FN_RSS_N=${FUNCTIONS_RSS_MODULES:-50}
	FN_RSS_GO_N=${FUNCTIONS_RSS_GO_MODULES:-5}
	FN_FIRST_N=${FUNCTIONS_FIRST_COPIES:-3}
	FN_GO_CONNS=${FUNCTIONS_GO_CONNECTIONS:-$(nproc)}
	FN_GO_THREADS=$((THREADS < FN_GO_CONNS ? THREADS : FN_GO_CONNS))
	local r i j n t0 old before after want

	fn_modules
	say "functions: the floor, the engine's Go benchmarks (wazero in-process, before the gateway starts)"
	FN_GOBENCH_OUT=$(run "$GO" test -run '^$' -bench 'BenchmarkRun|BenchmarkCompile|BenchmarkInvokeWarm' -benchtime "$BENCHTIME" \
		./plugins/serverless/engine ./plugins/serverless/service 2>&1) || FAILED+=("./plugins/serverless/engine ./plugins/serverless/service")
	echo "$FN_GOBENCH_OUT"

	say "functions: start the gateway"
	fn_plugins
	fn_gateway
	fn_deploy echo "$WORK/fn/echo.wasm"
	echo "deployed echo in $FN_MS ms"
	fn_deploy greet "$WORK/fn/greet.wasm"
	echo "deployed greet in $FN_MS ms"
	fn_invoke echo "$FN_ECHO_WANT"
	fn_invoke greet "$FN_GREET_WANT"
	echo "echo and greet answer as expected"
	put "$FGW"
	FN_RESTARTS=$(fn_restarts)

	for r in $(seq "$FN_ROUNDS"); do
		say "functions: round $r of $FN_ROUNDS (uptime: $(uptime | sed 's/.*load average/load average/'))"
		wrk_run "fn-cache-c1.$r" "$FGW" 1 1 "$C1_DURATION" "${FGW_LABELS[@]}"
		fn_follow_plugin "fn-cache-c1.$r"
		wrk_measure "fn-echo-c1.$r" "$FGW/v1/functions/echo/invoke" bench/wrk/fn_invoke.lua 1 1 "$C1_DURATION" "" "${FGW_LABELS[@]}"
		fn_follow_plugin "fn-echo-c1.$r"
		wrk_measure "fn-greet-c1.$r" "$FGW/v1/functions/greet/invoke" bench/wrk/fn_invoke.lua 1 1 "$C1_DURATION" "" "${FGW_LABELS[@]}"
		fn_follow_plugin "fn-greet-c1.$r"
		wrk_run "fn-cache-cN.$r" "$FGW" "$THREADS" "$CONNS" "$DURATION" "${FGW_LABELS[@]}"
		fn_follow_plugin "fn-cache-cN.$r"
		wrk_measure "fn-echo-cN.$r" "$FGW/v1/functions/echo/invoke" bench/wrk/fn_invoke.lua "$THREADS" "$CONNS" "$DURATION" "" "${FGW_LABELS[@]}"
		fn_follow_plugin "fn-echo-cN.$r"
		wrk_measure "fn-greet-cN.$r" "$FGW/v1/functions/greet/invoke" bench/wrk/fn_invoke.lua "$THREADS" "$CONNS" "$DURATION" "" "${FGW_LABELS[@]}"
		fn_follow_plugin "fn-greet-cN.$r"
		wrk_measure "fn-greet-cP.$r" "$FGW/v1/functions/greet/invoke" bench/wrk/fn_invoke.lua "$FN_GO_THREADS" "$FN_GO_CONNS" "$DURATION" "" "${FGW_LABELS[@]}"
		fn_follow_plugin "fn-greet-cP.$r"
	done

	say "functions: first invoke after deploy ($FN_FIRST_N fresh copies of each: nothing compiled yet)"
	for i in echo greet; do
		local dep=() first=() second=()
		if [ "$i" = echo ]; then want=$FN_ECHO_WANT; else want=$FN_GREET_WANT; fi
		for j in $(seq "$FN_FIRST_N"); do
			fn_deploy "$i-first-$j" "$WORK/fn/$i-first-$j.wasm"
			dep+=("$FN_MS")
			fn_invoke "$i-first-$j" "$want"
			first+=("$FN_MS")
			fn_invoke "$i-first-$j" "$want"
			second+=("$FN_MS")
			echo "$i copy $j: deploy ${dep[-1]} ms, first invoke ${first[-1]} ms, second ${second[-1]} ms"
		done
		R[fn-first.$i.deploy]=$(median "${dep[@]}")
		R[fn-first.$i.first]=$(median "${first[@]}")
		R[fn-first.$i.second]=$(median "${second[@]}")
	done
	fn_cache_get
	R[fn-first.cache]=$FN_MS
	echo "plain cache get for comparison: $FN_MS ms"

	say "functions: kill -9 the serverless plugin, then the first invoke of each (disk cache)"
	sleep 11 # the plugin up 10 s: its restart is immediate (no backoff)
	old=$FGW_SL
	t0=$(now_ms)
	run kill -KILL "$old"
	fn_wait_plugin "$old"
	R[fn-restart.back]=$(($(now_ms) - t0))
	FGW_LABELS[1]="serverless:$FGW_SL"
	echo "serverless plugin $old killed; $FGW_SL named by /v1/health after ${R[fn-restart.back]} ms"
	for i in echo greet; do
		if [ "$i" = echo ]; then want=$FN_ECHO_WANT; else want=$FN_GREET_WANT; fi
		fn_invoke "$i" "$want"
		R[fn-restart.$i.first]=$FN_MS
		fn_invoke "$i" "$want"
		R[fn-restart.$i.second]=$FN_MS
		echo "$i: first invoke after the restart ${R[fn-restart.$i.first]} ms, second ${R[fn-restart.$i.second]} ms"
	done
	fn_cache_get
	R[fn-restart.cache]=$FN_MS
	echo "plain cache get for comparison: $FN_MS ms"
	ls -la "$WORK/functions/data/serverless" 2>/dev/null | sed 's/^/    /' || true

	say "functions: RSS per cached module ($FN_RSS_N echo copies, $FN_RSS_GO_N greet copies)"
	# A fresh plugin, so neither the garbage of the runs above nor their
	# compiled modules are in its RSS: kill -9 again, once the last
	# restart is 10 s old (no backoff).
	sleep 11
	old=$FGW_SL
	run kill -KILL "$old"
	fn_wait_plugin "$old"
	FGW_LABELS[1]="serverless:$FGW_SL"
	echo "a fresh serverless plugin: $FGW_SL"
	for i in echo greet; do
		n=$FN_RSS_N want=$FN_ECHO_WANT
		[ "$i" = greet ] && n=$FN_RSS_GO_N want=$FN_GREET_WANT
		sleep 5
		before=$(rss_mb "$FGW_SL")
		for j in $(seq "$n"); do
			fn_deploy "rss-$i-$j" "$WORK/fn/rss-$i-$j.wasm"
			fn_invoke "rss-$i-$j" "$want"
		done
		sleep 5
		after=$(rss_mb "$FGW_SL")
		R[fn-rss.$i.n]=$n
		R[fn-rss.$i.before]=$before
		R[fn-rss.$i.after]=$after
		R[fn-rss.$i.per]=$(awk -v a="$after" -v b="$before" -v n="$n" 'BEGIN{printf "%.0f", (a - b) * 1024 / n}')
		echo "$i: $n distinct modules deployed and invoked once: plugin VmRSS $before → $after MB, ${R[fn-rss.$i.per]} KB per module"
	done
	R[fn-rss.host]=$(rss_mb "$FGW_PID")
	FN_DISK_CACHE=$(find "$WORK/functions/data/serverless" -type f -size +1k -printf '%s\n' 2>/dev/null |
		awk '{n++; t += $1; if ($1 > m) m = $1} END{printf "%d files over 1 KB, %.1f MB in all, the largest %.1f MB", n, t / 1048576, m / 1048576}')
	echo "wazero's disk cache ($WORK/functions/data/serverless): $FN_DISK_CACHE"

	say "functions: stop the gateway"
	stop "$FGW_PID"
	if kill -0 "$FGW_SL" 2>/dev/null; then
		echo "serverless plugin $FGW_SL outlived the host; killing it" >&2
		kill -KILL "$FGW_SL" 2>/dev/null || true
	fi
}

# fn_bench_us NAME: ns/op of Go benchmark NAME (its first line) in µs.
fn_bench_us() {
	awk -v n="$1" '$1 ~ "^"n"(-[0-9]+)?$" {printf "%.1f", $3 / 1000; exit}' <<<"$FN_GOBENCH_OUT"
}

# fn_med ID FIELD: the median of R[ID.r.FIELD] over the rounds.
fn_med() {
	local r v=()
	for r in $(seq "$FN_ROUNDS"); do v+=("${R[$1.$r.$2]}"); done
	median "${v[@]}"
}

functions_summary() {
	local id name args rps each r non2xx restarts echo_add greet_add echo_rps greet_p50 echo_floor greet_floor
	frow() { printf '  %-26s %-16s %9s %8s %8s %7s %8s  %-22s %-34s %s\n' "$@"; }
	echo "functions: warm invoke through the gateway (host + serverless plugin; auth disabled) vs a plain POST /v1/cache/get on the same gateway,"
	echo "body {\"name\":\"bench\"}; wrk --latency after a $WARMUP warm-up; $FN_ROUNDS round(s) taking turns, median of the rounds (req/s of each round in brackets);"
	echo "server CPU µs/req of the last round: host + serverless + cache plugin (? = the plugin was restarted during the run); non-2xx and restarts:"
	echo "all rounds, restarts = the host SIGKILLed the serverless plugin for not answering its liveness probe (about 1.2 s) during the run"
	frow "" "wrk" "req/s" "p50 µs" "p99 µs" "non-2xx" "restarts" "req/s of each round" "server CPU µs/req" "busy"
	for id in fn-cache-c1 fn-echo-c1 fn-greet-c1 fn-cache-cN fn-echo-cN fn-greet-cN fn-greet-cP; do
		case $id in
		fn-cache-*) name="cache get (plain request)" ;;
		fn-echo-*) name="invoke echo (WAT)" ;;
		*) name="invoke greet (Go wasip1)" ;;
		esac
		case $id in
		*-c1) args="-t1 -c1 -d$C1_DURATION" ;;
		*-cP) args="-t$FN_GO_THREADS -c$FN_GO_CONNS -d$DURATION" ;;
		*) args="-t$THREADS -c$CONNS -d$DURATION" ;;
		esac
		each="" non2xx=0 restarts=0
		for r in $(seq "$FN_ROUNDS"); do
			each+="${each:+ }$(printf '%.0f' "${R[$id.$r.rps]}")"
			non2xx=$((non2xx + ${R[$id.$r.non2xx]}))
			restarts=$((restarts + ${R[$id.$r.restarts]:-0}))
		done
		frow "$name" "$args" "$(fn_med "$id" rps)" "$(fn_med "$id" p50)" "$(fn_med "$id" p99)" "$non2xx" "$restarts" "[$each]" \
			"${R[$id.$FN_ROUNDS.cpu]}" "$(fn_med "$id" busy)%"
	done
	echo_floor=$(fn_bench_us BenchmarkRunEcho)
	greet_floor=$(fn_bench_us BenchmarkRunGoGreeting)
	echo "  floor, the same module run warm by wazero in-process, no gateway and no plugin boundary (./plugins/serverless/engine, -benchtime $BENCHTIME):"
	echo "    echo  ${echo_floor:-?} µs per invoke (BenchmarkRunEcho)"
	echo "    greet ${greet_floor:-?} µs per invoke (BenchmarkRunGoGreeting)"
	echo "    echo through the service's warm path (metadata cache, caps, log queue; ./plugins/serverless/service, RunParallel on $(nproc) cores:" \
		"wall time per invoke): $(fn_bench_us BenchmarkInvokeWarm) µs (BenchmarkInvokeWarm)"
	echo "    compile (BenchmarkCompile): $(awk '$1 ~ /^BenchmarkCompile\// {sub(/^BenchmarkCompile\//, "", $1); sub(/-[0-9]+$/, "", $1); printf "%s%s %.1f ms", sep, $1, $3 / 1e6; sep = ", "}' <<<"$FN_GOBENCH_OUT")"
	echo_add=$(awk -v a="$(fn_med fn-echo-c1 p50)" -v b="$(fn_med fn-cache-c1 p50)" 'BEGIN{printf "%d", a - b}')
	greet_add=$(awk -v a="$(fn_med fn-greet-c1 p50)" -v b="$(fn_med fn-cache-c1 p50)" 'BEGIN{printf "%d", a - b}')
	echo_rps=$(fn_med fn-echo-cN rps)
	greet_p50=$(fn_med fn-greet-c1 p50)
	echo "  (a) echo: p50 added over the cache get at -c1: $echo_add µs (target <= 200 µs: $([ "$echo_add" -le 200 ] && echo met || echo not met));" \
		"$echo_rps invokes/s at -c$CONNS (target >= 5000: $(awk -v r="$echo_rps" 'BEGIN{print (r >= 5000 ? "met" : "not met")}'))"
	echo "  (b) greet: p50 at -c1: $greet_p50 µs, $greet_add µs over the cache get (target p50 <= 3000 µs: $([ "$greet_p50" -le 3000 ] && echo met || echo not met))"
	echo
	echo "functions: first invoke (curl -w time_total, ms; after a deploy: the median of $FN_FIRST_N fresh copies; the deploy compiles the module to validate it;"
	echo "after kill -9: one sample, metadata from the database, the module from storage, the compiled code from wazero's disk cache)"
	printf '  %-34s %10s %14s %14s\n' "" "deploy ms" "1st invoke ms" "2nd invoke ms"
	printf '  %-34s %10s %14s %14s\n' "echo, fresh copy ($FN_ECHO_BYTES B)" "${R[fn-first.echo.deploy]}" "${R[fn-first.echo.first]}" "${R[fn-first.echo.second]}"
	printf '  %-34s %10s %14s %14s\n' "greet, fresh copy ($FN_GREET_BYTES B)" "${R[fn-first.greet.deploy]}" "${R[fn-first.greet.first]}" "${R[fn-first.greet.second]}"
	printf '  %-34s %10s %14s %14s\n' "echo after kill -9 of the plugin" "-" "${R[fn-restart.echo.first]}" "${R[fn-restart.echo.second]}"
	printf '  %-34s %10s %14s %14s\n' "greet after kill -9 of the plugin" "-" "${R[fn-restart.greet.first]}" "${R[fn-restart.greet.second]}"
	echo "  (a plain cache get timed the same way: ${R[fn-first.cache]} ms after the deploys, ${R[fn-restart.cache]} ms after the restart;"
	echo "  kill -9 → /v1/health names the new plugin: ${R[fn-restart.back]} ms)"
	echo
	echo "functions: RSS per cached module (distinct copies deployed and invoked once on a fresh plugin; serverless plugin VmRSS growth / copies, 5 s after)"
	for i in echo greet; do
		printf '  %-6s %3s copies: %7s → %7s MB, %6s KB per module\n' "$i" "${R[fn-rss.$i.n]}" "${R[fn-rss.$i.before]}" "${R[fn-rss.$i.after]}" "${R[fn-rss.$i.per]}"
	done
	echo "  (host VmRSS at the end: ${R[fn-rss.host]} MB; wazero's disk cache of compiled code: $FN_DISK_CACHE)"
	echo
}
