#!/usr/bin/env bash
# socktap trace's accept events on the two rungs below the accept probes:
# the late rung (tp_btf/sock_send_length: a connection is marked when the
# kernel has made it ready, and the first process to send, receive or close
# it owns it) and the syscall-exit tracepoint (the late rung refused with
# SOCKTAP_LADDER_SKIP). The probes above them (fexit, kretprobe) are refused
# the same way in both runs, so the two rungs are the ones taken on any
# kernel that has them; doctor must say so first. In each run, IPv4 and
# IPv6, the events are held against what trafgen says it did:
#   a. a server that reads and writes: one accept per connection, by the
#      server, owner_seen "io" (late) or "accept"; queue_ns null and
#      queue_max_ns a bound (late) or queue_ns known; same cookie as the
#      close, not after it, the close by the server too
#   b. a server that closes each connection unread (--no-io): owner_seen
#      "close" on the late rung, still the server's pid on accept and close
#   c. four pre-forked children on one listener (--forks): each connection's
#      accept and close name the child that served it, and several served
#   d. a connection reset by its client while queued: never accepted (the
#      server is killed while stopped), no accept and a close with no owner;
#      accepted after all (the server continues), per "Known limits" its
#      close (owner null) comes first, then its accept, by the server, with
#      the wait in the queue (>= the 0.25 s the server was stopped) inside
#      the queue time or its bound
#   e. a connection queued before socktap started (the iter/tcp seed on the
#      late rung): accepted by the server, with no queue time or bound
#   f. a request rejected unread: the server accepts and closes while the
#      client's 1000 bytes wait, so the kernel aborts (RST, CLOSE_WAIT ->
#      CLOSE, no FIN): accept, close and reset all name the server
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trace_lib.sh"

above="fexit/inet_csk_accept kretprobe/inet_csk_accept"
late_limits="the accept itself is not seen"

# doctor_accept MODE: doctor's accept hook under MODE's SOCKTAP_LADDER_SKIP
# as "ATTACH|LIMITS" (the limits up to their first colon)
doctor_accept() {
	SOCKTAP_LADDER_SKIP=$(skip_list "$1") "$SOCKTAP" doctor --json 2>"$T_TMP/doctor-$1.err" |
		jq -r '.hooks[] | select(.name == "accept") | "\(.attach)|\(.limits // "" | split(":")[0])"'
}
skip_list() {
	if [ "$1" = late ]; then echo "$above"; else echo "$above tp_btf/sock_send_length"; fi
}

# The late rung needs tp_btf on sock_send_length (not in Debian's 6.1): without it
# neither run would show it
got=$(doctor_accept late)
if [ "${got%%|*}" != tp_btf/sock_send_length ]; then
	SOCKTAP_LADDER_SKIP=$above "$SOCKTAP" doctor --json |
		jq -e '.hooks[] | select(.name == "accept") | .refused[] |
			select(.attach == "tp_btf/sock_send_length" and (.detail | test("SOCKTAP_LADDER_SKIP") | not))' \
			>/dev/null && skip "the late accept rung is refused by this kernel (accept: $got)"
fi

# acc NAME SPORT CPORT: one server-side connection's accept and close
# events in trace NAME, summed up
acc() {
	jq -r -s --argjson sp "$2" --argjson cp "$3" '
		def num: if type == "number" and . >= 0 then "n" else tostring end;
		map(select(.lport == $sp and .rport == $cp)) as $e
		| [$e[] | select(.type == "accept")] as $a
		| [$e[] | select(.type == "close")] as $c
		| "accepts=\($a | length) closes=\($c | length)"
		+ (if ($a | length) == 1 and ($c | length) == 1 then
			$a[0] as $x | $c[0] as $y
			| " \($x.pid) \($x.comm) \($x.family) \($x.laddr) \($x.raddr)"
			+ " owner=\($x.owner_seen) queue=\($x.queue_ns | num) max=\($x.queue_max_ns | num)"
			+ " close_pid=\($y.pid) cookie=\($x.cookie == $y.cookie and ($x.cookie | type) == "number")"
			+ " before_close=\($x.monotonic_ns <= $y.monotonic_ns)"
			+ " bound_before_close=\($x.monotonic_ns + ($x.queue_max_ns // 0) <= $y.monotonic_ns)"
		   else "" end)' "$T_TMP/$1.out"
}

# run MODE N: the scenarios with MODE's rung, in namespaces of their own
# (server side 198.18.N.1 / 2001:db8:N::1)
run() {
	local m=$1 own q mx o c s fam family tag i srv spid sport cport laddr raddr done_pids want
	export SOCKTAP_LADDER_SKIP
	SOCKTAP_LADDER_SKIP=$(skip_list "$m")
	if [ "$m" = late ]; then
		check_eq "$m-doctor-accept" "tp_btf/sock_send_length|$late_limits" "$(doctor_accept "$m")"
		own=io q=null mx=n
	else
		check_eq "$m-doctor-accept" "tracepoint/syscalls/sys_exit_accept4|puts every syscall of every process on the slow path; accepts through io_uring or 32-bit compat calls are not seen" \
			"$(doctor_accept "$m")"
		check_eq "$m-doctor-late-skipped" "EPERM skipped (SOCKTAP_LADDER_SKIP)" \
			"$(SOCKTAP_LADDER_SKIP=$(skip_list "$m") "$SOCKTAP" doctor --json |
				jq -r '.hooks[] | select(.name == "accept") | .refused[] | select(.attach == "tp_btf/sock_send_length") | "\(.error) \(.detail)"')"
		own=accept q=n mx=null
	fi
	netns_add "s$m" || skip "cannot create a network namespace"
	s=$NS
	netns_add "c$m"
	c=$NS
	veth_net "$s" "$c" "$2" || {
		fail "$m-veth" "cannot create a veth pair"
		return
	}
	local -A addr=([4]=198.18.$2.1 [6]=2001:db8:$2::1)

	# e: queued before socktap starts: the server is stopped, the client
	# has connected (and sent its 10 bytes and its FIN)
	local -A qpid qcli
	for fam in 4 6; do
		server "$m-e$fam" "$s" --listen "${addr[$fam]}" --send 10 --recv 10 --timeout 20 || continue
		qpid[$fam]=$SRV_PID
		kill -STOP "$SRV_PID"
		client "$m-e$fam" "$c" --connect "${addr[$fam]}" --port "$SRV_PORT" --send 10 --recv 10 --timeout 20
		qcli[$fam]=$CLI_PID
		for ((i = 0; i < 100; i++)); do
			ip netns exec "$s" ss -tanH state established state close-wait "sport = :$SRV_PORT" | grep -q . && break
			sleep 0.05
		done
	done

	trace_start "$m" --json --netns "$(netns_inode "$s")" || return
	local tp=$TRACE_PID
	for fam in "${!qpid[@]}"; do
		kill -CONT "${qpid[$fam]}"
	done

	# a: reads and writes, three connections each
	for fam in 4 6; do
		server "$m-a$fam" "$s" --listen "${addr[$fam]}" --send 1000 --recv 2000 --count 3 || continue
		ip netns exec "$c" "$TRAFGEN" client --connect "${addr[$fam]}" --port "$SRV_PORT" --send 2000 --recv 1000 \
			--count 3 >"$T_TMP/$m-a$fam.cli" 2>"$T_TMP/$m-a$fam.cli.err"
		check_eq "$m-a$fam-client-exit" 0 $?
		server_done "$m-a$fam" "$m-a$fam"
	done
	# b: closed at once, unread (the client sends nothing: a FIN, no RST)
	for fam in 4 6; do
		server "$m-b$fam" "$s" --listen "${addr[$fam]}" --no-io --count 2 || continue
		ip netns exec "$c" "$TRAFGEN" client --connect "${addr[$fam]}" --port "$SRV_PORT" \
			--count 2 >"$T_TMP/$m-b$fam.cli" 2>"$T_TMP/$m-b$fam.cli.err"
		check_eq "$m-b$fam-client-exit" 0 $?
		server_done "$m-b$fam" "$m-b$fam"
	done
	# c: four pre-forked children, four clients at once
	local -A kpid
	for fam in 4 6; do
		server "$m-c$fam" "$s" --listen "${addr[$fam]}" --forks 4 --count 40 --send 100 --recv 100 --timeout 20 || continue
		kpid[$fam]=$SRV_PID
		local clis=()
		for i in 1 2 3 4; do
			client "$m-c$fam-$i" "$c" --connect "${addr[$fam]}" --port "$SRV_PORT" --send 100 --recv 100 --count 10 --timeout 20
			clis+=("$CLI_PID")
		done
		for i in 1 2 3 4; do
			reap "$m-c$fam-client$i" "${clis[i - 1]}"
		done
		server_done "$m-c$fam" "$m-c$fam"
	done
	# d: reset by the client (linger 0, once its 10 bytes are acknowledged)
	# while the stopped server has it queued; then d1's server is killed
	# (never accepted), d2's continues (accepted after the reset)
	for fam in 4 6; do
		for tag in d1 d2; do
			server "$m-$tag-$fam" "$s" --listen "${addr[$fam]}" --recv 10 --timeout 20 || continue
			kill -STOP "$SRV_PID"
			ip netns exec "$c" "$TRAFGEN" client --connect "${addr[$fam]}" --port "$SRV_PORT" --send 10 --rst \
				>"$T_TMP/$m-$tag-$fam.cli" 2>"$T_TMP/$m-$tag-$fam.cli.err"
			check_eq "$m-$tag-$fam-client-exit" 0 $?
			sleep 0.25
			if [ $tag = d1 ]; then
				kill -KILL "$SRV_PID"
				wait "$SRV_PID" 2>/dev/null
			else
				kill -CONT "$SRV_PID"
				server_done "$m-$tag-$fam" "$m-$tag-$fam"
			fi
		done
	done
	# f: the request is queued unread when the server takes it and closes
	for fam in 4 6; do
		server "$m-f$fam" "$s" --listen "${addr[$fam]}" --no-io --timeout 20 || continue
		kill -STOP "$SRV_PID"
		ip netns exec "$c" "$TRAFGEN" client --connect "${addr[$fam]}" --port "$SRV_PORT" --send 1000 \
			>"$T_TMP/$m-f$fam.cli" 2>"$T_TMP/$m-f$fam.cli.err" &
		local fcli=$!
		sleep 0.25
		kill -CONT "$SRV_PID"
		wait "$fcli"
		server_done "$m-f$fam" "$m-f$fam"
	done
	for fam in "${!qpid[@]}"; do
		reap "$m-e$fam-client" "${qcli[$fam]}"
		reap "$m-e$fam-server" "${qpid[$fam]}"
	done

	# closes: a 6, b 4, c 80, d 4, e 2, f 2; accepts: a 6, b 4, c 80, d2 2, e 2, f 2
	wait_n "$m" '.type == "close"' 98 5
	wait_n "$m" '.type == "accept"' 96 2
	check_true "$m-socktap-alive" kill -0 "$tp"
	trace_stop "$m" "$tp"
	valid "$m"
	check_eq "$m-nothing-lost" 0 "$(n "$m" '.type == "lost" and .what != "hook runs"')"
	check_eq "$m-counts" "accept=96 close=98" \
		"accept=$(n "$m" '.type == "accept"') close=$(n "$m" '.type == "close"')"
	# every accept names a process, and says how it was seen
	check_eq "$m-accepts-owned" 0 "$(n "$m" '.type == "accept" and .pid == null')"
	[ "$m" = late ] && want="close io" || want=accept
	check_eq "$m-owner-seen-values" "$want" "$(f "$m" '.type == "accept"' .owner_seen | sort -u | xargs)"

	# f: accept, close and the RST sent, each by the server
	for fam in 4 6; do
		srv=$T_TMP/$m-f$fam.srv
		[ -s "$srv" ] || continue
		spid=$(gev "$srv" listening pid)
		sport=$(gev "$srv" listening lport)
		cport=$(jq -r 'select(.event == "done") | .rport' "$srv" | head -n 1)
		[ "$m" = late ] && o=close || o=accept
		check_eq "$m-f$fam-rejected-unread" "accept:$spid:$o close:$spid:true reset:$spid:sent" \
			"$(jq -r -s --argjson sp "$sport" --argjson cp "${cport:-0}" '
				[.[] | select(.lport == $sp and .rport == $cp and (.type == "accept" or .type == "close" or .type == "reset"))] |
				sort_by(.type) | map("\(.type):\(.pid):" + (if .type == "accept" then .owner_seen
					elif .type == "close" then (.reset | tostring) else .direction end)) | join(" ")' "$T_TMP/$m.out")"
	done

	for fam in 4 6; do
		[ $fam = 4 ] && family=inet || family=inet6
		# a and b: each connection the server reports
		for tag in a b; do
			srv=$T_TMP/$m-$tag$fam.srv
			[ -s "$srv" ] || continue
			spid=$(gev "$srv" listening pid)
			sport=$(gev "$srv" listening lport)
			[ $tag = a ] && o=$own || o=close
			[ "$m" = tp ] && o=accept
			check_eq "$m-$tag$fam-connections" "$([ $tag = a ] && echo 3 || echo 2)" \
				"$(jq -c 'select(.event == "done")' "$srv" | grep -c .)"
			i=0
			while read -r cport laddr raddr; do
				i=$((i + 1))
				check_eq "$m-$tag$fam-conn$i" \
					"accepts=1 closes=1 $spid trafgen $family $laddr $raddr owner=$o queue=$q max=$mx close_pid=$spid cookie=true before_close=true bound_before_close=true" \
					"$(acc "$m" "$sport" "$cport")"
			done < <(jq -r 'select(.event == "done") | "\(.rport) \(.laddr) \(.raddr)"' "$srv")
		done

		# c: the child that printed the done line of a connection accepted
		# and closed it
		srv=$T_TMP/$m-c$fam.srv
		if [ -s "$srv" ]; then
			sport=$(gev "$srv" listening lport)
			check_eq "$m-c$fam-served" 40 "$(jq -c 'select(.event == "done")' "$srv" | grep -c .)"
			check_eq "$m-c$fam-children" \
				"$(jq -r 'select(.event == "done") | "\(.rport) \(.pid) \(.pid)"' "$srv" | sort)" \
				"$(jq -r -s --argjson sp "$sport" 'map(select(.lport == $sp)) as $e
					| ([$e[] | select(.type == "close") | {key: "\(.rport)", value: .pid}] | from_entries) as $cl
					| $e[] | select(.type == "accept") | "\(.rport) \(.pid) \($cl["\(.rport)"])"' "$T_TMP/$m.out" | sort)"
			check_eq "$m-c$fam-closes" 40 "$(n "$m" ".type == \"close\" and .lport == $sport")"
			check_eq "$m-c$fam-owner-seen" "$own" \
				"$(f "$m" ".type == \"accept\" and .lport == $sport" .owner_seen | sort -u | xargs)"
			done_pids=$(jq -r 'select(.event == "done") | .pid' "$srv" | sort -u)
			check_true "$m-c$fam-several-children" [ "$(grep -c . <<<"$done_pids")" -ge 2 ]
			check_eq "$m-c$fam-not-the-parent" "" "$(grep -x "${kpid[$fam]}" <<<"$done_pids")"
		fi

		# d1: never accepted: no accept, a close with no owner
		cport=$(g "$T_TMP/$m-d1-$fam.cli" lport)
		sport=$(g "$T_TMP/$m-d1-$fam.cli" rport)
		check_eq "$m-d1-$fam-client-sent" 10 "$(g "$T_TMP/$m-d1-$fam.cli" bytes_sent)"
		check_eq "$m-d1-$fam-never-accepted" "accepts=0 closes=1 close_pid=null reset=true" \
			"$(jq -r -s --argjson sp "${sport:-0}" --argjson cp "${cport:-0}" 'map(select(.lport == $sp and .rport == $cp))
				| "accepts=\(map(select(.type == "accept")) | length) closes=\(map(select(.type == "close")) | length)"
				+ " close_pid=\(map(select(.type == "close"))[0].pid) reset=\(map(select(.type == "close"))[0].reset)"' "$T_TMP/$m.out")"
		# d2: its close, with no owner, comes before its accept by the server,
		# whose wait (or bound) holds the 0.25 s the server was stopped
		srv=$T_TMP/$m-d2-$fam.srv
		spid=$(g "$srv" pid) sport=$(g "$srv" lport) cport=$(g "$srv" rport)
		check_eq "$m-d2-$fam-server-saw-reset" "true" "$(g "$srv" reset)"
		check_eq "$m-d2-$fam-accepted-after-reset" \
			"accepts=1 closes=1 close_first=true close_pid=null reset=true accept_pid=$spid owner=$own waited=true" \
			"$(jq -r -s --argjson sp "${sport:-0}" --argjson cp "${cport:-0}" '
				[to_entries[] | select(.value.lport == $sp and .value.rport == $cp)] as $e
				| [$e[] | select(.value.type == "accept")] as $a
				| [$e[] | select(.value.type == "close")] as $c
				| "accepts=\($a | length) closes=\($c | length)"
				+ (if ($a | length) == 1 and ($c | length) == 1 then
					" close_first=\($c[0].key < $a[0].key) close_pid=\($c[0].value.pid) reset=\($c[0].value.reset)"
					+ " accept_pid=\($a[0].value.pid) owner=\($a[0].value.owner_seen)"
					+ " waited=\(($a[0].value.queue_ns // $a[0].value.queue_max_ns // 0) >= 250000000)"
				   else "" end)' "$T_TMP/$m.out")"

		# e: queued before socktap: the server's, with neither time known
		srv=$T_TMP/$m-e$fam.srv
		spid=$(g "$srv" pid) sport=$(g "$srv" lport) cport=$(g "$srv" rport)
		check_eq "$m-e$fam-queued-before" \
			"accepts=1 closes=1 $spid trafgen $family $(g "$srv" laddr) $(g "$srv" raddr) owner=$own queue=null max=null close_pid=$spid cookie=true before_close=true bound_before_close=true" \
			"$(acc "$m" "${sport:-0}" "${cport:-0}")"
		check_eq "$m-e$fam-close" "sent=10 received=10 duration=null" \
			"$(f "$m" ".type == \"close\" and .lport == ${sport:-0} and .rport == ${cport:-0}" '"sent=\(.bytes_sent) received=\(.bytes_received) duration=\(.duration_ns)"')"
	done
	unset SOCKTAP_LADDER_SKIP
}

run late 1
run tp 2
finish
