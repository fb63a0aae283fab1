#!/usr/bin/env bash
# Bad input gets one line on stderr naming the problem, status 2 for usage
# and 1 for runtime failures, and no output on stdout.
. "$(dirname "$0")/lib.sh"

# expect NAME STATUS REGEX ARGS...: exit status, one stderr line matching REGEX, empty stdout
expect() {
	local name=$1 status=$2 re=$3
	shift 3
	"$@" >"$T_TMP/out" 2>"$T_TMP/err"
	local rc=$? lines
	lines=$(wc -l <"$T_TMP/err")
	if [ $rc -ne "$status" ]; then
		fail "$name" "exit $rc, expected $status ($(head -c 200 "$T_TMP/err"))"
	elif [ "$lines" -ne 1 ]; then
		fail "$name" "stderr has $lines lines, expected 1"
	elif ! grep -qE "$re" "$T_TMP/err"; then
		fail "$name" "stderr '$(cat "$T_TMP/err")' does not match /$re/"
	elif [ -s "$T_TMP/out" ]; then
		fail "$name" "stdout not empty"
	else
		ok "$name"
	fi
}

expect unknown-command 2 "unknown command 'frobnicate'" "$SOCKTAP" frobnicate
expect unknown-global-option 2 "unknown option '--frob'" "$SOCKTAP" --frob doctor
expect unknown-command-option 2 "doctor: unknown option '--frob'" "$SOCKTAP" doctor --frob
expect unknown-short-option 2 "doctor: unknown option '-Z'" "$SOCKTAP" doctor -Z
expect missing-value 2 "doctor: option '--watch' needs a value" "$SOCKTAP" doctor --watch
expect bad-value 2 "bad --watch value 'abc'" "$SOCKTAP" doctor --watch abc
expect negative-value 2 "bad --watch value '-1'" "$SOCKTAP" doctor --watch -1
expect extra-argument 2 "doctor: unexpected argument 'now'" "$SOCKTAP" doctor now

"$SOCKTAP" >"$T_TMP/out" 2>"$T_TMP/err"
check_eq no-command-status 2 $?
check_true no-command-usage grep -q "^Usage: socktap" "$T_TMP/err"

check_eq version "socktap 0.1.0" "$("$SOCKTAP" --version | head -n 1)"
# the libbpf it runs with: the installed one's major.minor
check_eq version-json "0.1.0 $(pkg-config --modversion libbpf | cut -d. -f1,2)" \
	"$("$SOCKTAP" --json --version | jq -r '"\(.version) \(.libbpf_version)"')"
out=$("$SOCKTAP" --help)
check_eq help-status 0 $?
check_true help-lists-doctor grep -qE '^  doctor +what this kernel allows' <<<"$out"
out=$("$SOCKTAP" doctor --help)
check_eq doctor-help-status 0 $?
check_true doctor-help-usage grep -q '^Usage: socktap doctor' <<<"$out"

# without privilege: status 1, one line naming the missing capabilities,
# and still a complete JSON report
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$SOCKTAP" doctor --json >"$T_TMP/out" 2>"$T_TMP/err"
check_eq unprivileged-status 1 $?
check_eq unprivileged-stderr-lines 1 "$(wc -l <"$T_TMP/err")"
check_true unprivileged-names-caps grep -q "missing privilege: needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)" "$T_TMP/err"
check_eq unprivileged-json-ok false "$(jq -r .ok "$T_TMP/out")"
check_eq unprivileged-json-missing "missing CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)" \
	"$(jq -r .missing_privilege "$T_TMP/out")"
finish
