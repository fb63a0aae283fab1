#!/usr/bin/env bash
# Runs the unit tests and every integration test, then prints the one line
# the CI reads: "N passed, N failed[, N skipped]". Needs root.
#   SOCKTAP  the socktap binary       TESTBIN  build/tests (unit_tests, trafgen)
#   tests/run.sh [PATTERN]            only integration tests whose name has PATTERN
# Each integration test gets 600 s, or what a "# run.sh: timeout SECS" line
# of its own asks for (t_ladder_vm, whose QEMU guests take minutes per kernel).
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${SOCKTAP:?set SOCKTAP to the socktap binary}" "${TESTBIN:?set TESTBIN to build/tests}"
export SOCKTAP TESTBIN TRAFGEN="$TESTBIN/trafgen"
pattern=${1:-}
passed=0 failed=0 skipped=0

if [ "$(id -u)" -ne 0 ]; then
	echo "tests/run.sh: the tests load BPF programs and create network namespaces: run as root" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

# unit tests: the runner ends with "unit: N passed, M failed"
out=$("$TESTBIN/unit_tests" 2>&1)
rc=$?
printf '%s\n' "$out" | grep -v '^ok ' || true
line=$(printf '%s\n' "$out" | tail -n 1)
if [[ $line =~ ^unit:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
	passed=$((passed + BASH_REMATCH[1]))
	failed=$((failed + BASH_REMATCH[2]))
	[ $rc -ne 0 ] && [ "${BASH_REMATCH[2]}" -eq 0 ] && failed=$((failed + 1))
else
	echo "FAIL unit_tests: no summary line (exit $rc)"
	failed=$((failed + 1))
fi

# integration tests: each prints "ok NAME", "FAIL NAME: why" or "skip why"
for t in "$here"/integration/t_*.sh; do
	name=$(basename "$t" .sh)
	[ -n "$pattern" ] && [[ $name != *"$pattern"* ]] && continue
	tmo=$(sed -n 's/^# run\.sh: timeout \([0-9][0-9]*\)$/\1/p' "$t" | head -n 1)
	start=$(date +%s)
	out=$(timeout -k 10 "${tmo:-600}" bash "$t" 2>&1)
	rc=$?
	secs=$(($(date +%s) - start))
	np=$(printf '%s\n' "$out" | grep -c '^ok ')
	nf=$(printf '%s\n' "$out" | grep -c '^FAIL ')
	if [ $rc -eq 77 ]; then
		echo "skip $name: $(printf '%s\n' "$out" | grep '^skip' | head -n 1)"
		skipped=$((skipped + 1))
		continue
	fi
	if [ $rc -ne 0 ] && [ "$nf" -eq 0 ]; then
		nf=1
		out="$out"$'\n'"FAIL $name: exited with status $rc"
	fi
	passed=$((passed + np))
	failed=$((failed + nf))
	echo "== $name: $np passed, $nf failed (${secs}s)"
	[ "$nf" -ne 0 ] && printf '%s\n' "$out" | sed 's/^/   /'
done

echo
if [ $skipped -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ $failed -eq 0 ]
