#!/usr/bin/env bash
# socktap export: a Prometheus endpoint that a real Prometheus scrapes.
# Everything runs in namespaces the test creates: socktap, a Prometheus
# server and every HTTP client in namespace m (its own loopback: no port
# clash), traffic from namespace a to a sink in namespace b over a veth
# (IPv6 off on it: nothing but the test's traffic crosses). Checks:
# 1. the format: promtool lints the text exposition clean; OpenMetrics when
#    asked (its Content-Type, "# EOF"); /healthz, 404, 405;
# 2. Prometheus (scraping every second) sees the traffic the test made:
#    the bytes of the process groups by comm, connects and accepts in the
#    namespaces they happened in, closes, histograms, the interfaces'
#    counters equal to the kernel's; every scrape succeeded;
# 3. no counter goes back across socket churn (two scrapes, and resets()
#    over the whole run);
# 4. --top 2 bounds the series, "(other)" carrying the rest, every byte
#    sent in some series; --group-by pid and cgroup label the series with
#    the pid and the cgroup's path, and with --top 20 and 7 groups,
#    "(other)" has nothing;
# 5. wrk, malformed and oversized requests, a slowloris: /metrics still
#    answers within 3 s, memory stays flat, socktap survives;
# 6. bad input: a port in use (exit 1, before loading anything), usage
#    errors (exit 2), one line each;
# 7. SIGTERM: exit 0 within 3 s while a slow client is connected.
. "$(dirname "$0")/lib.sh"

for t in prometheus promtool wrk curl jq; do
	command -v "$t" >/dev/null || skip "$t not installed (scripts/install-deps.sh)"
done
netns_add m || skip "cannot create a network namespace"
m=$NS
netns_add a || skip "cannot create a network namespace"
a=$NS
netns_add b || skip "cannot create a network namespace"
b=$NS
veth_net "$a" "$b" 71 || skip "cannot create a veth pair"
deva=v$$n71a
devb=v$$n71b
ip netns exec "$a" sysctl -qw "net.ipv6.conf.$deva.disable_ipv6=1"
ip netns exec "$b" sysctl -qw "net.ipv6.conf.$devb.disable_ipv6=1"
ns_a=$(netns_inode "$a")
ns_b=$(netns_inode "$b")

mx() { ip netns exec "$m" "$@"; }
# free_port FIRST: the first port from FIRST on that nothing listens on in m
free_port() {
	local p=$1
	while [ -n "$(mx ss -Htln "sport = :$p")" ]; do p=$((p + 1)); done
	echo "$p"
}
P=$(free_port 19464)
P2=$(free_port $((P + 1)))
P3=$(free_port $((P2 + 1)))
P4=$(free_port $((P3 + 1)))
PP=$(free_port $((20000 + RANDOM % 20000)))
URL=http://127.0.0.1:$P/metrics
# scrape FILE [URL]: the text exposition into FILE; prints the status
scrape() { mx curl -s --max-time 5 -o "$1" -w '%{http_code}' "${2:-$URL}"; }
# sval FILE SERIES: a series' value in a text scrape (the series as shown,
# labels included), or empty
sval() { awk -v s="$2" 'substr($0, 1, length(s) + 1) == s " " { print $NF }' "$1"; }
# sdiff A B: B - A, both possibly empty (0), as an integer
sdiff() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { printf "%.0f\n", b - a }'; }
# kstat NS DEV COUNTER: the kernel's counter of an interface
kstat() { ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3"; }
# export_start TAG PORT ARGS...: socktap export in m, waits until it serves;
# its pid in EX_PID
export_start() {
	local tag=$1 port=$2
	shift 2
	bg ip netns exec "$m" "$SOCKTAP" export --listen "127.0.0.1:$port" "$@" \
		>"$T_TMP/$tag.out" 2>"$T_TMP/$tag.err"
	EX_PID=$BG_PID
	if ! wait_for "$T_TMP/$tag.err" "^socktap: serving metrics on http://127.0.0.1:$port/metrics" 20; then
		fail "$tag-started" "$(head -c 300 "$T_TMP/$tag.err")"
		return 1
	fi
}
# stopped PID SECS: waits up to SECS for PID (a child) to exit; its status
# in ST ("running" if it did not; not printed: a $(...) cannot wait for it)
stopped() {
	local i
	ST=running
	for ((i = 0; i < $2 * 20; i++)); do
		if ! kill -0 "$1" 2>/dev/null; then
			wait "$1"
			ST=$?
			return
		fi
		sleep 0.05
	done
}

export_start ex "$P" || finish
ex=$EX_PID
check_true started-one-line test "$(grep -c . "$T_TMP/ex.err")" -eq 1

# 1. format
code=$(scrape "$T_TMP/f.prom")
check_eq fmt-status 200 "$code"
promtool check metrics <"$T_TMP/f.prom" >"$T_TMP/lint.out" 2>&1
check_eq fmt-promtool-exit 0 $?
check_eq fmt-promtool-clean "" "$(head -c 500 "$T_TMP/lint.out")"
check_eq fmt-text-type "text/plain; version=0.0.4; charset=utf-8" \
	"$(mx curl -s -o /dev/null -w '%{content_type}' "$URL")"
check_true fmt-build-info grep -qE '^socktap_build_info\{version="[^"]+",kernel="[^"]+"\} 1$' "$T_TMP/f.prom"
# every family this test relies on is there, with its type
for fam in "socktap_interface_receive_bytes_total counter" "socktap_interface_transmit_bytes_total counter" \
	"socktap_process_sent_bytes_total counter" "socktap_process_received_bytes_total counter" \
	"socktap_tcp_sockets gauge" "socktap_tcp_connects_total counter" "socktap_tcp_accepts_total counter" \
	"socktap_tcp_closes_total counter" "socktap_tcp_connect_failures_total counter" \
	"socktap_tcp_resets_total counter" "socktap_tcp_retransmits_total counter" \
	"socktap_tcp_connection_duration_seconds histogram" "socktap_tcp_connect_latency_seconds histogram" \
	"socktap_events_lost_total counter" "process_cpu_seconds_total counter" \
	"socktap_tcp_transitions_uncounted_total counter" "socktap_sockets_untracked_total counter" \
	"process_resident_memory_bytes gauge"; do
	check_true "fmt-family-${fam%% *}" grep -qx "# TYPE $fam" "$T_TMP/f.prom"
done
# every bounded kernel table's fill and size
for tbl in socks udp_socks state_counts; do
	check_true "fmt-map-$tbl" grep -qE "^socktap_map_max_entries\{map=\"$tbl\"\} [1-9][0-9]*$" "$T_TMP/f.prom"
	check_true "fmt-map-$tbl-entries" grep -qE "^socktap_map_entries\{map=\"$tbl\"\} [0-9]+$" "$T_TMP/f.prom"
done
# a histogram's bounds as written (shortest form), +Inf equal to _count
check_true fmt-le-shortest grep -q '^socktap_tcp_connection_duration_seconds_bucket{le="0.005"} ' "$T_TMP/f.prom"
check_eq fmt-inf-is-count "$(sval "$T_TMP/f.prom" socktap_tcp_connect_latency_seconds_count)" \
	"$(sval "$T_TMP/f.prom" 'socktap_tcp_connect_latency_seconds_bucket{le="+Inf"}')"
mx curl -s -D "$T_TMP/om.hdr" -o "$T_TMP/om.txt" \
	-H 'Accept: application/openmetrics-text; version=1.0.0' "$URL"
check_true fmt-om-type grep -qiE '^content-type: application/openmetrics-text; version=1\.0\.0' "$T_TMP/om.hdr"
check_eq fmt-om-eof "# EOF" "$(tail -n 1 "$T_TMP/om.txt")"
check_eq fmt-om-one-eof 1 "$(grep -c '^# EOF' "$T_TMP/om.txt")"
# OpenMetrics names a counter's family without _total, its samples with
check_true fmt-om-counter grep -qx '# TYPE socktap_tcp_closes counter' "$T_TMP/om.txt"
check_true fmt-om-total grep -qE '^socktap_tcp_closes_total [0-9]+$' "$T_TMP/om.txt"
check_eq fmt-healthz "200 ok" "$(mx curl -s -w '%{http_code} ' -o "$T_TMP/hz" "http://127.0.0.1:$P/healthz")$(cat "$T_TMP/hz")"
check_eq fmt-404 404 "$(mx curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P/nope")"
check_eq fmt-post-405 405 "$(mx curl -s -o /dev/null -w '%{http_code}' -X POST -d x=1 "$URL")"
check_eq fmt-head-200 200 "$(mx curl -s -o /dev/null -w '%{http_code}' -I "$URL")"

# 2. a real Prometheus, scraping socktap and itself every second
cat >"$T_TMP/prom.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: socktap
    static_configs:
      - targets: ['127.0.0.1:$P']
  - job_name: prometheus
    static_configs:
      - targets: ['127.0.0.1:$PP']
EOF
bg ip netns exec "$m" prometheus --config.file="$T_TMP/prom.yml" --storage.tsdb.path="$T_TMP/tsdb" \
	--web.listen-address="127.0.0.1:$PP" >"$T_TMP/prom.log" 2>&1
prom=$BG_PID
PAPI=http://127.0.0.1:$PP/api/v1
# pq QUERY [TIME]: the first result's value ("" if none)
pq() {
	mx curl -s --max-time 5 "$PAPI/query" --data-urlencode "query=$1" ${2:+--data-urlencode "time=$2"} |
		jq -r '.data.result[0].value[1] // empty'
}
# pqn QUERY [TIME]: how many series the result has
pqn() {
	mx curl -s --max-time 5 "$PAPI/query" --data-urlencode "query=$1" ${2:+--data-urlencode "time=$2"} |
		jq -r '.data.result | length'
}
# scraped_after T: until Prometheus has a scrape of socktap taken after T
scraped_after() {
	local i ts
	for ((i = 0; i < 100; i++)); do
		ts=$(pq 'timestamp(up{job="socktap"})')
		[ -n "$ts" ] && awk -v a="$ts" -v b="$1" 'BEGIN { exit !(a > b) }' && return 0
		sleep 0.1
	done
	return 1
}
now() { date +%s.%N | cut -c1-14; }
scraped_after "$(now)" || fail prom-started "no scrape in 10 s: $(tail -n 3 "$T_TMP/prom.log")"
check_eq prom-up 1 "$(pq 'up{job="socktap"}')"

# a sender that connects and sends a little before t0, then waits: its
# group is known (and has its series) before the counted bytes come
flowgen_sink rx "$b" --listen 198.18.71.2 --count 22 --comm "exprx$$" || finish
sink=$FG_PID
flowgen_bg slow "$a" send --connect 198.18.71.2 --port "$FG_PORT" --pre-bytes 100000 \
	--bytes 4000000 --comm "expsl$$"
slow=$FG_PID
wait_for "$T_TMP/slow.out" '"event":"waiting"' 10 || fail slow-waiting "$(head -c 200 "$T_TMP/slow.err")"
# until the slow sender's series shows (a refresh after its pre-bytes)
for ((i = 0; i < 50; i++)); do
	[ -n "$(pq "socktap_process_sent_bytes_total{comm=\"expsl$$\"}")" ] && break
	sleep 0.2
done
# (a render a second newer: one from before the pre-bytes were all
# through would not do for the interfaces' counters)
sleep 1.1
scraped_after "$(now)"
N=4000000 K=20
# t0: a scrape of the quiet state, then the kernel's counters
t0=$(now)
scrape "$T_TMP/s0.prom" >/dev/null
k0_tx=$(kstat "$a" "$deva" tx_bytes) k0_rx=$(kstat "$a" "$deva" rx_bytes)
kb0_rx=$(kstat "$b" "$devb" rx_bytes)
# the traffic: the slow sender's N, a new sender's N, a burst of K
kill -USR1 "$slow"
ip netns exec "$a" "$TESTBIN/flowgen" send --connect 198.18.71.2 --port "$FG_PORT" \
	--bytes "$N" --comm "exptx$$" >"$T_TMP/tx.out" 2>"$T_TMP/tx.err"
check_eq tx-exit 0 $?
ip netns exec "$a" "$TESTBIN/flowgen" burst --connect 198.18.71.2 --port "$FG_PORT" \
	--count "$K" --bytes 1000 --comm "expbu$$" >"$T_TMP/bu.out" 2>"$T_TMP/bu.err"
check_eq burst-exit 0 $?
stopped "$slow" 10
check_eq slow-exit 0 "$ST"
stopped "$sink" 10
check_eq sink-exit 0 "$ST"
check_eq sink-bytes $((2 * N + 100000 + K * 1000)) "$(fgv rx done bytes)"
sleep 0.3
k1_tx=$(kstat "$a" "$deva" tx_bytes) k1_rx=$(kstat "$a" "$deva" rx_bytes)
kb1_rx=$(kstat "$b" "$devb" rx_bytes)
te=$(now)
# three scrapes after the traffic, the first of them rendered after it
sleep 3.2
scraped_after "$(awk -v t="$te" 'BEGIN { printf "%.3f", t + 2.5 }')" || fail prom-scraped "no scrape after the traffic"
t1=$(now)
scrape "$T_TMP/s1.prom" >/dev/null
# dq QUERY: QUERY's value at t1 less its value at t0 (none: 0)
dq() { sdiff "$(pq "$1" "$t0")" "$(pq "$1" "$t1")"; }
# in [LO, HI]
within() { test "$1" -ge "$2" -a "$1" -le "$3"; }

d=$(dq "socktap_process_sent_bytes_total{comm=\"expsl$$\",proto=\"tcp\"}")
check_true "prom-sent-bytes-known-group($d)" within "$d" "$N" $((N * 101 / 100))
# as a dashboard asks it: increase() over a window from before the traffic
# to t1 covers the bytes sent (its extrapolation only adds)
win=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", b - a + 2 }')
d=$(pq "increase(socktap_process_sent_bytes_total{comm=\"expsl$$\",proto=\"tcp\"}[${win}s])" "$t1")
check_true "prom-increase-covers-sent(${d:-none})" awk -v d="${d:-0}" -v n="$N" 'BEGIN { exit !(d >= n) }'
# a process that starts and ends between two refreshes: its group is new;
# a Prometheus user expects its series to have its bytes (--top 20, few
# groups), not "(other)"
d=$(dq "socktap_process_sent_bytes_total{comm=\"exptx$$\",proto=\"tcp\"}")
check_true "prom-sent-bytes-new-short-lived-group($d)" within "$d" "$N" $((N * 101 / 100))
d=$(dq "socktap_process_received_bytes_total{comm=\"exprx$$\",proto=\"tcp\"}")
check_true "prom-received-bytes-sink($d)" within "$d" $((2 * N)) $((2 * N * 101 / 100))
check_eq prom-sink-sent-nothing 0 "$(dq "socktap_process_sent_bytes_total{comm=\"exprx$$\"}")"
# the kernel's transitions: K + 1 connects in a, as many accepts in b
check_eq prom-connects-netns-a $((K + 1)) "$(dq "socktap_tcp_connects_total{netns=\"$ns_a\"}")"
check_eq prom-accepts-netns-b $((K + 1)) "$(dq "socktap_tcp_accepts_total{netns=\"$ns_b\"}")"
check_eq prom-no-accepts-netns-a 0 "$(dq "socktap_tcp_accepts_total{netns=\"$ns_a\"}")"
check_eq prom-no-connects-netns-b 0 "$(dq "socktap_tcp_connects_total{netns=\"$ns_b\"}")"
d=$(dq 'sum(socktap_tcp_connects_total)')
check_true "prom-connects-sum($d)" test "$d" -ge $((K + 1))
# K + 2 connections ended, each at both ends (host-wide counters: more
# from elsewhere is fine)
d=$(dq 'socktap_tcp_closes_total')
check_true "prom-closes($d)" test "$d" -ge $((2 * (K + 2)))
d=$(dq 'socktap_tcp_connection_duration_seconds_count')
check_true "prom-duration-count($d)" test "$d" -ge $((2 * (K + 2)))
d=$(dq 'socktap_tcp_connection_duration_seconds_bucket{le="1"}')
check_true "prom-duration-short($d)" test "$d" -ge "$K"
d=$(dq 'socktap_tcp_connect_latency_seconds_count')
check_true "prom-latency-count($d)" test "$d" -ge $((K + 1))
check_eq prom-duration-inf-is-count "$(pq 'socktap_tcp_connection_duration_seconds_count' "$t1")" \
	"$(pq 'socktap_tcp_connection_duration_seconds_bucket{le="+Inf"}' "$t1")"
# the interfaces' counters: the kernel's, over a quiet t0 and t1
d=$(dq "socktap_interface_transmit_bytes_total{interface=\"$deva\",netns=\"$ns_a\"}")
check_eq prom-iface-tx-a "$((k1_tx - k0_tx))" "$d"
check_true "prom-iface-tx-a-moved($d)" test "$d" -ge $((2 * N))
check_eq prom-iface-rx-a "$((k1_rx - k0_rx))" \
	"$(dq "socktap_interface_receive_bytes_total{interface=\"$deva\",netns=\"$ns_a\"}")"
check_eq prom-iface-rx-b "$((kb1_rx - kb0_rx))" \
	"$(dq "socktap_interface_receive_bytes_total{interface=\"$devb\",netns=\"$ns_b\"}")"
check_eq prom-iface-b-not-in-a "" "$(pq "socktap_interface_receive_bytes_total{interface=\"$devb\",netns=\"$ns_a\"}" "$t1")"
# every scrape succeeded, and there were some
check_eq prom-up-t1 1 "$(pq 'up{job="socktap"}' "$t1")"
check_eq prom-up-stayed-1 1 "$(pq 'min_over_time(up{job="socktap"}[1m])' "$t1")"
n=$(pq 'count_over_time(up{job="socktap"}[1m])' "$t1")
check_true "prom-scrapes($n)" test "${n:-0}" -ge 5
n=$(pq 'scrape_samples_scraped{job="socktap"}' "$t1")
check_true "prom-samples-scraped($n)" test "${n:-0}" -ge 60
check_eq prom-target-healthy "up " "$(mx curl -s "$PAPI/targets" |
	jq -r '.data.activeTargets[] | select(.labels.job == "socktap") | "\(.health) \(.lastError)"')"

# 3. counters never go back across the churn: the two scrapes, series by
# series (counters and histograms' buckets, sums and counts)
mono() {
	awk 'FNR == 1 { f++ }
	$1 == "#" && $2 == "TYPE" { type[$3] = $4; next }
	/^#/ || !NF { next }
	{
		v = $NF; s = substr($0, 1, length($0) - length(v) - 1)
		name = s; sub(/\{.*/, "", name)
		fam = name
		if (!(fam in type)) sub(/_(bucket|sum|count)$/, "", fam)
		if (type[fam] != "counter" && type[fam] != "histogram") next
		if (f == 1) { was[s] = v; next }
		if (!(s in was)) next
		n++
		if (v + 0 < was[s] + 0) { bad++; if (bad < 4) printf "%s %s->%s; ", s, was[s], v }
	}
	END { printf "compared=%d decreased=%d\n", n, bad }' "$1" "$2"
}
r=$(mono "$T_TMP/s0.prom" "$T_TMP/s1.prom")
check_true "mono-compared($r)" test "$(echo "$r" | sed 's/.*compared=\([0-9]*\).*/\1/')" -ge 60
check_eq mono-scrapes "decreased=0" "$(echo "$r" | grep -o 'decreased=[0-9]*')"

# 4. --top 2: at most 2N series per protocol beside the two "(other)";
# --group-by pid and cgroup: their labels. The --top 2 and the pid ones
# count the test's sockets only (-f): their sums are what the test sent.
# Only the test scrapes them, each render once: every value a series ever
# had is seen (a group that leaves the top 2N takes its series, and the
# bytes in it, away; Prometheus keeps what it scraped of it)
F='src 198.18.71.0/24'
export_start top2 "$P2" --top 2 -f "$F" || finish
top2=$EX_PID
export_start bypid "$P3" --group-by pid -f "$F" || finish
others=("$EX_PID")
cgroup_add exp && have_cg=1 || have_cg=0
if [ "$have_cg" = 1 ]; then
	export_start bycg "$P4" --group-by cgroup || finish
	others+=("$EX_PID")
fi
nsent() { grep -c '^socktap_process_sent_bytes_total{' "$1"; }
# maxsum PREFIX FILES...: the series starting with PREFIX in any of the
# scrapes, each's largest value, added up
maxsum() {
	local p=$1
	shift
	awk -v p="$p" 'index($0, p) == 1 {
		v = $NF; s = substr($0, 1, length($0) - length(v) - 1)
		if (!(s in m) || v + 0 > m[s]) m[s] = v + 0
	} END { for (s in m) t += m[s]; printf "%.0f\n", t }' "$@"
}
scrape "$T_TMP/c0.prom" "http://127.0.0.1:$P2/metrics" >/dev/null
flowgen_sink crx "$b" --listen 198.18.71.2 --count 6 --comm "expcr$$" || finish
csink=$FG_PID
S=2000000
cpids=()
for c in a b c d e f; do
	if [ "$c" = f ] && [ "$have_cg" = 1 ]; then
		# the last one in the test's cgroup
		bg bash -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' _ "$CG" \
			ip netns exec "$a" "$TESTBIN/flowgen" send --connect 198.18.71.2 --port "$FG_PORT" \
			--bytes "$S" --rate 1000000 --comm "expc$$$c" >"$T_TMP/c$c.out" 2>"$T_TMP/c$c.err"
	else
		flowgen_bg "c$c" "$a" send --connect 198.18.71.2 --port "$FG_PORT" --bytes "$S" \
			--rate 1000000 --comm "expc$$$c"
	fi
	cpids+=("$BG_PID")
done
# while they send (2 s), and after
for ((i = 0; i < 8; i++)); do
	scrape "$T_TMP/cn$i.prom" "http://127.0.0.1:$P2/metrics" >/dev/null
	scrape "$T_TMP/pn.prom" "http://127.0.0.1:$P3/metrics" >/dev/null
	[ "$have_cg" = 1 ] && scrape "$T_TMP/gn.prom" "http://127.0.0.1:$P4/metrics" >/dev/null
	sleep 0.3
done
for p in "${cpids[@]}"; do
	stopped "$p" 10
	check_eq "card-sender-exit" 0 "$ST"
done
stopped "$csink" 10
check_eq card-sink-exit 0 "$ST"
sleep 1.2
scrape "$T_TMP/c1.prom" "http://127.0.0.1:$P2/metrics" >/dev/null
scrape "$T_TMP/p1.prom" "http://127.0.0.1:$P3/metrics" >/dev/null
maxn=0 maxr=0
for f in "$T_TMP"/cn*.prom "$T_TMP/c1.prom"; do
	n=$(nsent "$f")
	[ "$n" -gt "$maxn" ] && maxn=$n
	n=$(grep -c '^socktap_process_received_bytes_total{' "$f")
	[ "$n" -gt "$maxr" ] && maxr=$n
done
# 7 groups (6 senders, the sink): more than 2N, so the bound binds
check_true "card-sent-series($maxn)" test "$maxn" -le $((2 * 2 * 2 + 2)) -a "$maxn" -ge 3
check_true "card-received-series($maxr)" test "$maxr" -le $((2 * 2 * 2 + 2)) -a "$maxr" -ge 3
check_eq card-two-other 2 "$(grep -c '^socktap_process_sent_bytes_total{comm="(other)",proto="\(tcp\|udp\)"}' "$T_TMP/c1.prom")"
mine=$(grep -c "^socktap_process_sent_bytes_total{comm=\"expc$$" "$T_TMP/c1.prom")
check_true "card-mine-bounded($mine)" test "$mine" -le 4
d=$(sdiff "$(maxsum socktap_process_sent_bytes_total "$T_TMP/c0.prom")" \
	"$(maxsum socktap_process_sent_bytes_total "$T_TMP"/cn*.prom "$T_TMP/c1.prom")")
check_true "card-sent-all-counted($d)" within "$d" $((6 * S)) $((6 * S * 101 / 100))
d=$(sdiff "$(maxsum socktap_process_received_bytes_total "$T_TMP/c0.prom")" \
	"$(maxsum socktap_process_received_bytes_total "$T_TMP"/cn*.prom "$T_TMP/c1.prom")")
check_true "card-received-all-counted($d)" within "$d" $((6 * S)) $((6 * S * 101 / 100))
# what the senders' own series do not have is in "(other)"
o=$(sdiff "$(sval "$T_TMP/c0.prom" 'socktap_process_sent_bytes_total{comm="(other)",proto="tcp"}')" \
	"$(sval "$T_TMP/c1.prom" 'socktap_process_sent_bytes_total{comm="(other)",proto="tcp"}')")
ms=$(maxsum "socktap_process_sent_bytes_total{comm=\"expc$$" "$T_TMP"/cn*.prom "$T_TMP/c1.prom")
check_true "card-other-carries-rest(other=$o mine=$ms)" within $((o + ms)) $((6 * S)) $((6 * S * 101 / 100))
check_true "card-other-nonzero($o)" test "$o" -ge "$S"
promtool check metrics <"$T_TMP/c1.prom" >"$T_TMP/lint2.out" 2>&1
check_eq card-promtool "0 " "$? $(head -c 300 "$T_TMP/lint2.out")"
# --group-by pid: {pid, comm, proto}, the sender's pid
cpid_a=$(fgv ca connected pid)
check_true group-pid-labels grep -qE "^socktap_process_sent_bytes_total\{pid=\"$cpid_a\",comm=\"expc$$a\",proto=\"tcp\"\} [1-9]" "$T_TMP/p1.prom"
check_true group-pid-other grep -q '^socktap_process_sent_bytes_total{pid="(other)",comm="(other)",proto="tcp"} ' "$T_TMP/p1.prom"
check_eq group-pid-all-sent $((6 * S)) "$(maxsum socktap_process_sent_bytes_total "$T_TMP/p1.prom")"
# 7 groups and --top 20: every group has its series from the start, so a
# Prometheus user expects each sender's series to have all its bytes and
# "(other)" none
check_eq group-pid-top20-other-empty 0 \
	"$(sval "$T_TMP/p1.prom" 'socktap_process_sent_bytes_total{pid="(other)",comm="(other)",proto="tcp"}')"
check_eq group-pid-top20-sender-has-all "$S" \
	"$(maxsum "socktap_process_sent_bytes_total{pid=\"$cpid_a\"," "$T_TMP/p1.prom")"
if [ "$have_cg" = 1 ]; then
	rel=${CG#"$CG_MNT"}
	check_true group-cgroup-labels grep -qE "^socktap_process_sent_bytes_total\{cgroup=\"$rel\",proto=\"tcp\"\} [1-9]" "$T_TMP/gn.prom"
	check_true group-cgroup-other grep -q '^socktap_process_sent_bytes_total{cgroup="(other)",proto="tcp"} ' "$T_TMP/gn.prom"
fi
for p in "${others[@]}"; do
	kill -TERM "$p"
	stopped "$p" 3
	check_eq group-by-term-exit 0 "$ST"
done
kill -TERM "$top2"

# 5. robustness
# Memory: socktap's resident size, which also follows how many sockets
# the host has (its tables, the listing), and other tests may open
# thousands meanwhile. LOAD: the host's TCP sockets plus socktap's
# tracked ones; a growth in LOAD (its peak, from Prometheus) allows 2 KiB
# more each.
LOAD='sum(socktap_tcp_sockets{job="socktap"}) + sum(socktap_map_entries{job="socktap"})'
# rss: RSS and LOAD_AT (when) now
rss() {
	scrape "$T_TMP/rss.prom" >/dev/null
	RSS=$(sval "$T_TMP/rss.prom" process_resident_memory_bytes)
	LOAD_AT=$(now)
}
# mem_flat NAME RSS0 LOAD0_AT: RSS now within max(20%, 8 MiB) of RSS0,
# plus 2 KiB per socket the peak LOAD since LOAD0_AT passed LOAD at it
mem_flat() {
	local l0 lmax span allow
	rss
	scraped_after "$LOAD_AT"
	span=$(awk -v a="$3" -v b="$LOAD_AT" 'BEGIN { printf "%d", b - a + 2 }')
	l0=$(pq "$LOAD" "$3")
	lmax=$(pq "max_over_time(($LOAD)[${span}s:1s])")
	allow=$(( $2 / 5 > 8388608 ? $2 / 5 : 8388608 ))
	# built with AddressSanitizer: its quarantine keeps up to
	# quarantine_size_mb (make test SANITIZE=1: 8) of freed memory resident
	case ${ASAN_OPTIONS:-} in *quarantine_size_mb=*)
		allow=$((allow + $(sed 's/.*quarantine_size_mb=\([0-9]*\).*/\1/' <<<"$ASAN_OPTIONS") * 1048576)) ;;
	esac
	allow=$(awk -v a="$allow" -v l0="${l0:-0}" -v lm="${lmax:-0}" 'BEGIN { d = lm - l0; printf "%.0f\n", a + (d > 0 ? d : 0) * 2048 }')
	check_true "$1($2 -> $RSS, load ${l0:-?} -> peak ${lmax:-?})" test "$RSS" -le $(($2 + allow))
}
# probe TAG: a normal scrape answers 200 within 3 s
slow_probes=0
probe() {
	local r
	r=$(mx curl -s --max-time 3 -o /dev/null -w '%{http_code} %{time_total}' "$URL")
	if [ "${r%% *}" != 200 ]; then
		slow_probes=$((slow_probes + 1))
		echo "probe $1: '$r'" >>"$T_TMP/probes"
	fi
}
rss
rss0=$RSS load0_at=$LOAD_AT
bg ip netns exec "$m" wrk -t2 -c16 -d10s --timeout 3s "$URL" >"$T_TMP/wrk.out" 2>&1
wrk=$BG_PID
for ((i = 0; i < 9; i++)); do
	sleep 1
	probe "wrk$i"
done
wait "$wrk"
check_eq wrk-exit 0 $?
check_eq wrk-no-errors "" "$(grep -E 'Socket errors|Non-2xx' "$T_TMP/wrk.out")"
reqs=$(awk '/requests in/ { print $1 }' "$T_TMP/wrk.out")
check_true "wrk-requests(${reqs:-none})" test "${reqs:-0}" -ge 1000
check_eq wrk-probes 0 "$slow_probes"
mem_flat wrk-memory-flat "$rss0" "$load0_at"
# a slowloris: 50 connections, a byte of a request every second for 12 s
for ((i = 0; i < 50; i++)); do
	bg ip netns exec "$m" bash -c 'exec 3<>/dev/tcp/127.0.0.1/$1 || exit 1
		r="GET /metrics HTTP/1.1"
		for ((j = 0; j < 12; j++)); do printf %s "${r:j:1}" >&3 || exit 1; sleep 1; done' _ "$P" 2>/dev/null
done
sleep 0.5
# malformed requests, an oversized header
printf 'GARBAGE\r\n\r\n' >"$T_TMP/garbage.req"
{
	printf 'GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: '
	head -c 102400 /dev/zero | tr '\0' a
	printf '\r\n\r\n'
} >"$T_TMP/big.req"
printf 'GET /metrics HTTP/1.1\r\nHost: x\r\nBroken header line\r\n\r\n' >"$T_TMP/nocolon.req"
printf '\0\1\2\3\r\n\r\n' >"$T_TMP/binary.req"
# raw FILE: sends FILE on a new connection, prints the first line of the
# answer (or nothing: the server closed it); gives up after 5 s
raw() {
	mx timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/$1 || exit 9; cat "$2" >&3 2>/dev/null; head -n 1 <&3 | tr -d "\r"' _ "$P" "$1"
}
r=$(raw "$T_TMP/garbage.req")
check_true "bad-garbage-answered('$r')" test "$?" -ne 124 -a "$?" -ne 9
check_true "bad-garbage-not-200('$r')" test "${r#HTTP/1.1 200}" == "$r"
r=$(raw "$T_TMP/big.req")
check_eq bad-big-header-refused "HTTP/1.1 431 Request Header Fields Too Large" "$r"
r=$(raw "$T_TMP/nocolon.req")
check_true "bad-no-colon-not-200('$r')" test "${r#HTTP/1.1 200}" == "$r"
raw "$T_TMP/binary.req" >/dev/null
n=$(mx ss -Htn state established "( sport = :$P )" | wc -l)
check_true "slowloris-connected($n)" test "$n" -ge 50
for ((i = 0; i < 11; i++)); do
	probe "slowloris$i"
	sleep 1
done
check_eq slowloris-probes 0 "$slow_probes"
[ -s "$T_TMP/probes" ] && head -n 5 "$T_TMP/probes"
check_true alive kill -0 "$ex"
check_eq alive-healthz 200 "$(mx curl -s --max-time 3 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P/healthz")"
mem_flat memory-flat-end "$rss0" "$load0_at"
# Prometheus kept scraping through all of it; no counter ever went back
tn=$(now)
check_eq prom-up-throughout 1 "$(pq 'min_over_time(up{job="socktap"}[5m])' "$tn")"
# resets() per sample name (it drops the name: one query for all would
# have series with the same labels)
names=$(awk '$1 == "#" && $2 == "TYPE" && ($4 == "counter" || $4 == "histogram") { print $3 }' "$T_TMP/s1.prom" |
	while read -r f; do
		if grep -qx "# TYPE $f histogram" "$T_TMP/s1.prom"; then echo "${f}_bucket ${f}_sum ${f}_count"; else echo "$f"; fi
	done)
nres=0 nser=0
for nm in $names; do
	r=$(mx curl -s --max-time 5 "$PAPI/query" --data-urlencode "query=resets($nm{job=\"socktap\"}[5m])" \
		--data-urlencode "time=$tn" | jq -r '.data.result | "\(length) \(map(select(.value[1] != "0")) | length)"')
	nser=$((nser + ${r%% *}))
	if [ "${r#* }" != 0 ]; then
		nres=$((nres + ${r#* }))
		echo "# resets in $nm"
	fi
done
check_eq prom-no-resets 0 "$nres"
check_true "prom-resets-checked($nser)" test "$nser" -ge 60
check_eq prom-no-bad-samples 0 "$(pq 'sum(prometheus_target_scrapes_sample_duplicate_timestamp_total) + sum(prometheus_target_scrapes_sample_out_of_order_total) + sum(prometheus_target_scrapes_sample_out_of_bounds_total) + sum(prometheus_target_scrapes_exceeded_sample_limit_total)' "$tn")"

# 6. bad input
# the port in use: socktap's own and Prometheus's
for port in "$P" "$PP"; do
	s0=$(date +%s%N)
	mx timeout 10 "$SOCKTAP" export --listen "127.0.0.1:$port" >"$T_TMP/inuse.out" 2>"$T_TMP/inuse.err"
	check_eq "inuse-$port-exit" 1 $?
	check_true "inuse-$port-fast" test $(($(date +%s%N) - s0)) -lt 3000000000
	check_eq "inuse-$port-one-line" 1 "$(grep -c . "$T_TMP/inuse.err")"
	check_true "inuse-$port-says" grep -q "127.0.0.1:$port.*in use" "$T_TMP/inuse.err"
	check_eq "inuse-$port-no-output" 0 "$(wc -c <"$T_TMP/inuse.out")"
done
bad() {
	local name=$1
	shift
	mx timeout 4 "$SOCKTAP" export "$@" >"$T_TMP/bad.out" 2>"$T_TMP/bad.err"
	check_eq "$name-status" 2 $?
	check_eq "$name-one-line" 1 "$(grep -c . "$T_TMP/bad.err")"
	check_eq "$name-no-output" 0 "$(wc -c <"$T_TMP/bad.out")"
}
bad listen-garbage --listen garbage
check_true listen-garbage-named grep -q -- "--listen garbage" "$T_TMP/bad.err"
bad listen-port-0 --listen 127.0.0.1:0
bad listen-port-big --listen 127.0.0.1:65536
bad listen-bad-addr --listen 300.1.2.3:9464
bad listen-v6-unbracketed --listen '[::1:9464'
bad group-by-bogus --group-by bogus
check_true group-by-bogus-named grep -q bogus "$T_TMP/bad.err"
bad top-0 --top 0
bad top-word --top many
bad filter-malformed -f 'dport = = ('
bad pid-word -p abc
bad unknown-option --frobnicate
bad extra-arg junk
# without libmicrohttpd (hidden in a mount namespace of this test's own):
# one line that names it, exit 1, nothing on standard output
lib=$(ldconfig -p | awk '/libmicrohttpd\.so\.12 / { print $NF; exit }')
if [ -n "$lib" ]; then
	mx unshare -m sh -c 'mount --bind /dev/null "$1" && exec timeout 10 "$2" export --listen "127.0.0.1:$3"' \
		sh "$lib" "$SOCKTAP" "$((P + 7))" >"$T_TMP/nolib.out" 2>"$T_TMP/nolib.err"
	check_eq no-mhd-exit 1 $?
	check_eq no-mhd-one-line 1 "$(grep -c . "$T_TMP/nolib.err")"
	check_true no-mhd-says grep -q "cannot load libmicrohttpd.so.12 (install libmicrohttpd12)" "$T_TMP/nolib.err"
	check_eq no-mhd-no-output 0 "$(wc -c <"$T_TMP/nolib.out")"
else
	fail no-mhd "ldconfig knows no libmicrohttpd.so.12"
fi

# 7. SIGTERM while a slow client is connected (and the slowloris' last)
bg ip netns exec "$m" bash -c 'exec 3<>/dev/tcp/127.0.0.1/$1 || exit 1; printf "GET /met" >&3; sleep 30' _ "$P"
sleep 0.3
check_eq term-slow-client-connected 1 "$(mx ss -Htn state established "( dport = :$P )" | wc -l | awk '{ print ($1 >= 1) }')"
kill -TERM "$ex"
stopped "$ex" 3
check_eq term-exit 0 "$ST"
check_eq term-one-line 1 "$(grep -c . "$T_TMP/ex.err")"
stopped "$top2" 3
check_eq term-top2-exit 0 "$ST"
finish
