#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the unit tests (the programs, then the *_test.sh scripts beside
# this one) and replay the fuzzers' seed inputs, pass their TAP
# through, and end with one line: "unit: N passed, N failed[, N skipped]".
#
#   run-tests.sh BUILD_DIR "TEST..." "FUZZER..." HAVE_FUZZ_CC
#
# A program that exits non-zero without printing "not ok" gets a "not ok"
# line of its own, so that a crash is never counted as a pass. Fuzzers are
# skipped if HAVE_FUZZ_CC is empty (no clang with libFuzzer).

build=$1
tests=$2
fuzzers=$3
have_fuzz_cc=$4
timeout_seconds=${UNIT_TEST_TIMEOUT:-300}
passed=0
failed=0
skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Print a program's output and add its TAP lines to the counts.
count_results() {
	local name=$1 status=$2

	cat "$log"
	passed=$((passed + $(grep -E '^ok ' "$log" | grep -vc '# SKIP')))
	skipped=$((skipped + $(grep -cE '^ok .*# SKIP' "$log")))
	failed=$((failed + $(grep -cE '^not ok ' "$log")))
	if [ "$status" -ne 0 ] && ! grep -qE '^not ok ' "$log"; then
		echo "not ok - $name: exited with status $status"
		failed=$((failed + 1))
	fi
}

for test in $tests; do
	echo "# $test"
	timeout "$timeout_seconds" "$build/$test" >"$log" 2>&1
	count_results "$test" $?
done

# The shell tests beside them (tests/lib's shell helpers).
for test in "$(dirname "$0")"/*_test.sh; do
	[ -x "$test" ] || continue
	echo "# ${test##*/}"
	timeout "$timeout_seconds" "$test" >"$log" 2>&1
	count_results "${test##*/}" $?
done

for fuzzer in $fuzzers; do
	echo "# $fuzzer: replay of ${fuzzer}_corpus/"
	if [ -z "$have_fuzz_cc" ]; then
		echo "ok - $fuzzer replays its seeds # SKIP clang-14 not installed (apt-get install clang-14 libclang-rt-14-dev)"
		skipped=$((skipped + 1))
		continue
	fi
	timeout "$timeout_seconds" "$build/$fuzzer" "${fuzzer}_corpus"/* >"$log" 2>&1
	status=$?
	echo "# $(grep -c '^Executed' "$log") seed inputs replayed"
	if [ $status -eq 0 ]; then
		echo "ok - $fuzzer replays its seeds"
		passed=$((passed + 1))
	else
		cat "$log"
		echo "not ok - $fuzzer replays its seeds: exited with status $status"
		failed=$((failed + 1))
	fi
done

if [ $skipped -gt 0 ]; then
	echo "unit: $passed passed, $failed failed, $skipped skipped"
else
	echo "unit: $passed passed, $failed failed"
fi
[ $failed -eq 0 ]
