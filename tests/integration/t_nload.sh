#!/usr/bin/env bash
# socktap nload --batch: interface totals are the kernel's own counters.
# Two namespaces joined by a veth (IPv6 off on it, so nothing but the
# test's traffic crosses); socktap runs in the sender's namespace. Its
# totals since start must equal the kernel's counters (ip -s link,
# /sys/class/net) read before and after a known transfer, byte for byte and
# packet for packet; a paced sender's rate shows within 5% in the intervals
# it covers whole; --all-netns names the receiver's interface with its
# namespace; a device that goes away is marked gone; bad input exits 2.
. "$(dirname "$0")/lib.sh"

netns_add a || skip "cannot create a network namespace"
a=$NS
netns_add b || skip "cannot create a network namespace"
b=$NS
veth_net "$a" "$b" 7 || skip "cannot create a veth pair"
dev=v$$n7a
peer=v$$n7b
# no IPv6 on the link: no router solicitations or DAD crossing it
ip netns exec "$a" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
ip netns exec "$b" sysctl -qw "net.ipv6.conf.$peer.disable_ipv6=1"
# the kernel's counters of dev in namespace a: "rx_bytes tx_bytes rx_packets tx_packets"
kstats() {
	local d=/sys/class/net/$2/statistics
	ip netns exec "$1" sh -c "cat $d/rx_bytes $d/tx_bytes $d/rx_packets $d/tx_packets" | xargs
}
jv() { jq -r "select(.dev == \"$2\") | $3" "$T_TMP/$1.json" | tail -n 1; }

# 1. exact totals: socktap starts, the link is quiet, a known transfer
# runs, the link is quiet again; socktap's totals since start are the
# kernel's counters' difference over the same quiet points
bg ip netns exec "$a" "$SOCKTAP" nload --batch --json --interval 0.2 "$dev" \
	>"$T_TMP/tot.json" 2>"$T_TMP/tot.err"
nl=$BG_PID
wait_for "$T_TMP/tot.json" '"type":"nload"' 10 || fail tot-started "$(head -c 300 "$T_TMP/tot.err")"
before=$(kstats "$a" "$dev")
flowgen_sink tsink "$b" --listen 198.18.7.2 --count 1 || finish
bg ip netns exec "$a" "$TESTBIN/flowgen" send --connect 198.18.7.2 --port "$FG_PORT" \
	--bytes 3000000 >"$T_TMP/tsend.out" 2>&1
wait "$BG_PID"
check_eq tot-sender-exit 0 $?
wait "$FG_PID" 2>/dev/null
sleep 0.3
after=$(kstats "$a" "$dev")
# two more intervals after the counters stopped moving
sleep 0.5
kill -INT "$nl"
wait "$nl"
check_eq tot-exit 0 $?
read -r b_rx b_tx b_rxp b_txp <<<"$before"
read -r a_rx a_tx a_rxp a_txp <<<"$after"
check_true tot-moved test $((a_tx - b_tx)) -gt 3000000
check_eq tot-bytes "rx=$((a_rx - b_rx)) tx=$((a_tx - b_tx))" \
	"$(jv tot "$dev" '"rx=\(.rx_bytes) tx=\(.tx_bytes)"')"
check_eq tot-packets "rx=$((a_rxp - b_rxp)) tx=$((a_txp - b_txp))" \
	"$(jv tot "$dev" '"rx=\(.rx_packets) tx=\(.tx_packets)"')"
check_eq tot-only-dev "$dev" "$(jq -r .dev "$T_TMP/tot.json" | sort -u | xargs)"
check_eq tot-netns "$(ip netns exec "$a" stat -L -c %i /proc/self/ns/net)" "$(jv tot "$dev" .netns)"
check_eq tot-addr 198.18.7.1 "$(jv tot "$dev" .addr)"
# every interval's bytes per second times its length adds up to the total
check_eq tot-rates-add-up ok "$(jq -rs --arg d "$dev" '[.[] | select(.dev == $d)] |
	(map(.tx_bps * .interval_s) | add) as $s | (.[-1].tx_bytes) as $t |
	if ($s - $t | fabs) <= ($t * 0.01 + 2000) then "ok" else "\($s) vs \($t)" end' "$T_TMP/tot.json")"
# ip -s link says the same as sysfs: one more reader, the same counters
check_eq tot-ip-link "$(kstats "$a" "$dev" | awk '{ print $1, $2 }')" \
	"$(ip -n "$a" -s -j link show "$dev" | jq -r '.[0].stats64 | "\(.rx.bytes) \(.tx.bytes)"')"

# 2. a paced sender at 4 MB/s for 3 s: every interval it covers whole shows
# its rate within 5% (headers make the wire rate a little higher)
bg ip netns exec "$a" "$SOCKTAP" nload --batch --json --interval 0.5 "$dev" \
	>"$T_TMP/rate.json" 2>"$T_TMP/rate.err"
nl=$BG_PID
wait_for "$T_TMP/rate.json" '"type":"nload"' 10 || fail rate-started "$(head -c 300 "$T_TMP/rate.err")"
flowgen_sink rsink "$b" --listen 198.18.7.2 --count 1 || finish
bg ip netns exec "$a" "$TESTBIN/flowgen" send --connect 198.18.7.2 --port "$FG_PORT" \
	--bytes 12000000 --rate 4000000 >"$T_TMP/rsend.out" 2>&1
wait "$BG_PID"
sleep 0.6
kill -INT "$nl"
wait "$nl"
# the middle intervals: the ones at least 2.5 MB/s, less the first and last
check_eq rate-within-5pct ok "$(jq -rs --arg d "$dev" '[.[] | select(.dev == $d and .tx_bps > 2500000)] |
	if length < 4 then "only \(length) busy intervals" else
	.[1:-1] | map(select(.tx_bps < 4000000 * 0.95 or .tx_bps > 4000000 * 1.05 * 1.06)) |
	if length == 0 then "ok" else "off: \(map(.tx_bps))" end end' "$T_TMP/rate.json")"

# 3. text: a table per interval, nload's units
ip netns exec "$a" "$SOCKTAP" nload --batch --count 1 --interval 0.2 -u K -U M "$dev" \
	>"$T_TMP/text.txt" 2>&1
check_eq text-exit 0 $?
check_true text-header grep -qE '^Device +Incoming +Outgoing +In total +Out total$' "$T_TMP/text.txt"
check_true text-units grep -qE "^$dev +[0-9]+\.[0-9]{2} kByte/s +[0-9]+\.[0-9]{2} kByte/s +[0-9]+\.[0-9]{2} MByte +[0-9]+\.[0-9]{2} MByte" "$T_TMP/text.txt"

# 4. --all-netns: b's interface too, with b's namespace
ip netns exec "$a" "$SOCKTAP" nload --batch --json --count 1 --interval 0.2 --all-netns \
	>"$T_TMP/all.json" 2>"$T_TMP/all.err"
check_eq all-exit 0 $?
check_eq all-peer-netns "$(ip netns exec "$b" stat -L -c %i /proc/self/ns/net)" \
	"$(jq -r "select(.dev == \"$peer\") | .netns" "$T_TMP/all.json" | head -n 1)"
check_eq all-peer-addr 198.18.7.2 "$(jq -r "select(.dev == \"$peer\") | .addr" "$T_TMP/all.json" | head -n 1)"

# 5. a device that goes away while shown: marked gone, socktap keeps going
ip -n "$a" link add "g$$" type veth peer name "h$$"
ip -n "$a" link set "g$$" up
bg ip netns exec "$a" "$SOCKTAP" nload --batch --json --interval 0.2 --count 10 "g$$" \
	>"$T_TMP/gone.json" 2>"$T_TMP/gone.err"
nl=$BG_PID
wait_for "$T_TMP/gone.json" '"type":"nload"' 10 || fail gone-started "$(head -c 300 "$T_TMP/gone.err")"
ip -n "$a" link del "g$$"
wait "$nl"
check_eq gone-exit 0 $?
check_eq gone-first false "$(jq -r .gone "$T_TMP/gone.json" | head -n 1)"
check_eq gone-last true "$(jq -r .gone "$T_TMP/gone.json" | tail -n 1)"
check_eq gone-count 10 "$(wc -l <"$T_TMP/gone.json")"

# 6. bad input: one line naming the problem, status 2
bad() {
	local name=$1
	shift
	"$SOCKTAP" nload "$@" >"$T_TMP/bad.out" 2>"$T_TMP/bad.err"
	check_eq "$name-status" 2 $?
	check_eq "$name-one-line" 1 "$(wc -l <"$T_TMP/bad.err")"
	check_eq "$name-no-output" 0 "$(wc -c <"$T_TMP/bad.out")"
}
bad bad-dev --batch --count 1 nosuchdev$$
check_true bad-dev-named grep -q "nosuchdev$$: no such device" "$T_TMP/bad.err"
bad bad-unit -u x
check_true bad-unit-named grep -q -- "-u x" "$T_TMP/bad.err"
bad bad-refresh -t 0
bad bad-avg -a abc
bad bad-option --frobnicate
finish
