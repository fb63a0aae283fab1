#!/usr/bin/env bash
# socktap nload's cost beside nload's, under bulk TCP between two namespaces
# over veth (iperf3, 1 and 8 streams, a fixed number of bytes chosen so that
# an unwatched transfer lasts about BULK_SECS seconds), in alternating
# rounds: nobody watching, `socktap nload --batch --interval 0.5` (nload's
# default refresh) on the client's namespace, and nload itself (Debian's,
# in a tmux pane, -t 500) on the client's veth. Each tool's own cost is its
# process CPU (schedstat; socktap nload loads no BPF program without the
# split) as a share of the machine's busy CPU time during the transfer
# (/proc/stat, all CPUs), the median over ROUNDS rounds. Target (issue 11):
# socktap nload without the split no more than nload. Nothing here is tuned
# to meet it: the figures are printed as they come, with "met" or "NOT met".
. "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-3}
BULK_SECS=${BULK_SECS:-5}
b_need b_nload iperf3 nload tmux
if ! "$SOCKTAP" nload --help >/dev/null 2>&1; then
	b_result nload "socktap nload" "-" 0 "-" 0 0 "skipped: this socktap has no nload command yet"
	exit 0
fi
HZ=$(getconf CLK_TCK)
TMUX_SOCK="bn$$"
trap 'rc=$?; tmux -L "$TMUX_SOCK" kill-server 2>/dev/null; b_cleanup; exit $rc' EXIT

b_netns srv || exit 1
srv=$NS
b_netns cli || exit 1
cli=$NS
VA="vn$$a" VB="vn$$b"
b_veth "$srv" "$cli" "$VA" "$VB" || exit 1

busy() { awk -v hz="$HZ" '$1 == "cpu" { print ($2 + $3 + $4 + $7 + $8 + $9) / hz; exit }' /proc/stat; }

# tool NAME: starts it, waits until it works; sets TOOL (its pid)
tool() {
	local i
	TOOL=
	case $1 in
	socktap)
		b_start ip netns exec "$cli" "$SOCKTAP" nload --batch --interval 0.5 "$VB" \
			>"$B_TMP/sn.out" 2>"$B_TMP/sn.err"
		wait_for "$B_TMP/sn.out" "^$VB " 10 ||
			{ echo "b_nload: socktap nload did not start: $(head -c 300 "$B_TMP/sn.err")" >&2; exit 1; }
		TOOL=$B_PID
		;;
	nload)
		tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -x 120 -y 40 \
			ip netns exec "$cli" nload -t 500 "$VB" || exit 1
		for ((i = 0; i < 50; i++)); do
			TOOL=$(pgrep -x nload | head -n 1)
			[ -n "$TOOL" ] && break
			sleep 0.1
		done
		[ -n "$TOOL" ] || { echo "b_nload: nload did not start" >&2; exit 1; }
		;;
	esac
	sleep 0.5 # its start is not part of what it costs
}
tool_stop() {
	case $1 in
	socktap)
		kill -0 "$TOOL" 2>/dev/null || { echo "b_nload: socktap nload died during the round" >&2; exit 1; }
		b_stop "$TOOL"
		;;
	nload)
		kill -0 "$TOOL" 2>/dev/null || { echo "b_nload: nload died during the round" >&2; exit 1; }
		tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
		wait_gone "$TOOL"
		;;
	esac
}
wait_gone() {
	local i
	for ((i = 0; i < 50; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
}

b_start ip netns exec "$srv" iperf3 -s >"$B_TMP/iperf3s.out" 2>&1
for ((i = 0; i < 100; i++)); do
	[ -n "$(ip netns exec "$srv" ss -Hltn 'sport = :5201')" ] && break
	sleep 0.1
done
iperf() {
	local p=$1
	shift
	ip netns exec "$cli" iperf3 -c 198.18.0.1 -P "$p" -J "$@" >"$B_TMP/ip.json" 2>"$B_TMP/ip.err" || {
		echo "b_nload: iperf3 -P $p $* failed: $(head -c 300 "$B_TMP/ip.err")" >&2
		exit 1
	}
}

for p in 1 8; do
	iperf "$p" -t 2
	bytes=$(jq -r ".end.sum_sent.bytes / .end.sum_sent.seconds * $BULK_SECS / 1e8 | floor * 1e8 | floor" "$B_TMP/ip.json")
	[ "$bytes" -gt 0 ] || bytes=100000000
	: >"$B_TMP/bulk$p"
	for ((r = 0; r < ROUNDS; r++)); do
		order="none socktap nload"
		((r % 2)) && order="nload socktap none"
		for who in $order; do
			c0=0 c1=0
			[ $who != none ] && tool $who && c0=$(b_cpu "$TOOL")
			u0=$(busy)
			iperf "$p" -n "$bytes"
			u1=$(busy)
			[ $who != none ] && c1=$(b_cpu "$TOOL") && tool_stop $who
			echo "$who $(awk -v a="$c0" -v b="$c1" 'BEGIN { print b - a }') $(awk -v a="$u0" -v b="$u1" 'BEGIN { print b - a }') $(jq '.end.sum_sent.bits_per_second / 1e9' "$B_TMP/ip.json")" \
				>>"$B_TMP/bulk$p"
		done
	done
	share() { awk -v w="$1" '$1 == w { print $2 / $3 }' "$B_TMP/bulk$p" | b_median; }
	s=$(share socktap)
	n=$(share nload)
	pct() { awk -v v="$1" 'BEGIN { printf "%.3f", v * 100 }'; }
	b_result nload "bulk TCP -P $p: socktap nload --batch" "% of busy CPU" "$(pct "$s")" nload "$(pct "$n")" \
		"$(b_ratio "$s" "$n")" \
		"$ROUNDS alternating rounds of $bytes bytes (about $BULK_SECS s unwatched); own process CPU (schedstat) over the machine's busy CPU during the transfer, median; socktap nload --batch --interval 0.5 on the client's namespace, nload -t 500 on its veth in tmux; target (without the split) no more than nload: $(b_met "$s" "$n" "<=")"
done
