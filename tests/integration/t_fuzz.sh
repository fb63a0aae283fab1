#!/usr/bin/env bash
# The fuzz targets (tests/fuzz/), briefly: built with libFuzzer, ASan and
# UBSan (make fuzz-build), then each run for FUZZ_SMOKE_SECONDS (5) over its
# seeds, two at a time (make fuzz-smoke). One check per target: it ended
# with status 0 and left no crash input. The long runs are `make fuzz`.
. "$(dirname "$0")/lib.sh"

root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(cd "$TESTBIN/.." && pwd)
secs=${FUZZ_SMOKE_SECONDS:-5}

command -v "${CLANG:-clang}" >/dev/null || skip "no clang for the fuzz targets"
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
	>"$T_TMP/probe.c"
"${CLANG:-clang}" -fsanitize=fuzzer,address,undefined "$T_TMP/probe.c" -o "$T_TMP/probe" \
	>"$T_TMP/probe.err" 2>&1 ||
	skip "clang has no libFuzzer runtime (libclang-rt-dev): $(head -n 1 "$T_TMP/probe.err")"

targets=()
for f in "$root"/tests/fuzz/fuzz_*.c; do
	n=${f##*/fuzz_}
	targets+=("${n%.c}")
done
[ ${#targets[@]} -gt 0 ] || skip "no fuzz targets in tests/fuzz"

# a make of its own: not the jobserver of a make that ran this test
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -C "$root" OUTPUT="$out" "$@"; }

if ! mk -j2 fuzz-build >"$T_TMP/build.log" 2>&1; then
	fail fuzz-build "$(grep -m 3 -E 'error|Error' "$T_TMP/build.log" | tr '\n' ' ')"
	finish
fi
ok fuzz-build

mk -j2 -k fuzz-smoke FUZZ_SMOKE_SECONDS="$secs" >"$T_TMP/smoke.log" 2>&1
for t in "${targets[@]}"; do
	status=$(cat "$out/fuzz/smoke/$t.status" 2>/dev/null || echo "FAIL did not run")
	crashes=$(ls -A "$out/fuzz/smoke/crashes-$t" 2>/dev/null | wc -l)
	if [[ $status != ok* ]]; then
		fail "fuzz-$t" "$status"
	elif [ "$crashes" -ne 0 ]; then
		fail "fuzz-$t" "$crashes crash inputs in $out/fuzz/smoke/crashes-$t"
	else
		ok "fuzz-$t"
	fi
done
finish
