#!/usr/bin/env bash
# Hostile data, end to end, in every view. Processes named with an escape
# sequence, a quote, a backslash, a newline, a byte that is not UTF-8, a C1
# control, DEL, printf conversions, tab, CR and backspace (the kernel keeps
# 15 bytes), in a cgroup whose name holds an escape sequence, a quote, a
# backslash, a tab and 0xff, 14 levels deep (a path of about 3,600 bytes),
# hold TCP connections to port 65535 over IPv4 and over IPv6 link-local
# addresses (a scope id), an unconnected UDP socket (remote port 0) and a
# paced transfer. Then, for ss, netstat, lsof, top (batch text in its four
# groupings, JSON, the screen), nload's split, export (three label sets)
# and trace:
#   - no byte a terminal acts on reaches a text output: no ESC, no C1
#     control, no byte that is not UTF-8, no control but the newline;
#   - the names are there, escaped as \xNN (and \\), the same everywhere;
#   - every JSON line parses, and decodes to the kernel's bytes;
#   - every exposition passes promtool;
#   - columns stay aligned; ss's and netstat's rows for the link-local and
#     port 65535 sockets equal the real tools' (ss's %scope included).
# Last, an interface renamed to a name with an escape sequence, then
# deleted, while nload (batch text, JSON, screen) and top show it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trace_lib.sh"

for t in ss netstat lsof promtool tmux iconv python3; do
	command -v "$t" >/dev/null || { fail setup "$t is not installed"; finish; }
done
hex() { od -An -v -tx1 | tr -d ' \n'; }

. "$(dirname "$0")/hostile_names.sh"
# Prometheus: the text form again, its backslashes and quotes escaped
PROM0='\\x1b[31m\"\\\\x0a\\xffevil-n'

# --- the scene ---------------------------------------------------------------
netns_add ha || { fail setup "cannot create a network namespace"; finish; }
A=$NS
netns_add hb || { fail setup "cannot create a network namespace"; finish; }
B=$NS
veth_net "$A" "$B" 91 || { fail setup "cannot create a veth pair"; finish; }
VA=v$$n91a VB=v$$n91b
ip -n "$A" addr add fe80::1/64 dev "$VA" nodad
ip -n "$B" addr add fe80::2/64 dev "$VB" nodad
# the scope id: B's interface index, as ss prints it (%name)
cgroup_add hostile || { fail setup "no cgroup v2"; finish; }
EVCG=$'ev\e[31m"\\\t\xffcg'
EVCG_TEXT='ev\x1b[31m"\\\x09\xffcg'
EVCG_JSON=65761b5b33316d225c09c3bf6367
p="$CG/$EVCG"
dirs=("$p")
mkdir "$p" || { fail setup "cannot make the hostile cgroup"; finish; }
for i in $(seq 1 14); do
	p="$p/$(printf 'L%02d%0250d' "$i" 0)"
	mkdir "$p" || { fail setup "cannot make cgroup level $i"; break; }
	dirs+=("$p")
done
DEEP=$p
# removed deepest first, before the test's own cgroup (already listed)
for ((i = 0; i < ${#dirs[@]}; i++)); do
	T_CGROUPS=("${dirs[$i]}" "${T_CGROUPS[@]}")
done
DEEP_REL=${DEEP#"$CG_MNT"}
check_true cgroup-path-long test "${#DEEP_REL}" -gt 3500

# trace, in JSON and text, sees the scene being made
trace_start tj --json || finish
TJ=$TRACE_PID
trace_start tt || finish
TT=$TRACE_PID

# in_cg NS CMD...: CMD in namespace NS, in the deep cgroup
in_cg() {
	local ns=$1
	shift
	bg bash -c 'echo $$ >"$0/cgroup.procs" && exec ip netns exec "$@"' "$DEEP" "$ns" "$@"
}
in_cg "$B" "$TRAFGEN" server --listen 198.18.91.2 --port 65535 --send 1000 --recv 2000 \
	--hold 120 --timeout 150 --comm "${NAME[0]}" >"$T_TMP/s4.out" 2>"$T_TMP/s4.err"
S4=$BG_PID
in_cg "$B" "$TRAFGEN" server --listen "fe80::2%$VB" --port 65535 --send 3000 --recv 4000 \
	--hold 120 --timeout 150 --comm "${NAME[1]}" >"$T_TMP/s6.out" 2>"$T_TMP/s6.err"
S6=$BG_PID
wait_for "$T_TMP/s4.out" listening 10 && wait_for "$T_TMP/s6.out" listening 10 ||
	{ fail setup "servers: $(cat "$T_TMP/s4.err" "$T_TMP/s6.err")"; finish; }
in_cg "$A" "$TRAFGEN" client --connect 198.18.91.2 --port 65535 --send 2000 --recv 1000 \
	--hold 120 --timeout 150 --comm "${NAME[0]}" >"$T_TMP/c4.out" 2>"$T_TMP/c4.err"
C4=$BG_PID
in_cg "$A" "$TRAFGEN" client --connect "fe80::2%$VA" --port 65535 --send 4000 --recv 3000 \
	--hold 120 --timeout 150 --comm "${NAME[1]}" >"$T_TMP/c6.out" 2>"$T_TMP/c6.err"
C6=$BG_PID
in_cg "$A" "$TRAFGEN" server -u --listen 198.18.91.1 --recv 10 --timeout 150 \
	--comm "${NAME[2]}" >"$T_TMP/u.out" 2>"$T_TMP/u.err"
U=$BG_PID
in_cg "$B" "$TESTBIN/flowgen" sink --listen 198.18.91.2 --port 65534 --timeout 150 \
	--comm "${NAME[2]}" >"$T_TMP/fs.out" 2>"$T_TMP/fs.err"
wait_for "$T_TMP/fs.out" listening 10 || { fail setup "sink: $(cat "$T_TMP/fs.err")"; finish; }
in_cg "$A" "$TESTBIN/flowgen" send --connect 198.18.91.2 --port 65534 --bytes 100000000 \
	--rate 200000 --timeout 150 --comm "${NAME[2]}" >"$T_TMP/fc.out" 2>"$T_TMP/fc.err"
FC=$BG_PID
for f in c4 c6 s4 s6; do
	wait_for "$T_TMP/$f.out" holding 10 || fail "setup-$f" "not holding: $(head -c 200 "$T_TMP/$f.err")"
done
wait_for "$T_TMP/fc.out" connected 10 || fail setup-sender "$(head -c 200 "$T_TMP/fc.err")"
# the premise: the kernel keeps the first 15 bytes of each name
for i in 0 1; do
	pid=$([ "$i" = 0 ] && echo "$C4" || echo "$C6")
	check_eq "premise-comm$i" "$(printf '%s' "${NAME[$i]}" | head -c 15 | hex)0a" "$(hex <"/proc/$pid/comm")"
done

# clean NAME FILE: no byte a terminal acts on (ESC, C1 controls, bytes that
# are not UTF-8, controls but the newline)
clean() {
	local why=""
	if ! iconv -f UTF-8 -t UTF-8 "$2" >/dev/null 2>&1; then
		why="not UTF-8"
	elif LC_ALL=C grep -q $'\xc2[\x80-\x9f]' "$2"; then
		why="a raw C1 control"
	elif [ -n "$(LC_ALL=C tr -d '\n\040-\176\200-\377' <"$2" | hex)" ]; then
		why="raw control bytes $(LC_ALL=C tr -d '\n\040-\176\200-\377' <"$2" | hex | head -c 40)"
	fi
	if [ -n "$why" ]; then fail "$1" "$why"; else ok "$1"; fi
}
# json_lines NAME FILE: every line one JSON value, nothing else
json_lines() {
	check_true "$1" jq -R -s -e '[splits("\n") | select(length > 0) | fromjson] | length > 0' "$2"
}
# aligned NAME FILE: the lines of each table (blank-line separated; not the
# timestamp, status or lost lines) are as wide as each other, counted in
# terminal columns; nload's "(gone)" mark follows the last column
aligned() {
	local widths
	widths=$(python3 -c '
import sys
for t in open(sys.argv[1], encoding="utf-8").read().split("\n\n"):
    ls = [l.removesuffix("  (gone)") for l in t.split("\n") if l and not l[:2].isdigit() and not l.startswith(("socktap:", "lost:"))]
    if ls:
        print(len(set(len(l.rstrip()) for l in ls)))
' "$2" | sort -u | xargs)
	check_eq "$1" 1 "$widths"
}
has() {
	if grep -qF -- "$3" "$2"; then ok "$1"; else fail "$1" "no '$3' in $(head -c 300 "$2" | od -c | head -5)"; fi
}

# --- ss -----------------------------------------------------------------------
for ns in A B; do
	n=${!ns}
	ip netns exec "$n" "$SOCKTAP" ss -tuanp >"$T_TMP/ss$ns" 2>&1
	check_eq "ss-$ns-status" 0 $?
	clean "ss-$ns-clean" "$T_TMP/ss$ns"
	# the same rows as ss's, but for the (escaped) process column; ss
	# itself prints the newline in a name, so its rows are cut there
	# (bytes: a name's bytes need not be characters); the queues, which
	# the paced transfer changes between the two reads, as Q
	norm='s/ *users:.*//; s/ *$//; s/^([^ ]+ +[^ ]+ +)[0-9]+ +[0-9]+ +/\1Q Q /'
	ip netns exec "$n" ss -tuanp | LC_ALL=C grep -aE '^(Netid|tcp|udp) ' |
		LC_ALL=C sed -E "$norm" | LC_ALL=C sort >"$T_TMP/ss$ns.want"
	LC_ALL=C sed -E "$norm" "$T_TMP/ss$ns" | LC_ALL=C sort >"$T_TMP/ss$ns.got"
	# (so aligned as ss aligns them)
	check_eq "ss-$ns-rows" "$(cat "$T_TMP/ss$ns.want")" "$(cat "$T_TMP/ss$ns.got")"
done
has ss-link-local-scope "$T_TMP/ssB" "[fe80::2]%$VB:65535"
has ss-port-65535 "$T_TMP/ssB" "198.18.91.2:65535"
has ss-owner-escaped "$T_TMP/ssA" "users:((\"${TEXT[0]}\",pid=$C4,fd=3))"
has ss-owner-c1-escaped "$T_TMP/ssA" "users:((\"${TEXT[1]}\",pid=$C6,fd=3))"
has ss-udp-owner-escaped "$T_TMP/ssA" "users:((\"${TEXT[2]}\",pid=$U,fd=3))"
ip netns exec "$A" "$SOCKTAP" --json ss -tuanp >"$T_TMP/ssA.json" 2>&1
json_lines ss-json-parses "$T_TMP/ssA.json"
clean ss-json-clean "$T_TMP/ssA.json"
for i in 0 1 2; do
	pid=$(case $i in 0) echo "$C4" ;; 1) echo "$C6" ;; 2) echo "$U" ;; esac)
	check_eq "ss-json-comm$i" "${JSON[$i]}" \
		"$(jq -j "[.[] | .owners[]? | select(.pid == $pid) | .comm][0]" "$T_TMP/ssA.json" | hex)"
done
# from the host's mount namespace: ip netns exec mounts a sysfs of its own,
# without the cgroup2 mount, and ss then says "unreachable"
"$SOCKTAP" ss -N "$B" -tan --cgroup >"$T_TMP/ssB.cg" 2>&1
clean ss-cgroup-clean "$T_TMP/ssB.cg"
has ss-cgroup-escaped "$T_TMP/ssB.cg" "cgroup:${DEEP_REL%%"$EVCG"*}$EVCG_TEXT/L01"

# --- netstat ------------------------------------------------------------------
for ns in A B; do
	n=${!ns}
	ip netns exec "$n" "$SOCKTAP" netstat -tuanp >"$T_TMP/ns$ns" 2>&1
	check_eq "netstat-$ns-status" 0 $?
	clean "netstat-$ns-clean" "$T_TMP/ns$ns"
	# netstat names the program by its command line, as socktap does; the
	# queues as Q, as for ss (a paced transfer's Recv-Q: 1656 against 0)
	norm='s/ *$//; s/^(tcp6?|udp6?) +[0-9]+ +[0-9]+ /\1 Q Q /'
	ip netns exec "$n" netstat -tuanp 2>/dev/null | sed -E "$norm" | sort >"$T_TMP/ns$ns.want"
	sed -E "$norm" "$T_TMP/ns$ns" | sort >"$T_TMP/ns$ns.got"
	check_eq "netstat-$ns-rows" "$(cat "$T_TMP/ns$ns.want")" "$(cat "$T_TMP/ns$ns.got")"
done
has netstat-link-local "$T_TMP/nsB" "fe80::2:65535"

# --- lsof ---------------------------------------------------------------------
ip netns exec "$A" "$SOCKTAP" lsof -nP -a -p "$C4,$C6" -i >"$T_TMP/lsof" 2>&1
check_eq lsof-status 0 $?
clean lsof-clean "$T_TMP/lsof"
# lsof's COMMAND column: 9 columns of the escaped name
has lsof-escaped "$T_TMP/lsof" "${TEXT[0]:0:9} $C4 "
has lsof-c1-escaped "$T_TMP/lsof" "${TEXT[1]:0:9} $C6 "
ip netns exec "$A" lsof -nP -a -p "$C4,$C6" -i 2>/dev/null | awk 'NR > 1 { $1 = ""; print }' | sort >"$T_TMP/lsof.want"
awk 'NR > 1 { $1 = ""; print }' "$T_TMP/lsof" | sort >"$T_TMP/lsof.got"
check_eq lsof-rows "$(cat "$T_TMP/lsof.want")" "$(cat "$T_TMP/lsof.got")"
check_eq lsof-aligned 1 "$(awk 'NR > 1 { print index($0, " IPv") }' "$T_TMP/lsof" | sort -u | wc -l)"
ip netns exec "$A" "$SOCKTAP" --json lsof -nP -a -p "$C4" -i >"$T_TMP/lsof.json" 2>&1
json_lines lsof-json-parses "$T_TMP/lsof.json"
check_eq lsof-json-comm "${JSON[0]}" "$(jq -j '.[0].comm' "$T_TMP/lsof.json" | hex)"

# --- top ----------------------------------------------------------------------
for g in connection process remote cgroup; do
	"$SOCKTAP" top --batch --count 2 --interval 1 -n -g "$g" >"$T_TMP/top.$g" 2>"$T_TMP/top.$g.err"
	check_eq "top-$g-status" 0 $?
	clean "top-$g-clean" "$T_TMP/top.$g"
	aligned "top-$g-aligned" "$T_TMP/top.$g"
done
has top-connection-escaped "$T_TMP/top.connection" "$C4/${TEXT[0]}"
has top-connection-link-local "$T_TMP/top.connection" "[fe80::2]:65535"
has top-process-escaped "$T_TMP/top.process" "${TEXT[1]}"
has top-process-udp-escaped "$T_TMP/top.process" "${TEXT[2]}"
has top-cgroup-escaped "$T_TMP/top.cgroup" "$EVCG_TEXT/L01"
"$SOCKTAP" --json top --batch --count 2 --interval 1 >"$T_TMP/top.json" 2>"$T_TMP/top.json.err"
json_lines top-json-parses "$T_TMP/top.json"
clean top-json-clean "$T_TMP/top.json"
check_eq top-json-comm "${JSON[0]}" \
	"$(tail -n 1 "$T_TMP/top.json" | jq -j "[.processes[] | select(.pid == $C4) | .comm][0]" | hex)"
check_eq top-json-cgroup-path "$(printf '%s' "$DEEP_REL" | iconv -f latin1 -t utf-8 | hex)" \
	"$(tail -n 1 "$T_TMP/top.json" | jq -j "[.cgroups[] | select(.cgroup_path | contains(\"L14\")) | .cgroup_path][0]" | hex)"

# the screen: the escaped name and cgroup are drawn as text
TMUX_L=hs$$
tm new-session -d -s top -x 200 -y 50 "'$SOCKTAP' top -n -g connection; sleep 60"
if pane_wait top "$C4/" 15; then
	check_true top-screen-escaped pane_wait top "$C4/\\\\x1b\\[31m\"" 5
	check_true top-screen-link-local pane_wait top '\[fe80::2\]:65535' 5
	check_eq top-screen-no-sgr31 0 "$(tm capture-pane -p -e -t top | LC_ALL=C grep -c $'\e\\[31m')"
else
	fail top-screen "no connection row: $(cap top | head -5)"
fi
tm new-session -d -s topcg -x 200 -y 50 "'$SOCKTAP' top -n -g cgroup; sleep 60"
# the path's end, its start cut as "..."
check_true top-screen-cgroup pane_wait topcg '^\.\.\.0{100,} +=>' 15
tm kill-server 2>/dev/null

# --- nload's split ------------------------------------------------------------
for by in process cgroup; do
	ip netns exec "$A" "$SOCKTAP" nload --batch --by-$by --count 2 --interval 1 "$VA" >"$T_TMP/nl.$by" 2>"$T_TMP/nl.$by.err"
	check_eq "nload-$by-status" 0 $?
	clean "nload-$by-clean" "$T_TMP/nl.$by"
	ip netns exec "$A" "$SOCKTAP" --json nload --batch --by-$by --count 2 --interval 1 "$VA" >"$T_TMP/nl.$by.json" 2>&1
	json_lines "nload-$by-json-parses" "$T_TMP/nl.$by.json"
done
has nload-process-escaped "$T_TMP/nl.process" "${TEXT[2]}/$FC"
has nload-cgroup-escaped "$T_TMP/nl.cgroup" "$EVCG_TEXT/L01"
check_eq nload-json-comm "${JSON[2]}" \
	"$(jq -j "select(.type == \"nload_split\" and .pid == $FC) | .comm" "$T_TMP/nl.process.json" | head -c 100 | hex | head -c ${#JSON[2]})"

# --- export ---------------------------------------------------------------------
PORT=$((20000 + $$ % 20000))
for g in comm cgroup pid; do
	"$SOCKTAP" export --listen "127.0.0.1:$PORT" --group-by $g >"$T_TMP/exp.$g.out" 2>"$T_TMP/exp.$g.err" &
	e=$!
	T_PIDS+=("$e")
	for ((i = 0; i < 100; i++)); do
		curl -sf "http://127.0.0.1:$PORT/metrics" -o "$T_TMP/m.$g" && grep -q 'socktap_process_sent' "$T_TMP/m.$g" && break
		sleep 0.1
	done
	curl -sf "http://127.0.0.1:$PORT/metrics" -o "$T_TMP/m.$g"
	kill -TERM "$e"
	wait "$e"
	check_eq "export-$g-status" 0 $?
	check_true "export-$g-promtool" promtool check metrics <"$T_TMP/m.$g"
	clean "export-$g-clean" "$T_TMP/m.$g"
done
has export-comm-label "$T_TMP/m.comm" "comm=\"$PROM0\""
has export-pid-label "$T_TMP/m.pid" "pid=\"$C4\",comm=\"$PROM0\""
has export-cgroup-label "$T_TMP/m.cgroup" "ev\\\\x1b[31m\\\"\\\\\\\\x09\\\\xffcg/L01"

# --- trace --------------------------------------------------------------------
trace_stop tj "$TJ"
trace_stop tt "$TT"
json_lines trace-json-parses "$T_TMP/tj.out"
clean trace-json-clean "$T_TMP/tj.out"
clean trace-text-clean "$T_TMP/tt.out"
check_eq trace-json-comm "${JSON[0]}" \
	"$(jq -j "select(.type == \"connect\" and .pid == $C4) | .comm" "$T_TMP/tj.out" | hex)"
check_eq trace-json-cgroup-path "$(printf '%s' "$DEEP_REL" | iconv -f latin1 -t utf-8 | hex)" \
	"$(jq -j "select(.type == \"connect\" and .pid == $C4) | .cgroup_path" "$T_TMP/tj.out" | hex)"
check_eq trace-link-local "fe80::2 65535" \
	"$(jq -r "select(.type == \"connect\" and .pid == $C6) | \"\(.raddr) \(.rport)\"" "$T_TMP/tj.out")"
has trace-text-escaped "$T_TMP/tt.out" "$C4  ${TEXT[0]}  4 "

# --- interfaces renamed and deleted while shown --------------------------------
EVDEV=$'h\e[2J"x'
ip netns exec "$A" "$SOCKTAP" nload --batch --interval 0.5 >"$T_TMP/ren.txt" 2>"$T_TMP/ren.err" &
n1=$!
T_PIDS+=("$n1")
ip netns exec "$A" "$SOCKTAP" --json nload --batch --interval 0.5 >"$T_TMP/ren.json" 2>"$T_TMP/ren.jerr" &
n2=$!
T_PIDS+=("$n2")
tm new-session -d -s nl -x 120 -y 40 "ip netns exec '$A' '$SOCKTAP' nload -m; echo exit=\$?; sleep 60"
wait_for "$T_TMP/ren.txt" "$VA" 10 || fail rename-start "$(head -c 200 "$T_TMP/ren.err")"
pane_wait nl "$VA" 10 || fail rename-screen-start "$(cap nl | head -3)"
ip -n "$A" link set "$VA" name "$EVDEV"
wait_for "$T_TMP/ren.txt" 'h\\x1b\[2J"x' 10
check_true rename-screen pane_wait nl 'h\\x1b\[2J"x' 10
ip -n "$A" link del "$EVDEV"
wait_for "$T_TMP/ren.txt" 'gone' 10
sleep 1
check_true deleted-screen-alive pane_wait nl 'Device|Incoming' 3
tm send-keys -t nl q
check_true deleted-screen-quits pane_wait nl '^exit=0' 5
tm kill-server 2>/dev/null
kill -INT "$n1" "$n2"
wait "$n1"
check_eq rename-text-status 0 $?
wait "$n2"
check_eq rename-json-status 0 $?
clean rename-text-clean "$T_TMP/ren.txt"
has rename-text-escaped "$T_TMP/ren.txt" 'h\x1b[2J"x'
check_true rename-text-gone grep -qE '^h\\x1b\[2J"x .*\(gone\)$' "$T_TMP/ren.txt"
aligned rename-text-aligned "$T_TMP/ren.txt"
json_lines rename-json-parses "$T_TMP/ren.json"
clean rename-json-clean "$T_TMP/ren.json"
check_eq rename-json-names "$VA $(printf '%s' "$EVDEV" | hex)" \
	"$(jq -r 'select(.dev | startswith("v")) | .dev' "$T_TMP/ren.json" | head -n 1) $(jq -j 'select(.gone) | .dev + "\n"' "$T_TMP/ren.json" | head -n 1 | tr -d '\n' | hex)"

kill "$FC" 2>/dev/null
finish
