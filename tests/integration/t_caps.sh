#!/usr/bin/env bash
# Least privilege. socktap's one table of the capabilities each command
# needs (user/privilege.c; `socktap doctor --json` prints it as
# "privileges") is what this test runs by: every command, as uid 65534 with
# exactly the capabilities the table gives its mode (setpriv: effective,
# permitted, inheritable and ambient, nothing else), must
#   (a) succeed with complete output: a socket, row or value this test made,
#       held by root's processes (another uid) and, for the modes that walk
#       namespaces, in a namespace of its own that only such a process holds;
#   (b) with each capability of that set taken away in turn, exit 1 with one
#       line on stderr naming exactly that capability and nothing on stdout
#       (doctor: its complete JSON report, ok false, as without privilege);
# and (c) the README's table and the man pages say what the table says.
# So a command that needs more than its documented set fails (a), a
# documented capability the check does not ask for fails (b), and
# documentation that drifts from the code fails (c).
. "$(dirname "$0")/lib.sh"
: "${FLOWGEN:=$TESTBIN/flowgen}"
TOP=$(cd "$(dirname "$0")/../.." && pwd)

command -v setpriv >/dev/null || skip "no setpriv (util-linux)"
command -v nsenter >/dev/null || skip "no nsenter (util-linux)"
getent passwd 65534 >/dev/null || skip "no user 65534"
[ -x "$FLOWGEN" ] || skip "no $FLOWGEN (make tests)"
"$SOCKTAP" doctor --json >"$T_TMP/doctor.json" 2>"$T_TMP/doctor.err" ||
	skip "socktap cannot run here: $(head -c 200 "$T_TMP/doctor.err")"

# --- the table -----------------------------------------------------------------
declare -A CAPNUM=([CAP_DAC_READ_SEARCH]=2 [CAP_NET_ADMIN]=12 [CAP_SYS_PTRACE]=19
	[CAP_SYS_ADMIN]=21 [CAP_PERFMON]=38 [CAP_BPF]=39)
# rows: "command<TAB>when<TAB>caps" ("always" for no when, "none" for no caps)
jq -r '.privileges[] | [.command, (.when // "always"),
	(if (.capabilities | length) == 0 then "none" else (.capabilities | join(" ")) end)] | @tsv' \
	"$T_TMP/doctor.json" | LC_ALL=C sort >"$T_TMP/table"
check_true table-rows test "$(wc -l <"$T_TMP/table")" -ge 8
for c in doctor trace top nload export ss netstat lsof; do
	check_true "table-has-$c" grep -q "^$c	" "$T_TMP/table"
done

# needs CMD WHEN...: the set the table gives CMD in the modes WHEN (its
# "always" row too), as privilege.c reduces it: CAP_SYS_ADMIN stands in for
# CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN. Space-separated, sorted.
needs() {
	local cmd=$1 w
	shift
	for w in "$@"; do
		grep -qF "$cmd	$w	" "$T_TMP/table" || {
			fail "table-$cmd-$w" "no row for $cmd $w"
			return
		}
	done
	awk -F'\t' -v c="$cmd" -v ws="$(printf '%s\n' always "$@")" '
		BEGIN { n = split(ws, w, "\n"); for (i = 1; i <= n; i++) want[w[i]] = 1 }
		$1 == c && ($2 in want) && $3 != "none" { m = split($3, k, " "); for (i = 1; i <= m; i++) set[k[i]] = 1 }
		END {
			if ("CAP_SYS_ADMIN" in set) { delete set["CAP_BPF"]; delete set["CAP_PERFMON"]; delete set["CAP_NET_ADMIN"] }
			for (k2 in set) print k2
		}' "$T_TMP/table" | LC_ALL=C sort | paste -sd " "
}

# as "CAPS" CMD...: CMD as uid and gid 65534 with exactly CAPS (with
# AS_EXEC=1, in place of the shell: for `as ... &`, whose $! is then CMD's)
as() {
	local spec=-all c
	for c in $1; do spec+=",+$(tr 'A-Z' 'a-z' <<<"${c#CAP_}")"; done
	shift
	${AS_EXEC:+exec} setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps="$spec" \
		--ambient-caps="$spec" "$@"
}

# exact NAME "CAPS": the process `as` makes holds exactly CAPS, as 65534
exact() {
	local want=0 c got
	for c in $2; do want=$((want | (1 << CAPNUM[$c]))); done
	got=$(as "$2" awk '/^(Uid|CapEff):/ { printf "%s ", $2 }' /proc/self/status)
	check_eq "$1-exact-set" "65534 $(printf '%016x' "$want") " "$got"
}

# without "CAPS" CAP: CAPS less CAP
without() { tr ' ' '\n' <<<"$1" | grep -vx "$2" | paste -sd " "; }

# refused NAME CMD "CAPS" ARGS...: (b) for each capability of CAPS, socktap
# ARGS under CAPS less it: exit 1, one stderr line "socktap: CMD: missing
# privilege: ..." naming that capability and no other, and no stdout
refused() {
	local name=$1 cmd=$2 set=$3 c rc named
	shift 3
	for c in $set; do
		as "$(without "$set" "$c")" timeout 20 "$SOCKTAP" "$@" >"$T_TMP/r.out" 2>"$T_TMP/r.err"
		rc=$?
		named=$(sed 's/ (or CAP_SYS_ADMIN)//' "$T_TMP/r.err" | grep -oE 'CAP_[A-Z_]+' | sort -u | paste -sd " ")
		if [ $rc -ne 1 ]; then
			fail "$name-without-$c" "exit $rc, expected 1 ($(head -c 200 "$T_TMP/r.err"))"
		elif [ "$(wc -l <"$T_TMP/r.err")" -ne 1 ]; then
			fail "$name-without-$c" "stderr has $(wc -l <"$T_TMP/r.err") lines: $(head -c 300 "$T_TMP/r.err")"
		elif ! grep -qE "^socktap: $cmd: missing privilege: .*; run as root or grant it$" "$T_TMP/r.err" ||
			[ "$named" != "$c" ]; then
			fail "$name-without-$c" "stderr '$(cat "$T_TMP/r.err")' does not name $c alone"
		elif [ "$cmd" = doctor ]; then
			# doctor alone answers with its report, as it does without privilege
			check_eq "$name-without-$c" "false missing $c" \
				"$(jq -r '"\(.ok) \(.missing_privilege | sub(" \\(or CAP_SYS_ADMIN\\)"; ""))"' "$T_TMP/r.out")"
		elif [ -s "$T_TMP/r.out" ]; then
			fail "$name-without-$c" "stdout not empty: $(head -c 200 "$T_TMP/r.out")"
		else
			ok "$name-without-$c"
		fi
	done
}

# --- what the commands must find: root's processes, three namespaces --------
# the host's loopback: a sink listening and a sender streaming to it
bg "$FLOWGEN" sink --listen 127.0.0.1 --comm capsink --timeout 120 >"$T_TMP/sink.out" 2>&1
wait_for "$T_TMP/sink.out" '"event":"listening"' 10 || {
	fail sink "no listener: $(head -c 200 "$T_TMP/sink.out")"
	finish
}
SINK_PID=$(jq -r 'select(.event == "listening") | .pid' "$T_TMP/sink.out")
SINK_PORT=$(jq -r 'select(.event == "listening") | .port' "$T_TMP/sink.out")
bg "$FLOWGEN" send --connect 127.0.0.1 --port "$SINK_PORT" --bytes 1000000000 --rate 200000 \
	--comm capsend --timeout 120 >"$T_TMP/send.out" 2>&1
wait_for "$T_TMP/send.out" '"event":"connected"' 10 || fail sender "not connected"
SEND_PID=$(jq -r 'select(.event == "connected") | .pid' "$T_TMP/send.out")
# a named namespace with a listener
netns_add caps || skip "cannot create a network namespace"
NSN=$NS
NSN_INODE=$(netns_inode "$NSN")
bg ip netns exec "$NSN" "$FLOWGEN" sink --listen 127.0.0.1 --comm capnamed --timeout 120 \
	>"$T_TMP/named.out" 2>&1
wait_for "$T_TMP/named.out" '"event":"listening"' 10 || fail named-sink "no listener"
NPID=$(jq -r 'select(.event == "listening") | .pid' "$T_TMP/named.out")
NPORT=$(jq -r 'select(.event == "listening") | .port' "$T_TMP/named.out")
# a namespace with no name, that only a process of root holds (it goes
# with that process, which the cleanup kills)
bg unshare -n sh -c 'ip link set lo up && exec "$0" sink --listen 127.0.0.1 --comm capanon --count 100 --timeout 120' \
	"$FLOWGEN" >"$T_TMP/anon.out" 2>&1
wait_for "$T_TMP/anon.out" '"event":"listening"' 10 || fail anon-sink "no listener"
UPID=$(jq -r 'select(.event == "listening") | .pid' "$T_TMP/anon.out")
UPORT=$(jq -r 'select(.event == "listening") | .port' "$T_TMP/anon.out")
UNS=$(stat -L -c %i "/proc/$UPID/ns/net")
check_true anon-netns-is-own test "$UNS" != "$NSN_INODE" -a "$UNS" != "$(stat -L -c %i /proc/self/ns/net)"

# --- doctor ------------------------------------------------------------------
set_=$(needs doctor)
exact doctor "$set_"
as "$set_" "$SOCKTAP" doctor --json >"$T_TMP/d.out" 2>"$T_TMP/d.err"
check_eq doctor-status "0 " "$? $(cat "$T_TMP/d.err")"
check_eq doctor-ok "true true" "$(jq -r '"\(.ok) \(.selftest.ok)"' "$T_TMP/d.out")"
# every hook takes the path it takes for root: nothing refused for privilege
check_eq doctor-hooks-as-root "$(jq -c '[.hooks[] | "\(.name)=\(.attach)"]' "$T_TMP/doctor.json")" \
	"$(jq -c '[.hooks[] | "\(.name)=\(.attach)"]' "$T_TMP/d.out")"
refused doctor doctor "$set_" doctor --json

# --- trace: a connection made inside the namespace only root's process holds
set_=$(needs trace)
exact trace "$set_"
AS_EXEC=1 as "$set_" timeout -s INT 30 "$SOCKTAP" trace --json --netns "$UNS" >"$T_TMP/t.out" 2>"$T_TMP/t.err" &
tpid=$!
T_PIDS+=("$tpid")
if wait_for "$T_TMP/t.err" 'tracing' 15; then
	nsenter -t "$UPID" -n "$FLOWGEN" send --connect 127.0.0.1 --port "$UPORT" --bytes 1000 \
		--comm captrace --timeout 10 >"$T_TMP/tc.out" 2>&1
	cpid=$(jq -r 'select(.event == "connected") | .pid' "$T_TMP/tc.out")
	wait_for "$T_TMP/t.out" '"comm":"captrace"' 5
fi
kill -INT "$tpid" 2>/dev/null
wait "$tpid"
check_eq trace-status 0 $?
check_eq trace-stderr "socktap: tracing TCP and UDP events (Ctrl-C to stop)" "$(cat "$T_TMP/t.err")"
check_true trace-connect-seen test "$(jq -r --argjson p "${cpid:-0}" --argjson n "$UNS" \
	'select(.type == "connect" and .pid == $p and .netns == $n) | .comm' "$T_TMP/t.out")" = captrace
refused trace trace "$set_" trace --json --netns "$UNS"

# --- top: root's sender and its bytes; --exe its path ------------------------
set_=$(needs top)
exact top "$set_"
as "$set_" "$SOCKTAP" top --batch --json --interval 1 --count 2 >"$T_TMP/top.out" 2>"$T_TMP/top.err"
check_eq top-status 0 $?
check_eq top-stderr "socktap: counting TCP and UDP bytes (Ctrl-C to stop)" "$(cat "$T_TMP/top.err")"
check_eq top-sender "capsend 0 true" "$(tail -n 1 "$T_TMP/top.out" | jq -r --argjson p "$SEND_PID" \
	'.processes[] | select(.pid == $p) | "\(.comm) \(.uid) \(.bytes_sent > 0)"')"
refused top top "$set_" top --batch --json --interval 1 --count 1
set_=$(needs top --exe)
exact top-exe "$set_"
as "$set_" "$SOCKTAP" top --batch --json --exe --interval 0.5 --count 1 >"$T_TMP/top.out" 2>/dev/null
check_eq top-exe-path "$(readlink -f "$FLOWGEN")" "$(jq -r --argjson p "$SEND_PID" \
	'.processes[] | select(.pid == $p) | .exe' "$T_TMP/top.out")"
refused top-exe top "$set_" top --batch --json --exe --interval 1 --count 1

# --- nload: no capability at all; the split; every namespace ----------------
set_=$(needs nload)
check_eq nload-needs-nothing "" "$set_"
exact nload "$set_"
as "$set_" "$SOCKTAP" nload --batch --json --interval 0.5 --count 1 lo >"$T_TMP/n.out" 2>"$T_TMP/n.err"
check_eq nload-status "0 " "$? $(cat "$T_TMP/n.err")"
check_eq nload-lo "lo true" "$(jq -r '"\(.dev) \(.rx_bytes >= 0)"' "$T_TMP/n.out")"
set_=$(needs nload --by-process,\ --by-cgroup)
exact nload-split "$set_"
as "$set_" "$SOCKTAP" nload --batch --json --by-process --interval 1 --count 2 lo \
	>"$T_TMP/n.out" 2>"$T_TMP/n.err"
# (under load it may say it lost packets: nothing about privilege)
check_eq nload-split-status "0 " "$? $(grep -iE 'privilege|not permitted|CAP_' "$T_TMP/n.err")"
check_true nload-split-sender test "$(jq -r --argjson p "$SEND_PID" \
	'select(.type == "nload_split" and .pid == $p and .tx_bytes > 0) | .comm' "$T_TMP/n.out" | tail -n 1)" = capsend
refused nload-split nload "$set_" nload --batch --json --by-process --interval 1 --count 1 lo
set_=$(needs nload --all-netns)
exact nload-all-netns "$set_"
as "$set_" "$SOCKTAP" nload --batch --json --all-netns --interval 0.5 --count 1 >"$T_TMP/n.out" 2>"$T_TMP/n.err"
check_eq nload-all-netns-status "0 " "$? $(cat "$T_TMP/n.err")"
check_eq nload-all-netns-found "lo lo" "$(jq -r --argjson a "$UNS" --argjson b "$NSN_INODE" \
	'select(.netns == $a or .netns == $b) | .dev' "$T_TMP/n.out" | paste -sd " ")"
refused nload-all-netns nload "$set_" nload --batch --json --all-netns --interval 0.5 --count 1

# --- export: every namespace's sockets, root's bytes ------------------------
set_=$(needs export)
exact export "$set_"
port=
for ((i = 0; i < 20; i++)); do
	p=$((20000 + RANDOM % 20000))
	[ -z "$(ss -Htln "sport = :$p")" ] && port=$p && break
done
AS_EXEC=1 as "$set_" timeout -s INT 30 "$SOCKTAP" export --listen "127.0.0.1:$port" \
	>"$T_TMP/e.out" 2>"$T_TMP/e.err" &
epid=$!
T_PIDS+=("$epid")
scrape() {
	exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
	printf 'GET /metrics HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
	cat <&3
	exec 3<&-
}
# the sender's bytes count from export's start: a scrape or two later
if wait_for "$T_TMP/e.err" 'serving metrics' 20; then
	for ((i = 0; i < 40; i++)); do
		scrape >"$T_TMP/m.txt" 2>/dev/null
		grep -qE '^socktap_process_sent_bytes_total\{comm="capsend",proto="tcp"\} [1-9]' "$T_TMP/m.txt" && break
		sleep 0.5
	done
fi
kill -INT "$epid" 2>/dev/null
wait "$epid"
check_eq export-status 0 $?
check_eq export-stderr "socktap: serving metrics on http://127.0.0.1:$port/metrics (Ctrl-C to stop)" \
	"$(cat "$T_TMP/e.err")"
check_true export-200 grep -q '^HTTP/1.1 200' "$T_TMP/m.txt"
for n in "$UNS" "$NSN_INODE"; do
	check_true "export-listener-netns-$n" grep -qE "^socktap_tcp_sockets\\{state=\"LISTEN\",netns=\"$n\"\\} [1-9]" "$T_TMP/m.txt"
done
check_true export-sender-bytes grep -qE '^socktap_process_sent_bytes_total\{comm="capsend",proto="tcp"\} [1-9]' "$T_TMP/m.txt"
refused export export "$set_" export --listen "127.0.0.1:$port"

# --- the listings ------------------------------------------------------------
# listing NAME "CAPS" REGEX ARGS...: socktap ARGS under exactly CAPS: exit 0,
# nothing on stderr, a line of stdout matching REGEX
listing() {
	local name=$1 set=$2 re=$3
	shift 3
	exact "$name" "$set"
	as "$set" "$SOCKTAP" "$@" >"$T_TMP/l.out" 2>"$T_TMP/l.err"
	check_eq "$name-status" "0 " "$? $(head -c 200 "$T_TMP/l.err")"
	check_true "$name-row" grep -qE -- "$re" "$T_TMP/l.out"
}
sp=":$SINK_PORT"
listing ss-tan "$(needs ss)" "^LISTEN +0 +[0-9]+ +127\\.0\\.0\\.1$sp " ss -tan
check_eq ss-tan-needs-nothing "" "$(needs ss)"
set_=$(needs ss -p)
listing ss-tanp "$set_" "127\\.0\\.0\\.1$sp .*users:\\(\\(\"capsink\",pid=$SINK_PID," ss -tanp
refused ss-tanp ss "$set_" ss -tanp
set_=$(needs ss "-p (owners from /proc)")
SOCKTAP_LISTING_SOURCE=netlink listing ss-tanp-proc "$set_" \
	"127\\.0\\.0\\.1$sp .*users:\\(\\(\"capsink\",pid=$SINK_PID," ss -tanp
SOCKTAP_LISTING_SOURCE=netlink refused ss-tanp-proc ss "$set_" ss -tanp
set_=$(needs ss -p --all-netns)
listing ss-all-netns "$set_" "^$UNS +LISTEN .*127\\.0\\.0\\.1:$UPORT .*pid=$UPID," ss -tanp --all-netns
check_true ss-all-netns-named grep -qE "^$NSN_INODE +LISTEN .*127\\.0\\.0\\.1:$NPORT .*pid=$NPID," "$T_TMP/l.out"
refused ss-all-netns ss "$set_" ss -tanp --all-netns
set_=$(needs ss "-N NAME")
listing ss-N "$set_" "^LISTEN .*127\\.0\\.0\\.1:$NPORT " ss -tln -N "$NSN"
refused ss-N ss "$set_" ss -tln -N "$NSN"
set_=$(needs netstat "-p, --json")
listing netstat-tanp "$set_" "^tcp +0 +0 127\\.0\\.0\\.1$sp .* LISTEN +$SINK_PID/" netstat -tanp
refused netstat-tanp netstat "$set_" netstat -tanp
check_eq netstat-tan-needs-nothing "" "$(needs netstat)"
set_=$(needs lsof)
listing lsof-i "$set_" "^capsink +$SINK_PID +root .*TCP 127\\.0\\.0\\.1$sp \\(LISTEN\\)" lsof -nP -i
refused lsof-i lsof "$set_" lsof -nP -i

# --- (c) the documentation says what the table says -------------------------
# README.md, section Privileges: | `CMD` | WHEN | CAPS | why |
awk '/^## Privileges/ { on = 1; next } on && /^## / { on = 0 } on && /^\| `/' "$TOP/README.md" |
	awk -F' *\\| *' '{
		cmd = $2; when = $3; caps = $4
		gsub(/`/, "", cmd); gsub(/`/, "", when); gsub(/`/, "", caps); gsub(/, */, " ", caps)
		print cmd "\t" when "\t" caps
	}' | LC_ALL=C sort >"$T_TMP/readme"
check_eq readme-table "$(cat "$T_TMP/table")" "$(cat "$T_TMP/readme")"
# each page's PRIVILEGES section names, as rendered, every row of its
# command: its options and its capabilities, and no other capability
if command -v mandoc >/dev/null; then
	for c in $(cut -f1 "$T_TMP/table" | sort -u); do
		page="$TOP/man/socktap-$c.8"
		mandoc -T ascii "$page" | col -b |
			awk '/^PRIVILEGES/ { on = 1; next } on && /^[A-Z]/ { on = 0 } on' >"$T_TMP/sec"
		bad=
		while IFS=$'\t' read -r cmd when caps; do
			[ "$cmd" = "$c" ] || continue
			[ "$when" = always ] || grep -qF -- "$when" "$T_TMP/sec" || bad+=" [$when]"
			for k in $caps; do
				[ "$k" = none ] || grep -qw -- "$k" "$T_TMP/sec" || bad+=" $k"
			done
		done <"$T_TMP/table"
		# others only where the table's reasons name them
		jq -r --arg c "$c" '.privileges[] | select(.command == $c) |
			(.capabilities[], (.why | scan("CAP_[A-Z_]+")))' "$T_TMP/doctor.json" | sort -u >"$T_TMP/named"
		for k in $(grep -oE 'CAP_[A-Z_]+' "$T_TMP/sec" | sort -u); do
			[ "$k" = CAP_SYS_ADMIN ] || grep -qx "$k" "$T_TMP/named" || bad+=" extra:$k"
		done
		check_eq "man-$c" "" "$bad"
	done
else
	fail man "mandoc is not installed (make deps)"
fi
finish
