#!/usr/bin/env bash
# socktap top against iproute2's ss on the same live sockets: while both ends
# of a connection (IPv4 and IPv6, in two namespaces, opened after socktap
# started) are held open after their transfer, the bytes top shows for each
# end are the kernel's own counters as ss -ti prints them, less what is not
# payload: the client's bytes_acked counts its SYN and its FIN (it shut its
# side down), the server's bytes_received that FIN. The pids are those ss -p
# names.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trace_lib.sh"

netns_add c || skip "cannot create a network namespace"
c=$NS
netns_add s
s=$NS
veth_link "$c" "$s" || skip "cannot create a veth pair"

bg "$SOCKTAP" top --batch --json --interval 0.5 >"$T_TMP/top.json" 2>"$T_TMP/top.err"
top=$BG_PID
wait_for "$T_TMP/top.err" '^socktap: counting' 30 || { fail top-started "$(head -c 300 "$T_TMP/top.err")"; finish; }

declare -A sport cport
for fam in 4 6; do
	[ $fam = 4 ] && addr=198.18.0.2 || addr=2001:db8::2
	server "p$fam" "$s" --listen "$addr" --send 3333 --recv 77777 --hold 6 || finish
	sport[$fam]=$SRV_PORT
	client "p$fam" "$c" --connect "$addr" --port "$SRV_PORT" --send 77777 --recv 3333 --hold 6
	wait_for "$T_TMP/p$fam.cli" '"event":"holding"' 10 && wait_for "$T_TMP/p$fam.srv" '"event":"holding"' 10 ||
		{ fail "p$fam-holding" "$(head -c 300 "$T_TMP/p$fam.cli.err" "$T_TMP/p$fam.srv.err")"; finish; }
	cport[$fam]=$(jq -r 'select(.event == "holding") | .lport' "$T_TMP/p$fam.cli")
done

# a refresh after both transfers, all held
n=$(wc -l <"$T_TMP/top.json")
for ((i = 0; i < 50; i++)); do
	[ "$(wc -l <"$T_TMP/top.json")" -ge $((n + 2)) ] && break
	sleep 0.1
done
kill -INT "$top"
wait "$top"
check_eq top-exit 0 $?
last=$(tail -n 1 "$T_TMP/top.json")

# ss_bytes NS LPORT RPORT: "pid bytes_acked bytes_received" of that socket
ss_bytes() {
	ip netns exec "$1" ss -tinpH "( sport = :$2 and dport = :$3 )" | tr -s ' \t\n' ' ' |
		sed -n 's/.*pid=\([0-9]*\).*bytes_acked:\([0-9]*\).*bytes_received:\([0-9]*\).*/\1 \2 \3/p'
}
# top_bytes LPORT RPORT: "pid bytes_sent bytes_received" top shows for it
top_bytes() {
	jq -r --argjson l "$1" --argjson r "$2" \
		'.connections[] | select(.lport == $l and .rport == $r) | "\(.pid) \(.bytes_sent) \(.bytes_received)"' \
		<<<"$last"
}

for fam in 4 6; do
	read -r pid acked recvd <<<"$(ss_bytes "$c" "${cport[$fam]}" "${sport[$fam]}")"
	check_eq "p$fam-client-ss-sees-it" "77779 3333" "$acked $recvd"
	check_eq "p$fam-client-vs-ss" "$pid $((acked - 2)) $recvd" "$(top_bytes "${cport[$fam]}" "${sport[$fam]}")"
	read -r pid acked recvd <<<"$(ss_bytes "$s" "${sport[$fam]}" "${cport[$fam]}")"
	check_eq "p$fam-server-ss-sees-it" "3333 77778" "$acked $recvd"
	check_eq "p$fam-server-vs-ss" "$pid $acked $((recvd - 1))" "$(top_bytes "${sport[$fam]}" "${cport[$fam]}")"
done
finish
