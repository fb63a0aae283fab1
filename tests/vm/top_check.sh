#!/usr/bin/env bash
# Runs inside a VM guest (t_ladder_vm): socktap top --batch --json over a TCP
# exchange held open across refreshes (its bytes read live from tcp_sock),
# a short TCP exchange (its bytes only from the close event) and a UDP
# exchange (the per-call hooks), on loopback with the guest kernel's rungs;
# prints the last interval's object (and top's stderr, -v: how it reads
# the TCP counters).
#   top_check.sh SOCKTAP TRAFGEN
set -u
S=$1 T=$2 d=$(mktemp -d)
"$S" -v top --batch --json --interval 0.5 >"$d/top.json" 2>"$d/top.err" &
tp=$!
for ((i = 0; i < 100; i++)); do grep -q counting "$d/top.err" && break; sleep 0.1; done
grep -q counting "$d/top.err" || { cat "$d/top.err" >&2; exit 1; }
"$T" server --listen 127.0.0.1 --port 7001 --send 1500 --recv 100000 --hold 1.5 >/dev/null &
sp=$!
sleep 0.3
"$T" client --connect 127.0.0.1 --port 7001 --send 100000 --recv 1500 --hold 1.5 >/dev/null || exit 1
wait "$sp" || exit 1
"$T" server --listen 127.0.0.1 --port 7003 --send 700 --recv 7000 >/dev/null &
sp=$!
sleep 0.3
"$T" client --connect 127.0.0.1 --port 7003 --send 7000 --recv 700 >/dev/null || exit 1
wait "$sp" || exit 1
"$T" server -u --listen 127.0.0.1 --port 7002 --send 300 --recv 5000 >/dev/null &
sp=$!
sleep 0.3
"$T" client -u --connect 127.0.0.1 --port 7002 --send 5000 --recv 300 >/dev/null || exit 1
wait "$sp" || exit 1
sleep 1.5
kill -INT "$tp"
wait "$tp" || exit 1
tail -n 1 "$d/top.json"
cat "$d/top.err" >&2
