# Processes of scripts/dev.sh (sourced by it): start, wait, find, stop.
#
# Every process is started in a session of its own (setsid), so its pid is
# also its session id, and whatever it starts (a gateway's plugins) stays
# in that session, even after the process itself was killed. DIR/pid
# holds that id; members lists the session's live processes.

DEV_STOP_WAIT=${DEV_STOP_WAIT:-20} # seconds from SIGTERM to SIGKILL

# launch DIR LOG COMMAND...: run COMMAND in a new session, its output
# appended to LOG, and record its pid in DIR/pid.
launch() {
	local dir=$1 log=$2
	shift 2
	echo "---- $(date -u +%FT%TZ) $*" >>"$log"
	# In a script (no job control) the background child is not a process
	# group leader, so setsid makes the session and execs COMMAND itself:
	# $! is COMMAND's pid. 9>&-: it must not inherit the lock of dev.sh.
	setsid "$@" >>"$log" 2>&1 </dev/null 9>&- &
	echo $! >"$dir/pid"
}

# members DIR: the live (not zombie) pids of the session recorded in
# DIR/pid; nothing if there is none, or if its leader is a live process
# that is not ours (its command line does not name DEV_DIR: a pid file
# older than a reboot).
members() {
	local sid lines pid stat args
	[[ -f $1/pid ]] || return 0
	sid=$(<"$1/pid")
	[[ $sid =~ ^[0-9]+$ ]] || return 0
	lines=$(ps -o pid=,stat=,args= --sid "$sid" 2>/dev/null) || return 0
	while read -r pid stat args; do
		if [[ $pid == "$sid" && $stat != Z* && $args != *"$DEV_DIR"* ]]; then
			return 0
		fi
	done <<<"$lines"
	awk '$2 !~ /^Z/ {print $1}' <<<"$lines"
}

# wait_ready DIR WHAT CURL_ARGS...: poll until curl succeeds (a 2xx);
# fail with the tail of DIR's log when the process exits or after
# DEV_WAIT seconds.
wait_ready() {
	local dir=$1 what=$2 deadline=$((SECONDS + DEV_WAIT))
	shift 2
	printf 'dev: waiting for %s ' "$what"
	until curl -fsS -o /dev/null --max-time 5 "$@" 2>/dev/null; do
		if [[ -z $(members "$dir") ]]; then
			echo "- it exited"
			tail -n 30 "$dir"/*.log >&2 || true
			die "$what exited during start; logs in $dir"
		fi
		if ((SECONDS >= deadline)); then
			echo "- not ready"
			tail -n 30 "$dir"/*.log >&2 || true
			die "$what not ready after ${DEV_WAIT}s (DEV_WAIT); logs in $dir"
		fi
		printf .
		sleep 0.5
	done
	echo "ready"
}

# proc_dirs: the folders of DEV_DIR that hold a pid file, gateways first,
# then rqlite, then kubo (the order of stopping).
proc_dirs() {
	local d
	for d in "$DEV_DIR"/node* "$DEV_DIR"/rqlite* "$DEV_DIR"/kubo; do
		if [[ -f $d/pid ]]; then echo "$d"; fi
	done
}

# report_running: if anything of DEV_DIR runs, say so and return 0 (all
# of it runs) or fail (some of it runs); return 1 when nothing runs.
report_running() {
	local d dirs up=() down=()
	[[ -d $DEV_DIR ]] || return 1
	mapfile -t dirs < <(proc_dirs)
	for d in "${dirs[@]}"; do
		if [[ -n $(members "$d") ]]; then up+=("${d##*/}"); else down+=("${d##*/}"); fi
	done
	((${#up[@]})) || return 1
	if ((${#down[@]})); then
		die "a cluster in $DEV_DIR is partly running (up: ${up[*]}; down: ${down[*]}): make stop, then make dev"
	fi
	say "a cluster is already running from $DEV_DIR (${up[*]}); not starting another. make stop ends it."
	for d in "$DEV_DIR"/node*; do
		if [[ -f $d/config.hcl ]]; then
			echo "  ${d##*/}  http://$(sed -n 's/^ *listen *= *"\(.*\)"/\1/p' "$d/config.hcl" | head -n 1)"
		fi
	done
	if [[ -s $DEV_DIR/api_key ]]; then echo "  API key: $(<"$DEV_DIR/api_key")"; fi
	return 0
}

# stop_tier DIR...: SIGTERM each session (its leader, or every member
# once the leader is gone), wait up to DEV_STOP_WAIT seconds for all to
# end, SIGKILL what is left, and remove the pid files.
stop_tier() {
	local d sid pids deadline=$((SECONDS + DEV_STOP_WAIT)) left
	for d in "$@"; do
		pids=$(members "$d")
		[[ -n $pids ]] || continue
		sid=$(<"$d/pid")
		say "stopping ${d##*/} (session $sid: $(echo $pids))"
		if grep -qx "$sid" <<<"$pids"; then kill -TERM "$sid" 2>/dev/null || true; else kill -TERM $pids 2>/dev/null || true; fi
	done
	while :; do
		left=()
		for d in "$@"; do
			if [[ -n $(members "$d") ]]; then left+=("$d"); fi
		done
		((${#left[@]})) || break
		if ((SECONDS >= deadline)); then
			for d in "${left[@]}"; do
				say "${d##*/} still running after ${DEV_STOP_WAIT}s: SIGKILL"
				kill -KILL $(members "$d") 2>/dev/null || true
			done
			sleep 1
			for d in "${left[@]}"; do
				[[ -z $(members "$d") ]] || die "${d##*/} survives SIGKILL: pids $(echo $(members "$d"))"
			done
			break
		fi
		sleep 0.2
	done
	for d in "$@"; do rm -f "$d/pid"; done
}

# stop_all: gateways, then rqlite, then kubo. Safe to run again.
stop_all() {
	local dirs
	if [[ ! -d $DEV_DIR ]] || [[ -z $(proc_dirs) ]]; then
		say "nothing to stop in $DEV_DIR"
		return 0
	fi
	mapfile -t dirs < <(proc_dirs | grep '/node[0-9]*$' || true)
	stop_tier "${dirs[@]}"
	mapfile -t dirs < <(proc_dirs | grep '/rqlite[0-9]*$' || true)
	stop_tier "${dirs[@]}"
	mapfile -t dirs < <(proc_dirs | grep '/kubo$' || true)
	stop_tier "${dirs[@]}"
	say "stopped; state and logs stay in $DEV_DIR (rm -rf it for a fresh cluster)"
}
