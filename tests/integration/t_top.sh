#!/usr/bin/env bash
# socktap top --batch --json, held against tests/flowgen's exact counts.
#
# Run 1 (the acceptance run), in three veth-joined namespace pairs: a TCP
# sender paced at 2 MB/s, one at 8 MB/s and a UDP (IPv6) sender at 1 MB/s,
# each its own process in a namespace of its own, for 6 s. Each sender's and
# each receiver's process row (its pid and comm) must show the paced rate
# within 5% in every interval the flow covered whole, and in the end exactly
# the bytes the generator moved; each connection shows up live with its
# tuple, state and namespace, then once closed with its final bytes.
# Meanwhile, right after one refresh, 200 connections of 10 KiB, each
# shorter than 50 ms, all before the next refresh: the burst process counts
# 200 * 10240 bytes sent and its server as many received, each connection is
# listed once, closed, with 10240 bytes, and the long flows lose nothing. A
# connection that sent bytes before socktap started counts only the bytes
# sent after (the rule: a socket open before socktap counts from its first
# snapshot).
#
# Run 2, attribution: a socket two processes share counts under the one
# that connected; a socket whose connecting process exited goes to the
# lowest pid still holding it (not to the one that sends); UDP data that is
# peeked at before it is read counts once. -p PID and -f FILTER select rows.
#
# Then the text tables of --batch, and bad input (exit 2, one line on
# stderr, nothing on stdout).
. "$(dirname "$0")/lib.sh"
FLOWGEN=$TESTBIN/flowgen
[ -x "$FLOWGEN" ] || { fail flowgen "$FLOWGEN missing (make tests)"; finish; }
"$SOCKTAP" top --help >/dev/null 2>&1 || skip "this socktap has no top command"

# rates (bytes/s) and sizes of run 1
R2=2000000 R8=8000000 RU=1000000 SECS=6
PRE=300000 POST=500000
BURST_N=200 BURST_B=10240

# Three namespace pairs: the receivers in a1, a2, a3 (198.18.N.1,
# 2001:db8:N::1), the senders in b1, b2, b3 (.2).
for i in 1 2 3; do
	netns_add "a$i" || skip "cannot create a network namespace"
	declare "A$i=$NS"
	netns_add "b$i"
	declare "B$i=$NS"
	a="A$i"
	veth_net "${!a}" "$NS" "$i" || skip "cannot create a veth pair"
done

# top_start NAME ARGS...: socktap top --batch --json ARGS, output in
# $T_TMP/NAME.json and .err; returns once it says it is counting. Sets TOP_PID.
top_start() {
	local name=$1
	shift
	bg "$SOCKTAP" top --batch --json "$@" >"$T_TMP/$name.json" 2>"$T_TMP/$name.err"
	TOP_PID=$BG_PID
	if ! wait_for "$T_TMP/$name.err" '^socktap: counting' 30; then
		fail "$name-started" "socktap top $* did not say it was counting: $(head -c 300 "$T_TMP/$name.err")"
		return 1
	fi
}
# top_end NAME PID SECS: socktap top must end by itself (--count) within SECS
# with status 0, only its status line on stderr, and every line an object of
# type "top"; LINES objects if given.
top_end() {
	local i rc
	for ((i = 0; i < $3 * 10; i++)); do
		kill -0 "$2" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$2" 2>/dev/null; then
		fail "$1-ends" "socktap top still running after $3 s"
		kill -KILL "$2"
	fi
	wait "$2"
	rc=$?
	check_eq "$1-exit" 0 "$rc"
	check_eq "$1-stderr" "" "$(grep -v '^socktap: counting' "$T_TMP/$1.err" | head -c 300)"
	check_true "$1-ndjson" jq -e -s 'length > 0 and all(type == "object" and .type == "top")' "$T_TMP/$1.json"
}
# wait_lines FILE N SECS: until FILE has N lines
wait_lines() {
	local i
	for ((i = 0; i < $3 * 20; i++)); do
		[ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.05
	done
	return 1
}
# reaped NAME PID: a flowgen must exit 0
reaped() {
	wait "$2"
	check_eq "$1-exit" 0 $?
}

# proc NAME PID: that pid's process row in the last object (null if none)
proc() { jq -sc --argjson p "$2" '[.[-1].processes[] | select(.pid == $p)] | first' "$T_TMP/$1.json"; }
# T_KEEP=DIR keeps this run's files there, to read after a failure
keep() { [ -z "${T_KEEP:-}" ] || { mkdir -p "$T_KEEP" && cp -r "$T_TMP"/. "$T_KEEP"; }; }
# pv NAME PID FIELD: FIELD of proc
pv() { jq -sr --argjson p "$2" "[.[-1].processes[] | select(.pid == \$p)] | first | .$3" "$T_TMP/$1.json"; }
# conns NAME SELECT: every connection row (of every object) SELECT picks
conns() { jq -c ".connections[] | select($2)" "$T_TMP/$1.json"; }
# mid_rates NAME PID BYTES RATE: per interval that the flow covered whole
# (bytes moved in the interval before and after it too), "RATE COMPUTED":
# the row's RATE field and its BYTES delta over interval_s
mid_rates() {
	jq -sr --argjson p "$2" --arg b "$3" --arg r "$4" '
		[.[] | . as $o | ([.processes[] | select(.pid == $p)] | first) as $row |
			{ i: $o.interval_s, b: ($row[$b] // 0), r: ($row[$r] // 0) }] as $a |
		range(2; ($a | length) - 1) as $k |
		select($a[$k - 1].b - $a[$k - 2].b > 0 and $a[$k + 1].b - $a[$k].b > 0) |
		"\($a[$k].r) \(($a[$k].b - $a[$k - 1].b) / $a[$k].i)"' "$T_TMP/$1.json"
}
# check_rate NAME TOP PID BYTES RATE WANT: at least 3 whole intervals, each
# within 5% of WANT, and each RATE the BYTES delta over the interval (1%)
check_rate() {
	local name=$1 rows n bad
	rows=$(mid_rates "$2" "$3" "$4" "$5")
	n=$(grep -c . <<<"$rows")
	if [ "$n" -lt 3 ]; then
		fail "$name" "$n whole intervals with bytes (want >= 3): $(tr '\n' ' ' <<<"$rows")"
		return
	fi
	bad=$(awk -v w="$6" '{ d = $1 / w - 1; if (d < -0.05 || d > 0.05) print }' <<<"$rows")
	if [ -z "$bad" ]; then ok "$name"; else
		fail "$name" "want $6 B/s +-5% in every whole interval; rate, bytes/interval_s: $(tr '\n' ' ' <<<"$rows")"
	fi
	bad=$(awk '{ d = $2 > 0 ? $1 / $2 - 1 : 1; if (d < -0.01 || d > 0.01) print }' <<<"$rows")
	if [ -z "$bad" ]; then ok "$name-is-delta"; else
		fail "$name-is-delta" "$5 is not the bytes moved over interval_s: $(tr '\n' ' ' <<<"$bad")"
	fi
}
# epoch seconds of a top object's "time" (RFC 3339, fraction optional)
JQ_TIME='def t: capture("^(?<s>[^.Z]+)(?<f>\\.[0-9]+)?Z$") | ((.s + "Z") | fromdateiso8601) + ((.f // "0") | tonumber);'

# ---------------------------------------------------------------- run 1 ----

flowgen_sink s2 "$A1" --listen 198.18.1.1 --bytes $((R2 * SECS)) --comm fg-sink2 || finish
s2=$FG_PID p2=$FG_PORT
flowgen_sink s8 "$A2" --listen 198.18.2.1 --bytes $((R8 * SECS)) --comm fg-sink8 || finish
s8=$FG_PID p8=$FG_PORT
flowgen_sink su "$A3" --udp --listen 2001:db8:3::1 --bytes $((RU * SECS)) --comm fg-sinku || finish
su=$FG_PID pu=$FG_PORT
flowgen_sink sb "$A1" --listen 198.18.1.1 --count $BURST_N --bytes $((BURST_N * BURST_B)) \
	--comm fg-sinkb || finish
sb=$FG_PID pb=$FG_PORT
flowgen_sink sp "$A2" --listen 198.18.2.1 --bytes $((PRE + POST)) --comm fg-sinkp || finish
sp=$FG_PID pp=$FG_PORT

# the connection open before socktap: PRE bytes sent and acknowledged now
flowgen_bg pre "$B2" send --connect 198.18.2.1 --port "$pp" --pre-bytes $PRE --bytes $POST \
	--rate 1000000 --comm fg-pre
pre=$FG_PID
wait_for "$T_TMP/pre.out" '"event":"waiting"' 10 || fail pre-waiting "$(cat "$T_TMP/pre.err")"

COUNT=11
top_start top --interval 1 --count $COUNT || finish
top=$TOP_PID
flowgen_bg t2 "$B1" send --connect 198.18.1.1 --port "$p2" --rate $R2 --bytes $((R2 * SECS)) --comm fg-tcp2
t2=$FG_PID
flowgen_bg t8 "$B2" send --connect 198.18.2.1 --port "$p8" --rate $R8 --bytes $((R8 * SECS)) --comm fg-tcp8
t8=$FG_PID
flowgen_bg tu "$B3" send --udp --connect 2001:db8:3::1 --port "$pu" --rate $RU --bytes $((RU * SECS)) \
	--comm fg-udp1
tu=$FG_PID
kill -USR1 "$pre"
# the burst starts right after a refresh, in the flows' third second
n0=$(wc -l <"$T_TMP/top.json")
wait_lines "$T_TMP/top.json" $((n0 + 2)) 10 || fail burst-wait "no refresh from socktap top"
flowgen_bg burst "$B1" burst --connect 198.18.1.1 --port "$pb" --count $BURST_N --bytes $BURST_B \
	--comm fg-burst
burst=$FG_PID
for p in t2 t8 tu burst pre s2 s8 su sb sp; do
	reaped "$p" "${!p}"
done
top_end top "$top" 20
check_eq top-objects $COUNT "$(wc -l <"$T_TMP/top.json")"

# The senders and receivers: pid, comm, rates, final bytes.
# check_proc NAME PID COMM SENT RECEIVED [RUN]: the row in the last object
# of RUN (default top)
check_proc() {
	check_eq "$1-row" "$2 $3 $4 $5" \
		"$(jq -r '"\(.pid) \(.comm) \(.bytes_sent) \(.bytes_received)"' <<<"$(proc "${6:-top}" "$2")")"
}
check_proc tcp2-sender "$t2" fg-tcp2 $((R2 * SECS)) 0
check_proc tcp2-receiver "$s2" fg-sink2 0 "$(fgv s2 done bytes)"
check_proc tcp8-sender "$t8" fg-tcp8 $((R8 * SECS)) 0
check_proc tcp8-receiver "$s8" fg-sink8 0 "$(fgv s8 done bytes)"
check_proc udp-sender "$tu" fg-udp1 "$(fgv tu done bytes)" 0
check_proc udp-receiver "$su" fg-sinku 0 "$(fgv su done bytes)"
check_rate tcp2-sender-rate top "$t2" bytes_sent sent_bps $R2
check_rate tcp2-receiver-rate top "$s2" bytes_received received_bps $R2
check_rate tcp8-sender-rate top "$t8" bytes_sent sent_bps $R8
check_rate tcp8-receiver-rate top "$s8" bytes_received received_bps $R8
check_rate udp-sender-rate top "$tu" bytes_sent sent_bps $RU
check_rate udp-receiver-rate top "$su" bytes_received received_bps $RU
for p in t2 t8 tu; do
	late=$(fgv "$p" done late_max_ms)
	awk -v l="$late" 'BEGIN { exit !(l < 100) }' ||
		echo "# note: flowgen $p fell $late ms behind its schedule (a busy machine)"
done
# every process above exited: its row stays, marked
check_eq senders-exited "true true true true true true" \
	"$(for p in "$t2" "$s2" "$t8" "$s8" "$tu" "$su"; do pv top "$p" exited; done | tr '\n' ' ' | sed 's/ $//')"
check_eq sockets-of-exited "0 0 0" "$(for p in "$t2" "$t8" "$tu"; do pv top "$p" sockets; done | tr '\n' ' ' | sed 's/ $//')"

# The connections: live rows with the tuple, state and namespace, then
# one closed row with the final bytes. conn_check NAME NS PID LPORT RADDR
# RPORT PROTO FAMILY SENT RECEIVED
conn_check() {
	local name=$1 ns=$2 pid=$3 lport=$4 sel live closed want_state
	sel=".pid == $pid and .lport == $lport"
	live=$(conns top "$sel and .closed == false" | tail -n 1)
	closed=$(conns top "$sel and .closed == true")
	# a connected UDP socket is ESTAB, as ss shows it
	want_state=ESTAB
	check_eq "$name-live" "$(netns_inode "$ns") $5 $6 $7 $8 $want_state" \
		"$(jq -r '"\(.netns) \(.raddr) \(.rport) \(.proto) \(.family) \(.state)"' <<<"$live")"
	check_eq "$name-closed-once" 1 "$(grep -c . <<<"$closed")"
	check_eq "$name-closed-bytes" "$9 ${10}" "$(jq -r '"\(.bytes_sent) \(.bytes_received)"' <<<"$closed" | head -n 1)"
}
conn_check tcp2-conn "$B1" "$t2" "$(fgv t2 connected lport)" 198.18.1.1 "$p2" tcp inet $((R2 * SECS)) 0
conn_check tcp2-sink-conn "$A1" "$s2" "$p2" 198.18.1.2 "$(fgv t2 connected lport)" tcp inet 0 $((R2 * SECS))
conn_check tcp8-conn "$B2" "$t8" "$(fgv t8 connected lport)" 198.18.2.1 "$p8" tcp inet $((R8 * SECS)) 0
conn_check udp-conn "$B3" "$tu" "$(fgv tu connected lport)" 2001:db8:3::1 "$pu" udp inet6 $((RU * SECS)) 0
check_eq tcp2-conn-laddr "198.18.1.2" "$(conns top ".pid == $t2" | jq -r .laddr | sort -u)"
check_eq tcp2-conn-cookie-one "1" "$(conns top ".pid == $t2" | jq -r .cookie | sort -u | grep -c .)"

# The burst: between two refreshes, every connection short.
check_true burst-short jq -e ".longest_ms < 50" <(jq -c 'select(.event == "done")' "$T_TMP/burst.out")
bstart=$(fgv burst done start) bend=$(fgv burst done end)
check_eq burst-between-refreshes 1 "$(jq -r "$JQ_TIME"' .time | t' "$T_TMP/top.json" |
	awk -v s="$bstart" -v e="$bend" '{ if (NR > 1 && prev < s && e < $1) n++; prev = $1 } END { print n + 0 }')"
check_proc burst-sender "$burst" fg-burst $((BURST_N * BURST_B)) 0
check_proc burst-receiver "$sb" fg-sinkb 0 $((BURST_N * BURST_B))
check_eq burst-conns "$BURST_N closed, each $BURST_B" \
	"$(conns top ".pid == $burst" | jq -s -r '"\(map(select(.closed)) | length) closed, each \(map(.bytes_sent) | unique | map(tostring) | join(","))"')"
check_eq burst-conns-never-live 0 "$(conns top ".pid == $burst and .closed == false" | grep -c .)"
check_eq burst-conns-distinct "$BURST_N" "$(conns top ".pid == $burst" | jq -r .cookie | sort -u | grep -c .)"
# every row of one process names it as its process row does (the JSON
# writes a process's members once and repeats them for its other rows)
check_eq burst-conns-owner "fg-burst 0 $(jq -r ".processes[] | select(.pid == $burst) | .start_time" "$T_TMP/top.json" | sort -u)" \
	"$(conns top ".pid == $burst" | jq -r '"\(.comm) \(.uid) \(.start_time)"' | sort -u)"
check_eq burst-sink-conns "$BURST_N closed, each $BURST_B" \
	"$(conns top ".pid == $sb" | jq -s -r '"\(map(select(.closed)) | length) closed, each \(map(.bytes_received) | unique | map(tostring) | join(","))"')"

# The connection open before socktap: only what it sent after.
check_proc pre-sender "$pre" fg-pre $POST 0
check_proc pre-receiver "$sp" fg-sinkp 0 $POST
check_eq pre-conn-closed "$POST 0" "$(conns top ".pid == $pre and .closed" | jq -r '"\(.bytes_sent) \(.bytes_received)"')"

# The totals hold at least all of ours (other traffic on the machine counts
# too); nothing lost; intervals of 1 s.
ours_sent=$((R2 * SECS + R8 * SECS + RU * SECS + BURST_N * BURST_B + POST))
check_true total-sent jq -e -s ".[-1].total.bytes_sent >= $ours_sent and .[-1].total.bytes_received >= $ours_sent" "$T_TMP/top.json"
check_eq nothing-lost '{"events":0,"sockets":0,"runs":0}' "$(jq -c .lost "$T_TMP/top.json" | sort -u)"
check_true intervals jq -e -s '.[1:] | all(.interval_s > 0.9 and .interval_s < 1.1)' "$T_TMP/top.json"
check_true time-rises jq -e -s "$JQ_TIME"' map(.time | t) | . as $t | [range(1; length) | $t[.] > $t[. - 1]] | all' "$T_TMP/top.json"
check_true total-is-cumulative jq -e -s '[.[].total.bytes_sent] | . as $b | [range(1; length) | $b[.] >= $b[. - 1]] | all' "$T_TMP/top.json"

# ---------------------------------------------------------------- run 2 ----

GAP=2.5
flowgen_sink sh "$A1" --listen 198.18.1.1 --bytes 500000 --comm fg-sinksh || finish
sh=$FG_PID psh=$FG_PORT
flowgen_sink fk "$A2" --listen 198.18.2.1 --bytes 300000 --comm fg-sinkfk || finish
fk=$FG_PID pfk=$FG_PORT
flowgen_sink pk "$A3" --udp --peek --listen 2001:db8:3::1 --bytes 300000 --comm fg-sinkpk || finish
pk=$FG_PID ppk=$FG_PORT

# a flow paced since before socktap started: every interval, the first
# included, has its rate (the first interval's bytes and length agree)
flowgen_sink st "$A1" --listen 198.18.1.1 --bytes 18000000 --comm fg-sinkst || finish
st=$FG_PID pst=$FG_PORT
flowgen_bg steady "$B1" send --connect 198.18.1.1 --port "$pst" --rate 1000000 --bytes 18000000 \
	--comm fg-steady
steady=$FG_PID
wait_for "$T_TMP/steady.out" connected 10 || fail steady "$(cat "$T_TMP/steady.err")"
sleep 1

top_start attr --interval 1 --count 10 || finish
attr=$TOP_PID
# the same run seen through -p and -f
top_start only --interval 1 --count 10 -p "$pk" || finish
only=$TOP_PID
top_start filt --interval 1 --count 10 -f "dport = :$psh" || finish
filt=$TOP_PID
flowgen_bg shared "$B1" shared --connect 198.18.1.1 --port "$psh" --bytes 300000 \
	--child-bytes 200000 --rate 200000 --comm fg-shared
shared=$FG_PID
flowgen_bg fork "$B2" fork --connect 198.18.2.1 --port "$pfk" --bytes 100000 --child-bytes 200000 \
	--children 2 --gap $GAP --rate 400000 --comm fg-fork
fork=$FG_PID
flowgen_bg pu "$B3" send --udp --connect 2001:db8:3::1 --port "$ppk" --bytes 300000 --rate 300000 \
	--comm fg-udpp
pu=$FG_PID
for p in shared fork pu sh fk pk; do
	reaped "$p" "${!p}"
done
# the fork's children end on their own, after the parent
wait_for "$T_TMP/fork.out" '"role":"holder"' 15 && wait_for "$T_TMP/fork.out" '"event":"exit".*"role":"sender"' 5 ||
	fail fork-children "the fork's children did not end: $(cat "$T_TMP/fork.err")"
top_end attr "$attr" 20
kill "$steady" "$st" 2>/dev/null
top_end only "$only" 5
top_end filt "$filt" 5

check_eq steady-every-interval "10 of 10 within 5% of 1000000" \
	"$(jq -r --argjson p "$steady" '[.processes[] | select(.pid == $p) | .sent_bps][0] // 0' "$T_TMP/attr.json" |
		awk '{ n++; if ($1 > 950000 && $1 < 1050000) k++; else bad = bad " " $1 } END { printf "%d of %d within 5%% of 1000000%s", k, n, bad ? ";" bad : "" }')"

# shared: everything under the process that connected
child=$(fgv shared forked child)
check_proc shared-connector "$shared" fg-shared 500000 0 attr
check_eq shared-child-nothing "0" "$(jq -r '(.bytes_sent // 0) + (.bytes_received // 0)' <<<"$(proc attr "$child")")"
check_eq shared-conn-owner "$shared" "$(conns attr ".lport == $(fgv shared connected lport) and .netns == $(netns_inode "$B1")" | jq -r .pid | sort -u | tr '\n' ' ' | sed 's/ $//')"
check_proc shared-receiver "$sh" fg-sinksh 0 500000 attr

# fork: the parent's bytes under the parent; after it exited, the lowest
# pid still holding the socket, whichever child sends
kids=$(jq -r 'select(.event == "forked") | .children[]' "$T_TMP/fork.out" | sort -n)
low=$(head -n 1 <<<"$kids") high=$(tail -n 1 <<<"$kids")
check_eq fork-sender-is-high "$high" "$(fgv fork forked sender)"
check_proc fork-parent "$fork" fg-fork 100000 0 attr
check_proc fork-lowest-holder "$low" fg-fork 200000 0 attr
check_eq fork-sending-child-nothing "0" "$(jq -r '(.bytes_sent // 0) + (.bytes_received // 0)' <<<"$(proc attr "$high")")"
check_proc fork-receiver "$fk" fg-sinkfk 0 300000 attr
check_eq fork-conn-closed "$low 300000" "$(conns attr ".lport == $(fgv fork connected lport) and .netns == $(netns_inode "$B2") and .closed" | jq -r '"\(.pid) \(.bytes_sent)"')"

# peek: peeked bytes are not received bytes
check_proc peek-receiver "$pk" fg-sinkpk 0 300000 attr
check_proc peek-sender "$pu" fg-udpp 300000 0 attr
check_eq peek-done "300000 300000" "$(fgv pk done bytes) $(fgv pk done peeked)"

# -p PID: only that process's rows, with the same bytes
check_eq only-pids "$pk" "$(jq -r '.processes[].pid, .connections[].pid' "$T_TMP/only.json" | sort -u | tr '\n' ' ' | sed 's/ $//')"
check_proc only-bytes "$pk" fg-sinkpk 0 300000 only
# -f 'dport = :P': only the sender's side of the connection to P
check_eq filt-rports "$psh" "$(jq -r '.connections[].rport' "$T_TMP/filt.json" | sort -u | tr '\n' ' ' | sed 's/ $//')"
check_eq filt-conn "$shared 500000" "$(jq -r '.connections[] | select(.closed) | "\(.pid) \(.bytes_sent)"' "$T_TMP/filt.json")"

# ------------------------------------------------------------ text, input ----

# --batch without --json: text tables naming the process and its bytes
flowgen_sink ts "$A1" --listen 198.18.1.1 --bytes 3000000 --comm fg-sinkts || finish
ts=$FG_PID
bg "$SOCKTAP" top --batch --interval 1 --count 3 >"$T_TMP/text.out" 2>"$T_TMP/text.err"
txt=$BG_PID
wait_for "$T_TMP/text.err" '^socktap: counting' 30 || fail text-started "$(head -c 300 "$T_TMP/text.err")"
flowgen_bg tt "$B1" send --connect 198.18.1.1 --port "$FG_PORT" --bytes 3000000 --rate 1000000 --comm fg-text
tt=$FG_PID
reaped text-sender "$tt"
reaped text-sink "$ts"
wait "$txt"
check_eq text-exit 0 $?
check_true text-sender-row grep -qE "^ *$tt +.*fg-text" "$T_TMP/text.out"
check_true text-receiver-row grep -qE "^ *$ts +.*fg-sinkts" "$T_TMP/text.out"
check_eq text-not-json 0 "$(grep -c '^{' "$T_TMP/text.out")"

# bad input: status 2, one line on stderr, nothing on stdout
bad() {
	local name=$1 rc
	shift
	timeout 10 "$SOCKTAP" top "$@" >"$T_TMP/bad.out" 2>"$T_TMP/bad.err"
	rc=$?
	check_eq "bad-$name" "2 1 0" "$rc $(wc -l <"$T_TMP/bad.err") $(wc -c <"$T_TMP/bad.out")"
}
bad interval-0 --batch --json --interval 0 --count 1
bad interval-neg --batch --json --interval -1 --count 1
bad count-x --batch --json --count x
bad sort --batch -o bogus --count 1
bad filter --batch --json --count 1 -f 'dport = '
bad flag --batch --json --bogus
bad pid --batch --json --count 1 -p notapid
keep
finish
