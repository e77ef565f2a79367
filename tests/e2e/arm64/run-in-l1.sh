#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the arm64 end-to-end tests inside the arm64 L1 (harness/arm64-tests
# starts it; busybox sh, no bash there): first the architecture-neutral C
# tests of tests/e2e, cross-built into $KVMINTRO_BIN/*_test and linked
# against the test VMM's aarch64 library, then every
# $KVMINTRO_E2E_ARM64/*_test.sh.  Before each: "# test <name>"; then its
# TAP lines as it prints them; after a C test, a "not ok" of its own if it
# ended badly without saying so (timed out, exit status, no TAP line), as
# tests/e2e/run-in-l1.sh does on x86, and kvmintro unloaded if the test
# left it loaded.  The last line is KVMINTRO-L1-DONE.
#
# Each test is stopped after 300 s, or after what the first 20 lines of
# its script (C: its source in $KVMINTRO_E2E) name as
# "kvmintro-timeout: <s>".
#
# Environment: KVMINTRO_KO KVMINTRO_BIN KVMINTRO_TMP KVMINTRO_KVER,
# KVMINTRO_STRESS_PERCENT (stress_test.c; default here 15),
# KVMINTRO_E2E (tests/e2e), KVMINTRO_E2E_ARM64 (tests/e2e/arm64), and what
# the tests take (tests/e2e/arm64/lib.sh, KVMINTRO_L2_*, KVMINTRO_QEMU_ROOT).

# shellcheck disable=SC3040 # busybox sh has it: a test's status through tee
set -o pipefail
export KVMINTRO_TMP="${KVMINTRO_TMP:-/tmp}"
# The stress suite at a share of its length: the emulated arm64 L1 is
# slower than x86's and its lane shares CI's 90 minutes (harness/README.md,
# "arm64").
export KVMINTRO_STRESS_PERCENT="${KVMINTRO_STRESS_PERCENT:-15}"

# limit <source>: the timeout its first 20 lines ask for, else 300.
limit()
{
	s=$(sed -n '1,20s/^\(#\| \*\) *kvmintro-timeout: *\([0-9][0-9]*\).*/\2/p' \
		"$1" 2>/dev/null | head -n 1)
	echo "${s:-300}"
}

for t in "$KVMINTRO_BIN"/*_test; do
	[ -x "$t" ] || continue
	name=${t##*/}
	work=$KVMINTRO_TMP/e2e/$name
	rm -rf "$work"
	mkdir -p "$work"
	secs=$(limit "$KVMINTRO_E2E/$name.c")
	echo "# test $name"
	start=$(date +%s)
	(cd "$work" && KVMINTRO_TEST_TIMEOUT=$secs exec timeout "$secs" "$t") \
		</dev/null 2>&1 | tee "$work/.out"
	rc=$?
	ntap=$(grep -c -E '^(not )?ok ' "$work/.out")
	nbad=$(grep -c -E '^not ok |^Bail out!' "$work/.out")
	case $rc in
	0) [ "$ntap" -gt 0 ] || echo "not ok - printed no TAP line" ;;
	4) [ "$ntap" -gt 0 ] || echo "ok - # SKIP exit status 4 (KSFT_SKIP)" ;;
	124 | 137 | 143) echo "not ok - finished within ${secs}s" ;;
	*) [ "$nbad" -gt 0 ] || echo "not ok - exit status $rc" ;;
	esac
	grep '^Bail out!' "$work/.out" | sed 's/^/not ok - /'
	echo "# $name: exit status $rc, $(($(date +%s) - start))s"
	if grep -q '^kvmintro ' /proc/modules && ! rmmod kvmintro; then
		echo "not ok - rmmod kvmintro after the test"
	fi
done

for t in "$KVMINTRO_E2E_ARM64"/*_test.sh; do
	name=${t##*/}
	echo "# test $name"
	start=$(date +%s)
	timeout "$(limit "$t")" sh "$t" || echo "# $name exited with $?"
	echo "# $name: $(($(date +%s) - start))s"
done
echo KVMINTRO-L1-DONE
