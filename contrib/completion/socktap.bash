# bash completion for socktap                                 -*- shell-script -*-
#
# Installed as $(PREFIX)/share/bash-completion/completions/socktap (loaded on
# first use by bash-completion), or sourced by hand:
#   . contrib/completion/socktap.bash
# It needs nothing from bash-completion itself.
#
# Completes the commands, each command's options, the values of the options
# that take a known set (interfaces, cgroup paths, network namespaces, pids,
# sort keys, groupings, units, event types...), ss's filter language after its
# options (keywords and state names), and nload's DEV... words (interfaces).
#
# Word lists are split on purpose ($(...) unquoted), with globbing off.
# shellcheck disable=SC2046,SC2207

# Each command's options, in the order of `socktap CMD --help`. An option
# that takes a value in the next word is written with a trailing '='.
# lsof's -i takes the next word only when it is no option (as lsof does).
# tests/integration/t_completion.sh checks these against every --help.
_socktap_opts() {
	case $1 in
	'') # socktap --help: the options before the command
		echo -j --json -v --verbose -h --help --version ;;
	ss)
		echo -t --tcp -u --udp -w --raw -x --unix -0 --packet -4 --ipv4 -6 --ipv6 \
			-f= --family= -A= --query= -l --listening -a --all -n --numeric \
			-r --resolve -p --processes -e --extended -o --options -m --memory \
			-i --info -s --summary -H --no-header -O --oneline --cgroup -N= --net= \
			--all-netns -V --version -j --json -v --verbose -h --help ;;
	netstat)
		echo -t --tcp -u --udp -w --raw -x --unix -4 --inet -6 --inet6 \
			-l --listening -a --all -n --numeric --numeric-hosts --numeric-ports \
			--numeric-users -p --programs -e --extend -o --timers -W --wide \
			-c --continuous -s --statistics -i --interfaces -j --json -v --verbose \
			-h --help ;;
	lsof)
		echo -i= -s= -p= -u= -c= -a -n -P -l -t -j --json -v --verbose -h --help ;;
	top | iftop | nethogs)
		echo -t --tcp -u --udp -4 --ipv4 -6 --ipv6 -i= --interface= -f= --filter= \
			-p= --pid= --cgroup= -n --no-dns -N --no-services -B --bytes -d= --delay= \
			-o= --order= -L= --lines= -g= --group= --exe --batch --interval= --count= \
			-j --json -v --verbose -h --help ;;
	nload)
		echo -a= -t= -u= -U= -m -i= -o= --all-netns --batch --interval= --count= \
			--by-process --by-cgroup -j --json -v --verbose -h --help ;;
	trace)
		echo -t --tcp -u --udp -4 --ipv4 -6 --ipv6 -p= --pid= -c= --comm= --port= \
			--netns= --cgroup= --events= --states -T --timestamp --ringbuf-size= \
			-j --json -v --verbose -h --help ;;
	export)
		echo --listen= --group-by= --top= -f= --filter= -p= --pid= --cgroup= \
			-j --json -v --verbose -h --help ;;
	doctor)
		echo -w= --watch= -j --json -v --verbose -h --help ;;
	esac
}

# The fixed word lists: commands (as socktap --help lists them) and values.
_socktap_words() {
	case $1 in
	commands) echo ss netstat lsof top nload trace export doctor iftop nethogs ;;
	# ss -f and -A (user/cmd_ss.c)
	families) echo inet inet6 unix link netlink ;;
	queries) echo all inet tcp udp raw unix unix_stream unix_dgram unix_seqpacket \
		packet packet_raw packet_dgram netlink ;;
	# ss's state names and groups, as ss(8) lists them (user/ssfilter.c also
	# takes the aliases close, syn-rcv, unconnected and unknown)
	states) echo established syn-sent syn-recv fin-wait-1 fin-wait-2 time-wait \
		closed close-wait last-ack listening closing all connected synchronized \
		bucket big ;;
	# ss's filter: the leading clauses, then the expression's words
	# ('(' and ')' are added escaped)
	clauses) echo state exclude ;;
	expression) echo dst src dport sport dev fwmark cgroup autobound and or not ;;
	orders) echo 2s 10s 40s sent received ;;              # top -o
	groups) echo connection process remote cgroup ;;     # top -g
	units) echo h H b B k K m M g G ;;                    # nload -u, -U
	group-by) echo comm cgroup pid ;;                     # export --group-by
	events) echo connect accept close connect_failed reset retransmit listen \
		udp_open udp_close state ;;                       # trace --events
	lsof-inet) echo 4 6 TCP UDP @ ;;                      # lsof -i (its start)
	lsof-states) echo LISTEN ESTABLISHED SYN_SENT SYN_RECV FIN_WAIT1 FIN_WAIT2 \
		TIME_WAIT CLOSE CLOSE_WAIT LAST_ACK CLOSING CLOSED ;; # lsof -s TCP:
	esac
}

# _socktap_add WORDS...: adds the words that start with $cur to COMPREPLY.
_socktap_add() {
	local IFS=$'\n' w
	for w in "$@"; do
		[[ $w == "$cur"* ]] && COMPREPLY+=("$w")
	done
}

_socktap_interfaces() {
	local n
	if [[ -d /sys/class/net ]]; then
		for n in $(compgen -f -- /sys/class/net/); do
			echo "${n##*/}"
		done
	else
		ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'
	fi
}

# Directories under the cgroup2 mount, relative to it (a leading / is kept).
_socktap_cgroups() {
	local mnt lead='' rel=$cur d
	mnt=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts 2>/dev/null)
	[[ -n $mnt ]] || return
	if [[ $rel == /* ]]; then
		lead=/
		rel=${rel#/}
	fi
	while IFS= read -r d; do
		COMPREPLY+=("$lead${d#"$mnt"/}/")
	done < <(compgen -d -- "$mnt/$rel")
	compopt -o nospace 2>/dev/null
}

_socktap_netns_names() {
	local n
	for n in $(compgen -f -- /run/netns/); do
		echo "${n##*/}"
	done
}

# trace --netns takes the namespace's inode: the named ones' and our own.
_socktap_netns_inodes() {
	stat -L -c %i /proc/self/ns/net $(compgen -f -- /run/netns/) 2>/dev/null | sort -un
}

_socktap_pids() {
	local p
	set +f # a subshell's
	for p in /proc/[0-9]*; do
		echo "${p#/proc/}"
	done
}

_socktap_comms() {
	set +f # a subshell's
	cat /proc/[0-9]*/comm 2>/dev/null | sort -u
}

# _socktap_list WORDS: a comma-separated list: completes the word after the
# last comma (which may start with ss -A's '!' or lsof -s's '^').
_socktap_list() {
	local head=${cur%"${cur##*,}"} last=${cur##*,} neg='' w
	if [[ $last == ['^!']* ]]; then
		neg=${last:0:1}
		last=${last:1}
	fi
	for w in $1; do
		[[ $w == "$last"* ]] && COMPREPLY+=("$head$neg$w")
	done
}

# _socktap_value CMD OPT: the value of option OPT. Returns 1 when OPT's value
# is no value after all (lsof's -i before an option).
_socktap_value() {
	local IFS=$' \t\n'
	case $1:$2 in
	ss:-f | ss:--family) _socktap_add $(_socktap_words families) ;;
	ss:-A | ss:--query) _socktap_list "$(_socktap_words queries)" ;;
	ss:-N | ss:--net) _socktap_add $(_socktap_netns_names) ;;
	*:-i | *:--interface)
		case $1 in
		top | iftop | nethogs) _socktap_add $(_socktap_interfaces) ;;
		lsof)
			[[ $cur == -* ]] && return 1
			_socktap_add $(_socktap_words lsof-inet)
			[[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == @ ]] &&
				compopt -o nospace 2>/dev/null
			;;
		esac ;;
	*:-o | *:--order) [[ $1 == nload ]] || _socktap_add $(_socktap_words orders) ;;
	*:-g | *:--group) _socktap_add $(_socktap_words groups) ;;
	nload:-u | nload:-U) _socktap_add $(_socktap_words units) ;;
	*:--group-by) _socktap_add $(_socktap_words group-by) ;;
	*:--cgroup) _socktap_cgroups ;;
	*:--events) _socktap_list "$(_socktap_words events)" ;;
	*:--netns) _socktap_add $(_socktap_netns_inodes) ;;
	*:-p | *:--pid) _socktap_add $(_socktap_pids) ;;
	trace:-c | trace:--comm | lsof:-c)
		local IFS=$'\n'
		_socktap_add $(_socktap_comms) ;;
	lsof:-u) COMPREPLY+=($(compgen -u -- "$cur")) ;;
	lsof:-s)
		if [[ $cur != *:* ]]; then
			_socktap_add TCP:
			compopt -o nospace 2>/dev/null
		fi ;;
	esac
	return 0
}

# ss's filter: $@ are its words before the current one.
_socktap_ss_filter() {
	local prev='' prev2='' i
	(($# >= 1)) && prev=${!#}
	(($# >= 2)) && prev2=${*:$#-1:1}
	case $prev in
	state | exclude | excl)
		_socktap_add $(_socktap_words states)
		return ;;
	dev) _socktap_add $(_socktap_interfaces); return ;;
	cgroup) _socktap_cgroups; return ;;
	= | == | '!=' | eq | ne | neq)
		case $prev2 in
		dev) _socktap_add $(_socktap_interfaces) ;;
		cgroup) _socktap_cgroups ;;
		esac
		return ;;
	dst | src | dport | sport | fwmark | '<' | '>' | '<=' | '>=' | lt | gt | le | ge | \
		leq | geq)
		return ;; # an address, port or mark
	esac
	# state and exclude clauses come first, before any expression
	for ((i = 1; i <= $#; i += 2)); do
		case ${!i} in
		state | exclude | excl) ;;
		*) break ;;
		esac
	done
	((i > $#)) && _socktap_add $(_socktap_words clauses)
	_socktap_add $(_socktap_words expression)
	case $cur in
	'' | \\) COMPREPLY+=('\(' '\)') ;;
	esac
}

_socktap() {
	local cur words=() cword i w
	local -
	set -f
	COMPREPLY=()

	# bash splits --opt=value at the '=' (COMP_WORDBREAKS): join them again
	for ((i = 0; i <= COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ $w == = && ${#words[@]} -gt 0 && ${words[-1]} == --[a-z]* && ${words[-1]} != *=* ]]; then
			words[-1]+="="
			if ((i < COMP_CWORD)); then
				((i++))
				words[-1]+=${COMP_WORDS[i]}
			fi
		else
			words+=("$w")
		fi
	done
	cword=$((${#words[@]} - 1))
	cur=${words[cword]}

	# the command: the first word after the global options
	local ci=0 cmd=
	for ((i = 1; i < cword; i++)); do
		if [[ ${words[i]} != -* ]]; then
			ci=$i
			cmd=${words[i]}
			break
		fi
	done
	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			_socktap_add $(_socktap_opts "" | tr -d =)
		else
			_socktap_add $(_socktap_words commands)
		fi
		return 0
	fi
	local opts
	opts=" $(_socktap_opts "$cmd") "
	[[ $opts == "  " ]] && return 0

	# lsof -s TCP:STATES: bash splits the word at its ':'
	if [[ $cmd == lsof && $cur == : && ${words[cword-1]} == TCP && ${words[cword-2]} == -s ]]; then
		cur=
		_socktap_list "$(_socktap_words lsof-states)"
		return 0
	elif [[ $cmd == lsof && ${words[cword-1]} == : && ${words[cword-2]} == TCP &&
		${words[cword-3]} == -s ]]; then
		_socktap_list "$(_socktap_words lsof-states)"
		return 0
	fi

	# --opt=VALUE
	if [[ $cur == --*=* ]]; then
		local opt=${cur%%=*}
		[[ $opts == *" $opt= "* ]] || return 0
		cur=${cur#*=}
		_socktap_value "$cmd" "$opt"
		# where '=' breaks words, bash replaces only what follows it
		if [[ $COMP_WORDBREAKS != *=* ]]; then
			for i in "${!COMPREPLY[@]}"; do
				COMPREPLY[i]=$opt=${COMPREPLY[i]}
			done
		fi
		return 0
	fi

	# the words after the command: options, their values and the rest
	local want='' stop=0 c rest=()
	for ((i = ci + 1; i < cword; i++)); do
		w=${words[i]}
		if [[ -n $want ]]; then
			want=
			# lsof's -i takes the next word only when it is no option
			[[ $cmd == lsof && $w == -* ]] || continue
		fi
		if ((stop)) || [[ $w != -?* ]]; then
			rest+=("$w")
			# ss: the first word that is no option starts the filter
			[[ $cmd == ss ]] && stop=1
			continue
		fi
		if [[ $w == -- ]]; then
			stop=1
		elif [[ $w == --* ]]; then
			[[ $w != *=* && $opts == *" $w= "* ]] && want=$w
		else
			for ((c = 1; c < ${#w}; c++)); do
				if [[ $opts == *" -${w:c:1}= "* ]]; then
					((c == ${#w} - 1)) && want=-${w:c:1}
					break
				fi
			done
		fi
	done

	if [[ -n $want ]]; then
		_socktap_value "$cmd" "$want" && return 0
	fi
	if ((!stop)) && [[ $cur == -* ]]; then
		_socktap_add $(tr -d = <<<"$opts")
		return 0
	fi
	case $cmd in
	ss) _socktap_ss_filter "${rest[@]}" ;;
	nload)
		# DEV...: the interfaces not given yet
		local dev seen
		for dev in $(_socktap_interfaces); do
			seen=0
			for w in "${rest[@]}"; do
				[[ $w == "$dev" ]] && seen=1
			done
			((seen)) || _socktap_add "$dev"
		done ;;
	*) ((stop)) || _socktap_add $(tr -d = <<<"$opts") ;;
	esac
	return 0
}

complete -F _socktap socktap
