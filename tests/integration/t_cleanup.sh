#!/usr/bin/env bash
# After socktap exits, normally or on SIGINT or SIGTERM (or even SIGKILL),
# none of its BPF programs stays loaded, and a signalled watch still ends
# with a complete report.
. "$(dirname "$0")/lib.sh"

check_eq none-before 0 "$(socktap_progs)"
"$SOCKTAP" doctor >/dev/null 2>&1
check_eq none-after-exit 0 "$(socktap_progs_settled)"

for sig in INT TERM KILL; do
	bg "$SOCKTAP" doctor --json --watch 0 >"$T_TMP/$sig.json" 2>"$T_TMP/$sig.err"
	pid=$BG_PID
	if ! wait_for "$T_TMP/$sig.err" watching 10; then
		fail "$sig-started" "socktap did not start watching"
		continue
	fi
	check_true "$sig-loaded" [ "$(socktap_progs)" -ge 1 ]
	kill -"$sig" "$pid"
	wait "$pid" 2>/dev/null
	rc=$?
	if [ "$sig" != KILL ]; then
		check_eq "$sig-status" 0 $rc
		check_eq "$sig-report" true "$(jq -r .ok "$T_TMP/$sig.json")"
		check_true "$sig-watch-listed" jq -e '.watch | type == "array"' "$T_TMP/$sig.json"
	fi
	check_eq "$sig-none-left" 0 "$(socktap_progs_settled)"
done

# tracefs: where socktap had to mount it for a tracepoint rung, it leaves no
# mount behind. In a private mount namespace without it, so the host's
# mounts are untouched.
out=$(unshare -m --propagation private sh -c '
	umount /sys/kernel/tracing 2>/dev/null; umount /sys/kernel/debug/tracing 2>/dev/null
	"$1" doctor --json >"$2/tf.json" 2>/dev/null
	echo "$? $(grep -c " /sys/kernel/tracing " /proc/self/mounts)"' sh "$SOCKTAP" "$T_TMP")
tf=$(jq -r '[.ok, .tracefs_mounted, ([.hooks[].attach | select(startswith("tracepoint/"))] | length > 0)] | map(tostring) | join(" ")' "$T_TMP/tf.json")
if [ "${tf##* }" = true ]; then
	check_eq tracefs-mounted-for-doctor "true true true" "$tf"
	check_eq tracefs-not-left "0 0" "$out"
else
	echo "skip tracefs: no hook takes a classic tracepoint on this kernel"
fi
finish
