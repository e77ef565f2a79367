# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# A real QEMU running the L2 Linux guest inside L1, for tests and benchmarks
# (source it; bash).  One QEMU at a time:
#
#   l2_start NAME [qemu args...]  start QEMU (-enable-kvm, 256 MiB), serial,
#                                 HMP and QMP monitors on FIFOs in $l2_dir
#                                 ($L2_ROOT/NAME, made anew)
#   l2_wait TEXT SECONDS          wait for TEXT on the guest's serial console
#   l2_hmp COMMAND                run an HMP command, print its output
#   l2_qmp JSON                   run a QMP command, wait for its return
#   l2_type TEXT                  type a line on the guest's console shell
#   l2_sh TAG SECONDS COMMAND     run a command there, print its output
#   l2_stop [--kill]              quit QEMU through the monitor, else
#                                 SIGTERM, else SIGKILL (--kill: at once);
#                                 non-zero if it did not leave on "quit"
#   l2_alive                      whether QEMU runs
#   l2_pid                        QEMU's pid (also in $l2_qemu_pid)
#   l2_failure                    why QEMU does not run, for a "not ok" line
#   l2_strip_tty                  a filter: console or monitor text without
#                                 terminal escapes and carriage returns
#
# Needs KVMINTRO_L2_KERNEL and KVMINTRO_L2_INITRD (the harness sets them);
# sets KVMINTRO_TMP to /tmp if it is unset.  Settings, read when l2_start
# runs: L2_QEMU (default $KVMINTRO_QEMU, else qemu-system-x86_64),
# L2_APPEND (the guest's command line after its console: default
# $KVMINTRO_L2_APPEND, else "quiet"), L2_ROOT (default $KVMINTRO_TMP),
# L2_LIFETIME (seconds after which timeout(1) kills QEMU even if the test
# was killed before it could: default 60 s past KVMINTRO_TEST_TIMEOUT, the
# runner's limit for the test, else an hour).  QEMU stays in the test's
# process group, which the runner kills after each test.

: "${KVMINTRO_TMP:=/tmp}"
l2_dir=
l2_qemu_pid=
l2_timeout_pid=
l2_readers=()
l2_serial_fd=
l2_monitor_fd=
l2_qmp_fd=
l2_qmp_out_fd=

l2_alive()
{
	[[ -n $l2_timeout_pid ]] && kill -0 "$l2_timeout_pid" 2>/dev/null
}

l2_pid()
{
	echo "$l2_qemu_pid"
}

l2_strip_tty()
{
	sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b[^[]//g' -e 's/\r//g'
}

l2_start()
{
	local name=$1 deadline=$((SECONDS + 30))
	local qemu=${L2_QEMU:-${KVMINTRO_QEMU:-qemu-system-x86_64}}
	shift
	l2_dir=${L2_ROOT:-$KVMINTRO_TMP}/$name
	l2_qemu_pid=
	rm -rf "$l2_dir"
	mkdir -p "$l2_dir"
	mkfifo "$l2_dir/serial.in" "$l2_dir/serial.out" \
		"$l2_dir/monitor.in" "$l2_dir/monitor.out" \
		"$l2_dir/qmp.in" "$l2_dir/qmp.out" || return 1
	# Opening a FIFO read-write never blocks, whether QEMU is up or dead.
	exec {l2_serial_fd}<>"$l2_dir/serial.in"
	exec {l2_monitor_fd}<>"$l2_dir/monitor.in"
	exec {l2_qmp_fd}<>"$l2_dir/qmp.in"
	exec {l2_qmp_out_fd}<>"$l2_dir/qmp.out"
	cat <>"$l2_dir/serial.out" >"$l2_dir/serial.log" &
	l2_readers+=($!)
	cat <>"$l2_dir/monitor.out" >"$l2_dir/monitor.log" &
	l2_readers+=($!)
	timeout --foreground -k 5 \
		"${L2_LIFETIME:-$((${KVMINTRO_TEST_TIMEOUT:-3540} + 60))}" \
		"$qemu" -name "kvmintro-$name" -enable-kvm -cpu host -m 256 "$@" \
		-kernel "$KVMINTRO_L2_KERNEL" -initrd "$KVMINTRO_L2_INITRD" \
		-append "console=ttyS0 panic=-1 ${L2_APPEND:-${KVMINTRO_L2_APPEND:-quiet}}" \
		-nographic -nodefaults -no-reboot \
		-chardev "pipe,id=serial0,path=$l2_dir/serial" -serial chardev:serial0 \
		-chardev "pipe,id=monitor0,path=$l2_dir/monitor" \
		-mon chardev=monitor0,mode=readline \
		-chardev "pipe,id=qmp0,path=$l2_dir/qmp" \
		-mon chardev=qmp0,mode=control \
		-pidfile "$l2_dir/qemu.pid" \
		</dev/null >"$l2_dir/qemu.out" 2>"$l2_dir/qemu.err" &
	l2_timeout_pid=$!
	until [[ -s $l2_dir/qemu.pid ]]; do
		l2_alive && ((SECONDS < deadline)) || return 1
		sleep 0.1
	done
	read -r l2_qemu_pid <"$l2_dir/qemu.pid"
	[[ -d /proc/$l2_qemu_pid ]]
}

l2_failure()
{
	local status=running
	if ! l2_alive; then
		wait "$l2_timeout_pid" 2>/dev/null
		status="exited with status $?"
	fi
	echo "QEMU $status: $(head -n 3 "$l2_dir/qemu.err" 2>/dev/null | tr '\n' ' ')"
}

l2_wait()
{
	local deadline=$((SECONDS + $2))
	until grep -a -q "$1" "$l2_dir/serial.log" 2>/dev/null; do
		l2_alive && ((SECONDS < deadline)) || return 1
		sleep 0.2
	done
}

l2_hmp()
{
	local offset deadline=$((SECONDS + 30))
	# The banner's prompt says the monitor is up.
	until grep -q '(qemu) ' "$l2_dir/monitor.log"; do
		l2_alive && ((SECONDS < deadline)) || return 1
		sleep 0.05
	done
	offset=$(stat -c %s "$l2_dir/monitor.log")
	printf '%s\n' "$1" >&"$l2_monitor_fd"
	until tail -c +$((offset + 1)) "$l2_dir/monitor.log" | grep -q '(qemu) '; do
		l2_alive && ((SECONDS < deadline)) || return 1
		sleep 0.01
	done
	tail -c +$((offset + 1)) "$l2_dir/monitor.log" | l2_strip_tty |
		sed -e '1d' -e '/^(qemu) /d'
}

# Send one QMP command and wait for its {"return"...} (or error) line,
# reading the replies with the shell itself: no process per poll, so that
# timing a command times QEMU, not the test.
l2_qmp()
{
	local line
	printf '%s\n' "$1" >&"$l2_qmp_fd"
	while read -r -t 30 -u "$l2_qmp_out_fd" line; do
		[[ $line == *'"return"'* || $line == *'"error"'* ]] && return 0
	done
	return 1
}

l2_type()
{
	printf '%s\n' "$1" >&"$l2_serial_fd"
}

l2_stop()
{
	local deadline=$((SECONDS + 30)) rc=0 pid
	[[ -n $l2_timeout_pid ]] || return 0
	if l2_alive && [[ ${1:-} != --kill ]]; then
		printf 'quit\n' >&"$l2_monitor_fd"
		while l2_alive && ((SECONDS < deadline)); do
			sleep 0.1
		done
	fi
	if l2_alive; then
		[[ ${1:-} == --kill ]] || rc=1
		if [[ -n $l2_qemu_pid && ${1:-} != --kill ]]; then
			kill -TERM "$l2_qemu_pid" 2>/dev/null
			sleep 3
		fi
		[[ -z $l2_qemu_pid ]] || kill -KILL "$l2_qemu_pid" 2>/dev/null
		kill -KILL "$l2_timeout_pid" 2>/dev/null
	fi
	wait "$l2_timeout_pid" 2>/dev/null
	for pid in "${l2_readers[@]+"${l2_readers[@]}"}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	l2_readers=()
	[[ -z $l2_serial_fd ]] || exec {l2_serial_fd}>&-
	[[ -z $l2_monitor_fd ]] || exec {l2_monitor_fd}>&-
	[[ -z $l2_qmp_fd ]] || exec {l2_qmp_fd}>&-
	[[ -z $l2_qmp_out_fd ]] || exec {l2_qmp_out_fd}>&-
	l2_serial_fd='' l2_monitor_fd='' l2_qmp_fd='' l2_qmp_out_fd=''
	l2_qemu_pid=
	l2_timeout_pid=
	return $rc
}

# l2_sh TAG SECONDS COMMAND: run COMMAND in the guest's console shell and
# wait (at most SECONDS) for it to finish.  Prints the console lines it
# produced (minus the shell's echo of the line typed and its prompt), and
# returns COMMAND's exit status (124: it did not finish in time).  TAG must
# be unique in the test; keep COMMAND short (one terminal line).
l2_sh()
{
	local tag=$1 seconds=$2 cmd=$3 offset out status
	offset=$(stat -c %s "$l2_dir/serial.log")
	l2_type "$cmd; echo @@\"$tag\" \$?"
	l2_wait "@@$tag [0-9]" "$seconds" || return 124
	out=$(tail -c +$((offset + 1)) "$l2_dir/serial.log" | tr -d '\r')
	status=$(sed -n "s/.*@@$tag \([0-9][0-9]*\).*/\1/p" <<<"$out" | tail -n1)
	grep -av -e '@@' -e '^kvmintro-l2# ' <<<"$out"
	return "${status:-125}"
}
