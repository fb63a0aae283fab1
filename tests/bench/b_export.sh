#!/usr/bin/env bash
# socktap export's cost at 10,000 TCP sockets held by 1,000 processes, with
# Debian's prometheus-node-exporter's scrape of the same host beside it for
# scale (not as a target).
#
# The farm: SOCKETS TCP sockets on 127.0.0.1 in a namespace of its own (two
# listeners, the rest established pairs, idle, SO_LINGER 0 so nothing is
# left in TIME-WAIT), spread over PROCS processes: a perl parent holding
# the listeners and PROCS - 1 children, each making its share of pairs
# (connect, accept) and then exec'ing sleep with them open. socktap export
# runs in the host's namespace on a free port of 127.0.0.1 (it lists every
# namespace's TCP sockets and walks every process's files, so the farm is
# all its to count); node_exporter with its default collectors runs there
# too (they read the host's summary counters: none lists sockets or
# processes, so the farm in its namespace costs it nothing).
#
# 1. Scrape latency and size: after 2 warm-up scrapes, SCRAPES sequential
#    scrapes of each (curl, time_total; the two alternate, GAP seconds
#    apart, so every socktap scrape finds its last render older than 1 s
#    and refreshes every source), median and max in ms, the body's bytes
#    (text format, no compression), and each one's process CPU per scrape
#    over that phase. Target: socktap's median under 50 ms. For the split
#    of a scrape's time, the note adds the CPU of one 5 s update (from the
#    idle window of part 2) and the TCP listing of every namespace alone
#    (socktap ss -tan --all-netns with SOCKTAP_TIMING=1: load and walk).
# 2. socktap's CPU as a share of one core over WINDOW seconds with a scrape
#    every INTERVAL seconds (node_exporter stopped), and over IDLE seconds
#    with no scrape at all (its 5 s updates and event drains alone), the
#    farm idle: its process CPU (utime + stime of /proc/PID/stat, dead
#    threads included: a scrape loads the listing's iterator on threads
#    that end) plus the run time of the BPF programs it holds (prog_id of
#    its /proc/PID/fdinfo; kernel.bpf_stats_enabled on during the windows,
#    set back after), its iterators left out of that sum as they run in
#    its read() and so are in its process CPU already. Target: under 1% of
#    a core at a 15 s interval. The notes give each program's run time and
#    the machine's busy CPU over the windows (others' load is noise here).
# The whole run takes about 2 minutes (EXPORT_* variables set the sizes).
# Nothing here is tuned to meet a target: the figures are printed as they
# come, with "met" or "NOT met".
. "$(dirname "$0")/lib.sh"
SOCKETS=${EXPORT_SOCKETS:-10000}
PROCS=${EXPORT_PROCS:-1000}
SCRAPES=${EXPORT_SCRAPES:-20}
GAP=${EXPORT_GAP:-1.2}
INTERVAL=${EXPORT_INTERVAL:-15}
WINDOW=${EXPORT_WINDOW:-60}
IDLE=${EXPORT_IDLE:-30}
NODE_EXPORTER=${NODE_EXPORTER:-/usr/bin/prometheus-node-exporter}
b_need b_export curl perl bpftool jq sleep
if ! "$SOCKTAP" export --help >/dev/null 2>&1; then
	b_result export "socktap export" "-" 0 "-" 0 0 "skipped: this socktap has no export command yet"
	exit 0
fi
HZ=$(getconf CLK_TCK)
old_stats=$(sysctl -n kernel.bpf_stats_enabled)
# the farm's sleepers outlive a killed parent: end every process of the
# namespace before it goes
# shellcheck disable=SC2154 # rc is the trap's own
trap 'rc=$?; sysctl -qw kernel.bpf_stats_enabled="$old_stats"; [ -n "${farmns:-}" ] && ip netns pids "$farmns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null; b_cleanup; exit $rc' EXIT
pct() { awk -v v="$1" 'BEGIN { printf "%.3f", v * 100 }'; }
fmt() { awk -v v="$1" -v d="${2:-1}" 'BEGIN { printf "%.*f", d, v }'; }
now() { date +%s.%N; }
# process CPU so far, all threads, those ended included, in seconds
pcpu() { awk -v hz="$HZ" '{ sub(/^.*\) /, ""); print ($12 + $13) / hz }' "/proc/$1/stat"; }
# prog_ids PID: the BPF programs the process holds, one ID a line
prog_ids() { cat /proc/"$1"/fdinfo/* 2>/dev/null | awk '$1 == "prog_id:" { print $2 }' | sort -u; }
# progs IDS: one line per program, "name run_time_ns run_cnt" (bpftool
# leaves out a counter that is 0)
progs() {
	bpftool prog show -j | jq -r --arg ids "$1" '($ids | split("\n") | map(select(. != "") | tonumber)) as $w |
		.[] | select(.id as $i | $w | index($i)) | "\(.name // "?") \(.run_time_ns // 0) \(.run_cnt // 0)"'
}
# busy CPU seconds of the whole machine so far (every CPU), for the notes:
# how loaded the machine was meanwhile
busy() { awk -v hz="$HZ" '$1 == "cpu" { print ($2 + $3 + $4 + $7 + $8 + $9) / hz; exit }' /proc/stat; }
# free_port: a TCP port nothing listens on in this namespace
free_port() {
	local p
	for ((p = 20000 + $$ % 20000; ; p++)); do
		[ -z "$(ss -Hltn "sport = :$p")" ] && { echo "$p"; return; }
	done
}
# scrape URL OUT: one GET, "seconds bytes" (curl's time_total, body size)
scrape() {
	curl -sS --max-time 20 -o "$2" -w '%{time_total} %{size_download}\n' "$1" ||
		{ echo "b_export: scrape of $1 failed" >&2; exit 1; }
}
# sleep_until T: until the wall clock reaches T (seconds.nanoseconds)
sleep_until() {
	local d
	d=$(awk -v t="$1" -v n="$(now)" 'BEGIN { d = t - n; print (d > 0 ? d : 0) }')
	sleep "$d"
}

# ------------------------------------------------------------- the farm ----

b_netns farm || exit 1
farmns=$NS
cat >"$B_TMP/farm.pl" <<'EOF'
# farm.pl SOCKETS PROCS SECS
use strict; use warnings;
use Socket qw(PF_INET SOCK_STREAM SOL_SOCKET SO_LINGER pack_sockaddr_in inet_aton);
use POSIX ();
my ($n, $procs, $secs) = @ARGV;
$^F = 1 << 30; # descriptors stay open across exec
my @ls;
for (1 .. 2) {
	socket(my $l, PF_INET, SOCK_STREAM, 0) or die "socket: $!\n";
	bind($l, pack_sockaddr_in(0, inet_aton("127.0.0.1"))) or die "bind: $!\n";
	listen($l, 4096) or die "listen: $!\n";
	push @ls, $l;
}
my $pairs = int(($n - 2) / 2);
my $kids = $procs - 1;
pipe(my $r, my $w) or die "pipe: $!\n";
my @kids;
for my $k (0 .. $kids - 1) {
	my $mine = int($pairs / $kids) + ($k < $pairs % $kids ? 1 : 0);
	my $pid = fork() // die "fork: $!\n";
	if (!$pid) {
		my @s;
		for my $i (1 .. $mine) {
			my $l = $ls[$i % 2];
			socket(my $c, PF_INET, SOCK_STREAM, 0) or die "socket: $!\n";
			connect($c, getsockname($l)) or die "connect: $!\n";
			accept(my $a, $l) or die "accept: $!\n";
			setsockopt($_, SOL_SOCKET, SO_LINGER, pack("ii", 1, 0)) for $c, $a;
			push @s, $c, $a;
		}
		syswrite($w, "x");
		POSIX::close(fileno $_) for @ls, $r, $w;
		exec("sleep", $secs) or POSIX::_exit(1);
	}
	push @kids, $pid;
}
close($w);
my $got = 0;
while ($got < $kids) {
	my $b = sysread($r, my $buf, 4096);
	if (!$b) { kill "KILL", @kids; die "a holder failed\n"; }
	$got += $b;
}
$SIG{TERM} = $SIG{INT} = sub { kill "KILL", @kids; exit 0 };
$| = 1;
print "ready\n";
sleep $secs;
kill "KILL", @kids;
EOF
b_start ip netns exec "$farmns" perl "$B_TMP/farm.pl" "$SOCKETS" "$PROCS" 900 >"$B_TMP/farm.out" 2>"$B_TMP/farm.err"
wait_for "$B_TMP/farm.out" '^ready' 120 ||
	{ echo "b_export: the farm did not start: $(head -c 300 "$B_TMP/farm.err")" >&2; exit 1; }
farm=$B_PID
nsock=$(ip netns exec "$farmns" ss -Htan | wc -l)
nproc_farm=$(ip netns pids "$farmns" | wc -l)
what="$nsock idle TCP sockets on loopback in a namespace ($((nsock - 2)) established, 2 listening), held by $nproc_farm processes"
echo "b_export: $what" >&2

# ------------------------------------------------------- the exporters ----

port=$(free_port)
b_start "$SOCKTAP" export --listen "127.0.0.1:$port" >/dev/null 2>"$B_TMP/st.err"
st=$B_PID
wait_for "$B_TMP/st.err" '^socktap: serving metrics on' 60 ||
	{ echo "b_export: socktap export did not start: $(head -c 300 "$B_TMP/st.err")" >&2; exit 1; }
ST_URL="http://127.0.0.1:$port/metrics"
NE_URL='' ne='' ne_why=''
if [ -x "$NODE_EXPORTER" ]; then
	neport=$(free_port)
	[ "$neport" = "$port" ] && neport=$((port + 1))
	b_start "$NODE_EXPORTER" --web.listen-address="127.0.0.1:$neport" >"$B_TMP/ne.log" 2>&1
	ne=$B_PID
	for ((i = 0; i < 100; i++)); do
		curl -sf -o /dev/null "http://127.0.0.1:$neport/metrics" && break
		kill -0 "$ne" 2>/dev/null || break
		sleep 0.1
	done
	if curl -sf -o /dev/null "http://127.0.0.1:$neport/metrics"; then
		NE_URL="http://127.0.0.1:$neport/metrics"
	else
		ne_why="it did not serve: $(grep -m1 -E 'level=(error|fatal)' "$B_TMP/ne.log" | head -c 200)"
		kill -KILL "$ne" 2>/dev/null
		ne=
	fi
else
	ne_why="$NODE_EXPORTER is not installed"
fi
[ -n "$ne_why" ] && echo "b_export: node_exporter skipped: $ne_why" >&2

# warm-up: two scrapes each, a refresh apart
for i in 1 2; do
	sleep "$GAP"
	scrape "$ST_URL" /dev/null >/dev/null
	[ -n "$NE_URL" ] && scrape "$NE_URL" /dev/null >/dev/null
done

# ------------------------------------------------------ 1. scrape latency ----

: >"$B_TMP/st.lat"
: >"$B_TMP/ne.lat"
lu0=$(busy)
lt0=$(now)
sc0=$(pcpu "$st")
[ -n "$ne" ] && nc0=$(pcpu "$ne")
for ((i = 0; i < SCRAPES; i++)); do
	sleep "$GAP"
	scrape "$ST_URL" "$B_TMP/st.body" >>"$B_TMP/st.lat"
	[ -n "$NE_URL" ] && scrape "$NE_URL" "$B_TMP/ne.body" >>"$B_TMP/ne.lat"
done
sc1=$(pcpu "$st")
[ -n "$ne" ] && nc1=$(pcpu "$ne")
lu1=$(busy)
lat_wall=$(awk -v a="$lt0" -v b="$(now)" 'BEGIN { print b - a }')
kill -0 "$st" 2>/dev/null || { echo "b_export: socktap export died" >&2; exit 1; }
# summary FILE: "median_ms max_ms median_bytes"
summary() {
	[ -s "$1" ] || { echo "0 0 0"; return; }
	echo "$(awk '{ print $1 * 1000 }' "$1" | b_median) $(awk '{ print $1 * 1000 }' "$1" | sort -g | tail -n 1) $(awk '{ print $2 }' "$1" | b_median)"
}
read -r st_med st_max st_bytes <<<"$(summary "$B_TMP/st.lat")"
st_min=$(awk '{ print $1 * 1000 }' "$B_TMP/st.lat" | sort -g | head -n 1)
st_cps=$(awk -v a="$sc0" -v b="$sc1" -v n="$SCRAPES" 'BEGIN { print (b - a) / n * 1000 }')
st_series=$(grep -vc '^#' "$B_TMP/st.body")
tcp_series=$(grep -c '^socktap_tcp_sockets{' "$B_TMP/st.body")
farm_counted=$(awk -v ns="$(netns_inode "$farmns")" '$1 ~ "^socktap_tcp_sockets\\{.*netns=\"" ns "\"" { s += $2 } END { print s + 0 }' "$B_TMP/st.body")
ne_note='' ne_med=0 ne_bytes=0 ne_cps=0
if [ -n "$NE_URL" ]; then
	read -r ne_med ne_max ne_bytes <<<"$(summary "$B_TMP/ne.lat")"
	ne_cps=$(awk -v a="$nc0" -v b="$nc1" -v n="$SCRAPES" 'BEGIN { print (b - a) / n * 1000 }')
	ne_failed=$(awk '/^node_scrape_collector_success/ && $2 == 0 { sub(/.*collector="/, ""); sub(/".*/, ""); print }' "$B_TMP/ne.body" | paste -sd, | sed 's/,/, /g')
	ne_note="; node_exporter (Debian's, default collectors; those reporting no success here: ${ne_failed:-none}): median $(fmt "$ne_med") ms, max $(fmt "$ne_max") ms, $ne_bytes bytes, $(grep -vc '^#' "$B_TMP/ne.body") samples, process CPU $(fmt "$ne_cps") ms per scrape"
	# (a Go program keeps SIGINT ignored when started so, as bash starts
	# a background job)
	kill -TERM "$ne" 2>/dev/null
	wait "$ne" 2>/dev/null
	ne=
else
	ne_note="; node_exporter not measured: $ne_why"
fi
echo "b_export: socktap scrape median $(fmt "$st_med") ms (min $(fmt "$st_min"), max $(fmt "$st_max")), $st_bytes bytes; node_exporter median $(fmt "$ne_med") ms, $ne_bytes bytes" >&2

# Where a scrape's time goes, roughly: a scrape is the 5 s update (every
# socket's bytes: the files of every process walked by an iterator) plus
# the TCP listing of every namespace, the interfaces and a render. The
# listing alone, as socktap ss does it (SOCKTAP_TIMING=1: the iterator's
# load and the walk of every namespace), median of 5 (by total)
for ((i = 0; i < 5; i++)); do
	SOCKTAP_TIMING=1 "$SOCKTAP" ss -tan --all-netns 2>&1 >/dev/null |
		awk '/timing load/ { print $4 + $6, $4, $6 }'
done | sort -g | sed -n 3p >"$B_TMP/listing"
read -r _ ls_load ls_iter <"$B_TMP/listing"

# ------------------------------------------------------------- 2. CPU ----

sysctl -qw kernel.bpf_stats_enabled=1
IDS=$(prog_ids "$st")
nprogs=$(printf '%s\n' "$IDS" | grep -c .)
# window NAME SECS EVERY: socktap's CPU over SECS seconds with a scrape
# every EVERY seconds from the start (none when 0): "proc_s bpf_s wall_s
# scrapes busy_s"; each program's run time and runs over it in
# $B_TMP/NAME.progs ("name ns runs")
window() {
	local name=$1 secs=$2 every=$3 c0 c1 t0 t1 u0 u1 n=0 k
	t0=$(now)
	u0=$(busy)
	c0=$(pcpu "$st")
	progs "$IDS" >"$B_TMP/$name.p0"
	if [ "$every" != 0 ]; then
		for ((k = 0; k * every < secs; k++)); do
			sleep_until "$(awk -v t="$t0" -v o="$((k * every))" 'BEGIN { printf "%.9f", t + o }')"
			scrape "$ST_URL" /dev/null >>"$B_TMP/win.lat"
			n=$((n + 1))
		done
	fi
	sleep_until "$(awk -v t="$t0" -v o="$secs" 'BEGIN { printf "%.9f", t + o }')"
	c1=$(pcpu "$st")
	progs "$IDS" >"$B_TMP/$name.p1"
	u1=$(busy)
	t1=$(now)
	kill -0 "$st" 2>/dev/null || { echo "b_export: socktap export died" >&2; exit 1; }
	# (programs by name: socktap's are unique)
	awk 'NR == FNR { t[$1] = $2; c[$1] = $3; next } { print $1, $2 - t[$1], $3 - c[$1] }' \
		"$B_TMP/$name.p0" "$B_TMP/$name.p1" >"$B_TMP/$name.progs"
	awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" -v n="$n" -v u0="$u0" -v u1="$u1" '
		$1 !~ /^stp_(iter_|seed_)/ { b += $2 }
		END { printf "%.6f %.6f %.6f %d %.3f\n", c1 - c0, b / 1e9, t1 - t0, n, u1 - u0 }' "$B_TMP/$name.progs"
}
# prog_split NAME: the programs that ran over window NAME, "name ms/runs", by
# run time
prog_split() {
	awk '$3 > 0 { printf "%s %.2f ms/%d%s\n", $1, $2 / 1e6, $3, $1 ~ /^stp_(iter_|seed_)/ ? " (iterator)" : "" }' "$B_TMP/$1.progs" |
		sort -t' ' -k2,2gr | paste -sd ';' | sed 's/;/, /g'
}
: >"$B_TMP/win.lat"
# idle first: the last scrape of the latency phase is over by then
read -r i_proc i_bpf i_wall _ i_busy <<<"$(window idle "$IDLE" 0)"
read -r w_proc w_bpf w_wall w_n w_busy <<<"$(window scraped "$WINDOW" "$INTERVAL")"
sysctl -qw kernel.bpf_stats_enabled="$old_stats"
if [ -z "${i_wall:-}" ] || [ -z "${w_wall:-}" ]; then echo "b_export: a CPU window failed" >&2; exit 1; fi
w_share=$(awk -v p="$w_proc" -v b="$w_bpf" -v w="$w_wall" 'BEGIN { print (p + b) / w }')
i_share=$(awk -v p="$i_proc" -v b="$i_bpf" -v w="$i_wall" 'BEGIN { print (p + b) / w }')
# CPU of one update: the idle window's, over the updates it held
upd_ms=$(awk -v p="$i_proc" -v b="$i_bpf" -v w="$i_wall" 'BEGIN { n = int(w / 5); print n ? (p + b) / n * 1000 : 0 }')
win_med=$(awk '{ print $1 * 1000 }' "$B_TMP/win.lat" | b_median)
rss=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$st/status")
hwm=$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$st/status")
b_stop "$st"
kill -TERM "$farm" 2>/dev/null
wait "$farm" 2>/dev/null

# --------------------------------------------------------------- results ----

case_="$SOCKETS sockets, $PROCS processes"
b_result export "$case_: scrape latency" "ms (median)" "$(fmt "$st_med" 2)" node_exporter "$(fmt "$ne_med" 2)" \
	"$(b_ratio "$st_med" "$ne_med")" \
	"$what; socktap export: median of $SCRAPES sequential scrapes (curl time_total, $GAP s apart so each refreshes; after 2 warm-up scrapes) $(fmt "$st_med") ms, min $(fmt "$st_min") ms, max $(fmt "$st_max") ms, process CPU $(fmt "$st_cps") ms per scrape (for the split: one 5 s update, alone in the idle window below, took $(fmt "$upd_ms") ms of CPU; the TCP listing of every namespace alone, socktap ss -tan --all-netns with SOCKTAP_TIMING=1, median of 5: load $(fmt "${ls_load:-0}") ms, walk $(fmt "${ls_iter:-0}") ms); the machine (all $(nproc) CPUs) busy $(fmt "$(awk -v a="$lu0" -v b="$lu1" 'BEGIN { print b - a }')") s over this $(fmt "$lat_wall") s phase; ratio: socktap's median over node_exporter's$ne_note; target socktap < 50 ms: $(b_met "$st_med" 50 "<")"
b_result export "$case_: scrape size" "bytes" "$st_bytes" node_exporter "$ne_bytes" "$(b_ratio "$st_bytes" "$ne_bytes")" \
	"text format 0.0.4, uncompressed (curl, no Accept-Encoding); socktap: $st_series samples, of which $tcp_series socktap_tcp_sockets series (the farm's namespace counted $farm_counted sockets)"
b_result export "$case_: CPU at a ${INTERVAL} s scrape interval" "% of one core" "$(pct "$w_share")" \
	"no scrapes" "$(pct "$i_share")" "$(b_ratio "$w_share" "$i_share")" \
	"socktap export's process CPU (utime + stime, all threads) plus its BPF programs' run time (kernel.bpf_stats_enabled; the $nprogs programs it holds, its iterators left out of the sum as they run in its read() and so are in its process CPU), the farm idle; ratio: with scrapes over without; with a scrape every $INTERVAL s ($w_n scrapes, median $(fmt "$win_med") ms) over $(fmt "$w_wall") s: process $(fmt "$w_proc" 3) s + BPF $(fmt "$w_bpf" 4) s (programs that ran, run time/runs: $(prog_split scraped)); with none (its 5 s updates alone) over $(fmt "$i_wall") s: process $(fmt "$i_proc" 3) s + BPF $(fmt "$i_bpf" 4) s ($(prog_split idle)); process CPU alone: $(pct "$(awk -v p="$w_proc" -v w="$w_wall" 'BEGIN { print p / w }')")% with scrapes, $(pct "$(awk -v p="$i_proc" -v w="$i_wall" 'BEGIN { print p / w }')")% without (the hooks on every send and receive, stp_sock_*, count whatever else runs on the machine meanwhile: the farm moves nothing); the machine (all $(nproc) CPUs) was busy $(fmt "$w_busy") s and $(fmt "$i_busy") s of those windows; RSS $rss MiB (peak $hwm MiB); target < 1% of a core at a 15 s interval: $(b_met "$(pct "$w_share")" 1 "<")"
