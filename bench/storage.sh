# bench/storage.sh — the storage part of scripts/bench.sh, which sources it
# and provides what it uses: say, run, die, stop, free_port, wait_http,
# plugin_pid, cpu_ticks, PIDS, WORK, BIN, TOOLS, GO and the STORAGE_* knobs.
#
# Three ways to store and read back the same sizes of random bytes
# (STORAGE_SIZES, MiB; STORAGE_REPS runs of each, every run with fresh
# bytes so nothing deduplicates), with curl from files in the page cache:
#
#   kubo        a real offline kubo (.tools/bin/ipfs, make tools-kubo),
#               configured as BACKENDS.md says (--profile=test: its flatfs
#               does not fsync): POST /api/v0/add?pin=true (multipart),
#               POST /api/v0/cat?arg=CID.
#   gw-kubo     the gateway with the storage plugin's kubo driver on that
#               same kubo: POST /v1/storage/upload (multipart),
#               GET /v1/storage/get/CID. Same backend as "kubo", so the
#               ratio is what the gateway path costs (HTTP → host → gRPC
#               over go-plugin's mTLS → plugin → kubo's RPC API).
#   gw-embedded the gateway with the embedded driver (boxo blockstore in
#               the plugin; its flatfs fsyncs every block).
#   kubo-relay  kubo through two tcp relays (bench/relay.sh: processes that
#               copy bytes and do nothing else, as many as the gateway puts
#               in front of kubo): the floor of any two-process path.
#   kubo-http   kubo through two http relays (reverse proxies that forward
#               each request and stream its body): the floor of two
#               processes that terminate HTTP.
#
# MB/s is bytes / curl's time_total (median of the runs); CPU is the
# user+system time of the target's processes per MiB moved, in all and
# for each process (host, plugin, kubo), which holds up better than wall
# time on a busy machine. Peak RSS is VmHWM of
# each process at the end (the peak since it started, so it covers the
# largest transfer). The CIDs of kubo and both gateways must agree.
# Then the in-process floor (the storage plugin's own BenchmarkEmbedded*,
# 1 MiB, when present) and the e2e large-file test through the gateway
# (STORAGE_STREAM_BYTES, default 2 GiB: sha256 checked, peak RSS bounded).

# storage_files SIZE REP: creates the four files of a run (one for kubo
# and gw-embedded, one each for gw-kubo, kubo-relay and kubo-http, which
# share kubo's blockstore) and sets SF_A, SF_B, SF_C, SF_D.
storage_files() {
	local size=$1 rep=$2
	SF_A=$WORK/files/$size-$rep-a.bin
	SF_B=$WORK/files/$size-$rep-b.bin
	SF_C=$WORK/files/$size-$rep-c.bin
	SF_D=$WORK/files/$size-$rep-d.bin
	head -c $((size << 20)) /dev/urandom >"$SF_A"
	head -c $((size << 20)) /dev/urandom >"$SF_B"
	head -c $((size << 20)) /dev/urandom >"$SF_C"
	head -c $((size << 20)) /dev/urandom >"$SF_D"
}

# storage_kubo: starts the offline kubo daemon; sets KUBO, KUBO_PID.
storage_kubo() {
	local api gw swarm
	api=$(free_port)
	gw=$(free_port)
	swarm=$(free_port)
	export IPFS_PATH=$WORK/kubo IPFS_TELEMETRY=off
	run "$TOOLS/ipfs" init --profile=test >/dev/null
	run "$TOOLS/ipfs" config Addresses.API "/ip4/127.0.0.1/tcp/$api"
	run "$TOOLS/ipfs" config Addresses.Gateway "/ip4/127.0.0.1/tcp/$gw"
	run "$TOOLS/ipfs" config --json Addresses.Swarm "[\"/ip4/127.0.0.1/tcp/$swarm\"]"
	run "$TOOLS/ipfs" config Routing.Type none
	run "$TOOLS/ipfs" config --json Bootstrap '[]'
	run "$TOOLS/ipfs" config --json Discovery.MDNS.Enabled false
	run "$TOOLS/ipfs" config --json AutoConf.Enabled false
	run "$TOOLS/ipfs" config --json AutoTLS.Enabled false
	run "$TOOLS/ipfs" config Plugins.Plugins.telemetry.Config.Mode off
	run "$TOOLS/ipfs" config --json Provide.Enabled false
	printf '+ %s\n' "IPFS_PATH=$IPFS_PATH $TOOLS/ipfs daemon --offline >$WORK/kubo.log 2>&1 &" >&2
	"$TOOLS/ipfs" daemon --offline >"$WORK/kubo.log" 2>&1 &
	KUBO_PID=$!
	PIDS+=("$KUBO_PID")
	KUBO=http://127.0.0.1:$api
	for _ in $(seq 600); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$KUBO/api/v0/id" || true)" = 200 ] && break
		sleep 0.1
	done
	[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$KUBO/api/v0/id" || true)" = 200 ] || { tail -30 "$WORK/kubo.log"; die "kubo did not start"; }
	echo "kubo $KUBO (pid $KUBO_PID, $("$TOOLS/ipfs" version))"
}

# storage_gateway NAME ATTRS: starts a gateway whose storage plugin has
# the config attributes ATTRS; sets SGW, SGW_PID, SPLUGIN_PID.
storage_gateway() {
	local name=$1 attrs=$2 port
	port=$(free_port)
	SGW=http://127.0.0.1:$port
	mkdir -p "$WORK/$name"
	cat >"$WORK/$name/config.hcl" <<-HCL
	server {
	  listen = "127.0.0.1:$port"
	}
	node {
	  id       = "bench"
	  data_dir = "$WORK/$name/data"
	}
	plugin "storage" {
	  path = "$STORAGE_PLUGIN"
	  config {
	$attrs
	  }
	}
	HCL
	echo "gateway config ($WORK/$name/config.hcl):"
	sed 's/^/    /' "$WORK/$name/config.hcl"
	printf '+ %s\n' "$BIN/orama serve -config $WORK/$name/config.hcl >$WORK/$name.log 2>&1 &" >&2
	"$BIN/orama" serve -config "$WORK/$name/config.hcl" >"$WORK/$name.log" 2>&1 &
	SGW_PID=$!
	PIDS+=("$SGW_PID")
	wait_http "$SGW/v1/health" || { tail -50 "$WORK/$name.log"; exit 1; }
	SPLUGIN_PID=$(plugin_pid "$SGW")
	[ -n "$SPLUGIN_PID" ] && [ "$SPLUGIN_PID" != 0 ] || die "no plugin pid in $SGW/v1/health"
	echo "gateway $SGW (host pid $SGW_PID, storage plugin pid $SPLUGIN_PID)"
}

# storage_xfer TARGET DIR SIZE PROCS CURL-ARGS...: one transfer with curl;
# appends its MB/s to S[TARGET.DIR.SIZE.mbs] and adds the CPU ticks of
# each process of PROCS ("ROLE:PID ...", roles host, plugin, kubo) to
# S[TARGET.DIR.SIZE.cpu.ROLE] and their sum to S[TARGET.DIR.SIZE.cpu].
# The answer is in $WORK/answer.
declare -A S
storage_xfer() {
	local target=$1 dir=$2 size=$3 procs=$4 t p
	shift 4
	local -A before
	for p in $procs; do before[$p]=$(cpu_ticks "${p#*:}"); done
	t=$(run curl -sS -f -o "$WORK/answer" -w '%{time_total}' "$@") || die "$target $dir of $size MiB failed: $(cat "$WORK/answer" 2>/dev/null)"
	local key=$target.$dir.$size d
	for p in $procs; do
		d=$(($(cpu_ticks "${p#*:}") - before[$p]))
		S[$key.cpu.${p%%:*}]=$((${S[$key.cpu.${p%%:*}]:-0} + d))
		S[$key.cpu]=$((${S[$key.cpu]:-0} + d))
	done
	S[$key.mbs]+="$(awk -v s="$size" -v t="$t" 'BEGIN{printf "%.1f", s * 1.048576 / t}') "
	S[$key.n]=$((${S[$key.n]:-0} + 1))
}

# storage_cid: the CID in $WORK/answer (ours: "cid", kubo's: "Hash").
storage_cid() { grep -o '"\(cid\|Hash\)":"[^"]*"' "$WORK/answer" | head -1 | cut -d'"' -f4; }

storage_bench() {
	[ -x "$TOOLS/ipfs" ] || die "$TOOLS/ipfs is missing: run make tools-kubo"
	STORAGE_PLUGIN=$BIN/orama-plugin-storage
	if [ ! -x "$STORAGE_PLUGIN" ]; then
		STORAGE_PLUGIN=$WORK/bin/orama-plugin-storage
		run "$GO" build -o "$STORAGE_PLUGIN" ./plugins/storage
	fi
	echo "storage plugin: $STORAGE_PLUGIN ($(date -u -r "$STORAGE_PLUGIN" +%Y-%m-%dT%H:%M:%SZ))"
	mkdir -p "$WORK/files"

	say "storage: start kubo and two gateways"
	storage_kubo
	storage_gateway storage-embedded '    driver = "embedded"'
	local emb=$SGW emb_host=$SGW_PID emb_plugin=$SPLUGIN_PID
	storage_gateway storage-kubo "    driver   = \"kubo\"
	    kubo_api = \"$KUBO\""
	local gk=$SGW gk_host=$SGW_PID gk_plugin=$SPLUGIN_PID
	relay_chain tcp 2 "${KUBO#http://}"
	# In the CPU columns the first relay stands where the host does and the
	# second where the plugin does.
	local kr=$RELAY kr_procs="kubo:$KUBO_PID ${RELAY_PIDS/relay1:/host:}"
	kr_procs=${kr_procs/relay2:/plugin:}
	local kr_pids=$RELAY_PIDS
	relay_chain http 2 "${KUBO#http://}"
	local kh=$RELAY kh_procs="kubo:$KUBO_PID ${RELAY_PIDS/relay1:/host:}"
	kh_procs=${kh_procs/relay2:/plugin:}
	local kh_pids=$RELAY_PIDS

	local -a sizes reps
	read -ra sizes <<<"$STORAGE_SIZES"
	read -ra reps <<<"$STORAGE_REPS"
	local i size rep cid_a cid_b cid_c cid_d c p
	for i in "${!sizes[@]}"; do
		size=${sizes[$i]}
		say "storage: $size MiB, ${reps[$i]:-1} run(s)"
		for rep in $(seq "${reps[$i]:-1}"); do
			storage_files "$size" "$rep"
			# Uploads, in an order that changes from run to run.
			storage_xfer kubo up "$size" "kubo:$KUBO_PID" -X POST -F "file=@$SF_A" "$KUBO/api/v0/add?pin=true&quieter=true"
			cid_a=$(storage_cid)
			storage_xfer kubo-relay up "$size" "$kr_procs" -X POST -F "file=@$SF_C" "$kr/api/v0/add?pin=true&quieter=true"
			cid_c=$(storage_cid)
			storage_xfer kubo-http up "$size" "$kh_procs" -X POST -F "file=@$SF_D" "$kh/api/v0/add?pin=true&quieter=true"
			cid_d=$(storage_cid)
			if [ $((rep % 2)) = 1 ]; then
				storage_xfer gw-embedded up "$size" "host:$emb_host plugin:$emb_plugin" -F "file=@$SF_A" "$emb/v1/storage/upload"
				c=$(storage_cid)
				storage_xfer gw-kubo up "$size" "host:$gk_host plugin:$gk_plugin kubo:$KUBO_PID" -F "file=@$SF_B" "$gk/v1/storage/upload"
				cid_b=$(storage_cid)
			else
				storage_xfer gw-kubo up "$size" "host:$gk_host plugin:$gk_plugin kubo:$KUBO_PID" -F "file=@$SF_B" "$gk/v1/storage/upload"
				cid_b=$(storage_cid)
				storage_xfer gw-embedded up "$size" "host:$emb_host plugin:$emb_plugin" -F "file=@$SF_A" "$emb/v1/storage/upload"
				c=$(storage_cid)
			fi
			[ "$c" = "$cid_a" ] || die "CID mismatch for $SF_A: kubo $cid_a, gateway (embedded) $c"
			# Downloads.
			storage_xfer kubo down "$size" "kubo:$KUBO_PID" -X POST "$KUBO/api/v0/cat?arg=$cid_a"
			storage_xfer kubo-relay down "$size" "$kr_procs" -X POST "$kr/api/v0/cat?arg=$cid_c"
			cmp -s "$WORK/answer" "$SF_C" || die "kubo through the relays returned other bytes for $cid_c"
			storage_xfer kubo-http down "$size" "$kh_procs" -X POST "$kh/api/v0/cat?arg=$cid_d"
			cmp -s "$WORK/answer" "$SF_D" || die "kubo through the http relays returned other bytes for $cid_d"
			storage_xfer gw-embedded down "$size" "host:$emb_host plugin:$emb_plugin" "$emb/v1/storage/get/$cid_a"
			cmp -s "$WORK/answer" "$SF_A" || die "gw-embedded returned other bytes for $cid_a"
			storage_xfer gw-kubo down "$size" "host:$gk_host plugin:$gk_plugin kubo:$KUBO_PID" "$gk/v1/storage/get/$cid_b"
			cmp -s "$WORK/answer" "$SF_B" || die "gw-kubo returned other bytes for $cid_b"
			rm -f "$SF_A" "$SF_B" "$SF_C" "$SF_D" "$WORK/answer"
		done
	done

	say "storage: peak RSS (VmHWM) after every transfer"
	STORAGE_RSS=$(printf '%-34s %10s\n' "process" "VmHWM MB"
		printf '%-34s %10s\n' "gw-embedded host (bin/orama)" "$(hwm_mb "$emb_host")"
		printf '%-34s %10s\n' "gw-embedded storage plugin" "$(hwm_mb "$emb_plugin")"
		printf '%-34s %10s\n' "gw-kubo host (bin/orama)" "$(hwm_mb "$gk_host")"
		printf '%-34s %10s\n' "gw-kubo storage plugin" "$(hwm_mb "$gk_plugin")"
		printf '%-34s %10s\n' "kubo daemon" "$(hwm_mb "$KUBO_PID")")
	echo "$STORAGE_RSS"
	stop "$emb_host"
	stop "$gk_host"
	RELAY_PIDS="$kr_pids $kh_pids" relay_stop
	stop "$KUBO_PID"
	for p in "$emb_plugin" "$gk_plugin"; do
		if kill -0 "$p" 2>/dev/null; then
			echo "plugin $p outlived its host; killing it" >&2
			kill -KILL "$p" 2>/dev/null || true
		fi
	done
	rm -rf "$WORK/kubo" "$WORK/storage-embedded" "$WORK/storage-kubo"

	say "storage: the embedded driver in-process (the plugin's own benchmarks)"
	if grep -qs '^func BenchmarkEmbedded' plugins/storage/ipfs/*_test.go; then
		STORAGE_INPROC=$(run "$GO" test -run '^$' -bench 'BenchmarkEmbedded' -benchtime "$BENCHTIME" ./plugins/storage/ipfs/ 2>&1) || FAILED+=("./plugins/storage/ipfs (BenchmarkEmbedded)")
	else
		STORAGE_INPROC="(no BenchmarkEmbedded* in ./plugins/storage/ipfs yet)"
	fi
	echo "$STORAGE_INPROC"

	say "storage: $((STORAGE_STREAM_BYTES >> 20)) MiB up and down through the gateway (e2e, peak RSS)"
	STORAGE_STREAM=$(ORAMA_E2E_STREAM_BYTES=$STORAGE_STREAM_BYTES run "$GO" test -count=1 -timeout 30m -v -run '^TestStorageStreamLarge$' ./host/e2e/ 2>&1) ||
		FAILED+=("TestStorageStreamLarge ($STORAGE_STREAM_BYTES bytes)")
	echo "$STORAGE_STREAM" | grep -E 'storage_stream_test|^(--- |ok|FAIL|PASS)'
}

# hwm_mb PID: VmHWM in MB (1 decimal).
hwm_mb() { awk '/^VmHWM:/{printf "%.1f", $2/1024}' "/proc/$1/status"; }

# median "V1 V2 ...": the median of the values.
storage_median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{v[NR]=$1} END{if (NR % 2) print v[(NR+1)/2]; else printf "%.1f\n", (v[NR/2]+v[NR/2+1])/2}'; }

storage_summary() {
	local -a sizes
	read -ra sizes <<<"$STORAGE_SIZES"
	local size dir target key mbs hz
	hz=$(getconf CLK_TCK)
	srow() { printf '%-8s %-5s %-12s %10s %-40s %10s %8s %8s %8s\n' "$@"; }
	# ms of CPU per MiB moved: cpuper KEY (the sum) or KEY.ROLE.
	cpuper() { [ -n "${S[$1]:-}" ] || { echo -; return; }; awk -v t="${S[$1]:-0}" -v hz="$hz" -v n="${S[$2.n]:-1}" -v s="$3" 'BEGIN{printf "%.1f", t / hz * 1000 / (n * s)}'; }
	echo "storage: curl from page-cached files of random bytes; MB/s = median of the runs (each run:"
	echo "its MB/s); CPU = user+sys per MiB moved of the target's processes (gateway: host + plugin [+ kubo]),"
	echo "then of each: host (bin/orama), plugin (orama-plugin-storage), kubo (the daemon); for kubo-relay"
	echo "and kubo-http (kubo through two tcp or http relays, bench/relay.sh) host and plugin are the first and the second relay"
	srow "size" "dir" "target" "MB/s" "runs (MB/s)" "CPU ms/MiB" "host" "plugin" "kubo"
	for size in "${sizes[@]}"; do
		for dir in up down; do
			for target in kubo kubo-relay kubo-http gw-kubo gw-embedded; do
				key=$target.$dir.$size
				mbs=$(storage_median "${S[$key.mbs]}")
				S[$key.median]=$mbs
				srow "$size MiB" "$dir" "$target" "$mbs" "${S[$key.mbs]}" "$(cpuper "$key.cpu" "$key" "$size")" \
					"$(cpuper "$key.cpu.host" "$key" "$size")" "$(cpuper "$key.cpu.plugin" "$key" "$size")" "$(cpuper "$key.cpu.kubo" "$key" "$size")"
			done
			S[ratio.$dir.$size]=$(awk -v g="${S[gw-kubo.$dir.$size.median]}" -v k="${S[kubo.$dir.$size.median]}" 'BEGIN{printf "%.2f", g/k}')
			S[floor.$dir.$size]=$(awk -v g="${S[kubo-relay.$dir.$size.median]}" -v k="${S[kubo.$dir.$size.median]}" 'BEGIN{printf "%.2f", g/k}')
			S[floorh.$dir.$size]=$(awk -v g="${S[kubo-http.$dir.$size.median]}" -v k="${S[kubo.$dir.$size.median]}" 'BEGIN{printf "%.2f", g/k}')
		done
	done
	printf 'ratio gw-kubo/kubo (target >= 0.9):'
	for size in "${sizes[@]}"; do printf '  %s MiB up %s down %s' "$size" "${S[ratio.up.$size]}" "${S[ratio.down.$size]}"; done
	echo
	printf 'floor: kubo-relay/kubo (two tcp relays, bench/relay.sh):'
	for size in "${sizes[@]}"; do printf '  %s MiB up %s down %s' "$size" "${S[floor.up.$size]}" "${S[floor.down.$size]}"; done
	echo
	printf 'floor: kubo-http/kubo (two http relays, bench/relay.sh):'
	for size in "${sizes[@]}"; do printf '  %s MiB up %s down %s' "$size" "${S[floorh.up.$size]}" "${S[floorh.down.$size]}"; done
	echo
	echo "peak RSS:"
	sed 's/^/  /' <<<"$STORAGE_RSS"
	echo "in-process (go test -bench BenchmarkEmbedded ./plugins/storage/ipfs/):"
	grep -E '^Benchmark' <<<"$STORAGE_INPROC" | sed 's/^/  /' || echo "  $STORAGE_INPROC"
	echo "e2e through the gateway (TestStorageStreamLarge, $STORAGE_STREAM_BYTES bytes):"
	grep -E 'storage_stream_test' <<<"$STORAGE_STREAM" | sed 's/^ *storage_stream_test.go:[0-9]*: /  /'
	echo
}
