#!/usr/bin/env bash
# A local Orama cluster on this machine: `make dev` runs `scripts/dev.sh
# start`, `make stop` runs `scripts/dev.sh stop`. See README.md, "Local
# cluster (make dev)".
#
# It starts, all on 127.0.0.1 and all under $DEV_DIR (default .dev/):
#   kubo/      one kubo (ipfs) daemon, offline, shared by every node's storage
#   rqliteN/   min(3, NODES) rqlited nodes forming one rqlite cluster
#   nodeN/     NODES gateways (orama serve): config.hcl, data/, orama.log;
#              cache members peered (Olric), pubsub peered over libp2p,
#              the database on the rqlite cluster, auth on every node with
#              one key_secret file, so keys and tokens work on every node
# Each started process runs in a session of its own (setsid) whose id is
# written to <folder>/pid; stop signals those sessions, so a gateway's
# plugins go with it even after its host was killed.
#
# Environment (defaults in brackets):
#   NODES [3]  DEV_DIR [.dev]  DEV_BIN [bin]  DEV_RQLITED [.tools/bin/rqlited]
#   DEV_IPFS [.tools/bin/ipfs]  DEV_WAIT [90] seconds each readiness wait may take
#   port bases, node i (from 1) uses:
#   DEV_BASE_PORT   [6001]  gateway HTTP        base+i-1
#   DEV_RQLITE_PORT [4001]  rqlite HTTP, Raft   base+2(i-1), base+2(i-1)+1
#   DEV_OLRIC_PORT  [3320]  Olric, memberlist   base+2(i-1), base+2(i-1)+1
#   DEV_LIBP2P_PORT [4101]  libp2p pubsub       base+i-1
#   DEV_KUBO_PORT   [5101]  kubo API, gateway, swarm: base, base+1, base+2
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NODES=${NODES:-3}
DEV_DIR=${DEV_DIR:-$ROOT/.dev}
DEV_BIN=${DEV_BIN:-$ROOT/bin}
DEV_RQLITED=${DEV_RQLITED:-$ROOT/.tools/bin/rqlited}
DEV_IPFS=${DEV_IPFS:-$ROOT/.tools/bin/ipfs}
DEV_WAIT=${DEV_WAIT:-90}
DEV_BASE_PORT=${DEV_BASE_PORT:-6001}
DEV_RQLITE_PORT=${DEV_RQLITE_PORT:-4001}
DEV_OLRIC_PORT=${DEV_OLRIC_PORT:-3320}
DEV_LIBP2P_PORT=${DEV_LIBP2P_PORT:-4101}
DEV_KUBO_PORT=${DEV_KUBO_PORT:-5101}
PLUGINS=(cache database storage auth pubsub serverless)

say() { echo "dev: $*"; }
die() { echo "dev: error: $*" >&2; exit 1; }

source "$ROOT/scripts/dev_procs.sh"
source "$ROOT/scripts/dev_config.sh"

# --- checks ---------------------------------------------------------------

check_numbers() {
	local v
	for v in NODES DEV_WAIT DEV_BASE_PORT DEV_RQLITE_PORT DEV_OLRIC_PORT DEV_LIBP2P_PORT DEV_KUBO_PORT; do
		[[ ${!v} =~ ^[0-9]+$ ]] || die "$v=${!v} is not a number"
	done
	((NODES >= 1 && NODES <= 50)) || die "NODES=$NODES: choose 1 to 50"
	RQLITE_NODES=$((NODES < 3 ? NODES : 3))
}

check_tools() {
	local f
	for f in "$DEV_BIN/orama" "${PLUGINS[@]/#/$DEV_BIN/orama-plugin-}"; do
		[[ -x $f ]] || die "$f is missing: run make build (make dev does)"
	done
	[[ -x $DEV_RQLITED ]] || die "$DEV_RQLITED is missing: run make tools-rqlited"
	[[ -x $DEV_IPFS ]] || die "$DEV_IPFS is missing: run make tools-kubo"
	command -v go >/dev/null || die "go is not on PATH (it computes the pubsub peer ids)"
	command -v curl >/dev/null || die "curl is not on PATH (it checks readiness)"
	command -v setsid >/dev/null || die "setsid is not on PATH (util-linux)"
}

# port_in_use PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# check_ports: every port of the layout is free, else one error naming
# each busy port and the variable that moves its range.
check_ports() {
	local i busy=()
	want() { port_in_use "$1" && busy+=("$1 ($2; move with $3)") || true; }
	for i in $(seq 1 "$NODES"); do
		want "$(gw_port "$i")" "gateway $i" DEV_BASE_PORT
		want "$(olric_port "$i")" "Olric $i" DEV_OLRIC_PORT
		want "$(memberlist_port "$i")" "memberlist $i" DEV_OLRIC_PORT
		want "$(libp2p_port "$i")" "libp2p $i" DEV_LIBP2P_PORT
	done
	for i in $(seq 1 "$RQLITE_NODES"); do
		want "$(rqlite_http "$i")" "rqlite $i HTTP" DEV_RQLITE_PORT
		want "$(rqlite_raft "$i")" "rqlite $i Raft" DEV_RQLITE_PORT
	done
	for i in 0 1 2; do want $((DEV_KUBO_PORT + i)) kubo DEV_KUBO_PORT; done
	if ((${#busy[@]})); then
		printf 'dev: error: port in use: %s\n' "${busy[@]}" >&2
		exit 1
	fi
}

# check_layout: the rqlite cluster kept in DEV_DIR was made for these
# nodes and ports (Raft remembers its members' addresses).
check_layout() {
	local want="rqlite_nodes=$RQLITE_NODES rqlite_port=$DEV_RQLITE_PORT" file="$DEV_DIR/layout"
	if [[ -f $file && $(<"$file") != "$want" ]]; then
		die "$DEV_DIR holds a cluster made with $(<"$file"), not $want; use those values, or make stop && rm -rf $DEV_DIR for a new one"
	fi
	echo "$want" >"$file"
}

# --- start ----------------------------------------------------------------

start_kubo() {
	local dir="$DEV_DIR/kubo" api=$DEV_KUBO_PORT
	ipfs() { env IPFS_TELEMETRY=off "$DEV_IPFS" --repo-dir "$dir/repo" "$@" >>"$dir/setup.log" 2>&1; }
	mkdir -p "$dir"
	if [[ ! -f $dir/repo/config ]]; then
		say "kubo: new repository in $dir/repo (offline, loopback only)"
		ipfs init --profile=test
		ipfs config Routing.Type none
		ipfs config --json Bootstrap '[]'
		ipfs config --json Discovery.MDNS.Enabled false
		ipfs config --json AutoConf.Enabled false
		ipfs config --json AutoTLS.Enabled false
		ipfs config Plugins.Plugins.telemetry.Config.Mode off
		ipfs config --json Provide.Enabled false
	fi
	ipfs config Addresses.API "/ip4/127.0.0.1/tcp/$api"
	ipfs config Addresses.Gateway "/ip4/127.0.0.1/tcp/$((api + 1))"
	ipfs config --json Addresses.Swarm "[\"/ip4/127.0.0.1/tcp/$((api + 2))\"]"
	launch "$dir" "$dir/kubo.log" env IPFS_TELEMETRY=off "$DEV_IPFS" --repo-dir "$dir/repo" daemon --offline
	wait_ready "$dir" "kubo API 127.0.0.1:$api" -X POST "http://127.0.0.1:$api/api/v0/id"
}

start_rqlite() {
	local i dir args fresh=1
	if [[ -d $DEV_DIR/rqlite1/data ]]; then fresh=0; fi
	for i in $(seq 1 "$RQLITE_NODES"); do
		dir="$DEV_DIR/rqlite$i"
		mkdir -p "$dir"
		args=(-node-id "$i" -http-addr "127.0.0.1:$(rqlite_http "$i")" -raft-addr "127.0.0.1:$(rqlite_raft "$i")" -fk)
		if ((i > 1)); then args+=(-join "127.0.0.1:$(rqlite_raft 1)"); fi
		say "rqlite $i: HTTP 127.0.0.1:$(rqlite_http "$i"), Raft 127.0.0.1:$(rqlite_raft "$i")"
		launch "$dir" "$dir/rqlited.log" "$DEV_RQLITED" "${args[@]}" "$dir/data"
		# A new cluster: the first node bootstraps before the others join.
		# A kept one: all start together (a lone member has no quorum).
		if ((i == 1 && fresh)); then wait_ready "$dir" "rqlite 1" "http://127.0.0.1:$(rqlite_http 1)/readyz"; fi
	done
	for i in $(seq $((1 + fresh)) "$RQLITE_NODES"); do
		wait_ready "$DEV_DIR/rqlite$i" "rqlite $i" "http://127.0.0.1:$(rqlite_http "$i")/readyz"
	done
}

# start_node I: launch gateway I (its config is written already).
start_node() {
	local dir="$DEV_DIR/node$1"
	say "gateway $1: http://127.0.0.1:$(gw_port "$1") (Olric $(olric_port "$1"), memberlist $(memberlist_port "$1"), libp2p $(libp2p_port "$1"))"
	launch "$dir" "$dir/orama.log" "$DEV_BIN/orama" serve -config "$dir/config.hcl"
}

wait_node() {
	wait_ready "$DEV_DIR/node$1" "gateway $1" "http://127.0.0.1:$(gw_port "$1")/v1/health"
}

# api_key: the key of namespace "dev" in DEV_DIR/api_key, made through
# node 1's config the first time (and again if it stopped working).
api_key() {
	local file="$DEV_DIR/api_key" url out key
	url="http://127.0.0.1:$(gw_port 1)/v1/auth/whoami"
	if [[ -s $file ]] && curl -fsS -o /dev/null -H "X-API-Key: $(<"$file")" "$url" 2>/dev/null; then
		return
	fi
	say "creating an API key for namespace dev (orama keys create on node 1's config)"
	out=$("$DEV_BIN/orama" keys create -config "$DEV_DIR/node1/config.hcl" --namespace dev -name dev -json 2>"$DEV_DIR/keys.log") ||
		die "orama keys create failed: $(cat "$DEV_DIR/keys.log")"
	# the "key" field of its JSON answer: "key": "ak_…:dev",
	key=$(sed -n 's/^ *"key": *"\([^"]*\)".*/\1/p' <<<"$out")
	[[ $key == ak_* ]] || die "no key in the answer of orama keys create: $out"
	(umask 077 && echo "$key" >"$file")
}

start() {
	check_numbers
	check_tools
	mkdir -p "$DEV_DIR"
	DEV_DIR=$(cd "$DEV_DIR" && pwd)
	exec 9>"$DEV_DIR/.lock"
	flock -n 9 || die "another make dev or make stop is working on $DEV_DIR"
	if report_running; then
		exit 0
	fi
	check_layout
	check_ports
	trap 'on_exit $?' EXIT
	say "state and logs in $DEV_DIR"
	if [[ ! -s $DEV_DIR/key_secret ]]; then
		(umask 077 && head -c 48 /dev/urandom | base64 -w0 >"$DEV_DIR/key_secret")
	fi
	start_kubo
	start_rqlite
	write_configs
	start_node 1
	wait_node 1 # the first Olric member; the others join it
	local i
	for i in $(seq 2 "$NODES"); do start_node "$i"; done
	for i in $(seq 2 "$NODES"); do wait_node "$i"; done
	api_key
	STARTED=1
	summary
}

# on_exit: a start that did not finish stops what it started.
on_exit() {
	if [[ ${STARTED:-0} != 1 ]]; then
		echo "dev: start failed (exit $1); stopping what was started; logs stay in $DEV_DIR" >&2
		stop_all || true
	fi
}

summary() {
	local i
	echo
	say "cluster of $NODES gateway(s) is up (rqlite: $RQLITE_NODES node(s), kubo: 1, shared)"
	for i in $(seq 1 "$NODES"); do echo "  node $i  http://127.0.0.1:$(gw_port "$i")   log $DEV_DIR/node$i/orama.log"; done
	echo "  API key (namespace dev, also in $DEV_DIR/api_key):"
	echo "    $(<"$DEV_DIR/api_key")"
	echo "  try: curl -s -H \"X-API-Key: \$(cat $DEV_DIR/api_key)\" http://127.0.0.1:$(gw_port 1)/v1/auth/whoami"
	if [[ $DEV_DIR == "$ROOT/.dev" ]]; then
		echo "  stop: make stop"
	else
		echo "  stop: DEV_DIR=$DEV_DIR make stop"
	fi
}

case ${1:-start} in
start) start ;;
stop)
	if [[ -d $DEV_DIR ]]; then
		DEV_DIR=$(cd "$DEV_DIR" && pwd)
		exec 9>"$DEV_DIR/.lock"
		flock -w 120 9 || die "another make dev or make stop is working on $DEV_DIR"
	fi
	stop_all
	;;
*) die "usage: scripts/dev.sh start|stop" ;;
esac
