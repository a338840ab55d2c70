# bench/auth.sh — the auth part of scripts/bench.sh, which sources it and
# provides what it uses: say, run, die, stop, free_port, wait_http,
# wrk_measure, R, PIDS, WORK, BIN, GO, WARMUP, DMAP, KEY, VALUE and the
# AUTH_* knobs.
#
# What authentication costs on the hottest route, POST /v1/cache/get of one
# entry (embedded Olric), wrk -t$AUTH_THREADS -c$AUTH_CONNS with
# bench/wrk/cache_get_auth.lua. One gateway config (cache, database on
# SQLite, auth; no rate limits), run three times on the same data_dir:
#
#   none      server { auth = "disabled" }: no credential is looked at
#   jwt       auth = "required", Authorization: Bearer <JWT>: verified in
#             the host with the auth plugin's public key (cached)
#   key-warm  the same gateway, X-API-Key: answered by the host's key cache
#             (key_cache_ttl 5s), so the auth plugin sees one call per key
#             per 5 s
#   key-cold  a gateway with key_cache_ttl = "1ns": every request asks the
#             auth plugin (ValidateAPIKey, a SQLite read through the host
#             API and the database plugin)
#
# The key is made with `orama keys create` (the command starts its own
# database and auth plugins on the gateway's SQLite file), the JWT with
# POST /v1/auth/token for that key.

# auth_plugins sets AUTH_PLUGIN_{CACHE,DATABASE,AUTH}: $BIN/orama-plugin-*
# when there, else built into $WORK/bin.
auth_plugins() {
	local k p
	for k in cache database auth; do
		p=$BIN/orama-plugin-$k
		if [ ! -x "$p" ]; then
			p=$WORK/bin/orama-plugin-$k
			run "$GO" build -o "$p" "./plugins/$k"
		fi
		printf -v "AUTH_PLUGIN_${k^^}" '%s' "$p"
		echo "$k plugin: $p"
	done
	"$BIN/orama" keys help >/dev/null 2>&1 || die "$BIN/orama has no keys command: run make build"
}

# kind_pid GATEWAY KIND: the pid of the plugin of KIND from /v1/health.
kind_pid() {
	curl -s "$1/v1/health" | grep -o "\"$2\":{[^}]*}" | grep -o '"pid":[0-9]*' | cut -d: -f2
}

# auth_gateway NAME MODE KEY_CACHE_TTL: starts the gateway with server
# { auth = MODE, key_cache_ttl = KEY_CACHE_TTL }; sets AGW, AGW_PID,
# AUTH_CONFIG and AGW_LABELS (label:pid of the host and its plugins).
auth_gateway() {
	local name=$1 mode=$2 ttl=$3 port k pid
	port=$(free_port)
	AGW=http://127.0.0.1:$port
	AUTH_CONFIG=$WORK/$name/config.hcl
	mkdir -p "$WORK/$name"
	cat >"$AUTH_CONFIG" <<-HCL
	server {
	  listen        = "127.0.0.1:$port"
	  auth          = "$mode"
	  key_cache_ttl = "$ttl"
	}
	node {
	  id       = "bench"
	  data_dir = "$WORK/auth-data"
	}
	plugin "cache" {
	  path = "$AUTH_PLUGIN_CACHE"
	  config {
	    mode = "embedded"
	  }
	}
	plugin "database" {
	  path = "$AUTH_PLUGIN_DATABASE"
	  config {
	    driver = "sqlite"
	  }
	}
	plugin "auth" {
	  path = "$AUTH_PLUGIN_AUTH"
	  config {
	    key_secret = "bench-key-secret-0123456789abcdef0123456789"
	  }
	}
	HCL
	echo "gateway config ($AUTH_CONFIG):"
	sed 's/^/    /' "$AUTH_CONFIG"
	printf '+ %s\n' "$BIN/orama serve -config $AUTH_CONFIG >$WORK/$name.log 2>&1 &" >&2
	"$BIN/orama" serve -config "$AUTH_CONFIG" >"$WORK/$name.log" 2>&1 &
	AGW_PID=$!
	PIDS+=("$AGW_PID")
	wait_http "$AGW/v1/health" || { tail -50 "$WORK/$name.log"; exit 1; }
	AGW_LABELS=("host:$AGW_PID")
	for k in cache auth database; do
		pid=$(kind_pid "$AGW" "$k")
		[ -n "$pid" ] && [ "$pid" != 0 ] || die "no $k plugin pid in $AGW/v1/health"
		AGW_LABELS+=("$k:$pid")
	done
	echo "gateway $AGW (${AGW_LABELS[*]})"
}

# auth_stop_gateway: stops the gateway and makes sure its plugins are gone.
auth_stop_gateway() {
	local lp
	stop "$AGW_PID"
	for lp in "${AGW_LABELS[@]:1}"; do
		if kill -0 "${lp#*:}" 2>/dev/null; then
			echo "plugin ${lp%%:*} (${lp#*:}) outlived the host; killing it" >&2
			kill -KILL "${lp#*:}" 2>/dev/null || true
		fi
	done
}

# auth_probe GATEWAY [CURL HEADER ARGS...]: stores the probe entry with the
# given credential, then checks that get returns it with each credential
# the runs will use (AUTH_CHECK: more header args, one per run).
auth_probe() {
	local gw=$1 out
	shift
	run curl -sS -f -X POST -H 'Content-Type: application/json' "$@" \
		-d "{\"dmap\":\"$DMAP\",\"key\":\"$KEY\",\"value\":$VALUE}" "$gw/v1/cache/put" >/dev/null || die "put on $gw failed"
	out=$(curl -sS -f -X POST -H 'Content-Type: application/json' "$@" -d "{\"dmap\":\"$DMAP\",\"key\":\"$KEY\"}" "$gw/v1/cache/get") ||
		die "get on $gw failed"
	[ "$out" = "{\"key\":\"$KEY\",\"value\":$VALUE,\"dmap\":\"$DMAP\"}" ] || die "unexpected get answer from $gw: $out"
	echo "probe entry stored and read back on $gw"
}

# auth_refused GATEWAY: a request without a credential must get 401.
auth_refused() {
	local code
	code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "{\"dmap\":\"$DMAP\",\"key\":\"$KEY\"}" "$1/v1/cache/get")
	[ "$code" = 401 ] || die "$1 answered $code without a credential; authentication is not on"
}

auth_bench() {
	local url cred
	say "auth: cache get without authentication, with a JWT, with an API key (warm and cold)"
	auth_plugins

	auth_gateway auth-none disabled 5s
	auth_probe "$AGW"
	url=$AGW/v1/cache/get
	wrk_measure auth-none "$url" bench/wrk/cache_get_auth.lua "$AUTH_THREADS" "$AUTH_CONNS" "$AUTH_DURATION" "" "${AGW_LABELS[@]}"
	auth_stop_gateway

	auth_gateway auth-required required 5s
	auth_refused "$AGW"
	cred=$(run "$BIN/orama" keys create -config "$AUTH_CONFIG" -namespace bench -name bench -json) || die "orama keys create failed"
	AUTH_KEY=$(grep -o '"key": *"[^"]*"' <<<"$cred" | cut -d'"' -f4)
	[ -n "$AUTH_KEY" ] || die "no key in: $cred"
	AUTH_JWT=$(run curl -sS -f -X POST -H "X-API-Key: $AUTH_KEY" "$AGW/v1/auth/token" | grep -o '"access_token":"[^"]*"' | cut -d'"' -f4)
	[ -n "$AUTH_JWT" ] || die "POST /v1/auth/token gave no access_token"
	echo "API key: ${AUTH_KEY%%:*}… (namespace bench); JWT: ${#AUTH_JWT} bytes"
	auth_probe "$AGW" -H "X-API-Key: $AUTH_KEY"
	auth_probe "$AGW" -H "Authorization: Bearer $AUTH_JWT"
	url=$AGW/v1/cache/get
	wrk_measure auth-jwt "$url" bench/wrk/cache_get_auth.lua "$AUTH_THREADS" "$AUTH_CONNS" "$AUTH_DURATION" "BENCH_AUTH_JWT=$AUTH_JWT" "${AGW_LABELS[@]}"
	wrk_measure auth-key-warm "$url" bench/wrk/cache_get_auth.lua "$AUTH_THREADS" "$AUTH_CONNS" "$AUTH_DURATION" "BENCH_AUTH_KEY=$AUTH_KEY" "${AGW_LABELS[@]}"
	auth_stop_gateway

	auth_gateway auth-cold required 1ns
	auth_refused "$AGW"
	auth_probe "$AGW" -H "X-API-Key: $AUTH_KEY"
	url=$AGW/v1/cache/get
	wrk_measure auth-key-cold "$url" bench/wrk/cache_get_auth.lua "$AUTH_THREADS" "$AUTH_CONNS" "$AUTH_DURATION" "BENCH_AUTH_KEY=$AUTH_KEY" "${AGW_LABELS[@]}"
	auth_stop_gateway
}

auth_summary() {
	local id name
	arow() { printf '%-40s %10s %8s %8s %7s %9s  %-50s %s\n' "$@"; }
	echo "auth: wrk -t$AUTH_THREADS -c$AUTH_CONNS -d$AUTH_DURATION --latency -s bench/wrk/cache_get_auth.lua URL/v1/cache/get, after a $WARMUP warm-up"
	arow "" "req/s" "p50 µs" "p99 µs" "non-2xx" "vs none" "server CPU µs/req" "socket errors"
	for id in auth-none auth-jwt auth-key-warm auth-key-cold; do
		case $id in
		auth-none) name="no auth (auth = \"disabled\")" ;;
		auth-jwt) name="JWT (Authorization: Bearer)" ;;
		auth-key-warm) name="API key, warm (key cache hit)" ;;
		auth-key-cold) name="API key, cold (key_cache_ttl 1ns)" ;;
		esac
		arow "$name" "${R[$id.rps]}" "${R[$id.p50]}" "${R[$id.p99]}" "${R[$id.non2xx]}" \
			"$(awk -v a="${R[$id.rps]}" -v b="${R[auth-none.rps]}" 'BEGIN{printf "%+.1f%%", (a / b - 1) * 100}')" "${R[$id.cpu]}" "${R[$id.sockerr]}"
	done
	echo "JWT cost: $(awk -v a="${R[auth-jwt.rps]}" -v b="${R[auth-none.rps]}" 'BEGIN{printf "%.1f%%", (1 - a / b) * 100}') of the no-auth throughput   (target <= 5%)"
	echo
}
