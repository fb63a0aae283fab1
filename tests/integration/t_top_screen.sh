#!/usr/bin/env bash
# socktap top's screen, driven through tmux (a private server) at 80x24 and
# 200x50 while tests/flowgen moves known traffic between two namespaces.
#
# 80x24, `socktap top --cgroup CG -N`: the cgroup holds two processes, a
# sender paced at 1.25 MB/s (10 Mb/s) and a receiver getting 0.25 MB/s
# (their peers are outside it), so the rows are known: the process view
# (PID USER PROGRAM, a => sent and a <= received line per process, the
# 2s/10s/40s/peak/cum columns, the TX/RX/TOTAL footer, the status line),
# the sender first, its 2 s rate within 5% of the pace. Then each key and
# its effect: s and r put the sender, then the receiver, first; 1 2 3 name
# the sort; B shows bytes (the same rate); b adds the bar scale above the
# header; t goes through sent only, received only, one line, two lines; P
# freezes the rows and says PAUSED, P again moves on; h shows the key list;
# Tab goes through remote hosts, cgroups (this cgroup's path), connections;
# n switches host names (a private /etc/hosts, bind-mounted in a mount
# namespace of socktap's own, names the two addresses) to numbers and back;
# q ends socktap: the pane's shell goes on ("exit=0"), the alternate screen
# is left and the terminal's settings are what they were.
#
# 200x50, `socktap iftop -n -N -f 'dport = :P'`: iftop's look (bars on),
# the connection view with the cumulative column, the sender's connection
# as numbers with its process below, its rate, the filter in the status
# line; Tab to processes; q.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null || skip "tmux is not installed"
command -v unshare >/dev/null || skip "unshare is not installed"
FLOWGEN=$TESTBIN/flowgen
[ -x "$FLOWGEN" ] || { fail flowgen "$FLOWGEN missing (make tests)"; finish; }
"$SOCKTAP" top --help >/dev/null 2>&1 || skip "this socktap has no top command"

RATE=1250000 SLOW=250000
netns_add srv || skip "cannot create a network namespace"
srv=$NS
netns_add cli
cli=$NS
veth_link "$srv" "$cli" || skip "cannot create a veth pair"
cgroup_add top || skip "no cgroup v2 mount to create a cgroup in"
cg=$CG rel=${CG#"$CG_MNT"}

# the names DNS shows: a hosts file of socktap's own
printf '127.0.0.1 localhost\n198.18.0.1 fg-srv.test\n198.18.0.2 fg-cli.test\n' >"$T_TMP/hosts"

# The sender (in the cgroup) to sink A (outside it); the slow sender (outside)
# to the receiver (in it). Each joins its cgroup before it execs flowgen.
flowgen_sink sinka "$srv" --listen 198.18.0.1 --comm fg-sinka --timeout 300 || finish
pa=$FG_PORT
bg sh -c 'echo $$ >"$1/cgroup.procs" && exec ip netns exec "$2" "$3" sink --listen 198.18.0.1 --comm fg-recv --timeout 300' \
	sh "$cg" "$srv" "$FLOWGEN" >"$T_TMP/recv.out" 2>"$T_TMP/recv.err"
recv=$BG_PID
wait_for "$T_TMP/recv.out" listening 10 || { fail recv "$(cat "$T_TMP/recv.err")"; finish; }
pr=$(fgv recv listening port)
bg sh -c 'echo $$ >"$1/cgroup.procs" && exec ip netns exec "$2" "$3" send --connect 198.18.0.1 --port "$4" --rate "$5" --bytes $(($5 * 200)) --comm fg-send --timeout 300' \
	sh "$cg" "$cli" "$FLOWGEN" "$pa" $RATE >"$T_TMP/send.out" 2>"$T_TMP/send.err"
send=$BG_PID
flowgen_bg slow "$cli" send --connect 198.18.0.1 --port "$pr" --rate $SLOW --bytes $((SLOW * 200)) \
	--comm fg-slow --timeout 300
wait_for "$T_TMP/send.out" connected 10 && wait_for "$T_TMP/slow.out" connected 10 ||
	{ fail senders "$(cat "$T_TMP/send.err" "$T_TMP/slow.err")"; finish; }
lport=$(fgv send connected lport)

# --- tmux ---
TMUX_L=st$$
# the pane's shell: the terminal's settings before and after socktap, its
# exit status, then it stays so that the pane can be read
cat >"$T_TMP/run.sh" <<'EOF'
d=$1
shift
stty -g >"$d/before"
unshare -m sh -c 'mount --bind "$0" /etc/hosts && exec "$@"' "$d/hosts" "$@"
echo "exit=$?"
stty -g >"$d/after"
sleep 300
EOF
# session NAME W H ARGS...: socktap ARGS in a new W x H session; sets SPID
# (socktap's pid), once its screen is up (the alternate screen is on)
session() {
	local name=$1 w=$2 h=$3 i shell
	shift 3
	mkdir -p "$T_TMP/$name"
	cp "$T_TMP/hosts" "$T_TMP/$name/hosts"
	tm new-session -d -x "$w" -y "$h" -s "$name" sh "$T_TMP/run.sh" "$T_TMP/$name" "$SOCKTAP" "$@" ||
		return 1
	[ -n "${TMUX_SERVER:-}" ] || {
		TMUX_SERVER=$(tm display -p '#{pid}')
		T_PIDS+=("$TMUX_SERVER")
	}
	shell=$(tm display -p -t "$name" '#{pane_pid}')
	SPID=
	for ((i = 0; i < 100; i++)); do
		SPID=$(pgrep -P "$shell" | head -n 1)
		[ -n "$SPID" ] && [ "$(tm display -p -t "$name" '#{alternate_on}')" = 1 ] && break
		sleep 0.1
	done
	[ -n "$SPID" ] && T_PIDS+=("$SPID")
	[ "$(tm display -p -t "$name" '#{alternate_on}')" = 1 ]
}
# check_pane NAME CHECK REGEX [SECS]: the pane shows REGEX (in SECS)
check_pane() {
	if pane_wait "$1" "$3" "${4:-5}"; then ok "$2"; else
		fail "$2" "no line matches '$3'; the pane:"$'\n'"$(cap "$1")"
	fi
}
# check_no NAME CHECK REGEX [SECS]: the pane stops showing REGEX
check_no() {
	if pane_gone "$1" "$3" "${4:-5}"; then ok "$2"; else
		fail "$2" "a line still matches '$3'; the pane:"$'\n'"$(cap "$1")"
	fi
}
key() { tm send-keys -t "$1" "$2"; }
# line NAME N: line N (from 0) of the pane
line() { cap "$1" | sed -n "$(($2 + 1))p"; }
# rate_of TEXT: bytes per second of a figure as the screen prints it
rate_of() {
	awk -v t="$1" 'BEGIN {
		if (!match(t, /^[0-9.]+/)) { print -1; exit }
		v = substr(t, 1, RLENGTH); u = substr(t, RLENGTH + 1)
		m["b"] = 1 / 8; m["Kb"] = 1e3 / 8; m["Mb"] = 1e6 / 8; m["Gb"] = 1e9 / 8
		m["B"] = 1; m["KB"] = 1024; m["MB"] = 1048576; m["GB"] = 1073741824
		if (!(u in m)) { print -1; exit }
		print v * m[u] }'
}
# first_figure NAME PROG [SKIP]: the first figure after the arrow on PROG's
# line (SKIP 1: on the line after it, the row's <= line)
first_figure() {
	cap "$1" | awk -v p="$2" -v skip="${3:-0}" '
		$0 ~ " " p "( |$)" { found = NR }
		found && NR == found + skip { for (i = 1; i < NF; i++) if ($i == "=>" || $i == "<=" || $i == "<=>") { print $(i + 1); exit } }'
}
# check_rate NAME CHECK PROG WANT UNIT [SKIP]: PROG's 2 s figure (sent; with
# SKIP 1 received) is WANT B/s +-5%, printed in UNIT (b: bits, B: bytes)
check_rate() {
	local fig r
	fig=$(first_figure "$1" "$3" "${6:-0}")
	r=$(rate_of "$fig")
	if awk -v r="$r" -v w="$4" 'BEGIN { exit !(r > 0.95 * w && r < 1.05 * w) }' &&
		[[ $fig =~ ^[0-9.]+[KMG]?$5$ ]]; then
		ok "$2"
	else
		fail "$2" "the 2 s figure of $3 is '$fig' ($r B/s), want $4 B/s +-5% in ${5}s"
	fi
}
# first_row NAME: PROGRAM of the first row (process view)
first_row() { line "$1" "${2:-1}" | awk '{ print $3 }'; }

# ------------------------------------------------------------- 80x24 ----

session a 80 24 top -N --cgroup "$rel" || { fail a-start "socktap top did not open its screen: $(cap a)"; finish; }
top=$SPID
check_pane a a-header '^ +PID USER +PROGRAM +2s +10s +40s +peak +cum$'
# both rows, and the 2 s average over a whole 2 s of traffic
check_pane a a-sender-row "^ *$send root +fg-send +=> " 10
check_pane a a-receiver-row "^ *$recv root +fg-recv +=> " 10
# the 2 s average over a whole 2 s of traffic
sleep 3.5
check_eq a-header-line "PID USER PROGRAM 2s 10s 40s peak cum" "$(line a 0 | xargs)"
check_eq a-rows "fg-send fg-recv" "$(first_row a 1) $(first_row a 3)"
check_true a-sent-line grep -qE '^ +<= ' <(line a 2)
check_rate a a-rate-bits fg-send $RATE b
check_rate a a-recv-rate-bits fg-recv $SLOW b 1
check_eq a-row-count 4 "$(cap a | grep -cE ' (=>|<=) ')"
check_pane a a-footer '^TX: .*rates:'
check_eq a-footer-lines "TX: RX: TOTAL:" "$(cap a | sed -n '21,23p' | awk '{ printf "%s%s", (NR > 1 ? " " : ""), $1 }')"
check_true a-rule grep -q '──' <(line a 19)
check_true a-status grep -qE '^socktap: BPF .* processes 1-2/2, sort 2s, h help$' <(line a 23)
check_eq a-cgroup-only "2" "$(cap a | grep -cE '^ *[0-9]+ root ')"

# sort keys
key a s
check_pane a a-key-s 'processes 1-2/2, sort sent, h help$'
check_eq a-key-s-first fg-send "$(first_row a)"
key a r
check_pane a a-key-r 'sort received, h help$'
check_pane a a-key-r-first "^ *$recv root +fg-recv "
check_eq a-key-r-first-row fg-recv "$(first_row a)"
for k in 1 2 3; do
	key a $k
	check_pane a a-key-$k "sort $(sed -n "${k}p" <<<$'2s\n10s\n40s'), h help\$"
done
check_eq a-key-3-first fg-send "$(first_row a)"
key a 1

# bytes
key a B
sleep 1.2
check_rate a a-key-B fg-send $RATE B
key a B
sleep 1.2
check_rate a a-key-B-again fg-send $RATE b

# bars: the scale above the header
key a b
check_pane a a-key-b '^ +PID USER +PROGRAM' 5
check_eq a-key-b-header "PID USER PROGRAM 2s 10s 40s peak cum" "$(line a 2 | xargs)"
check_true a-key-b-scale grep -qE '[0-9]+[KM]?b( |$)' <(line a 0)
check_true a-key-b-rule grep -q '─' <(line a 1)
key a b
sleep 0.5
check_eq a-key-b-off "PID USER PROGRAM 2s 10s 40s peak cum" "$(line a 0 | xargs)"

# line modes
key a t
check_no a a-key-t-sent ' <= '
check_eq a-key-t-sent-rows "fg-send => fg-recv =>" "$(line a 1 | awk '{ print $3, $4 }') $(line a 2 | awk '{ print $3, $4 }')"
key a t
check_no a a-key-t-received ' => '
check_true a-key-t-received-rows grep -qE "^ *$recv root +fg-recv +<= " <(cap a)
key a t
check_pane a a-key-t-both " fg-send +<=> "
key a t
check_pane a a-key-t-two-lines '^ +<= '
check_pane a a-key-t-two-lines-sent ' fg-send +=> '

# pause: the rows hold still, then move on
key a P
check_pane a a-key-P 'sort 2s, PAUSED, h help$'
sleep 0.3
before=$(cap a | sed -n '2,5p')
sleep 2.5
check_eq a-key-P-frozen "$before" "$(cap a | sed -n '2,5p')"
key a P
check_no a a-key-P-off 'PAUSED'
sleep 1.5
check_true a-key-P-moves [ "$before" != "$(cap a | sed -n '2,5p')" ]

# help
key a h
check_pane a a-key-h 'socktap top: keys'
check_pane a a-key-h-lists 'Tab g +.*grouping'
key a h
check_no a a-key-h-off 'socktap top: keys'

# groupings
key a Tab
check_pane a a-tab-remote 'remote hosts 1-[0-9]+/[0-9]+, sort 2s'
check_eq a-tab-remote-header "REMOTE HOST" "$(line a 0 | awk '{ print $1, $2 }')"
check_pane a a-tab-remote-names '^fg-srv\.test +=> '
check_pane a a-tab-remote-names2 '^fg-cli\.test +=> '
key a Tab
check_pane a a-tab-cgroups 'cgroups 1-1/1, sort 2s'
check_eq a-tab-cgroups-header "CGROUP" "$(line a 0 | awk '{ print $1 }')"
check_pane a a-tab-cgroups-path "^(\\.\\.\\.)?[^ ]*${rel##*/} +=> "
key a Tab
check_pane a a-tab-connections 'connections 1-2/2, sort 2s'
check_eq a-tab-connections-header "local remote" "$(line a 0 | awk '{ print $1, $2 }')"
check_pane a a-conn-names "^fg-cli\\.test:$lport +=> +fg-srv\\.test:$pa "
check_pane a a-conn-process "^ $send/fg-send +<= "

# host names off and on again
key a n
check_pane a a-key-n "^198\\.18\\.0\\.2:$lport +=> +198\\.18\\.0\\.1:$pa "
check_no a a-key-n-no-names 'fg-srv\.test'
key a n
check_pane a a-key-n-again "^fg-cli\\.test:$lport +=> +fg-srv\\.test:$pa "
key a Tab
check_pane a a-tab-processes 'processes 1-2/2, sort 2s'

# q: socktap ends, the shell goes on, the terminal as it was
key a q
check_pane a a-key-q-exit '^exit=0$' 5
check_true a-key-q-gone sh -c "! kill -0 $top 2>/dev/null"
check_eq a-key-q-normal-screen 0 "$(tm display -p -t a '#{alternate_on}')"
check_eq a-key-q-stty "$(cat "$T_TMP/a/before")" "$(cat "$T_TMP/a/after" 2>/dev/null)"
check_eq a-key-q-stderr "" "$(cap a | grep -vE '^(exit=0|socktap: counting .*)?$' | head -c 300)"

# ------------------------------------------------------------ 200x50 ----

session b 200 50 iftop -n -N -f "dport = :$pa" || { fail b-start "socktap iftop did not open its screen: $(cap b)"; finish; }
ift=$SPID
check_pane b b-row "^198\\.18\\.0\\.2:$lport +=> +198\\.18\\.0\\.1:$pa +" 10
# iftop's look: bars on, the scale above the header
check_true b-header grep -qE '^local +remote +.* 2s +10s +40s +peak +cum$' <(line b 2)
check_true b-scale grep -q '─' <(line b 1)
check_pane b b-process "^ $send/fg-send +<= "
# the connection was open before socktap: its first interval must have
# left the 2 s window
sleep 4.5
fig=$(cap b | awk '/^198\.18\.0\.2:/ { print $4; exit }')
r=$(rate_of "$fig")
if awk -v r="$r" -v w=$RATE 'BEGIN { exit !(r > 0.95 * w && r < 1.05 * w) }'; then ok b-rate; else
	fail b-rate "the 2 s figure is '$fig' ($r B/s), want $RATE B/s +-5%"
fi
check_eq b-one-connection 1 "$(cap b | grep -cE ' => ')"
check_true b-status grep -qE "filter: dport = :$pa .*connections 1-1/1, sort 2s, h help\$" <(line b 49)
check_true b-footer grep -qE '^TOTAL:' <(line b 48)
key b Tab
check_pane b b-tab-processes 'processes 1-1/1, sort 2s'
check_true b-tab-header grep -qE '^ +PID USER +PROGRAM +2s +10s +40s +peak +cum$' <(line b 2)
check_eq b-tab-row "$send root fg-send =>" "$(line b 3 | awk '{ print $1, $2, $3, $4 }')"
key b q
check_pane b b-key-q-exit '^exit=0$' 5
check_true b-key-q-gone sh -c "! kill -0 $ift 2>/dev/null"
check_eq b-key-q-normal-screen 0 "$(tm display -p -t b '#{alternate_on}')"
check_eq b-key-q-stty "$(cat "$T_TMP/b/before")" "$(cat "$T_TMP/b/after" 2>/dev/null)"

tm kill-server 2>/dev/null
finish
