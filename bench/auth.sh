# bench/auth.sh — the auth part of scripts/bench.sh, which sources it and
# provides what it uses: say, run, die, stop, free_port, wait_http,
# wrk_measure, R, PIDS, WORK, BIN, GO, WARMUP, DMAP, KEY, VALUE and the
# AUTH_* knobs (AUTH_THREADS, AUTH_CONNS, AUTH_DURATION, AUTH_ROUNDS).
#
# What authentication costs on the hottest route, POST /v1/cache/get of one
# entry (embedded Olric), wrk -t$AUTH_THREADS -c$AUTH_CONNS with
# bench/wrk/cache_get_auth.lua. Three gateways with one config (cache,
# database on SQLite, auth; no rate limits; one shared data_dir) differ only
# in the server block:
#
#   none      auth = "disabled": no credential is looked at
#   jwt       auth = "required", Authorization: Bearer <JWT>: verified in
#             the host with the auth plugin's public key (cached)
#   key-warm  the same gateway, X-API-Key: answered by the host's key cache
#             (key_cache_ttl 5s), so the auth plugin sees one call per key
#             per 5 s
#   key-cold  key_cache_ttl = "1ns": every request asks the auth plugin
#             (ValidateAPIKey, a SQLite read through the host API and the
#             database plugin)
#
# All three run at once (an idle gateway costs next to nothing) and the four
# wrk runs take turns, AUTH_ROUNDS times, so load from outside drifting over
# the minutes of the run hits every variant alike; the summary shows the
# median of the rounds and each round's req/s.
#
# The key is made with `orama keys create` (the command starts its own
# database and auth plugins on the gateways' SQLite file), the JWT with
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

# auth_stop_gateway PID LABEL:PID...: stops the gateway and makes sure its
# plugins are gone.
auth_stop_gateway() {
	local lp pid=$1
	shift
	stop "$pid"
	for lp in "$@"; do
		if kill -0 "${lp#*:}" 2>/dev/null; then
			echo "plugin ${lp%%:*} (${lp#*:}) outlived the host; killing it" >&2
			kill -KILL "${lp#*:}" 2>/dev/null || true
		fi
	done
}

# auth_probe GATEWAY [CURL HEADER ARGS...]: stores the probe entry with the
# given credential (none without header args) and checks that get returns
# it with that credential.
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
	local r id v mode ttl cred
	local -A gw=() labels=() pid=()
	say "auth: cache get without authentication, with a JWT, with an API key (warm and cold)"
	auth_plugins
	for v in none:disabled:5s required:required:5s cold:required:1ns; do
		IFS=: read -r id mode ttl <<<"$v"
		auth_gateway "auth-$id" "$mode" "$ttl"
		gw[$id]=$AGW pid[$id]=$AGW_PID labels[$id]="${AGW_LABELS[*]}"
		[ "$id" = required ] && AUTH_REQUIRED_CONFIG=$AUTH_CONFIG
	done
	auth_refused "${gw[required]}"
	auth_refused "${gw[cold]}"

	say "auth: credentials and probe entries"
	cred=$(run "$BIN/orama" keys create -config "$AUTH_REQUIRED_CONFIG" -namespace bench -name bench -json) || die "orama keys create failed"
	AUTH_KEY=$(grep -o '"key": *"[^"]*"' <<<"$cred" | cut -d'"' -f4)
	[ -n "$AUTH_KEY" ] || die "no key in: $cred"
	AUTH_JWT=$(run curl -sS -f -X POST -H "X-API-Key: $AUTH_KEY" "${gw[required]}/v1/auth/token" | grep -o '"access_token":"[^"]*"' | cut -d'"' -f4)
	[ -n "$AUTH_JWT" ] || die "POST /v1/auth/token gave no access_token"
	echo "API key: ${AUTH_KEY%%:*}… (namespace bench); JWT: ${#AUTH_JWT} bytes"
	auth_probe "${gw[none]}"
	auth_probe "${gw[required]}" -H "X-API-Key: $AUTH_KEY"
	auth_probe "${gw[required]}" -H "Authorization: Bearer $AUTH_JWT"
	auth_probe "${gw[cold]}" -H "X-API-Key: $AUTH_KEY"

	for r in $(seq "$AUTH_ROUNDS"); do
		say "auth: round $r of $AUTH_ROUNDS"
		# shellcheck disable=SC2086 # labels are space-separated words
		{
			wrk_measure "auth-none.$r" "${gw[none]}/v1/cache/get" bench/wrk/cache_get_auth.lua "$AUTH_THREADS" "$AUTH_CONNS" "$AUTH_DURATION" "" ${labels[none]}
			wrk_measure "auth-jwt.$r" "${gw[required]}/v1/cache/get" bench/wrk/cache_get_auth.lua "$AUTH_THREADS" "$AUTH_CONNS" "$AUTH_DURATION" "BENCH_AUTH_JWT=$AUTH_JWT" ${labels[required]}
			wrk_measure "auth-key-warm.$r" "${gw[required]}/v1/cache/get" bench/wrk/cache_get_auth.lua "$AUTH_THREADS" "$AUTH_CONNS" "$AUTH_DURATION" "BENCH_AUTH_KEY=$AUTH_KEY" ${labels[required]}
			wrk_measure "auth-key-cold.$r" "${gw[cold]}/v1/cache/get" bench/wrk/cache_get_auth.lua "$AUTH_THREADS" "$AUTH_CONNS" "$AUTH_DURATION" "BENCH_AUTH_KEY=$AUTH_KEY" ${labels[cold]}
		}
	done
	for id in none required cold; do
		# shellcheck disable=SC2086
		auth_stop_gateway "${pid[$id]}" ${labels[$id]#* }
	done
}

# median VALUES...: the median (the lower middle one of an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END{print v[int((NR + 1) / 2)]}'; }

auth_summary() {
	local id name r rps p50 p99 busy non2xx each
	local -A med=()
	arow() { printf '%-36s %9s %8s %8s %7s %8s  %-22s %5s  %s\n' "$@"; }
	echo "auth: wrk -t$AUTH_THREADS -c$AUTH_CONNS -d$AUTH_DURATION --latency -s bench/wrk/cache_get_auth.lua URL/v1/cache/get, after a $WARMUP warm-up;"
	echo "$AUTH_ROUNDS round(s), the four runs taking turns in each; median of the rounds (req/s of each round in brackets);"
	echo "server CPU µs/req of the last round: host + cache + auth + database plugins"
	arow "" "req/s" "p50 µs" "p99 µs" "non-2xx" "vs none" "req/s of each round" "busy" "server CPU µs/req"
	for id in auth-none auth-jwt auth-key-warm auth-key-cold; do
		case $id in
		auth-none) name="no auth (auth = \"disabled\")" ;;
		auth-jwt) name="JWT (Authorization: Bearer)" ;;
		auth-key-warm) name="API key, warm (key cache hit)" ;;
		auth-key-cold) name="API key, cold (key_cache_ttl 1ns)" ;;
		esac
		rps=() p50=() p99=() busy=() non2xx=0 each=""
		for r in $(seq "$AUTH_ROUNDS"); do
			rps+=("${R[$id.$r.rps]}") p50+=("${R[$id.$r.p50]}") p99+=("${R[$id.$r.p99]}") busy+=("${R[$id.$r.busy]:-0}")
			non2xx=$((non2xx + ${R[$id.$r.non2xx]}))
			each+="${each:+ }$(printf '%.0f' "${R[$id.$r.rps]}")"
		done
		med[$id]=$(median "${rps[@]}")
		arow "$name" "${med[$id]}" "$(median "${p50[@]}")" "$(median "${p99[@]}")" "$non2xx" \
			"$(awk -v a="${med[$id]}" -v b="${med[auth-none]}" 'BEGIN{printf "%+.1f%%", (a / b - 1) * 100}')" "[$each]" "$(median "${busy[@]}")%" "${R[$id.$AUTH_ROUNDS.cpu]}"
	done
	echo "busy: all CPUs during the measured runs (median; wrk, the servers and any other process on the machine)"
	echo "JWT cost: $(awk -v a="${med[auth-jwt]}" -v b="${med[auth-none]}" 'BEGIN{printf "%.1f%%", (1 - a / b) * 100}') of the no-auth throughput (median req/s)   (target <= 5%)"
	echo
}
