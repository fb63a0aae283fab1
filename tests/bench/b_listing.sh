#!/usr/bin/env bash
# Listing time on many sockets: socktap ss -tanp, lsof -nP -iTCP and
# netstat -tanp against the classic tools, with 10,000 and 50,000 TCP
# sockets (tests/sockfarm: listeners and established pairs on loopback,
# spread over holder processes) in a namespace of their own, one size at a
# time. Every command is timed from inside the namespace by tests/rusage
# (fork to wait4, stdout to /dev/null, so `ip netns exec`'s own start is not
# counted), RUNS times in alternating rounds (the order reversed every other
# round), and the medians are compared: ratio = peer / socktap, above 1 when
# socktap is faster. Before timing, each command's rows are counted and its
# sorted output compared with its peer's, so no command can win by printing
# nothing. socktap ss -tanp runs with SOCKTAP_TIMING=1, which prints the
# split of its time (load, iterate, owners, print); peak RSS comes from the
# same runs (wait4's ru_maxrss). On a kernel whose iter/tcp walk is unsafe
# (kbugs.h), socktap reads TCP from sock_diag; ss -tanp is then also timed
# with SOCKTAP_TCP_ITER=1, the iterator a fixed kernel walks (safe here: the
# farm's sockets sit still, no connection is being set up).
# The floors (tests/bench/floor.c), timed in the same rounds: `floor list`
# loads an iter/task_file program that does nothing and walks every
# process's files while the TCP table is dumped over sock_diag and thrown
# away (what socktap ss -tanp reads, nothing parsed, joined or printed);
# `floor files` is the walk alone (what socktap lsof reads, less the
# sockets' own fields); `floor rows` is that walk reading of each socket the
# least a row of lsof -i shows (its tuple, state, protocol and inode: three
# cache lines), with nothing written, decoded or printed. peer / floor is
# the best ratio a tool reading those sources could reach here.
. "$(dirname "$0")/lib.sh"
RUNS=${BENCH_LISTING_RUNS:-7}
SIZES=${BENCH_LISTING_SIZES:-"10000 50000"}
# the size the peak-RSS target is about
RSS_SIZE=50000
RSS_TARGET_MIB=64
RUSAGE=$TESTBIN/rusage
SOCKFARM=$TESTBIN/sockfarm
FLOOR=$TESTBIN/floor
for p in "$RUSAGE" "$SOCKFARM" "$FLOOR"; do
	[ -x "$p" ] || { echo "b_listing: $p missing (make tests)" >&2; exit 1; }
done
b_need b_listing ss lsof netstat

# The commands, by key: socktap's and its peers'. TARGET (peer key ->
# minimum ratio) and PEERS (socktap key -> its peers) say what is compared.
declare -A CMD=(
	[st_ss]="$SOCKTAP ss -tanp"
	[ss_p]="ss -tanp"
	[ss]="ss -tan"
	[st_lsof]="$SOCKTAP lsof -nP -iTCP"
	[lsof]="lsof -nP -iTCP"
	[st_netstat]="$SOCKTAP netstat -tanp"
	[netstat]="netstat -tanp"
	[st_ss_iter]="env SOCKTAP_TCP_ITER=1 $SOCKTAP ss -tanp"
	[floor_list]="$FLOOR list"
	[floor_files]="$FLOOR files"
	[floor_rows]="$FLOOR rows"
)
# the floors: what they are the floor of, and that one's peer and target
declare -A FLOOR_OF=([floor_list]=st_ss [floor_files]=st_lsof [floor_rows]=st_lsof)
declare -A FLOOR_PEER=([floor_list]=ss_p [floor_files]=lsof [floor_rows]=lsof)
# how a command is named in the results, where not by its words
declare -A LABEL=([st_ss_iter]="ss -tanp (SOCKTAP_TCP_ITER=1)"
	[floor_list]="floor of ss -tanp (walk of the files + TCP dump, nothing parsed or printed)"
	[floor_files]="floor of lsof -nP -iTCP (walk of the files alone)"
	[floor_rows]="floor of lsof -nP -iTCP (the walk reading each socket's row, nothing written)")
label() { echo "${LABEL[$1]:-${CMD[$1]#"$SOCKTAP "}}"; }
SOCKTAP_KEYS="st_ss st_lsof st_netstat"
"$SOCKTAP" doctor --json 2>/dev/null | jq -e '.hooks[] | select(.name == "list_tcp") | .attach | startswith("iter/")' >/dev/null ||
	SOCKTAP_KEYS+=" st_ss_iter"
# header lines of each command's output
declare -A HEAD=([st_ss]=1 [ss_p]=1 [ss]=1 [st_lsof]=1 [lsof]=1 [st_netstat]=2 [netstat]=2 [st_ss_iter]=1)
declare -A PEERS=([st_ss]="ss_p ss" [st_lsof]="lsof" [st_netstat]="netstat" [st_ss_iter]="ss_p ss")
declare -A TARGET=([st_ss:ss_p]=5 [st_ss:ss]=1 [st_lsof:lsof]=20 [st_ss_iter:ss_p]=5 [st_ss_iter:ss]=1)
# socktap's own commands that exist in this build; a missing one is skipped
ORDER=()
SKIPPED=()
for st in $SOCKTAP_KEYS; do
	sub=${CMD[$st]#*"$SOCKTAP "}
	sub=${sub%% *}
	if "$SOCKTAP" "$sub" --help >/dev/null 2>&1; then
		ORDER+=("$st")
		for p in ${PEERS[$st]}; do
			[[ " ${ORDER[*]} " == *" $p "* ]] || ORDER+=("$p")
		done
	else
		SKIPPED+=("$st")
		echo "b_listing: socktap has no $sub command: skipped" >&2
	fi
done
[ ${#ORDER[@]} -gt 0 ] || { echo "b_listing: socktap has none of ss, lsof, netstat" >&2; exit 1; }
# a floor runs where what it is the floor of does
FLOOR_KEYS=()
for f in floor_list floor_files floor_rows; do
	[[ " ${ORDER[*]} " == *" ${FLOOR_OF[$f]} "* ]] && FLOOR_KEYS+=("$f")
done
ORDER+=("${FLOOR_KEYS[@]}")

# run SIZE KEY [OUT]: one timed run of KEY in the namespace; its rusage line
# goes to $B_TMP/SIZE.KEY.ru, its stderr to .err, its stdout to OUT (default
# /dev/null)
run() {
	local out=${3:-} env=()
	[ "$2" = st_ss ] && env=(env SOCKTAP_TIMING=1)
	# shellcheck disable=SC2086 # CMD holds a command and its words
	if [ -n "$out" ]; then
		ip netns exec "$NS" "${env[@]}" "$RUSAGE" -o "$B_TMP/$1.$2.ru" ${CMD[$2]} \
			>"$out" 2>>"$B_TMP/$1.$2.err"
	else
		ip netns exec "$NS" "${env[@]}" "$RUSAGE" -n -o "$B_TMP/$1.$2.ru" ${CMD[$2]} \
			2>>"$B_TMP/$1.$2.err"
	fi || {
		echo "b_listing: '${CMD[$2]}' failed with $1 sockets:" >&2
		tail -n 3 "$B_TMP/$1.$2.err" >&2
		exit 1
	}
}
# field FILE NAME: NAME of every rusage line in FILE, one a line
field() { jq -r ".$2" "$1"; }
med() { field "$1" "$2" | b_median; }
# cpu FILE: median user + sys ms of the runs in FILE
cpu() { jq -r '.user_ms + .sys_ms' "$1" | b_median | awk '{ printf "%.1f", $1 }'; }
fmt() { awk -v v="$1" 'BEGIN { printf "%.1f", v }'; }

# check SIZE: every command prints SIZE sockets, and socktap's sorted output
# is its peers'; the count of differing lines per command into DIFF[KEY].
# These runs also warm the caches and are not timed.
declare -A DIFF
check() {
	local k rows want st p
	for k in "${ORDER[@]}"; do
		# a floor prints nothing: it must just succeed
		if [ -n "${FLOOR_OF[$k]:-}" ]; then
			run "$1" "$k"
			continue
		fi
		run "$1" "$k" "$B_TMP/$1.$k.out"
		rows=$(wc -l <"$B_TMP/$1.$k.out")
		want=$(($1 + HEAD[$k]))
		if [ "$rows" -ne "$want" ]; then
			echo "b_listing: '${CMD[$k]}' printed $rows lines with $1 sockets, not $want" >&2
			exit 1
		fi
	done
	for st in $SOCKTAP_KEYS; do
		[ -f "$B_TMP/$1.$st.out" ] || continue
		p=${PEERS[$st]%% *}
		DIFF[$st]=$(diff <(sort "$B_TMP/$1.$st.out") <(sort "$B_TMP/$1.$p.out") | grep -c '^[<>]')
		[ "${DIFF[$st]}" -eq 0 ] ||
			echo "b_listing: '${CMD[$st]}' and '${CMD[$p]}' differ in ${DIFF[$st]} lines with $1 sockets" >&2
	done
	rm -f "$B_TMP/$1".*.out "$B_TMP/$1".*.ru "$B_TMP/$1".*.err
}

# report SIZE: the b_result lines of one size
report() {
	local n=$1 st p s b r lo hi tgt note ph st_rss p_rss
	for st in $SOCKTAP_KEYS; do
		[ -f "$B_TMP/$n.$st.ru" ] || continue
		s=$(med "$B_TMP/$n.$st.ru" wall_ms)
		for p in ${PEERS[$st]}; do
			b=$(med "$B_TMP/$n.$p.ru" wall_ms)
			r=$(b_ratio "$b" "$s")
			# the per-round ratios' range, for how far noise moves them
			read -r lo hi <<<"$(paste <(field "$B_TMP/$n.$p.ru" wall_ms) \
				<(field "$B_TMP/$n.$st.ru" wall_ms) |
				awk '{ r = $1 / $2; if (NR == 1 || r < lo) lo = r; if (NR == 1 || r > hi) hi = r }
				     END { printf "%.2f %.2f", lo, hi }')"
			note="median of $RUNS alternating runs, timed inside the namespace; per-round ratios $lo..$hi"
			# CPU time waits less on a busy machine's other work than wall time does
			note+="; CPU (user+sys, median) $(cpu "$B_TMP/$n.$st.ru") ms vs $(cpu "$B_TMP/$n.$p.ru") ms"
			[ "${DIFF[$st]}" -eq 0 ] && note+="; sorted output identical to ${CMD[${PEERS[$st]%% *}]}" ||
				note+="; sorted output differs from ${CMD[${PEERS[$st]%% *}]} in ${DIFF[$st]} lines"
			tgt=${TARGET[$st:$p]:-}
			if [ -n "$tgt" ]; then
				if awk -v r="$r" -v t="$tgt" 'BEGIN { exit !(r >= t) }'; then
					note+="; target ratio >= $tgt: met"
				else
					note+="; target ratio >= $tgt: NOT met"
				fi
			fi
			b_result listing "$(label "$st") $n" ms "$(fmt "$s")" "${CMD[$p]}" \
				"$(fmt "$b")" "$r" "$note"
		done
	done
	if [ -f "$B_TMP/$n.st_ss.err" ]; then
		s=$(med "$B_TMP/$n.st_ss.ru" wall_ms)
		sed -n 's/^socktap: timing load \([0-9.]*\) iterate \([0-9.]*\) owners \([0-9.]*\) print \([0-9.]*\) ms$/\1 \2 \3 \4/p' \
			"$B_TMP/$n.st_ss.err" >"$B_TMP/$n.split"
		if [ "$(wc -l <"$B_TMP/$n.split")" -lt "$RUNS" ]; then
			echo "b_listing: socktap ss printed no SOCKTAP_TIMING line" >&2
			exit 1
		fi
		local i=1
		for ph in load iterate owners print; do
			b=$(awk -v i=$i '{ print $i }' "$B_TMP/$n.split" | b_median)
			b_result listing "ss -tanp $n: $ph" ms "$(fmt "$b")" "-" 0 0 \
				"socktap's SOCKTAP_TIMING split of the timed runs, median; $(awk -v a="$b" -v w="$s" 'BEGIN { printf "%.0f%%", 100 * a / w }') of the wall median"
			i=$((i + 1))
		done
		# per run: the wall time outside the four phases
		b=$(paste -d ' ' <(field "$B_TMP/$n.st_ss.ru" wall_ms) "$B_TMP/$n.split" |
			awk '{ print $1 - $2 - $3 - $4 - $5 }' | b_median)
		b_result listing "ss -tanp $n: rest" ms "$(fmt "$b")" "-" 0 0 \
			"per run, wall minus the four phases, median: exec and dynamic linking, the checks before the load, freeing the table, exit; the process's CPU (medians): user $(fmt "$(med "$B_TMP/$n.st_ss.ru" user_ms)") ms, sys $(fmt "$(med "$B_TMP/$n.st_ss.ru" sys_ms)") ms"
	fi
	for f in "${FLOOR_KEYS[@]}"; do
		st=${FLOOR_OF[$f]}
		p=${FLOOR_PEER[$f]}
		b=$(med "$B_TMP/$n.$f.ru" wall_ms)
		s=$(med "$B_TMP/$n.$st.ru" wall_ms)
		r=$(b_ratio "$(med "$B_TMP/$n.$p.ru" wall_ms)" "$b")
		tgt=${TARGET[$st:$p]}
		note="tests/bench/floor.c ${CMD[$f]#"$FLOOR "}, timed in the same rounds, median; ratio: ${CMD[$p]} over the floor, the best any tool reading these sources could reach here; target >= $tgt: $(b_met "$r" "$tgt" ">=") at the floor; socktap ${CMD[$st]#"$SOCKTAP "} $(fmt "$s") ms, $(fmt "$(awk -v a="$s" -v b="$b" 'BEGIN { print a - b }')") ms above it; CPU (user+sys, median) $(cpu "$B_TMP/$n.$f.ru") ms"
		b_result listing "$(label "$f") $n" ms "$(fmt "$b")" "${CMD[$p]}" \
			"$(fmt "$(med "$B_TMP/$n.$p.ru" wall_ms)")" "$r" "$note"
	done
	[ "$n" -eq "$RSS_SIZE" ] || return 0
	for st in $SOCKTAP_KEYS; do
		[ -f "$B_TMP/$n.$st.ru" ] || continue
		p=${PEERS[$st]%% *}
		st_rss=$(field "$B_TMP/$n.$st.ru" maxrss_kib | sort -g | tail -n 1)
		p_rss=$(field "$B_TMP/$n.$p.ru" maxrss_kib | sort -g | tail -n 1)
		note="peak over the $RUNS timed runs (ru_maxrss)"
		[ -f "$B_TMP/10000.$st.ru" ] &&
			note+="; $(fmt "$(field "$B_TMP/10000.$st.ru" maxrss_kib | sort -g | tail -n 1 | awk '{ print $1 / 1024 }')") MiB with 10000 sockets"
		if [ "$st_rss" -lt $((RSS_TARGET_MIB * 1024)) ]; then
			note+="; target < $RSS_TARGET_MIB MiB: met"
		else
			note+="; target < $RSS_TARGET_MIB MiB: NOT met"
		fi
		b_result listing "peak RSS $(label "$st") $n" MiB \
			"$(fmt "$(awk -v k="$st_rss" 'BEGIN { print k / 1024 }')")" "${CMD[$p]}" \
			"$(fmt "$(awk -v k="$p_rss" 'BEGIN { print k / 1024 }')")" "$(b_ratio "$p_rss" "$st_rss")" "$note"
	done
}

for st in "${SKIPPED[@]}"; do
	b_result listing "${CMD[$st]#"$SOCKTAP "}" ms 0 "${CMD[${PEERS[$st]%% *}]}" 0 0 \
		"skipped: this socktap has no ${CMD[$st]#"$SOCKTAP "} command yet"
done
for n in $SIZES; do
	b_netns "listing$n" || exit 1
	b_start ip netns exec "$NS" "$SOCKFARM" --sockets "$n" --timeout 600 \
		>"$B_TMP/farm$n.out" 2>"$B_TMP/farm$n.err"
	farm=$B_PID # ip netns exec became sockfarm: same pid
	if ! wait_for "$B_TMP/farm$n.out" '^ready' 60; then
		echo "b_listing: sockfarm did not get $n sockets ready:" >&2
		cat "$B_TMP/farm$n.err" >&2
		exit 1
	fi
	check "$n"
	for ((r = 0; r < RUNS; r++)); do
		keys=("${ORDER[@]}")
		if ((r % 2)); then
			for ((i = ${#ORDER[@]} - 1, j = 0; i >= 0; i--, j++)); do
				keys[j]=${ORDER[i]}
			done
		fi
		for k in "${keys[@]}"; do
			run "$n" "$k"
		done
	done
	b_stop "$farm"
	# the next size must not share the kernel's tables with this one
	ip netns del "$NS"
	report "$n"
done
