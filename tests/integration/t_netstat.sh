#!/usr/bin/env bash
# socktap netstat against net-tools' netstat on the same sockets: a known mix
# (tests/netstatmix.c) held in a namespace of its own, listed by both with
# the same options and compared line by line (rows sorted within their
# section, timer values masked); then netstat -s, -i, JSON, -c and bad options.
. "$(dirname "$0")/lib.sh"

command -v netstat >/dev/null || skip "net-tools' netstat is not installed"
MIX="$(cd "$TESTBIN" && pwd)/netstatmix"
[ -x "$MIX" ] || skip "no $MIX (make tests)"

netns_add netstat || skip "cannot create a network namespace"
mkdir -p "$T_TMP/unix"
bg ip netns exec "$NS" "$MIX" 15000 "$T_TMP/unix" >"$T_TMP/mix.out"
MIX_PID=$BG_PID
for ((i = 0; i < 50; i++)); do
	grep -q ready "$T_TMP/mix.out" 2>/dev/null && break
	sleep 0.1
done
grep -q ready "$T_TMP/mix.out" || {
	fail mix-ready "netstatmix did not start"
	finish
}

# Rows keep their section (the count of "Active ..." titles before them) and
# are sorted; timer values move, their retransmit/probe counts do not.
norm() {
	awk '/^Active /{ s++ } { print s " " $0 }' |
		sed -E 's/\(([0-9]+\.[0-9]+)\//(T\//' | sort
}

# compare NAME ARGS...: netstat ARGS and socktap netstat ARGS print the same
compare() {
	local name=$1
	shift
	ip netns exec "$NS" netstat "$@" >"$T_TMP/want" 2>&1
	ip netns exec "$NS" "$SOCKTAP" netstat "$@" >"$T_TMP/got" 2>"$T_TMP/err"
	local rc=$?
	if [ $rc -ne 0 ]; then
		fail "$name" "exit $rc: $(head -c 300 "$T_TMP/err")"
	elif diff <(norm <"$T_TMP/want") <(norm <"$T_TMP/got") >"$T_TMP/diff"; then
		ok "$name"
	else
		fail "$name" "differs from netstat $*:"$'\n'"$(head -20 "$T_TMP/diff")"
	fi
}

for args in -tan -tanp -tulpn -uan -xa -xap -tane -taneo -tanW -tan4 -tan6 -an4 -an6 \
	-lnp -ln -tn -an -anp -anw -anpeo -x -xl; do
	compare "netstat$args" "$args"
done
compare netstat-4-6-tu -4 -6 -tun
# names: the mix uses loopback addresses only, all in /etc/hosts
compare netstat-ta -ta
compare netstat-aw -aw

# the mix's listener on 127.0.0.1:15001 with its owner, in JSON
json=$(ip netns exec "$NS" "$SOCKTAP" netstat -tlnp --json)
check_eq json-listener-pid "$MIX_PID" \
	"$(jq -r '.[] | select(.lport == 15001) | .owners[0].pid' <<<"$json")"
check_eq json-listener-state "LISTEN tcp inet 127.0.0.1" \
	"$(jq -r '.[] | select(.lport == 15001) | "\(.state) \(.proto) \(.family) \(.laddr)"' <<<"$json")"
check_eq json-rows "$(ip netns exec "$NS" netstat -tln | tail -n +3 | wc -l)" "$(jq length <<<"$json")"
json=$(ip netns exec "$NS" "$SOCKTAP" netstat -xa --json)
check_eq json-unix-listeners 2 "$(jq '[.[] | select(.state == "LISTEN")] | length' <<<"$json")"

# netstat -s: counters may move between the two reads, the sentences do not;
# in this idle namespace the TCP openings stand still
stats() {
	ip netns exec "$NS" netstat "$@" >"$T_TMP/want" 2>&1
	ip netns exec "$NS" "$SOCKTAP" netstat "$@" >"$T_TMP/got" 2>&1
}
for args in -s "-s -6" -st -su -sw; do
	stats $args
	if diff <(sed -E 's/[0-9]+/N/g' "$T_TMP/want") <(sed -E 's/[0-9]+/N/g' "$T_TMP/got") \
		>"$T_TMP/diff"; then
		ok "netstat${args// /}-lines"
	else
		fail "netstat${args// /}-lines" "$(head -20 "$T_TMP/diff")"
	fi
done
stats -st
for what in "active connection openings" "passive connection openings" \
	"connections established" "failed connection attempts"; do
	check_eq "netstat-st-${what// /-}" "$(grep "$what" "$T_TMP/want")" "$(grep "$what" "$T_TMP/got")"
done
json=$(ip netns exec "$NS" "$SOCKTAP" netstat -s --json)
check_eq json-stats-active-opens \
	"$(grep "active connection openings" "$T_TMP/want" | awk '{ print $1 }')" \
	"$(jq .tcp.active_opens <<<"$json")"

# netstat -i: lo in an idle namespace does not move
compare netstat-i -i
compare netstat-ia -ia
check_eq json-ifaces "lo 65536 LRU" \
	"$(ip netns exec "$NS" "$SOCKTAP" netstat -i --json | jq -r '.interfaces[0] | "\(.iface) \(.mtu) \(.flags)"')"

# netstat -ie: ifconfig's long form, line for line, on a namespace with more
# than lo: a veth with a broadcast address, a secondary, a label (listed as
# an interface of its own, with no counters), a global IPv6 address, a
# point-to-point peer, a tun device, a bridge that is down (-a), and known
# traffic moved over the veth first
main_ns=$NS
netns_add ifs
a=$NS
netns_add ifs-peer
b=$NS
for ns in "$a" "$b"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.router_solicitations=0 \
		net.ipv6.conf.default.accept_dad=0 2>/dev/null
done
veth_link "$a" "$b" || skip "cannot create a veth pair"
ip -n "$a" addr del 198.18.0.1/24 dev "v$$a"
ip -n "$a" addr add 198.18.0.1/24 brd + dev "v$$a"
ip -n "$a" addr add 198.18.0.9/24 dev "v$$a"
ip -n "$a" addr add 198.18.3.1/24 brd + dev "v$$a" label "v$$a:7"
# a veth pair of its own: one end down (listed with -a only), the other a
# port of the bridge, whose promiscuity sysfs shows and SIOCGIFFLAGS does
# not (a kernel without bridges or tun devices goes without them)
ip -n "$a" link add "p$$c" type veth peer name "p$$d"
ip -n "$a" link set "p$$c" up
bridge=no
ip -n "$a" link add "br$$" type bridge 2>/dev/null && bridge=yes &&
	ip -n "$a" link set "p$$c" master "br$$"
# more labels than SIOCGIFCONF's first buffer holds (32)
for ((i = 10; i < 50; i++)); do
	ip -n "$a" addr add "198.18.2.$i/24" dev "v$$a" label "v$$a:$i"
done
ip -n "$a" tuntap add "tun$$" mode tun 2>/dev/null && ip -n "$a" link set "tun$$" up &&
	ip -n "$a" addr add 198.18.4.1 peer 198.18.4.2 dev "tun$$"
bg ip netns exec "$b" "$TRAFGEN" server --listen 198.18.0.2 --port 15100 --recv 200000 \
	>"$T_TMP/ifs.srv" 2>&1
sleep 0.3
ip netns exec "$a" "$TRAFGEN" client --connect 198.18.0.2 --port 15100 --send 200000 \
	>/dev/null 2>&1 || fail ifs-traffic "the client failed"
# exact: netstat read before and after socktap, until the two agree
compare_exact() {
	local name=$1 ns=$2 i
	shift 2
	for ((i = 0; i < 10; i++)); do
		ip netns exec "$ns" netstat "$@" >"$T_TMP/want1" 2>&1
		ip netns exec "$ns" "$SOCKTAP" netstat "$@" >"$T_TMP/got" 2>&1
		ip netns exec "$ns" netstat "$@" >"$T_TMP/want" 2>&1
		cmp -s "$T_TMP/want1" "$T_TMP/want" && break
		sleep 0.5
	done
	if diff "$T_TMP/want" "$T_TMP/got" >"$T_TMP/diff"; then
		ok "$name"
	else
		fail "$name" "differs from netstat $*:"$'\n'"$(head -20 "$T_TMP/diff")"
	fi
}
compare_exact netstat-ie "$a" -ie
check_true ifs-label-listed grep -q "^v$$a:7: flags=" "$T_TMP/got"
check_true ifs-bytes-in-kib grep -q "TX packets [0-9]*  bytes [0-9]* ([0-9.]* KiB)" "$T_TMP/got"
compare_exact netstat-iea "$a" -iea
check_true ifs-down-veth-listed grep -q "^p$$d: flags=4098<BROADCAST,MULTICAST>" "$T_TMP/got"
check_eq ifs-labels-listed 41 "$(grep -c "^v$$a:[0-9]*: flags=" "$T_TMP/got")"
[ $bridge = yes ] && check_true ifs-bridge-port-not-promisc \
	grep -q "^p$$c: flags=4099<UP,BROADCAST,MULTICAST>" "$T_TMP/got"
[ $bridge = yes ] &&
	check_true ifs-down-bridge-listed grep -q "^br$$: flags=4098<BROADCAST,MULTICAST>" "$T_TMP/got"
compare_exact netstat-i-labels "$a" -i
check_true ifs-label-no-statistics grep -q "^v$$a:7 .*- no statistics available -" "$T_TMP/got"
compare_exact netstat-ia-labels "$a" -ia
json=$(ip netns exec "$a" "$SOCKTAP" netstat -ie --json)
check_eq json-ie-veth "198.18.0.1 255.255.255.0 198.18.0.255 ether 2001:db8::1 64" \
	"$(jq -r ".interfaces[] | select(.iface == \"v$$a\") |
		\"\(.inet.addr) \(.inet.netmask) \(.inet.broadcast) \(.hwtype) \([.inet6[] | select(.scopeid == 0)][0] | \"\(.addr) \(.prefixlen)\")\"" <<<"$json")"
check_eq json-ie-label-no-counters "null 198.18.3.1" \
	"$(jq -r ".interfaces[] | select(.iface == \"v$$a:7\") | \"\(.rx_bytes) \(.inet.addr)\"" <<<"$json")"
check_true json-ie-tx-bytes-200k jq -e ".interfaces[] | select(.iface == \"v$$a\") | .tx_bytes > 200000" <<<"$json"
NS=$main_ns

# -c lists again every second until SIGINT
ip netns exec "$NS" "$SOCKTAP" netstat -tln -c >"$T_TMP/cont" 2>&1 &
cpid=$!
sleep 1.5
kill -INT $cpid
for ((i = 0; i < 20; i++)); do
	kill -0 $cpid 2>/dev/null || break
	sleep 0.1
done
if kill -0 $cpid 2>/dev/null; then
	kill -KILL $cpid
	fail continuous-sigint "still running 2 s after SIGINT"
else
	wait $cpid
	check_eq continuous-status 0 $?
	n=$(grep -c '^Active Internet connections' "$T_TMP/cont")
	check_true continuous-rounds test "$n" -ge 2
fi

# bad input: one line, exit 2
badopt() {
	local name=$1 re=$2
	shift 2
	"$SOCKTAP" netstat "$@" >"$T_TMP/out" 2>"$T_TMP/err"
	local rc=$?
	if [ $rc -ne 2 ] || [ "$(wc -l <"$T_TMP/err")" -ne 1 ] || ! grep -qE "$re" "$T_TMP/err" ||
		[ -s "$T_TMP/out" ]; then
		fail "$name" "exit $rc, stderr '$(cat "$T_TMP/err")'"
	else
		ok "$name"
	fi
}
badopt bad-option "unknown option '--frob'" --frob
badopt bad-short-option "unknown option '-y'" -y
badopt route-unsupported "'-r'.*not supported" -r
badopt groups-unsupported "'-g'.*not supported" -g
badopt masquerade-unsupported "'-M'.*not supported" -M
badopt stats-and-ifaces "cannot be combined" -s -i
badopt bad-interval "bad -c value" -c 0
finish
