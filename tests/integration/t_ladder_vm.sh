#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The attach ladder on stock Debian kernels, in QEMU (scripts/vmtest.sh).
# This host's kernel refuses fentry and has no kprobes, so only the last rung
# (tp_btf) can be seen here; under Debian's 6.1, 6.12 and 7.x kernels the
# connect hook must take the first rung, fentry/tcp_connect, and the selftest
# must see its one connect.
#
# Environment: SOCKTAP (the binary; default build/socktap of this tree),
# VMTEST_KERNELS (default "6.1 6.12 7"), VMTEST_CACHE (see scripts/vmtest.sh).
# Prints "ok NAME" / "FAIL NAME: why" per check; exits 0 all passed, 1 any
# failed, 77 when no VM can run here ("skip REASON"). A kernel other than the
# first that cannot be fetched here is reported as "skip NAME: why" and does
# not fail the test.

set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
VMTEST=$top/scripts/vmtest.sh
SOCKTAP=${SOCKTAP:-$top/build/socktap}
KERNELS=${VMTEST_KERNELS:-6.1 6.12 7}

fails=0
ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; fails=$((fails + 1)); }

case "$SOCKTAP" in /*) ;; *) SOCKTAP=$PWD/$SOCKTAP ;; esac
if [ ! -x "$SOCKTAP" ]; then
	fail setup "SOCKTAP=$SOCKTAP is not an executable (run make first)"
	exit 1
fi
if ! command -v jq >/dev/null; then
	fail setup "jq is not installed"
	exit 1
fi

work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

ran=0
first=1
for k in $KERNELS; do
	n=vm-$k
	out=$work/$k.json err=$work/$k.err
	start=$(date +%s%N)
	"$VMTEST" --kernel "$k" --timeout 150 -- "$SOCKTAP" doctor --json >"$out" 2>"$err"
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	if [ "$rc" = 77 ]; then
		why=$(grep -m1 'cannot run here' "$err" | sed 's/^vmtest: cannot run here: //')
		if [ "$first" = 1 ]; then
			echo "skip ${why:-scripts/vmtest.sh cannot run a VM here}"
			exit 77
		fi
		echo "skip $n: ${why:-not available here}"
		continue
	fi
	first=0
	ran=$((ran + 1))
	if [ "$rc" = 124 ] || [ "$rc" = 125 ]; then
		fail "$n/boot" "vmtest exit $rc: $(grep -v '^  |' "$err" | head -3 | tr '\n' ' ')"
		sed 's/^/# /' "$err" | tail -n 25
		continue
	fi
	if ! jq -e 'type == "object"' "$out" >/dev/null 2>&1; then
		fail "$n/doctor-json" "no JSON object from doctor (exit $rc): $(head -c 300 "$out" | tr '\n' ' ') $(head -3 "$err" | tr '\n' ' ')"
		continue
	fi
	echo "# $n: $((ms / 1000)).$((ms % 1000 / 100)) s, kernel $(jq -r '.kernel.release' "$out"), doctor exit $rc"
	ok "$n/doctor-json"

	# make sure the VM's kernel answered, not the host's
	rel=$(jq -r '.kernel.release // ""' "$out")
	case "$rel" in
	"$k".*) ok "$n/kernel" ;;
	*) fail "$n/kernel" "release is '$rel', expected $k.*" ;;
	esac

	check() { # name jq-expression description
		if jq -e "$2" "$out" >/dev/null 2>&1; then
			ok "$n/$1"
		else
			fail "$n/$1" "$3 (got $(jq -c "$4" "$out" 2>/dev/null))"
		fi
	}
	check ok '.ok == true' 'doctor ok is not true' '.ok'
	check connect-fentry \
		'[.hooks[] | select(.name == "connect")][0].attach == "fentry/tcp_connect"' \
		'connect hook did not take fentry/tcp_connect' \
		'[.hooks[] | select(.name == "connect")][0] | {attach, refused, reason}'
	check state-tp_btf \
		'[.hooks[] | select(.name == "state")][0].attach == "tp_btf/inet_sock_set_state"' \
		'state hook did not take tp_btf/inet_sock_set_state' \
		'[.hooks[] | select(.name == "state")][0] | {attach, refused, reason}'
	check selftest \
		'.selftest.ok == true and .selftest.connects == 1' \
		'selftest failed or did not count exactly one connect' \
		'.selftest | {ok, connects, transitions}'
done

[ "$ran" -gt 0 ] || { echo "skip no kernel could be run"; exit 77; }
[ "$fails" -eq 0 ] || exit 1
exit 0
