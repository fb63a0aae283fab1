#!/usr/bin/env bash
# socktap nload's cost beside nload's, under bulk TCP between two namespaces
# over veth (iperf3, 1 and 8 streams, a fixed number of bytes chosen so that
# an unwatched transfer lasts about BULK_SECS seconds), in alternating
# rounds: nobody watching, `socktap nload --batch --interval 0.5` (nload's
# default refresh) on the client's namespace, the same with --by-process
# (the split: per-packet BPF programs), and nload itself (Debian's, in a
# tmux pane, -t 500) on the client's veth. Each tool's own cost is its
# process CPU (schedstat; socktap nload loads no BPF program without the
# split) as a share of the machine's busy CPU time during the transfer
# (/proc/stat, all CPUs), the median over ROUNDS rounds; with the split, as
# for top (b_top.sh), its BPF programs' run time is added: every program
# socktap holds (the prog_ids of /proc/PID/fdinfo, so that another socktap
# running meanwhile is not counted), run_time_ns before and after the
# transfer, kernel.bpf_stats_enabled on for every tool's rounds alike and
# set back afterwards. Also the split's BPF run time per packet: run time
# over runs of its per-packet programs (stp_xmit_btf, every packet a device
# is given; stp_netdev_rx, every packet a socket takes) over every split
# round, with each of socktap's programs' ns per run and runs.
# The split's floor is measured in the same rounds, the same way: programs
# that do nothing (tests/bench/floor.c split) on every hook the split runs
# per packet or per call: net_dev_start_xmit and cgroup_skb/ingress on the
# cgroup v2 root (per packet), sock_send_length and sock_recv_length (per
# call, which the split holds for the owners of UDP sockets), so that the
# price of running any program there (and of bpf_stats' own clock reads,
# which the method charges to every run) is told apart from what socktap's
# program bodies cost. (Until 2026-12-03 the floor held the two per-packet
# hooks alone; the row's note gives that part apart.)
# Targets (issue 11): socktap nload without the split no more than nload;
# with the split at most 0.5%; BPF per packet under 100 ns. Nothing here is
# tuned to meet them: the figures are printed as they come, with "met" or
# "NOT met".
. "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-3}
BULK_SECS=${BULK_SECS:-5}
FLOOR=$TESTBIN/floor
[ -x "$FLOOR" ] || { echo "b_nload: $FLOOR missing (make tests)" >&2; exit 1; }
b_need b_nload iperf3 nload tmux bpftool jq
if ! "$SOCKTAP" nload --help >/dev/null 2>&1; then
	b_result nload "socktap nload" "-" 0 "-" 0 0 "skipped: this socktap has no nload command yet"
	exit 0
fi
SPLIT=1
"$SOCKTAP" nload --help 2>&1 | grep -q -- --by-process || SPLIT=
HZ=$(getconf CLK_TCK)
TMUX_SOCK="bn$$"
old_stats=$(sysctl -n kernel.bpf_stats_enabled)
trap 'rc=$?; sysctl -qw kernel.bpf_stats_enabled="$old_stats"; tmux -L "$TMUX_SOCK" kill-server 2>/dev/null; b_cleanup; exit $rc' EXIT

b_netns srv || exit 1
srv=$NS
b_netns cli || exit 1
cli=$NS
VA="vn$$a" VB="vn$$b"
b_veth "$srv" "$cli" "$VA" "$VB" || exit 1

busy() { awk -v hz="$HZ" '$1 == "cpu" { print ($2 + $3 + $4 + $7 + $8 + $9) / hz; exit }' /proc/stat; }
# prog_ids PID: the BPF programs the process holds (by a program's or a
# link's file descriptor), one ID a line, sorted
prog_ids() { cat /proc/"$1"/fdinfo/* 2>/dev/null | awk '$1 == "prog_id:" { print $2 }' | sort -u; }
# progs IDS: one line per program, {name, run_time_ns, run_cnt} (bpftool
# leaves out a counter that is 0)
progs() {
	bpftool prog show -j | jq -c --arg ids "$1" \
		'($ids | split("\n") | map(select(. != "") | tonumber)) as $w | .[] | select(.id as $i | $w | index($i)) |
		{name, run_time_ns: (.run_time_ns // 0), run_cnt: (.run_cnt // 0)}'
}

# tool NAME: starts it, waits until it works; sets TOOL (its pid) and IDS
# (for socktap: the BPF programs it holds)
tool() {
	local i
	TOOL= IDS=
	case $1 in
	socktap)
		b_start ip netns exec "$cli" "$SOCKTAP" nload --batch --interval 0.5 "$VB" \
			>"$B_TMP/sn.out" 2>"$B_TMP/sn.err"
		wait_for "$B_TMP/sn.out" "^$VB " 10 ||
			{ echo "b_nload: socktap nload did not start: $(head -c 300 "$B_TMP/sn.err")" >&2; exit 1; }
		TOOL=$B_PID
		IDS=$(prog_ids "$TOOL")
		;;
	split)
		# (its first table comes after its programs are attached)
		b_start ip netns exec "$cli" "$SOCKTAP" nload --batch --by-process --interval 0.5 "$VB" \
			>"$B_TMP/sp.out" 2>"$B_TMP/sp.err"
		wait_for "$B_TMP/sp.out" "^$VB " 30 ||
			{ echo "b_nload: socktap nload --by-process did not start: $(head -c 300 "$B_TMP/sp.err")" >&2; exit 1; }
		TOOL=$B_PID
		IDS=$(prog_ids "$TOOL")
		[ -n "$IDS" ] || { echo "b_nload: socktap nload --by-process holds no BPF program" >&2; exit 1; }
		;;
	floor)
		b_start "$FLOOR" split >"$B_TMP/fl.out" 2>&1
		wait_for "$B_TMP/fl.out" '^floor: attached' 10 ||
			{ echo "b_nload: floor did not start: $(head -c 300 "$B_TMP/fl.out")" >&2; exit 1; }
		TOOL=$B_PID
		IDS=$(tail -n +2 "$B_TMP/fl.out")
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
	socktap | split | floor)
		kill -0 "$TOOL" 2>/dev/null || { echo "b_nload: $1 died during the round" >&2; exit 1; }
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

sysctl -qw kernel.bpf_stats_enabled=1
for p in 1 8; do
	iperf "$p" -t 2
	bytes=$(jq -r ".end.sum_sent.bytes / .end.sum_sent.seconds * $BULK_SECS / 1e8 | floor * 1e8 | floor" "$B_TMP/ip.json")
	[ "$bytes" -gt 0 ] || bytes=100000000
	: >"$B_TMP/bulk$p"
	: >"$B_TMP/progs$p"
	: >"$B_TMP/floor$p"
	for ((r = 0; r < ROUNDS; r++)); do
		order="none socktap${SPLIT:+ split floor} nload"
		((r % 2)) && order="nload${SPLIT:+ floor split} socktap none"
		for who in $order; do
			c0=0 c1=0
			IDS=
			[ $who != none ] && tool $who && c0=$(b_cpu "$TOOL")
			[ -n "$IDS" ] && progs "$IDS" >"$B_TMP/p0"
			u0=$(busy)
			iperf "$p" -n "$bytes"
			u1=$(busy)
			[ -n "$IDS" ] && progs "$IDS" >"$B_TMP/p1"
			[ $who != none ] && c1=$(b_cpu "$TOOL") && tool_stop $who
			# the BPF programs' deltas over the transfer, one line each:
			# name run_time_ns runs (none for a tool without programs)
			: >"$B_TMP/pd"
			[ -n "$IDS" ] && jq -r -s --slurpfile a "$B_TMP/p0" \
				'(map({key: .name, value: .}) | from_entries) as $e | $a[] |
				"\(.name) \($e[.name].run_time_ns - .run_time_ns) \($e[.name].run_cnt - .run_cnt)"' "$B_TMP/p1" >"$B_TMP/pd"
			[ $who = split ] && sed "s/^/$r /" "$B_TMP/pd" >>"$B_TMP/progs$p"
			[ $who = floor ] && sed "s/^/$r /" "$B_TMP/pd" >>"$B_TMP/floor$p"
			# who proc_cpu busy gbit/s | bpf_s bpf_runs iter_s packet_ns packet_runs programs
			echo "$who $(awk -v a="$c0" -v b="$c1" 'BEGIN { print b - a }') $(awk -v a="$u0" -v b="$u1" 'BEGIN { print b - a }') $(jq '.end.sum_sent.bits_per_second / 1e9' "$B_TMP/ip.json") $(awk -v n="$(printf '%s\n' "$IDS" | grep -c .)" '
				{ t += $2; c += $3 }
				$1 ~ /^stp_(iter_|seed_)/ { it += $2 }
				$1 ~ /^(stp|floor)_(xmit_btf|xmit|netdev_rx)$/ { pt += $2; pc += $3 }
				END { printf "%.9f %d %.9f %d %d %d", t / 1e9, c, it / 1e9, pt, pc, n }' "$B_TMP/pd")" \
				>>"$B_TMP/bulk$p"
		done
	done
done
sysctl -qw kernel.bpf_stats_enabled="$old_stats"
pct() { awk -v v="$1" 'BEGIN { printf "%.3f", v * 100 }'; }
fmt() { awk -v v="$1" -v d="${2:-1}" 'BEGIN { printf "%.*f", d, v }'; }
for p in 1 8; do
	share() { awk -v w="$1" '$1 == w { print $2 / $3 }' "$B_TMP/bulk$p" | b_median; }
	col() { awk -v w="$1" -v c="$2" '$1 == w { print $c }' "$B_TMP/bulk$p" | b_median; }
	s=$(share socktap)
	n=$(share nload)
	held=$(awk '$1 == "socktap" && $10 > m { m = $10 } END { print m + 0 }' "$B_TMP/bulk$p")
	held_note=", holding no BPF program"
	[ "$held" -gt 0 ] && held_note=", holding $held BPF programs (not counted in this row: median $(fmt "$(col socktap 5)" 4) s)"
	b_result nload "bulk TCP -P $p: socktap nload --batch" "% of busy CPU" "$(pct "$s")" nload "$(pct "$n")" \
		"$(b_ratio "$s" "$n")" \
		"$ROUNDS alternating rounds of $bytes bytes (about $BULK_SECS s unwatched); own process CPU (schedstat) over the machine's busy CPU during the transfer, median; socktap nload --batch --interval 0.5 on the client's namespace$held_note, nload -t 500 on its veth in tmux; target (without the split) no more than nload: $(b_met "$s" "$n" "<=")"
	if [ -z "$SPLIT" ]; then
		b_result nload "bulk TCP -P $p: socktap nload --batch --by-process" "-" 0 "-" 0 0 "skipped: this socktap's nload has no --by-process"
		continue
	fi
	# with the split: (BPF run time + process CPU) / busy, as for top
	sp=$(awk '$1 == "split" { print ($2 + $5) / $3 }' "$B_TMP/bulk$p" | b_median)
	note="$ROUNDS alternating rounds of $bytes bytes, as the row above; socktap nload --batch --by-process --interval 0.5 on the client's namespace: its BPF programs' run time (all $(col split 10) it holds; kernel.bpf_stats_enabled) plus its process CPU (schedstat) over the machine's busy CPU during the transfer, median"
	note+="; split: BPF $(fmt "$(col split 5)" 4) s (of which iterators $(fmt "$(col split 7)" 4) s, which run in socktap's read() and so are in its process CPU as well) + process $(fmt "$(col split 2)" 4) s of $(fmt "$(col split 3)" 2) s busy"
	note+="; without the split: process $(fmt "$(col socktap 2)" 4) s of $(fmt "$(col socktap 3)" 2) s busy; nload: $(fmt "$(col nload 2)" 4) s of $(fmt "$(col nload 3)" 2) s busy; nobody watching: $(fmt "$(col none 3)" 2) s busy"
	note+="; Gbit/s: nobody $(fmt "$(col none 4)" 2), socktap $(fmt "$(col socktap 4)" 2), split $(fmt "$(col split 4)" 2), nload $(fmt "$(col nload 4)" 2)"
	fl=$(awk '$1 == "floor" { print ($2 + $5) / $3 }' "$B_TMP/bulk$p" | b_median)
	note+="; the floor (programs that do nothing on the same per-packet and per-call hooks, next row) $(pct "$fl")%"
	note+="; target (with the split) <= 0.5%: $(b_met "$(pct "$sp")" 0.5 "<=")"
	b_result nload "bulk TCP -P $p: socktap nload --batch --by-process" "% of busy CPU" "$(pct "$sp")" nload "$(pct "$n")" \
		"$(b_ratio "$sp" "$n")" "$note"
	read -r favg fruns <<<"$(awk '$1 == "floor" { t += $8; c += $9 } END { printf "%.3f %d", c ? t / c : 0, c }' "$B_TMP/bulk$p")"
	# the floor's per-packet part alone (the floor of earlier runs) and its per-call part
	flp=$(awk '$1 == "floor" { print $8 / 1e9 / $3 }' "$B_TMP/bulk$p" | b_median)
	flc=$(awk '$1 == "floor" { print ($5 - $8 / 1e9) / $3 }' "$B_TMP/bulk$p" | b_median)
	b_result nload "bulk TCP -P $p: floor (empty programs on the split's per-packet and per-call hooks)" "% of busy CPU" "$(pct "$fl")" \
		"socktap nload --by-process" "$(pct "$sp")" "$(b_ratio "$sp" "$fl")" \
		"tests/bench/floor.c split (net_dev_start_xmit, and cgroup_skb/ingress on the cgroup v2 root, per packet; sock_send_length and sock_recv_length, per call), in the same rounds and measured as the split is: BPF run time (bpf_stats) plus process CPU over busy CPU, median; of which the per-packet hooks $(pct "$flp")% (the floor of runs before 2026-12-03) and the per-call hooks $(pct "$flc")%; the split's target (<= 0.5%) at the floor: $(b_met "$(pct "$fl")" 0.5 "<="); $(fmt "$favg") ns per packet over $fruns runs, which is what bpf_stats charges a program that does nothing; Gbit/s $(fmt "$(col floor 4)" 2); ratio: the split's share over the floor's"
	# BPF per packet: the per-packet programs' run time over their runs,
	# summed over every split round; the per-round figures' range; every
	# program's ns per run and runs
	read -r avg runs <<<"$(awk '$1 == "split" { t += $8; c += $9 } END { printf "%.3f %d", c ? t / c : 0, c }' "$B_TMP/bulk$p")"
	range=$(awk '$1 == "split" && $9 > 0 { printf "%.1f\n", $8 / $9 }' "$B_TMP/bulk$p" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo ".." hi }')
	split=$(awk '{ t[$2] += $3; c[$2] += $4 } END { for (k in t) printf "%s %.1f ns x %d\n", k, c[k] ? t[k] / c[k] : 0, c[k] }' "$B_TMP/progs$p" |
		sort -t' ' -k5,5gr | paste -sd ';' | sed 's/;/, /g')
	b_result nload "BPF run time per packet, bulk -P $p: --by-process" "ns" "$(fmt "$avg")" "-" 0 0 \
		"run_time_ns / run_cnt of stp_xmit_btf and stp_netdev_rx (kernel.bpf_stats_enabled) over the $ROUNDS split rounds' transfers, $runs runs (per round $range ns); per program (ns per run x runs, every program socktap held): $split; the floor's empty programs on the same hooks: $(fmt "$favg") ns per packet; target < 100 ns: $(b_met "$avg" 100 "<")"
done
