#!/usr/bin/env bash
# Short-connection rate (a C client/server pair on loopback in a namespace)
# with `socktap trace --json >/dev/null` attached, against no tracer and against
# libbpf-tools' tcplife, in alternating rounds; the median of the per-round
# ratios, since these machines are noisy. Also socktap's own cost: BPF run
# time per connection (kernel.bpf_stats_enabled) and its process CPU.
. "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-7}
CONNS=${CONNS:-3000}

b_netns connrate || exit 1
ns=$NS
b_start ip netns exec "$ns" "$TRAFGEN" server --listen 127.0.0.1 --port 0 \
	--count $(((ROUNDS * 3 + 1) * CONNS)) --quiet --timeout 600 >"$B_TMP/server.out"
wait_for "$B_TMP/server.out" listening || exit 1
port=$(head -n 1 "$B_TMP/server.out" | jq .lport)

rate() {
	ip netns exec "$ns" "$TRAFGEN" client --connect 127.0.0.1 --port "$port" \
		--count "$CONNS" --quiet | jq '.connections / (.elapsed_ns / 1e9)'
}

old_stats=$(sysctl -n kernel.bpf_stats_enabled)
sysctl -qw kernel.bpf_stats_enabled=1
: >"$B_TMP/socktap.ratios"
: >"$B_TMP/tcplife.ratios"
: >"$B_TMP/ns_per_conn"
: >"$B_TMP/cpu"
for ((r = 0; r < ROUNDS; r++)); do
	base=$(rate)

	before=$(b_prog_ids)
	b_start "$SOCKTAP" trace --json >/dev/null 2>"$B_TMP/st.err"
	st=$B_PID
	wait_for "$B_TMP/st.err" tracing || exit 1
	# this instance's programs only, whatever else is loaded
	ids=$(comm -13 <(echo "$before") <(b_prog_ids))
	read -r t0 n0 <<<"$(b_bpf_stats "$ids")"
	c0=$(b_cpu "$st")
	traced=$(rate)
	read -r t1 n1 <<<"$(b_bpf_stats "$ids")"
	c1=$(b_cpu "$st")
	b_stop "$st"
	echo "$traced $base" | awk '{ print $1 / $2 }' >>"$B_TMP/socktap.ratios"
	echo "$t0 $t1 $CONNS" | awk '{ print ($2 - $1) / $3 }' >>"$B_TMP/ns_per_conn"
	echo "$c0 $c1" | awk '{ print $2 - $1 }' >>"$B_TMP/cpu"

	# line-buffered, or its header stays in a pipe buffer
	b_start stdbuf -oL tcplife >"$B_TMP/tl.out" 2>&1
	tl=$B_PID
	wait_for "$B_TMP/tl.out" PID || exit 1
	lifed=$(rate)
	b_stop "$tl"
	echo "$lifed $base" | awk '{ print $1 / $2 }' >>"$B_TMP/tcplife.ratios"
done
sysctl -qw kernel.bpf_stats_enabled="$old_stats"

base_med=$(rate)
s=$(b_median <"$B_TMP/socktap.ratios")
t=$(b_median <"$B_TMP/tcplife.ratios")
b_result connrate "socktap trace --json" "rate / untraced rate" "$s" "tcplife" "$t" \
	"$(echo "$s $t" | awk '{ printf "%.3f", $1 / $2 }')" \
	"median of $ROUNDS alternating rounds of $CONNS connections; untraced about ${base_med%.*} conn/s"
b_result connrate "socktap BPF run time" "ns per connection" "$(b_median <"$B_TMP/ns_per_conn")" \
	"-" 0 0 "kernel.bpf_stats_enabled run_time_ns of stp_* programs / connections"
b_result connrate "socktap process CPU" "ns per connection" \
	"$(awk -v n=$((ROUNDS * CONNS)) '{ s += $1 } END { printf "%.0f", s * 1e9 / n }' "$B_TMP/cpu")" \
	"-" 0 0 "user+sys CPU of the socktap process while attached / connections"
