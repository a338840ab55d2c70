# bench/relay.sh — the floor of an extra process, for scripts/bench.sh, which
# sources it and provides run, die, free_port, PIDS, WORK, TOOLS and GO.
#
# The gateway puts processes between a client and the backend: the host
# and, for rqlite and kubo, the plugin as well. bench/cmd/relay is the
# cheapest such process there can be: mode tcp copies bytes both ways and
# never looks at them; mode http terminates HTTP/1.1 and forwards each
# request (net/http/httputil.ReverseProxy), the least an HTTP gateway does.
# The parts measure the backends through a chain of as many relays as the
# gateway has processes in front of the backend, in the same run as the
# gateway, so the ratio a target asks for can be read against the ratio a
# do-nothing process reaches on this machine.

# relay_chain MODE N TO: starts N relays in MODE (tcp or http), the first
# listening for clients, each forwarding to the next and the last to TO
# (host:port); sets RELAY (http://host:port of the first) and RELAY_PIDS
# ("relay1:PID relay2:PID …", for wrk_measure and storage_xfer).
relay_chain() {
	local mode=$1 n=$2 to=$3 i port pid
	if [ -z "${RELAY_BUILT:-}" ]; then
		run "$GO" build -o "$TOOLS/relay" ./bench/cmd/relay
		RELAY_BUILT=1
	fi
	RELAY_PIDS=""
	for i in $(seq "$n" -1 1); do
		port=$(free_port)
		printf '+ %s\n' "$TOOLS/relay -listen 127.0.0.1:$port -to $to -mode $mode >$WORK/relay-$mode-$port.log 2>&1 &" >&2
		"$TOOLS/relay" -listen "127.0.0.1:$port" -to "$to" -mode "$mode" >"$WORK/relay-$mode-$port.log" 2>&1 &
		pid=$!
		PIDS+=("$pid")
		for _ in $(seq 100); do
			(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
			sleep 0.05
		done
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || die "relay on 127.0.0.1:$port did not start: $(cat "$WORK/relay-$mode-$port.log")"
		RELAY_PIDS="relay$i:$pid${RELAY_PIDS:+ }$RELAY_PIDS"
		to=127.0.0.1:$port
	done
	RELAY=http://$to
	echo "relays ($mode × $n): $RELAY … ($RELAY_PIDS)"
}

# relay_stop: stops the relays of RELAY_PIDS (the last relay_chain's).
relay_stop() {
	local p
	for p in $RELAY_PIDS; do stop "${p#*:}"; done
}
