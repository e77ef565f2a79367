#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo harness/setup shows, run inside L1 (same environment as
# tests/e2e/run-in-l1.sh): start a VM with testvmm, load kvmintro, and look
# at the VM through debugfs and the kvmintro CLI.

set -uo pipefail

: "${KVMINTRO_BIN:?}" "${KVMINTRO_KO:?}" "${KVMINTRO_TMP:=/tmp}"
debugfs=/sys/kernel/debug/kvmintro
truth=$KVMINTRO_TMP/testvmm.out

step()
{
	printf '\n$ %s\n' "$*"
	"$@"
}

echo "kvmintro demo in L1: kernel $(uname -r) under QEMU TCG, real KVM (kvm-amd)"

# A VM with two memslots (2 MiB at 0, 4 MiB read-only at 4 GiB) and two
# vcpus: one spins in the guest, one exits to the VMM in a loop.  Besides
# the identity map, the guest maps its first 2 MiB at a kernel-looking
# address with 4 KiB pages: the counters the vcpus bump are at GPA 0x1000,
# so at GVA 0xffffffff81001000 too.
"$KVMINTRO_BIN/testvmm" --vm --vcpus 2 --guest spin,exit \
	--slot gpa=0,size=2M --slot gpa=0x100000000,size=4M,flags=readonly \
	--map gva=0xffffffff81000000,gpa=0,size=2M,page=4K \
	--no-stdin --timeout 300 >"$truth" 2>&1 &
vmm=$!
for ((i = 0; i < 300; i++)); do
	grep -qx ready "$truth" 2>/dev/null && break
	kill -0 "$vmm" 2>/dev/null || break
	sleep 0.1
done
if ! grep -qx ready "$truth"; then
	echo "testvmm did not start:"
	cat "$truth"
	exit 1
fi
echo
echo "testvmm (pid $vmm) says what it created:"
sed 's/^/  /' "$truth"

rc=0
step insmod "$KVMINTRO_KO" || rc=1
sleep 1
step cat "$debugfs/vms" || rc=1
dir=$(sed -n "s/^pid=$vmm dir=\"\([^\"]*\)\" .*/\1/p" "$debugfs/vms" | head -n1)
dir=${dir:-$vmm}
step cat "$debugfs/$dir/memslots" || rc=1
step cat "$debugfs/$dir/vcpus" || rc=1
step "$KVMINTRO_BIN/kvmintro" list || rc=1
step "$KVMINTRO_BIN/kvmintro" memslots "$vmm" || rc=1

# One address through every layer: the guest's page tables (GVA -> GPA,
# from a capture's CR3), the memslot and the VMM's page (GPA -> HVA ->
# HPA), and the stage-2 table KVM built (GPA -> HPA as the CPU sees it).
echo
echo "One guest virtual address through every layer:"
step "$KVMINTRO_BIN/kvmintro" snapshot "$vmm" || rc=1
step "$KVMINTRO_BIN/kvmintro" gva "$vmm" 0xffffffff81001008 || rc=1
step "$KVMINTRO_BIN/kvmintro" translate "$vmm" 0x1008 || rc=1
step "$KVMINTRO_BIN/kvmintro" stage2 "$vmm" 0x1008 || rc=1

kill -TERM "$vmm" 2>/dev/null
wait "$vmm" 2>/dev/null
step rmmod kvmintro || rc=1
echo
if ((rc)); then
	echo "demo: some step failed (see above)"
else
	echo "demo: done"
fi
exit $rc
