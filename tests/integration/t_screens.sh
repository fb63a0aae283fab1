#!/usr/bin/env bash
# The screens the README shows are socktap's own: top (nethogs's view) and
# nload with its split by process, captured in tmux over two paced senders
# ("backup" at 3 MB/s, "webapp" at 1 MB/s) in a cgroup and a namespace of
# the test's. Each README block (after its <!-- screen: NAME --> marker)
# must match a fresh capture line for line once numbers are masked (rates,
# totals, pids, times and the test's device names vary; the words, columns
# and rows must not), and nload's graph lines are left out. The senders'
# rows must be on the screens in the order of their rates.
# SCREENS_UPDATE=1 writes the fresh captures into the README instead.
. "$(dirname "$0")/lib.sh"

command -v tmux >/dev/null || skip "tmux is not installed"
README=$(cd "$(dirname "$0")/../.." && pwd)/README.md

netns_add a || skip "cannot create a network namespace"
a=$NS
netns_add b || skip "cannot create a network namespace"
b=$NS
veth_net "$a" "$b" 82 || skip "cannot create a veth pair"
dev=v$$n82a
ip netns exec "$a" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
ip netns exec "$b" sysctl -qw "net.ipv6.conf.v$$n82b.disable_ipv6=1"
cgroup_add screens || skip "no cgroup v2"
cg=$CG

# a sender in the cgroup: its shell joins it, then becomes the sender
sender() {
	local tag=$1 comm=$2 rate=$3
	flowgen_sink "sink-$tag" "$b" --listen 198.18.82.2 --timeout 120 || return 1
	bg sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$cg" \
		ip netns exec "$a" "$TESTBIN/flowgen" send --connect 198.18.82.2 --port "$FG_PORT" \
		--rate "$rate" --bytes $((rate * 100)) --comm "$comm" --timeout 120 \
		>"$T_TMP/$tag.out" 2>"$T_TMP/$tag.err"
	wait_for "$T_TMP/$tag.out" connected 10 || { fail "$tag-started" "$(cat "$T_TMP/$tag.err")"; return 1; }
}
sender backup backup 3000000 || finish
sender webapp webapp 1000000 || finish

TMUX_L=scr$$
trap 'tm kill-server 2>/dev/null; t_cleanup' EXIT

# capture NAME COLS ROWS SETTLE CMD...: the pane after SETTLE seconds
capture() {
	local name=$1 cols=$2 rows=$3 settle=$4
	shift 4
	tm new-session -d -s "$name" -x "$cols" -y "$rows" "$*"
	sleep "$settle"
	cap "$name" | sed -e 's/[[:space:]]*$//' >"$T_TMP/$name.txt"
	tm send-keys -t "$name" q
	pane_gone "$name" . 3 >/dev/null 2>&1
	tm kill-session -t "$name" 2>/dev/null
}

# under ip netns exec /sys is mounted anew: the cgroup by its path in the hierarchy
capture top 100 12 6 ip netns exec "$a" "$SOCKTAP" top --cgroup "/${cg##*/}" -d 1
capture nload 90 34 6 ip netns exec "$a" "$SOCKTAP" nload --by-process "$dev"

# what varies from run to run, masked; nload's graph lines left out
# numbers, and the prefixes of their units: a row's magnitude legitimately
# varies between runs (nload's remainder row: a few bytes of headers, or a
# few thousand)
mask() {
	grep -vE '^[ #.|]*$' | sed -E -e 's/[0-9][0-9.,:]*/#/g' -e 's/ [kKMGT]?(Bit\/s|Byte)/ \1/g' \
		-e 's/[[:space:]]+/ /g' -e 's/ $//'
}
# the fenced block after <!-- screen: NAME --> in the README
block() {
	awk -v m="<!-- screen: $1 -->" '
		$0 == m { seen = 1; next }
		seen && /^```/ { if (inside) exit; inside = 1; next }
		inside { print }' "$README"
}

for s in top nload; do
	check_true "$s-captured" test -s "$T_TMP/$s.txt"
	# drop the blank lines at the foot of the pane
	sed -i -e ':a' -e '/^\n*$/{$d;N;ba' -e '}' "$T_TMP/$s.txt"
done
# the senders, faster first
check_eq top-rows "backup webapp" \
	"$(grep -oE '^ *[0-9]+ +[^ ]+ +(backup|webapp)' "$T_TMP/top.txt" | awk '{ print $NF }' | xargs)"
check_eq nload-rows "backup webapp" \
	"$(grep -oE '^(backup|webapp)/' "$T_TMP/nload.txt" | tr -d / | xargs)"
check_true nload-split-title grep -q "Split by process since" "$T_TMP/nload.txt"

if [ "${SCREENS_UPDATE:-}" = 1 ]; then
	for s in top nload; do
		awk -v m="<!-- screen: $s -->" -v f="$T_TMP/$s.txt" '
			$0 == m { print; seen = 1; next }
			seen == 1 && /^```/ && !inside { print; while ((getline l < f) > 0) print l; inside = 1; next }
			inside && /^```/ { print; inside = 0; seen = 2; next }
			inside { next }
			{ print }' "$README" >"$T_TMP/README.new" && cp "$T_TMP/README.new" "$README"
	done
	echo "# README's screens rewritten from this run"
fi
for s in top nload; do
	check_true "$s-in-readme" test -n "$(block "$s")"
	check_eq "$s-readme-matches" "$(mask <"$T_TMP/$s.txt")" "$(block "$s" | mask)"
done
finish
