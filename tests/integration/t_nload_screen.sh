#!/usr/bin/env bash
# socktap nload's screen, driven through tmux (a private server): in a
# namespace with a veth carrying a paced 4 MB/s sender, the header names
# the device, its address and its place in the list; the graphs are drawn;
# Curr follows the sender within 10%; Right and Left switch devices; -m
# shows several devices' numbers; a small terminal is asked to grow; q ends
# socktap with status 0 and the terminal as it was. F2's options window
# shows nload's settings, refuses bad values, applies on Enter and cancels
# on Esc; F5 saves the settings in nload's format, a new start reads them,
# F6 reads the file again (a new refresh interval re-arms the timer).
# The split's pane: p shows the device's split by process (a paced
# sender's comm/pid row, its Outgoing within 15% of its rate, a comm with
# an escape sequence printed escaped), c by cgroup (the sender's cgroup by
# its path), the same key again or Esc hides it; --by-cgroup starts with
# it; a narrow colourless terminal and a short one still show it; -m
# refuses it with a status line; a new refresh interval starts it over; a
# split that cannot load (hooks missing, not root) is one status line and
# the screen goes on.
. "$(dirname "$0")/lib.sh"

command -v tmux >/dev/null || skip "tmux is not installed"
RATE=4000000

netns_add a || skip "cannot create a network namespace"
a=$NS
netns_add b || skip "cannot create a network namespace"
b=$NS
veth_net "$a" "$b" 5 || skip "cannot create a veth pair"
dev=v$$n5a
flowgen_sink sink "$b" --listen 198.18.5.2 --timeout 120 || finish
flowgen_bg send "$a" send --connect 198.18.5.2 --port "$FG_PORT" --rate $RATE \
	--bytes $((RATE * 100)) --timeout 120
wait_for "$T_TMP/send.out" connected 10 || { fail sender "$(cat "$T_TMP/send.err")"; finish; }

TMUX_L=sn$$
cat >"$T_TMP/run.sh" <<'EOF'
d=$1
shift
stty -g >"$d.before"
"$@"
echo "exit=$?"
stty -g >"$d.after"
sleep 300
EOF
# the settings file: the test's own, never the user's
CONF=$T_TMP/nload.conf
# session NAME W H ARGS...: socktap nload ARGS in namespace a, in a W x H
# pane (run through the command S_PRE when set)
S_PRE=()
session() {
	local name=$1 w=$2 h=$3 i
	shift 3
	tm new-session -d -x "$w" -y "$h" -s "$name" \
		sh "$T_TMP/run.sh" "$T_TMP/$name" env SOCKTAP_NLOAD_CONFIG="$CONF" \
		ip netns exec "$a" "${S_PRE[@]}" "$SOCKTAP" nload "$@" || return 1
	[ -n "${TMUX_SERVER:-}" ] || {
		TMUX_SERVER=$(tm display -p '#{pid}')
		T_PIDS+=("$TMUX_SERVER")
	}
	for ((i = 0; i < 100; i++)); do
		[ "$(tm display -p -t "$name" '#{alternate_on}')" = 1 ] && return 0
		sleep 0.1
	done
	return 1
}
# The number after "Curr:" of the first (incoming) or second (outgoing)
# Curr line, in bytes per second (the screen runs with -u K: kByte/s)
curr() { cap "$1" | grep -oE 'Curr: [0-9.]+ kByte/s' | sed -n "${2}p" | awk '{ print $2 * 1024 }'; }

# 1. one device at 80x24: header, graphs, numbers, Curr near the rate
session one 80 24 -u K -t 500 lo "$dev" || { fail one-started "$(cap one)"; finish; }
check_true one-header pane_wait one '^Device lo \[127\.0\.0\.1\] \(1/2\):$'
check_true one-rule pane_wait one '^={80}$'
tm send-keys -t one Right
check_true one-next pane_wait one "^Device $dev \\[198\\.18\\.5\\.1\\] \\(2/2\\):\$"
check_true one-titles pane_wait one '^Outgoing:'
# the sender's data leaves through dev: Outgoing's Curr, once a second of
# samples covers it, within 10% of the rate (headers add about 3%)
sleep 2.5
out=$(curr one 2)
check_true one-curr-out awk -v v="${out:-0}" -v r=$RATE 'BEGIN { exit !(v >= r * 0.95 && v <= r * 1.10) }'
[ -n "$out" ] || echo "# pane: $(cap one | tr '\n' '|')"
check_true one-graph-drawn sh -c "tm() { tmux -L sn$$ -f /dev/null \"\$@\"; }; tm capture-pane -p -t one | grep -qE '^ *#'"
for k in Avg Min Max Ttl; do
	check_true "one-$k" pane_wait one "$k: [0-9]+\\.[0-9]{2} k?Byte"
done
tm send-keys -t one Left
check_true one-prev pane_wait one '^Device lo \[127\.0\.0\.1\] \(1/2\):$'
tm send-keys -t one Tab
check_true one-tab pane_wait one "^Device $dev "
tm send-keys -t one q
check_true one-quit pane_wait one '^exit=0$'
check_eq one-terminal "$(cat "$T_TMP/one.before")" "$(cat "$T_TMP/one.after")"

# 2. -m: both devices' numbers on one page, no graphs
session many 100 30 -m -u K lo "$dev" || { fail many-started "$(cap many)"; finish; }
check_true many-first pane_wait many '^Device lo \[127\.0\.0\.1\] \(1/2\):$'
check_true many-second pane_wait many "^Device $dev \\[198\\.18\\.5\\.1\\] \\(2/2\\):\$"
check_eq many-curr-lines 4 "$(cap many | grep -oE 'Curr: ' | wc -l)"
tm send-keys -t many q
check_true many-quit pane_wait many '^exit=0$'

# 3. a terminal too small for a device is asked to grow, and still quits
session small 30 7 lo || { fail small-started "$(cap small)"; finish; }
check_true small-asks pane_wait small 'Please enlarge'
tm send-keys -t small q
check_true small-quit pane_wait small '^exit=0$'

# 4. F2: nload's options window over the screen, its settings and values
session opts 80 24 lo "$dev" || { fail opts-started "$(cap opts)"; finish; }
check_true opts-bits pane_wait opts 'Curr: [0-9.]+ [kMG]?Bit/s'
check_eq opts-no-kbyte 0 "$(cap opts | grep -cE 'Curr: [0-9.]+ kByte/s')"
tm send-keys -t opts F2
check_true opts-title pane_wait opts '\+- Options -+\+ *$'
i=0
for f in 'Average window \(s\): +300' 'Max Incoming deflection \(kBit/s\): +0' \
	'Max Outgoing deflection \(kBit/s\): +0' 'Unit for data numbers: +Human Readable \(Byte\)' \
	'Unit for traffic numbers: +Human Readable \(Bit\)' 'Refresh interval \(ms\): +500' \
	'Show multiple devices: +\[ \]' "Devices to show: +lo $dev"; do
	check_true "opts-field-$((++i))" pane_wait opts "\\| $f +\\|"
done
# bad values are refused with a message, the old value kept
tm send-keys -t opts a b c Down
check_true opts-refuse-number pane_wait opts '"abc" refused: seconds, 1 to 86400'
check_true opts-kept-number pane_wait opts 'Average window \(s\): +300 '
# a 60 s average window, data in kByte, then a bad unit letter
tm send-keys -t opts 6 0 Down Down Down K Down x Down
check_true opts-refuse-unit pane_wait opts '"x" refused: h H auto'
check_true opts-kept-unit pane_wait opts 'Unit for traffic numbers: +Human Readable \(Bit\) '
# traffic in kByte/s, then a refresh below 10 ms
tm send-keys -t opts K Down 5 Up
check_true opts-refuse-refresh pane_wait opts '"5" refused: milliseconds, 10 to 3600000'
check_true opts-kept-refresh pane_wait opts 'Refresh interval \(ms\): +500 '
# Enter applies and closes: both Curr lines in kByte/s, Ttl in kByte
tm send-keys -t opts Enter
check_true opts-closed pane_wait opts '^Outgoing:'
check_true opts-applied pane_wait opts 'Curr: [0-9.]+ kByte/s'
check_eq opts-rates-kbyte 2 "$(cap opts | grep -cE 'Curr: [0-9.]+ kByte/s')"
check_eq opts-totals-kbyte 2 "$(cap opts | grep -cE 'Ttl: [0-9.]+ kByte$')"
check_true opts-no-file-yet test ! -e "$CONF"
# Esc cancels: a unit typed and dropped
tm send-keys -t opts F2
check_true opts-reopened pane_wait opts 'Unit for traffic numbers: +kByte '
tm send-keys -t opts Down Down Down Down M
check_true opts-typed pane_wait opts 'Unit for traffic numbers: +M '
tm send-keys -t opts Escape
check_true opts-cancelled pane_wait opts '^Outgoing:'
check_eq opts-cancel-kept 2 "$(cap opts | grep -cE 'Curr: [0-9.]+ kByte/s')"
check_eq opts-cancel-no-mbyte 0 "$(cap opts | grep -c 'MByte/s')"
# F5 saves, in nload's ~/.nload format
tm send-keys -t opts F5
check_true opts-saved-msg pane_wait opts "^== Saved to $CONF ="
check_eq opts-file "Version=\"1\"
AverageWindow=\"60\"
BarMaxIn=\"0\"
BarMaxOut=\"0\"
DataFormat=\"kByte\"
Devices=\"lo $dev\"
MultipleDevices=\"[ ]\"
RefreshInterval=\"500\"
TrafficFormat=\"kByte\"" "$(cat "$CONF" 2>&1)"
check_eq opts-no-temp "$CONF" "$(echo "$CONF"*)"
tm send-keys -t opts q
check_true opts-quit pane_wait opts '^exit=0$'

# 5. a new start reads the file (DEV... over its Devices); F6 reads it again
# ttl_values NAME: how many Outgoing Ttl values are seen in 2.4 s
ttl_values() {
	local end=$((${EPOCHREALTIME/./} + 2400000))
	while [ "${EPOCHREALTIME/./}" -lt $end ]; do
		cap "$1" | grep -oE 'Ttl: [0-9.]+ kByte' | sed -n 2p
		sleep 0.1
	done | sort -u | wc -l
}
session conf 80 24 "$dev" || { fail conf-started "$(cap conf)"; finish; }
check_true conf-header pane_wait conf "^Device $dev .*\\(1/1\\):\$"
check_true conf-kbyte pane_wait conf 'Curr: [0-9.]+ kByte/s'
check_eq conf-no-bits 0 "$(cap conf | grep -cE 'Curr: [0-9.]+ [kMG]?Bit/s')"
tm send-keys -t conf F2
check_true conf-avg pane_wait conf 'Average window \(s\): +60 '
tm send-keys -t conf Escape
check_true conf-closed pane_wait conf '^Outgoing:'
# refreshed every 500 ms: the sender's total moves on every refresh
n=$(ttl_values conf)
check_true conf-ticks test "$n" -ge 4
sed -i -e 's/^TrafficFormat=.*/TrafficFormat="MByte"/' \
	-e 's/^RefreshInterval=.*/RefreshInterval="3000"/' "$CONF"
echo 'Colour="red"' >>"$CONF"
tm send-keys -t conf F6
check_true conf-reloaded pane_wait conf 'Curr: [0-9.]+ MByte/s'
# the file's Devices now, the device shown still shown
check_true conf-devices pane_wait conf "^Device $dev .*\\(2/2\\):\$"
check_true conf-reload-msg pane_wait conf 'nload\.conf:10: unknown setting "Colour"; ignored'
# every 3 s now: in 2.4 s the total moves once at most
n=$(ttl_values conf)
check_true conf-timer-rearmed test "$n" -le 2
# the averages started over with a fresh sample: Curr, once a second of
# samples (one at 3 s) covers the sender, follows it
sleep 3.2
out=$(cap conf | grep -oE 'Curr: [0-9.]+ MByte/s' | sed -n 2p | awk '{ print $2 * 1048576 }')
check_true conf-curr-out awk -v v="${out:-0}" -v r=$RATE 'BEGIN { exit !(v >= r * 0.95 && v <= r * 1.10) }'
[ -n "$out" ] || echo "# pane: $(cap conf | tr '\n' '|')"
tm send-keys -t conf q
check_true conf-quit pane_wait conf '^exit=0$'

# 6. a malformed line at start: one line on stderr, the rest read
session bad 160 24 lo || { fail bad-started "$(cap bad)"; finish; }
check_true bad-mbyte pane_wait bad 'Curr: [0-9.]+ MByte/s'
tm send-keys -t bad q
check_true bad-quit pane_wait bad '^exit=0$'
check_true bad-stderr pane_wait bad "^socktap: nload: $CONF:10: unknown setting \"Colour\"; ignored\$"

# 7. the split's pane: a paced sender in a cgroup of its own and a sender
# whose comm holds an escape sequence, over a veth of their own
CONF=$T_TMP/split.conf
RATE2=2000000
ESC_COMM=$'e\e[31mx'
veth_net "$a" "$b" 51 || skip "cannot create a veth pair"
dev2=v$$n51a
cgroup_add paced || skip "no cgroup v2 mount to create a cgroup in"
CGP=$CG CGP_REL=${CG#"$CG_MNT"}
flowgen_sink sink2 "$b" --listen 198.18.51.2 --timeout 200 || finish
PORT2=$FG_PORT
flowgen_sink sink3 "$b" --listen 198.18.51.2 --timeout 200 || finish
PORT3=$FG_PORT
# the sender moves itself into the cgroup, then becomes flowgen
bg sh -c 'echo $$ >"$1/cgroup.procs" && exec ip netns exec "$2" "$3" send --connect 198.18.51.2 \
	--port "$4" --rate "$5" --bytes $(($5 * 200)) --timeout 200 --comm fg-paced' sh "$CGP" "$a" \
	"$TESTBIN/flowgen" "$PORT2" $RATE2 \
	>"$T_TMP/paced.out" 2>"$T_TMP/paced.err"
PACED=$BG_PID
wait_for "$T_TMP/paced.out" connected 10 || { fail paced "$(cat "$T_TMP/paced.err")"; finish; }
flowgen_bg esc "$a" send --connect 198.18.51.2 --port "$PORT3" --rate 50000 --bytes 10000000 \
	--timeout 200 --comm "$ESC_COMM"
ESC_PID=$FG_PID
wait_for "$T_TMP/esc.out" connected 10 || { fail esc-sender "$(cat "$T_TMP/esc.err")"; finish; }
check_eq split-pids "$PACED $ESC_PID" "$(fgv paced connected pid) $(fgv esc connected pid)"
# row NAME LABEL: the pane's row whose label is LABEL
row() { cap "$1" | awk -v l="$2" '$1 == l'; }
# row_out NAME LABEL: its Outgoing rate in bytes per second (-u K: kByte/s)
row_out() { row "$1" "$2" | awk '$5 == "kByte/s" { print $4 * 1024 }'; }
# rate_ok NAME LABEL: the median of 3 readings a refresh apart within
# -5%..+15% of RATE2 (the device counts the headers too)
rate_ok() {
	local i m v=()
	for i in 1 2 3; do
		v+=("$(row_out "$1" "$2")")
		sleep 1
	done
	m=$(printf '%s\n' "${v[@]}" | sort -n | sed -n 2p)
	awk -v m="${m:-0}" -v r=$RATE2 'BEGIN { exit !(m >= r * 0.95 && m <= r * 1.15) }' && return 0
	echo "# $2: Outgoing ${v[*]} for $RATE2" >&2
	return 1
}
TITLE_P='^-- Split by process since ([0-9]{2}:){2}[0-9]{2} \(p/Esc: hide, c: by cgroup\) -+$'
TITLE_C='^-- Split by cgroup since ([0-9]{2}:){2}[0-9]{2} \(c/Esc: hide, p: by process\) -+$'

session split 100 30 -u K -U K -t 1000 "$dev2" || { fail split-started "$(cap split)"; finish; }
check_true split-header pane_wait split "^Device $dev2 \\[198\\.18\\.51\\.1\\] \\(1/1\\):\$"
check_eq split-hidden-at-start 0 "$(cap split | grep -c 'Split by')"
tm send-keys -t split p
check_true split-p-title pane_wait split "$TITLE_P"
check_true split-p-heads pane_wait split '^Process +Incoming +Outgoing +In total +Out total$'
check_true split-p-row pane_wait split "^fg-paced/$PACED +[0-9.]+ kByte/s +[0-9.]+ kByte/s +[0-9.]+ kByte +[0-9.]+ kByte\$"
check_true split-p-remainder pane_wait split '^\(remainder\) +'
# the graphs stay above it
check_true split-p-graphs pane_wait split '^Outgoing:'
check_true split-p-curr test "$(cap split | grep -c 'Curr: ')" -eq 2
# the rates are over the last refresh: once one whole refresh is in
sleep 2.2
check_true split-p-rate rate_ok split "fg-paced/$PACED"
# when the split started counting, to see that p again does not start it over
since=$(cap split | grep -oE 'since ([0-9]{2}:){2}[0-9]{2}')
# the comm's escape sequence as text
check_true split-esc-row pane_wait split "^e\\\\x1b\\[31mx/$ESC_PID "
# the escape did not reach the terminal: nothing on the pane is red
check_eq split-esc-not-sent 0 "$(tm capture-pane -e -p -t split | grep -cE $'\e\\[([0-9]+;)*31m')"
# c: by cgroup, the paced sender's cgroup by its path, at its rate
tm send-keys -t split c
check_true split-c-title pane_wait split "$TITLE_C"
check_true split-c-heads pane_wait split '^Cgroup +Incoming +Outgoing +In total +Out total$'
check_true split-c-row pane_wait split "^$CGP_REL +[0-9.]+ kByte/s +[0-9.]+ kByte/s"
check_true split-c-rate rate_ok split "$CGP_REL"
check_eq split-c-no-process-rows 0 "$(cap split | grep -cE "^fg-paced/|^Process ")"
# c again hides it, p brings it back as it was (not loaded again), Esc hides it
tm send-keys -t split c
check_true split-c-hides pane_gone split 'Split by'
check_true split-c-graphs pane_wait split '^Outgoing:'
tm send-keys -t split p
check_true split-p-again pane_wait split "$TITLE_P"
check_eq split-same-since "$since" "$(cap split | grep -oE 'since ([0-9]{2}:){2}[0-9]{2}')"
# a new refresh interval starts the devices' totals over, and the split
# with them: a new start, the sender's row at its rate again
sleep 1.1
tm send-keys -t split F2
check_true split-opts pane_wait split 'Refresh interval \(ms\): +1000 '
tm send-keys -t split Down Down Down Down Down 5 0 0 Enter
check_true split-restarted pane_gone split "$since"
check_true split-restarted-title pane_wait split "$TITLE_P"
check_true split-restarted-row pane_wait split "^fg-paced/$PACED "
check_true split-restarted-rate rate_ok split "fg-paced/$PACED"
tm send-keys -t split Escape
check_true split-esc-hides pane_gone split 'Split by'
tm send-keys -t split q
check_true split-quit pane_wait split '^exit=0$'
check_eq split-terminal "$(cat "$T_TMP/split.before")" "$(cat "$T_TMP/split.after")"

# --by-cgroup: the pane from the start
session flag 100 30 -u K -t 1000 --by-cgroup "$dev2" || { fail flag-started "$(cap flag)"; finish; }
check_true flag-title pane_wait flag "$TITLE_C"
check_true flag-row pane_wait flag "^$CGP_REL +[0-9.]+ kByte/s"
tm send-keys -t flag q
check_true flag-quit pane_wait flag '^exit=0$'

# a narrow terminal without colours (xterm-mono): the label and both
# rates, the totals left out, the title cut at the edge
S_PRE=(env TERM=xterm-mono)
session narrow 50 20 -u K -t 1000 --by-process "$dev2" || { fail narrow-started "$(cap narrow)"; finish; }
S_PRE=()
check_true narrow-title pane_wait narrow '^-- Split by process since ([0-9]{2}:){2}[0-9]{2} \(p/Esc'
check_true narrow-heads pane_wait narrow '^Process +Incoming +Outgoing$'
check_true narrow-row pane_wait narrow "^fg-paced/$PACED +[0-9.]+ kByte/s +[0-9.]+ kByte/s\$"
tm send-keys -t narrow q
check_true narrow-quit pane_wait narrow '^exit=0$'
# a short one: the split instead of the graphs
session short 80 14 -u K -t 1000 --by-process "$dev2" || { fail short-started "$(cap short)"; finish; }
check_true short-title pane_wait short "$TITLE_P"
check_true short-row pane_wait short "^fg-paced/$PACED "
check_eq short-no-graphs 0 "$(cap short | grep -cE '^(Incoming|Outgoing):')"
tm send-keys -t short p
check_true short-graphs-back pane_wait short '^Incoming:'
tm send-keys -t short q
check_true short-quit pane_wait short '^exit=0$'

# -m: p says the split needs one device a screen
session multi 100 30 -m "$dev2" lo || { fail multi-started "$(cap multi)"; finish; }
check_true multi-first pane_wait multi "^Device $dev2 "
tm send-keys -t multi p
check_true multi-refused pane_wait multi '^== The split shows under one device: -m is on \(F2 to turn it off\) =+$'
check_eq multi-no-pane 0 "$(cap multi | grep -c 'Split by')"
tm send-keys -t multi q
check_true multi-quit pane_wait multi '^exit=0$'

# a kernel without the split's hooks (the ladder told to refuse them):
# --by-process is one status line, the screen goes on
S_PRE=(env "SOCKTAP_LADDER_SKIP=tp_btf/net_dev_start_xmit raw_tp/net_dev_start_xmit tracepoint/net/net_dev_start_xmit")
session nohook 100 30 --by-process "$dev2" || { fail nohook-started "$(cap nohook)"; finish; }
S_PRE=()
check_true nohook-status pane_wait nohook '^== No split: no way to attach the netdev_tx hook .+ =+$'
check_eq nohook-no-pane 0 "$(cap nohook | grep -c 'Split by')"
check_true nohook-runs pane_wait nohook '^Outgoing:'
tm send-keys -t nohook q
check_true nohook-quit pane_wait nohook '^exit=0$'

# not root: the split does not load, one status line, the screen goes on
S_PRE=(setpriv --reuid=65534 --regid=65534 --clear-groups env SOCKTAP_NLOAD_CONFIG=/nonexistent/nload.conf)
session noroot 100 30 "$dev2" || { fail noroot-started "$(cap noroot)"; finish; }
S_PRE=()
check_true noroot-header pane_wait noroot "^Device $dev2 "
tm send-keys -t noroot p
# (the line is clipped to the screen's width)
check_true noroot-status pane_wait noroot '^== No split: missing privilege: --by-process, --by-cgroup needs CAP_BPF, CAP_PERFMON.* =+$'
check_eq noroot-no-pane 0 "$(cap noroot | grep -c 'Split by')"
check_true noroot-runs pane_wait noroot '^Outgoing:'
tm send-keys -t noroot q
check_true noroot-quit pane_wait noroot '^exit=0$'
check_eq noroot-terminal "$(cat "$T_TMP/noroot.before")" "$(cat "$T_TMP/noroot.after")"
finish
