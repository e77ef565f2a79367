# SPDX-License-Identifier: GPL-2.0
#
# What the arm64 end-to-end tests share (busybox sh, sourced): TAP
# (tests/lib/tap.sh), the VMM (spin_vm) started and its output read,
# guest memory through mem.  A test exits with $tap_failed.
# A test sets $tmp and sources this; cleanup runs at exit.
#
# Environment: KVMINTRO_KO (kvmintro.ko for L1's kernel), KVMINTRO_BIN
# (spin_vm and the kvmintro CLI, cross-built).

debugfs=/sys/kernel/debug/kvmintro
vmm=

. "$(dirname "$0")/../../lib/tap.sh"

cleanup()
{
	[ -n "$vmm" ] && kill "$vmm" 2>/dev/null && wait "$vmm" 2>/dev/null
	grep -q '^kvmintro ' /proc/modules && rmmod kvmintro
	rm -rf "$tmp"
}
trap cleanup EXIT

# vmm_start [spin_vm's arguments]: run spin_vm, wait for its "ready";
# exit the test if it does not come.  The output files are emptied here,
# not only by the redirections: those happen in the child, which may not
# have run yet when the loop first reads them, and a second VM of the
# test would find the first one's "ready".
vmm_start()
{
	: >"$tmp/vmm.out"
	: >"$tmp/vmm.err"
	"$KVMINTRO_BIN/spin_vm" "$@" >"$tmp/vmm.out" 2>"$tmp/vmm.err" &
	vmm=$!
	i=0
	while ! grep -q '^ready ' "$tmp/vmm.out" && [ $i -lt 300 ]; do
		kill -0 "$vmm" 2>/dev/null || break
		sleep 0.2
		i=$((i + 1))
	done
	if grep -q "^ready pid=$vmm\$" "$tmp/vmm.out"; then
		tap_ok 0 "spin_vm${*:+ $*} made its VM and runs it"
	else
		tap_ok 1 "spin_vm${*:+ $*} made its VM and runs it"
		if kill -0 "$vmm" 2>/dev/null; then
			echo "# spin_vm $vmm runs, no \"ready pid=$vmm\" after $i waits"
		else
			wait "$vmm"
			echo "# spin_vm $vmm exited with status $?"
		fi
		sed 's/^/# out: /' "$tmp/vmm.out"
		sed 's/^/# err: /' "$tmp/vmm.err"
		exit 1
	fi
}

# The record of spin_vm's output whose first word is $1, field $2.
vmm_field()
{
	sed -n "s/^$1 .*$2=\\([^ ]*\\).*/\\1/p" "$tmp/vmm.out" | head -n 1
}

# The PFN of the page at HVA $1, from /proc/<vmm>/pagemap (bits 0-54,
# if bit 63, present, is set); empty if the page is not present.
pagemap_pfn()
{
	e=$(dd if="/proc/$vmm/pagemap" bs=8 skip=$(($1 / 4096)) count=1 2>/dev/null |
		od -An -tx8 | tr -d ' ')
	[ -n "$e" ] || return 0
	[ $(((0x$e >> 63) & 1)) = 1 ] && printf '0x%x\n' $((0x$e & 0x7fffffffffffff))
}

# Print $2 bytes of guest memory at GPA $1 (hex), through the mem file.
mem_read()
{
	gpa=$(($1))
	dd if="$debugfs/$vmm/mem" bs=4096 skip=$((gpa / 4096)) count=1 2>/dev/null |
		dd bs=1 skip=$((gpa % 4096)) count="$2" 2>/dev/null
}

# The guest's counter, as a hex string.
counter_read()
{
	mem_read "$(vmm_field counter gpa)" 8 | od -An -tx8 | tr -d ' '
}

# counter_moves <name>: ok if the guest's counter moves within a second.
counter_moves()
{
	before=$(counter_read)
	sleep 1
	after=$(counter_read)
	echo "# counter $before -> $after"
	moving=0
	[ -n "$after" ] && [ "$before" != "$after" ] && moving=1
	tap_check "$1" [ $moving = 1 ]
}

# vmm_stop: end spin_vm; ok if its VM's directory goes with it.
vmm_stop()
{
	kill "$vmm"
	wait "$vmm" 2>/dev/null
	vmm_gone "the VM's directory goes with the VMM"
}

# vmm_gone <name>: the VMM has ended (and was waited for); ok if its VM's
# directory goes within 5 s.
vmm_gone()
{
	dir=$vmm
	vmm=
	i=0
	while [ -e "$debugfs/$dir" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	tap_check "$1" [ ! -e "$debugfs/$dir" ]
}
