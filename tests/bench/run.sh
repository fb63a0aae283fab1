#!/usr/bin/env bash
# Runs every benchmark (tests/bench/b_*.sh), each measuring socktap and its
# peers in the same run, then prints a markdown table of ratios and writes
# $OUTPUT/bench.json. Benchmarks print one JSON object per result:
#   {"bench","case","metric","value","baseline","baseline_value","ratio","note"}
# Absolute times on shared machines are noise: read the ratios.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${SOCKTAP:?}" "${TESTBIN:?}" "${OUTPUT:=$(pwd)/build}"
export SOCKTAP TESTBIN TRAFGEN="$TESTBIN/trafgen"
[ "$(id -u)" -eq 0 ] || { echo "bench: run as root" >&2; exit 1; }
results="$OUTPUT/bench.json"
: >"$results.tmp"
status=0
for b in "$here"/b_*.sh; do
	[ -n "${1:-}" ] && [[ $(basename "$b") != *"$1"* ]] && continue
	echo "running $(basename "$b" .sh) ..." >&2
	if ! bash "$b" >>"$results.tmp"; then
		echo "bench: $(basename "$b") failed" >&2
		status=1
	fi
done
jq -s . "$results.tmp" >"$results" && rm -f "$results.tmp"
echo
echo "| benchmark | case | metric | value | baseline | baseline value | ratio |"
echo "|---|---|---|---|---|---|---|"
jq -r '.[] | "| \(.bench) | \(.case) | \(.metric) | \(.value) | \(.baseline) | \(.baseline_value) | \(.ratio) |"' "$results"
notes=$(jq -r '.[] | select(.note != null and .note != "") | "- \(.bench) / \(.case): \(.note)"' "$results")
[ -n "$notes" ] && printf '\n%s\n' "$notes"
echo
echo "results: $results"
exit $status
