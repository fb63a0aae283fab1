#!/usr/bin/env bash
# socktap trace under loss: a 4 MiB transfer, paced by htb so it lasts about
# a second, loses the receiver's ACKs for 0.4 s (a blackhole route in its
# namespace), so the sender retransmits. Retransmitted payload must not be
# counted twice: bytes_sent and bytes_received stay what trafgen moved,
# bytes_retrans and retransmits say what was sent again, the retransmits
# equal the kernel's own TcpRetransSegs count for that namespace, and the
# opt-in retransmit events belong to the sender's socket.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trace_lib.sh"

SIZE=4194304
netns_add c || skip "cannot create a network namespace"
c=$NS
netns_add s
s=$NS
veth_link "$c" "$s" || skip "cannot create a veth pair"
dev=$(ip -n "$c" -o link show type veth | awk -F': ' '{ sub(/@.*/, "", $2); print $2; exit }')
tc -n "$c" qdisc add dev "$dev" root handle 1: htb default 1 &&
	tc -n "$c" class add dev "$dev" parent 1: classid 1:1 htb rate 40mbit quantum 1514 ||
	skip "no htb qdisc to pace the transfer"
# the kernel's count of retransmitted segments in namespace c
retrans_segs() {
	ip netns exec "$c" awk '$1 == "Tcp:" && !h { for (i = 2; i <= NF; i++) col[$i] = i; h = 1; next }
		$1 == "Tcp:" { print $col["RetransSegs"] }' /proc/net/snmp
}

trace_start rt --json --netns "$(netns_inode "$c")" --events connect,close,retransmit || finish
rtp=$TRACE_PID
trace_start rs --json --netns "$(netns_inode "$s")" || finish
rsp=$TRACE_PID
server r "$s" --listen 198.18.0.2 --recv $SIZE --timeout 30 || finish
before=$(retrans_segs)
client r "$c" --connect 198.18.0.2 --port "$SRV_PORT" --send $SIZE --timeout 30
sleep 0.3
ip -n "$s" route add blackhole 198.18.0.1/32
sleep 0.4
ip -n "$s" route del blackhole 198.18.0.1/32
reap client "$CLI_PID"
reap server "$SRV_PID"
after=$(retrans_segs)
wait_n rt '.type == "close"' 1 5
wait_n rs '.type == "close"' 1 5
trace_stop rt "$rtp"
trace_stop rs "$rsp"
valid rt

cport=$(g "$T_TMP/r.cli" lport)
sel=".lport == $cport"
check_eq trafgen-moved "$SIZE $SIZE" "$(g "$T_TMP/r.cli" bytes_sent) $(g "$T_TMP/r.srv" bytes_received)"
check_true kernel-retransmitted [ $((after - before)) -gt 0 ]
check_eq client-close-bytes "sent=$SIZE received=0" \
	"$(f rt "$sel and .type == \"close\"" '"sent=\(.bytes_sent) received=\(.bytes_received)"')"
check_eq server-close-bytes "sent=0 received=$SIZE" \
	"$(f rs ".rport == $cport and .type == \"close\"" '"sent=\(.bytes_sent) received=\(.bytes_received)"')"
# retransmits: socktap's figure is the kernel's count for the namespace (its
# only connection), and retransmitted payload is counted as such
check_eq client-retransmits "$((after - before))" "$(f rt "$sel and .type == \"close\"" .retransmits)"
check_true client-bytes-retrans [ "$(f rt "$sel and .type == \"close\"" .bytes_retrans)" -gt 0 ]
# the opt-in events: some, all on the client's socket, none beyond the count
nev=$(n rt '.type == "retransmit"')
check_true retransmit-events [ "$nev" -ge 1 -a "$nev" -le "$((after - before))" ]
check_eq retransmit-events-socket "$cport $(g "$T_TMP/r.cli" pid)" \
	"$(f rt '.type == "retransmit"' '"\(.lport) \(.pid)"' | sort -u | xargs)"
check_eq retransmit-cookie "$(f rt "$sel and .type == \"close\"" .cookie)" \
	"$(f rt '.type == "retransmit"' .cookie | sort -u | xargs)"
finish
