#!/usr/bin/env bash
# socktap trace and cgroups: every event names the owner's cgroup v2 (id,
# and path under the cgroup2 mount); --cgroup PATH keeps that cgroup's
# events only. Two clients of one server, one of them moved into a cgroup
# the test creates (and removes).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trace_lib.sh"

cgroup_add in || skip "no cgroup v2 mount to create a cgroup in"
cg=$CG rel=${CG#"$CG_MNT"}
cg_id=$(stat -c %i "$cg")
netns_add c || skip "cannot create a network namespace"
ns=$NS
ns_ino=$(netns_inode "$ns")

# not a cgroup: a usage error, one line, status 2
"$SOCKTAP" trace --cgroup /no/such/cgroup-$$ >"$T_TMP/bad.out" 2>"$T_TMP/bad.err"
check_eq bad-cgroup-exit 2 $?
check_eq bad-cgroup-message "1 socktap: trace: no cgroup v2 '/no/such/cgroup-$$'" \
	"$(grep -c . "$T_TMP/bad.err") $(head -n 1 "$T_TMP/bad.err")"
# a directory that is not a cgroup, reached with "..", by its own path, or
# an empty name: refused the same way, in trace and in top
for p in ../../../../etc /etc ''; do
	for cmd in trace top; do
		# (a regression would start tracing: the timeout ends it, status 124)
		timeout 5 "$SOCKTAP" $cmd --cgroup "$p" >"$T_TMP/bad.out" 2>"$T_TMP/bad.err"
		check_eq "bad-cgroup-$cmd-${p//\//_}-exit" 2 $?
		check_eq "bad-cgroup-$cmd-${p//\//_}-one-line" 1 "$(grep -c . "$T_TMP/bad.err")"
	done
done
# the cgroup made here, by its path under the mount and by its full path
check_true good-cgroup-relative "$SOCKTAP" trace --cgroup "$rel" --help
check_true good-cgroup-full "$SOCKTAP" trace --cgroup "$CG" --help

trace_start all --json --netns "$ns_ino" || finish
all_pid=$TRACE_PID
trace_start only --json --cgroup "$rel" || finish
only_pid=$TRACE_PID
server s "$ns" --listen 127.0.0.1 --count 2 --send 10 --recv 20 || finish
spid=$SRV_PID
# client "in" joins the cgroup before it execs trafgen
bg sh -c 'echo $$ >"$1/cgroup.procs" && exec ip netns exec "$2" "$3" client --connect 127.0.0.1 --port "$4" --send 20 --recv 10' \
	sh "$cg" "$ns" "$TRAFGEN" "$SRV_PORT" >"$T_TMP/in.cli" 2>"$T_TMP/in.cli.err"
inpid=$BG_PID
reap in-client "$inpid"
client out "$ns" --connect 127.0.0.1 --port "$SRV_PORT" --send 20 --recv 10
reap out-client "$CLI_PID"
reap server "$spid"
wait_n all '.type == "close"' 4 5
wait_n only '.type == "close"' 1 5
trace_stop all "$all_pid"
trace_stop only "$only_pid"
valid all

inport=$(g "$T_TMP/in.cli" lport) outport=$(g "$T_TMP/out.cli" lport)
check_eq in-pid "$inpid" "$(g "$T_TMP/in.cli" pid)"
# the unfiltered trace: each client's events carry its own cgroup
check_eq in-cgroup "$inpid $cg_id $rel" \
	"$(f all ".type == \"connect\" and .lport == $inport" '"\(.pid) \(.cgroup) \(.cgroup_path)"')"
out_cg=$(f all ".type == \"connect\" and .lport == $outport" '.cgroup')
check_true out-cgroup-differs [ -n "$out_cg" -a "$out_cg" != "$cg_id" ]
check_eq out-cgroup-path "$(stat -c %i "$CG_MNT$(f all ".type == \"connect\" and .lport == $outport" '.cgroup_path')")" "$out_cg"
# --cgroup: the client in the cgroup, its connect and its close, nothing else
check_eq only-events "connect $inport $inpid|close $inport $inpid" \
	"$(f only true '"\(.type) \(.lport) \(.pid)"' | paste -sd '|')"
finish
