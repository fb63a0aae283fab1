#!/usr/bin/env bash
# Runs inside a VM guest (t_ladder_vm): one TCP connection held open on
# loopback, then `ss -tanp` and `socktap ss -tanp` on it (rows sorted, the
# header dropped), the doctor's listing rows, and the fallback's rows; then
# `lsof -nP -iTCP` and `socktap lsof` from its one walk of the files and
# from the socket tables.
#   listing_check.sh SOCKTAP TRAFGEN
set -u
S=$1 T=$2
# both ends are held for longer than every listing below takes (a slow
# guest took more than 5 s to reach lsof), and ended when the checks are done
"$T" server --listen 127.0.0.1 --port 7001 --send 1500 --recv 1000 --hold 30 >/dev/null &
srv=$!
sleep 0.3
"$T" client --connect 127.0.0.1 --port 7001 --send 1000 --recv 1500 --hold 30 >/dev/null &
cli=$!
for ((i = 0; i < 50; i++)); do
	[ "$(ss -Htan state close-wait | wc -l)" -ge 1 ] && break
	sleep 0.1
done
echo "== ss"
ss -Htanp | sed 's/[[:space:]]*$//' | sort
echo "== socktap"
"$S" -v ss -Htanp 2>"/tmp/ss-v.err" | sed 's/[[:space:]]*$//' | sort
# where the rows came from: -v names a fallback to sock_diag and /proc
echo "== source"
grep -q '^socktap: sockets from sock_diag' /tmp/ss-v.err && cat /tmp/ss-v.err || echo iterators
# the builds with the cgroup and ss -i's internals (iter_tcp_full, iter_udp_full)
echo "== full-source"
"$S" -v ss -Htuanie >/dev/null 2>"/tmp/ss-full.err"
grep -q '^socktap: sockets from sock_diag' /tmp/ss-full.err && cat /tmp/ss-full.err || echo iterators
echo "== fallback"
SOCKTAP_LISTING_SOURCE=netlink "$S" ss -Htanp | sed 's/[[:space:]]*$//' | sort
echo "== lsof"
lsof -nP -iTCP | sort
echo "== socktap-lsof"
"$S" -v lsof -nP -iTCP 2>/tmp/lsof-v.err | sort
echo "== lsof-source"
cat /tmp/lsof-v.err
echo "== socktap-lsof-tables"
SOCKTAP_LISTING_SOURCE=tables "$S" lsof -nP -iTCP | sort
echo "== doctor"
"$S" doctor --json >/tmp/doctor.json
jq -r '.hooks[] | select(.name | startswith("list_")) | "\(.name) \(.attach)"' /tmp/doctor.json
echo "== refused"
jq -r '.hooks[] | select(.name | startswith("list_")) | .refused[] | "\(.attach) \(.error) \(.detail)"' /tmp/doctor.json
rc=$?
kill "$srv" "$cli" 2>/dev/null
wait 2>/dev/null
exit $rc
