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
finish
