# Ports and config.hcl files of scripts/dev.sh (sourced by it).

# Ports of node (or rqlite node) $1, counted from 1.
gw_port() { echo $((DEV_BASE_PORT + $1 - 1)); }
rqlite_http() { echo $((DEV_RQLITE_PORT + 2 * ($1 - 1))); }
rqlite_raft() { echo $((DEV_RQLITE_PORT + 2 * ($1 - 1) + 1)); }
olric_port() { echo $((DEV_OLRIC_PORT + 2 * ($1 - 1))); }
memberlist_port() { echo $((DEV_OLRIC_PORT + 2 * ($1 - 1) + 1)); }
libp2p_port() { echo $((DEV_LIBP2P_PORT + $1 - 1)); }

# hcl_list ITEM...: ["ITEM", "ITEM"]
hcl_list() {
	local out="" item
	for item in "$@"; do out+="${out:+, }\"$item\""; done
	echo "[$out]"
}

# write_configs: DEV_DIR/nodeI/config.hcl for every node. The pubsub node
# keys are made first (scripts/devkey.go) so each config can name the
# others' peer ids; they are kept, and so are the ids, from run to run.
write_configs() {
	local i j keys=() ids=() rqlite=() cache_peers p2p_peers
	for i in $(seq 1 "$NODES"); do keys+=("$DEV_DIR/node$i/data/pubsub/node.key"); done
	mapfile -t ids < <(cd "$ROOT" && go run ./scripts/devkey.go "${keys[@]}")
	((${#ids[@]} == NODES)) || die "scripts/devkey.go gave ${#ids[@]} peer ids for $NODES nodes"
	for i in $(seq 1 "$RQLITE_NODES"); do rqlite+=("http://127.0.0.1:$(rqlite_http "$i")"); done
	for i in $(seq 1 "$NODES"); do
		cache_peers=() p2p_peers=()
		for j in $(seq 1 "$NODES"); do
			if ((j == i)); then continue; fi
			# Node 1 starts alone and founds the Olric cluster; the others
			# join it (and whichever other member is up).
			if ((i > 1)); then cache_peers+=("127.0.0.1:$(memberlist_port "$j")"); fi
			p2p_peers+=("/ip4/127.0.0.1/tcp/$(libp2p_port "$j")/p2p/${ids[j - 1]}")
		done
		node_config "$i" "$(hcl_list "${cache_peers[@]}")" "$(hcl_list "${rqlite[@]}")" \
			"$(hcl_list "${p2p_peers[@]}")" >"$DEV_DIR/node$i/config.hcl"
		echo "${ids[i - 1]}" >"$DEV_DIR/node$i/peer_id"
	done
}

# node_config I CACHE_PEERS RQLITE_HOSTS PUBSUB_PEERS: node I's config.hcl.
node_config() {
	cat <<EOF
# Node $1 of the local cluster, written by scripts/dev.sh at each start
# (make dev): edits here are overwritten. Reference: README.md.
server {
  listen           = "127.0.0.1:$(gw_port "$1")"
  cors_origins     = ["*"]
  auth             = "required"
  shutdown_timeout = "5s"
}
node {
  id       = "node-$1"
  data_dir = "./data"
}
plugin "cache" {
  path = "$DEV_BIN/orama-plugin-cache"
  config {
    mode            = "embedded"
    bind_addr       = "127.0.0.1"
    bind_port       = $(olric_port "$1")
    memberlist_port = $(memberlist_port "$1")
    peers           = $2
  }
}
plugin "database" {
  path = "$DEV_BIN/orama-plugin-database"
  config {
    driver = "rqlite"
    hosts  = $3
  }
}
plugin "storage" {
  path = "$DEV_BIN/orama-plugin-storage"
  config {
    driver   = "kubo"   # one kubo holds every node's bytes; pins (the registry) stay per node
    kubo_api = "http://127.0.0.1:$DEV_KUBO_PORT"
  }
}
plugin "auth" {
  path = "$DEV_BIN/orama-plugin-auth"
  config {
    key_secret_file = "$DEV_DIR/key_secret"   # the same file on every node
  }
}
plugin "pubsub" {
  path = "$DEV_BIN/orama-plugin-pubsub"
  config {
    driver = "libp2p"
    listen = ["/ip4/127.0.0.1/tcp/$(libp2p_port "$1")"]
    peers  = $4
  }
}
plugin "serverless" {
  path = "$DEV_BIN/orama-plugin-serverless"
  config {
    key_secret_file = "$DEV_DIR/key_secret"
  }
}
EOF
}
