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

# Every long-running command: SIGINT, SIGTERM and SIGHUP (a closed
# terminal) end it with status 0 and its output whole (every line parses),
# SIGKILL leaves nothing loaded, and a reader that leaves (| head) ends it
# too, with status 0. Each waits for its ready sign first: a line on
# stderr, or its first object.
port=$((20000 + $$ % 20000))
cmds=(
	"trace|err|tracing|trace --json"
	"top|err|counting|top --batch --json --interval 0.3"
	"nload|out|\"type\":\"nload\"|nload --batch --json --interval 0.3"
	"split|out|\"type\":\"nload_split\"|nload --batch --json --by-process --interval 0.3"
	"export|err|serving|export --listen 127.0.0.1:$port"
)
for c in "${cmds[@]}"; do
	IFS='|' read -r name where sign args <<<"$c"
	for sig in INT TERM HUP KILL; do
		n=$name-$sig
		# shellcheck disable=SC2086  # args are words
		bg "$SOCKTAP" $args >"$T_TMP/$n.out" 2>"$T_TMP/$n.err"
		pid=$BG_PID
		if ! wait_for "$T_TMP/$n.$where" "$sign" 15; then
			fail "$n-started" "no '$sign' from socktap $args: $(head -c 200 "$T_TMP/$n.err")"
			kill -KILL "$pid" 2>/dev/null
			continue
		fi
		start=$(date +%s%N)
		kill -"$sig" "$pid"
		wait "$pid" 2>/dev/null
		rc=$?
		ms=$((($(date +%s%N) - start) / 1000000))
		if [ "$sig" != KILL ]; then
			check_eq "$n-status" 0 $rc
			check_true "$n-prompt (${ms} ms)" [ "$ms" -lt 3000 ]
			if [ "$where" = out ] || [ "$name" = trace ] || [ "$name" = top ]; then
				# every line a whole JSON object
				check_eq "$n-json-whole" ok "$(jq -c . "$T_TMP/$n.out" >/dev/null 2>&1 && echo ok || echo broken)"
			fi
		fi
		check_eq "$n-none-left" 0 "$(socktap_progs_settled)"
	done
	[ "$name" = export ] && continue
	# the reader leaves after one byte
	start=$(date +%s%N)
	# shellcheck disable=SC2086
	timeout 20 "$SOCKTAP" $args 2>"$T_TMP/$name-pipe.err" | head -c 1 >/dev/null
	rc=${PIPESTATUS[0]}
	ms=$((($(date +%s%N) - start) / 1000000))
	[ "$name" = trace ] && { echo "# trace waits for its first event: none may come"; continue; }
	check_eq "$name-reader-left" 0 "$rc"
	check_eq "$name-reader-left-quiet" "" "$(cat "$T_TMP/$name-pipe.err" | grep -v 'counting\|tracing')"
done
finish
