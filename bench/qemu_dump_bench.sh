#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Dump throughput on a real QEMU running a real Linux guest (in L1):
# "kvmintro dump" of the VM against QEMU's own dump-guest-memory of the
# same guest (HMP, detached, polled to completion), both into L1's tmpfs,
# in N interleaved pairs; the medians, MB/s of guest RAM (the PT_LOADs'
# bytes, not the file's allocated size: kvmintro's file is sparse), and
# their ratio.  The guest is stopped for the whole of either dump
# (kvmintro pauses it; QEMU's dump stops it), so the time is also what the
# dump costs the guest.
# usage (in L1): bench/qemu_dump_bench.sh [pairs]   (default 5)
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../tests/e2e/lib/qemu.sh"
: "${KVMINTRO_KO:?}" "${KVMINTRO_BIN:?}" "${KVMINTRO_L2_KERNEL:?}" "${KVMINTRO_L2_INITRD:?}"
pairs=${1:-5}

trap 'l2_stop; rmmod kvmintro 2>/dev/null; rm -f "$mine_file" "$qemu_file" "$err_file"' EXIT
mine_file=$KVMINTRO_TMP/qemu-dump-bench.kvmintro.core
qemu_file=$KVMINTRO_TMP/qemu-dump-bench.qemu.core
err_file=$KVMINTRO_TMP/qemu-dump-bench.err
l2_start qemu-dump-bench -smp 1 || { echo "qemu-dump-bench: QEMU did not start"; exit 1; }
l2_wait KVMINTRO-L2-READY 180 ||
	echo "qemu-dump-bench: the guest did not reach userspace; dumping it where it stands"
insmod "$KVMINTRO_KO"
pid=$(l2_pid)
for ((i = 0; i < 100; i++)); do [[ -e /sys/kernel/debug/kvmintro/$pid/core ]] && break; sleep 0.1; done

# The bytes of guest RAM a dump holds: the sum of its PT_LOADs' sizes (no
# process substitution: L1 has no /dev/fd).
ram_bytes()
{
	local n=0 size
	while read -r size; do
		n=$((n + size))
	done <<<"$(readelf -W -l "$1" | awk '$1 == "LOAD" { print $5 }')"
	echo "$n"
}
usec() { local t=${1/./}; echo $((10#$t)); }
mine=() theirs=()
for ((i = 0; i < pairs; i++)); do
	rm -f "$mine_file" "$qemu_file"
	t0=$EPOCHREALTIME
	# stderr to a file: on L1's console (a terminal) the progress line
	# would be drawn, and timed.
	"$KVMINTRO_BIN/kvmintro" dump "$pid" "$mine_file" >/dev/null 2>"$err_file" ||
		{ echo "qemu-dump-bench: kvmintro dump failed: $(cat "$err_file")"; exit 1; }
	t1=$EPOCHREALTIME
	mine+=($(($(usec "$t1") - $(usec "$t0"))))
	t0=$EPOCHREALTIME
	l2_hmp "dump-guest-memory -d $qemu_file" >/dev/null
	status=
	for ((j = 0; j < 12000; j++)); do
		status=$(l2_hmp "info dump" | sed -n 's/^Status: *//p')
		[[ $status == active ]] || break
		sleep 0.02
	done
	t1=$EPOCHREALTIME
	[[ $status == completed ]] || { echo "qemu-dump-bench: QEMU's dump: $status"; exit 1; }
	theirs+=($(($(usec "$t1") - $(usec "$t0"))))
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
mine_us=$(median "${mine[@]}")
theirs_us=$(median "${theirs[@]}")
mine_ram=$(ram_bytes "$mine_file")
theirs_ram=$(ram_bytes "$qemu_file")
echo "# kvmintro dump (us): ${mine[*]}; file $(du -k "$mine_file" | cut -f1) KiB allocated"
echo "# QEMU dump-guest-memory (us): ${theirs[*]}; file $(du -k "$qemu_file" | cut -f1) KiB allocated"
awk -v p="$pairs" -v a="$mine_us" -v b="$theirs_us" -v ra="$mine_ram" -v rb="$theirs_ram" 'BEGIN {
	printf "qemu-dump pairs=%d: kvmintro dump median %.2f s (%.0f MB/s of %.0f MiB RAM); QEMU dump-guest-memory median %.2f s (%.0f MB/s of %.0f MiB); speed ratio kvmintro/QEMU %.2f\n",
		p, a / 1e6, ra / a, ra / 1048576, b / 1e6, rb / b, rb / 1048576, (ra / a) / (rb / b)
}'
