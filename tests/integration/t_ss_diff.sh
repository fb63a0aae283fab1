#!/usr/bin/env bash
# socktap ss held against iproute2's ss, row by row and field by field, on a
# known mix of sockets (tests/sockmix.c) in two namespaces:
#   1. the mix itself, read by the real ss: every socket sockmix made is
#      there, in the state it says, with the owners it says (the premise).
#   2. for each option set and filter expression, `ss ARGS` and
#      `socktap ss ARGS` in the same namespace, normalised (ss_lib.sh says
#      how and why), must give the same header and the same rows. ss reads
#      before and after socktap: if its two reads differ (a timer ran out in
#      between), the case is run again.
#   3. malformed filters: both refuse them; socktap with status 2 and one
#      line on stderr.
#   4. timers: the cases compare their names; their values' form is
#      checked apart (ss's own format).
#   5. owners: socktap ss -p names, for every socket sockmix made, exactly
#      the processes and fds sockmix reported (a socket shared by two
#      processes: both; one held through two fds: both), and escapes the
#      hostile process names (no raw control byte in its output).
# SS_SELFTEST=1 holds ss against itself instead of socktap: it checks the mix
# and the normalisation where socktap ss does not exist yet. SS_KEEP=DIR
# keeps the listings there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ss_lib.sh"

command -v "$SS" >/dev/null || skip "no ss (iproute2) to compare with"
[ -x "$SOCKMIX" ] || skip "no $SOCKMIX (make tests)"
if [ "${SS_SELFTEST:-0}" = 1 ]; then
	TOOL=("$SS")
elif "$SOCKTAP" ss --help >/dev/null 2>&1; then
	# a copy: a rebuild of the tree meanwhile must not pull it from under us
	cp "$SOCKTAP" "$T_TMP/socktap"
	TOOL=("$T_TMP/socktap" ss)
else
	skip "socktap ss is not in this build"
fi

# --- running a case ----------------------------------------------------------

# in_ns TAG CMD...: CMD in the mix's namespace; with NS_ROOT=1 where we are
in_ns() {
	local tag=$1
	shift
	if [ "${NS_ROOT:-0}" = 1 ]; then
		"$@"
	else
		ip netns exec "${MIX_NS[$tag]}" "$@"
	fi
}

# the word @NS@ in a case's arguments stands for its namespace's name
subst_ns() {
	local a
	CASE_ARGS=()
	for a in "$@"; do
		[ "$a" = @NS@ ] && a=${MIX_NS[$CASE_TAG]}
		CASE_ARGS+=("$a")
	done
}

NCASE=0
# ss_case TAG ARGS...: ss and the tool must list the same rows
ss_case() {
	local tag=$1 name try rc_a rc_b busy d
	shift
	name="$tag[$*]"
	NCASE=$((NCASE + 1))
	d=$T_TMP/c$NCASE
	for try in 1 2 3; do
		mix_fresh "$tag" || return
		CASE_TAG=$tag
		subst_ns "$@"
		in_ns "$tag" "$SS" "${CASE_ARGS[@]}" >"$d.ss1" 2>"$d.ss1.err"
		rc_a=$?
		in_ns "$tag" "${TOOL[@]}" "${CASE_ARGS[@]}" >"$d.tool" 2>"$d.tool.err"
		rc_b=$?
		in_ns "$tag" "$SS" "${CASE_ARGS[@]}" >"$d.ss2" 2>/dev/null
		busy=$(mix_busy "$tag")
		ss_norm "$busy" <"$d.ss1" >"$d.n1"
		ss_norm "$busy" <"$d.ss2" >"$d.n2"
		ss_norm "$busy" <"$d.tool" >"$d.nt"
		cmp -s "$d.n1" "$d.n2" && break
	done
	TOOL_OUTS+=("$d.tool")
	if [ $rc_a -ne 0 ]; then
		fail "$name" "ss itself failed ($rc_a): $(head -c 200 "$d.ss1.err")"
	elif ! cmp -s "$d.n1" "$d.n2"; then
		fail "$name" "ss gives other rows at each read: $(ss_excerpt "$d.n1" "$d.n2")"
	elif [ $rc_b -ne 0 ]; then
		fail "$name" "exit status $rc_b: $(head -c 200 "$d.tool.err" | tr '\n' ' ')"
	elif [ ! -s "$d.n1" ]; then
		fail "$name" "ss printed nothing, not even a header"
	elif cmp -s "$d.n1" "$d.nt" || cmp -s "$d.n2" "$d.nt"; then
		ok "$name"
	else
		fail "$name" "$(ss_excerpt "$d.n1" "$d.nt")"
	fi
}

# ss_err TAG ARGS...: both must refuse; the tool with status 2, one line
# on stderr and nothing on stdout
ss_err() {
	local tag=$1 name rc_a rc_b d
	shift
	name="$tag-error[$*]"
	NCASE=$((NCASE + 1))
	d=$T_TMP/c$NCASE
	in_ns "$tag" "$SS" "$@" >"$d.ss1" 2>&1
	rc_a=$?
	in_ns "$tag" "${TOOL[@]}" "$@" >"$d.tool" 2>"$d.tool.err"
	rc_b=$?
	if [ $rc_a -eq 0 ]; then
		fail "$name" "ss accepts it: the case is wrong"
	elif [ "${SS_SELFTEST:-0}" = 1 ]; then
		[ $rc_b -ne 0 ] && ok "$name" || fail "$name" "accepted"
	else
		check_eq "$name" "status=2 stderr-lines=1 stdout=''" \
			"status=$rc_b stderr-lines=$(grep -c '' "$d.tool.err") stdout='$(head -c 100 "$d.tool")'"
	fi
}

# --- owners ------------------------------------------------------------------

# owner_checks TAG: the mix as ss sees it, then socktap's owners per socket
owner_checks() {
	local tag=$1 d=$T_TMP/own.$1 role key missing evil evil_pid want_comm
	mix_fresh "$tag" 30 || return
	in_ns "$tag" "$SS" -tux0anpeH >"$d.ss" 2>/dev/null
	in_ns "$tag" "${TOOL[@]}" -tux0anpeH >"$d.tool" 2>"$d.tool.err"
	ss_norm <"$d.ss" | ss_owners >"$d.ss.own"
	ss_norm <"$d.tool" | ss_owners >"$d.tool.own"
	mix_expected "$tag" >"$d.want"
	# 1. the premise: ss sees the mix as sockmix describes it
	missing=$(cut -f 2 "$d.want" | LC_ALL=C sort | LC_ALL=C comm -23 - "$d.ss.own" | head -n 5 | paste -sd '|')
	check_eq "$tag-mix-vs-ss" "" "$missing"
	check_eq "$tag-mix-count" "$(jq -r 'select(.event == "ready") | .sockets' "${MIX_OUT[$tag]}")" \
		"$(grep -c '' "$d.want")"
	# 2. socktap, socket by socket
	while IFS=$'\t' read -r role key; do
		if grep -Fxq "$key" "$d.tool.own"; then
			ok "$tag-owner-$role"
		else
			# what the tool has for this socket (its first two fields name it)
			fail "$tag-owner-$role" "want '$key', got '$(grep -F "$(cut -d ' ' -f 1-2 <<<"$key") " "$d.tool.own" | head -n 2 | paste -sd '|')'"
		fi
	done <"$d.want"
	# 3. the hostile name: escaped as socktap escapes (\xNN), never raw
	# (ss prints it raw: nothing to check against itself)
	[ "${SS_SELFTEST:-0}" = 1 ] && return
	evil=$(jq -r 'select(.role == "tcp-listen-evil") | .owners[0].comm' "${MIX_OUT[$tag]}")
	evil_pid=$(jq -r 'select(.role == "tcp-listen-evil") | .pid' "${MIX_OUT[$tag]}")
	want_comm=$(printf '%s' "$evil" | LC_ALL=C awk '{
		o = ""
		for (i = 1; i <= length($0); i++) {
			c = substr($0, i, 1)
			for (b = 0; b < 256 && sprintf("%c", b) != c; b++)
				;
			o = o ((b < 32 || b == 127) ? sprintf("\\x%02x", b) : (c == "\\" ? "\\\\" : c))
		}
		print o
	}')
	check_eq "$tag-hostile-no-raw-controls" 0 "$(LC_ALL=C tr -d '\n\t' <"$d.tool" | LC_ALL=C tr -dc '\000-\037\177' | wc -c)"
	if LC_ALL=C grep -Fq "((\"$want_comm\",pid=$evil_pid," "$d.tool"; then
		ok "$tag-hostile-escaped"
	else
		fail "$tag-hostile-escaped" "want users:((\"$want_comm\",pid=$evil_pid,...)), got '$(LC_ALL=C grep -ao "users:(([^ ]*pid=$evil_pid,[^ ]*" "$d.tool" | head -n 1 | cat -v)'"
	fi
}

# timer_format TAG: the cases drop the timers' values (they move between two
# reads), so their form is checked here: every timer:(NAME,EXPIRES,RETRANS)
# of socktap must read as ss 6.1 writes it (print_ms_timer: [Nmin] then Nsec,
# or N.MMMms for under 10 s, or MMMms, or nothing when it is due)
# (five reads, 0.3 s apart: the keepalive timer, always under 10 s, is then
# sure to be seen with seconds and milliseconds)
timer_format() {
	local tag=$1 d=$T_TMP/timer.$1 bad i
	mix_fresh "$tag" 30 || return
	: >"$d"
	for ((i = 0; i < 5; i++)); do
		in_ns "$tag" "${TOOL[@]}" -tanoH >>"$d" 2>/dev/null
		sleep 0.3
	done
	bad=$(grep -ao 'timer:([^)]*)' "$d" |
		grep -avE '^timer:\((on|keepalive|timewait|persist|delack|off|unknown),([0-9]+min)?([0-9]+sec|[0-9]\.[0-9]{3}ms|[0-9]{3}ms)?,[0-9]+\)$' |
		sort -u | head -n 5 | paste -sd ' ')
	check_eq "$tag-timer-format" "" "$bad"
	check_true "$tag-keepalive-timer-seen" grep -q 'timer:(keepalive,' "$d"
}

# --- the cases ---------------------------------------------------------------

# run_cases TAG: every option set and filter, on the mix TAG
run_cases() {
	local t=$1 b=${MIX_BASE[$1]} dir=$T_TMP/$1.unix dev
	dev=$(mix_role "$t" tcp-listen-dev dev)

	# options that change the columns or the rows
	for o in -t -ta -tl -tn -tan -tanp -tlnp -tulpn -uan -ua -un -uanp -x -xa -xan -xanp \
		-an -a -anp -tane -taneo -tano -tanm -tani -tanmi -uane -xane -4 -4an -6 -6an \
		-0 -0an -w -wan -H -tanH -O -taneoO -taniO -l -lnp -lnpe -s -tlr -tar; do
		ss_case "$t" "$o"
	done
	ss_case "$t" -f inet
	ss_case "$t" -an -f inet
	ss_case "$t" -f inet6
	ss_case "$t" -an -f inet6
	ss_case "$t" -a -f unix
	ss_case "$t" -A tcp,udp
	ss_case "$t" -an -A tcp,udp
	ss_case "$t" -A unix
	ss_case "$t" -an -A unix_stream,unix_dgram
	ss_case "$t" -an -A inet
	# netlink and packet sockets (sock_diag only): their tables, columns and filters
	for o in -0e -0pe -0anpe -0m -aem -anpm; do
		ss_case "$t" "$o"
	done
	ss_case "$t" -a -f netlink -f link
	ss_case "$t" -an -f link -f netlink -e
	ss_case "$t" -a -A netlink,packet
	ss_case "$t" -A netlink,packet_raw
	ss_case "$t" -an -A p_dgr,netlink
	ss_case "$t" -a src netlink:rtnl
	ss_case "$t" -an src netlink:rtnl:kernel
	ss_case "$t" -an src link:lldp
	ss_case "$t" -0 src link:*:lo
	ss_case "$t" -0 sport = :lo
	ss_case "$t" -an dst 0.0.0.0
	ss_case "$t" -a autobound
	NS_ROOT=1 ss_case "$t" -N @NS@ -tan

	# states
	for s in connected synchronized bucket big all listening established syn-sent syn-recv \
		time-wait close-wait closed ESTABLISHED Fin-Wait-2; do
		ss_case "$t" -tan state "$s"
	done
	ss_case "$t" -tan state fin-wait-1 state fin-wait-2
	ss_case "$t" -tan state listening state established
	ss_case "$t" -tan exclude established
	ss_case "$t" -tan exclude time-wait exclude established
	ss_case "$t" -tan excl listening
	# options after the filter, as ss's getopt takes them
	ss_case "$t" -t state established -p
	ss_case "$t" state listening -tn -p
	ss_case "$t" -a sport = :$((b + 1)) -n -e
	ss_case "$t" -uan state closed
	ss_case "$t" -uan state established
	ss_case "$t" -an state connected
	ss_case "$t" -xan state listening
	ss_case "$t" -xan state connected
	ss_case "$t" -tanp state established

	# hosts
	ss_case "$t" -tan dst 127.0.0.1
	ss_case "$t" -tan src 127.0.0.1:$b
	ss_case "$t" -tan dst 127/8
	ss_case "$t" -tln src 127/8
	ss_case "$t" -tan src '[::1]'
	ss_case "$t" -tln src "[::1]:$((b + 2))"
	ss_case "$t" -tan src "*:$((b + 1))"
	ss_case "$t" -tan dst "*:$b"
	ss_case "$t" -tan dst 198.18.1.2
	ss_case "$t" -tan dst 198.18.0.0/15
	ss_case "$t" -tan src 0.0.0.0/0
	ss_case "$t" -tan dst '[::ffff:127.0.0.1]'
	ss_case "$t" -uan dst '[::ffff:127.0.0.1]'
	ss_case "$t" -tan src inet:127.0.0.1
	ss_case "$t" -tan src 'inet6:[::1]'
	ss_case "$t" -tan src localhost
	ss_case "$t" -tan src 127.0.0.1:
	ss_case "$t" -tan src '127.0.0.1:*'
	ss_case "$t" -tan src '[127.0.0.1]'
	ss_case "$t" -tan not dst 127.0.0.1
	ss_case "$t" -an src 127.0.0.1
	ss_case "$t" -an not src 127.0.0.1
	ss_case "$t" -xan src "$dir/stream.sock"
	ss_case "$t" -xan src "$dir/*"
	ss_case "$t" -xan src 'unix:@sockmix*'
	ss_case "$t" -xan dst "$dir/stream.sock"

	# ports, every operator spelling
	for op in = == eq; do
		ss_case "$t" -tan sport "$op" ":$b"
	done
	for op in '!=' ne neq; do
		ss_case "$t" -tan sport "$op" ":$b"
	done
	for op in '>' gt; do
		ss_case "$t" -tan dport "$op" ":$b"
	done
	for op in '<' lt; do
		ss_case "$t" -tan dport "$op" :1024
	done
	ss_case "$t" -tan sport '>=' ":$b" sport '<=' ":$((b + 3))"
	ss_case "$t" -tan sport ge ":$b" and sport le ":$((b + 3))"
	ss_case "$t" -tan sport geq ":$b" and sport leq ":$((b + 3))"
	ss_case "$t" -tan sport = $b
	ss_case "$t" -tan sport = :99999
	ss_case "$t" -an sport = :http
	ss_case "$t" -uan sport = :domain
	ss_case "$t" -an '( dport = :http or sport = :http )'
	ss_case "$t" -o state established '(' dport = ":$b" or sport = ":$b" ')'
	ss_case "$t" -tan state established dport = ":$b"

	# and, or, not; equal precedence, left to right
	ss_case "$t" -tan sport = ":$b" or sport = ":$((b + 1))" and dport = :0
	ss_case "$t" -tan sport = ":$b" or '(' sport = ":$((b + 1))" and dport = :0 ')'
	ss_case "$t" -tan not sport = ":$b"
	ss_case "$t" -tan '!' sport = ":$b"
	ss_case "$t" -tan not '(' sport = ":$b" or dport = ":$b" ')'
	ss_case "$t" -tan sport = ":$b" '||' sport = ":$((b + 2))"
	ss_case "$t" -tan sport = ":$b" '|' sport = ":$((b + 2))"
	ss_case "$t" -tan sport = ":$b" '&&' dport '>' :1024
	ss_case "$t" -tan sport = ":$b" '&' dport '>' :1024
	ss_case "$t" -tan sport = ":$b" dport '>' :1024
	ss_case "$t" -tan dst 127.0.0.1 and not sport = ":$((b + 7))" or src '[::1]'

	# autobound, devices, marks
	ss_case "$t" -ta autobound
	ss_case "$t" -tan autobound
	ss_case "$t" -uan autobound
	ss_case "$t" -xa autobound
	ss_case "$t" -tan not autobound
	ss_case "$t" -an dev "$dev"
	ss_case "$t" -tan dev = "$dev"
	ss_case "$t" -tan dev '!=' "$dev"
	ss_case "$t" -an dev dummy0
	ss_case "$t" -tan dev 1
	ss_case "$t" -tan fwmark = 0
	ss_case "$t" -tan fwmark '!=' 0x1/0xff

	# malformed: both refuse
	ss_err "$t" -tan '(' sport = :1
	ss_err "$t" -tan sport bogus :1
	ss_err "$t" -tan state bogus
	ss_err "$t" -tan exclude bogus
	ss_err "$t" -tan dport eq 127.0.0.1:22
	ss_err "$t" -tan src ::1
	ss_err "$t" -tan '(sport'
	ss_err "$t" -tan dst
	ss_err "$t" -tan and
	ss_err "$t" -tan not
	ss_err "$t" -tan sport = :1 ')'
	ss_err "$t" -tan sport '>' :1 or
	ss_err "$t" -tan dev nosuchdev0
	ss_err "$t" -tan sport = :nosuchservice
	ss_err "$t" -tan src 300.1.1.1
	ss_err "$t" -tan src 127.0.0.1/33
	ss_err "$t" -tan fwmark = zz
	ss_err "$t" -A bogus
	ss_err "$t" -f bogus
	ss_err "$t" -an src link:nosuchproto
	ss_err "$t" -an src netlink:kernel
}

# --- the run -----------------------------------------------------------------

TOOL_OUTS=()
# two namespaces, two mixes: other ports, the bound sockets on other
# devices, other hostile names (CSI, then OSC with a BEL)
mix_start a 20000 || skip "cannot create a namespace with the mix"
mix_start b 30000 --bind-dev dummy0 --comm $'x\e]0;pwned\a' || skip "cannot create the second mix"
# each listing shows its own namespace only
check_eq a-not-b "" "$(ip netns exec "${MIX_NS[a]}" "$SS" -tanH sport ge :30000 sport le :30020)"

owner_checks a
owner_checks b
timer_format a
timer_format b
run_cases a
run_cases b

# no listing put a raw control byte on the terminal
raw=()
for f in "${TOOL_OUTS[@]}"; do
	[ "$(LC_ALL=C tr -d '\n\t' <"$f" | LC_ALL=C tr -dc '\000-\037\177' | wc -c)" -eq 0 ] || raw+=("$f")
done
[ "${SS_SELFTEST:-0}" = 1 ] || check_eq no-raw-controls "" "${raw[*]}"
mix_stop a
mix_stop b
# SS_KEEP=DIR keeps every listing (cN.ss1, cN.tool, their normal forms cN.n1, cN.nt)
[ -n "${SS_KEEP:-}" ] && cp -r "$T_TMP" "$SS_KEEP"
finish
