#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/lib/tap.sh, the TAP helper of every shell test, under each shell
# that sources it: bash (tests/e2e), dash (/bin/sh) and busybox sh (the
# arm64 L1), those of them installed.  Each case runs in a shell of its
# own and its output is compared with the TAP lines it must print, written
# out here.  TAP on stdout.

here=$(cd "$(dirname "$0")" && pwd)
tap=$here/../lib/tap.sh
failed=0

# check SHELL NAME SCRIPT WANT: run SCRIPT with tap.sh sourced in SHELL;
# its stdout, then "status=N" (its exit status), must be WANT.
check()
{
	got=$("$1" -c ". '$tap'; $3" 2>&1; echo "status=$?")
	if [ "$got" = "$4" ]; then
		echo "ok - $1: $2"
	else
		echo "not ok - $1: $2"
		printf '%s\n' "# want:" "$4" "# got:" "$got" | sed 's/^/#   /'
		failed=1
	fi
}

shells=
for shell in bash dash "busybox sh"; do
	set -- $shell
	command -v "$1" >/dev/null 2>&1 || {
		echo "ok - $shell: tap.sh # SKIP $1 not installed"
		continue
	}
	[ "$1" != busybox ] || busybox sh -c : 2>/dev/null || {
		echo "ok - $shell: tap.sh # SKIP busybox has no sh"
		continue
	}
	shells="$shells $1"
done

for shell in $shells; do
	[ "$shell" = busybox ] && run="busybox_sh" || run=$shell
	busybox_sh() { busybox sh "$@"; }

	check "$run" "tap_ok 0 prints ok, returns 0, leaves tap_failed 0" \
		'tap_ok 0 "a thing"; echo "ret=$? failed=$tap_failed"' \
		"ok - a thing
ret=0 failed=0
status=0"
	check "$run" "tap_ok 1 prints not ok, returns 1, sets tap_failed" \
		'tap_ok 1 "a thing"; echo "ret=$? failed=$tap_failed"' \
		"not ok - a thing
ret=1 failed=1
status=0"
	check "$run" "tap_ok of any other status is not ok" \
		'tap_ok 124 x; tap_ok "" y; echo "failed=$tap_failed"' \
		"not ok - x
not ok - y
failed=1
status=0"
	check "$run" "tap_prefix leads every description" \
		'tap_prefix="cli: "; tap_ok 0 a; tap_skip b why; tap_todo c later' \
		"ok - cli: a
ok - cli: b # SKIP why
not ok - cli: c # TODO later
status=0"
	check "$run" "tap_todo does not set tap_failed" \
		'tap_todo c later; exit $tap_failed' \
		"not ok - c # TODO later
status=0"
	check "$run" "tap_check: the command's status, its output passed through" \
		'tap_check "yes" sh -c "echo out; exit 0"; tap_check "no" false; echo "ret=$? failed=$tap_failed"' \
		"out
ok - yes
not ok - no
ret=1 failed=1
status=0"
	check "$run" "tap_check_quiet: a command that passes prints nothing of its own" \
		'tap_check_quiet "yes" sh -c "echo out; echo err >&2"; echo "ret=$? failed=$tap_failed"' \
		"ok - yes
ret=0 failed=0
status=0"
	check "$run" "tap_check_quiet: a command that fails has its output, stderr too, as comments" \
		'tap_check_quiet "no" sh -c "echo out; echo err >&2; exit 3"; echo "ret=$? failed=$tap_failed"' \
		"not ok - no
# out
# err
ret=3 failed=1
status=0"
	check "$run" "tap_check_quiet: a failing command without output adds no comment" \
		'tap_check_quiet "no" false; echo "ret=$?"' \
		"not ok - no
ret=1
status=0"
	check "$run" "tap_comment: every line led by '# ', a CR at its end taken out, the last line ended" \
		'printf "a\r\nb c\nlast" | tap_comment; echo .' \
		"# a
# b c
# last
.
status=0"
	check "$run" "tap_comment PREFIX" \
		'printf "x\n" | tap_comment "#   "' \
		"#   x
status=0"
	check "$run" "a test exits with tap_failed" \
		'tap_ok 0 a; tap_ok 1 b; tap_ok 0 c; exit $tap_failed' \
		"ok - a
not ok - b
ok - c
status=1"
done
exit $failed
