# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# TAP lines of the packaging tests, unnumbered: harness/run-tests numbers
# them.  tap_ok STATUS DESCRIPTION prints "ok" for status 0 and returns 0,
# else "not ok", returns 1 and sets tap_failed to 1.

# shellcheck disable=SC2034 # read by the scripts that source this
tap_failed=0

tap_ok()
{
	if [[ $1 == 0 ]]; then
		echo "ok - $2"
	else
		echo "not ok - $2"
		tap_failed=1
		return 1
	fi
}

tap_skip()
{
	echo "ok - $1 # SKIP $2"
}

# Print file $1 as TAP comments, at most $2 lines (default 40).
tap_comment_file()
{
	tail -n "${2:-40}" "$1" | sed 's/^/#   /'
}
