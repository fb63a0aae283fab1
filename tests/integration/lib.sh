# Shared by the integration tests (sourced). Each check prints "ok NAME" or
# "FAIL NAME: why"; every namespace and process a test creates is removed
# on exit, also when the test fails or is killed.
set -u
: "${SOCKTAP:?}" "${TRAFGEN:=$TESTBIN/trafgen}"
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

T_FAILED=0
T_NETNS=()
T_PIDS=()
T_CGROUPS=()
T_TMP=$(mktemp -d /tmp/socktap-test.XXXXXX)

t_cleanup() {
	local p ns
	for p in "${T_PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	for ns in "${T_NETNS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	# empty once their processes are gone
	for ns in "${T_CGROUPS[@]}"; do
		rmdir "$ns" 2>/dev/null
	done
	rm -rf "$T_TMP"
}
trap t_cleanup EXIT
trap 'exit 130' INT TERM

ok() { echo "ok $1"; }
fail() {
	echo "FAIL $1: $2"
	T_FAILED=1
}
# check NAME EXPECTED ACTUAL
check_eq() {
	if [ "$2" == "$3" ]; then ok "$1"; else fail "$1" "expected '$2', got '$3'"; fi
}
# check_true NAME COMMAND...: passes when the command succeeds
check_true() {
	local name=$1
	shift
	if "$@" >/dev/null; then ok "$name"; else fail "$name" "command failed: $*"; fi
}
finish() { exit $T_FAILED; }
skip() {
	echo "skip $*"
	exit 77
}

# netns_add NAME: a new namespace with lo up, removed on exit; its name is
# left in NS (not printed: a $(...) subshell would lose the cleanup record).
netns_add() {
	NS="st$$-$1"
	ip netns add "$NS" || return 1
	T_NETNS+=("$NS")
	ip -n "$NS" link set lo up
}

# cgroup_add NAME: a new cgroup v2 directory, removed on exit; its path in
# CG (not printed, as for netns_add), the cgroup2 mount in CG_MNT.
cgroup_add() {
	CG_MNT=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	[ -n "$CG_MNT" ] || return 1
	CG="$CG_MNT/st$$-$1"
	mkdir "$CG" || return 1
	T_CGROUPS+=("$CG")
}

# veth_link NS1 NS2: a veth pair between two namespaces with
# 198.18.0.1/24 + 2001:db8::1/64 in NS1 and 198.18.0.2/24 + 2001:db8::2/64 in NS2.
veth_link() {
	ip link add "v$$a" netns "$1" type veth peer name "v$$b" netns "$2" || return 1
	ip -n "$1" addr add 198.18.0.1/24 dev "v$$a"
	ip -n "$2" addr add 198.18.0.2/24 dev "v$$b"
	ip -n "$1" addr add 2001:db8::1/64 dev "v$$a" nodad
	ip -n "$2" addr add 2001:db8::2/64 dev "v$$b" nodad
	ip -n "$1" link set "v$$a" up
	ip -n "$2" link set "v$$b" up
}

# bg CMD...: runs CMD in the background, killed on exit; sets BG_PID.
bg() {
	"$@" &
	BG_PID=$!
	T_PIDS+=("$BG_PID")
}

# Waits (up to 2 s) until no socktap program is loaded: the kernel frees
# programs asynchronously after their last fd closes. Prints the count left.
socktap_progs_settled() {
	local i n
	for ((i = 0; i < 40; i++)); do
		n=$(socktap_progs)
		[ "$n" -eq 0 ] && break
		sleep 0.05
	done
	echo "$n"
}

# veth_net NS1 NS2 N: a veth pair between two namespaces, one of several a
# test may make (N in 1..254), with 198.18.N.1/24 + 2001:db8:N::1/64 in NS1
# and 198.18.N.2/24 + 2001:db8:N::2/64 in NS2.
veth_net() {
	local a="v$$n$3a" b="v$$n$3b"
	ip link add "$a" netns "$1" type veth peer name "$b" netns "$2" || return 1
	ip -n "$1" addr add "198.18.$3.1/24" dev "$a"
	ip -n "$2" addr add "198.18.$3.2/24" dev "$b"
	ip -n "$1" addr add "2001:db8:$3::1/64" dev "$a" nodad
	ip -n "$2" addr add "2001:db8:$3::2/64" dev "$b" nodad
	ip -n "$1" link set "$a" up
	ip -n "$2" link set "$b" up
}

# flowgen_sink TAG NETNS ARGS...: a tests/flowgen sink in NETNS, its output
# in $T_TMP/TAG.out and $T_TMP/TAG.err; waits until it listens. Sets
# FG_PID (the sink's own pid: ip netns exec execs it) and FG_PORT.
flowgen_sink() {
	local tag=$1 ns=$2
	shift 2
	bg ip netns exec "$ns" "$TESTBIN/flowgen" sink "$@" >"$T_TMP/$tag.out" 2>"$T_TMP/$tag.err"
	FG_PID=$BG_PID
	FG_PORT=
	if ! wait_for "$T_TMP/$tag.out" '"event":"listening"' 10; then
		fail "$tag-sink" "flowgen sink did not listen: $(head -c 200 "$T_TMP/$tag.err")"
		return 1
	fi
	FG_PORT=$(jq -r 'select(.event == "listening") | .port' "$T_TMP/$tag.out")
}

# flowgen_bg TAG NETNS MODE ARGS...: tests/flowgen MODE in NETNS in the
# background, output in $T_TMP/TAG.out and .err. Sets FG_PID.
flowgen_bg() {
	local tag=$1 ns=$2
	shift 2
	bg ip netns exec "$ns" "$TESTBIN/flowgen" "$@" >"$T_TMP/$tag.out" 2>"$T_TMP/$tag.err"
	FG_PID=$BG_PID
}

# fgv TAG EVENT KEY: KEY of the first EVENT line of flowgen output TAG
fgv() { jq -r "select(.event == \"$2\") | .$3" "$T_TMP/$1.out" 2>/dev/null | head -n 1; }

# The screens' tests drive socktap through tmux, on a server of their own
# (TMUX_L, default one per test run).
tm() { tmux -L "${TMUX_L:-st$$}" -f /dev/null "$@"; }
cap() { tm capture-pane -p -t "$1"; }
# pane_wait NAME REGEX [SECS]: until the pane has a line matching REGEX
pane_wait() {
	local i
	for ((i = 0; i < ${3:-10} * 10; i++)); do
		cap "$1" | grep -qE -- "$2" && return 0
		sleep 0.1
	done
	return 1
}
# pane_gone NAME REGEX [SECS]: until no line matches REGEX
pane_gone() {
	local i
	for ((i = 0; i < ${3:-10} * 10; i++)); do
		cap "$1" | grep -qE -- "$2" || return 0
		sleep 0.1
	done
	return 1
}
