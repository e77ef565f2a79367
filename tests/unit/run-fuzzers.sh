#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fuzz each fuzzer for a bounded time, starting from its seeds, and end with
# one line: "fuzz: N passed, N failed".
#
#   run-fuzzers.sh BUILD_DIR SECONDS FUZZER...
#
# The corpus grows in BUILD_DIR/corpus/<fuzzer>, not in the seed directory;
# inputs that crash land in BUILD_DIR/artifacts/ (replay one with
# BUILD_DIR/<fuzzer> FILE).

build=$1
seconds=$2
shift 2
passed=0
failed=0

for fuzzer in "$@"; do
	corpus=$build/corpus/$fuzzer
	artifacts=$build/artifacts/$fuzzer/
	log=$build/$fuzzer.log
	options=(-max_total_time="$seconds" -artifact_prefix="$artifacts"
		 -print_final_stats=1)

	mkdir -p "$corpus" "$artifacts"
	[ -d "${fuzzer}_corpus" ] && cp -n "${fuzzer}_corpus"/* "$corpus"/
	[ -f "$fuzzer.dict" ] && options+=(-dict="$fuzzer.dict")

	echo "# $fuzzer: fuzzing for $seconds s, log in $log"
	"$build/$fuzzer" "${options[@]}" "$corpus" >"$log" 2>&1
	status=$?
	grep -E '^(#[0-9]+[[:space:]]+DONE|Done [0-9]+ runs|stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb|new_units_added))' \
		"$log" | sed 's/^/# /'
	echo "# corpus: $(ls "$corpus" | wc -l) inputs"
	if [ $status -eq 0 ]; then
		echo "ok - $fuzzer: no crash in $seconds s"
		passed=$((passed + 1))
	else
		tail -n 40 "$log"
		echo "not ok - $fuzzer: failed (status $status); see $log and $artifacts"
		failed=$((failed + 1))
	fi
done

echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
