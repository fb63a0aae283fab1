#!/usr/bin/env bash
# socktap trace, UDP: one udp_open and one udp_close per socket, with the
# exact payload bytes each side sent and received and the right process,
# over IPv4 and IPv6, across two namespaces.
. "$(dirname "$0")/lib.sh"

netns_add srv || skip "cannot create a network namespace"
srv=$NS
netns_add cli
cli=$NS
veth_link "$srv" "$cli" || skip "cannot create a veth pair"

bg "$SOCKTAP" trace -u --json --netns "$(netns_inode "$cli")" >"$T_TMP/cli.json" 2>"$T_TMP/cli.err"
tcli=$BG_PID
bg "$SOCKTAP" trace -u --json --netns "$(netns_inode "$srv")" >"$T_TMP/srv.json" 2>"$T_TMP/srv.err"
tsrv=$BG_PID
wait_for "$T_TMP/cli.err" tracing 10 && wait_for "$T_TMP/srv.err" tracing 10 ||
	{ fail started "socktap trace did not start"; finish; }

# exchange ADDR SEND RECV [OPTION]: client sends SEND bytes, server answers
# with RECV; OPTION (--peek) goes to both
exchange() {
	ip netns exec "$srv" "$TRAFGEN" server -u --listen "$1" --send "$3" --recv "$2" ${4:-} \
		>"$T_TMP/s.out" 2>>"$T_TMP/trafgen.err" &
	local sp=$!
	wait_for "$T_TMP/s.out" listening 5 || echo "# exchange $*: no server listening after 5 s"
	local port
	port=$(head -n 1 "$T_TMP/s.out" | jq .lport)
	ip netns exec "$cli" "$TRAFGEN" client -u --connect "$1" --port "$port" --send "$2" \
		--recv "$3" ${4:-} >"$T_TMP/c.out" 2>>"$T_TMP/trafgen.err"
	wait "$sp"
	cat "$T_TMP/s.out" >>"$T_TMP/servers"
	cat "$T_TMP/c.out" >>"$T_TMP/clients"
}
: >"$T_TMP/servers"
: >"$T_TMP/trafgen.err"
: >"$T_TMP/clients"
exchange 198.18.0.1 5000 3000
exchange 2001:db8::1 1 65000
exchange 198.18.0.1 100000 7
# every datagram peeked at before it is read: counted once
exchange 2001:db8::1 3000 2000 --peek
# an exchange that failed says why (a lost datagram times out)
[ -s "$T_TMP/trafgen.err" ] && echo "# trafgen: $(head -c 600 "$T_TMP/trafgen.err" | tr '\n' ' ')"
sleep 0.3
kill -INT "$tcli" "$tsrv"
wait "$tcli"
check_eq client-trace-status 0 $?
wait "$tsrv"
check_eq server-trace-status 0 $?

# per side: each trafgen socket has one udp_open and one udp_close with its bytes
check_side() {
	local side=$1 done=$2 json=$3 n=0
	while read -r d; do
		n=$((n + 1))
		local pid lport sent rcvd fam
		pid=$(jq .pid <<<"$d")
		lport=$(jq .lport <<<"$d")
		sent=$(jq .bytes_sent <<<"$d")
		rcvd=$(jq .bytes_received <<<"$d")
		fam=$(jq -r .family <<<"$d")
		sel="select(.lport == $lport)"
		check_eq "$side-$n-opens" 1 "$(jq -c "select(.type == \"udp_open\") | $sel" "$json" | wc -l)"
		check_eq "$side-$n-closes" 1 "$(jq -c "select(.type == \"udp_close\") | $sel" "$json" | wc -l)"
		check_eq "$side-$n-close" "$pid trafgen udp $fam $sent $rcvd" \
			"$(jq -r "select(.type == \"udp_close\") | $sel | \"\(.pid) \(.comm) \(.proto) \(.family) \(.bytes_sent) \(.bytes_received)\"" "$json")"
		check_eq "$side-$n-open-pid" "$pid" \
			"$(jq -r "select(.type == \"udp_open\") | $sel | .pid" "$json")"
	done < <(jq -c 'select(.event == "done")' "$done")
	check_eq "$side-connections" 4 "$n"
}
check_side client "$T_TMP/clients" "$T_TMP/cli.json"
check_side server "$T_TMP/servers" "$T_TMP/srv.json"
check_eq nothing-else 16 "$(cat "$T_TMP/cli.json" "$T_TMP/srv.json" | wc -l)"
check_eq no-tcp 0 "$(cat "$T_TMP/cli.json" "$T_TMP/srv.json" | jq -c 'select(.proto == "tcp")' | wc -l)"
finish
