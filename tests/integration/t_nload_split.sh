#!/usr/bin/env bash
# socktap nload --by-process / --by-cgroup: each interface's traffic split
# by the process (or cgroup) that owns it, counted in the kernel per packet.
# The rule held everywhere: in every interval, for every device and kind,
# the split rows add up to the device line exactly (bytes and packets, rx
# and tx), and the device line is the kernel's counter.
#
# Run 1, two namespaces a - b over a veth (IPv6 off on it: nothing but the
# test's traffic crosses), socktap in a with --all-netns on both ends: two
# TCP senders paced at 250 and 750 kB/s for 3 s. Each sender's process row
# (its pid and comm) holds its share of a's outgoing bytes within 5%, at
# least its payload and at most 10% more; nothing leaks to the remainder;
# each sink's row on b's side received what its sender's row sent, within 1%.
#
# Run 2, a's side only (no --all-netns), both kinds at once: 50 connections
# of 10 KiB, each a few ms long, count all their bytes under the burst
# process; a UDP sender's row is exactly its datagrams' frames; a sender
# moved into a cgroup of its own before it connects shows under that
# cgroup's row (its id the directory's inode, its path relative to the
# cgroup2 mount) with its process row's bytes.
#
# Run 3, a router: a - r - c, r forwarding. A TCP transfer and a ping a -> c
# through r: on r's interfaces no process owns a byte, what r forwards is
# "forwarded" on the way out and "remainder" on the way in; c's echo
# replies, which the kernel sends, and a's echo requests, from a raw socket,
# are not in any process row.
#
# Every run ends by SIGINT: status 0 and every line whole NDJSON.
. "$(dirname "$0")/lib.sh"
FLOWGEN=$TESTBIN/flowgen
[ -x "$FLOWGEN" ] || { fail flowgen "$FLOWGEN missing (make tests)"; finish; }
"$SOCKTAP" nload --help 2>&1 | grep -q -- --by-process || skip "this socktap's nload has no --by-process"
command -v ping >/dev/null || { fail ping "ping missing (scripts/install-deps.sh installs iputils-ping)"; finish; }

IV=0.5 # socktap's interval: runs sleep 2 intervals after the traffic, then SIGINT
R1=250000 R2=750000 SECS=3
BURST_N=50 BURST_B=10240
UDP_B=600000 UDP_D=1200 UDP_N=500 # bytes, datagram size, datagrams
CG_B=1000000
PING_N=5 PING_S=1000
# an echo request or reply on a veth: ICMP payload, ICMP and IP header, Ethernet
PING_F=$((PING_S + 8 + 20 + 14))

netns_add a || skip "cannot create a network namespace"
A=$NS
netns_add b || skip "cannot create a network namespace"
B=$NS
veth_net "$A" "$B" 40 || skip "cannot create a veth pair"
dA=v$$n40a dB=v$$n40b
# no_ipv6 NS DEV: no router solicitations, DAD or neighbour discovery on DEV
no_ipv6() { ip netns exec "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"; }
no_ipv6 "$A" "$dA"
no_ipv6 "$B" "$dB"
# the kernel's counters of DEV in NS: "rx_bytes tx_bytes rx_packets tx_packets"
kstats() {
	local d=/sys/class/net/$2/statistics
	ip netns exec "$1" sh -c "cat $d/rx_bytes $d/tx_bytes $d/rx_packets $d/tx_packets" | xargs
}
# the cgroup id (cgroup v2 inode) of the test's own processes
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
SELF_CG=$(stat -c %i "$CG2$(sed -n 's/^0:://p' /proc/self/cgroup)")

# nl_start NAME NETNS ARGS...: socktap nload --batch --json --interval IV
# ARGS in NETNS, output in $T_TMP/NAME.json and .err; returns after its
# first interval. Sets NL_PID.
nl_start() {
	local name=$1 ns=$2
	shift 2
	bg ip netns exec "$ns" "$SOCKTAP" nload --batch --json --interval "$IV" "$@" \
		>"$T_TMP/$name.json" 2>"$T_TMP/$name.err"
	NL_PID=$BG_PID
	if ! wait_for "$T_TMP/$name.json" '"type":"nload"' 15; then
		fail "$name-started" "no output from socktap nload $*: $(head -c 300 "$T_TMP/$name.err")"
		return 1
	fi
}
# nl_stop NAME: two more intervals (the counters stopped moving), SIGINT:
# status 0, every line a whole JSON object of the two types, the last one
# ended by its newline
nl_stop() {
	sleep "$(awk -v i="$IV" 'BEGIN { print i * 2 + 0.1 }')"
	kill -INT "$NL_PID"
	wait "$NL_PID"
	check_eq "$1-exit" 0 $?
	check_true "$1-ndjson" jq -e -s 'length > 0 and all(.[]; type == "object" and
		(.type == "nload" or .type == "nload_split"))' "$T_TMP/$1.json"
	check_eq "$1-last-line-whole" "" "$(tail -c 1 "$T_TMP/$1.json" | tr -d '\n')"
	# as many intervals of every device: the last one printed whole
	check_eq "$1-last-interval-whole" 1 "$(jq -r 'select(.type == "nload") | .dev' "$T_TMP/$1.json" |
		sort | uniq -c | awk '{ print $1 }' | sort -u | wc -l)"
}

# The output as intervals: groups {line: the device line, rows: its split
# rows}, in order.
JQ_DEFS='def groups: reduce .[] as $o ([];
		if $o.type == "nload" then . + [{line: $o, rows: []}] else .[-1].rows += [$o] end);
	def bytes: (.rx_bytes + .tx_bytes);
	def sum(f): (map(f) | add) // 0;
	def reason($r): [.rows[] | select(.reason == $r)];
	def within($x; $y; $p): (($x - $y) | fabs) <= ($y * $p);'
# sq NAME DEV EXPR: EXPR over DEV's last interval (. = {line, rows})
sq() {
	jq -rs --arg d "$2" "$JQ_DEFS groups | map(select(.line.dev == \$d)) | .[-1] | $3" \
		"$T_TMP/$1.json"
}
# prow NAME DEV PID KEY...: "KEY=value ..." of PID's process row in DEV's
# last interval, "rows=N" instead when there is not exactly one
prow() {
	local name=$1 dev=$2 pid=$3
	shift 3
	local k keys=()
	for k in "$@"; do keys+=("\"$k=\\(.$k)\""); done
	sq "$name" "$dev" "[.rows[] | select(.by == \"process\" and .pid == $pid)] |
		if length != 1 then \"rows=\(length)\" else .[0] |
		[$(IFS=,; echo "${keys[*]}")] | join(\" \") end"
}
# pv NAME DEV PID KEY: one value of PID's process row (empty if none)
pv() { sq "$1" "$2" "[.rows[] | select(.by == \"process\" and .pid == $3)] | .[0].$4 // empty"; }
# check_sums NAME KINDS: in every interval, every device's rows of each of
# KINDS (a JSON array) add up to its device line exactly, and carry the
# line's dev, time, netns and ifindex
check_sums() {
	check_eq "$1-sums" ok "$(jq -rs --argjson kinds "$2" "$JQ_DEFS"'
		[groups[] | .line as $l | .rows as $rows | $kinds[] as $k |
		 ($rows | map(select(.by == $k))) as $r |
		 ["rx_bytes", "tx_bytes", "rx_packets", "tx_packets"][] as $c |
		 ($r | sum(.[$c])) as $s | select($s != $l[$c]) |
		 "\($l.dev) \($l.time) \($k) \($c): rows \($s) line \($l[$c])"] |
		if length == 0 then "ok" else .[:3] | join("; ") end' "$T_TMP/$1.json")"
	check_eq "$1-rows-of-line" ok "$(jq -rs --argjson kinds "$2" "$JQ_DEFS"'
		[groups[] | .line as $l | .rows[] |
		 select(.dev != $l.dev or .time != $l.time or .netns != $l.netns or
			.ifindex != $l.ifindex or (.by | IN($kinds[]) | not))] |
		if length == 0 then "ok" else "\(length) rows not of their line: \(.[0])" end' \
		"$T_TMP/$1.json")"
}

# ---- run 1: two paced senders a -> b, both ends watched ----
nl_start r1 "$A" --all-netns --by-process "$dA" "$dB" || finish
ka0=$(kstats "$A" "$dA")
flowgen_sink k1 "$B" --listen 198.18.40.2 --comm fg-k1 || finish
K1=$FG_PID P1=$FG_PORT
flowgen_sink k2 "$B" --listen 198.18.40.2 --comm fg-k2 || finish
K2=$FG_PID P2=$FG_PORT
flowgen_bg s1 "$A" send --connect 198.18.40.2 --port "$P1" --bytes $((R1 * SECS)) --rate $R1 --comm fg-s1
S1=$FG_PID
flowgen_bg s2 "$A" send --connect 198.18.40.2 --port "$P2" --bytes $((R2 * SECS)) --rate $R2 --comm fg-s2
S2=$FG_PID
wait "$S1"
check_eq r1-s1-exit 0 $?
wait "$S2"
check_eq r1-s2-exit 0 $?
wait "$K1" "$K2"
sleep 0.3
ka1=$(kstats "$A" "$dA")
nl_stop r1
# flowgen's own pids are the ones ip netns exec started
check_eq r1-pids "$S1 $S2 $K1 $K2" "$(fgv s1 connected pid) $(fgv s2 connected pid) $(fgv k1 listening pid) $(fgv k2 listening pid)"
read -r b_rx b_tx b_rxp b_txp <<<"$ka0"
read -r a_rx a_tx a_rxp a_txp <<<"$ka1"
check_eq r1-line-is-kernel "$((a_rx - b_rx)) $((a_tx - b_tx)) $((a_rxp - b_rxp)) $((a_txp - b_txp))" \
	"$(sq r1 "$dA" '.line | "\(.rx_bytes) \(.tx_bytes) \(.rx_packets) \(.tx_packets)"')"
check_sums r1 '["process"]'
check_eq r1-s1-row "comm=fg-s1 uid=0 cgroup=$SELF_CG" "$(prow r1 "$dA" "$S1" comm uid cgroup)"
check_eq r1-s2-row "comm=fg-s2 uid=0 cgroup=$SELF_CG" "$(prow r1 "$dA" "$S2" comm uid cgroup)"
check_true r1-s1-start-time test -n "$(sq r1 "$dA" ".rows[] | select(.pid == $S1) | .start_time | numbers")"
# shares of a's outgoing bytes, from the paced rates
share() {
	sq r1 "$dA" "(.line.tx_bytes * $2) as \$e | [.rows[] | select(.pid == $1)] |
		if length == 0 then \"no row\" elif within(.[0].tx_bytes; \$e; 0.05) then \"ok\"
		else \"\(.[0].tx_bytes) of \(\$e) expected (\(.line.tx_bytes) in all)\" end"
}
check_eq r1-s1-share ok "$(share "$S1" "$R1 / ($R1 + $R2)")"
check_eq r1-s2-share ok "$(share "$S2" "$R2 / ($R1 + $R2)")"
# at least the payload (headers included), at most 10% more
payload() {
	local tx
	tx=$(pv "$1" "$2" "$3" tx_bytes)
	if [ -z "$tx" ]; then echo "no row"
	elif [ "$tx" -ge "$4" ] && [ "$tx" -le $(($4 * 11 / 10)) ]; then echo ok
	else echo "$tx for $4 payload bytes"; fi
}
check_eq r1-s1-payload ok "$(payload r1 "$dA" "$S1" $((R1 * SECS)))"
check_eq r1-s2-payload ok "$(payload r1 "$dA" "$S2" $((R2 * SECS)))"
# a veth's egress is seen whole: nothing left for the remainder
check_eq r1-remainder-tx ok "$(sq r1 "$dA" '(reason("remainder") | sum(.tx_bytes)) as $r |
	if $r < .line.tx_bytes * 0.01 then "ok" else "\($r) of \(.line.tx_bytes)" end')"
# the rates add up to the total, as on the device line
check_eq r1-s2-rates-add-up ok "$(
	s=$(jq -rs "$JQ_DEFS"'[groups[] | select(.line.dev == "'"$dA"'") | .line.interval_s as $i |
		.rows[] | select(.pid == '"$S2"') | .tx_bps * $i] | add // 0 | round' "$T_TMP/r1.json")
	t=$(pv r1 "$dA" "$S2" tx_bytes)
	if [ -n "$t" ] && [ "$t" -gt 0 ] && [ $((s > t ? s - t : t - s)) -le $((t / 100 + 2000)) ]; then echo ok
	else echo "rates times intervals $s, total '$t'"; fi
)"
# b's side: each sink received what its sender sent, under the sink's pid
recv() {
	local rx tx
	rx=$(pv r1 "$dB" "$1" rx_bytes) tx=$(pv r1 "$dA" "$2" tx_bytes)
	if [ -z "$rx" ] || [ -z "$tx" ]; then echo "rx '$rx' tx '$tx'"
	elif [ $((rx > tx ? rx - tx : tx - rx)) -le $((tx / 100)) ]; then echo ok
	else echo "received $rx, sent $tx"; fi
}
check_eq r1-k1-row "comm=fg-k1 uid=0" "$(prow r1 "$dB" "$K1" comm uid)"
check_eq r1-k2-row "comm=fg-k2 uid=0" "$(prow r1 "$dB" "$K2" comm uid)"
check_eq r1-k1-received ok "$(recv "$K1" "$S1")"
check_eq r1-k2-received ok "$(recv "$K2" "$S2")"
check_eq r1-sinks-received ok "$(
	rx=$(sq r1 "$dB" "[.rows[] | select(.pid == $K1 or .pid == $K2) | .rx_bytes] | add // 0")
	tx=$(sq r1 "$dA" "[.rows[] | select(.pid == $S1 or .pid == $S2) | .tx_bytes] | add // 0")
	if [ "$tx" -gt 0 ] && [ $((rx > tx ? rx - tx : tx - rx)) -le $((tx / 100)) ]; then echo ok
	else echo "received $rx, sent $tx"; fi
)"

# ---- run 2: short connections, UDP and a cgroup, a's side, both kinds ----
cgroup_add snd || skip "no cgroup v2 mount to create a cgroup in"
CGS=$CG CGS_REL=${CG#"$CG_MNT"} CGS_ID=$(stat -c %i "$CG")
nl_start r2 "$A" --by-process --by-cgroup "$dA" || finish
flowgen_sink kb "$B" --listen 198.18.40.2 --count $BURST_N --quiet --comm fg-kb || finish
KB=$FG_PID PB=$FG_PORT
flowgen_sink ku "$B" --listen 198.18.40.2 --udp --bytes $UDP_B --comm fg-ku || finish
KU=$FG_PID PU=$FG_PORT
flowgen_sink kc "$B" --listen 198.18.40.2 --comm fg-kc || finish
KC=$FG_PID PC=$FG_PORT
# the cgroup's sender moves itself into the cgroup, then becomes flowgen
bg sh -c 'echo $$ >"$1/cgroup.procs" && exec ip netns exec "$2" "$3" send --connect 198.18.40.2 \
	--port "$4" --bytes "$5" --rate $(($5 / 2)) --comm fg-cg' sh "$CGS" "$A" "$FLOWGEN" "$PC" $CG_B \
	>"$T_TMP/sc.out" 2>"$T_TMP/sc.err"
SC=$BG_PID
flowgen_bg su "$A" send --udp --connect 198.18.40.2 --port "$PU" --bytes $UDP_B --size $UDP_D \
	--rate $((UDP_B / 2)) --comm fg-udp
SU=$FG_PID
flowgen_bg sb "$A" burst --connect 198.18.40.2 --port "$PB" --count $BURST_N --bytes $BURST_B --comm fg-burst
SB=$FG_PID
for t in "burst $SB" "udp $SU" "cg $SC" "burst-sink $KB" "udp-sink $KU" "cg-sink $KC"; do
	wait "${t#* }"
	check_eq "r2-${t% *}-exit" 0 $?
done
nl_stop r2
check_eq r2-pids "$SB $SU $SC" "$(fgv sb "done" pid) $(fgv su connected pid) $(fgv sc connected pid)"
check_sums r2 '["process", "cgroup"]'
# every byte of the short connections under the burst process
check_eq r2-burst-row "comm=fg-burst uid=0 cgroup=$SELF_CG" "$(prow r2 "$dA" "$SB" comm uid cgroup)"
check_eq r2-burst-payload ok "$(payload r2 "$dA" "$SB" $((BURST_N * BURST_B)))"
# UDP: the datagrams' frames exactly (payload, UDP, IP and Ethernet headers)
check_eq r2-udp-row "comm=fg-udp uid=0" "$(prow r2 "$dA" "$SU" comm uid)"
check_eq r2-udp-payload ok "$(payload r2 "$dA" "$SU" $UDP_B)"
check_eq r2-udp-frames "tx_bytes=$((UDP_N * (UDP_D + 42))) tx_packets=$UDP_N" \
	"$(prow r2 "$dA" "$SU" tx_bytes tx_packets)"
# the cgroup: its own row, with its sender's bytes; the sender's process row names it
check_eq r2-cg-proc-row "comm=fg-cg cgroup=$CGS_ID" "$(prow r2 "$dA" "$SC" comm cgroup)"
check_eq r2-cg-payload ok "$(payload r2 "$dA" "$SC" $CG_B)"
check_eq r2-cg-row "rows=1 cgroup_path=$CGS_REL" "$(sq r2 "$dA" "[.rows[] | select(.by == \"cgroup\" and .cgroup == $CGS_ID)] |
	\"rows=\(length) cgroup_path=\(.[0].cgroup_path)\"")"
check_eq r2-cg-bytes ok "$(sq r2 "$dA" "([.rows[] | select(.by == \"process\" and .pid == $SC)] | .[0] // {}) as \$p |
	([.rows[] | select(.by == \"cgroup\" and .cgroup == $CGS_ID)] | .[0] // {}) as \$c |
	if (\$p.tx_bytes // 0) == 0 then \"no process row\" elif within(\$c.tx_bytes // 0; \$p.tx_bytes; 0.01)
	and within(\$c.rx_bytes // 0; \$p.rx_bytes; 0.01) then \"ok\"
	else \"cgroup \(\$c.rx_bytes)/\(\$c.tx_bytes), process \(\$p.rx_bytes)/\(\$p.tx_bytes) (rx/tx)\" end")"
# the burst and the UDP sender are the only ones left in the test's cgroup on this device
check_eq r2-self-cg-bytes ok "$(sq r2 "$dA" "([.rows[] | select(.by == \"process\" and (.pid == $SB or .pid == $SU))] | sum(.tx_bytes)) as \$p |
	([.rows[] | select(.by == \"cgroup\" and .cgroup == $SELF_CG)] | sum(.tx_bytes)) as \$c |
	if \$p > 0 and \$c == \$p then \"ok\" else \"cgroup \(\$c), processes \(\$p)\" end")"
check_eq r2-self-cg-path "$(sed -n 's/^0:://p' /proc/self/cgroup)" \
	"$(sq r2 "$dA" "[.rows[] | select(.by == \"cgroup\" and .cgroup == $SELF_CG)] | .[0].cgroup_path")"

# ---- run 3: a router, a - r - c ----
netns_add r || skip "cannot create a network namespace"
R=$NS
netns_add c || skip "cannot create a network namespace"
C=$NS
veth_net "$A" "$R" 41 || skip "cannot create a veth pair"
veth_net "$R" "$C" 42 || skip "cannot create a veth pair"
dA3=v$$n41a dRa=v$$n41b dRc=v$$n42a dC=v$$n42b
no_ipv6 "$A" "$dA3"
no_ipv6 "$R" "$dRa"
no_ipv6 "$R" "$dRc"
no_ipv6 "$C" "$dC"
ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1
ip -n "$A" route add 198.18.42.0/24 via 198.18.41.2
ip -n "$C" route add 198.18.41.0/24 via 198.18.42.1
# socktap runs in r; r's c-facing device has the ifindex of a's r-facing
# one (3: after lo and the first veth), so a packet counted on the wrong
# namespace's device of that index shows in r's checks
nl_start r3 "$R" --all-netns --by-process "$dA3" "$dRa" "$dRc" "$dC" || finish
flowgen_sink kr "$C" --listen 198.18.42.2 --comm fg-kr || finish
KR=$FG_PID
flowgen_bg sr "$A" send --connect 198.18.42.2 --port "$FG_PORT" --bytes 2000000 --comm fg-sr
SR=$FG_PID
ip netns exec "$A" ping -q -c $PING_N -i 0.2 -s $PING_S -W 2 198.18.42.2 >"$T_TMP/ping.out" 2>&1
check_eq r3-ping "$PING_N received" "$(grep -oE '[0-9]+ received' "$T_TMP/ping.out")"
wait "$SR"
check_eq r3-sender-exit 0 $?
wait "$KR"
check_eq r3-sink-exit 0 $?
nl_stop r3
check_sums r3 '["process"]'
# r: no process holds a byte, in any interval
check_eq r3-r-no-process ok "$(jq -rs "$JQ_DEFS"'[groups[] | select(.line.dev == "'"$dRa"'" or .line.dev == "'"$dRc"'") |
	.rows[]] | map(select(.pid != null and bytes > 0)) as $p |
	if length == 0 then "no rows" elif ($p | length) == 0 then "ok"
	else "\($p | length) process rows: \($p[0])" end' "$T_TMP/r3.json")"
# in: all of it in the remainder (nothing for a local socket); out: forwarded, or ARP
for d in "$dRa" "$dRc"; do
	check_eq "r3-r-rx-remainder-$d" ok "$(sq r3 "$d" 'if .line.rx_bytes > 0 and
		(reason("remainder") | sum(.rx_bytes)) == .line.rx_bytes and
		(reason("remainder") | sum(.rx_packets)) == .line.rx_packets then "ok"
		else "remainder \(reason("remainder") | sum(.rx_bytes)) of \(.line.rx_bytes)" end')"
	check_eq "r3-r-tx-forwarded-$d" ok "$(sq r3 "$d" '((reason("forwarded") + reason("no_socket")) | sum(.tx_bytes)) as $f |
		if $f == .line.tx_bytes then "ok" else "forwarded + no_socket \($f) of \(.line.tx_bytes)" end')"
done
# forwarded on the way out, what came in on the other side (less ARP)
fwd() {
	local out in
	out=$(sq r3 "$1" 'reason("forwarded") | sum(.tx_bytes)')
	in=$(sq r3 "$2" 'reason("remainder") | sum(.rx_bytes)')
	if [ "$out" -lt "$3" ]; then echo "forwarded $out, less than $3"
	elif [ "$out" -le "$in" ] && [ $((in - out)) -le $((in / 100)) ]; then echo ok
	else echo "forwarded $out out of $1, $in in on $2"; fi
}
check_eq r3-forwarded-to-c ok "$(fwd "$dRc" "$dRa" $((2000000 + PING_N * PING_F)))"
check_eq r3-forwarded-to-a ok "$(fwd "$dRa" "$dRc" $((PING_N * PING_F)))"
# c: the sink's row has the transfer, the kernel's echo replies are unattributed
check_eq r3-c-sink-row "comm=fg-kr" "$(prow r3 "$dC" "$KR" comm)"
kr_rx=$(pv r3 "$dC" "$KR" rx_bytes)
check_true r3-c-sink-rx test "${kr_rx:-0}" -ge 2000000
check_eq r3-c-echo-replies ok "$(sq r3 "$dC" '[.rows[] | select(.reason == "other_socket" and .pid == null)] |
	if sum(.tx_packets) >= '"$PING_N"' and sum(.tx_bytes) >= '"$((PING_N * PING_F))"' then "ok"
	else "other_socket tx \(sum(.tx_bytes)) bytes, \(sum(.tx_packets)) packets" end')"
# a: ping's raw socket is not mapped to ping; the sender's row is the transfer
check_eq r3-a-no-ping-row 0 "$(sq r3 "$dA3" '[.rows[] | select(.comm == "ping")] | length')"
check_eq r3-a-echo-requests ok "$(sq r3 "$dA3" '[.rows[] | select(.reason == "other_socket" and .pid == null)] |
	if sum(.tx_packets) >= '"$PING_N"' and sum(.tx_bytes) >= '"$((PING_N * PING_F))"' then "ok"
	else "other_socket tx \(sum(.tx_bytes)) bytes, \(sum(.tx_packets)) packets" end')"
check_eq r3-a-sender-payload ok "$(payload r3 "$dA3" "$SR" 2000000)"

# not root: one line naming the missing privilege, exit 1, no output
setpriv --reuid=65534 --regid=65534 --clear-groups "$SOCKTAP" nload --batch --json --by-process \
	--count 1 lo >"$T_TMP/np.out" 2>"$T_TMP/np.err"
check_eq np-exit 1 $?
check_eq np-line "1 missing privilege" "$(wc -l <"$T_TMP/np.err") $(grep -o 'missing privilege' "$T_TMP/np.err")"
check_eq np-no-output 0 "$(wc -c <"$T_TMP/np.out")"
finish
