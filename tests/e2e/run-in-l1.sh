#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the end-to-end tests inside L1 (started by harness/run-tests through
# harness/lib.sh: kvmintro_l1_boot()).  Runs every executable
# $KVMINTRO_BIN/*_test and every $KVMINTRO_E2E/*_test.sh, one at a time, each
# with a timeout, and relays their TAP lines without numbers ("ok - name",
# "not ok - name", "ok - name # SKIP why"); every other line of theirs is
# relayed as a "# " comment.  After each test it unloads kvmintro if the test
# left it loaded and checks the kernel log.  The last line is
# KVMINTRO-L1-DONE.
#
# Environment (set by the harness, see /work/contract.md "Inside L1"):
#   KVMINTRO_KO KVMINTRO_BIN KVMINTRO_E2E KVMINTRO_KVER KVMINTRO_TMP
#   KVMINTRO_L2_KERNEL KVMINTRO_L2_INITRD      passed through to the tests
#   KVMINTRO_ONLY=<glob>[,<glob>...]           run only the tests whose file
#                                              name (with or without .sh) matches
#   KVMINTRO_TEST_TIMEOUT=<seconds>            per test, default 300; a
#                                              *_test.sh may ask for more with
#                                              a line "# kvmintro-timeout: <s>"
#                                              in its first 20 lines, a C test
#                                              with " * kvmintro-timeout: <s>"
#                                              in its source's.  A test
#                                              sees its own in this variable.
#   KVMINTRO_L1_PASS=main|single-cpu           which tests this L1 runs:
#                                              those whose first 20 lines
#                                              say "# kvmintro-l1: single-cpu"
#                                              run in an L1 of one vcpu (see
#                                              Documentation/testing.rst), the
#                                              others in the main L1; unset:
#                                              all of them.
#   KVMINTRO_STRESS_PERCENT=<1-100>            stress_test's share of its
#                                              length (default here 15)
#   KVMINTRO_L1_LOCKDOWN=integrity             L1 was booted locked down
#                                              (checked here first); the
#                                              tests then find kvmintro in
#                                              KVMINTRO_DEBUGFS=/proc/kvmintro
#   A test whose first 20 lines say "# kvmintro-order: last" runs after
#   the others (lockdown_test.sh: it locks the kernel down for good).
#
# With --list, print the paths of the tests selected and exit (the harness
# asks, on the host, whether a pass has anything to run).

set -uo pipefail

: "${KVMINTRO_BIN:?}" "${KVMINTRO_E2E:?}" "${KVMINTRO_KO:?}"
: "${KVMINTRO_TMP:=/tmp}"
# The stress suite at a share of its length (stress_test.c): the four x86
# series run one after another and share CI's 90 minutes with the rest
# (Documentation/testing.rst, "CI time").
export KVMINTRO_STRESS_PERCENT="${KVMINTRO_STRESS_PERCENT:-15}"
: "${KVMINTRO_KVER:=$(uname -r)}"
export KVMINTRO_KO KVMINTRO_BIN KVMINTRO_E2E KVMINTRO_KVER KVMINTRO_TMP
timeout_s=${KVMINTRO_TEST_TIMEOUT:-300}
klog_errors='BUG:|WARNING:|Oops|Call Trace|general protection|KASAN|hung_task|blocked for more than|soft lockup|rcu.*stall|Kernel panic'

# header FILE KEY: the value of a "# kvmintro-KEY: value" line among the
# first 20 lines of a test script.
# A test's "kvmintro-<key>: <value>" line in its first 20: a shell test's
# "# ..." line, or a C test's comment line in its source beside the scripts.
header()
{
	local src=$1

	[[ $src == *.sh ]] || src=$KVMINTRO_E2E/${1##*/}.c
	[[ -f $src ]] || return 0
	head -n 20 "$src" |
		sed -n "s/^\(#\| \*\) *kvmintro-$2: *\([^ ]*\) *\$/\2/p" | head -n 1
}

selected()
{
	local name=${1##*/} glob pass
	pass=$(header "$1" l1)
	case ${KVMINTRO_L1_PASS:-} in
	main) [[ -z $pass ]] || return 1 ;;
	single-cpu) [[ $pass == single-cpu ]] || return 1 ;;
	esac
	[[ -z ${KVMINTRO_ONLY:-} ]] && return 0
	for glob in ${KVMINTRO_ONLY//,/ }; do
		# shellcheck disable=SC2053 # glob match intended
		[[ $name == $glob || ${name%.sh} == $glob ]] && return 0
	done
	return 1
}

# The last line of the kernel log, to find what a test added to it.
klog_mark()
{
	dmesg 2>/dev/null | tail -n 1
}

# Print the kernel log lines after the line $1 (all of them if it is gone).
klog_since()
{
	dmesg 2>/dev/null | awk -v mark="$1" '
		{ line[NR] = $0; if (mark != "" && $0 == mark) start = NR }
		END { for (i = start + 1; i <= NR; i++) print line[i] }'
}

# mawk reads pipes in blocks: ask it to read lines as they come, so that
# the output of a test that hangs still gets out.
awk_live=(awk)
awk -W version 2>&1 | grep mawk >/dev/null && awk_live=(awk -W interactive)

# Relay a test's output: TAP lines without their numbers, the rest as
# comments.  Writes "<tap lines> <not ok lines>" to file $2 at the end.
tap_relay()
{
	"${awk_live[@]}" -v name="$1" -v counts="$2" '
		{ sub(/\r$/, "") }
		/^(not )?ok( [0-9]+)?( |$)/ {
			not = ($0 ~ /^not /)
			desc = $0
			sub(/^(not )?ok( [0-9]+)?/, "", desc)
			sub(/^ *-? */, "", desc)
			if (desc == "" || desc ~ /^#/)
				desc = name (desc == "" ? "" : " " desc)
			print (not ? "not ok - " : "ok - ") desc
			fflush()
			tap++
			bad += not
			next
		}
		/^Bail out!/ {
			print "not ok - " name ": " $0
			fflush()
			tap++
			bad++
			next
		}
		/^#/ { print; fflush(); next }
		{ print "# " $0; fflush() }
		END { print tap + 0, bad + 0 > counts }'
}

tests=() last=()
for f in "$KVMINTRO_BIN"/*_test "$KVMINTRO_E2E"/*_test.sh; do
	[[ -f $f ]] || continue
	[[ $f == *.sh || -x $f ]] || continue
	selected "$f" || continue
	if [[ $(header "$f" order) == last ]]; then
		last+=("$f")
	else
		tests+=("$f")
	fi
done
tests+=(${last[@]+"${last[@]}"})
if [[ ${1:-} == --list ]]; then
	((${#tests[@]})) && printf '%s\n' "${tests[@]}"
	exit 0
fi

echo "# kvmintro e2e in L1 ($(nproc) vcpus${KVMINTRO_L1_PASS:+, pass $KVMINTRO_L1_PASS}): kernel $KVMINTRO_KVER, module $KVMINTRO_KO"
echo "# ${#tests[@]} test(s), timeout ${timeout_s}s each${KVMINTRO_ONLY:+, KVMINTRO_ONLY=$KVMINTRO_ONLY}"

if [[ ! -f $KVMINTRO_KO ]]; then
	echo "not ok - run-in-l1: module $KVMINTRO_KO exists"
fi
if [[ -n ${KVMINTRO_L1_LOCKDOWN:-} ]]; then
	# As a Secure Boot host: the kernel trusts the firmware's key, which
	# signed the module, and locks itself down from boot on.
	lockdown=$(cat /sys/kernel/security/lockdown 2>/dev/null)
	if [[ $lockdown == *"[$KVMINTRO_L1_LOCKDOWN]"* ]]; then
		echo "ok - run-in-l1: L1 booted locked down: $lockdown"
	else
		echo "not ok - run-in-l1: L1 booted locked down ($KVMINTRO_L1_LOCKDOWN): /sys/kernel/security/lockdown says '$lockdown'"
	fi
	signer=$(modinfo -F signer "$KVMINTRO_KO" 2>/dev/null)
	echo "# module signed by: ${signer:-nobody}; $(dmesg | grep -m1 -o "Loaded X.509 cert '${signer:-?}.*" || echo "the kernel has not loaded that key")"
fi
if ((${#tests[@]} == 0)); then
	echo "not ok - run-in-l1: found tests in $KVMINTRO_BIN and $KVMINTRO_E2E${KVMINTRO_ONLY:+ matching $KVMINTRO_ONLY}"
fi

for f in "${tests[@]}"; do
	name=${f##*/}
	work="$KVMINTRO_TMP/e2e/$name"
	rm -rf "$work"
	mkdir -p "$work"
	cmd=("$f")
	[[ $f == *.sh ]] && cmd=(bash "$f")
	limit=$timeout_s
	asked=$(header "$f" timeout)
	[[ $asked =~ ^[0-9]+$ ]] && ((asked > limit)) && limit=$asked

	echo "# ---- $name"
	mark=$(klog_mark)
	start=$SECONDS
	mkfifo "$work/.out"
	tap_relay "$name" "$work/.counts" <"$work/.out" &
	relay=$!
	# timeout(1) puts the test in a process group of its own: kill what is
	# left of it afterwards, so that no test leaks into the next one.
	(cd "$work" && KVMINTRO_TEST_TIMEOUT=$limit exec timeout -k 10 "$limit" "${cmd[@]}") \
		>"$work/.out" 2>&1 </dev/null &
	pid=$!
	wait "$pid"
	rc=$?
	kill -KILL -- "-$pid" 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		kill -0 "$relay" 2>/dev/null || break
		sleep 0.2
	done
	kill "$relay" 2>/dev/null
	wait "$relay" 2>/dev/null
	read -r ntap nbad <"$work/.counts" 2>/dev/null || { ntap=0; nbad=0; }

	if ((rc == 124 || rc == 137)); then
		echo "# $name timed out after ${limit}s"
		((nbad)) || echo "not ok - $name: finished within ${limit}s"
	elif ((rc == 4 && ntap == 0)); then
		echo "ok - $name # SKIP exit status 4 (KSFT_SKIP)"
	elif ((rc != 0)); then
		((nbad)) || echo "not ok - $name: exit status $rc"
	elif ((ntap == 0)); then
		echo "not ok - $name: printed no TAP line"
	fi
	echo "# $name: exit status $rc, $((SECONDS - start))s"

	if grep -q '^kvmintro ' /proc/modules; then
		if ! timeout 60 rmmod kvmintro; then
			echo "not ok - $name: rmmod kvmintro after the test"
		fi
	fi

	errors=$(klog_since "$mark" | grep -E "$klog_errors")
	if [[ -n $errors ]]; then
		echo "not ok - $name: kernel log clean"
		klog_since "$mark" | sed 's/^/# dmesg: /' | tail -n 80
	fi
	rm -f "$work/.out" "$work/.counts"
done

echo "KVMINTRO-L1-DONE"
