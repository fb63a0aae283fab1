#!/usr/bin/env bash
# The man pages (man/*.8, mdoc): mandoc's lint and man's warnings find
# nothing; every option a command's --help prints is in its page's OPTIONS
# list, and every option that list documents is in --help (with the same
# argument names); every command socktap --help lists has a page, and
# socktap(8) lists every command. Needs no privilege of its own.
. "$(dirname "$0")/lib.sh"

MAN=$(cd "$(dirname "$0")/../../man" && pwd)

# help_opts CMD...: the options CMD --help lists, one a line, sorted: the
# words starting with - in its "Options:" block (for socktap itself, which
# has none, its Usage lines). A short option is one character after -, so
# lsof's SPEC ("[-port]") and prose are not taken for options.
help_block() {
	local text
	text=$("$@" --help) || return 1
	if grep -q '^Options:$' <<<"$text"; then
		sed -n '/^Options:$/,/^$/p' <<<"$text"
	else
		sed -n '1,/^$/p' <<<"$text"
	fi
}
help_opts() {
	help_block "$@" | sed -E 's/[][[:space:],|()=]+/\n/g' |
		grep -E '^(--[A-Za-z0-9][A-Za-z0-9-]*|-[A-Za-z0-9])$' | sort -u
}

# man_opts PAGE: the options PAGE documents: the Fl arguments of the .It
# lines of its OPTIONS section (".It Fl t , Fl \-tcp" gives -t and --tcp).
# man_it_map PAGE: each of them, a tab, and its .It line.
man_it_map() {
	awk '/^\.Sh / { sec = ($0 == ".Sh OPTIONS") }
	sec && /^\.It / {
		for (i = 1; i < NF; i++)
			if ($i == "Fl") {
				o = $(i + 1)
				gsub(/\\-/, "-", o)
				print "-" o "\t" $0
			}
	}' "$1"
}
man_opts() { man_it_map "$1" | cut -f1 | sort -u; }

# check_args NAME PAGE CMD...: every "OPT ARG" (or "OPT [ARG]", "OPT[=ARG]")
# in --help, ARG in capitals, has "Ar ARG" on the page's .It line of OPT.
check_args() {
	local name=$1 page=$2 bad="" opt arg
	shift 2
	man_it_map "$page" >"$T_TMP/itmap"
	while read -r opt arg; do
		awk -F'\t' -v o="$opt" '$1 == o { print $2 }' "$T_TMP/itmap" |
			grep -qE "(^|[[:space:]])Ar +\\[?$arg\\]?([[:space:]]|\$)" || bad="$bad $opt $arg;"
	done < <(help_block "$@" |
		grep -oE '(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*(\[=| \[?)[A-Z][A-Z0-9_:]*([] ,]|$)' |
		sed -E 's/^[ ,]//; s/(\[=| \[?)/ /; s/[] ,]$//' | sort -u)
	check_eq "$name" "" "$bad"
}

# check_options NAME PAGE CMD...: --help's options and the page's, both ways
check_options() {
	local name=$1 page=$2
	shift 2
	help_opts "$@" >"$T_TMP/help" || {
		fail "$name-help" "$* --help failed"
		return
	}
	man_opts "$page" >"$T_TMP/man"
	check_true "$name-help-lists-options" test -s "$T_TMP/help"
	check_eq "$name-help-options-in-man" "" "$(comm -23 "$T_TMP/help" "$T_TMP/man" | tr '\n' ' ')"
	check_eq "$name-man-options-in-help" "" "$(comm -13 "$T_TMP/help" "$T_TMP/man" | tr '\n' ' ')"
	check_args "$name-argument-names" "$page" "$@"
}

pages=("$MAN"/*.8)
check_true pages-exist test -f "$MAN/socktap.8"

# (1) lint: mandoc at warning level, and man (groff) with its warnings on
if command -v mandoc >/dev/null; then
	for p in "${pages[@]}"; do
		check_eq "lint-$(basename "$p")" "" "$(mandoc -T lint -W warning "$p" 2>&1)"
	done
else
	fail lint "mandoc is not installed (make deps)"
fi
if command -v man >/dev/null && command -v groff >/dev/null; then
	for p in "${pages[@]}"; do
		check_eq "man-warnings-$(basename "$p")" "" \
			"$(MANWIDTH=80 man --warnings -l "$p" 2>&1 >/dev/null)"
	done
fi
# each page's title is its file's name
for p in "${pages[@]}"; do
	want=$(basename "$p" .8 | tr '[:lower:]' '[:upper:]')
	check_eq "title-$(basename "$p")" ".Dt $want 8" "$(grep -m1 '^\.Dt ' "$p")"
done

# (3) every command has a page: "alias of X" commands share X's, whose
# NAME section names them too; socktap(8) lists every command
mapfile -t cmds < <("$SOCKTAP" --help | sed -n '/^Commands:$/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
check_true help-lists-commands test "${#cmds[@]}" -ge 8
for c in "${cmds[@]}"; do
	target=$("$SOCKTAP" --help | awk -v c="$c" '$1 == c && $2 == "alias" { print $4 }')
	page="$MAN/socktap-${target:-$c}.8"
	check_true "page-$c" test -f "$page"
	check_true "page-$c-name" grep -qE "^\\.Nm socktap-$c( ,)?\$" "$page"
	check_true "socktap.8-lists-$c" grep -qxF ".It Cm $c" "$MAN/socktap.8"
	[ -z "$target" ] && check_true "socktap.8-see-also-$c" grep -qE "^\\.Xr socktap-$c 8" "$MAN/socktap.8"
	# (2) the options, both ways (an alias against its command's page)
	[ -f "$page" ] && check_options "$c" "$page" "$SOCKTAP" "$c"
done
check_options socktap "$MAN/socktap.8" "$SOCKTAP"
finish
