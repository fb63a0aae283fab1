#!/usr/bin/env bash
# Every command under valgrind's memcheck, in batch mode, with real traffic:
# no memory error and no definite leak (in socktap or in any process it
# forks), and the command's own output still right. The listings run in a
# namespace holding tests/sockmix's mix of sockets (every TCP state that
# holds still, UDP, Unix, packet); trace sees TCP and UDP exchanges
# between two namespaces; top, nload and export count a paced sender
# (comm vg-send) between the same two.
#
# tests/valgrind.supp holds the reports that are valgrind's ignorance of a
# system call (each entry says why); nothing of socktap's own is suppressed.
# Each run is bounded (timeout): one killed is a failure saying so. About
# two minutes on 2 cores: valgrind is 20-50 times slower, so every run is
# short and done once. T_KEEP=DIR keeps the logs there.
. "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || skip "valgrind not installed (scripts/install-deps.sh)"
# memcheck and AddressSanitizer both replace malloc: make test SANITIZE=1 runs
# this under ASan, not memcheck
ldd "$SOCKTAP" 2>/dev/null | grep -q libasan && skip "memcheck cannot run a build with AddressSanitizer"
for t in curl jq; do
	command -v "$t" >/dev/null || skip "$t not installed (scripts/install-deps.sh)"
done
SUPP=$(cd "$(dirname "$0")/.." && pwd)/valgrind.supp
[ -r "$SUPP" ] || { fail suppressions "$SUPP missing"; finish; }
T0=$(date +%s)
VG=(valgrind --tool=memcheck --error-exitcode=99 --leak-check=full
	--errors-for-leak-kinds=definite --show-leak-kinds=definite --track-fds=no
	--num-callers=40 --suppressions="$SUPP")
mkdir -p "$T_TMP/vg"

# vg_cmd NAME SECS NS ARGS...: the command line of socktap ARGS under
# memcheck, bounded by SECS, in namespace NS ("-": this one), into VG_CMD;
# each process's log in $T_TMP/vg/NAME.PID (a forked child has its own)
vg_cmd() {
	local name=$1 secs=$2 ns=$3
	shift 3
	VG_CMD=()
	[ "$ns" = - ] || VG_CMD=(ip netns exec "$ns")
	VG_CMD+=(timeout -k 5 "$secs" "${VG[@]}" --log-file="$T_TMP/vg/$name.%p" "$SOCKTAP" "$@")
	VG_SECS[$name]=$secs
	VG_T0[$name]=$SECONDS
}
declare -A VG_SECS VG_T0
# vg NAME SECS NS ARGS...: runs it to its end; stdout in $T_TMP/NAME.out,
# stderr in NAME.err, the status in VG_RC
vg() {
	local name=$1
	vg_cmd "$@"
	"${VG_CMD[@]}" >"$T_TMP/$name.out" 2>"$T_TMP/$name.err"
	VG_RC=$?
}
# vg_bg NAME SECS NS ARGS...: in the background; VG_PID is timeout's pid
# (wait for it), VG_CHILD the process valgrind runs socktap in (signal it)
vg_bg() {
	local name=$1 i
	vg_cmd "$@"
	bg "${VG_CMD[@]}" >"$T_TMP/$name.out" 2>"$T_TMP/$name.err"
	VG_PID=$BG_PID
	VG_CHILD=
	for ((i = 0; i < 100; i++)); do
		VG_CHILD=$(pgrep -P "$VG_PID" | head -n 1)
		[ -n "$VG_CHILD" ] && break
		sleep 0.05
	done
	# killed on exit too: timeout's child is in a process group of its own
	[ -n "$VG_CHILD" ] && T_PIDS+=("$VG_CHILD")
}
# vg_stop NAME SIGNAL: sends SIGNAL to the run NAME (vg_bg) and waits for it
vg_stop() {
	[ -n "$VG_CHILD" ] && kill "-$2" "$VG_CHILD" 2>/dev/null
	wait "$VG_PID"
	VG_RC=$?
}
# first_report LOG...: valgrind's first error or leak record (up to its
# blank line, 12 lines at most), on one line
first_report() {
	cat "$@" | sed -n 's/^==[0-9]*== //p' | awk '
		on && /^$/ { exit }
		!on && /^(Invalid|Conditional|Use of|Syscall param|Mismatched|Source and|Argument|Jump|Process terminating|[0-9,]+ (\([0-9,]+ direct, [0-9,]+ indirect\) )?bytes in [0-9,]+ blocks are definitely)/ { on = 1 }
		on && ++n <= 12' | paste -sd '|' | sed 's/|/ | /g' | cut -c 1-900
}
# vg_check NAME WANT: the run NAME exited WANT (VG_RC), not killed by its
# timeout; every process valgrind followed ended with a summary of 0
# errors and nothing definitely lost
vg_check() {
	local name=$1 want=$2 logs errs leaks sums
	echo "# $name: $((SECONDS - VG_T0[$name])) s"
	if [ "$VG_RC" -eq 124 ] || [ "$VG_RC" -eq 137 ]; then
		fail "$name-memcheck" "killed by its timeout (${VG_SECS[$name]} s): $(tail -c 200 "$T_TMP/$name.err" | tr '\n' ' ')"
		return
	fi
	logs=("$T_TMP/vg/$name".*)
	if [ ! -e "${logs[0]}" ]; then
		fail "$name-memcheck" "no valgrind log (exit $VG_RC): $(head -c 300 "$T_TMP/$name.err")"
		return
	fi
	sums=$(cat "${logs[@]}" | grep -c 'ERROR SUMMARY:')
	errs=$(cat "${logs[@]}" | sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' | tr -d , |
		awk '{ s += $1 } END { print s + 0 }')
	leaks=$(cat "${logs[@]}" | sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' | tr -d , |
		awk '{ s += $1 } END { print s + 0 }')
	if [ "$sums" -ne "${#logs[@]}" ]; then
		fail "$name-memcheck" "$((${#logs[@]} - sums)) of ${#logs[@]} processes ended without valgrind's summary: killed, or it ran another program (exit $VG_RC)"
	elif [ "$errs" -ne 0 ] || [ "$leaks" -ne 0 ] || [ "$VG_RC" -eq 99 ]; then
		fail "$name-memcheck" "$errs errors, $leaks bytes definitely lost (exit $VG_RC, logs $T_TMP/vg/$name.*): $(first_report "${logs[@]}")"
	else
		ok "$name-memcheck"
	fi
	check_eq "$name-exit" "$want" "$VG_RC"
}
# has CHECK REGEX RUN: a line of the run's stdout matches REGEX (grep -E)
has() {
	if grep -qE -- "$2" "$T_TMP/$3.out"; then
		ok "$1"
	else
		fail "$1" "no line matches '$2' in: $(head -c 400 "$T_TMP/$3.out" | cat -v | tr '\n' '|')"
	fi
}

# --- the sockets and the traffic ---------------------------------------------
netns_add c || skip "cannot create a network namespace"
C=$NS
netns_add s
S=$NS
veth_link "$C" "$S" || skip "cannot create a veth pair"
DEV=v$$a
C_INO=$(netns_inode "$C")
# the mix, in a namespace of its own: a never-answering 198.18.1.2 (on a
# dummy device, or a veth whose peer is nobody) for its SYN-SENT socket
B=23400
netns_add mix
M=$NS
if ! ip -n "$M" link add dummy0 type dummy 2>/dev/null; then
	ip -n "$M" link add dummy0 type veth peer name dummy0p || skip "no dummy or veth device"
	ip -n "$M" link set dummy0p up
fi
ip -n "$M" addr add 198.18.1.1/24 dev dummy0
ip -n "$M" link set dummy0 up
ip -n "$M" neigh replace 198.18.1.2 lladdr 02:00:00:00:00:02 dev dummy0 nud permanent 2>/dev/null
M_INO=$(netns_inode "$M")
mkdir -p "$T_TMP/unix"
bg ip netns exec "$M" "$TESTBIN/sockmix" --base-port $B --unix-dir "$T_TMP/unix" --timeout 400 \
	--comm 'mix evil' >"$T_TMP/mix" 2>"$T_TMP/mix.err"
if ! wait_for "$T_TMP/mix" '"event":"ready"' 20; then
	fail mix-ready "sockmix not ready: $(head -c 300 "$T_TMP/mix.err")"
	finish
fi
MIX=$(jq -r 'select(.event == "ready") | .pid' "$T_TMP/mix")
L=$((B + 1)) # 0.0.0.0:L, a listener of sockmix's main process ($MIX)
# a paced sender c -> s for the whole run: 200 kB/s, comm vg-send
flowgen_sink sink "$S" --listen 198.18.0.2 --comm vg-sink --timeout 400 || finish
flowgen_bg send "$C" send --connect 198.18.0.2 --port "$FG_PORT" --bytes 80000000 \
	--rate 200000 --comm vg-send --timeout 400
SEND=$FG_PID

# --- doctor: loads every program, its selftest makes a loopback connection;
# both runs go on beside the listings (valgrind uses one core per process).
# The selftest counts the transitions of its namespace: the JSON run, whose
# count is checked, has one of its own, so the other's connection (and
# anything else here) is not in it ---
netns_add vgdoc
DOCNS=$NS
vg_bg doctor 150 - doctor
DOC=$VG_PID
vg_bg doctor-json 150 "$DOCNS" doctor --json
DOCJ=$VG_PID

# --- the listings, in the mix's namespace (about a second each) ---------------
vg ss-tanp 60 "$M" ss -tanp
vg_check ss-tanp 0
has ss-tanp-listener "^LISTEN .* 0\.0\.0\.0:$L .*users:\(.*pid=$MIX," ss-tanp
vg ss-tuanpeimo 60 "$M" ss -tuanpeimo
vg_check ss-tuanpeimo 0
has ss-tuanpeimo-listener "^tcp +LISTEN .* 0\.0\.0\.0:$L .*users:\(.*pid=$MIX,.* ino:[0-9]+ " ss-tuanpeimo
# -m and -i: a continuation line per socket
has ss-tuanpeimo-info $'^\t skmem:\\(r[0-9]+,rb[0-9]+,.* mss:[0-9]+ ' ss-tuanpeimo
has ss-tuanpeimo-udp "^udp +UNCONN .*127\.0\.0\.1:$((B + 10)) " ss-tuanpeimo
vg ss-s 60 "$M" ss -s
vg_check ss-s 0
has ss-s-tcp '^TCP: +[0-9]+ \(estab [0-9]+, closed [0-9]+, orphaned [0-9]+, timewait [0-9]+\)' ss-s
vg ss-x 60 "$M" ss -x
vg_check ss-x 0
has ss-x-stream "^u_str +ESTAB .*$T_TMP/unix/stream.sock " ss-x
vg ss-all-netns 60 - ss --all-netns -tan
vg_check ss-all-netns 0
has ss-all-netns-mix "^$M_INO +LISTEN .* 0\.0\.0\.0:$L " ss-all-netns
vg ss-json 60 "$M" ss -tuanpeimo --json
vg_check ss-json 0
check_eq ss-json-listener "LISTEN $MIX" "$(jq -r ".[] | select(.proto == \"tcp\" and .lport == $L) |
	\"\(.state) \(.owners[0].pid)\"" "$T_TMP/ss-json.out" 2>&1 | head -n 1)"
vg netstat-tanp 60 "$M" netstat -tanp
vg_check netstat-tanp 0
has netstat-tanp-listener "^tcp .* 0\.0\.0\.0:$L +0\.0\.0\.0:\* +LISTEN +$MIX/" netstat-tanp
vg netstat-s 60 "$M" netstat -s
vg_check netstat-s 0
has netstat-s-tcp '^ +[0-9]+ active connection openings$' netstat-s
vg netstat-json 60 "$M" netstat -tanp --json
vg_check netstat-json 0
check_eq netstat-json-listener "LISTEN $MIX" "$(jq -r ".[] | select(.lport == $L) |
	\"\(.state) \(.owners[0].pid)\"" "$T_TMP/netstat-json.out" 2>&1 | head -n 1)"
vg lsof-i 60 "$M" lsof -i
vg_check lsof-i 0
has lsof-i-listener "^sockmix +$MIX .* TCP \*:$L \(LISTEN\)$" lsof-i
vg lsof-listen 60 "$M" lsof -i TCP -sTCP:LISTEN -n -P
vg_check lsof-listen 0
has lsof-listen-listener "^sockmix +$MIX .* TCP \*:$L \(LISTEN\)$" lsof-listen
check_eq lsof-listen-only "" "$(tail -n +2 "$T_TMP/lsof-listen.out" | grep -v '(LISTEN)$' | head -n 3)"
vg lsof-json 60 "$M" lsof -i --json
vg_check lsof-json 0
check_eq lsof-json-listener "sockmix LISTEN" "$(jq -r ".[] | select(.pid == $MIX and .lport == $L) |
	\"\(.comm) \(.state)\"" "$T_TMP/lsof-json.out" 2>&1 | head -n 1)"

wait "$DOC"
VG_RC=$?
vg_check doctor 0
has doctor-status '^status: ok' doctor
wait "$DOCJ"
VG_RC=$?
vg_check doctor-json 0
check_eq doctor-json-ok "true true 12" "$(jq -r '"\(.ok) \(.selftest.ok) \(.selftest.transitions)"' \
	"$T_TMP/doctor-json.out" 2>&1)"

# --- trace: TCP over IPv4 and IPv6 and a UDP exchange, then SIGINT -----------
vg_bg trace 150 - trace --json --netns "$C_INO"
if wait_for "$T_TMP/trace.err" '^socktap: tracing .* \(Ctrl-C to stop\)$' 120; then
	ntcp=0
	for addr in 198.18.0.2 2001:db8::2; do
		bg ip netns exec "$S" "$TRAFGEN" server --listen "$addr" --send 3000 --recv 20000 \
			>"$T_TMP/srv$ntcp" 2>&1
		sp=$BG_PID
		wait_for "$T_TMP/srv$ntcp" '"event":"listening"' 10
		ip netns exec "$C" "$TRAFGEN" client --connect "$addr" \
			--port "$(jq -r 'select(.event == "listening") | .lport' "$T_TMP/srv$ntcp")" \
			--send 20000 --recv 3000 >"$T_TMP/cli$ntcp" 2>&1
		check_eq "trace-tcp$ntcp-client" 0 $?
		wait "$sp"
		ntcp=$((ntcp + 1))
	done
	bg ip netns exec "$S" "$TRAFGEN" server -u --listen 198.18.0.2 --send 700 --recv 1500 \
		>"$T_TMP/usrv" 2>&1
	sp=$BG_PID
	wait_for "$T_TMP/usrv" '"event":"listening"' 10
	ip netns exec "$C" "$TRAFGEN" client -u --connect 198.18.0.2 \
		--port "$(jq -r 'select(.event == "listening") | .lport' "$T_TMP/usrv")" \
		--send 1500 --recv 700 >"$T_TMP/ucli" 2>&1
	check_eq trace-udp-client 0 $?
	wait "$sp"
	# the last closes may come a moment after the processes exit
	for ((i = 0; i < 100; i++)); do
		[ "$(jq -cR 'fromjson? | select(.type == "close" or .type == "udp_close")' \
			"$T_TMP/trace.out" 2>/dev/null | grep -c .)" -ge 3 ] && break
		sleep 0.1
	done
else
	fail trace-started "socktap trace did not attach: $(head -c 300 "$T_TMP/trace.err")"
fi
vg_stop trace INT
vg_check trace 0
check_eq trace-events "connect=2 close=2 udp_close=1" "$(jq -rs '
	[.[] | select(.comm == "trafgen")] as $e |
	"connect=\([$e[] | select(.type == "connect")] | length)" +
	" close=\([$e[] | select(.type == "close")] | length)" +
	" udp_close=\([$e[] | select(.type == "udp_close")] | length)"' "$T_TMP/trace.out" 2>&1)"
check_eq trace-stderr "" "$(grep -v '^socktap: tracing .* events (Ctrl-C to stop)$' "$T_TMP/trace.err" | head -c 300)"

# --- top: 3 text tables, then 2 JSON objects ----------------------------------
vg top 120 - top --batch --count 3 --interval 1
vg_check top 0
check_eq top-tables 3 "$(grep -c '^PID ' "$T_TMP/top.out")"
has top-sender "^$SEND +root +vg-send " top
vg top-json 120 - top --batch --json --count 2 --interval 1
vg_check top-json 0
check_eq top-json-sender "2 true" "$(jq -rs --argjson p "$SEND" '"\(length) " +
	"\([.[-1].processes[] | select(.pid == $p)] | first | .bytes_sent > 0)"' "$T_TMP/top-json.out" 2>&1)"

# --- nload: the interface's counters, then split by process ------------------
vg nload 60 "$C" nload --batch --count 3 --interval 0.5 "$DEV"
vg_check nload 0
check_eq nload-tables 3 "$(grep -cE "^$DEV +[0-9.]+ [kMG]?Bit/s" "$T_TMP/nload.out")"
vg nload-by-process 120 "$C" nload --batch --by-process --count 2 --interval 1 "$DEV"
vg_check nload-by-process 0
has nload-by-process-sender "^  vg-send/$SEND +[0-9.]+ [kMG]?Bit/s" nload-by-process

# --- export: two scrapes, then SIGTERM ----------------------------------------
P=19464
vg_bg export 150 "$C" export --listen "127.0.0.1:$P"
if wait_for "$T_TMP/export.err" "^socktap: serving metrics on http://127.0.0.1:$P/metrics" 120; then
	code1=$(ip netns exec "$C" curl -s --max-time 30 -o "$T_TMP/m1.out" -w '%{http_code}' "http://127.0.0.1:$P/metrics")
	sleep 1
	code2=$(ip netns exec "$C" curl -s --max-time 30 -o "$T_TMP/m2.out" -w '%{http_code}' \
		-H 'Accept: application/openmetrics-text; version=1.0.0' "http://127.0.0.1:$P/metrics")
	check_eq export-scrapes "200 200" "$code1 $code2"
	has export-sender '^socktap_process_sent_bytes_total\{[^}]*comm="vg-send"[^}]*\} [1-9]' m2
	check_eq export-om-eof "# EOF" "$(tail -n 1 "$T_TMP/m2.out")"
else
	fail export-started "socktap export did not serve: $(head -c 300 "$T_TMP/export.err")"
fi
vg_stop export TERM
vg_check export 0

echo "# t_valgrind: $(($(date +%s) - T0)) s"
[ -z "${T_KEEP:-}" ] || { mkdir -p "$T_KEEP" && cp -r "$T_TMP"/. "$T_KEEP"; }
finish
