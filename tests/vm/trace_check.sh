#!/usr/bin/env bash
# Runs inside a VM guest (t_ladder_vm): socktap trace over one TCP and one
# UDP exchange on loopback, and one TCP connection the server closes unread
# (trafgen server --no-io), with the guest kernel's rungs; prints the
# NDJSON, then each trafgen server's own lines wrapped as {"trafgen":LINE}
# (its pid, to hold the accept events against).
#   trace_check.sh SOCKTAP TRAFGEN
set -u
S=$1 T=$2 d=$(mktemp -d)
"$S" trace --json >"$d/trace.json" 2>"$d/trace.err" &
tp=$!
for ((i = 0; i < 100; i++)); do grep -q tracing "$d/trace.err" && break; sleep 0.1; done
grep -q tracing "$d/trace.err" || { cat "$d/trace.err" >&2; exit 1; }
"$T" server --listen 127.0.0.1 --port 7001 --send 1500 --recv 100000 >"$d/7001.srv" &
sp=$!
sleep 0.3
"$T" client --connect 127.0.0.1 --port 7001 --send 100000 --recv 1500 >/dev/null || exit 1
wait "$sp" || exit 1
"$T" server -u --listen 127.0.0.1 --port 7002 --send 300 --recv 5000 >/dev/null &
sp=$!
sleep 0.3
"$T" client -u --connect 127.0.0.1 --port 7002 --send 5000 --recv 300 >/dev/null || exit 1
wait "$sp" || exit 1
"$T" server --listen 127.0.0.1 --port 7003 --no-io >"$d/7003.srv" &
sp=$!
sleep 0.3
"$T" client --connect 127.0.0.1 --port 7003 >/dev/null || exit 1
wait "$sp" || exit 1
sleep 0.3
kill -INT "$tp"
wait "$tp" || exit 1
cat "$d/trace.json"
sed 's/^\(.*\)$/{"trafgen":\1}/' "$d/7001.srv" "$d/7003.srv"
cat "$d/trace.err" >&2
