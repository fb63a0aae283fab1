#!/usr/bin/env bash
# Listings of many sockets: 3,000 TCP sockets (tests/sockfarm) in a
# namespace, so that the socket table's dump takes many netlink datagrams
# (read ahead on a thread of their own from the second on, nldump.c) and
# the files iterator loads while the table is read (sockets_collect.c).
# socktap's sorted output must equal the originals' line for line: ss -tan
# and ss -tanp (the owners' pids and fds too), netstat -tanp and lsof
# -nP -iTCP. A TCP table of this size is about 300 KiB, ten times what one
# datagram holds.
. "$(dirname "$0")/lib.sh"

N=3000
[ -x "$TESTBIN/sockfarm" ] || skip "no $TESTBIN/sockfarm (make tests)"
netns_add many || skip "cannot create a network namespace"
ns=$NS
bg ip netns exec "$ns" "$TESTBIN/sockfarm" --sockets "$N" --timeout 120 >"$T_TMP/farm.out" 2>"$T_TMP/farm.err"
for ((i = 0; i < 300; i++)); do
	grep -q '^ready' "$T_TMP/farm.out" && break
	sleep 0.1
done
check_eq farm-ready "ready $N" "$(head -n 1 "$T_TMP/farm.out")"

# same NAME HEADER_LINES "CMD": socktap's CMD and the original's, in the
# namespace, sorted, with every socket in both
same() {
	local name=$1 head=$2 cmd=$3 st orig
	# shellcheck disable=SC2086 # cmd holds words
	st=$(ip netns exec "$ns" "$SOCKTAP" $cmd 2>"$T_TMP/$name.err" | sort)
	# shellcheck disable=SC2086
	orig=$(ip netns exec "$ns" $cmd 2>/dev/null | sort)
	check_eq "$name-rows" $((N + head)) "$(wc -l <<<"$st")"
	check_eq "$name-equal" "$orig" "$st"
	check_eq "$name-stderr" "" "$(cat "$T_TMP/$name.err")"
}
same ss-tan 1 "ss -tan"
same ss-tanp 1 "ss -tanp"
same netstat-tanp 2 "netstat -tanp"
command -v lsof >/dev/null && same lsof 1 "lsof -nP -iTCP"
# the owners are the farm's holders: every row names one
check_eq ss-owners "$N" "$(ip netns exec "$ns" "$SOCKTAP" ss -Htanp | grep -c 'users:(("sockfarm",pid=[0-9]*,fd=[0-9]*))')"
finish
