#!/usr/bin/env bash
# The attach ladder on stock Debian kernels, in QEMU (scripts/vmtest.sh).
# This machine's kernel refuses fentry and has no kprobes, so only the last
# rung shows here. Under Debian's 6.1, 6.12 and 7.x the connect hook must
# take the first rung, fentry/tcp_connect, the selftest must see its one
# connect, a listing must give the guest's own ss rows, and top must count
# TCP and UDP bytes exactly. Then each lower
# rung, on the same kernels: a small BPF-LSM program (built here, attached
# in the guest before socktap runs) refuses fentry/fexit
# loads with EPERM, as this machine's kernel does, and then kprobe loads too;
# the connect hook must step down to kprobe/tcp_connect, then to
# tp_btf/inet_sock_set_state, saying what was refused.
#
#   VMTEST_KERNELS  kernels to boot (default "6.1 6.12 7": bookworm's 6.1,
#                   bookworm-security's 6.12 and trixie-backports' current
#                   7.x, 7.3.4 when this was written; see scripts/vmtest.sh)
#   VMTEST_RUNGS    0: only the top rung (default 1: all three)
#   VMTEST_CACHE    kernel cache (see scripts/vmtest.sh)
# Skips (77) when no VM can run here. A kernel other than the first that
# cannot be fetched is reported as "skip vm-K: why" and fails nothing.
# Each kernel takes 2.5-4.5 minutes here (11 guest runs of 12-40 s under
# TCG), a kernel's first run 15-70 s more for its download; so the test
# asks tests/run.sh for more than the usual 600 s:
# run.sh: timeout 1200
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
: "${SOCKTAP:=$top/build/socktap}" "${TESTBIN:=$top/build/tests}"
. "$here/lib.sh"

VMTEST=$top/scripts/vmtest.sh
KERNELS=${VMTEST_KERNELS:-6.1 6.12 7}
RUNGS=${VMTEST_RUNGS:-1}
case "$SOCKTAP" in /*) ;; *) SOCKTAP=$PWD/$SOCKTAP ;; esac
[ -x "$SOCKTAP" ] || { fail setup "SOCKTAP=$SOCKTAP is not executable"; finish; }
command -v jq >/dev/null || { fail setup "jq is not installed"; finish; }

# Build the load-refusing LSM program (two variants) and its loader.
build_deny() {
	local d=$T_TMP/deny arch
	arch=$(uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
	mkdir -p "$d"
	local cflags=(-g -O2 -target bpf "-D__TARGET_ARCH_$arch" -I"$top/vmlinux/$arch" -c "$top/tests/vm/deny_load.bpf.c")
	# shellcheck disable=SC2046
	clang "${cflags[@]}" -o "$d/nofentry.o" &&
		clang "${cflags[@]}" -DDENY_KPROBE -o "$d/nokprobe.o" &&
		cc -O2 "$top/tests/vm/pin_link.c" -o "$d/load" $(pkg-config --cflags --libs libbpf 2>/dev/null || echo -lbpf)
}

# in_vm KERNEL OUT DENY CMD...: CMD in the VM, after attaching the DENY
# variant of the load-refusing program unless DENY is "-". Returns vmtest's
# status; stderr in OUT.err.
in_vm() {
	local k=$1 out=$2 deny=$3
	shift 3
	local cmd=("$@")
	# shellcheck disable=SC2016  # expanded by the guest's shell
	[ "$deny" != - ] && cmd=(sh -c '"$1" "$2" /sys/fs/bpf/deny_load && shift 2 && exec "$@"' \
		sh "$T_TMP/deny/load" "$T_TMP/deny/$deny.o" "$@")
	# a line on stderr once the guest runs the command: a failure without
	# it happened before anything of socktap ran
	# shellcheck disable=SC2016  # expanded by the guest's shell
	cmd=(sh -c 'echo "t_ladder_vm: the guest runs the command" >&2 && exec "$@"' sh "${cmd[@]}")
	"$VMTEST" --kernel "$k" --timeout 150 -- "${cmd[@]}" >"$out" 2>"$out.err"
	local rc=$?
	# QEMU's software emulation itself crashes now and then (SIGSEGV in
	# qemu, status 139, the guest never reporting): that says nothing of
	# the guest, so the run is made once more, and said so. So does a
	# guest kernel that panics while it boots, before the command runs
	# (seen with 6.12 under TCG: "Fatal exception in interrupt" at
	# sched_clock_cpu, in swapper, 2 s into the boot)
	if [ $rc = 125 ] && grep -q 'qemu status 139' "$out.err"; then
		echo "# $k: qemu crashed (status 139); running it once more"
		"$VMTEST" --kernel "$k" --timeout 150 -- "${cmd[@]}" >"$out" 2>"$out.err"
		rc=$?
	elif [ $rc = 125 ] && grep -q 'Kernel panic' "$out.err" &&
		! grep -q 't_ladder_vm: the guest runs the command' "$out.err"; then
		echo "# $k: the guest kernel panicked while booting, before the command ran; running it once more"
		grep -m 1 -E '^  \| .*(RIP|Kernel panic)' "$out.err" | sed 's/^/# /'
		"$VMTEST" --kernel "$k" --timeout 150 -- "${cmd[@]}" >"$out" 2>"$out.err"
		rc=$?
	fi
	return $rc
}
doctor() { in_vm "$1" "$2" "${3:--}" "$SOCKTAP" doctor --json; }

# vm_status NAME STATUS OUT: the guest's command exited 0; if not, the tail
# of what it and vmtest said (OUT.err: the console's tail on a guest failure)
vm_status() {
	check_eq "$1" 0 "$2"
	[ "$2" = 0 ] || tail -n 15 "$3.err" | sed 's/^/# /'
}

# in_vm_exact NAME KERNEL OUT DENY LOST_JQ CMD...: in_vm, made once more
# when the run's output says socktap lost something (LOST_JQ, run with -n,
# counts it). The kernel skips a program's run on a CPU where the same
# program is already running, and under a preemptible guest kernel that
# happens: a task preempted inside the UDP destroy hook made 7.x skip the
# next task's (2 runs in 40 here, under TCG). socktap reports it as lost
# hook runs, which the exact counts below cannot allow for; a second loss
# in a row fails them.
in_vm_exact() {
	local name=$1 k=$2 out=$3 deny=$4 lost=$5 rc n
	shift 5
	in_vm "$k" "$out" "$deny" "$@"
	rc=$?
	n=$(jq -n "$lost" "$out" 2>/dev/null)
	if [ $rc = 0 ] && [ "${n:-0}" != 0 ]; then
		echo "# $name: socktap reported $n lost (kernel-skipped hook runs or a full buffer); running it once more"
		in_vm "$k" "$out" "$deny" "$@"
		rc=$?
	fi
	return $rc
}

# trace_ok NAME KERNEL DENY DOCTOR_JSON: socktap trace in the VM sees one TCP
# and one UDP exchange exactly as it does here (tests/vm/trace_check.sh); where
# doctor found no path for UDP, trace says so and shows none. The accepts (of
# the TCP exchange, port 7001, and of a connection closed unread, 7003) name
# the server and say how its owner was seen, as the accept rung doctor chose
# can: at accept() on the probes and the syscall tracepoint; at the first
# send or receive (io), or at the close, on the late rung.
trace_ok() {
	local udp acc io_seen close_seen queue port seen
	udp=$(jq -r '.hooks[] | select(.name == "udp_bytes") | .attach' "$4")
	acc=$(jq -r '.hooks[] | select(.name == "accept") | .attach' "$4")
	case "$acc" in
	tp_btf/sock_send_length) io_seen=io close_seen=close queue="null number" ;;
	fexit/* | kretprobe/* | tracepoint/*) io_seen=accept close_seen=accept queue="number null" ;;
	*)
		fail "$1/trace-accept-rung" "doctor's accept hook took '$acc'"
		io_seen=unknown close_seen=unknown queue=unknown
		;;
	esac
	echo "# $1: accept on $acc"
	local tr=$T_TMP/${1//\//-}-trace.json
	in_vm_exact "$1" "$2" "$tr" "$3" '[inputs | select(.type == "lost") | .count] | add // 0' \
		"$top/tests/vm/trace_check.sh" "$SOCKTAP" "$TRAFGEN"
	vm_status "$1/trace-status" $? "$tr"
	# socktap's events (trafgen's own lines come wrapped as {"trafgen":...})
	t() { jq -r -s "map(select(.comm == \"trafgen\" and has(\"type\"))) | $1" "$tr" 2>/dev/null; }
	tcp='.proto == "tcp" and (.lport == 7001 or .rport == 7001)'
	check_eq "$1/trace-tcp-events" "accept close close connect listen" \
		"$(t "map(select($tcp) | .type) | sort | join(\" \")")"
	check_eq "$1/trace-tcp-bytes" "100000/1500 1500/100000" \
		"$(t "map(select($tcp and .type == \"close\") | \"\(.bytes_sent)/\(.bytes_received)\") | sort | join(\" \")")"
	for port in 7001 7003; do
		[ $port = 7001 ] && seen=$io_seen || seen=$close_seen
		check_eq "$1/trace-accept-$port" \
			"1: $(jq -r "select(.trafgen.event == \"done\" and .trafgen.lport == $port) | .trafgen.pid" "$tr" 2>/dev/null) trafgen $seen $queue" \
			"$(t "map(select(.type == \"accept\" and .lport == $port)) | \"\(length): \" + (map(\"\(.pid) \(.comm) \(.owner_seen) \(.queue_ns | type) \(.queue_max_ns | type)\") | join(\" \"))")"
	done
	check_eq "$1/trace-noio-events" "accept close close connect listen" \
		"$(t 'map(select(.proto == "tcp" and (.lport == 7003 or .rport == 7003)) | .type) | sort | join(" ")')"
	if [ "$udp" = none ]; then
		check_eq "$1/trace-udp-none" "" "$(t 'map(select(.proto == "udp") | .type) | join(" ")')"
		check_true "$1/trace-udp-warning" grep -q "UDP events left out: unavailable on this kernel" "$tr.err"
	else
		# the release backstop sits beside udp_close's rung (fentry and
		# kprobe runs can be skipped): one udp_close a socket all the same
		check_eq "$1/doctor-udp-release" "cgroup/sock_release" \
			"$(jq -r '.hooks[] | select(.name == "udp_release") | .attach' "$4")"
		check_eq "$1/trace-udp-bytes" "300/5000 5000/300" \
			"$(t 'map(select(.type == "udp_close") | "\(.bytes_sent)/\(.bytes_received)") | sort | join(" ")')"
	fi
}

# listing_ok NAME KERNEL: in the VM, socktap ss -tanp (the iterators' light
# skeletons, relocated by that kernel) and its sock_diag fallback give the
# rows the guest's own ss gives for a held connection (tests/vm/listing_check.sh).
listing_ok() {
	local out=$T_TMP/${1//\//-}-listing.txt
	in_vm "$2" "$out" - "$top/tests/vm/listing_check.sh" "$SOCKTAP" "$TRAFGEN"
	vm_status "$1/listing-status" $? "$out"
	sec() { awk -v s="== $1" '/^== / { on = ($0 == s); next } on' "$out"; }
	check_eq "$1/listing-rows" 3 "$(sec ss | wc -l)"
	check_eq "$1/listing-iter" "$(sec ss)" "$(sec socktap)"
	check_eq "$1/listing-fallback" "$(sec ss)" "$(sec fallback)"
	# lsof (a header, the listener and both ends) from the held sockets'
	# one walk (no word of a fallback with -v) and from the socket tables
	check_eq "$1/lsof-rows" 4 "$(sec lsof | wc -l)"
	check_eq "$1/lsof-held" "$(sec lsof)" "$(sec socktap-lsof)"
	check_eq "$1/lsof-held-source" "" "$(sec lsof-source)"
	check_eq "$1/lsof-tables" "$(sec lsof)" "$(sec socktap-lsof-tables)"
	sec refused | sed "s|^|# $1: refused: |"
	# doctor's word on the listing iterators is where ss's rows came from
	# (both load socktap's own programs)
	local want_doctor="list_tcp iter/tcp list_udp iter/udp list_unix iter/unix list_owners iter/task_file list_held iter/task_file"
	if [ "$(sec doctor | xargs)" = "$want_doctor" ]; then
		check_eq "$1/listing-source-as-doctor-says" iterators "$(sec source)"
		check_eq "$1/listing-full-builds-load" iterators "$(sec full-source)"
	else
		check_true "$1/listing-source-as-doctor-says" test "$(sec source)" != iterators
	fi
	# (7.x moved the TCP timers: a relocation to the old field made
	# 7.3.4 refuse stp_iter_tcp, and ss fell back without a word)
	check_eq "$1/listing-doctor" "$want_doctor" "$(sec doctor | xargs)"
}

# top_ok NAME KERNEL DENY DOCTOR_JSON: socktap top in the VM counts a TCP
# exchange held across refreshes, a short one and a UDP one exactly, per
# process (tests/vm/top_check.sh); where doctor found no path for UDP, top
# says so and counts TCP.
top_ok() {
	local udp want="100000/1500 1500/100000 700/7000 7000/700"
	udp=$(jq -r '.hooks[] | select(.name == "udp_bytes") | .attach' "$4")
	local out=$T_TMP/${1//\//-}-top.json
	in_vm_exact "$1" "$2" "$out" "$3" 'input | .lost | .events + .sockets + .runs' \
		"$top/tests/vm/top_check.sh" "$SOCKTAP" "$TRAFGEN"
	vm_status "$1/top-status" $? "$out"
	if [ "$udp" = none ]; then
		check_true "$1/top-udp-warning" grep -q "UDP left out: unavailable on this kernel" "$out.err"
	else
		want="$want 300/5000 5000/300"
	fi
	# the live counters: typed loads where the kernel has bpf_rdonly_cast
	# (6.2+), probe reads on 6.1
	local reads="with typed loads (bpf_rdonly_cast)" why="the best path works"
	if [ "$2" = 6.1 ]; then
		reads="with probe reads (no bpf_rdonly_cast: Linux before 6.2)"
		why="$why; it reads tcp_sock's counters $reads"
	fi
	check_eq "$1/top-tcp-reads" "socktap: live TCP counters read $reads" \
		"$(grep '^socktap: live TCP counters' "$out.err")"
	check_eq "$1/doctor-top-reads" "$why" \
		"$(jq -r '.hooks[] | select(.name == "top_bytes") | .reason' "$4")"
	check_eq "$1/top-bytes" "$(tr ' ' '\n' <<<"$want" | LC_ALL=C sort | xargs)" \
		"$(jq -r '[.processes[] | select(.comm == "trafgen") | "\(.bytes_sent)/\(.bytes_received)"] | sort | join(" ")' "$out" 2>/dev/null)"
}

# nload_ok NAME KERNEL DOCTOR_JSON: the split's hooks take their rungs, and
# socktap nload --by-process in the VM splits loopback's traffic of a TCP and
# a UDP exchange (tests/vm/nload_check.sh): the rows add up to lo's own
# counters, every packet lo sent went through the egress hook (no
# remainder), and trafgen's rows hold all the payload.
nload_ok() {
	local out=$T_TMP/${1//\//-}-nload.json
	check_eq "$1/netdev-hooks" "netdev_tx tp_btf/net_dev_start_xmit netdev_rx cgroup_skb/ingress sock_cookie cgroup/sock_create" \
		"$(jq -r '.hooks[] | select(.name | test("^(netdev_|sock_cookie)")) | "\(.name) \(.attach)"' "$3" | xargs)"
	in_vm "$2" "$out" - "$top/tests/vm/nload_check.sh" "$SOCKTAP" "$TRAFGEN"
	vm_status "$1/nload-status" $? "$out"
	n() { jq -r -s "$1" "$out" 2>/dev/null; }
	check_eq "$1/nload-sums" "$(n 'map(select(.type == "nload")) | .[0] | "\(.rx_bytes) \(.tx_bytes) \(.rx_packets) \(.tx_packets)"')" \
		"$(n 'map(select(.type == "nload_split")) | "\(map(.rx_bytes) | add) \(map(.tx_bytes) | add) \(map(.rx_packets) | add) \(map(.tx_packets) | add)"')"
	check_eq "$1/nload-remainder-tx" 0 "$(n 'map(select(.reason == "remainder")) | .[0].tx_bytes')"
	# 106,800 bytes of payload each way, plus their IP and TCP or UDP headers
	check_true "$1/nload-trafgen" test "$(n 'map(select(.comm == "trafgen")) | "\(map(.tx_bytes) | add) \(map(.rx_bytes) | add)"' |
		awk '{ print ($1 >= 106800 && $1 <= 112000 && $2 >= 106800 && $2 <= 112000) }')" = 1
}

# json_ok NAME OUT STATUS: exactly one JSON object came back (jq 1.6 -e
# accepts empty input, so slurp)
json_ok() {
	if [ "$(jq -s 'length == 1 and (.[0] | type == "object")' "$2" 2>/dev/null)" = true ]; then
		ok "$1/doctor-json"
		return 0
	fi
	fail "$1/doctor-json" "no JSON object from doctor (vmtest status $3): $(head -c 200 "$2" | tr '\n' ' ')"
	grep -v '^  |' "$2.err" | head -n 5 | sed 's/^/# /'
	grep '^  |' "$2.err" | tail -n 15 | sed 's/^/# /'
	return 1
}

conn='.hooks[] | select(.name == "connect")'
ran=0
first=1
built=
for k in $KERNELS; do
	n=vm-$k
	out=$T_TMP/$k.json
	start=$(date +%s%N)
	doctor "$k" "$out"
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	if [ "$rc" -eq 77 ]; then
		why=$(sed -n 's/^vmtest: cannot run here: //p' "$out.err" | head -n 1)
		[ "$first" = 1 ] && skip "${why:-scripts/vmtest.sh cannot run a VM here}"
		echo "skip $n: ${why:-not available here}"
		continue
	fi
	first=0
	ran=$((ran + 1))
	json_ok "$n" "$out" "$rc" || continue
	j() { jq -r "$1" "$out"; }
	echo "# $n: $(j .kernel.release), $((ms / 1000)).$((ms % 1000 / 100)) s"
	rel=$(j .kernel.release)	# the guest's kernel answered, not this machine's
	case "$rel" in "$k".*) ok "$n/kernel" ;; *) fail "$n/kernel" "release '$rel' is not $k.*" ;; esac
	check_eq "$n/ok" true "$(j .ok)"
	check_eq "$n/state-attach" tp_btf/inet_sock_set_state "$(j '.hooks[] | select(.name == "state") | .attach')"
	check_eq "$n/connect-attach" fentry/tcp_connect "$(j "$conn | .attach")"
	check_eq "$n/selftest" "true 1" "$(j '"\(.selftest.ok) \(.selftest.connects)"')"

	# trace on the top rungs (fentry/fexit): the same exact events as here
	trace_ok "$n" "$k" - "$out"
	top_ok "$n" "$k" - "$out"
	# the listings on that kernel's iterators, and their fallback
	listing_ok "$n" "$k"
	nload_ok "$n" "$k" "$out"

	[ "$RUNGS" = 0 ] && continue
	if [ -z "$built" ]; then
		if build_deny >"$T_TMP/build.log" 2>&1; then
			built=yes
		else
			built=no
			fail rungs-build "cannot build the load-refusing LSM program: $(head -c 300 "$T_TMP/build.log" | tr '\n' ' ')"
		fi
	fi
	[ "$built" = yes ] || continue

	# fentry refused: the kprobe rung
	out=$T_TMP/$k-nofentry.json
	doctor "$k" "$out" nofentry
	rc=$?
	if json_ok "$n/nofentry" "$out" "$rc"; then
		check_eq "$n/nofentry/ok" true "$(j .ok)"
		check_eq "$n/nofentry/connect-attach" kprobe/tcp_connect "$(j "$conn | .attach")"
		check_eq "$n/nofentry/connect-refused" "fentry/tcp_connect:EPERM" \
			"$(j "[$conn | .refused[] | \"\(.attach):\(.error)\"] | join(\" \")")"
		check_eq "$n/nofentry/selftest" "true 1" "$(j '"\(.selftest.ok) \(.selftest.connects)"')"
		trace_ok "$n/nofentry" "$k" nofentry "$out"
		top_ok "$n/nofentry" "$k" nofentry "$out"
	fi

	# fentry and kprobes refused: the tracepoint rung, as on this machine
	out=$T_TMP/$k-nokprobe.json
	doctor "$k" "$out" nokprobe
	rc=$?
	if json_ok "$n/nokprobe" "$out" "$rc"; then
		check_eq "$n/nokprobe/ok" true "$(j .ok)"
		check_eq "$n/nokprobe/connect-attach" tp_btf/inet_sock_set_state "$(j "$conn | .attach")"
		check_eq "$n/nokprobe/connect-refused" "fentry/tcp_connect:EPERM kprobe/tcp_connect:EPERM" \
			"$(j "[$conn | .refused[] | \"\(.attach):\(.error)\"] | join(\" \")")"
		check_eq "$n/nokprobe/selftest" "true 1" "$(j '"\(.selftest.ok) \(.selftest.connects)"')"
		trace_ok "$n/nokprobe" "$k" nokprobe "$out"
		top_ok "$n/nokprobe" "$k" nokprobe "$out"
	fi
done

[ "$ran" -gt 0 ] || skip "no kernel could be run"
finish
