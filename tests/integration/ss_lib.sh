# Helpers of the listing tests (sourced after lib.sh): a known mix of
# sockets in a namespace (tests/sockmix.c), and the normalisation that lets
# two listings of it be compared field by field.
#
# Normalisation (ss_norm), and why each step is legitimate:
#   - columns are whitespace-separated; alignment is layout, not content, so
#     runs of blanks become one space. The header is compared with all blanks
#     removed (ss glues "Address:Port" and "Process" when a column is full).
#   - a -i/-m continuation line (tab-indented) is joined to its socket's row.
#   - control bytes become \xNN: ss prints a process name's bytes raw, and
#     socktap must escape them (checked apart, on socktap's raw output).
#   - the Process column users:((...),(...)) is one field even if a name
#     has blanks, and its entries are sorted: their order is the order of a
#     /proc walk, not information.
#   - timer:(NAME,EXPIRES,RETRANS) keeps NAME only: the time left and the
#     retransmission count move on between two reads (SYN-SENT retransmits).
#   - -m: skmem keeps r, rb, t, tb (rb and tb only on busy rows, below):
#     f (forward allocation), w, o, bl and d (drops: the zero-window probes
#     the FIN-WAIT-1 peer drops) move on their own.
#   - -i: only stable keys are kept: the flags (ts sack ecn ecnseen fastopen
#     app_limited ...), the congestion control's name, wscale mss pmtu
#     rcvmss advmss cwnd ssthresh bytes_sent bytes_retrans bytes_acked
#     bytes_received segs_out segs_in data_segs_out data_segs_in delivered
#     notsent snd_wnd rcv_wnd rcv_space rcv_ssthresh minrtt reordering.
#     Dropped: rto backoff rtt ato lastsnd lastrcv lastack send pacing_rate
#     delivery_rate busy rwnd_limited unacked lost retrans and the
#     congestion control's own block (bbr:(...)): times and rates.
#   - busy rows: the SYN-SENT socket (retransmits its SYN), the FIN-WAIT-1
#     pair (zero-window probes) and the keepalive pair also lose segs_*, data_segs_*, delivered and
#     cwnd/ssthresh. Their Recv-Q/Send-Q stay: they do not move (the window
#     is closed, the SYN is one byte).
#   - Recv-Q/Send-Q are zeroed on netlink rows only: the kernel's sock_diag
#     socket queues the reading tool's own requests. A netlink row whose
#     port names a process that is gone ("4:1234" with -n, "tcpdiag:ss/1234"
#     without) is dropped: it was the reading tool's own socket (a port
#     bound by hand to a number no process has goes too). "kernel", 0 and
#     negative (autobound) ports stay.
#   - rows are sorted: ss prints them in hash order, which varies.
#   - -s (summary): blanks collapsed; the TCP line's total and "closed"
#     (from the host-wide allocation count of /proc/net/sockstat) and
#     "Total:" (which counts the reading tool's own sockets) are not compared.
: "${SOCKMIX:=$TESTBIN/sockmix}"
SS=${SS:-ss}

declare -A MIX_NS MIX_PID MIX_OUT MIX_T0 MIX_BASE MIX_GEN MIX_ARGS

# mix_start TAG BASE [SOCKMIX OPTIONS...]: a new namespace (NS, and
# MIX_NS[TAG]) with lo up and the never-answering 198.18.1.0/24 on dummy0,
# sockmix running in it with --base-port BASE; returns once sockmix is ready
# (its JSON lines in MIX_OUT[TAG]). Again with the same TAG (see mix_fresh):
# a new generation in a new namespace, with the same options.
mix_start() {
	local tag=$1 base=$2 gen ns
	shift 2
	gen=$((${MIX_GEN[$tag]:--1} + 1))
	MIX_GEN[$tag]=$gen
	MIX_BASE[$tag]=$base
	MIX_ARGS[$tag]="$*"
	netns_add "$tag$gen" || return 1
	ns=$NS
	MIX_NS[$tag]=$ns
	# SYN-SENT needs a route to a host that never answers: a dummy device,
	# or where the kernel has no dummy driver, a veth whose peer is nobody.
	# A permanent neighbour keeps ARP from failing, which would report the
	# host unreachable and abort the connect.
	if ! ip -n "$ns" link add dummy0 type dummy 2>/dev/null; then
		ip -n "$ns" link add dummy0 type veth peer name dummy0p || return 1
		ip -n "$ns" link set dummy0p up
	fi
	ip -n "$ns" addr add 198.18.1.1/24 dev dummy0
	ip -n "$ns" link set dummy0 up
	ip -n "$ns" neigh replace 198.18.1.2 lladdr 02:00:00:00:00:02 dev dummy0 nud permanent \
		2>/dev/null
	mkdir -p "$T_TMP/$tag.unix"
	MIX_OUT[$tag]=$T_TMP/$tag.$gen.mix
	bg ip netns exec "$ns" "$SOCKMIX" --base-port "$base" --unix-dir "$T_TMP/$tag.unix" \
		--timeout 300 "$@" >"${MIX_OUT[$tag]}" 2>"$T_TMP/$tag.$gen.err"
	MIX_PID[$tag]=$BG_PID
	MIX_T0[$tag]=$(date +%s)
	if ! wait_for "${MIX_OUT[$tag]}" '"event":"ready"' 20; then
		fail "$tag-mix-ready" "sockmix not ready: $(head -c 300 "$T_TMP/$tag.$gen.err")"
		return 1
	fi
}

# mix_stop TAG: sockmix ends (it must, on SIGTERM, with status 0), its
# namespace goes with every socket the kernel still held.
mix_stop() {
	local rc
	kill -TERM "${MIX_PID[$1]}" 2>/dev/null
	wait "${MIX_PID[$1]}" 2>/dev/null
	rc=$?
	[ "$rc" -eq 0 ] || fail "$1-mix-exit" "sockmix exited with status $rc"
	ip netns del "${MIX_NS[$1]}" 2>/dev/null
}

# mix_fresh TAG [MAXAGE]: TIME-WAIT and the orphaned FIN-WAIT-2 last 60 s;
# a mix older than MAXAGE (40) seconds is made again in a new namespace.
mix_fresh() {
	local tag=$1
	[ $(($(date +%s) - ${MIX_T0[$tag]})) -lt "${2:-40}" ] && return 0
	mix_stop "$tag"
	# shellcheck disable=SC2086 # the options were words
	mix_start "$tag" "${MIX_BASE[$tag]}" ${MIX_ARGS[$tag]}
}

# mix_role TAG ROLE FIELD: FIELD of the socket sockmix made for ROLE
mix_role() { jq -r --arg r "$2" "select(.role == \$r) | .$3" "${MIX_OUT[$1]}"; }

# mix_busy TAG: the endpoints (ss's ADDR:PORT, no %dev) of the rows whose
# counters move: the FIN-WAIT-1 writer (local, also the peer's peer), the
# keepalive prober (the same) and the SYN-SENT socket (its peer).
mix_busy() {
	jq -r '(select(.role == "tcp-finwait1" or .role == "tcp-estab-bound-client") |
		"\(.local):\(.lport)"),
	       (select(.role == "tcp-synsent") | "\(.peer):\(.pport)")' "${MIX_OUT[$1]}" | xargs
}

# ss_norm [BUSY]: stdin, a listing by ss (or a tool that says it prints
# the same), to one normalised row per line, sorted, header first.
ss_norm() {
	LC_ALL=C awk -v busy="${1:-}" '
	BEGIN {
		for (i = 1; i < 32; i++)
			esc[sprintf("%c", i)] = sprintf("\\x%02x", i)
		esc[sprintf("%c", 127)] = "\\x7f"
		n = split(busy, b, " ")
		for (i = 1; i <= n; i++)
			isbusy[b[i]] = 1
		n = split("uid ino sk cgroup v6only dev peers fwmark tos tclass class_id", w, " ")
		for (i = 1; i <= n; i++)
			keep_e[w[i]] = 1
		n = split("wscale mss pmtu rcvmss advmss cwnd ssthresh bytes_sent bytes_retrans " \
			  "bytes_acked bytes_received segs_out segs_in data_segs_out data_segs_in " \
			  "delivered notsent snd_wnd rcv_wnd rcv_space rcv_ssthresh minrtt reordering", w, " ")
		for (i = 1; i <= n; i++)
			keep_i[w[i]] = 1
		n = split("segs_out segs_in data_segs_out data_segs_in delivered cwnd ssthresh", w, " ")
		for (i = 1; i <= n; i++)
			moving[w[i]] = 1
		n = split("send pacing_rate delivery_rate", w, " ")
		for (i = 1; i <= n; i++)
			valued[w[i]] = 1
	}
	function escape(s,    o, i, c) {
		if (s !~ /[\001-\037\177]/)
			return s
		o = ""
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			o = o ((c in esc) ? esc[c] : c)
		}
		return o
	}
	# users:((a),(b)) with its entries sorted
	function users(s,    inner, n, e, i, j, t, o) {
		inner = substr(s, 9, length(s) - 10)
		n = split(inner, e, /\),\(/)
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && e[j - 1] > e[j]; j--) {
				t = e[j]; e[j] = e[j - 1]; e[j - 1] = t
			}
		o = e[1]
		for (i = 2; i <= n; i++)
			o = o "),(" e[i]
		return "users:((" o "))"
	}
	function skmem(s, busy,    inner, n, f, i, o, k) {
		inner = substr(s, 8, length(s) - 8)
		n = split(inner, f, ",")
		o = ""
		for (i = 1; i <= n; i++) {
			k = f[i]
			sub(/[0-9]+$/, "", k)
			if (k == "rb" || k == "tb" || (!busy && (k == "r" || k == "t")))
				o = o (o == "" ? "" : ",") f[i]
		}
		return "skmem:(" o ")"
	}
	function endpoint(s) {
		sub(/%[^:]*:/, ":", s)
		return s
	}
	# not a socket: the -s summary. Blanks are layout there too. The TCP
	# line'"'"'s total and "closed" come from the allocation count of
	# /proc/net/sockstat, which is host-wide, and "Total:" counts the
	# reading tool'"'"'s own sockets: those three numbers are not compared.
	function other(r) {
		gsub(/[ \t]+/, " ", r)
		sub(/^ /, "", r)
		sub(/ $/, "", r)
		r = escape(r)
		if (r ~ /^TCP: [0-9]+ \(/) {
			sub(/^TCP: [0-9]+/, "TCP: N", r)
			sub(/closed [0-9]+/, "closed N", r)
		}
		sub(/^Total: [0-9]+/, "Total: N", r)
		if (r != "")
			print "~ " r
	}
	function emit(raw,    row, n, t, i, k, j, tok, out, q, local, peer, rest, netid, isb, key, lead, port, pid) {
		row = escape(raw)
		n = split(row, t)
		# the Process column is one field, whatever blanks a name has
		j = 0
		for (i = 1; i <= n; i++) {
			tok = t[i]
			if (tok ~ /^users:\(\(/)
				while (tok !~ /\)\)$/ && i < n)
					tok = tok " " t[++i]
			f[++j] = tok
		}
		n = j
		for (q = 1; q <= 3 && q <= n; q++)
			if (f[q] ~ /^[0-9]+$/)
				break
		if (q > 3 || q + 3 > n || f[1] ~ /:$/) {
			other(raw)
			return
		}
		lead = ""
		for (i = 1; i < q; i++)
			lead = lead f[i] " "
		netid = q > 1 ? f[1] : ""
		# Unix: "NAME INODE" on both sides
		if (f[q + 3] ~ /^[0-9]+$/ && q + 5 <= n) {
			local = f[q + 2] " " f[q + 3]
			peer = f[q + 4] " " f[q + 5]
			k = q + 6
		} else {
			local = f[q + 2]
			peer = f[q + 3]
			k = q + 4
		}
		if (netid == "nl") {
			port = local
			sub(/^[^:]*:/, "", port)
			pid = port
			sub(/^.*\//, "", pid)
			if (port != "0" && port != "kernel" && pid ~ /^[0-9]+$/ &&
			    (port ~ /\// || port ~ /^[0-9]+$/) && system("test -d /proc/" pid) != 0)
				return
			f[q] = 0
			f[q + 1] = 0
		}
		isb = (endpoint(local) in isbusy) || (endpoint(peer) in isbusy)
		out = lead f[q] " " f[q + 1] " " local " " peer
		for (i = k; i <= n; i++) {
			tok = f[i]
			key = tok
			sub(/:.*$/, "", key)
			if (tok ~ /^users:\(\(/)
				tok = users(tok)
			else if (tok ~ /^timer:\(/)
				sub(/,.*$/, ")", tok)
			else if (tok ~ /^skmem:\(/)
				tok = skmem(tok, isb)
			else if (tok ~ /^(<->|-->|<--|---)$/ || (key in keep_e))
				;
			else if (tok ~ /^[a-z_]+$/ && !(tok in valued))
				;
			else if (tok ~ /^[a-z_]+:/ && (key in keep_i) && !(isb && (key in moving)))
				;
			else
				continue
			out = out " " tok
		}
		print out
	}
	NR == 1 && /^(Netid|State|Recv-Q)/ {
		h = $0
		gsub(/[ \t]+/, "", h)
		print "#header " h
		next
	}
	/^[ \t]/ {
		if (row != "") {
			sub(/^[ \t]+/, "", $0)
			row = row " " $0
		}
		next
	}
	{
		if (row != "")
			emit(row)
		row = $0
	}
	END {
		if (row != "")
			emit(row)
	}' | LC_ALL=C sort
}

# ss_excerpt A B: the first lines where normalised listings A (ss) and B
# (the tool) differ, on one line: "-" only in ss, "+" only in the tool.
ss_excerpt() {
	diff "$1" "$2" | LC_ALL=C sed -n 's/^< /-/p; s/^> /+/p' | head -n "${3:-6}" |
		cut -c 1-220 | paste -sd '|' | sed 's/|/ | /g'
}

# ss_owners [ALL]: stdin, a normalised `ss -tuxanpeH` listing, to one line
# per socket: for sockets with an inode "PROTO INODE STATE OWNERS", else
# "PROTO LOCAL PEER STATE OWNERS", where OWNERS is "comm/pid/fd,..." sorted
# ("-" when none). The inode of an inet socket is its ino: field, of a Unix
# socket the number after its name (ino: there is the path's inode).
ss_owners() {
	LC_ALL=C awk '
	function owners(s,    o, n, e, i, j, t, c, p, d) {
		if (s == "")
			return "-"
		s = substr(s, 9, length(s) - 10)
		n = split(s, e, /\),\(/)
		for (i = 1; i <= n; i++) {
			c = e[i]
			sub(/^"/, "", c)
			sub(/",pid=.*$/, "", c)
			p = e[i]
			sub(/^.*",pid=/, "", p)
			d = p
			sub(/,.*$/, "", p)
			sub(/^.*fd=/, "", d)
			e[i] = c "/" p "/" d
		}
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && e[j - 1] > e[j]; j--) {
				t = e[j]; e[j] = e[j - 1]; e[j - 1] = t
			}
		o = e[1]
		for (i = 2; i <= n; i++)
			o = o "," e[i]
		return o
	}
	!/^#/ {
		netid = $1
		state = $2
		u = ""
		ino = ""
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^users:\(\(/) {
				u = $i
				while (u !~ /\)\)$/ && i < NF)
					u = u " " $(++i)
			} else if ($i ~ /^ino:/) {
				ino = substr($i, 5)
			}
		}
		if (netid ~ /^u_/) {
			print netid, $6, state, owners(u)
		} else if (ino != "" && ino != "0") {
			print netid, ino, state, owners(u)
		} else {
			print netid, $5, $6, state, owners(u)
		}
	}' | LC_ALL=C sort
}

# mix_expected TAG: "ROLE<tab>LINE" for every socket sockmix made, where
# LINE is what ss_owners must say of it (the kernel-held ones are all IPv4,
# on 127.0.0.1: their rows are easy to name)
mix_expected() {
	jq -r '
		def esc: [explode[] | if . < 32 or . == 127 then "\\x" + ([(. / 16 | floor), . % 16]
			| map("0123456789abcdef"[.:.+1]) | add) else [.] | implode end] | add // "";
		def owners: if (.owners | length) == 0 then "-"
			else [.owners[] | "\(.comm | esc)/\(.pid)/\(.fd)"] | sort | join(",") end;
		select(.role) | "\(.role)\t" +
		if .inode != 0 then "\(.proto) \(.inode) \(.state) \(owners)"
		else "\(.proto) \(.local):\(.lport) \(.peer):\(.pport) \(.state) \(owners)" end
	' "${MIX_OUT[$1]}"
}
