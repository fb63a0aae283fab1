#!/usr/bin/env bash
# socktap lsof held against lsof itself: in a namespace holding a known mix
# of sockets (tests/sockmix.c: TCP listeners and connections in every state
# that holds still, UDP bound and connected, IPv4, IPv6 and v4-mapped, a
# listener shared by two processes, one held through two fds, a process
# name with a blank), `lsof ARGS` and `socktap lsof ARGS` run with the same
# arguments must list the same rows and exit with the same status.
#
# Rows are compared byte for byte, column alignment included, whenever
# lsof's output holds inet rows only. With -p, -u or -c ORed with -i, lsof
# also lists the processes' other files (cwd, pipes, ...), which socktap
# does not know: there only lsof's inet rows (TYPE IPv4/IPv6) are kept and
# blank runs squeezed, since the other rows widen lsof's columns. SIZE/OFF
# needs no normalisation (0t0 in both). Host names are looked up only for
# 127.0.0.1 (in /etc/hosts): nothing leaves the namespace.
. "$(dirname "$0")/lib.sh"
: "${SOCKMIX:=$TESTBIN/sockmix}"

command -v lsof >/dev/null || skip "no lsof (apt-get install lsof)"
"$SOCKTAP" lsof --help >/dev/null 2>&1 || skip "this socktap has no lsof command"
[ -x "$SOCKMIX" ] || skip "no $SOCKMIX (make tests)"

# --- the mix: a namespace with lo, and a route to 198.18.1.2 that never
# answers for sockmix's SYN-SENT socket (a dummy device, or a veth whose
# peer is nobody where the kernel has no dummy driver; a permanent
# neighbour keeps ARP from failing the connect) --------------------------------
B=20000
netns_add lsof || skip "cannot create a network namespace"
ns=$NS
if ! ip -n "$ns" link add dummy0 type dummy 2>/dev/null; then
	ip -n "$ns" link add dummy0 type veth peer name dummy0p || skip "no dummy or veth device"
	ip -n "$ns" link set dummy0p up
fi
ip -n "$ns" addr add 198.18.1.1/24 dev dummy0
ip -n "$ns" link set dummy0 up
ip -n "$ns" neigh replace 198.18.1.2 lladdr 02:00:00:00:00:02 dev dummy0 nud permanent 2>/dev/null
mkdir -p "$T_TMP/unix"
mix=$T_TMP/mix
bg ip netns exec "$ns" "$SOCKMIX" --base-port $B --unix-dir "$T_TMP/unix" --timeout 300 \
	--comm 'mix evil' >"$mix" 2>"$mix.err"
if ! wait_for "$mix" '"event":"ready"' 20; then
	fail mix-ready "sockmix not ready: $(head -c 300 "$mix.err")"
	finish
fi
# mix_role ROLE FIELD: FIELD of the socket sockmix made for ROLE
mix_role() { jq -r --arg r "$1" "select(.role == \$r) | .$2" "$mix"; }
# mix_pid COMM: pid of a process sockmix names in its owners lists
mix_pid() { jq -r --arg c "$1" '.owners[]? | select(.comm == $c) | .pid' "$mix" | head -n 1; }
kid1=$(mix_pid mixkid1)
kid2=$(mix_pid mixkid2)
main=$(jq -r 'select(.event == "ready") | .pid' "$mix")
if [ -z "$kid1" ] || [ -z "$kid2" ] || [ -z "$main" ]; then
	fail mix-pids "no pids in sockmix's output"
fi

# only_inet FILE: every line is lsof's header, an inet row or a PID (-t)
only_inet() { awk '!(NR == 1 && $1 == "COMMAND") && $5 != "IPv4" && $5 != "IPv6" && !/^[0-9]+$/ { bad = 1 } END { exit bad }' "$1"; }
# inet_rows FILE: the header and the inet rows, blank runs squeezed
inet_rows() { awk '(NR == 1 && $1 == "COMMAND") || $5 == "IPv4" || $5 == "IPv6" || /^[0-9]+$/' "$1" | tr -s ' '; }
# shown FILE: a listing made safe to print in a FAIL line
shown() { head -c 600 "$1" | cat -v | tr '\n' '|'; }

# same NAME WANT ARGS...: lsof ARGS and socktap lsof ARGS agree; WANT is
# "rows" (something must be listed) or "none" (nothing, exit status 1)
same() {
	local name=$1 want=$2 rl rs l=$T_TMP/$1.lsof s=$T_TMP/$1.socktap
	shift 2
	ip netns exec "$ns" lsof "$@" >"$l" 2>"$l.err"
	rl=$?
	ip netns exec "$ns" "$SOCKTAP" lsof "$@" >"$s" 2>"$s.err"
	rs=$?
	if [ "$rl" -ne "$rs" ]; then
		fail "$name" "exit status: lsof $rl, socktap $rs ($(shown "$s.err"))"
		return
	fi
	if [ "$want" = rows ] && [ ! -s "$l" ]; then
		fail "$name" "lsof listed nothing (exit $rl): the mix is not what the test expects"
		return
	fi
	if [ "$want" = none ] && { [ -s "$l" ] || [ "$rl" -ne 1 ]; }; then
		fail "$name" "lsof listed something or exited $rl: the mix is not what the test expects"
		return
	fi
	if only_inet "$l"; then
		if ! cmp -s "$l" "$s"; then
			fail "$name" "rows differ: lsof: $(shown "$l") socktap: $(shown "$s")"
			return
		fi
	elif [ "$(inet_rows "$l")" != "$(inet_rows "$s")" ]; then
		fail "$name" "inet rows differ: lsof: $(inet_rows "$l" | head -c 600 | cat -v | tr '\n' '|') socktap: $(shown "$s")"
		return
	fi
	ok "$name ($(($(wc -l <"$s"))) lines, exit $rs)"
}

# --- every socket, and each family and protocol -----------------------------
same all rows -nP -i
same names-ports rows -n -i
same names-hosts rows -P -i 4tcp@127.0.0.1
same ipv4 rows -nP -i4
same ipv6 rows -nP -i6
same i4-then-i6 rows -nP -i4 -i6
same tcp rows -nP -iTCP
same udp rows -nP -i udp
same v4-udp rows -nP -i 4udp

# --- states -----------------------------------------------------------------
same listen rows -nP -iTCP -sTCP:LISTEN
same not-listen rows -nP -i -sTCP:^LISTEN
same states-list rows -nP -iTCP -sTCP:established,CLOSE_WAIT
same states-moving rows -nP -i -sTCP:SYN_SENT,FIN_WAIT1,FIN_WAIT2
same states-not-found rows -nP -i -sTCP:LISTEN,TIME_WAIT

# --- ports, lists, ranges, services, addresses ------------------------------
same port rows -nP -i :$B
same port-range rows -nP -i :$B-$((B + 5))
same port-list rows -nP -i tcp:$B,$((B + 2)),$((B + 10))-$((B + 13))
same udp-ports rows -nP -i udp:$((B + 10))-$((B + 13))
same service rows -nP -i :domain
same service-range rows -nP -i :1-http
same addr-v4 rows -nP -i @127.0.0.1
same addr-v4-port rows -nP -i tcp@127.0.0.1:$B
same addr-v6 rows -nP -i '@[::1]'
same addr-v6-port rows -nP -i '6tcp@[::1]':$((B + 2))
same addr-mapped rows -nP -i '@[::ffff:127.0.0.1]'
same addr-synsent rows -nP -i @198.18.1.2
same localhost rows -nP -i @localhost
same two-specs rows -nP -i :$((B + 1)) -i udp:$((B + 11))

# --- processes, users, commands: ORed, and ANDed with -a --------------------
same and-pid rows -nP -a -p "$kid1" -i
same and-pid-port rows -nP -a -p "$kid1" -i :$B
same or-pid rows -nP -p "$kid2" -i :$((B + 1))
same excl-pid rows -nP -p "^$main" -i
same and-cmd rows -nP -c mixkid -a -i
same and-cmd-v6 rows -nP -a -c mix -i6
same regex rows -nP -c '/^mix/' -a -i6
same excl-cmd rows -nP -c ^sockmix -i
same or-cmd rows -nP -c 'mix e' -i udp:$((B + 10))
same and-user rows -nP -u root -a -i tcp
same and-user-excl none -nP -u ^root -a -i

# --- -t, and what is not found ----------------------------------------------
same terse rows -t -i :$B
same terse-and rows -t -a -c mixkid -i
same none none -nP -i :1
same one-not-found rows -nP -i :$B -i :1
same inherited-v6 rows -nP -i6 -i :$((B + 1))

# --- the same rows from the fallback source (sock_diag and a /proc scan) ----
export SOCKTAP_LISTING_SOURCE=netlink
same netlink-all rows -nP -i
same netlink-listen rows -nP -iTCP -sTCP:LISTEN
same netlink-and-cmd rows -nP -a -c mixkid -i6
unset SOCKTAP_LISTING_SOURCE

# --- socktap's own: JSON, usage errors ---------------------------------------
ip netns exec "$ns" "$SOCKTAP" --json lsof -nP -i >"$T_TMP/json" 2>"$T_TMP/json.err"
rc=$?
if [ $rc -ne 0 ] || ! jq -e 'type == "array"' "$T_TMP/json" >/dev/null 2>&1; then
	fail json "not a JSON array (exit $rc): $(shown "$T_TMP/json.err")"
else
	check_eq json-rows "$(($(wc -l <"$T_TMP/all.socktap") - 1))" "$(jq length "$T_TMP/json")"
	# the process's keys and the socket object every view shares (sockjson.c):
	# the required ones on every row, the optional ones only where they apply
	check_eq json-keys 0 "$(jq '[.[] | select((["pid","comm","uid","user","fd","mode","family","proto","inode","laddr","lport","raddr","rport","state","recv_q","send_q","cookie","netns"] - keys) != [] or (keys - ["pid","comm","uid","user","fd","mode","family","proto","inode","laddr","lport","raddr","rport","state","recv_q","send_q","cookie","netns","cgroup","ifindex","mark","v6only"]) != [])] | length' "$T_TMP/json")"
	check_eq json-blank-comm 1 "$(jq '[.[] | select(.comm == "mix evil" and .lport == '$((B + 8))' and .state == "LISTEN")] | length' "$T_TMP/json")"
	check_eq json-mapped "inet6 ::ffff:127.0.0.1 ESTAB" "$(jq -r '.[] | select(.proto == "tcp" and .rport == '$((B + 3))') | "\(.family) \(.raddr) \(.state)"' "$T_TMP/json" | head -n 1)"
	check_eq json-two-fds "$(mix_role tcp-listen-v4-any inode) 2" "$(jq -r '[.[] | select(.lport == '$((B + 1))' and .state == "LISTEN")] | "\(.[0].inode) \(length)"' "$T_TMP/json")"
	check_eq json-shared "$main $kid1" "$(jq -r '[.[] | select(.lport == '$B' and .state == "LISTEN") | .pid] | map(tostring) | join(" ")' "$T_TMP/json")"
	check_eq json-udp-unconn "UNCONN 0" "$(jq -r '.[] | select(.proto == "udp" and .lport == '$((B + 10))') | "\(.state) \(.rport)"' "$T_TMP/json")"
fi
for bad in "-i sctp" "-i :$B-1" "-sUDP:Idle" "-sTCP:LISTENING" "-p x" "-c /x" "-a" "-x" "-i tcp extra"; do
	# shellcheck disable=SC2086 # the options are words
	"$SOCKTAP" lsof $bad >/dev/null 2>"$T_TMP/bad.err"
	rc=$?
	if [ $rc -eq 2 ] && [ "$(wc -l <"$T_TMP/bad.err")" -eq 1 ]; then
		ok "usage-error ($bad)"
	else
		fail "usage-error ($bad)" "exit $rc, stderr: $(shown "$T_TMP/bad.err")"
	fi
done

# --- a hostile process name: a copy of sleep named with an ESC, holding a
# connection through bash's /dev/tcp ------------------------------------------
evil="$T_TMP/ev"$'\x1b'"[2J"
cp "$(command -v sleep)" "$evil"
# shellcheck disable=SC2016 # $0 is the inner shell's
bg ip netns exec "$ns" bash -c 'exec 3<>/dev/tcp/127.0.0.1/'$((B + 7))' && exec "$0" 60' "$evil"
evpid=$BG_PID
for ((i = 0; i < 40; i++)); do
	ip netns exec "$ns" lsof -nP -a -p "$evpid" -i >/dev/null 2>&1 && break
	sleep 0.05
done
ip netns exec "$ns" lsof -nP -a -p "$evpid" -i >"$T_TMP/evil.lsof" 2>/dev/null
ip netns exec "$ns" "$SOCKTAP" lsof -nP -a -p "$evpid" -i >"$T_TMP/evil.socktap" 2>&1
if grep -q $'\x1b' "$T_TMP/evil.socktap"; then
	fail evil-escaped "socktap printed an ESC byte: $(shown "$T_TMP/evil.socktap")"
elif ! grep -qF 'ev\x1b[2J' "$T_TMP/evil.socktap"; then
	fail evil-escaped "no escaped name: $(shown "$T_TMP/evil.socktap")"
else
	ok evil-escaped
fi
# lsof writes ESC as ^[: every column but COMMAND must agree
check_eq evil-row "$(awk 'NR > 1 { $1 = ""; print }' "$T_TMP/evil.lsof")" \
	"$(awk 'NR > 1 { $1 = ""; print }' "$T_TMP/evil.socktap")"
ip netns exec "$ns" "$SOCKTAP" --json lsof -nP -a -p "$evpid" -i >"$T_TMP/evil.json" 2>&1
check_eq evil-json "$(printf 'ev\x1b[2J' | od -An -tx1 | xargs)" \
	"$(jq -j '.[0].comm' "$T_TMP/evil.json" 2>/dev/null | od -An -tx1 | xargs)"

finish
