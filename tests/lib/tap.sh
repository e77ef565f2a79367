# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# TAP lines of the shell tests (tests/e2e, tests/e2e/arm64, tests/packaging),
# unnumbered: harness/run-tests, harness/arm64-tests and
# tests/e2e/run-in-l1.sh number them.  POSIX sh and local (bash, dash, the
# arm64 L1's busybox sh).  Source it;
# $tap_prefix, if set, leads every description ("cli: ").
#   tap_ok STATUS DESCRIPTION   "ok" for status 0 and return 0, else
#                               "not ok", return 1 and set tap_failed=1
#   tap_check DESCRIPTION COMMAND...
#                               tap_ok of the command's exit status
#   tap_check_quiet DESCRIPTION COMMAND...
#                               the same, the command's output (stdout
#                               and stderr) shown as comments only if it
#                               fails
#   tap_skip DESCRIPTION WHY    "ok - ... # SKIP WHY"
#   tap_todo DESCRIPTION WHY    "not ok - ... # TODO WHY": a known failure
#                               that does not fail the test
#   tap_comment [PREFIX]        standard input as TAP comments, each line
#                               led by PREFIX ("# ") and ended, the last
#                               too if it was not (a log being written),
#                               a carriage return at its end taken out
#   tap_comment_file FILE [N]   FILE's last N lines (40) as TAP comments
# A test exits with $tap_failed.

# shellcheck disable=SC2034 # read by the scripts that source this
tap_failed=0

tap_ok()
{
	if [ "$1" = 0 ]; then
		echo "ok - ${tap_prefix:-}$2"
	else
		echo "not ok - ${tap_prefix:-}$2"
		tap_failed=1
		return 1
	fi
}

tap_check()
{
	# shellcheck disable=SC3043 # bash, dash and busybox sh all have it
	local description="$1"

	shift
	"$@"
	tap_ok $? "$description"
}

tap_check_quiet()
{
	# shellcheck disable=SC3043
	local description="$1" output status

	shift
	output=$("$@" 2>&1)
	status=$?
	tap_ok $status "$description" ||
		{ [ -z "$output" ] || printf '%s\n' "$output" | tap_comment; }
	return $status
}

tap_skip()
{
	echo "ok - ${tap_prefix:-}$1 # SKIP $2"
}

tap_todo()
{
	echo "not ok - ${tap_prefix:-}$1 # TODO $2"
}

tap_comment()
{
	awk -v prefix="${1:-# }" '{ sub(/\r$/, ""); print prefix $0 }'
}

tap_comment_file()
{
	tail -n "${2:-40}" "$1" | tap_comment '#   '
}
