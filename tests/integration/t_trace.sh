#!/usr/bin/env bash
# socktap trace against the truth: trafgen moves known bytes between two
# namespaces (or inside one) and says who sent what from which port; every
# event socktap reports is held against that. The churn tests (2,000
# connections, a shrunk ring buffer) are in t_trace_churn.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trace_lib.sh"

# --- 1. exact lifetimes: sizes x families, two namespaces ------------------
netns_add c1 || skip "cannot create a network namespace"
c1=$NS
netns_add s1
s1=$NS
veth_link "$c1" "$s1" || skip "cannot create a veth pair"
c1_ino=$(netns_inode "$c1")
s1_ino=$(netns_inode "$s1")
trace_start t1c --json --netns "$c1_ino"
t1c=$TRACE_PID
trace_start t1s --json --netns "$s1_ino"
t1s=$TRACE_PID

tags=()
for fam in 4 6; do
	[ $fam = 4 ] && addr=198.18.0.2 || addr=2001:db8::2
	for size in 1 1500 1048576 10485760; do
		tag=v$fam-$size
		server "$tag" "$s1" --listen "$addr" --send "$size" --recv "$size" || continue
		ip netns exec "$c1" "$TRAFGEN" client --connect "$addr" --port "$SRV_PORT" \
			--send "$size" --recv "$size" >"$T_TMP/$tag.cli" 2>"$T_TMP/$tag.cli.err"
		check_eq "$tag-client-exit" 0 $?
		server_done "$tag" "$tag"
		tags+=("$tag")
	done
done
# a live stream: the events are out while socktap still runs
if wait_n t1c '.type == "close"' "${#tags[@]}" 5 && wait_n t1s '.type == "close"' "${#tags[@]}" 5; then
	ok t1-live
else
	fail t1-live "5 s after the last connection socktap had written $(grep -c . "$T_TMP/t1c.out") + $(grep -c . "$T_TMP/t1s.out") lines, expected ${#tags[@]} closes on each side"
fi
trace_stop t1c "$t1c"
trace_stop t1s "$t1s"
valid t1c
valid t1s
# (skipped hook runs are counted host-wide, whatever the filters: not ours)
check_eq t1-nothing-lost 0 "$(($(n t1c '.type == "lost" and .what != "hook runs"') + $(n t1s '.type == "lost" and .what != "hook runs"')))"
# every event carries every common field (pid, comm may be null)
common='["type","time","monotonic_ns","pid","tid","comm","uid","cgroup","netns","family","proto","laddr","lport","raddr","rport","cookie"]'
check_eq t1-common-fields "" \
	"$(cat "$T_TMP/t1c.out" "$T_TMP/t1s.out" | jq -c "select(.type != \"lost\") | select(has(${common}[]) | not)" | head -n 3)"
check_true t1-time-iso jq -e -s \
	'all(.[] | select(.type != "lost"); .time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z$"))' \
	"$T_TMP/t1c.out"

for tag in "${tags[@]}"; do
	cli=$T_TMP/$tag.cli srv=$T_TMP/$tag.srv
	fam=inet
	[[ $tag == v6-* ]] && fam=inet6
	cpid=$(g "$cli" pid) clport=$(g "$cli" lport) claddr=$(g "$cli" laddr)
	spid=$(g "$srv" pid) sport=$(g "$srv" lport) saddr=$(g "$srv" laddr)
	csel=".lport == $clport and .rport == $sport"
	ssel=".lport == $sport and .rport == $clport"
	# exactly one connect, one accept, two closes, each on its side
	check_eq "$tag-event-counts" "client:1/0/1 server:0/1/1" \
		"client:$(n t1c "$csel and .type == \"connect\"")/$(n t1c "$csel and .type == \"accept\"")/$(n t1c "$csel and .type == \"close\"") server:$(n t1s "$ssel and .type == \"connect\"")/$(n t1s "$ssel and .type == \"accept\"")/$(n t1s "$ssel and .type == \"close\"")"
	tuple='"\(.pid) \(.comm) \(.netns) \(.family) \(.proto) \(.laddr) \(.lport) \(.raddr) \(.rport)"'
	ctuple="$cpid trafgen $c1_ino $fam tcp $claddr $clport $(g "$cli" raddr) $(g "$cli" rport)"
	stuple="$spid trafgen $s1_ino $fam tcp $saddr $sport $(g "$srv" raddr) $(g "$srv" rport)"
	check_eq "$tag-connect" "$ctuple" "$(f t1c "$csel and .type == \"connect\"" "$tuple")"
	check_eq "$tag-client-close" \
		"$ctuple sent=$(g "$cli" bytes_sent) received=$(g "$cli" bytes_received) first=local reset=false" \
		"$(f t1c "$csel and .type == \"close\"" "$tuple"' + " sent=\(.bytes_sent) received=\(.bytes_received) first=\(.closed_first) reset=\(.reset)"')"
	check_eq "$tag-accept" "$stuple" "$(f t1s "$ssel and .type == \"accept\"" "$tuple")"
	check_eq "$tag-server-close" \
		"$stuple sent=$(g "$srv" bytes_sent) received=$(g "$srv" bytes_received) first=remote reset=false" \
		"$(f t1s "$ssel and .type == \"close\"" "$tuple"' + " sent=\(.bytes_sent) received=\(.bytes_received) first=\(.closed_first) reset=\(.reset)"')"
	[ $fam = inet ] && any=0.0.0.0 || any=::
	check_eq "$tag-listen" "$spid trafgen $s1_ino $fam tcp $saddr $sport $any 0 LISTEN" \
		"$(f t1s ".type == \"listen\" and .lport == $sport" "$tuple"' + " \(.state)"')"
	# one socket, one cookie, from connect to close (and accept to close)
	cc=$(f t1c "$csel and (.type == \"connect\" or .type == \"close\")" .cookie | sort -u)
	check_true "$tag-client-cookie" [ "$(wc -l <<<"$cc")" = 1 -a "${cc:-0}" != 0 -a "${cc:-0}" != null ]
	sc=$(f t1s "$ssel and (.type == \"accept\" or .type == \"close\")" .cookie | sort -u)
	check_true "$tag-server-cookie" [ "$(wc -l <<<"$sc")" = 1 -a "${sc:-0}" != 0 -a "${sc:-0}" != null ]
	check_true "$tag-cookies-differ" [ "$cc" != "$sc" ]
	# a clean close: no reset event on either side
	check_eq "$tag-no-reset-events" 0 "$(($(n t1c "$csel and .type == \"reset\"") + $(n t1s "$ssel and .type == \"reset\"")))"
done
check_eq t1-runs 8 "${#tags[@]}"

# --- 2. refused connects: connect_failed only ------------------------------
netns_add c2
c2=$NS
netns_add s2
s2=$NS
veth_link "$c2" "$s2"
c2_ino=$(netns_inode "$c2")
trace_start t2c --json --netns "$c2_ino"
t2c=$TRACE_PID
trace_start t2s --json --netns "$(netns_inode "$s2")"
t2s=$TRACE_PID
for fam in 4 6; do
	[ $fam = 4 ] && addr=198.18.0.2 || addr=2001:db8::2
	ip netns exec "$c2" "$TRAFGEN" client --connect "$addr" --port 4242 --expect-refused \
		>"$T_TMP/r$fam.cli" 2>"$T_TMP/r$fam.cli.err"
	check_eq "refused$fam-client-exit" 0 $?
done
wait_n t2c '.type == "connect_failed"' 2 2
trace_stop t2c "$t2c"
trace_stop t2s "$t2s"
valid t2c
for fam in 4 6; do
	[ $fam = 4 ] && addr=198.18.0.2 family=inet || addr=2001:db8::2 family=inet6
	cpid=$(jq -r 'select(.event == "refused") | .pid' "$T_TMP/r$fam.cli")
	sel=".raddr == \"$addr\" and .rport == 4242"
	check_eq "refused$fam-one-failure" 1 "$(n t2c "$sel and .type == \"connect_failed\"")"
	check_eq "refused$fam-failure" "$cpid trafgen $c2_ino $family refused ECONNREFUSED 111" \
		"$(f t2c "$sel and .type == \"connect_failed\"" '"\(.pid) \(.comm) \(.netns) \(.family) \(.reason) \(.error) \(.errno)"')"
	check_eq "refused$fam-no-connect-or-close" 0 "$(n t2c "$sel and (.type == \"connect\" or .type == \"close\")")"
	check_true "refused$fam-duration" [ "$(f t2c "$sel and .type == \"connect_failed\"" '.duration_ns > 0')" = true ]
done
# the refusing side has no socket: nothing to report there
check_eq refused-server-side-silent 0 "$(grep -c . "$T_TMP/t2s.out")"

# --- 3. a reset by the peer (server --rst) ---------------------------------
netns_add c3
c3=$NS
netns_add s3
s3=$NS
veth_link "$c3" "$s3"
trace_start t3c --json --netns "$(netns_inode "$c3")"
t3c=$TRACE_PID
trace_start t3s --json --netns "$(netns_inode "$s3")"
t3s=$TRACE_PID
if server rst "$s3" --listen 198.18.0.2 --recv 1000 --rst; then
	ip netns exec "$c3" "$TRAFGEN" client --connect 198.18.0.2 --port "$SRV_PORT" --send 1000 \
		>"$T_TMP/rst.cli" 2>"$T_TMP/rst.cli.err"
	check_eq rst-client-exit 0 $?
	server_done rst rst
fi
wait_n t3c '.type == "close"' 1 2
wait_n t3s '.type == "close"' 1 2
trace_stop t3c "$t3c"
trace_stop t3s "$t3s"
valid t3c
valid t3s
cli=$T_TMP/rst.cli srv=$T_TMP/rst.srv
check_eq rst-client-saw-reset true "$(g "$cli" reset)"
cpid=$(g "$cli" pid) clport=$(g "$cli" lport) spid=$(g "$srv" pid) sport=$(g "$srv" lport)
csel=".lport == $clport and .rport == $sport"
ssel=".lport == $sport and .rport == $clport"
check_eq rst-client-reset-event "1: $cpid trafgen received" \
	"$(n t3c "$csel and .type == \"reset\""): $(f t3c "$csel and .type == \"reset\"" '"\(.pid) \(.comm) \(.direction)"')"
check_eq rst-client-close "$cpid sent=1000 received=0 first=local reset=true" \
	"$(f t3c "$csel and .type == \"close\"" '"\(.pid) sent=\(.bytes_sent) received=\(.bytes_received) first=\(.closed_first) reset=\(.reset)"')"
check_eq rst-server-reset-event "1: $spid trafgen sent" \
	"$(n t3s "$ssel and .type == \"reset\""): $(f t3s "$ssel and .type == \"reset\"" '"\(.pid) \(.comm) \(.direction)"')"
check_eq rst-server-close "$spid sent=0 received=1000 first=remote reset=true" \
	"$(f t3s "$ssel and .type == \"close\"" '"\(.pid) sent=\(.bytes_sent) received=\(.bytes_received) first=\(.closed_first) reset=\(.reset)"')"
check_eq rst-one-connect-one-accept "1 1" \
	"$(n t3c "$csel and .type == \"connect\"") $(n t3s "$ssel and .type == \"accept\"")"
check_eq rst-reset-cookies "$(f t3c "$csel and .type == \"close\"" .cookie) $(f t3s "$ssel and .type == \"close\"" .cookie)" \
	"$(f t3c "$csel and .type == \"reset\"" .cookie) $(f t3s "$ssel and .type == \"reset\"" .cookie)"

# --- 4. --states: every transition of one connection, in order -------------
netns_add c4
c4=$NS
netns_add s4
s4=$NS
veth_link "$c4" "$s4"
trace_start t4c --json --states --netns "$(netns_inode "$c4")"
t4c=$TRACE_PID
trace_start t4s --json --states --netns "$(netns_inode "$s4")"
t4s=$TRACE_PID
# doctor --watch counts the same transitions per namespace
bg "$SOCKTAP" doctor --json --watch 0 >"$T_TMP/watch.json" 2>"$T_TMP/watch.err"
watch_pid=$BG_PID
wait_for "$T_TMP/watch.err" watching 20 || fail states-watch-started "doctor --watch did not start: $(head -c 200 "$T_TMP/watch.err")"
if server st "$s4" --listen 198.18.0.2 --send 1500 --recv 1500; then
	ip netns exec "$c4" "$TRAFGEN" client --connect 198.18.0.2 --port "$SRV_PORT" \
		--send 1500 --recv 1500 >"$T_TMP/st.cli" 2>"$T_TMP/st.cli.err"
	check_eq states-client-exit 0 $?
	server_done st states
fi
# the listener's own LISTEN -> UNCONN comes when the server exits
wait_n t4s '.type == "state" and .newstate == "UNCONN"' 2 2
wait_n t4c '.type == "state" and .newstate == "UNCONN"' 1 2
trace_stop t4c "$t4c"
trace_stop t4s "$t4s"
kill -INT "$watch_pid"
wait "$watch_pid"
check_eq states-watch-exit 0 $?
c4_ino=$(netns_inode "$c4") s4_ino=$(netns_inode "$s4")
check_eq states-watch-totals \
	"$(cat "$T_TMP/t4c.out" "$T_TMP/t4s.out" | jq -r 'select(.type == "state") | "\(.netns) \(.oldstate)>\(.newstate)"' | sort | uniq -c | awk '{ print $2, $3 ":" $1 }' | sort)" \
	"$(jq -r --argjson c "$c4_ino" --argjson s "$s4_ino" '.watch[] | select(.netns == $c or .netns == $s) | "\(.netns) \(.from)>\(.to):\(.count)"' "$T_TMP/watch.json" | sort)"
valid t4c
valid t4s
cli=$T_TMP/st.cli srv=$T_TMP/st.srv
cpid=$(g "$cli" pid) clport=$(g "$cli" lport) spid=$(g "$srv" pid) sport=$(g "$srv" lport)
# a socket's transitions by its cookie: the first one (UNCONN -> SYN-SENT)
# comes before connect() has picked the local port
ccookie=$(f t4c ".type == \"connect\" and .lport == $clport" .cookie)
scookie=$(f t4s ".type == \"accept\" and .rport == $clport" .cookie)
lcookie=$(f t4s ".type == \"listen\" and .lport == $sport" .cookie)
transitions() { jq -r -s "map(select(.type == \"state\" and .cookie == ${2:-0})) | sort_by(.monotonic_ns) | map(\"\(.oldstate)>\(.newstate)\") | join(\" \")" "$T_TMP/$1.out"; }
check_eq states-client-sequence \
	"UNCONN>SYN-SENT SYN-SENT>ESTAB ESTAB>FIN-WAIT-1 FIN-WAIT-1>FIN-WAIT-2 FIN-WAIT-2>UNCONN" \
	"$(transitions t4c "$ccookie")"
check_eq states-server-sequence \
	"LISTEN>SYN-RECV SYN-RECV>ESTAB ESTAB>CLOSE-WAIT CLOSE-WAIT>LAST-ACK LAST-ACK>UNCONN" \
	"$(transitions t4s "$scookie")"
check_eq states-listener-sequence "UNCONN>LISTEN LISTEN>UNCONN" "$(transitions t4s "$lcookie")"
check_eq states-nothing-else "5 5" \
	"$(n t4c '.type == "state"') $(n t4s '.type == "state" and .cookie != '"${lcookie:-0}")"
# once connect() has run, the client's transitions are its own; the server
# child's last ones (after accept) the server's
check_eq states-client-owner "$cpid $cpid $cpid $cpid" \
	"$(f t4c ".type == \"state\" and .cookie == ${ccookie:-0} and .oldstate != \"UNCONN\"" .pid | xargs)"
check_eq states-server-owner "$spid $spid" \
	"$(f t4s ".type == \"state\" and .cookie == ${scookie:-0} and (.oldstate == \"CLOSE-WAIT\" or .oldstate == \"LAST-ACK\")" .pid | xargs)"
check_eq states-tuple "198.18.0.1 198.18.0.2 $sport" \
	"$(f t4c ".type == \"state\" and .cookie == ${ccookie:-0} and .oldstate == \"ESTAB\"" '"\(.laddr) \(.raddr) \(.rport)"')"
# the other events still come, once each
check_eq states-events "close=1 connect=1" \
	"$(f t4c '.type != "state"' .type | sort | uniq -c | awk '{ printf "%s%s=%s", sep, $2, $1; sep=" " }')"
check_eq states-server-events "accept=1 close=1 listen=1" \
	"$(f t4s '.type != "state"' .type | sort | uniq -c | awk '{ printf "%s%s=%s", sep, $2, $1; sep=" " }')"
# every event has every common field, also those whose owner is unknown
check_eq states-common-fields "" \
	"$(cat "$T_TMP/t4c.out" "$T_TMP/t4s.out" | jq -c "select(has(${common}[]) | not) | {type, oldstate, newstate, pid}" | head -n 3 | xargs)"

# --- 6. filters --------------------------------------------------------------
# one namespace, two servers on fixed ports: 5001 (IPv4), 5002 (IPv6); the
# IPv4 client waits at a gate so that -p can name it before it runs
netns_add f6
f6=$NS
f6_ino=$(netns_inode "$f6")
gate=$T_TMP/gate
declare -A ftrace
bg ip netns exec "$f6" bash -c 'while [ ! -e "$1" ]; do sleep 0.02; done; exec "$2" client --connect 127.0.0.1 --port 5001 --send 100 --recv 200' \
	_ "$gate" "$TRAFGEN" >"$T_TMP/fa.cli" 2>"$T_TMP/fa.cli.err"
fa_pid=$BG_PID
trace_start fpid --json --netns "$f6_ino" -p "$fa_pid"
ftrace[pid]=$TRACE_PID
trace_start fport --json --netns "$f6_ino" --port 5002,6000-6010
ftrace[port]=$TRACE_PID
trace_start f4 --json --netns "$f6_ino" -4
ftrace[4]=$TRACE_PID
trace_start f6 --json --netns "$f6_ino" -6
ftrace[6]=$TRACE_PID
trace_start fclose --json --netns "$f6_ino" --events close
ftrace[close]=$TRACE_PID
server fa "$f6" --listen 127.0.0.1 --port 5001 --send 200 --recv 100
fa_srv=$SRV_PID
server fb "$f6" --listen ::1 --port 5002 --send 300 --recv 400
fb_srv=$SRV_PID
touch "$gate"
ip netns exec "$f6" "$TRAFGEN" client --connect ::1 --port 5002 --send 400 --recv 300 \
	>"$T_TMP/fb.cli" 2>"$T_TMP/fb.cli.err"
check_eq filter-client-b-exit 0 $?
wait "$fa_pid"
check_eq filter-client-a-exit 0 $?
SRV_PID=$fa_srv
server_done fa filter-a
SRV_PID=$fb_srv
server_done fb filter-b
check_eq filter-gate-pid "$fa_pid" "$(g "$T_TMP/fa.cli" pid)"
wait_n fclose 'true' 4 2
for t in pid port 4 6 close; do
	trace_stop "f$t" "${ftrace[$t]}"
	valid "f$t"
done
types() { f "$1" 'true' .type | sort | uniq -c | awk '{ printf "%s%s=%s", sep, $2, $1; sep=" " }'; }
check_eq filter-pid-types "close=1 connect=1" "$(types fpid)"
check_eq filter-pid-only "$fa_pid" "$(f fpid true .pid | sort -u | xargs)"
check_eq filter-pid-close "sent=100 received=200" \
	"$(f fpid '.type == "close"' '"sent=\(.bytes_sent) received=\(.bytes_received)"')"
check_eq filter-port-types "accept=1 close=2 connect=1 listen=1" "$(types fport)"
check_eq filter-port-only 0 "$(n fport '.lport != 5002 and .rport != 5002')"
check_eq filter-ipv4-types "accept=1 close=2 connect=1 listen=1" "$(types f4)"
check_eq filter-ipv4-only "inet 127.0.0.1" "$(f f4 true '"\(.family) \(.laddr)"' | sort -u | xargs)"
check_eq filter-ipv6-types "accept=1 close=2 connect=1 listen=1" "$(types f6)"
check_eq filter-ipv6-only "inet6 ::1" "$(f f6 true '"\(.family) \(.laddr)"' | sort -u | xargs)"
check_eq filter-events-close "close=4" "$(types fclose)"

# bad values: status 2, one line on stderr naming the value, nothing on stdout
expect_usage() {
	local name=$1 re=$2 rc
	shift 2
	"$SOCKTAP" trace "$@" >"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	if [ $rc -ne 2 ]; then
		fail "$name" "exit $rc, expected 2 ($(head -c 200 "$T_TMP/err"))"
	elif [ "$(wc -l <"$T_TMP/err")" -ne 1 ]; then
		fail "$name" "stderr has $(wc -l <"$T_TMP/err") lines, expected 1"
	elif ! grep -qF -- "$re" "$T_TMP/err"; then
		fail "$name" "stderr '$(cat "$T_TMP/err")' does not name $re"
	elif [ -s "$T_TMP/out" ]; then
		fail "$name" "stdout not empty: $(head -c 200 "$T_TMP/out")"
	else
		ok "$name"
	fi
}
expect_usage bad-port-0 "'0'" --port 0
expect_usage bad-port-70000 "'70000'" --port 70000
expect_usage bad-port-range "'10-5'" --port 10-5
expect_usage bad-events "'bogus'" --events bogus
expect_usage bad-events-in-list "'bogus'" --events close,bogus
expect_usage bad-pid "'abc'" -p abc
expect_usage bad-ringbuf-size "'5000'" --ringbuf-size 5000
expect_usage bad-ringbuf-small "'2048'" --ringbuf-size 2048
expect_usage bad-netns "'abc'" --netns abc

# --- 7. exits: a closed pipe, SIGTERM ----------------------------------------
check_eq exits-none-before 0 "$(socktap_progs_settled)"
netns_add e7
e7=$NS
e7_ino=$(netns_inode "$e7")
server churn "$e7" --listen 127.0.0.1 --count 1000000 --quiet --timeout 30
churn_srv=$SRV_PID
bg ip netns exec "$e7" bash -c 'while :; do "$1" client --connect 127.0.0.1 --port "$2" --quiet >/dev/null 2>&1; sleep 0.02; done' \
	_ "$TRAFGEN" "$SRV_PORT"
churn_cli=$BG_PID
timeout -k 5 30 "$SOCKTAP" trace --json --netns "$e7_ino" 2>"$T_TMP/head.err" | head -n 2 >"$T_TMP/head.out"
rcs=("${PIPESTATUS[@]}")
check_eq head-socktap-exit 0 "${rcs[0]}"
check_eq head-lines 2 "$(grep -c . "$T_TMP/head.out")"
check_true head-json jq -e -s 'length == 2 and all(type == "object" and has("type"))' "$T_TMP/head.out"
check_eq head-stderr "" "$(grep -v '^socktap: tracing .* events (Ctrl-C to stop)$' "$T_TMP/head.err" | head -c 300)"
check_eq head-none-left 0 "$(socktap_progs_settled)"
# a full disk is not a reader going away: events would be lost, so it is an
# error, one line, status 1 (text fails on its header, JSON on its first event)
for mode in text json; do
	args=(--netns "$e7_ino")
	[ $mode = json ] && args+=(--json)
	timeout -k 5 30 "$SOCKTAP" trace "${args[@]}" >/dev/full 2>"$T_TMP/full.err"
	check_eq "full-$mode-exit" 1 $?
	check_eq "full-$mode-message" "socktap: writing the output failed: No space left on device" \
		"$(grep -v '^socktap: tracing .* events (Ctrl-C to stop)$' "$T_TMP/full.err")"
done
check_eq full-none-left 0 "$(socktap_progs_settled)"
kill "$churn_cli" "$churn_srv" 2>/dev/null
wait "$churn_cli" 2>/dev/null
wait "$churn_srv" 2>/dev/null

trace_start term --json --netns "$e7_ino"
kill -TERM "$TRACE_PID"
wait "$TRACE_PID"
check_eq term-exit 0 $?
check_eq term-stdout "" "$(cat "$T_TMP/term.out")"
check_eq term-none-left 0 "$(socktap_progs_settled)"

# --- 8. text mode: header and aligned rows ----------------------------------
netns_add x8
x8=$NS
x8_ino=$(netns_inode "$x8")
trace_start text --netns "$x8_ino"
tt=$TRACE_PID
trace_start textT -T --netns "$x8_ino"
ttT=$TRACE_PID
if server tx "$x8" --listen 127.0.0.1 --send 2000 --recv 1234; then
	ip netns exec "$x8" "$TRAFGEN" client --connect 127.0.0.1 --port "$SRV_PORT" \
		--send 1234 --recv 2000 >"$T_TMP/tx.cli" 2>"$T_TMP/tx.cli.err"
	check_eq text-client-exit 0 $?
	server_done tx text
fi
check_true text-live wait_for "$T_TMP/text.out" "^close .* $(g "$T_TMP/tx.srv" pid) " 5
trace_stop text "$tt"
trace_stop textT "$ttT"
txt=$T_TMP/text.out
check_true text-header grep -qE '^EVENT +PID +COMM +IP +LADDR +LPORT +RADDR +RPORT +TX +RX +MS +INFO *$' <(head -n 1 "$txt")
check_true text-header-T grep -qE '^TIME +EVENT +PID +COMM +IP +LADDR +LPORT +RADDR +RPORT +TX +RX +MS +INFO *$' \
	<(head -n 1 "$T_TMP/textT.out")
cpid=$(g "$T_TMP/tx.cli" pid) clport=$(g "$T_TMP/tx.cli" lport)
row=$(grep -E "^close +$cpid " "$txt")
check_eq text-close-row "close $cpid trafgen 4 127.0.0.1 $clport 127.0.0.1 $SRV_PORT 1234 2000" \
	"$(awk '{ print $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }' <<<"$row")"
check_true text-close-info grep -q 'local closed first' <<<"$row"
# end column of word N of each line of stdin
word_end() {
	awk -v n="$1" '{ s = $0; pos = 0; for (i = 1; i <= n; i++) { if (!match(s, /[^ ]+/)) { pos = -1; break }; pos += RSTART + RLENGTH - 1; s = substr(s, RSTART + RLENGTH) } print pos }'
}
hdr_end=$(head -n 1 "$txt" | word_end 6)
check_eq text-lport-aligned "$hdr_end" "$(word_end 6 <<<"$row")"
check_eq text-rport-aligned "$(head -n 1 "$txt" | word_end 8)" "$(word_end 8 <<<"$row")"
check_eq text-all-rows-aligned "$hdr_end" "$(tail -n +2 "$txt" | word_end 6 | sort -u | xargs)"
check_eq text-rows "accept close close connect listen" "$(tail -n +2 "$txt" | awk '{ print $1 }' | sort | xargs)"
check_eq textT-lport-aligned "$(head -n 1 "$T_TMP/textT.out" | word_end 7)" \
	"$(tail -n +2 "$T_TMP/textT.out" | word_end 7 | sort -u | xargs)"
finish
