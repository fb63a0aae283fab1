#!/usr/bin/env bash
# socktap trace held against the classic tools on the same sockets, and
# against hostile process names:
#   1. live sockets (IPv4 and IPv6, two namespaces): while trafgen holds
#      both ends open, ss -tie gives each socket's byte counters and cookie,
#      lsof its owner; socktap's connect/accept/close must say the same.
#   2. hostile names (trafgen --comm): escape sequences, quotes, a newline,
#      bytes that are not UTF-8. JSON must stay valid and keep the kernel's
#      bytes; text must put no control byte on the terminal and keep one
#      event on one line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trace_lib.sh"

# --- helpers ----------------------------------------------------------------

# hex: stdin as one string of hex digits
hex() { od -An -v -tx1 | tr -d ' \n'; }

# endpoint FAMILY ADDR PORT: as ss and lsof print it
endpoint() { if [ "$1" = inet6 ]; then echo "[$2]:$3"; else echo "$2:$3"; fi; }

# ss_sock FILE LOCAL PEER: the socket LOCAL -> PEER of `ss -tineH` output
# FILE as one line (ss gives each socket a line and an indented info line)
ss_sock() {
	awk -v l="$2" -v p="$3" '
		/^[^ \t]/ { cur = ($4 == l && $5 == p) }
		cur { printf "%s ", $0 }
		END { print "" }' "$1"
}
# ss_val LINE KEY: the value of KEY:VALUE in an ss_sock line ("" if absent)
ss_val() { grep -oE "(^|[[:space:]])$2:[^[:space:]]+" <<<"$1" | head -n 1 | sed "s/^[[:space:]]*$2://"; }

# sock_close NAME FILTER: "sent received retrans cookie" of the close event
sock_close() { f "$1" "$2 and .type == \"close\"" '"\(.bytes_sent) \(.bytes_received) \(.bytes_retrans) \(.cookie)"'; }

# lsof_pid NS ENDPOINTS: the pid lsof names for the TCP socket whose NAME
# is ENDPOINTS (local->peer), in namespace NS; -F keeps a hostile
# command name out of the parsing
lsof_pid() {
	local port=${2##*:}
	ip netns exec "$1" lsof -nP -i "TCP:$port" -F pn 2>/dev/null |
		awk -v want="n$2" '/^p/ { p = substr($0, 2) } $0 == want { print p }' | sort -u | xargs
}

# --- 1. live sockets against ss and lsof ------------------------------------
netns_add c1 || skip "cannot create a network namespace"
c1=$NS
netns_add s1
s1=$NS
veth_link "$c1" "$s1" || skip "cannot create a veth pair"
trace_start p1c --json --netns "$(netns_inode "$c1")"
p1c=$TRACE_PID
trace_start p1s --json --netns "$(netns_inode "$s1")"
p1s=$TRACE_PID

# both families at once: each end holds 3 s once the other has acknowledged
# all it sent, so both sockets are open, their counters final, meanwhile
declare -A spid cpid
for fam in 4 6; do
	[ $fam = 4 ] && addr=198.18.0.2 || addr=2001:db8::2
	server "a$fam" "$s1" --listen "$addr" --send 70000 --recv 100000 --hold 3 || continue
	spid[$fam]=$SRV_PID
	client "a$fam" "$c1" --connect "$addr" --port "$SRV_PORT" --send 100000 --recv 70000 --hold 3
	cpid[$fam]=$CLI_PID
done
for fam in "${!cpid[@]}"; do
	if ! wait_for "$T_TMP/a$fam.cli" '"event":"holding"' 10 || ! wait_for "$T_TMP/a$fam.srv" '"event":"holding"' 10; then
		fail "a$fam-holding" "no holding line: $(cat "$T_TMP/a$fam.cli.err" "$T_TMP/a$fam.srv.err" | head -c 300)"
	fi
done
# the classic tools, while both ends hold (aN-ss-states shows they did)
ip netns exec "$c1" ss -tineH >"$T_TMP/ss.c1" 2>/dev/null
ip netns exec "$s1" ss -tineH >"$T_TMP/ss.s1" 2>/dev/null
declare -A lsof_c lsof_s
for fam in "${!cpid[@]}"; do
	cli=$T_TMP/a$fam.cli
	family=$(gev "$cli" holding family)
	cl=$(endpoint "$family" "$(gev "$cli" holding laddr)" "$(gev "$cli" holding lport)")
	cr=$(endpoint "$family" "$(gev "$cli" holding raddr)" "$(gev "$cli" holding rport)")
	lsof_c[$fam]=$(lsof_pid "$c1" "$cl->$cr")
	lsof_s[$fam]=$(lsof_pid "$s1" "$cr->$cl")
done
for fam in "${!cpid[@]}"; do
	reap "a$fam-client" "${cpid[$fam]}"
	reap "a$fam-server" "${spid[$fam]}"
done
wait_n p1c '.type == "close"' "${#cpid[@]}" 5
wait_n p1s '.type == "close"' "${#cpid[@]}" 5
trace_stop p1c "$p1c"
trace_stop p1s "$p1s"
check_eq a-runs 2 "${#cpid[@]}"

for fam in $(printf '%s\n' "${!cpid[@]}" | sort); do
	tag=a$fam cli=$T_TMP/a$fam.cli srv=$T_TMP/a$fam.srv
	family=$(gev "$cli" holding family)
	clport=$(gev "$cli" "done" lport) sport=$(gev "$srv" "done" lport)
	cl=$(endpoint "$family" "$(gev "$cli" "done" laddr)" "$clport")
	sl=$(endpoint "$family" "$(gev "$srv" "done" laddr)" "$sport")
	csel=".lport == $clport and .rport == $sport"
	ssel=".lport == $sport and .rport == $clport"
	sc=$(ss_sock "$T_TMP/ss.c1" "$cl" "$sl")
	ssv=$(ss_sock "$T_TMP/ss.s1" "$sl" "$cl")
	# the premise of the sequence-space arithmetic below: the client's FIN is
	# out and acknowledged, the server has it and has sent its own nothing yet
	check_eq "$tag-ss-states" "FIN-WAIT-2 CLOSE-WAIT" "$(awk '{ print $1 }' <<<"$sc") $(awk '{ print $1 }' <<<"$ssv")"
	# trafgen moved what it was told to, by its own count
	check_eq "$tag-trafgen" "client 100000/70000 server 70000/100000" \
		"client $(gev "$cli" "done" bytes_sent)/$(gev "$cli" "done" bytes_received) server $(gev "$srv" "done" bytes_sent)/$(gev "$srv" "done" bytes_received)"

	# socktap's close, per side: sent, received, retransmitted, cookie
	read -r c_sent c_recv c_retr c_cookie <<<"$(sock_close p1c "$csel")"
	read -r s_sent s_recv s_retr s_cookie <<<"$(sock_close p1s "$ssel")"
	check_eq "$tag-one-close-each" "1 1" "$(n p1c "$csel and .type == \"close\"") $(n p1s "$ssel and .type == \"close\"")"
	check_eq "$tag-close-vs-trafgen" "client 100000/70000 server 70000/100000" \
		"client ${c_sent:-}/${c_recv:-} server ${s_sent:-}/${s_recv:-}"

	# ss counts sequence space: bytes_acked has the client's SYN (acked by
	# the SYN-ACK; the server's SYN-ACK is never counted) and its FIN,
	# bytes_received the FIN the server got. Take them out, payload is left.
	ss_acked=$(ss_val "$sc" bytes_acked) ss_rcvd=$(ss_val "$sc" bytes_received)
	check_eq "$tag-client-vs-ss" "sent=$((${ss_acked:-0} - 2)) received=${ss_rcvd:-?}" \
		"sent=${c_sent:-} received=${c_recv:-}"
	ss_acked=$(ss_val "$ssv" bytes_acked) ss_rcvd=$(ss_val "$ssv" bytes_received)
	check_eq "$tag-server-vs-ss" "sent=${ss_acked:-?} received=$((${ss_rcvd:-0} - 1))" \
		"sent=${s_sent:-} received=${s_recv:-}"
	# ss's bytes_sent counts retransmitted payload again (bytes_retrans, shown
	# when not 0); socktap's once, and its bytes_retrans is the kernel's
	for side in client server; do
		[ $side = client ] && line=$sc sent=$c_sent retr=$c_retr || line=$ssv sent=$s_sent retr=$s_retr
		ss_sent=$(ss_val "$line" bytes_sent) ss_retr=$(ss_val "$line" bytes_retrans)
		check_eq "$tag-$side-ss-bytes-sent" "sent=$((${ss_sent:-0} - ${ss_retr:-0})) retrans=${ss_retr:-0}" \
			"sent=${sent:-} retrans=${retr:-}"
	done

	# the cookie: ss -e prints it in hex (sk:), socktap in decimal, the
	# same from connect (accept) to close
	ck=$(ss_val "$sc" sk) sk=$(ss_val "$ssv" sk)
	check_true "$tag-ss-cookies" [ -n "$ck" -a -n "$sk" ]
	check_eq "$tag-client-cookie-vs-ss" "$((16#${ck:-0})) $((16#${ck:-0}))" \
		"$(f p1c "$csel and .type == \"connect\"" .cookie) ${c_cookie:-}"
	check_eq "$tag-server-cookie-vs-ss" "$((16#${sk:-0})) $((16#${sk:-0}))" \
		"$(f p1s "$ssel and .type == \"accept\"" .cookie) ${s_cookie:-}"

	# the owner: lsof, socktap and trafgen name the same process
	check_eq "$tag-client-owner-vs-lsof" "${lsof_c[$fam]} ${lsof_c[$fam]} ${lsof_c[$fam]}" \
		"$(f p1c "$csel and .type == \"connect\"" .pid) $(f p1c "$csel and .type == \"close\"" .pid) $(gev "$cli" "done" pid)"
	check_eq "$tag-server-owner-vs-lsof" "${lsof_s[$fam]} ${lsof_s[$fam]} ${lsof_s[$fam]}" \
		"$(f p1s "$ssel and .type == \"accept\"" .pid) $(f p1s "$ssel and .type == \"close\"" .pid) $(gev "$srv" "done" pid)"
	check_true "$tag-lsof-pids" [ -n "${lsof_c[$fam]}" -a -n "${lsof_s[$fam]}" -a "${lsof_c[$fam]}" != "${lsof_s[$fam]}" ]
done

# --- 2. hostile process names ------------------------------------------------
. "$(dirname "$0")/hostile_names.sh"
# what the kernel keeps of NAME[0], for trace -c
kept0=$(printf '%s' "${NAME[0]}" | head -c 15)

netns_add h2
h2=$NS
h2_ino=$(netns_inode "$h2")
trace_start hj --json --netns "$h2_ino"
hj=$TRACE_PID
trace_start ht --netns "$h2_ino"
ht=$TRACE_PID
# the comm filter runs in socktap, on the kernel's bytes
trace_start hc --json --netns "$h2_ino" -c "$kept0"
hc=$TRACE_PID
nn=${#NAME[@]}
server h "$h2" --listen 127.0.0.1 --send 10 --recv 20 --count "$nn"
h_srv=$SRV_PID
hpid=()
for ((i = 0; i < nn; i++)); do
	client "h$i" "$h2" --connect 127.0.0.1 --port "$SRV_PORT" --send 20 --recv 10 --hold 1 --comm "${NAME[$i]}"
	hpid+=("$CLI_PID")
done
kept=()
for ((i = 0; i < nn; i++)); do
	if wait_for "$T_TMP/h$i.cli" '"event":"holding"' 10; then
		kept+=("$(hex <"/proc/${hpid[$i]}/comm")")
	else
		kept+=("")
		fail "h$i-holding" "no holding line: $(head -c 200 "$T_TMP/h$i.cli.err")"
	fi
done
for ((i = 0; i < nn; i++)); do
	reap "h$i-client" "${hpid[$i]}"
done
reap h-server "$h_srv"
wait_n hj '.type == "close"' $((2 * nn)) 5
for ((i = 0; i < 100; i++)); do
	[ "$(grep -ac '^close ' "$T_TMP/ht.out")" -ge $((2 * nn)) ] && break
	sleep 0.05
done
wait_n hc '.type == "close"' 1 5
trace_stop hj "$hj"
trace_stop ht "$ht"
trace_stop hc "$hc"

# JSON: every line an object, no raw control byte, valid UTF-8 throughout
hjo=$T_TMP/hj.out
check_true h-json-lines jq -R -s -e '[splits("\n") | select(length > 0) | fromjson | type == "object"] | length > 0 and all' "$hjo"
check_eq h-json-no-raw-controls "" "$(tr -d '\n' <"$hjo" | LC_ALL=C tr -dc '\000-\037' | hex)"
check_true h-json-utf8 iconv -f UTF-8 -t UTF-8 "$hjo"
# nor a raw C1 control (U+0080..U+009F: CSI is one) a terminal would act on
check_eq h-json-no-raw-c1 0 "$(LC_ALL=C grep -c $'\xc2[\x80-\x9f]' "$hjo")"
for ((i = 0; i < nn; i++)); do
	pid=${hpid[$i]}
	# the premise: the kernel kept the first 15 bytes, as they are
	check_eq "h$i-kernel-comm" "$(printf '%s' "${NAME[$i]}" | head -c 15 | hex)0a" "${kept[$i]}"
	check_eq "h$i-json-events" "connect=1 close=1" \
		"connect=$(n hj ".pid == $pid and .type == \"connect\"") close=$(n hj ".pid == $pid and .type == \"close\"")"
	check_eq "h$i-json-comm" "${JSON[$i]} ${JSON[$i]}" \
		"$(jq -j "select(.pid == $pid and .type == \"connect\") | .comm" "$hjo" | hex) $(jq -j "select(.pid == $pid and .type == \"close\") | .comm" "$hjo" | hex)"
done
check_eq h-comm-filter "connect=${hpid[0]} close=${hpid[0]}" \
	"$(f hc true '"\(.type)=\(.pid)"' | sort -r | xargs)"

# text: nothing but printable ASCII and newlines (and the one valid e-acute,
# kept as it is): no ESC, no C1 control, no 0xff, no DEL, no CR, no tab
hto=$T_TMP/ht.out
check_eq h-text-no-esc 0 "$(LC_ALL=C tr -dc '\033' <"$hto" | wc -c)"
check_eq h-text-no-ff 0 "$(LC_ALL=C tr -dc '\377' <"$hto" | wc -c)"
check_eq h-text-only-printable "" "$(LC_ALL=C sed 's/é//g' "$hto" | LC_ALL=C tr -d '\n\040-\176' | hex)"
# one line per event: the header, then as many rows as the JSON has events
check_eq h-text-one-line-per-event "$((1 + $(grep -c . "$hjo")))" "$(grep -c '' "$hto")"
for ((i = 0; i < nn; i++)); do
	pid=${hpid[$i]}
	check_eq "h$i-text-rows" "connect $pid ${TEXT[$i]} 4 127.0.0.1|close $pid ${TEXT[$i]} 4 127.0.0.1" \
		"$(LC_ALL=C awk -v p="$pid" '($1 == "connect" || $1 == "close") && $2 == p { print $1, $2, $3, $4, $5 }' "$hto" | sort -r | paste -sd '|')"
done
finish
