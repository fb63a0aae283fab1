#!/usr/bin/env bash
# socktap top -i IFACE: only the sockets whose route goes out through IFACE,
# an interface of socktap's own namespace. Two connections from this
# namespace, held open across refreshes: one over a veth into a namespace
# of the test's own, one over loopback. With -i on the veth only the first
# shows, with its exact bytes; with -i lo only the second; a socket of the
# other namespace never matches (its interface numbers are its own).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trace_lib.sh"

netns_add s || skip "cannot create a network namespace"
s=$NS
dev=vti$$
# the pair goes with the namespace that holds one end
ip link add "$dev" type veth peer name vto$$ netns "$s" || skip "cannot create a veth pair"
ip addr add 198.18.9.1/24 dev "$dev"
ip link set "$dev" up
ip -n "$s" addr add 198.18.9.2/24 dev vto$$
ip -n "$s" link set vto$$ up
ip -n "$s" link set lo up

# top_run NAME IFACE: socktap top -i IFACE over both connections; sets the
# JSON's path in OUT
top_run() {
	local name=$1 iface=$2 vport lport
	bg "$SOCKTAP" top --batch --json --interval 0.5 --count 8 -i "$iface" \
		>"$T_TMP/$name.json" 2>"$T_TMP/$name.err"
	local top=$BG_PID
	wait_for "$T_TMP/$name.err" '^socktap: counting' 30 ||
		{ fail "$name-started" "$(head -c 300 "$T_TMP/$name.err")"; return 1; }
	server "$name-v" "$s" --listen 198.18.9.2 --send 700 --recv 70000 --hold 2 || return 1
	vport=$SRV_PORT
	bg "$TRAFGEN" server --listen 127.0.0.1 --send 500 --recv 50000 --hold 2 \
		>"$T_TMP/$name-l.srv" 2>/dev/null
	wait_for "$T_TMP/$name-l.srv" '"event":"listening"' 10 || { fail "$name-lo-server" "no listening line"; return 1; }
	lport=$(jq -r 'select(.event == "listening") | .lport' "$T_TMP/$name-l.srv")
	bg "$TRAFGEN" client --connect 198.18.9.2 --port "$vport" --send 70000 --recv 700 --hold 2 \
		>/dev/null 2>&1
	bg "$TRAFGEN" client --connect 127.0.0.1 --port "$lport" --send 50000 --recv 500 --hold 2 \
		>/dev/null 2>&1
	wait "$top"
	check_eq "$name-exit" 0 $?
	VPORT=$vport LPORT=$lport
}

# the connections a run listed, once each: "lport>rport netns"
rows() {
	jq -r '.connections[] | "\(.lport)>\(.rport) \(.netns)"' "$T_TMP/$1.json" 2>/dev/null | sort -u
}
last_bytes() {
	jq -r --argjson p "$2" 'select(.connections | length > 0) | .connections[] |
		select(.rport == $p or .lport == $p) | "\(.bytes_sent)/\(.bytes_received)"' \
		"$T_TMP/$1.json" 2>/dev/null | tail -n 1
}
self_ns=$(stat -L -c %i /proc/self/ns/net)

top_run veth "$dev" || finish
# one socket: the client's, in this namespace, towards the veth's far end
check_eq veth-only-its-connection "$VPORT $self_ns" \
	"$(rows veth | awk '{ split($1, p, ">"); print p[2], $2 }' | sort -u | xargs)"
check_eq veth-bytes "70000/700" "$(last_bytes veth "$VPORT")"
check_eq veth-no-loopback "" "$(rows veth | grep -E "^$LPORT>|>$LPORT " | head -c 200)"

top_run lo lo || finish
check_eq lo-both-ends "2" "$(rows lo | grep -cE "^$LPORT>|>$LPORT ")"
check_eq lo-no-veth "" "$(rows lo | grep -E ">$VPORT " | head -c 200)"
check_eq lo-bytes "50000/500 500/50000" \
	"$(jq -r --argjson p "$LPORT" '.connections[] | select(.rport == $p or .lport == $p) |
		"\(.lport == $p) \(.bytes_sent)/\(.bytes_received)"' "$T_TMP/lo.json" |
		awk '{ last[$1] = $2 } END { print last["false"], last["true"] }')"

"$SOCKTAP" top -i nosuch$$ >"$T_TMP/bad.out" 2>"$T_TMP/bad.err"
check_eq bad-iface-exit 2 $?
check_eq bad-iface-line "1" "$(wc -l <"$T_TMP/bad.err")"
check_eq bad-iface-stdout "" "$(cat "$T_TMP/bad.out")"
finish
