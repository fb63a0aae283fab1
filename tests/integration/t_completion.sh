#!/usr/bin/env bash
# Shell completion (contrib/completion): bash's registers itself and
# completes commands, options, option values, ss's filter and nload's
# devices; zsh's parses (and completes the same, where zsh is installed);
# and every option each --help lists is in the completion's list for that
# command, so an option added without its completion fails here.
. "$(dirname "$0")/lib.sh"

DIR=$(cd "$(dirname "$0")/../../contrib/completion" && pwd)
BASHCOMP=$DIR/socktap.bash

# comp WORD...: what _socktap offers when the WORDs are bash's COMP_WORDS
# and the last one is being completed (as bash splits: '=' and ':' are
# words of their own), sorted, on one line. In a bash of its own, with set -u.
comp() {
	bash --norc --noprofile -uc '
		source "$0" || exit 1
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_socktap socktap "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort | paste -sd " "
	' "$BASHCOMP" "$@" 2>&1
}
# comp_in NS WORD...: comp in network namespace NS (its own /sys/class/net)
comp_in() {
	local ns=$1
	shift
	ip netns exec "$ns" bash -c "$(declare -f comp); BASHCOMP='$BASHCOMP'; comp \"\$@\"" _ "$@"
}

# ---- bash: registration -------------------------------------------------
check_eq bash-complete-p "complete -F _socktap socktap" \
	"$(bash --norc --noprofile -c 'source "$0"; complete -p socktap' "$BASHCOMP" 2>&1)"

# ---- bash: commands and options -----------------------------------------
check_eq bash-commands "doctor export iftop lsof nethogs netstat nload ss top trace" "$(comp socktap '')"
check_eq bash-command-prefix "nethogs netstat nload" "$(comp socktap n)"
check_eq bash-global-options "--help --json --verbose --version -h -j -v" "$(comp socktap -)"
check_eq bash-command-after-global "ss" "$(comp socktap -j s)"
check_eq bash-ss-long-t "--tcp" "$(comp socktap ss --t)"
check_eq bash-netstat-numeric "--numeric-hosts --numeric-ports --numeric-users" \
	"$(comp socktap netstat --numeric-)"
check_eq bash-alias-options "$(comp socktap top -)" "$(comp socktap nethogs -)"
check_eq bash-doctor-options "--help --json --verbose --watch -h -j -v -w" "$(comp socktap doctor '')"

# ---- bash: option values ------------------------------------------------
check_eq bash-export-group-by "cgroup comm" "$(comp socktap export --group-by c)"
check_eq bash-export-group-by-eq "cgroup comm" "$(comp socktap export --group-by = c)"
check_eq bash-export-group-by-all "cgroup comm pid" "$(comp socktap export --group-by = '')"
check_eq bash-top-order "10s 2s 40s received sent" "$(comp socktap top -o '')"
check_eq bash-top-order-long "received" "$(comp socktap top --order r)"
check_eq bash-top-group "cgroup connection process remote" "$(comp socktap iftop -g '')"
check_eq bash-top-group-stacked "cgroup connection process remote" "$(comp socktap top -Bg '')"
check_eq bash-nload-units "B G H K M b g h k m" "$(comp socktap nload -u '')"
check_eq bash-nload-units-totals "M" "$(comp socktap nload -U M)"
check_eq bash-nload-kbits-free "" "$(comp socktap nload -i '')"
check_eq bash-ss-family "inet inet6" "$(comp socktap ss -f ine)"
check_eq bash-ss-query-list "unix,packet unix,packet_dgram unix,packet_raw" "$(comp socktap ss -A unix,p)"
check_eq bash-trace-events-list "connect,accept" "$(comp socktap trace --events connect,a)"
check_eq bash-lsof-inet "4 6 @ TCP UDP" "$(comp socktap lsof -i '')"
check_eq bash-lsof-i-then-option "-i" "$(comp socktap lsof -i -i)"
check_eq bash-lsof-states "TCP:" "$(comp socktap lsof -s '')"
check_eq bash-lsof-states-tcp "LAST_ACK LISTEN" "$(comp socktap lsof -s TCP : L)"
check_eq bash-lsof-states-list "LISTEN,^ESTABLISHED" "$(comp socktap lsof -s TCP : LISTEN,^E)"
check_eq bash-free-value "" "$(comp socktap top -d '')"
check_true bash-pids grep -qw 1 <<<"$(comp socktap top -p '')"

# ---- bash: ss's filter --------------------------------------------------
check_eq bash-ss-state-prefix "established" "$(comp socktap ss -tan state est)"
check_eq bash-ss-clause-prefix "state" "$(comp socktap ss -tan st)"
states=$(comp socktap ss -tan exclude '')
check_eq bash-ss-states "all big bucket close-wait closed closing connected established fin-wait-1 fin-wait-2 last-ack listening syn-recv syn-sent synchronized time-wait" "$states"
# every state name offered is one socktap's ss takes
bad=
for s in $states; do
	"$SOCKTAP" ss -tan state "$s" >/dev/null 2>&1 || bad+=" $s"
done
check_eq bash-ss-states-accepted "" "$bad"
first='\( \) and autobound cgroup dev dport dst exclude fwmark not or sport src state'
check_eq bash-ss-filter-start "$first" "$(comp socktap ss -tan '')"
check_eq bash-ss-filter-after-state "$first" "$(comp socktap ss -tan state listening '')"
# after an expression, no more state clauses
check_eq bash-ss-filter-expression '\( \) and autobound cgroup dev dport dst fwmark not or sport src' \
	"$(comp socktap ss -tan dport = : ssh '')"
check_eq bash-ss-filter-port "" "$(comp socktap ss -tan sport '')"
check_eq bash-ss-after-double-dash "state" "$(comp socktap ss -- st)"
check_eq bash-ss-options-first "--tcp" "$(comp socktap ss -n --tc)"
# an option's value is no filter: -N's name, then options again
check_eq bash-ss-value-then-option "--tcp" "$(comp socktap ss -N x --tc)"

# ---- bash: interfaces, namespaces, cgroups ------------------------------
check_eq bash-nload-lo "lo" "$(comp socktap nload l)"
if netns_add comp && ip -n "$NS" link add "stc$$a" type veth peer name "stc$$b"; then
	check_eq bash-nload-devs "lo stc$$a stc$$b" "$(comp_in "$NS" socktap nload '')"
	check_eq bash-nload-devs-not-twice "lo stc$$b" "$(comp_in "$NS" socktap nload -m "stc$$a" '')"
	check_eq bash-nload-devs-after-option "stc$$a stc$$b" "$(comp_in "$NS" socktap nload -t 100 s)"
	check_eq bash-top-interface "lo stc$$a stc$$b" "$(comp_in "$NS" socktap top -i '')"
	check_eq bash-top-interface-eq "stc$$a stc$$b" "$(comp_in "$NS" socktap top --interface = s)"
	check_eq bash-ss-filter-dev "stc$$a stc$$b" "$(comp_in "$NS" socktap ss -t dev = s)"
	check_eq bash-ss-netns "$NS" "$(comp socktap ss -N "$NS")"
	check_true bash-trace-netns grep -qw "$(netns_inode "$NS")" <<<"$(comp socktap trace --netns '')"
else
	fail namespace "cannot create a namespace with a veth pair"
fi
if cgroup_add comp && mkdir "$CG/inner"; then
	T_CGROUPS=("$CG/inner" "${T_CGROUPS[@]}")
	name=${CG##*/}
	check_eq bash-top-cgroup "$name/" "$(comp socktap top --cgroup "$name")"
	check_eq bash-trace-cgroup-slash "/$name/" "$(comp socktap trace --cgroup "/$name")"
	check_eq bash-export-cgroup-inner "$name/inner/" "$(comp socktap export --cgroup = "$name/")"
	check_eq bash-ss-filter-cgroup "/$name/" "$(comp socktap ss -t cgroup "/$name")"
else
	fail cgroup "cannot create a cgroup v2 directory"
fi

# ---- zsh ------------------------------------------------------------------
# zsh is no dependency of the project: where it is not installed these
# checks are left out (not counted as passed).
if command -v zsh >/dev/null; then
	check_true zsh-syntax zsh -n "$DIR/_socktap"
	# zcomp LINE: what zsh's completion offers for LINE, sorted, on one line:
	# an interactive zsh on a pty, with compadd wrapped to record its matches
	cat >"$T_TMP/zcomp.zsh" <<'EOF'
zmodload zsh/zpty || exit 1
zpty z zsh -f -i
zpty -w z "fpath=(${(q)1} \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z "_zc_out=${(q)3}"
zpty -w z 'compprefuncs=(_zc_pre); _zc_pre() { compadd() { local -a _zc_h; if (( $@[(I)-O] + $@[(I)-A] + $@[(I)-D] )); then builtin compadd "$@"; return; fi; builtin compadd -A _zc_h "$@"; local r=$?; builtin compadd "$@"; (( $#_zc_h )) && print -rl -- $_zc_h >>$_zc_out; return r; } }'
zpty -w z 'LISTMAX=100000; zstyle ":completion:*" menu no; bindkey "^I" complete-word'
# the prompt, "P>", says zle reads the line
zpty -w z 'PS1="P"">"; print ready$((6*7))'
zpty -r z out '*ready42*P>*' || exit 1
: >$3
zpty -w -n z "$2"$'\t'
zpty -w z $'\C-u'"print done\$((6*7))"
zpty -r z out '*done42*' || exit 1
zpty -d z
EOF
	# (tried twice: a pty session that offers nothing is tried again)
	zcomp() {
		local out
		for _ in 1 2; do
			rm -f "$T_TMP/zout"
			if timeout 30 zsh -f "$T_TMP/zcomp.zsh" "$DIR" "$1" "$T_TMP/zout" >/dev/null 2>&1; then
				out=$(LC_ALL=C sort -u "$T_TMP/zout" | paste -sd " ")
			else
				out="(zsh failed)"
			fi
			[ -n "$out" ] && [ "$out" != "(zsh failed)" ] && break
		done
		echo "$out"
	}
	check_eq zsh-commands "doctor export iftop lsof nethogs netstat nload ss top trace" "$(zcomp 'socktap ')"
	check_eq zsh-command-prefix "nethogs netstat nload" "$(zcomp 'socktap n')"
	check_eq zsh-ss-long-t "--tcp" "$(zcomp 'socktap ss --t')"
	check_eq zsh-ss-state-prefix "established" "$(zcomp 'socktap ss -tan state est')"
	check_eq zsh-ss-clause-prefix "state" "$(zcomp 'socktap ss -tan st')"
	check_eq zsh-nload-lo "lo" "$(zcomp 'socktap nload l')"
	check_eq zsh-export-group-by "cgroup comm" "$(zcomp 'socktap export --group-by c')"
	check_eq zsh-top-order "10s 2s 40s received sent" "$(zcomp 'socktap top -o ')"
fi

# ---- consistency with --help ----------------------------------------------
# opts_of CMD: the completion's options for CMD ('' for socktap's own), one a
# line, sorted; with a trailing '=' on those that take a value.
opts_of() {
	bash --norc --noprofile -c 'source "$0"; _socktap_opts "$1" | tr " " "\n" | sed "/^$/d" | LC_ALL=C sort -u' \
		"$BASHCOMP" "$1"
}
# help_opts: every option the Options section of a --help on stdin names
help_opts() {
	sed -n '/^Options:/,/^$/p' | grep -oE -- '(^|[[:space:]])(-[A-Za-z0-9]|--[a-z0-9][a-z0-9-]*)([,[:space:]]|\[|$)' |
		sed -E 's/^[[:space:]]+//; s/[,[:space:][]+$//' | LC_ALL=C sort -u
}
# help_valued: the options that section shows with a value (FILE, [SPEC],
# a|b|c) in the next word
help_valued() {
	sed -n '/^Options:/,/^$/p' | grep -oE -- '(^|[[:space:]])(-[A-Za-z0-9], )?(-[A-Za-z0-9]|--[a-z0-9][a-z0-9-]*) (\[?[A-Z][A-Z0-9:]*\]?|[A-Za-z]+(\|[A-Za-z]+)+)' |
		sed -E 's/^[[:space:]]+//; s/ [^ ]*$//; s/, /\n/' | LC_ALL=C sort -u
}

help=$("$SOCKTAP" --help)
cmds=$(sed -n '/^Commands:/,$p' <<<"$help" | awk 'NR > 1 && /^  [a-z]/ { print $1 }' | LC_ALL=C sort | paste -sd " ")
check_eq consistency-commands "$cmds" "$(comp socktap '')"
# socktap's own options (the usage lines): all completed
missing=$(comm -23 <(sed -n '1,/^$/p' <<<"$help" | grep -oE -- '--?[a-z]+' | LC_ALL=C sort -u) \
	<(opts_of '' | tr -d =) | paste -sd " ")
check_eq consistency-global "" "$missing"
for cmd in $cmds; do
	h=$("$SOCKTAP" "$cmd" --help)
	grep -q '^Options:' <<<"$h" || {
		fail "consistency-$cmd" "no Options: section in its --help"
		continue
	}
	listed=$(opts_of "$cmd")
	# the same options as --help, no more, no fewer
	check_eq "consistency-$cmd-options" "$(help_opts <<<"$h" | paste -sd " ")" \
		"$(tr -d = <<<"$listed" | LC_ALL=C sort -u | paste -sd " ")"
	# and those that take a value are the ones --help shows with one
	check_eq "consistency-$cmd-values" "$(help_valued <<<"$h" | paste -sd " ")" \
		"$(grep '=$' <<<"$listed" | tr -d = | LC_ALL=C sort -u | paste -sd " ")"
done
finish
