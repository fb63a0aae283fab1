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

# Options that name things outside socktap: a cgroup outside the v2
# hierarchy, an empty name, a device, user or namespace that does not exist
# are each one line and status 2, in every command that takes them.
expect trace-cgroup-outside 2 "trace: no cgroup v2 '../../../../etc'" "$SOCKTAP" trace --cgroup ../../../../etc
expect trace-cgroup-empty 2 "trace: no cgroup v2 ''" "$SOCKTAP" trace --cgroup ''
expect trace-comm-empty 2 "trace: bad comm ''" "$SOCKTAP" trace -c ''
expect trace-netns-absent 2 "trace: --netns 123: no such network namespace" "$SOCKTAP" trace --netns 123
expect top-cgroup-outside 2 "top: --cgroup ../../etc: no such cgroup v2" "$SOCKTAP" top --batch --cgroup ../../etc
expect top-cgroup-empty 2 "top: --cgroup : no such cgroup v2" "$SOCKTAP" top --batch --cgroup ''
expect top-iface-absent 2 "top: -i nosuchdev0: no such interface" "$SOCKTAP" top --batch -i nosuchdev0
expect top-iface-empty 2 "top: -i : no such interface" "$SOCKTAP" top --batch -i ''
expect top-pid-zero 2 "top: -p 0: not a process id" "$SOCKTAP" top --batch -p 0
expect export-cgroup-outside 2 "export: --cgroup ../x: no such cgroup v2" "$SOCKTAP" export --cgroup ../x
expect export-pid-zero 2 "export: -p 0: not a process id" "$SOCKTAP" export -p 0
expect nload-dev-absent 2 "nload: nosuchdev0: no such device" "$SOCKTAP" nload --batch nosuchdev0
expect nload-dev-empty 2 "nload: : no such device" "$SOCKTAP" nload --batch ''
expect ss-netns-absent 2 "ss: no network namespace 'nosuchns0'" "$SOCKTAP" ss -N nosuchns0
expect ss-netns-empty 2 "ss: no network namespace ''" "$SOCKTAP" ss -N ''
expect ss-cgroup-outside 2 "ss: unknown cgroup '../../etc'" "$SOCKTAP" ss cgroup ../../etc
expect ss-dev-absent 2 "ss: unknown device 'nosuchdev0'" "$SOCKTAP" ss dev nosuchdev0
expect lsof-comm-empty 2 "lsof: -c '': empty command name" "$SOCKTAP" lsof -c ''
expect lsof-user-absent 2 "lsof: -u: can't get UID for 'nosuchuser0'" "$SOCKTAP" lsof -u nosuchuser0
expect lsof-host-absent 2 "lsof: -i '@nosuchhost.invalid': unknown host name" "$SOCKTAP" lsof -i@nosuchhost.invalid

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
check_eq unprivileged-names-caps "socktap: doctor: missing privilege: needs CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN (or CAP_SYS_ADMIN); run as root or grant them" \
	"$(cat "$T_TMP/err")"
check_eq unprivileged-json-ok false "$(jq -r .ok "$T_TMP/out")"
check_eq unprivileged-json-missing "missing CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN (or CAP_SYS_ADMIN)" \
	"$(jq -r .missing_privilege "$T_TMP/out")"
finish
