# bench/pubsub.sh — the pubsub part of scripts/bench.sh, which sources it
# and provides what it uses: say, run, die, stop, free_port, wait_http,
# wait_listening, kind_pid (bench/auth.sh), PIDS, WORK, BIN, GO, TOOLS,
# BENCHTIME and the PUBSUB_* knobs (PUBSUB_SUBS, PUBSUB_RATES, PUBSUB_STEP,
# PUBSUB_PUBLISHERS, PUBSUB_FLUSH_INTERVAL, PUBSUB_SIZE, PUBSUB_ROUNDS, PUBSUB_IDLE_SUBS, PUBSUB_TWO_NODE_SUBS,
# PUBSUB_TWO_NODE_RATE, PUBSUB_TWO_NODE_MSGS).
#
# Issue 10's benchmark, in four steps, with bench/cmd/pubsubload as the
# client (WebSockets of coder/websocket, one goroutine per socket):
#
#   fan-out   PUBSUB_SUBS (1,000) subscribers of one topic on a gateway
#             (bin/orama + the pubsub plugin, local driver; auth required,
#             an API key from `orama keys create`), publishers at the rates
#             of PUBSUB_RATES, PUBSUB_STEP each, until deliveries stop
#             keeping up: deliveries/s and publish→receive p50/p99/max,
#             lost messages, and the CPU of the load generator, the host and
#             the plugin. Publishers are WebSockets of the topic (client
#             frames are published raw; PUBSUB_PUBLISHERS of them, 16 by
#             default: a socket publishes one message per round trip to the
#             plugin, and under this load two sockets cannot offer more than
#             ~110k deliveries/s — the fan-out is what is measured here):
#             cheaper than POST
#             /v1/pubsub/publish, which costs an HTTP request, JSON and a
#             credential check per message.
#   floor     the same load against bench/cmd/pubsubhub: an in-process hub
#             with the same library, routes, frames and write path (batches
#             written corked by host/wscork) and no plugin. The
#             two take turns, PUBSUB_ROUNDS (2) times. Besides deliveries/s,
#             the CPU time per delivery of each process is shown: on a
#             machine shared with other work it is steadier than
#             throughput, and gives the throughput the CPUs would allow.
#   idle      PUBSUB_IDLE_SUBS (10,000) idle subscribers on the gateway: the
#             host's (and plugin's) VmRSS growth per connection.
#   two-node  two gateways whose plugins use the libp2p driver, peered on
#             127.0.0.1 (node 2 dials node 1, whose peer id it reads from
#             node 1's log): PUBSUB_TWO_NODE_SUBS subscribers on node 2, one
#             publisher on node 1, PUBSUB_TWO_NODE_MSGS messages at
#             PUBSUB_TWO_NODE_RATE msg/s: p50/p99/max, lost, duplicates.
#
# Then the plugin's own Go benchmarks (./plugins/pubsub/...: two libp2p
# nodes in one process). The gateways' config raises these limits (the
# defaults are in host/internal/config/doc.go):
#
#   max_connections           4096 → idle subscribers + 2,000: 10,000 sockets
#                             are 10,000 connections
#   max_connections_per_ip     128 → the same: every socket comes from
#                             127.0.0.1
#   max_sockets_per_namespace 10000 → idle subscribers + 1,000: all sockets
#                             are in namespace "bench" (publishers too)
#   send_queue                 256 → 1024 frames per socket: room for the
#                             bursts of a step change at 1,000 sockets;
#                             the hub gets the same (-send-queue)

# pubsub_port prints a free loopback port below the kernel's ephemeral
# range (ip_local_port_range), unlike free_port: thousands of client
# sockets come and go in this part, and a listen port among their local
# ports would fail with "address in use".
pubsub_port() {
	local p lo
	lo=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
	for _ in $(seq 200); do
		p=$((10000 + RANDOM % (lo - 10000)))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && ! grep -q ":$(printf '%04X' "$p") " /proc/net/tcp 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	die "no free port found"
}

# pubsub_plugins sets PS_PLUGIN_{PUBSUB,DATABASE,AUTH}: $BIN/orama-plugin-*
# when there, else built into $WORK/bin.
pubsub_plugins() {
	local k p
	for k in pubsub database auth; do
		p=$BIN/orama-plugin-$k
		if [ ! -x "$p" ]; then
			p=$WORK/bin/orama-plugin-$k
			run "$GO" build -o "$p" "./plugins/$k"
		fi
		printf -v "PS_PLUGIN_${k^^}" '%s' "$p"
		echo "$k plugin: $p"
	done
	"$BIN/orama" keys help >/dev/null 2>&1 || die "$BIN/orama has no keys command: run make build"
}

# pubsub_gateway NAME PUBSUB_CONFIG: starts a gateway (auth required,
# database on SQLite, the pubsub plugin with the given config block body)
# in $WORK/NAME; sets PGW (URL), PGW_PID, PGW_PLUGIN (the pubsub plugin's
# pid), PGW_CONFIG and PGW_KEY (an API key of namespace bench).
pubsub_gateway() {
	local name=$1 body=$2 port cred
	port=$(pubsub_port)
	PGW=http://127.0.0.1:$port
	PGW_CONFIG=$WORK/$name/config.hcl
	mkdir -p "$WORK/$name"
	cat >"$PGW_CONFIG" <<-HCL
	server {
	  listen                 = "127.0.0.1:$port"
	  auth                   = "required"
	  max_connections        = $((PS_IDLE_SUBS + 2000))
	  max_connections_per_ip = $((PS_IDLE_SUBS + 2000))
	  pubsub {
	    max_sockets_per_namespace = $((PS_IDLE_SUBS + 1000))
	    send_queue                = 1024
	    flush_interval            = "${PGW_FLUSH:-0s}"
	  }
	}
	node {
	  id       = "$name"
	  data_dir = "$WORK/$name/data"
	}
	plugin "database" {
	  path = "$PS_PLUGIN_DATABASE"
	  config {
	    driver = "sqlite"
	  }
	}
	plugin "auth" {
	  path = "$PS_PLUGIN_AUTH"
	  config {
	    key_secret = "bench-key-secret-0123456789abcdef0123456789"
	  }
	}
	plugin "pubsub" {
	  path = "$PS_PLUGIN_PUBSUB"
	  config {
$body
	  }
	}
	HCL
	echo "gateway config ($PGW_CONFIG):"
	sed 's/^/    /' "$PGW_CONFIG"
	printf '+ %s\n' "$BIN/orama serve -config $PGW_CONFIG >$WORK/$name.log 2>&1 &" >&2
	"$BIN/orama" serve -config "$PGW_CONFIG" >"$WORK/$name.log" 2>&1 &
	PGW_PID=$!
	PIDS+=("$PGW_PID")
	wait_http "$PGW/v1/health" || { tail -50 "$WORK/$name.log"; exit 1; }
	PGW_PLUGIN=$(kind_pid "$PGW" pubsub)
	[ -n "$PGW_PLUGIN" ] && [ "$PGW_PLUGIN" != 0 ] || die "no pubsub plugin pid in $PGW/v1/health"
	cred=$(run "$BIN/orama" keys create -config "$PGW_CONFIG" -namespace bench -name bench -json) || die "orama keys create failed"
	PGW_KEY=$(grep -o '"key": *"[^"]*"' <<<"$cred" | cut -d'"' -f4)
	[ -n "$PGW_KEY" ] || die "no key in: $cred"
	echo "gateway $PGW (host pid $PGW_PID, pubsub plugin pid $PGW_PLUGIN); API key ${PGW_KEY%%:*}… (namespace bench)"
}

# pubsub_stop_gateway PID PLUGIN_PID: stops a gateway and makes sure its
# pubsub plugin is gone (the other plugins are stopped by the host too).
pubsub_stop_gateway() {
	stop "$1"
	if kill -0 "$2" 2>/dev/null; then
		echo "pubsub plugin $2 outlived the host; killing it" >&2
		kill -KILL "$2" 2>/dev/null || true
	fi
}

# pubsub_peer_addr LOG: the libp2p node's 127.0.0.1 multiaddr with its
# peer id, from the "libp2p pubsub node started" line of a gateway's log.
pubsub_peer_addr() {
	local line id addr
	for _ in $(seq 300); do
		line=$(grep -m1 'libp2p pubsub node started' "$1" || true)
		[ -n "$line" ] && break
		sleep 0.1
	done
	[ -n "$line" ] || die "no 'libp2p pubsub node started' line in $1"
	id=$(grep -o '12D3KooW[1-9A-HJ-NP-Za-km-z]*' <<<"$line" | head -1)
	addr=$(grep -o '/ip4/127\.0\.0\.1/tcp/[0-9]*' <<<"$line" | head -1)
	[ -n "$id" ] && [ -n "$addr" ] || die "no peer id or 127.0.0.1 address in: $line"
	echo "$addr/p2p/$id"
}

pubsub_bench() {
	PS_SUBS=${PUBSUB_SUBS:-1000}
	PS_RATES=${PUBSUB_RATES:-50,100,200,300,400,600,800,1200,1600}
	PS_STEP=${PUBSUB_STEP:-5s}
	PS_PUBLISHERS=${PUBSUB_PUBLISHERS:-16}
	PS_FLUSH=${PUBSUB_FLUSH_INTERVAL:-20ms}
	PS_SIZE=${PUBSUB_SIZE:-64}
	PS_ROUNDS=${PUBSUB_ROUNDS:-2}
	PS_IDLE_SUBS=${PUBSUB_IDLE_SUBS:-10000}
	PS_TWO_SUBS=${PUBSUB_TWO_NODE_SUBS:-100}
	PS_TWO_RATE=${PUBSUB_TWO_NODE_RATE:-200}
	PS_TWO_MSGS=${PUBSUB_TWO_NODE_MSGS:-2000}
	local need load_args

	say "pubsub: build bench tools and plugins"
	mkdir -p "$TOOLS"
	run "$GO" build -o "$TOOLS/pubsubload" ./bench/cmd/pubsubload
	run "$GO" build -o "$TOOLS/pubsubhub" ./bench/cmd/pubsubhub
	pubsub_plugins
	# Each side of the idle step holds PS_IDLE_SUBS sockets (the load
	# generator and the host are separate processes, each with this limit).
	need=$((PS_IDLE_SUBS + 2048))
	if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
		run ulimit -n "$need" 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
	fi
	echo "ulimit -n: $(ulimit -n) (soft), $(ulimit -Hn) (hard); wanted >= $need"
	[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge "$need" ] || die "ulimit -n $(ulimit -n) is below $need: raise the hard limit"

	say "pubsub: start the gateway (local driver; flush_interval $PS_FLUSH, and a second one with 0s) and the in-process hub"
	PGW_FLUSH=$PS_FLUSH pubsub_gateway pubsub-gw '    driver = "local"'
	PS_GW=$PGW PS_GW_PID=$PGW_PID PS_GW_PLUGIN=$PGW_PLUGIN PS_GW_KEY=$PGW_KEY
	PGW_FLUSH=0s pubsub_gateway pubsub-gw0 '    driver = "local"'
	PS_GW0=$PGW PS_GW0_PID=$PGW_PID PS_GW0_PLUGIN=$PGW_PLUGIN PS_GW0_KEY=$PGW_KEY
	PS_HUB_PORT=$(pubsub_port)
	PS_HUB=http://127.0.0.1:$PS_HUB_PORT
	printf '+ %s\n' "$TOOLS/pubsubhub -listen 127.0.0.1:$PS_HUB_PORT -send-queue 1024 >$WORK/pubsubhub.log 2>&1 &" >&2
	"$TOOLS/pubsubhub" -listen "127.0.0.1:$PS_HUB_PORT" -send-queue 1024 >"$WORK/pubsubhub.log" 2>&1 &
	PS_HUB_PID=$!
	PIDS+=("$PS_HUB_PID")
	wait_http "$PS_HUB/v1/health" || { cat "$WORK/pubsubhub.log"; exit 1; }
	echo "hub $PS_HUB (pid $PS_HUB_PID)"

	load_args=(-subs "$PS_SUBS" -rates "$PS_RATES" -step "$PS_STEP" -publishers "$PS_PUBLISHERS" -size "$PS_SIZE")
	# The gateway and the hub take turns, PS_ROUNDS times, so load from
	# outside drifting over the minutes of the run hits both alike.
	local r
	PS_GW_OUTS=() PS_GW0_OUTS=() PS_HUB_OUTS=()
	for r in $(seq "$PS_ROUNDS"); do
		say "pubsub: round $r of $PS_ROUNDS: fan-out through the gateway (uptime: $(uptime | sed 's/.*load average/load average/'))"
		PS_GW_OUTS[r]=$(run "$TOOLS/pubsubload" -url "$PS_GW" -key "$PS_GW_KEY" -topic "fanout-$r" "${load_args[@]}" \
			-pids "host:$PS_GW_PID,plugin:$PS_GW_PLUGIN") || { echo "${PS_GW_OUTS[r]}"; die "pubsubload against the gateway failed"; }
		echo "${PS_GW_OUTS[r]}"
		say "pubsub: round $r of $PS_ROUNDS: fan-out through the gateway with flush_interval 0s (uptime: $(uptime | sed 's/.*load average/load average/'))"
		PS_GW0_OUTS[r]=$(run "$TOOLS/pubsubload" -url "$PS_GW0" -key "$PS_GW0_KEY" -topic "fanout0-$r" "${load_args[@]}" \
			-pids "host:$PS_GW0_PID,plugin:$PS_GW0_PLUGIN") || { echo "${PS_GW0_OUTS[r]}"; die "pubsubload against the gateway (flush_interval 0s) failed"; }
		echo "${PS_GW0_OUTS[r]}"
		say "pubsub: round $r of $PS_ROUNDS: fan-out through the in-process hub (uptime: $(uptime | sed 's/.*load average/load average/'))"
		PS_HUB_OUTS[r]=$(run "$TOOLS/pubsubload" -url "$PS_HUB" -topic "fanout-$r" "${load_args[@]}" \
			-pids "hub:$PS_HUB_PID") || { echo "${PS_HUB_OUTS[r]}"; die "pubsubload against the hub failed"; }
		echo "${PS_HUB_OUTS[r]}"
	done
	stop "$PS_HUB_PID"
	pubsub_stop_gateway "$PS_GW0_PID" "$PS_GW0_PLUGIN"

	say "pubsub: $PS_IDLE_SUBS idle subscribers on the gateway (uptime: $(uptime | sed 's/.*load average/load average/'))"
	sleep 2 # sockets of the fan-out step closed
	PS_IDLE_OUT=$(run "$TOOLS/pubsubload" -url "$PS_GW" -key "$PS_GW_KEY" -topic idle -subs "$PS_IDLE_SUBS" -idle -settle 5s \
		-publishers 1 -pids "host:$PS_GW_PID,plugin:$PS_GW_PLUGIN") || { echo "$PS_IDLE_OUT"; die "pubsubload -idle failed"; }
	echo "$PS_IDLE_OUT"
	pubsub_stop_gateway "$PS_GW_PID" "$PS_GW_PLUGIN"

	say "pubsub: two gateways, libp2p driver, peered on 127.0.0.1"
	local p1 p2 addr1
	p1=$(pubsub_port)
	p2=$(pubsub_port)
	while [ "$p2" = "$p1" ]; do p2=$(pubsub_port); done
	pubsub_gateway pubsub-node1 "    driver = \"libp2p\"
    listen = [\"/ip4/127.0.0.1/tcp/$p1\"]"
	PS_N1=$PGW PS_N1_PID=$PGW_PID PS_N1_PLUGIN=$PGW_PLUGIN PS_N1_KEY=$PGW_KEY
	addr1=$(pubsub_peer_addr "$WORK/pubsub-node1.log")
	echo "node 1 libp2p address: $addr1"
	pubsub_gateway pubsub-node2 "    driver = \"libp2p\"
    listen = [\"/ip4/127.0.0.1/tcp/$p2\"]
    peers  = [\"$addr1\"]"
	PS_N2=$PGW PS_N2_PID=$PGW_PID PS_N2_PLUGIN=$PGW_PLUGIN PS_N2_KEY=$PGW_KEY
	say "pubsub: two-node delivery, $PS_TWO_SUBS subscribers on node 2, publisher on node 1 (uptime: $(uptime | sed 's/.*load average/load average/'))"
	PS_TWO_OUT=$(run "$TOOLS/pubsubload" -url "$PS_N2" -key "$PS_N2_KEY" -pub-url "$PS_N1" -pub-key "$PS_N1_KEY" -topic twonode \
		-subs "$PS_TWO_SUBS" -publishers 1 -rates "$PS_TWO_RATE" -size "$PS_SIZE" \
		-step "$(awk -v n="$PS_TWO_MSGS" -v r="$PS_TWO_RATE" 'BEGIN{printf "%.3fs", n / r}')" \
		-pids "host1:$PS_N1_PID,plugin1:$PS_N1_PLUGIN,host2:$PS_N2_PID,plugin2:$PS_N2_PLUGIN") ||
		{ echo "$PS_TWO_OUT"; die "pubsubload across two nodes failed"; }
	echo "$PS_TWO_OUT"
	pubsub_stop_gateway "$PS_N2_PID" "$PS_N2_PLUGIN"
	pubsub_stop_gateway "$PS_N1_PID" "$PS_N1_PLUGIN"

	say "pubsub: the plugin's Go benchmarks"
	PS_GOBENCH_OUT=$(run "$GO" test -run '^$' -bench . -benchtime "$BENCHTIME" ./plugins/pubsub/... 2>&1) || FAILED+=("./plugins/pubsub/...")
	echo "$PS_GOBENCH_OUT"
}

# pubsub_field LINE KEY: the value of KEY=… in a RESULT line.
pubsub_field() { grep -o "\(^\| \)$2=[^ ]*" <<<"$1" | head -1 | cut -d= -f2-; }

# pubsub_sub VALUE NAME: NAME's number in "a=1,b=2" (cpu= and cpu_us=).
pubsub_sub() { tr , '\n' <<<"$1" | awk -F= -v n="$2" '$1==n{sub(/%$/, "", $2); print $2}'; }

pubsub_summary() {
	local name out line r peak best gw_best=0 hub_best=0 us_host us_plugin us_hub us_load_gw us_load_hub
	echo "pubsub fan-out: $PS_SUBS WebSocket subscribers of one topic, $PS_PUBLISHERS publishers (WebSocket client frames), $PS_SIZE-byte messages, $PS_STEP per rate, until deliveries stop keeping up; $PS_ROUNDS rounds, gateway and hub taking turns"
	printf '  %-20s %6s %10s %11s %8s %8s %8s %7s %4s  %-32s %s\n' "" "msg/s" "offered/s" "delivered/s" "p50 ms" "p99 ms" "max ms" "lost" "kept" "CPU % of one core" "CPU µs per delivery"
	for r in $(seq "$PS_ROUNDS"); do
		for name in gateway gateway-0s hub; do
			case $name in
			gateway) out=${PS_GW_OUTS[r]} ;;
			gateway-0s) out=${PS_GW0_OUTS[r]} ;;
			hub) out=${PS_HUB_OUTS[r]} ;;
			esac
			while read -r line; do
				printf '  %-20s %6s %10s %11s %8s %8s %8s %7s %4s  %-32s %s\n' \
					"$name (round $r)" \
					"$(pubsub_field "$line" rate)" "$(pubsub_field "$line" offered_dps)" "$(pubsub_field "$line" dps)" \
					"$(pubsub_field "$line" p50_ms)" "$(pubsub_field "$line" p99_ms)" "$(pubsub_field "$line" max_ms)" \
					"$(pubsub_field "$line" lost)" "$(pubsub_field "$line" kept_up)" "$(pubsub_field "$line" cpu | tr , ' ')" "$(pubsub_field "$line" cpu_us | tr , ' ')"
			done < <(grep '^RESULT step ' <<<"$out")
		done
	done
	echo "  (gateway = bin/orama (host) + the pubsub plugin, local driver, flush_interval $PS_FLUSH; gateway-0s = the same with flush_interval 0s; hub = bench/cmd/pubsubhub; load = bench/cmd/pubsubload, the load generator, on the same CPUs; lost = not received within 15 s of the step's last publish)"
	for r in $(seq "$PS_ROUNDS"); do
		peak=$(grep '^RESULT peak ' <<<"${PS_GW_OUTS[r]}")
		gw_best=$(awk -v a="$gw_best" -v b="$(pubsub_field "$peak" dps)" 'BEGIN{print (b > a ? b : a)}')
		us_host=$(pubsub_sub "$(pubsub_field "$peak" cpu_us)" host)
		us_plugin=$(pubsub_sub "$(pubsub_field "$peak" cpu_us)" plugin)
		us_load_gw=$(pubsub_sub "$(pubsub_field "$peak" cpu_us)" load)
		echo "  round $r: peak delivered/s: gateway $(pubsub_field "$peak" dps) (at $(pubsub_field "$peak" rate) msg/s; CPU µs per delivery: host $us_host, plugin $us_plugin, load generator $us_load_gw)"
		peak=$(grep '^RESULT peak ' <<<"${PS_HUB_OUTS[r]}")
		hub_best=$(awk -v a="$hub_best" -v b="$(pubsub_field "$peak" dps)" 'BEGIN{print (b > a ? b : a)}')
		us_hub=$(pubsub_sub "$(pubsub_field "$peak" cpu_us)" hub)
		us_load_hub=$(pubsub_sub "$(pubsub_field "$peak" cpu_us)" load)
		echo "           hub $(pubsub_field "$peak" dps) (at $(pubsub_field "$peak" rate) msg/s; CPU µs per delivery: hub $us_hub, load generator $us_load_hub)"
		echo "           CPU per delivery, hub / (host + plugin): $(awk -v h="$us_hub" -v a="$us_host" -v b="$us_plugin" 'BEGIN{printf "%.2f", (a + b > 0 ? h / (a + b) : 0)}') (the throughput ratio when the server is CPU-bound)"
		echo "           deliveries/s the CPU time allows on $(nproc) cores: gateway $(awk -v n="$(nproc)" -v a="$us_host" -v b="$us_plugin" -v l="$us_load_gw" 'BEGIN{printf "%.0f with the load generator, %.0f without", (a+b+l > 0 ? n*1e6/(a+b+l) : 0), (a+b > 0 ? n*1e6/(a+b) : 0)}'); hub $(awk -v n="$(nproc)" -v h="$us_hub" -v l="$us_load_hub" 'BEGIN{printf "%.0f with, %.0f without", (h+l > 0 ? n*1e6/(h+l) : 0), (h > 0 ? n*1e6/h : 0)}')"
	done
	echo "  throughput ratio gateway/hub (best peak delivered/s of the rounds): $gw_best / $hub_best = $(awk -v g="$gw_best" -v h="$hub_best" 'BEGIN{printf "%.2f", (h > 0 ? g / h : 0)}')   (target >= 0.8)"
	for r in $(seq "$PS_ROUNDS"); do
		best=$(grep '^RESULT best ' <<<"${PS_GW_OUTS[r]}")
		if [ "$best" = "RESULT best none" ]; then
			echo "  round $r: gateway: no rate kept up"
		else
			echo "  round $r: gateway, most delivered/s of a rate that kept up: $(pubsub_field "$best" dps) at $(pubsub_field "$best" rate) msg/s, p99 $(pubsub_field "$best" p99_ms) ms"
		fi
		line=$(grep '^RESULT step rate=200 ' <<<"${PS_GW_OUTS[r]}" || true)
		[ -z "$line" ] || echo "  round $r: gateway at 200 msg/s: $(pubsub_field "$line" dps) delivered/s, p99 $(pubsub_field "$line" p99_ms) ms   (target >= 200000/s with p99 < 50 ms: $(awk -v d="$(pubsub_field "$line" dps)" -v p="$(pubsub_field "$line" p99_ms)" 'BEGIN{print (d >= 199000 && p < 50 ? "met" : "not met")}'))"
	done
	echo
	echo "pubsub idle: $PS_IDLE_SUBS subscribers on the gateway (VmRSS growth after 5 s, per subscriber)"
	while read -r line; do
		printf '  %-8s %8s KB per subscriber (VmRSS %s → %s KB)\n' "$(pubsub_field "$line" label)" "$(pubsub_field "$line" per_sub_kb)" \
			"$(pubsub_field "$line" before_kb)" "$(pubsub_field "$line" after_kb)"
	done < <(grep '^RESULT idle ' <<<"$PS_IDLE_OUT")
	echo "  (load = the load generator's own sockets, for comparison)"
	echo
	line=$(grep '^RESULT step ' <<<"$PS_TWO_OUT" | head -1)
	echo "pubsub two-node (libp2p, 127.0.0.1): $(pubsub_field "$line" sent) messages at $(pubsub_field "$line" rate) msg/s published on node 1, $PS_TWO_SUBS subscribers on node 2"
	echo "  p50 $(pubsub_field "$line" p50_ms) ms, p99 $(pubsub_field "$line" p99_ms) ms, max $(pubsub_field "$line" max_ms) ms; lost $(pubsub_field "$line" lost), duplicate or reordered $(pubsub_field "$line" dup); CPU % of one core: $(pubsub_field "$line" cpu | tr , ' ')"
	echo
	echo "pubsub plugin Go benchmarks:"
	grep -E '^Benchmark' <<<"$PS_GOBENCH_OUT" | sed 's/^/  /' || echo "  (none)"
	echo
}
