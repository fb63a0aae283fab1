# Shared by the benchmarks (sourced): namespaces and processes are removed
# on exit; helpers for medians and for socktap's own cost.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
B_NETNS=()
B_PIDS=()
B_TMP=$(mktemp -d /tmp/socktap-bench.XXXXXX)
B_TRACEFS=
b_cleanup() {
	local p
	for p in "${B_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	for p in "${B_NETNS[@]}"; do ip netns del "$p" 2>/dev/null; done
	[ -n "$B_TRACEFS" ] && umount "$B_TRACEFS" 2>/dev/null
	rm -rf "$B_TMP"
}
trap 'rc=$?; b_cleanup; exit $rc' EXIT

# b_netns NAME: a namespace with lo up, removed on exit; its name in NS.
b_netns() {
	NS="sb$$-$1"
	ip netns add "$NS" && B_NETNS+=("$NS") && ip -n "$NS" link set lo up
}
# b_veth NS1 NS2 A B: a veth pair, A in NS1 with 198.18.0.1/24, B in NS2
# with 198.18.0.2/24, both up.
b_veth() {
	ip link add "$3" netns "$1" type veth peer name "$4" netns "$2" || return 1
	ip -n "$1" addr add 198.18.0.1/24 dev "$3"
	ip -n "$2" addr add 198.18.0.2/24 dev "$4"
	ip -n "$1" link set "$3" up
	ip -n "$2" link set "$4" up
}
# b_need BENCH CMD...: every CMD is on PATH, or BENCH says which is not, and exits
b_need() {
	local b=$1 p
	shift
	for p in "$@"; do
		command -v "$p" >/dev/null || { echo "$b: $p is not installed (scripts/install-deps.sh)" >&2; exit 1; }
	done
}
# b_tracefs: tracefs at /sys/kernel/tracing, mounted (and unmounted on exit)
# where nobody has: peers that attach classic tracepoints (tcplife) look up
# their IDs there; systemd mounts it, a machine without systemd may not.
b_tracefs() {
	local t=/sys/kernel/tracing
	[ -e "$t/events" ] && return 0
	mount -t tracefs tracefs "$t" || { echo "bench: cannot mount tracefs on $t" >&2; return 1; }
	B_TRACEFS=$t
}
# b_start CMD...: background process, killed on exit; sets B_PID.
b_start() {
	"$@" &
	B_PID=$!
	B_PIDS+=("$B_PID")
}
b_stop() {
	kill -INT "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}
# median of the numbers on stdin
b_median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# CPU time of a process so far, in seconds: the scheduler's count in ns
# (/proc/PID/schedstat; it agrees with perf's task-clock here), as the
# clock ticks of /proc/PID/stat are 10 ms, a large part of a round's total.
b_cpu() { awk '{ print $1 / 1e9 }' "/proc/$1/schedstat"; }
# b_prog_ids [PREFIX]: IDs of the programs loaded now whose name starts with
# PREFIX (all programs without one), one per line, sorted for comm(1).
b_prog_ids() {
	bpftool prog show -j | jq -r --arg p "${1:-}" '.[] | select((.name // "") | startswith($p)) | .id' | sort
}
# b_ratio A B: A / B, or 0 when B is 0 (a missing measurement, not infinity)
b_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print 0; else printf "%.3f\n", a / b }'; }
# b_bpf_stats IDS: sum of run_time_ns and run_cnt over those programs
# (kernel.bpf_stats_enabled must be on).
b_bpf_stats() {
	bpftool prog show -j | jq -r --arg ids "$1" '($ids | split("\n") | map(select(. != "") | tonumber)) as $want |
		[.[] | select(.id as $i | $want | index($i))] |
		"\(map(.run_time_ns // 0) | add // 0) \(map(.run_cnt // 0) | add // 0)"'
}
# b_result BENCH CASE METRIC VALUE BASELINE BASELINE_VALUE RATIO [NOTE]
b_result() {
	jq -cn --arg b "$1" --arg c "$2" --arg m "$3" --argjson v "$4" --arg bl "$5" \
		--argjson bv "$6" --argjson r "$7" --arg n "${8:-}" \
		'{bench:$b, case:$c, metric:$m, value:$v, baseline:$bl, baseline_value:$bv, ratio:$r, note:$n}'
}
# b_cpu_all PID: CPU time so far of all of a process's live threads, in
# seconds (schedstat of each task; b_cpu reads the main thread's alone)
b_cpu_all() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.9f\n", s / 1e9 }'; }
# b_met VALUE TARGET OP: "met" or "NOT met" (OP is >=, <= or <)
b_met() {
	awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = op == "<=" ? v <= t : op == "<" ? v < t : v >= t; print ok ? "met" : "NOT met" }'
}
