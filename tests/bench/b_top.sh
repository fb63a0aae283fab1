#!/usr/bin/env bash
# socktap top's cost, in four parts.
#
# 1. Bulk TCP between two namespaces over veth (iperf3, 1 and 8 streams, a
#    fixed number of bytes chosen so that an unwatched transfer lasts about
#    BULK_SECS seconds) with `socktap top --batch >/dev/null` running, and
#    the same with nethogs and with iftop on the client's veth, in
#    alternating order, ROUNDS rounds. Each tool's own cost is the CPU time
#    it took during the transfer: for socktap its BPF programs' run time
#    (kernel.bpf_stats_enabled, on for every tool's rounds alike) plus its
#    process CPU (schedstat), for nethogs and iftop their process CPU
#    (schedstat; the kernel's copy of each packet to their capture socket is
#    not theirs to count, so their cost is if anything understated); as a
#    share of the machine's busy CPU time over the transfer (/proc/stat, all
#    CPUs). Target: socktap at most 0.5%, below both.
# 2. Small-message request/response (tests/flowgen pingpong, TCP and UDP,
#    64 bytes each way, client and server on CPU 0 as in b_connrate): the
#    transaction rate with socktap top running over the mean of the
#    untraced runs just before and after, median of PP_ROUNDS rounds.
#    Target: at least 0.97. Each round also measures the floor the same way:
#    tests/bench/floor.c's programs that do nothing, on the two per-call
#    tracepoints socktap's UDP counting needs, so that what socktap's own
#    programs cost is told apart from what attaching anything there costs;
#    and the least an exact count does there (floor.c count: UDP's bytes
#    in the socket's own storage, one atomic add a call).
# 3. The BPF programs' average run time per call (run_time_ns / run_cnt of
#    socktap's programs) under the bulk transfers and under ping-pong, with
#    the per-program split in the note. Target: under 100 ns.
# 4. 10,000 TCP sockets (tests/sockfarm, established pairs and listeners
#    on loopback in a namespace) and, separately, 10,000 sockets each
#    moving a small message every second (tests/flowgen many): socktap top
#    --batch --json --interval 1's process CPU over FARM_SECS seconds as a
#    share of one core, and its RSS. Targets: under 1%, under 32 MiB.
# Nothing here is tuned to meet a target: the figures are printed as they
# come, with "met" or "NOT met".
. "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-3}
BULK_SECS=${BULK_SECS:-5}
PP_ROUNDS=${PP_ROUNDS:-7}
PP_SECS=${PP_SECS:-2}
FARM_SECS=${FARM_SECS:-20}
FLOWGEN=$TESTBIN/flowgen
FLOOR=$TESTBIN/floor
for p in "$FLOWGEN" "$TESTBIN/sockfarm" "$FLOOR"; do
	[ -x "$p" ] || { echo "b_top: $p missing (make tests)" >&2; exit 1; }
done
b_need b_top iperf3 nethogs iftop bpftool taskset
if ! "$SOCKTAP" top --help >/dev/null 2>&1; then
	b_result top "socktap top" "-" 0 "-" 0 0 "skipped: this socktap has no top command yet"
	exit 0
fi
HZ=$(getconf CLK_TCK)
PIN="taskset -c 0"
[ "$(nproc)" -ge 2 ] || PIN=
old_stats=$(sysctl -n kernel.bpf_stats_enabled)
trap 'rc=$?; sysctl -qw kernel.bpf_stats_enabled="$old_stats"; b_cleanup; exit $rc' EXIT
pct() { awk -v v="$1" 'BEGIN { printf "%.3f", v * 100 }'; }
fmt() { awk -v v="$1" -v d="${2:-1}" 'BEGIN { printf "%.*f", d, v }'; }
met() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = op == "<=" ? v <= t : op == "<" ? v < t : v >= t; print ok ? "met" : "NOT met" }'; }

# Two namespaces over veth: the servers in srv (198.18.0.1), the clients in cli.
b_netns srv || exit 1
srv=$NS
b_netns cli || exit 1
cli=$NS
VA="vb$$a" VB="vb$$b"
b_veth "$srv" "$cli" "$VA" "$VB" || exit 1
sleep 1 # carrier: nethogs ignores a device that is not running yet

# busy CPU seconds of the whole machine so far (every CPU; idle and iowait
# excluded; guest time is inside user)
busy() { awk -v hz="$HZ" '$1 == "cpu" { print ($2 + $3 + $4 + $7 + $8 + $9) / hz; exit }' /proc/stat; }

# tool NAME: starts it, waits until it is working; sets TOOL (pid) and IDS
# (for socktap: its programs, those that appeared while it started)
tool() {
	local before
	before=$(b_prog_ids stp_)
	IDS=
	case $1 in
	socktap | socktap_tcp)
		# socktap_tcp: top -t, which loads no UDP hooks
		b_start "$SOCKTAP" top $([ "$1" = socktap_tcp ] && echo -t) --batch >/dev/null 2>"$B_TMP/st.err"
		wait_for "$B_TMP/st.err" '^socktap: counting' 30 ||
			{ echo "b_top: socktap top did not start: $(head -c 300 "$B_TMP/st.err")" >&2; exit 1; }
		IDS=$(comm -13 <(echo "$before") <(b_prog_ids stp_))
		;;
	nethogs)
		b_start ip netns exec "$cli" nethogs -t -d 1 "$VB" >"$B_TMP/nh.out" 2>&1
		wait_for "$B_TMP/nh.out" '^Refreshing' 10 ||
			{ echo "b_top: nethogs did not start: $(head -c 300 "$B_TMP/nh.out")" >&2; exit 1; }
		;;
	iftop)
		b_start ip netns exec "$cli" iftop -t -n -N -P -i "$VB" >"$B_TMP/if.out" 2>&1
		wait_for "$B_TMP/if.out" '^(Listening on|MAC address is)' 10 ||
			{ echo "b_top: iftop did not start: $(head -c 300 "$B_TMP/if.out")" >&2; exit 1; }
		;;
	floor | count)
		# count: the least an exact count of UDP's bytes does on the same hooks
		local mode=percall
		[ "$1" = count ] && mode=count
		b_start "$FLOOR" $mode >"$B_TMP/floor.out" 2>&1
		wait_for "$B_TMP/floor.out" '^floor: attached' 10 ||
			{ echo "b_top: floor $mode did not start: $(head -c 300 "$B_TMP/floor.out")" >&2; exit 1; }
		;;
	none)
		B_PID=
		;;
	esac
	TOOL=$B_PID
	sleep 0.5 # its start is not part of what it costs
}
# tool_stop: ends the tool started last; it must not have died meanwhile
tool_stop() {
	[ -n "$TOOL" ] || return 0
	if ! kill -0 "$TOOL" 2>/dev/null; then
		echo "b_top: the tool (pid $TOOL) died during the round" >&2
		exit 1
	fi
	b_stop "$TOOL"
}

# ------------------------------------------------------------- 1. bulk ----

b_start ip netns exec "$srv" iperf3 -s >"$B_TMP/iperf3s.out" 2>&1
iperf_srv=$B_PID
# (its output is block-buffered in a file: ask the socket table)
for ((i = 0; i < 100; i++)); do
	[ -n "$(ip netns exec "$srv" ss -Hltn 'sport = :5201')" ] && break
	sleep 0.1
done
[ -n "$(ip netns exec "$srv" ss -Hltn 'sport = :5201')" ] ||
	{ echo "b_top: iperf3 -s did not start: $(head -c 300 "$B_TMP/iperf3s.out")" >&2; exit 1; }
# iperf3 STREAMS ARGS...: one client run, its JSON in $B_TMP/ip.json
iperf() {
	local p=$1
	shift
	ip netns exec "$cli" iperf3 -c 198.18.0.1 -P "$p" -J "$@" >"$B_TMP/ip.json" 2>"$B_TMP/ip.err" || {
		echo "b_top: iperf3 -P $p $* failed: $(head -c 300 "$B_TMP/ip.err")" >&2
		exit 1
	}
}

sysctl -qw kernel.bpf_stats_enabled=1
declare -A BYTES
for p in 1 8; do
	# the byte count: what an unwatched 2 s run moves, scaled to BULK_SECS,
	# in whole 100 MB, fixed for every round and tool
	iperf "$p" -t 2
	BYTES[$p]=$(jq -r ".end.sum_sent.bytes / .end.sum_sent.seconds * $BULK_SECS / 1e8 | floor * 1e8 | floor" "$B_TMP/ip.json")
	[ "${BYTES[$p]}" -gt 0 ] || BYTES[$p]=100000000
done
for p in 1 8; do
	: >"$B_TMP/bulk$p.all"
	for ((r = 0; r < ROUNDS; r++)); do
		order="none socktap nethogs iftop"
		((r % 2)) && order="iftop nethogs socktap none"
		for who in $order; do
			tool $who
			c0=0 c1=0 t0=0 t1=0 n0=0 n1=0
			[ -n "$TOOL" ] && c0=$(b_cpu "$TOOL")
			[ -n "$IDS" ] && read -r t0 n0 <<<"$(b_bpf_stats "$IDS")"
			u0=$(busy)
			w0=$(date +%s.%N)
			iperf "$p" -n "${BYTES[$p]}"
			w1=$(date +%s.%N)
			u1=$(busy)
			[ -n "$IDS" ] && read -r t1 n1 <<<"$(b_bpf_stats "$IDS")"
			[ -n "$TOOL" ] && c1=$(b_cpu "$TOOL")
			[ $who = socktap ] && bpftool prog show -j | jq -c --arg ids "$IDS" \
				'($ids | split("\n") | map(select(. != "") | tonumber)) as $w | .[] | select(.id as $i | $w | index($i)) | {name, run_time_ns, run_cnt}' \
				>"$B_TMP/progs.$p.$r.end"
			[ $who = socktap ] && [ "$r" -eq 0 ] && cp "$B_TMP/progs.$p.$r.end" "$B_TMP/progs.$p.first"
			tool_stop
			# who proc_cpu bpf_s bpf_calls busy_s wall_s gbit/s
			echo "$who $(awk -v a="$c0" -v b="$c1" 'BEGIN { print b - a }') $(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) / 1e9 }') $((n1 - n0)) $(awk -v a="$u0" -v b="$u1" 'BEGIN { print b - a }') $(awk -v a="$w0" -v b="$w1" 'BEGIN { print b - a }') $(jq '.end.sum_sent.bits_per_second / 1e9' "$B_TMP/ip.json")" \
				>>"$B_TMP/bulk$p.all"
		done
	done
done
sysctl -qw kernel.bpf_stats_enabled="$old_stats"

# per tool and stream count: share = median over rounds of own / busy
share() { awk -v w="$2" '$1 == w { print ($2 + $3) / $5 }' "$1" | b_median; }
col() { awk -v w="$2" -v c="$3" '$1 == w { print $c }' "$1" | b_median; }
for p in 1 8; do
	f=$B_TMP/bulk$p.all
	s=$(share "$f" socktap)
	nh=$(share "$f" nethogs)
	it=$(share "$f" iftop)
	gb=$((BYTES[$p] / 1000000))
	base_gbit=$(col "$f" none 7)
	note="$ROUNDS alternating rounds of ${gb} MB (about $BULK_SECS s unwatched, $(fmt "$base_gbit" 2) Gbit/s); own CPU over the machine's busy CPU during the transfer, median"
	note+="; socktap: BPF $(fmt "$(col "$f" socktap 3)" 4) s + process $(fmt "$(col "$f" socktap 2)" 4) s of $(fmt "$(col "$f" socktap 5)" 2) s busy, $(fmt "$(col "$f" socktap 7)" 2) Gbit/s"
	note+="; nethogs: $(fmt "$(col "$f" nethogs 2)" 4) s of $(fmt "$(col "$f" nethogs 5)" 2) s busy, $(fmt "$(col "$f" nethogs 7)" 2) Gbit/s"
	note+="; iftop: $(fmt "$(col "$f" iftop 2)" 4) s of $(fmt "$(col "$f" iftop 5)" 2) s busy, $(fmt "$(col "$f" iftop 7)" 2) Gbit/s"
	note+="; nobody watching: $(fmt "$(col "$f" none 5)" 2) s busy"
	below="NOT met"
	awk -v s="$s" -v a="$nh" -v b="$it" 'BEGIN { exit !(s < a && s < b) }' && below=met
	note+="; target socktap <= 0.5%: $(met "$(pct "$s")" 0.5 "<="), below both: $below"
	b_result top "bulk TCP -P $p: socktap top --batch" "% of busy CPU" "$(pct "$s")" nethogs "$(pct "$nh")" \
		"$(b_ratio "$s" "$nh")" "$note"
	b_result top "bulk TCP -P $p: socktap top --batch" "% of busy CPU" "$(pct "$s")" iftop "$(pct "$it")" \
		"$(b_ratio "$s" "$it")" "ratio: socktap's share over iftop's; see the nethogs row for the method"
done
b_stop "$iperf_srv"

# --------------------------------------------------------- 2. ping-pong ----

declare -A PPPORT PPSRV
for proto in tcp udp; do
	u=
	[ $proto = udp ] && u=--udp
	b_start ip netns exec "$srv" $PIN "$FLOWGEN" pingpong-server $u --listen 198.18.0.1 \
		--timeout 3600 >"$B_TMP/pp$proto.out" 2>&1
	PPSRV[$proto]=$B_PID
	wait_for "$B_TMP/pp$proto.out" listening 10 || { echo "b_top: pingpong-server $proto did not start" >&2; exit 1; }
	PPPORT[$proto]=$(jq -r .port "$B_TMP/pp$proto.out" | head -n 1)
done
# rate PROTO: transactions per second of one client run
rate() {
	local u=
	[ "$1" = udp ] && u=--udp
	ip netns exec "$cli" $PIN "$FLOWGEN" pingpong $u --connect 198.18.0.1 --port "${PPPORT[$1]}" \
		--seconds "$PP_SECS" | jq .rate
}
for proto in tcp udp; do
	: >"$B_TMP/pp$proto.ratios"
	: >"$B_TMP/pp$proto.floor"
	: >"$B_TMP/pp$proto.count"
	: >"$B_TMP/pp$proto.socktap_tcp"
	: >"$B_TMP/pp$proto.base"
	arms="socktap floor count"
	[ $proto = tcp ] && arms="$arms socktap_tcp"
	prev=$(rate $proto)
	echo "$prev" >>"$B_TMP/pp$proto.base"
	for ((r = 0; r < PP_ROUNDS; r++)); do
		# socktap, then the floor, then the least exact count (and for
		# TCP socktap top -t), each against the untraced runs around it
		for arm in $arms; do
			tool $arm
			traced=$(rate $proto)
			tool_stop
			next=$(rate $proto)
			echo "$next" >>"$B_TMP/pp$proto.base"
			out=ratios
			[ $arm != socktap ] && out=$arm
			echo "$traced $prev $next" | awk '{ print $1 / (($2 + $3) / 2) }' >>"$B_TMP/pp$proto.$out"
			prev=$next
		done
	done
	m=$(b_median <"$B_TMP/pp$proto.ratios")
	lo=$(sort -g "$B_TMP/pp$proto.ratios" | head -n 1)
	hi=$(sort -g "$B_TMP/pp$proto.ratios" | tail -n 1)
	fm=$(b_median <"$B_TMP/pp$proto.floor")
	flo=$(sort -g "$B_TMP/pp$proto.floor" | head -n 1)
	fhi=$(sort -g "$B_TMP/pp$proto.floor" | tail -n 1)
	b_result top "ping-pong $proto 64 B: socktap top --batch" "rate / untraced rate" "$m" "untraced" 1 "$m" \
		"client and server${PIN:+ on CPU 0 (taskset -c 0)}, in two namespaces over veth; median of $PP_ROUNDS rounds of $PP_SECS s, each traced run against the untraced runs around it (per-round ratios $(fmt "$lo" 3)..$(fmt "$hi" 3)); untraced about $(b_median <"$B_TMP/pp$proto.base" | awk '{ printf "%.0f", $1 }') transactions/s (median); the floor (programs that do nothing, on the same two tracepoints) keeps $(fmt "$fm" 3); target >= 0.97: $(met "$m" 0.97 ">=")"
	b_result top "ping-pong $proto 64 B: floor (empty programs on sock_send_length and sock_recv_length)" \
		"rate / untraced rate" "$fm" "socktap top" "$m" "$(b_ratio "$m" "$fm")" \
		"tests/bench/floor.c percall, measured in the same rounds and the same way as socktap (per-round ratios $(fmt "$flo" 3)..$(fmt "$fhi" 3)): the kernel's price for running any program on the per-call tracepoints, the only path to UDP's bytes on this kernel (no fexit, no kprobes); ratio: socktap's rate over the floor's, what socktap's own program bodies keep; the 0.97 target is $(awk -v f="$fm" 'BEGIN { print (f < 0.97 ? "above" : "not above") }') what the floor keeps here"
	cm=$(b_median <"$B_TMP/pp$proto.count")
	clo=$(sort -g "$B_TMP/pp$proto.count" | head -n 1)
	chi=$(sort -g "$B_TMP/pp$proto.count" | tail -n 1)
	b_result top "ping-pong $proto 64 B: the least exact count (socket storage and one add a UDP call, same tracepoints)" \
		"rate / untraced rate" "$cm" "socktap top" "$m" "$(b_ratio "$m" "$cm")" \
		"tests/bench/floor.c count, measured in the same rounds and the same way (per-round ratios $(fmt "$clo" 3)..$(fmt "$chi" 3)): UDP's payload bytes per socket counted in the socket's own storage with one atomic add a call (other protocols leave at the first test), the least any exact per-socket count on these hooks does; ratio: socktap's rate over this one's; the 0.97 target at this count: $(met "$cm" 0.97 ">=")"
	[ $proto = tcp ] || continue
	tm=$(b_median <"$B_TMP/pp$proto.socktap_tcp")
	tlo=$(sort -g "$B_TMP/pp$proto.socktap_tcp" | head -n 1)
	thi=$(sort -g "$B_TMP/pp$proto.socktap_tcp" | tail -n 1)
	b_result top "ping-pong tcp 64 B: socktap top -t --batch (TCP only)" "rate / untraced rate" "$tm" \
		"socktap top" "$m" "$(b_ratio "$tm" "$m")" \
		"measured in the same rounds and the same way (per-round ratios $(fmt "$tlo" 3)..$(fmt "$thi" 3)): with -t socktap loads no UDP hooks, so no program runs per call; what default top costs TCP beyond this is the UDP counting's per-call tracepoints, which fire for every socket's calls; not the target's measure (default top), shown beside it"
done

# ------------------------------------------------- 3. BPF time per call ----

# per-call figures under ping-pong: a round of each with the stats on
sysctl -qw kernel.bpf_stats_enabled=1
for proto in tcp udp; do
	tool socktap
	bpftool prog show -j | jq -c --arg ids "$IDS" \
		'($ids | split("\n") | map(select(. != "") | tonumber)) as $w | .[] | select(.id as $i | $w | index($i)) | {name, run_time_ns, run_cnt}' \
		>"$B_TMP/pp$proto.progs0"
	rate $proto >/dev/null
	bpftool prog show -j | jq -c --arg ids "$IDS" \
		'($ids | split("\n") | map(select(. != "") | tonumber)) as $w | .[] | select(.id as $i | $w | index($i)) | {name, run_time_ns, run_cnt}' \
		>"$B_TMP/pp$proto.progs1"
	tool_stop
done
sysctl -qw kernel.bpf_stats_enabled="$old_stats"
# percall BEFORE AFTER: "avg_ns calls split" over the programs
percall() {
	jq -s -r --slurpfile a "$1" '
		(map({key: .name, value: .}) | from_entries) as $fin |
		[$a[] | . as $s | $fin[$s.name] | {name, ns: ((.run_time_ns // 0) - ($s.run_time_ns // 0)), n: ((.run_cnt // 0) - ($s.run_cnt // 0))}] |
		map(select(.n > 0)) as $p |
		"\(if ($p | map(.n) | add // 0) > 0 then (($p | map(.ns) | add) / ($p | map(.n) | add)) else 0 end) \($p | map(.n) | add // 0) \($p | map("\(.name) \(.ns / .n | floor) ns x \(.n)") | join(", "))"' "$2"
}
for c in "bulk -P 1:bulk1" "bulk -P 8:bulk8" "ping-pong tcp:pptcp" "ping-pong udp:ppudp"; do
	label=${c%%:*} key=${c##*:}
	case $key in
	bulk*)
		# every socktap round of that stream count, from its own start: the
		# programs are loaded anew each round, so their counters start at 0
		p=${key#bulk}
		cat "$B_TMP"/progs."$p".*.end | jq -s -c 'group_by(.name) | .[] | {name: .[0].name, run_time_ns: (map(.run_time_ns // 0) | add), run_cnt: (map(.run_cnt // 0) | add)}' >"$B_TMP/$key.sum"
		: >"$B_TMP/zero"
		jq -c '{name, run_time_ns: 0, run_cnt: 0}' "$B_TMP/$key.sum" >"$B_TMP/zero"
		read -r avg n split <<<"$(percall "$B_TMP/zero" "$B_TMP/$key.sum")"
		;;
	*)
		read -r avg n split <<<"$(percall "$B_TMP/$key.progs0" "$B_TMP/$key.progs1")"
		;;
	esac
	b_result top "BPF run time per call, $label" "ns" "$(fmt "$avg")" "-" 0 0 \
		"run_time_ns / run_cnt over socktap's programs (kernel.bpf_stats_enabled), $n calls; per program: $split; target < 100 ns: $(met "$avg" 100 "<")"
done

# ----------------------------------------------------- 4. many sockets ----

# watch NAME ARGS: socktap top ARGS over FARM_SECS s after a 3 s warm-up:
# "cpu_share_of_one_core rss_mib hwm_mib"
watch() {
	local name=$1 pid c0 c1 w0 w1
	shift
	b_start "$SOCKTAP" top "$@" >"$B_TMP/$name.out" 2>"$B_TMP/$name.err"
	pid=$B_PID
	wait_for "$B_TMP/$name.err" '^socktap: counting' 60 ||
		{ echo "b_top: socktap top $* did not start: $(head -c 300 "$B_TMP/$name.err")" >&2; exit 1; }
	sleep 3
	c0=$(b_cpu "$pid")
	u0=$(awk '{ print $14 }' "/proc/$pid/stat")
	w0=$(date +%s.%N)
	sleep "$FARM_SECS"
	c1=$(b_cpu "$pid")
	u1=$(awk '{ print $14 }' "/proc/$pid/stat")
	w1=$(date +%s.%N)
	kill -0 "$pid" 2>/dev/null || { echo "b_top: socktap top $* died" >&2; exit 1; }
	# and, for the note, the part spent in userspace (utime, in clock ticks;
	# the rest is the kernel's, mostly the iterator reading every socket)
	echo "$(awk -v a="$c0" -v b="$c1" -v s="$w0" -v e="$w1" 'BEGIN { print (b - a) / (e - s) }') $(awk '/^VmRSS:/ { print $2 / 1024 }' "/proc/$pid/status") $(awk '/^VmHWM:/ { print $2 / 1024 }' "/proc/$pid/status") $(awk -v a="$u0" -v b="$u1" -v s="$w0" -v e="$w1" -v hz="$(getconf CLK_TCK)" 'BEGIN { print (b - a) / hz / (e - s) }')"
	b_stop "$pid"
}
for kind in idle active; do
	b_netns "farm$kind" || exit 1
	farmns=$NS
	if [ $kind = idle ]; then
		b_start ip netns exec "$farmns" "$TESTBIN/sockfarm" --sockets 10000 --timeout 600 \
			>"$B_TMP/farm.out" 2>"$B_TMP/farm.err"
		wait_for "$B_TMP/farm.out" '^ready' 120 ||
			{ echo "b_top: sockfarm: $(cat "$B_TMP/farm.err")" >&2; exit 1; }
		what="10,000 idle TCP sockets (tests/sockfarm: established pairs and listeners on loopback)"
	else
		b_start ip netns exec "$farmns" "$FLOWGEN" many --listen 127.0.0.1 --count 10000 --size 100 \
			--tick 1000 --timeout 600 >"$B_TMP/farm.out" 2>"$B_TMP/farm.err"
		wait_for "$B_TMP/farm.out" '"event":"ready"' 120 ||
			{ echo "b_top: flowgen many: $(cat "$B_TMP/farm.err")" >&2; exit 1; }
		what="10,000 TCP sockets (5,000 pairs on loopback, tests/flowgen many), each pair moving 100 bytes every second"
	fi
	farm=$B_PID
	inode=$(netns_inode "$farmns")
	read -r cpu rss hwm ucpu <<<"$(watch "$kind.json" --batch --json --interval 1)"
	rows=$(tail -n 2 "$B_TMP/$kind.json.out" | head -n 1 | jq --argjson n "$inode" '[.connections[] | select(.netns == $n)] | length')
	read -r tcpu trss thwm tucpu <<<"$(watch "$kind.text" --batch --interval 1)"
	b_result top "$kind 10k sockets: socktap top --batch --json --interval 1" "% of one core" "$(pct "$cpu")" \
		"socktap top --batch --interval 1" "$(pct "$tcpu")" "$(b_ratio "$cpu" "$tcpu")" \
		"$what; process CPU (schedstat) over $FARM_SECS s after a 3 s warm-up, of which in userspace (utime) $(pct "$ucpu")% (JSON), $(pct "$tucpu")% (text); the JSON listed $rows connections of that namespace per refresh; target < 1%: $(met "$(pct "$cpu")" 1 "<") (JSON), $(met "$(pct "$tcpu")" 1 "<") (text)"
	b_result top "$kind 10k sockets: socktap top RSS" "MiB" "$(fmt "$hwm")" "-" 0 0 \
		"peak RSS (VmHWM) of --batch --json --interval 1 after $((FARM_SECS + 3)) s, RSS then $(fmt "$rss") MiB; text: peak $(fmt "$thwm") MiB; target < 32 MiB: $(met "$hwm" 32 "<") (JSON), $(met "$thwm" 32 "<") (text)"
	b_stop "$farm"
	ip netns del "$farmns"
done
