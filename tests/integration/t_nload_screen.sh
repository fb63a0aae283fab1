#!/usr/bin/env bash
# socktap nload's screen, driven through tmux (a private server): in a
# namespace with a veth carrying a paced 4 MB/s sender, the header names
# the device, its address and its place in the list; the graphs are drawn;
# Curr follows the sender within 10%; Right and Left switch devices; -m
# shows several devices' numbers; a small terminal is asked to grow; q ends
# socktap with status 0 and the terminal as it was.
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
	--bytes $((RATE * 60)) --timeout 120
wait_for "$T_TMP/send.out" connected 10 || { fail sender "$(cat "$T_TMP/send.err")"; finish; }

tm() { tmux -L "sn$$" -f /dev/null "$@"; }
cat >"$T_TMP/run.sh" <<'EOF'
d=$1
shift
stty -g >"$d.before"
"$@"
echo "exit=$?"
stty -g >"$d.after"
sleep 300
EOF
# session NAME W H ARGS...: socktap nload ARGS in namespace a, in a W x H pane
session() {
	local name=$1 w=$2 h=$3 i
	shift 3
	tm new-session -d -x "$w" -y "$h" -s "$name" \
		sh "$T_TMP/run.sh" "$T_TMP/$name" ip netns exec "$a" "$SOCKTAP" nload "$@" || return 1
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
cap() { tm capture-pane -p -t "$1"; }
pane_wait() {
	local i
	for ((i = 0; i < ${3:-10} * 10; i++)); do
		cap "$1" | grep -qE -- "$2" && return 0
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
finish
