#!/usr/bin/env bash
# Listings across network namespaces: -N NAME lists that namespace's
# sockets as `ip netns exec NAME ss` does; --all-netns lists every
# namespace socktap can reach, with a Netns column and a netns field equal
# to each namespace's inode, from one load; a namespace that does not
# exist is one line and status 2.
. "$(dirname "$0")/lib.sh"

netns_add n1 || skip "cannot create a network namespace"
n1=$NS
netns_add n2
n2=$NS
# a listener in each, on ports nothing else here uses
bg ip netns exec "$n1" "$TRAFGEN" server --listen 127.0.0.1 --port 25101 --send 0 --recv 0 --timeout 60
bg ip netns exec "$n2" "$TRAFGEN" server --listen 127.0.0.1 --port 25102 --send 0 --recv 0 --timeout 60
for ns in "$n1" "$n2"; do
	for ((i = 0; i < 100; i++)); do
		[ "$(ip netns exec "$ns" ss -Htln | wc -l)" -ge 1 ] && break
		sleep 0.05
	done
done
ino1=$(netns_inode "$n1")
ino2=$(netns_inode "$n2")

# -N: the same rows as ss run inside the namespace (owners included)
check_eq N-rows "$(ip netns exec "$n1" ss -Htlnp | sed 's/[[:space:]]*$//')" \
	"$("$SOCKTAP" ss -Htlnp -N "$n1" | sed 's/[[:space:]]*$//')"
check_eq N-json-netns "$ino1" "$("$SOCKTAP" ss -tln -N "$n1" --json | jq -r '.[0].netns')"

# --all-netns: both listeners, each with its own namespace's inode
"$SOCKTAP" ss --all-netns -tln >"$T_TMP/all.txt"
check_true all-header grep -q '^Netns  *State' "$T_TMP/all.txt"
check_eq all-n1 "$ino1 LISTEN 127.0.0.1:25101" \
	"$(awk '$5 ~ /:25101$/ { print $1, $2, $5 }' "$T_TMP/all.txt")"
check_eq all-n2 "$ino2 LISTEN 127.0.0.1:25102" \
	"$(awk '$5 ~ /:25102$/ { print $1, $2, $5 }' "$T_TMP/all.txt")"
"$SOCKTAP" ss --all-netns -tln --json >"$T_TMP/all.json"
check_eq all-json "$ino1 $ino2" \
	"$(jq -r '[.[] | select(.lport == 25101 or .lport == 25102)] | sort_by(.lport) | map(.netns) | join(" ")' "$T_TMP/all.json")"
# the caller's own namespace keeps its place: its rows come first
if [ -n "$(ss -Htln)" ]; then
	check_eq all-self-first "$(stat -L -c %i /proc/self/ns/net)" "$(jq -r '.[0].netns' "$T_TMP/all.json")"
fi

# bad names: one line, status 2, nothing on stdout
"$SOCKTAP" ss -N no-such-namespace-here >"$T_TMP/out" 2>"$T_TMP/err"
check_eq N-missing-status 2 $?
check_eq N-missing-lines 1 "$(wc -l <"$T_TMP/err")"
check_true N-missing-names grep -q "no network namespace 'no-such-namespace-here'" "$T_TMP/err"
check_eq N-missing-stdout 0 "$(wc -c <"$T_TMP/out")"
"$SOCKTAP" ss -N /etc/passwd >/dev/null 2>"$T_TMP/err"
check_eq N-not-a-namespace 2 $?
"$SOCKTAP" ss -N "$n1" --all-netns >/dev/null 2>"$T_TMP/err"
check_eq N-and-all 2 $?
finish
