#!/usr/bin/env bash
# socktap trace under churn: 2,000 connections as fast as trafgen opens
# them, client and server in one namespace on 127.0.0.1, that namespace
# traced. With the default ring buffer every event arrives; with a 4 KiB one
# events are lost, but every loss is reported: received + lost = expected.
# Either way the socket table (socks map) is empty again afterwards.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trace_lib.sh"

N=2000
# per connection: connect, accept, two closes; plus the server's listen
EXPECTED=$((N * 4 + 1))

# churn NAME NETNS [PAUSE]: N connections, 10 bytes each way; the trafgen
# summaries in $T_TMP/NAME.srv and NAME.cli. With PAUSE (a socktap pid) the
# client runs twice, N/2 connections each, the second time with socktap
# stopped (SIGSTOP), so that its ring buffer surely overflows.
churn() {
	local name=$1 ns=$2 pause=${3:-} port srv rc
	bg ip netns exec "$ns" "$TRAFGEN" server --listen 127.0.0.1 --count $N --send 10 --recv 10 \
		--quiet >"$T_TMP/$name.srv" 2>"$T_TMP/$name.srv.err"
	srv=$BG_PID
	if ! wait_for "$T_TMP/$name.srv" '"event":"listening"' 10; then
		fail "$name-server" "trafgen server did not listen: $(head -c 200 "$T_TMP/$name.srv.err")"
		return 1
	fi
	port=$(jq -r 'select(.event == "listening") | .lport' "$T_TMP/$name.srv")
	if [ -z "$pause" ]; then
		ip netns exec "$ns" "$TRAFGEN" client --connect 127.0.0.1 --port "$port" --count $N \
			--send 10 --recv 10 --quiet >"$T_TMP/$name.cli" 2>"$T_TMP/$name.cli.err"
		check_eq "$name-client" "0 $N" "$? $(jq -r 'select(.event == "summary") | .connections' "$T_TMP/$name.cli")"
	else
		ip netns exec "$ns" "$TRAFGEN" client --connect 127.0.0.1 --port "$port" --count $((N / 2)) \
			--send 10 --recv 10 --quiet >"$T_TMP/$name.cli" 2>"$T_TMP/$name.cli.err"
		check_eq "$name-client-1" "0 $((N / 2))" "$? $(jq -r 'select(.event == "summary") | .connections' "$T_TMP/$name.cli")"
		kill -STOP "$pause"
		ip netns exec "$ns" "$TRAFGEN" client --connect 127.0.0.1 --port "$port" --count $((N / 2)) \
			--send 10 --recv 10 --quiet >"$T_TMP/$name.cli2" 2>"$T_TMP/$name.cli2.err"
		check_eq "$name-client-2" "0 $((N / 2))" "$? $(jq -r 'select(.event == "summary") | .connections' "$T_TMP/$name.cli2")"
		kill -CONT "$pause"
	fi
	wait "$srv"
	rc=$?
	check_eq "$name-server" "0 $N" "$rc $(jq -r 'select(.event == "summary") | .connections' "$T_TMP/$name.srv")"
}

# --- every connection reported ---------------------------------------------
netns_add full || skip "cannot create a network namespace"
full=$NS
ip netns exec "$full" sysctl -qw net.ipv4.tcp_tw_reuse=1
trace_start full --json --netns "$(netns_inode "$full")"
tp=$TRACE_PID
before=$(socks_entries "$tp")
start=$(date +%s%N)
churn full "$full"
echo "# $N connections in $((($(date +%s%N) - start) / 1000000)) ms"
wait_n full '.type == "close"' $((N * 2)) 3
# and connects refused (port 9 is closed): their entries must go too
ip netns exec "$full" bash -c 'for ((i = 0; i < 200; i++)); do (exec 3<>/dev/tcp/127.0.0.1/9) 2>/dev/null; done'
wait_n full '.type == "connect_failed"' 200 3
# every socket of the namespace is closed: the socket table is back where
# it was (it would fill up under a million connections otherwise)
# (the namespace is new: nothing in it was tracked before)
check_eq full-socks-map-drained "0 0" "$before $(socks_entries "$tp")"
trace_stop full "$tp"
out=$T_TMP/full.out
check_true full-ndjson jq -e -s 'all(type == "object")' "$out"
# A late segment, one that comes after its connection's server socket has
# gone, meets only the listener, which answers it with a reset: the
# kernel's own and harmless (in runs that had one, every connection's
# events and bytes were exact), and rare. Any other reset is not expected.
check_eq full-only-listener-resets "" \
	"$(jq -c 'select(.type == "reset" and (.state != "LISTEN" or .direction != "sent"))' "$out")"
check_eq full-counts "accept=$N close=$((N * 2)) connect=$N connect_failed=200 listen=1" \
	"$(jq -r 'select(.type != "reset") | .type' "$out" | sort | uniq -c | awk '{ printf "%s%s=%s", sep, $2, $1; sep=" " }')"
check_eq full-nothing-lost 0 "$(jq -r 'select(.type == "lost" and .what != "hook runs") | .count' "$out" | awk '{ s += $1 } END { print s + 0 }')"
cpid=$(jq -r 'select(.event == "summary") | .pid' "$T_TMP/full.cli")
spid=$(jq -r 'select(.event == "summary") | .pid' "$T_TMP/full.srv")
# each side's events are its own process's, and each close is exact
check_eq full-owners "$(printf '%s\n' accept:$spid close:$cpid close:$spid connect:$cpid listen:$spid | sort | xargs)" \
	"$(jq -r 'select(.type != "connect_failed" and .type != "reset") | "\(.type):\(.pid)"' "$out" | sort -u | xargs)"
check_eq full-bytes "sent=10 received=10" \
	"$(jq -r 'select(.type == "close") | "sent=\(.bytes_sent) received=\(.bytes_received)"' "$out" | sort -u | xargs)"
check_eq full-closed-first "$(printf '%s\n' $cpid:local $spid:remote | sort | xargs)" \
	"$(jq -r 'select(.type == "close") | "\(.pid):\(.closed_first)"' "$out" | sort -u | xargs)"
# 2,000 client sockets, each with one connect and one close, same cookie
check_true full-client-cookies jq -e -s --argjson cp "$cpid" --argjson n $N '
	([.[] | select(.type == "connect") | .cookie] | sort) as $c
	| ([.[] | select(.type == "close" and .pid == $cp) | .cookie] | sort) as $d
	| ($c | unique | length) == $n and $c == $d and all($c[]; . != 0)' "$out"
check_true full-server-cookies jq -e -s --argjson sp "$spid" --argjson n $N '
	([.[] | select(.type == "accept") | .cookie] | sort) as $a
	| ([.[] | select(.type == "close" and .pid == $sp) | .cookie] | sort) as $d
	| ($a | unique | length) == $n and $a == $d' "$out"

# --- a 4 KiB ring buffer: losses, all of them reported ----------------------
# half the connections with socktap reading (it may or may not keep up),
# half with socktap stopped (the 4 KiB fill after some 24 events)
netns_add small
small=$NS
ip netns exec "$small" sysctl -qw net.ipv4.tcp_tw_reuse=1
trace_start small --json --netns "$(netns_inode "$small")" --ringbuf-size 4096
tp=$TRACE_PID
before=$(socks_entries "$tp")
churn small "$small" "$tp"
sleep 0.5
# events lost, but no socket left behind in the table
check_eq small-socks-map-drained "0 0" "$before $(socks_entries "$tp")"
trace_stop small "$tp"
out=$T_TMP/small.out
check_true small-ndjson jq -e -s 'all(type == "object")' "$out"
received=$(jq -r 'select(.type != "lost" and .type != "reset") | .type' "$out" | grep -c .)
lost=$(jq -r 'select(.type == "lost" and .what == "events") | .count' "$out" | awk '{ s += $1 } END { print s + 0 }')
echo "# 4 KiB ring buffer: $received events received, $lost lost"
check_eq small-accounted "$EXPECTED" "$((received + lost))"
check_true small-lost-reported [ "$(jq -r 'select(.type == "lost" and .what == "events") | .type' "$out" | grep -c .)" -ge 1 ]
check_eq small-lost-lines 'events ring buffer full' \
	"$(jq -r 'select(.type == "lost" and .what != "hook runs") | "\(.what) \(.reason)"' "$out" | sort -u | xargs)"
check_true small-lost-counts jq -e -s 'all(.[] | select(.type == "lost"); .count > 0)' "$out"
check_true small-received-some [ "$received" -gt 0 ]

# --- the same 4 KiB ring, only listen events wanted -------------------------
# the other events are dropped in the kernel, before the ring: they take no
# room there and are no loss; the one listen event arrives
netns_add only
only=$NS
ip netns exec "$only" sysctl -qw net.ipv4.tcp_tw_reuse=1
trace_start only --json --netns "$(netns_inode "$only")" --ringbuf-size 4096 --events listen
tp=$TRACE_PID
churn only "$only" "$tp"
sleep 0.5
trace_stop only "$tp"
check_eq only-events "listen" "$(jq -r 'select(.what != "hook runs") | .type' "$T_TMP/only.out" | xargs)"
finish
