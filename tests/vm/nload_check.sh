#!/usr/bin/env bash
# Runs inside a VM guest (t_ladder_vm): socktap nload --batch --json
# --by-process on loopback over one TCP and one UDP exchange, with the guest
# kernel's split hooks (netdev.bpf.c); prints the last interval's lines for
# lo, then the doctor's netdev hooks.
#   nload_check.sh SOCKTAP TRAFGEN
set -u
S=$1 T=$2 d=$(mktemp -d)
"$S" nload --batch --json --by-process --interval 0.5 lo >"$d/nl.json" 2>"$d/nl.err" &
np=$!
for ((i = 0; i < 100; i++)); do grep -q '"nload"' "$d/nl.json" && break; sleep 0.1; done
grep -q '"nload"' "$d/nl.json" || { cat "$d/nl.err" >&2; exit 1; }
"$T" server --listen 127.0.0.1 --port 7004 --send 1500 --recv 100000 >/dev/null &
sp=$!
sleep 0.3
"$T" client --connect 127.0.0.1 --port 7004 --send 100000 --recv 1500 >/dev/null || exit 1
wait "$sp" || exit 1
"$T" server -u --listen 127.0.0.1 --port 7005 --send 300 --recv 5000 >/dev/null &
sp=$!
sleep 0.3
"$T" client -u --connect 127.0.0.1 --port 7005 --send 5000 --recv 300 >/dev/null || exit 1
wait "$sp" || exit 1
sleep 1.2
kill -INT "$np"
wait "$np" || exit 1
# the last interval: from its device line on
awk '/"type":"nload"/ { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' "$d/nl.json"
cat "$d/nl.err" >&2
