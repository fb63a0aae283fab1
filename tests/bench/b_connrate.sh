#!/usr/bin/env bash
# Short-connection rate (a C client/server pair on loopback in a namespace)
# with `socktap trace --json >/dev/null` attached, against no tracer and
# against libbpf-tools' tcplife, in alternating rounds; the median of the
# per-round ratios, since these machines are noisy. Then, in rounds of their
# own with kernel.bpf_stats_enabled on (it costs time itself), the BPF run
# time per connection of socktap's programs and of tcplife's, and socktap's
# process CPU.
. "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-7}
FLOAT_ROUNDS=${FLOAT_ROUNDS:-5}
COST_ROUNDS=${COST_ROUNDS:-3}
# A round of a few thousand connections lasts a fraction of a second, and
# the rate of the same untraced pair swings 15% between such rounds here;
# over 20,000 (about 1.5 s) it stays within 3%.
CONNS=${CONNS:-20000}
# The pair shares one CPU, as a loaded server's does: the time the tracer's
# programs add to each connection is then time the pair loses, and the
# rate is stable. A pair free to move is measured too, for information: on
# a 2-vCPU VM its rate mostly tracks where the scheduler puts the two
# processes (one CPU each means an idle vCPU woken per message).
PIN="taskset -c 0"
[ "$(nproc)" -ge 2 ] || PIN=

b_netns connrate || exit 1
ns=$NS
b_start ip netns exec "$ns" "$TRAFGEN" server --listen 127.0.0.1 --port 0 \
	--count 1000000000 --quiet --timeout 3600 >"$B_TMP/server.out"
wait_for "$B_TMP/server.out" listening || exit 1
port=$(head -n 1 "$B_TMP/server.out" | jq .lport)
server=$B_PID # ip netns exec became trafgen: same pid
# server_cpus [PIN]: the server on CPU 0 with PIN, on every CPU without
server_cpus() {
	if [ -n "${1:-}" ]; then
		taskset -pc 0 "$server" >/dev/null
	else
		taskset -pc "0-$(($(nproc) - 1))" "$server" >/dev/null
	fi
}

# rate [PIN]: connections per second of one client run
rate() {
	ip netns exec "$ns" ${1:-} "$TRAFGEN" client --connect 127.0.0.1 --port "$port" \
		--count "$CONNS" --quiet | jq '.connections / (.elapsed_ns / 1e9)'
}
# tracer NAME: starts it, sets TRACER (pid) and IDS (its programs: every
# program that appeared while it started, as tcplife's names are its own)
tracer() {
	local before
	before=$(b_prog_ids)
	case $1 in
	socktap)
		b_start "$SOCKTAP" trace --json >/dev/null 2>"$B_TMP/st.err"
		wait_for "$B_TMP/st.err" tracing || exit 1
		;;
	tcplife)
		# line-buffered, or its header stays in a pipe buffer
		b_start stdbuf -oL tcplife >"$B_TMP/tl.out" 2>&1
		wait_for "$B_TMP/tl.out" PID || exit 1
		;;
	esac
	TRACER=$B_PID
	IDS=$(comm -13 <(echo "$before") <(b_prog_ids))
	# its start (BTF parsing, map setup) is not part of what it costs
	sleep 0.5
}

# ratios ROUNDS [PIN]: per round and per tracer (in alternating order), the
# traced rate over the mean of the untraced runs just before and just after
# it, so a drift of the host's speed cancels; into $B_TMP/<tracer>.ratios
ratios() {
	local r who prev next traced order
	: >"$B_TMP/socktap.ratios"
	: >"$B_TMP/tcplife.ratios"
	: >"$B_TMP/untraced"
	server_cpus "${2:-}"
	prev=$(rate "${2:-}")
	echo "$prev" >>"$B_TMP/untraced"
	for ((r = 0; r < $1; r++)); do
		order="socktap tcplife"
		((r % 2)) && order="tcplife socktap"
		for who in $order; do
			tracer $who
			traced=$(rate "${2:-}")
			b_stop "$TRACER"
			next=$(rate "${2:-}")
			echo "$traced $prev $next" | awk '{ print $1 / (($2 + $3) / 2) }' \
				>>"$B_TMP/$who.ratios"
			prev=$next
			echo "$next" >>"$B_TMP/untraced"
		done
	done
	BASE=$(b_median <"$B_TMP/untraced")
}

ratios "$ROUNDS" "$PIN"
s=$(b_median <"$B_TMP/socktap.ratios")
t=$(b_median <"$B_TMP/tcplife.ratios")
base_med=$BASE
b_result connrate "socktap trace --json" "rate / untraced rate" "$s" "tcplife" "$t" \
	"$(b_ratio "$s" "$t")" \
	"client and server on one CPU${PIN:+ (taskset -c 0)}; median of $ROUNDS rounds of $CONNS connections, each traced run against the untraced runs around it; untraced about ${base_med%.*} conn/s (median)"
if [ -n "$PIN" ]; then
	ratios "$FLOAT_ROUNDS"
	s=$(b_median <"$B_TMP/socktap.ratios")
	t=$(b_median <"$B_TMP/tcplife.ratios")
	b_result connrate "socktap trace --json, pair not pinned" "rate / untraced rate" "$s" \
		"tcplife" "$t" "$(b_ratio "$s" "$t")" \
		"for information: client and server free to move between the CPUs, median of $FLOAT_ROUNDS rounds; untraced about ${BASE%.*} conn/s (median). These ratios follow scheduler placement more than tracer cost"
fi

# own cost: BPF run time (ns per connection) and socktap's CPU
server_cpus "$PIN"
old_stats=$(sysctl -n kernel.bpf_stats_enabled)
sysctl -qw kernel.bpf_stats_enabled=1
: >"$B_TMP/socktap.ns"
: >"$B_TMP/tcplife.ns"
: >"$B_TMP/cpu"
for ((r = 0; r < COST_ROUNDS; r++)); do
	for who in socktap tcplife; do
		tracer $who
		read -r t0 _ <<<"$(b_bpf_stats "$IDS")"
		c0=$(b_cpu "$TRACER")
		rate "$PIN" >/dev/null
		read -r t1 _ <<<"$(b_bpf_stats "$IDS")"
		c1=$(b_cpu "$TRACER")
		b_stop "$TRACER"
		echo "$t0 $t1 $CONNS" | awk '{ print ($2 - $1) / $3 }' >>"$B_TMP/$who.ns"
		[ $who = socktap ] && echo "$c0 $c1" | awk '{ print $2 - $1 }' >>"$B_TMP/cpu"
	done
done
sysctl -qw kernel.bpf_stats_enabled="$old_stats"
s=$(b_median <"$B_TMP/socktap.ns")
t=$(b_median <"$B_TMP/tcplife.ns")
b_result connrate "BPF run time" "ns per connection" "$s" "tcplife" "$t" \
	"$(b_ratio "$s" "$t")" \
	"run_time_ns of each tool's own programs (kernel.bpf_stats_enabled), median of $COST_ROUNDS rounds"
cpu=$(awk -v n=$((COST_ROUNDS * CONNS)) '{ s += $1 } END { printf "%.0f", s * 1e9 / n }' "$B_TMP/cpu")
b_result connrate "socktap process CPU" "ns per connection" "$cpu" \
	"-" 0 0 "CPU time of the socktap process while attached (schedstat), over all rounds"
# the two against the time one untraced connection takes: the share of it
# socktap's own work adds, whatever the noise does to the rate ratios
conn_ns=$(awk -v r="$base_med" 'BEGIN { printf "%.0f", 1e9 / r }')
b_result connrate "socktap own cost" "BPF + CPU ns per connection" "$(awk -v a="$s" -v b="$cpu" 'BEGIN { printf "%.0f", a + b }')" \
	"untraced connection" "$conn_ns" "$(awk -v a="$s" -v b="$cpu" -v c="$conn_ns" 'BEGIN { printf "%.3f", (a + b) / c }')" \
	"ratio: the share of an untraced connection's time that socktap's own work amounts to"
