#!/usr/bin/env bash
# socktap doctor: the ladder's choices on this kernel, and the selftest's
# exact transitions in a namespace where nothing else runs.
. "$(dirname "$0")/lib.sh"

netns_add doctor || skip "cannot create a network namespace"
ns=$NS
ip netns exec "$ns" "$SOCKTAP" doctor --json >"$T_TMP/d.json" 2>"$T_TMP/err"
check_eq status 0 $?
check_true valid-json jq -e . "$T_TMP/d.json" >/dev/null
j() { jq -r "$1" "$T_TMP/d.json"; }
check_eq ok true "$(j .ok)"
check_eq btf true "$(j .btf)"
check_eq release "$(uname -r)" "$(j .kernel.release)"
check_eq state-attach tp_btf/inet_sock_set_state "$(j '.hooks[] | select(.name=="state") | .attach')"

# connect: fentry, else kprobe, else the state hook; refusals carry errno
conn='.hooks[] | select(.name=="connect")'
# udp_release backs udp_close up; where udp_close took the cgroup rung
# itself (no fentry, no kprobe), the one program serves both
udpc=$(j '.hooks[] | select(.name=="udp_close") | .attach')
check_eq udp-release-attach cgroup/sock_release "$(j '.hooks[] | select(.name=="udp_release") | .attach')"
if [ "$udpc" = cgroup/sock_release ]; then
	check_eq udp-release-shared "the best path works; udp_close took it too: one program serves both" \
		"$(j '.hooks[] | select(.name=="udp_release") | .reason')"
else
	check_eq udp-release-own "the best path works" "$(j '.hooks[] | select(.name=="udp_release") | .reason')"
fi
attach=$(j "$conn | .attach")
if [ ! -e /sys/bus/event_source/devices/kprobe ]; then
	check_eq kprobe-refused-enoent "kprobe/tcp_connect ENOENT 2" \
		"$(j "$conn | .refused[] | select(.attach==\"kprobe/tcp_connect\") | \"\(.attach) \(.error) \(.errno)\"")"
fi
if [ "$attach" != fentry/tcp_connect ]; then
	check_eq fentry-refused "fentry/tcp_connect" "$(j "$conn | .refused[0].attach")"
	check_true fentry-errno [ "$(j "$conn | .refused[0].errno")" -gt 0 ]
fi
# this machine's kernel (kernel-here.md): fentry EPERM, no kprobes
if [[ $(uname -r) == 6.18.*-fc-* ]]; then
	check_eq here-connect-attach tp_btf/inet_sock_set_state "$attach"
	check_eq here-fentry-eperm "EPERM 1" "$(j "$conn | .refused[0] | \"\(.error) \(.errno)\"")"
fi
check_true reasons-given jq -e '[.hooks[] | .reason | length > 0] | all' "$T_TMP/d.json" >/dev/null

# the selftest's connection, alone in its namespace: every transition once
check_eq selftest-ok true "$(j .selftest.ok)"
check_eq selftest-netns "$(netns_inode "$ns")" "$(j .selftest.netns)"
check_eq selftest-connects 1 "$(j .selftest.connects)"
expected="CLOSE-WAIT>LAST-ACK:1
ESTAB>CLOSE-WAIT:1
ESTAB>FIN-WAIT-1:1
FIN-WAIT-1>FIN-WAIT-2:1
FIN-WAIT-2>UNCONN:1
LAST-ACK>UNCONN:1
LISTEN>SYN-RECV:1
LISTEN>UNCONN:1
SYN-RECV>ESTAB:1
SYN-SENT>ESTAB:1
UNCONN>LISTEN:1
UNCONN>SYN-SENT:1"
check_eq selftest-transitions "$expected" \
	"$(j '.selftest.counts[] | "\(.from)>\(.to):\(.count)"' | LC_ALL=C sort)"
check_eq selftest-total 12 "$(j .selftest.transitions)"
check_eq nothing-lost 0 "$(j .counters.state_map_full)"

# doctor's word on top's iterator is what top finds: doctor loads socktap's
# own program (a kernel here once had the iterator, which the probe saw, and
# refused the program, so top could not start while doctor said it could)
top_attach=$(j '.hooks[] | select(.name=="top_bytes") | .attach')
ip netns exec "$ns" timeout 20 "$SOCKTAP" top --batch --json --interval 0.2 --count 1 \
	>"$T_TMP/top.json" 2>"$T_TMP/top.err"
top_rc=$?
if [ "$top_attach" = iter/task_file ]; then
	check_eq top-runs-where-doctor-says 0 "$top_rc"
	check_eq top-iterator-unrefused 0 "$(j '.hooks[] | select(.name=="top_bytes") | .refused | length')"
else
	check_eq top-refused-where-doctor-says 1 "$top_rc"
fi
# and on the listings' iterators: where doctor names them all, ss reads
# them (with -v a fallback to sock_diag and /proc says so), else it falls back
# (where only TCP's is refused, a kernel whose iter/tcp walk is unsafe, TCP
# alone comes from sock_diag, and -v says that)
iters=$(j '[.hooks[] | select(.name | test("^list_")) | .attach | startswith("iter/")] | all')
others=$(j '[.hooks[] | select(.name | test("^list_")) | select(.name != "list_tcp") | .attach | startswith("iter/")] | all')
ip netns exec "$ns" "$SOCKTAP" -v ss -tuxanp >/dev/null 2>"$T_TMP/ss.err"
said=$(grep -o '^socktap: [A-Z]* *sockets from sock_diag' "$T_TMP/ss.err")
if [ "$iters" = true ]; then
	check_eq ss-source-as-doctor-says "" "$said"
elif [ "$others" = true ]; then
	check_eq ss-source-as-doctor-says "socktap: TCP sockets from sock_diag" "$said"
else
	check_eq ss-source-as-doctor-says "socktap: sockets from sock_diag" "$said"
fi

# text mode: the same facts, aligned
ip netns exec "$ns" "$SOCKTAP" doctor >"$T_TMP/d.txt" 2>&1
check_eq text-status 0 $?
check_true text-hook-header grep -qE '^HOOK +ATTACH +WHY$' "$T_TMP/d.txt"
check_true text-state-row grep -qE '^state +tp_btf/inet_sock_set_state +' "$T_TMP/d.txt"
col() { grep -E "^$1 " "$T_TMP/d.txt" | awk -v w="$2" '{ print index($0, w) }'; }
check_eq text-aligned "$(col state tp_btf)" "$(col connect "$attach")"
check_true text-status-line grep -q '^status: ok, socktap can run here$' "$T_TMP/d.txt"
finish
