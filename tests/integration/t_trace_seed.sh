#!/usr/bin/env bash
# socktap trace on sockets that were open before it started: connections
# already established (IPv4 and IPv6, two namespaces) are attributed to the
# processes holding them, found once at start by the task_file iterator, so
# their close events name the right pid and comm on each side, with the
# lifetime bytes of the whole connection and no duration (the start was not
# seen). A listener opened before socktap still gets its new connections
# accepted by the right process, and those have a duration.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trace_lib.sh"

netns_add c || skip "cannot create a network namespace"
c=$NS
netns_add s
s=$NS
veth_link "$c" "$s" || skip "cannot create a veth pair"

# established before socktap: each end holds 5 s once the other acknowledged
# all it sent; socktap starts during the hold
declare -A spid cpid
for fam in 4 6; do
	[ $fam = 4 ] && addr=198.18.0.2 || addr=2001:db8::2
	server "e$fam" "$s" --listen "$addr" --send 6000 --recv 9000 --hold 5 || continue
	spid[$fam]=$SRV_PID
	client "e$fam" "$c" --connect "$addr" --port "$SRV_PORT" --send 9000 --recv 6000 --hold 5
	cpid[$fam]=$CLI_PID
done
for fam in "${!cpid[@]}"; do
	wait_for "$T_TMP/e$fam.cli" '"event":"holding"' 10 && wait_for "$T_TMP/e$fam.srv" '"event":"holding"' 10 ||
		fail "e$fam-holding" "no holding line: $(cat "$T_TMP/e$fam.cli.err" "$T_TMP/e$fam.srv.err" | head -c 300)"
done
# a listener opened before socktap, with no connection yet
server l "$s" --listen 198.18.0.2 --send 100 --recv 200 || finish
lpid=$SRV_PID lport=$SRV_PORT
# queued before socktap: the server is stopped, the connection waits in its
# accept queue, established, in no process's files
server q "$s" --listen 198.18.0.2 --send 10 --recv 10 || finish
qpid=$SRV_PID qport=$SRV_PORT
kill -STOP "$qpid"
client q "$c" --connect 198.18.0.2 --port "$qport" --send 10 --recv 10 --timeout 20
qcpid=$CLI_PID
for ((i = 0; i < 100; i++)); do
	# established (FIN-WAIT-2 once the client has sent and shut down)
	ip netns exec "$c" ss -tanH | grep ":$qport\b" | grep -qv SYN-SENT && break
	sleep 0.05
done

# a queue longer than the seed reads: 600 connections wait for a stopped
# pre-forked server (two processes hold the listener: its queue is read
# once); the seed tracks 512 and counts the other 88 as lost sockets
server b "$s" --listen 198.18.0.2 --send 10 --recv 10 --forks 2 || finish
bpid=$SRV_PID bport=$SRV_PORT
for ((i = 0; i < 100; i++)); do
	[ "$(pgrep -c -P "$bpid")" = 2 ] && break
	sleep 0.05
done
pkill -STOP -P "$bpid"
kill -STOP "$bpid"
check_eq b-holders 2 "$(ip netns exec "$s" ss -ltnpH "sport = :$bport" | grep -o 'pid=' | wc -l)"
bg ip netns exec "$c" bash -c 'for ((i = 0; i < 600; i++)); do
	exec {fd}<>"/dev/tcp/198.18.0.2/$0" || exit 1; done; echo ready; sleep 60' "$bport" \
	>"$T_TMP/b.cli" 2>&1
bcpid=$BG_PID
wait_for "$T_TMP/b.cli" '^ready' 20 || fail b-queued "connections not made: $(head -c 200 "$T_TMP/b.cli")"
check_eq b-queue-length 600 "$(ip netns exec "$s" ss -ltnH "sport = :$bport" | awk '{ print $2 }')"

# connecting before socktap: the server's SYN-ACKs to a client address of
# its own are blackholed until socktap runs, so the client is found in
# SYN-SENT; its latency is unknown
server y "$s" --listen 198.18.0.2 --send 10 --recv 10 || finish
ypid=$SRV_PID yport=$SRV_PORT
ip -n "$c" addr add 198.18.0.3/24 dev "$(ip -n "$c" -o link show type veth | awk -F': ' '{ sub(/@.*/, "", $2); print $2; exit }')"
ip -n "$s" route add blackhole 198.18.0.3/32
client y "$c" --connect 198.18.0.2 --port "$yport" --bind 198.18.0.3 --send 10 --recv 10 --timeout 20
ycpid=$CLI_PID
for ((i = 0; i < 100; i++)); do
	ip netns exec "$c" ss -tanH | grep -q "^SYN-SENT .*:$yport\b" && break
	sleep 0.05
done

trace_start seed --json || finish
ip -n "$s" route del blackhole 198.18.0.3/32
kill -CONT "$qpid"
# the connections were set up before socktap: none of their opens is seen
for fam in "${!cpid[@]}"; do
	check_true "e$fam-still-holding" kill -0 "${cpid[$fam]}"
done
client l "$c" --connect 198.18.0.2 --port "$lport" --send 200 --recv 100
lcpid=$CLI_PID
for fam in "${!cpid[@]}"; do
	reap "e$fam-client" "${cpid[$fam]}"
	reap "e$fam-server" "${spid[$fam]}"
done
reap l-client "$lcpid"
reap l-server "$lpid"
reap y-client "$ycpid"
reap y-server "$ypid"
reap q-client "$qcpid"
reap q-server "$qpid"
# the listener goes: every connection in its queue closes
pkill -KILL -P "$bpid"
kill -KILL "$bpid"
wait_n seed ".type == \"close\" and .lport == $bport" 512 10
wait_n seed ".type == \"close\" and .lport != $bport and .rport != $bport" $((${#cpid[@]} * 2 + 6)) 5
trace_stop seed "$TRACE_PID"
valid seed
check_eq e-runs 2 "${#cpid[@]}"

for fam in $(printf '%s\n' "${!cpid[@]}" | sort); do
	cli=$T_TMP/e$fam.cli srv=$T_TMP/e$fam.srv
	clport=$(g "$cli" lport) sport=$(g "$srv" lport)
	csel=".lport == $clport and .rport == $sport"
	ssel=".lport == $sport and .rport == $clport"
	check_eq "e$fam-no-open-events" 0 "$(n seed "($csel or $ssel) and (.type == \"connect\" or .type == \"accept\")")"
	check_eq "e$fam-client-close" "1: ${cpid[$fam]} trafgen sent=9000 received=6000 duration=null" \
		"$(n seed "$csel and .type == \"close\""): $(f seed "$csel and .type == \"close\"" '"\(.pid) \(.comm) sent=\(.bytes_sent) received=\(.bytes_received) duration=\(.duration_ns)"')"
	check_eq "e$fam-server-close" "1: ${spid[$fam]} trafgen sent=6000 received=9000 duration=null" \
		"$(n seed "$ssel and .type == \"close\""): $(f seed "$ssel and .type == \"close\"" '"\(.pid) \(.comm) sent=\(.bytes_sent) received=\(.bytes_received) duration=\(.duration_ns)"')"
	# the pid socktap names is the one trafgen reports for itself
	check_eq "e$fam-pids-are-trafgen" "${cpid[$fam]} ${spid[$fam]}" "$(g "$cli" pid) $(g "$srv" pid)"
done

# the connection made after socktap started, on the older listener
clport=$(g "$T_TMP/l.cli" lport)
csel=".lport == $clport and .rport == $lport"
ssel=".lport == $lport and .rport == $clport"
check_eq l-connect "1: $lcpid" "$(n seed "$csel and .type == \"connect\""): $(f seed "$csel and .type == \"connect\"" .pid)"
check_eq l-accept "1: $lpid trafgen" "$(n seed "$ssel and .type == \"accept\""): $(f seed "$ssel and .type == \"accept\"" '"\(.pid) \(.comm)"')"
check_eq l-server-close "$lpid sent=100 received=200" \
	"$(f seed "$ssel and .type == \"close\"" '"\(.pid) sent=\(.bytes_sent) received=\(.bytes_received)"')"
check_true l-server-duration [ "$(f seed "$ssel and .type == \"close\"" '.duration_ns > 0')" = true ]

# the connect that completed after socktap started: the right process, the
# whole connection's bytes, but no latency or duration (the SYN went out
# before socktap ran)
ycport=$(g "$T_TMP/y.cli" lport)
sel=".lport == $ycport and .rport == $yport"
check_eq y-connect "1: $ycpid latency=null" \
	"$(n seed "$sel and .type == \"connect\""): $(f seed "$sel and .type == \"connect\"" '"\(.pid) latency=\(.latency_ns)"')"
check_eq y-close "$ycpid sent=10 received=10 duration=null" \
	"$(f seed "$sel and .type == \"close\"" '"\(.pid) sent=\(.bytes_sent) received=\(.bytes_received) duration=\(.duration_ns)"')"

# the queue beyond the seed's bound: not tracked, and said
check_eq b-closes-tracked 512 "$(n seed ".type == \"close\" and .lport == $bport")"
check_eq b-lost-counted 88 "$(jq -s '[.[] | select(.type == "lost" and (.reason | test("accept")))
	| .count] | add' "$T_TMP/seed.out")"
kill "$bcpid" 2>/dev/null

# accepted after socktap started, queued before: the accepting process, no
# time in the queue, no duration
qcport=$(g "$T_TMP/q.cli" lport)
sel=".lport == $qport and .rport == $qcport"
check_eq q-accept "1: $qpid queue=null" \
	"$(n seed "$sel and .type == \"accept\""): $(f seed "$sel and .type == \"accept\"" '"\(.pid) queue=\(.queue_ns)"')"
check_eq q-close "$qpid sent=10 received=10 duration=null" \
	"$(f seed "$sel and .type == \"close\"" '"\(.pid) sent=\(.bytes_sent) received=\(.bytes_received) duration=\(.duration_ns)"')"
finish
