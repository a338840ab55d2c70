# bench/net.sh — loopback helpers shared by scripts/bench.sh and
# bench/tracing.sh, which source it. The sourcing script defines die.

# free_port prints a loopback TCP port nothing accepts on.
free_port() {
	local p
	for _ in $(seq 200); do
		p=$((20000 + RANDOM % 30000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	die "no free port found"
}

# wait_http URL: until it answers 200; fails after 60 s.
wait_http() {
	for _ in $(seq 600); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ] && return 0
		sleep 0.1
	done
	echo "${0##*/}: $1 did not answer 200 within 60s" >&2
	return 1
}
