#!/usr/bin/env bash
# socktap trace, failed connects other than refused (t_trace.sh has those):
# a router namespace answers for unreachable prefixes with ICMP errors and
# silently drops blackholed ones. Each failed connect must give exactly one
# connect_failed, from the connecting process, with the kernel's reason:
#   unreachable  the router's ICMP error (EHOSTUNREACH / ENETUNREACH)
#   timeout      SYNs unanswered until tcp_syn_retries (1 here: about 3 s)
#   aborted      the caller gave up and closed the socket first
# and no connect or close event.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trace_lib.sh"

netns_add rtr || skip "cannot create a network namespace"
rtr=$NS
netns_add cli
cli=$NS
veth_link "$rtr" "$cli" || skip "cannot create a veth pair"
ip -n "$cli" route add default via 198.18.0.1
ip -n "$cli" -6 route add default via 2001:db8::1
ip netns exec "$rtr" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
ip -n "$rtr" route add unreachable 198.19.9.0/24
ip -n "$rtr" -6 route add unreachable 2001:db8:9::/48
ip -n "$rtr" route add blackhole 198.19.8.0/24
ip -n "$rtr" -6 route add blackhole 2001:db8:8::/48
# one SYN retransmission: a timeout after 1 + 2 s, not two minutes
ip netns exec "$cli" sysctl -qw net.ipv4.tcp_syn_retries=1
cli_ino=$(netns_inode "$cli")

trace_start tf --json --netns "$cli_ino" || finish

# connect NAME ADDR TIMEOUT: a trafgen client that fails; its pid in NAME.pid
connect() {
	bg ip netns exec "$cli" "$TRAFGEN" client --connect "$2" --port 4242 --timeout "$3" \
		>"$T_TMP/$1.cli" 2>"$T_TMP/$1.cli.err"
	echo "$BG_PID" >"$T_TMP/$1.pid"
}
connect un4 198.19.9.1 10
connect un6 2001:db8:9::1 10
connect to4 198.19.8.1 10
connect to6 2001:db8:8::1 10
connect ab4 198.19.8.2 0.5
connect ab6 2001:db8:8::2 0.5
for c in un4 un6 to4 to6 ab4 ab6; do
	wait "$(cat "$T_TMP/$c.pid")"
	rc=$?
	# each must fail, and say why in one line
	check_true "$c-client-failed" [ $rc -ne 0 ]
done
check_true client-unreachable4 grep -q 'No route to host' "$T_TMP/un4.cli.err"
check_true client-timeout4 grep -q 'Connection timed out' "$T_TMP/to4.cli.err"
check_true client-aborted4 grep -q 'timed out after 0.5 s' "$T_TMP/ab4.cli.err"
wait_n tf '.type == "connect_failed"' 6 5
trace_stop tf "$TRACE_PID"
valid tf
# what socktap says it lost, if anything: a failure once had no
# connect_failed for either timeout, and nothing to say why
lost=$(jq -c 'select(.type == "lost")' "$T_TMP/tf.out" 2>/dev/null | xargs)
[ -z "$lost" ] || echo "# trace reported: $lost"

# expect NAME ADDR REASON ERRORS: the one event for ADDR, from NAME's pid;
# ERRORS is a regex of the error names the kernel may give
expect() {
	local name=$1 addr=$2 reason=$3 errors=$4 pid sel got
	pid=$(cat "$T_TMP/$name.pid")
	sel=".raddr == \"$addr\" and .rport == 4242"
	check_eq "$name-one-failure" 1 "$(n tf "$sel and .type == \"connect_failed\"")"
	check_eq "$name-no-other-event" 0 "$(n tf "$sel and .type != \"connect_failed\"")"
	got=$(f tf "$sel and .type == \"connect_failed\"" '"\(.pid) \(.comm) \(.netns) \(.reason)"')
	check_eq "$name-failure" "$pid trafgen $cli_ino $reason" "$got"
	got=$(f tf "$sel and .type == \"connect_failed\"" '"\(.error) \(.errno)"')
	check_true "$name-error" grep -Eqx "$errors" <<<"$got"
}
expect un4 198.19.9.1 unreachable '(EHOSTUNREACH 113|ENETUNREACH 101)'
expect un6 2001:db8:9::1 unreachable '(EHOSTUNREACH 113|ENETUNREACH 101)'
expect to4 198.19.8.1 timeout 'ETIMEDOUT 110'
expect to6 2001:db8:8::1 timeout 'ETIMEDOUT 110'
expect ab4 198.19.8.2 aborted 'null 0'
expect ab6 2001:db8:8::2 aborted 'null 0'

# how long each attempt took: the SYN_SENT time, from the kernel's clock
ms() { f tf ".raddr == \"$1\" and .type == \"connect_failed\"" '.duration_ns / 1e6 | floor'; }
check_true timeout4-duration [ "$(ms 198.19.8.1)" -ge 2800 -a "$(ms 198.19.8.1)" -lt 4500 ]
check_true timeout6-duration [ "$(ms 2001:db8:8::1)" -ge 2800 -a "$(ms 2001:db8:8::1)" -lt 4500 ]
check_true aborted4-duration [ "$(ms 198.19.8.2)" -ge 450 -a "$(ms 198.19.8.2)" -lt 2000 ]
check_true unreachable4-duration [ "$(ms 198.19.9.1)" -lt 1000 ]

# --- payload that never left: sends that fail locally --------------------
# connected, then the route to the server turns unreachable before the
# client sends 10 bytes: every transmit attempt fails in the client's own
# stack and counts in the kernel's bytes_sent; none left, so none is sent
netns_add srv
srv=$NS
ip link add "w$$a" netns "$cli" type veth peer name "w$$b" netns "$srv"
ip -n "$cli" addr add 198.18.1.1/24 dev "w$$a"
ip -n "$srv" addr add 198.18.1.2/24 dev "w$$b"
ip -n "$cli" link set "w$$a" up
ip -n "$srv" link set "w$$b" up
# the orphaned socket (closed with its data unsent) gives up after one retry
ip netns exec "$cli" sysctl -qw net.ipv4.tcp_orphan_retries=1
trace_start lf --json --netns "$cli_ino" || finish
lfp=$TRACE_PID
server lf "$srv" --listen 198.18.1.2 --recv 10 --timeout 3
lsrv=$SRV_PID
client lf "$cli" --connect 198.18.1.2 --port "$SRV_PORT" --send 10 --delay 1 --timeout 3
for ((i = 0; i < 100; i++)); do
	ip netns exec "$cli" ss -tnH state established | grep -q "198.18.1.2:$SRV_PORT" && break
	sleep 0.02
done
ip -n "$cli" route add unreachable 198.18.1.2/32
wait "$CLI_PID"
# the server waited for the 10 bytes in vain
wait "$lsrv"
check_true lf-server-got-nothing [ $? -ne 0 ]
wait_n lf '.type == "close"' 1 10
trace_stop lf "$lfp"
sel='.raddr == "198.18.1.2" and .type == "close"'
check_eq lf-close "1: sent=0 received=0 retrans=0" \
	"$(n lf "$sel"): $(f lf "$sel" '"sent=\(.bytes_sent) received=\(.bytes_received) retrans=\(.bytes_retrans)"')"
finish
