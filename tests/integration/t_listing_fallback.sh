#!/usr/bin/env bash
# The listings' two sources give the same rows. On sockmix's known mix,
# every view (ss, netstat, lsof) reads its table once from the BPF
# iterators and once from the fallback kernels without them take
# (sock_diag and the /proc fd scan, forced with
# SOCKTAP_LISTING_SOURCE=netlink), and both are held against the real
# tool. doctor names the iterators as this kernel's path, -v names the
# fallback when it is taken, and a listing loads nothing that outlives it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ss_lib.sh"

# The iterators' path is tested here even on a kernel whose iter/tcp walk
# is unsafe (kbugs.h: it can free a connection another CPU is setting up;
# socktap then reads TCP from sock_diag): the mix's sockets sit still, and
# no connection is set up in this namespace while a listing walks it.
export SOCKTAP_TCP_ITER=1

mix_start f 24000 || skip "cannot start the socket mix"
ns=${MIX_NS[f]}

# both NAME TOOL ARGS...: socktap TOOL ARGS from each source and the real
# TOOL, rows normalised and sorted (ss_norm), all equal. The process with
# the hostile name is left out: lsof and netstat print its bytes in their
# own ways, socktap escapes them (t_lsof and t_netstat check that).
both() {
	local name=$1 tool=$2
	shift 2
	local real iter diag
	real=$(ip netns exec "$ns" "$tool" "$@" 2>/dev/null | ss_norm | grep -v evil | sort)
	iter=$(ip netns exec "$ns" "$SOCKTAP" "$tool" "$@" 2>"$T_TMP/iter.err" | ss_norm |
		grep -v evil | sort)
	diag=$(ip netns exec "$ns" env SOCKTAP_LISTING_SOURCE=netlink "$SOCKTAP" "$tool" "$@" \
		2>"$T_TMP/diag.err" | ss_norm | grep -v evil | sort)
	if [ -z "$real" ] || [ "$(wc -l <<<"$real")" -lt 2 ]; then
		fail "$name" "the real $tool listed nothing"
	elif [ "$iter" != "$real" ]; then
		fail "$name/iterators" "$(diff <(echo "$real") <(echo "$iter") | head -n 6 | tr '\n' '|')"
	elif [ "$diag" != "$real" ]; then
		fail "$name/fallback" "$(diff <(echo "$real") <(echo "$diag") | head -n 6 | tr '\n' '|')"
	else
		ok "$name"
	fi
}

both ss-tanp ss -tanp
both ss-uanp ss -uanp
both ss-xanp ss -xanp
both ss-tane ss -tane
both ss-tlnp-filter ss -tlnp 'sport >= :24000'
both ss-taneo ss -taneo
both ss-tanm ss -tanm
both netstat-tanp netstat -tanp
both netstat-uanp netstat -uanp
both netstat-xa netstat -xa
both lsof-nP-iTCP lsof -nP -iTCP
both lsof-nP-i6 lsof -nP -i6

# lsof reads the held sockets in one walk of the files (list_held); the
# socket tables and their owners give it the same rows where that walk is
# refused (forced here with SOCKTAP_LISTING_SOURCE=tables), and -v says so
for args in "-nP -i" "-nP -iUDP" "-nP -iTCP -sTCP:LISTEN" "-nP -i4TCP" "-nP -i6" "-n -i"; do
	# shellcheck disable=SC2086 # the words of args are the options
	held=$(ip netns exec "$ns" "$SOCKTAP" lsof $args | ss_norm | grep -v evil | sort)
	# shellcheck disable=SC2086
	tables=$(ip netns exec "$ns" env SOCKTAP_LISTING_SOURCE=tables "$SOCKTAP" lsof $args |
		ss_norm | grep -v evil | sort)
	check_true "held-vs-tables/$args/rows" test "$(wc -l <<<"$held")" -ge 3
	check_eq "held-vs-tables/$args" "$tables" "$held"
done
ip netns exec "$ns" "$SOCKTAP" -v lsof -nP -i >/dev/null 2>"$T_TMP/held.err"
check_eq held-not-said "" "$(cat "$T_TMP/held.err")"
ip netns exec "$ns" env SOCKTAP_LISTING_SOURCE=tables "$SOCKTAP" -v lsof -nP -i >/dev/null 2>"$T_TMP/tables.err"
check_true tables-said grep -qx "socktap: sockets from the socket tables, not one walk of the files: SOCKTAP_LISTING_SOURCE=tables" "$T_TMP/tables.err"

# the JSON of both sources: the same sockets with the same fields
j_iter=$(ip netns exec "$ns" "$SOCKTAP" ss -tanp --json | jq -S 'map(del(.timer)) | sort_by(.inode, .lport, .rport)')
j_diag=$(ip netns exec "$ns" env SOCKTAP_LISTING_SOURCE=netlink "$SOCKTAP" ss -tanp --json |
	jq -S 'map(del(.timer)) | sort_by(.inode, .lport, .rport)')
check_eq json-sources-agree "$j_iter" "$j_diag"
check_eq json-count "$(ip netns exec "$ns" ss -Htan | wc -l)" "$(jq length <<<"$j_iter")"

# without privilege the iterators cannot load: the rows come from sock_diag,
# as the unprivileged ss's do, and exit 0
unpriv() { ip netns exec "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
check_eq unprivileged-ss "$(unpriv ss -Htan | ss_norm | sort)" "$(unpriv "$SOCKTAP" ss -Htan | ss_norm | sort)"
unpriv "$SOCKTAP" -v netstat -tan >/dev/null 2>"$T_TMP/unpriv.err"
check_eq unprivileged-status 0 $?
check_true unprivileged-said grep -q "sockets from sock_diag and /proc: loading iter/tcp failed: Operation not permitted" "$T_TMP/unpriv.err"

# which source ran is said with -v, and doctor names the iterators here
ip netns exec "$ns" env SOCKTAP_LISTING_SOURCE=netlink "$SOCKTAP" -v ss -tan >/dev/null 2>"$T_TMP/v.err"
check_true fallback-said grep -q "sockets from sock_diag and /proc: SOCKTAP_LISTING_SOURCE=netlink" "$T_TMP/v.err"
"$SOCKTAP" doctor --json >"$T_TMP/doctor.json"
check_eq doctor-listing "list_tcp iter/tcp list_udp iter/udp list_unix iter/unix list_owners iter/task_file list_held iter/task_file" \
	"$(jq -r '[.hooks[] | select(.name | startswith("list_")) | "\(.name) \(.attach)"] | join(" ")' "$T_TMP/doctor.json")"

# where iter/tcp is refused (as on a kernel with that bug), TCP comes from
# sock_diag beside the other iterators: the same rows, said with -v, and
# doctor says why
ip netns exec "$ns" env SOCKTAP_TCP_ITER=0 "$SOCKTAP" -v ss -Htuan 2>"$T_TMP/k.err" | ss_norm | sort >"$T_TMP/k.out"
check_eq tcp-refused-rows "$(ip netns exec "$ns" ss -Htuan | ss_norm | sort)" "$(cat "$T_TMP/k.out")"
check_eq tcp-refused-said "socktap: TCP sockets from sock_diag: SOCKTAP_TCP_ITER=0" "$(cat "$T_TMP/k.err")"
SOCKTAP_TCP_ITER=0 "$SOCKTAP" doctor --json >"$T_TMP/doctor0.json"
check_eq tcp-refused-doctor "netlink/sock_diag SOCKTAP_TCP_ITER=0" \
	"$(jq -r '.hooks[] | select(.name == "list_tcp") | "\(.attach) \(.refused[0].detail)"' "$T_TMP/doctor0.json")"
# lsof's one walk of the files reads no socket table: nothing to say
ip netns exec "$ns" env SOCKTAP_TCP_ITER=0 "$SOCKTAP" -v lsof -nP -i >/dev/null 2>"$T_TMP/k.err"
check_eq tcp-refused-lsof-silent "" "$(cat "$T_TMP/k.err")"

# With TCP from sock_diag the files iterator loads while the table is
# dumped; a load the kernel refuses (here: root of a user namespace of its
# own, which has no CAP_BPF where programs are loaded) still ends on the
# fallback, said with -v, with every row. The namespace's TCP sockets as
# ss lists them without owners: /proc's fds of processes outside the user
# namespace are not this root's to read.
ip netns exec "$ns" env SOCKTAP_TCP_ITER=0 unshare -U -r "$SOCKTAP" -v ss -Htanp \
	>"$T_TMP/u.out" 2>"$T_TMP/u.err"
check_eq load-refused-status 0 $?
check_eq load-refused-said "socktap: sockets from sock_diag and /proc: loading iter/task_file failed: Operation not permitted" \
	"$(cat "$T_TMP/u.err")"
check_eq load-refused-rows "$(ip netns exec "$ns" ss -Htan | ss_norm | sort)" \
	"$(sed 's/ users:(.*$//' "$T_TMP/u.out" | ss_norm | sort)"

# a listing leaves no program behind
check_eq no-programs-left 0 "$(socktap_progs_settled)"
finish
