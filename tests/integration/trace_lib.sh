# Helpers of the socktap trace tests (sourced after lib.sh): start and stop
# a trace, select its events with jq, run trafgen servers.
# attached PID: socktap PID has attached its programs (one bpf_link per
# program, at least 6) and set up its ring buffer reader (an epoll fd). Per
# process, so that other socktap runs on the machine (or the nameless
# programs libbpf loads to probe features, which make socktap_progs's jq
# fail for a moment) never confuse it.
attached() {
	local fds
	fds=$(ls -l "/proc/$1/fd" 2>/dev/null) || return 1
	[ "$(grep -c 'bpf_link' <<<"$fds")" -ge 6 ] && grep -q 'eventpoll' <<<"$fds"
}

# trace_start NAME ARGS...: socktap trace ARGS in the background, stdout to
# $T_TMP/NAME.out, stderr to $T_TMP/NAME.err; returns once it is attached
# and has said so on stderr (then as the convention says, 0.2 s more).
# Sets TRACE_PID.
trace_start() {
	local name=$1 i
	shift
	bg "$SOCKTAP" trace "$@" >"$T_TMP/$name.out" 2>"$T_TMP/$name.err"
	TRACE_PID=$BG_PID
	for ((i = 0; i < 400; i++)); do
		# the status line comes after the owners of open sockets are
		# seeded: before it, a socket found open may not be known yet
		if attached "$TRACE_PID" && [ "$(socktap_progs 2>/dev/null)" -ge 6 ] 2>/dev/null &&
			grep -q '^socktap: tracing .* events (Ctrl-C to stop)$' "$T_TMP/$name.err"; then
			sleep 0.2
			return 0
		fi
		kill -0 "$TRACE_PID" 2>/dev/null || break
		sleep 0.05
	done
	fail "$name-attached" "socktap trace $* did not attach: $(head -c 300 "$T_TMP/$name.err")"
	return 1
}

# trace_stop NAME PID: SIGINT, then it must exit 0 with nothing on stderr.
trace_stop() {
	local rc
	kill -INT "$2" 2>/dev/null
	wait "$2"
	rc=$?
	check_eq "$1-exit" 0 $rc
	# stderr: the "tracing ... (Ctrl-C to stop)" status line, nothing else
	check_eq "$1-stderr" "" "$(grep -av '^socktap: tracing .* events (Ctrl-C to stop)$' "$T_TMP/$1.err" | head -c 300)"
}

# n NAME FILTER: how many events of trace NAME the jq FILTER selects
n() { jq -c "select($2)" "$T_TMP/$1.out" 2>/dev/null | grep -c .; }
# f NAME FILTER EXPR: EXPR (jq, raw) for each event of trace NAME FILTER selects
f() { jq -r "select($2) | $3" "$T_TMP/$1.out" 2>/dev/null; }

# wait_n NAME FILTER COUNT [SECONDS]: until trace NAME has COUNT events that
# FILTER selects (the last TCP transitions may come just after the
# processes exit). Tolerates a half-written last line.
wait_n() {
	local i
	for ((i = 0; i < ${4:-10} * 20; i++)); do
		[ "$(jq -cR "fromjson? | select($2)" "$T_TMP/$1.out" 2>/dev/null | grep -c .)" -ge "$3" ] && return 0
		sleep 0.05
	done
	return 1
}

# valid NAME: every line of trace NAME is a JSON object
valid() {
	check_true "$1-ndjson" jq -e -s 'length > 0 and all(type == "object")' "$T_TMP/$1.out"
}

# server TAG NETNS ARGS...: a trafgen server in NETNS, output in $T_TMP/TAG.srv;
# waits until it listens. Sets SRV_PID and SRV_PORT.
server() {
	local tag=$1 ns=$2
	shift 2
	bg ip netns exec "$ns" "$TRAFGEN" server "$@" >"$T_TMP/$tag.srv" 2>"$T_TMP/$tag.srv.err"
	SRV_PID=$BG_PID
	SRV_PORT=
	if ! wait_for "$T_TMP/$tag.srv" '"event":"listening"' 10; then
		fail "$tag-server" "trafgen server did not listen: $(head -c 200 "$T_TMP/$tag.srv.err")"
		return 1
	fi
	SRV_PORT=$(jq -r 'select(.event == "listening") | .lport' "$T_TMP/$tag.srv")
}

# server_done TAG NAME: waits for the server of TAG (SRV_PID) to exit 0
server_done() {
	wait "$SRV_PID"
	check_eq "$2-server-exit" 0 $?
}

# client TAG NETNS ARGS...: a trafgen client in the background, output in
# $T_TMP/TAG.cli. Sets CLI_PID.
client() {
	local tag=$1 ns=$2
	shift 2
	bg ip netns exec "$ns" "$TRAFGEN" client "$@" >"$T_TMP/$tag.cli" 2>"$T_TMP/$tag.cli.err"
	CLI_PID=$BG_PID
}

# reap NAME PID: PID (a trafgen) must exit 0
reap() {
	wait "$2"
	check_eq "$1-exit" 0 $?
}

# socks_entries PID: entries in the socks map (tracked TCP sockets) of the
# socktap process PID, found through its map fds; "none" without one
socks_entries() {
	local fd id
	for fd in /proc/"$1"/fdinfo/*; do
		id=$(awk '/^map_id:/ { print $2 }' "$fd" 2>/dev/null)
		[ -n "$id" ] || continue
		if [ "$(bpftool map show id "$id" -j 2>/dev/null | jq -r .name)" = socks ]; then
			bpftool map dump id "$id" -j | jq length
			return
		fi
	done
	echo none
}

# gev FILE EVENT KEY: KEY of the first EVENT line of trafgen output FILE
gev() { jq -r "select(.event == \"$2\") | .$3" "$1" | head -n 1; }
# g FILE KEY: KEY of the "done" line
g() { gev "$1" done "$2"; }
