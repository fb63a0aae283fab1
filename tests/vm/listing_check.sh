#!/usr/bin/env bash
# Runs inside a VM guest (t_ladder_vm): one TCP connection held open on
# loopback, then `ss -tanp` and `socktap ss -tanp` on it (rows sorted, the
# header dropped), the doctor's listing rows, and the fallback's rows.
#   listing_check.sh SOCKTAP TRAFGEN
set -u
S=$1 T=$2
"$T" server --listen 127.0.0.1 --port 7001 --send 1500 --recv 1000 --hold 5 >/dev/null &
sleep 0.3
"$T" client --connect 127.0.0.1 --port 7001 --send 1000 --recv 1500 --hold 5 >/dev/null &
for ((i = 0; i < 50; i++)); do
	[ "$(ss -Htan state close-wait | wc -l)" -ge 1 ] && break
	sleep 0.1
done
echo "== ss"
ss -Htanp | sed 's/[[:space:]]*$//' | sort
echo "== socktap"
"$S" ss -Htanp | sed 's/[[:space:]]*$//' | sort
echo "== fallback"
SOCKTAP_LISTING_SOURCE=netlink "$S" ss -Htanp | sed 's/[[:space:]]*$//' | sort
echo "== doctor"
"$S" doctor --json | jq -r '.hooks[] | select(.name | startswith("list_")) | "\(.name) \(.attach)"'
