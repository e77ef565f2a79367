#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# arm64 end to end, in an arm64 L1 (harness/arm64-tests): kvmintro.ko
# against KVM/arm64 and spin_vm, a VM whose memslots and memory the test
# knows from the VMM itself.  busybox sh (L1 runs it from its initramfs).
# TAP on stdout.
#
# Environment: KVMINTRO_KO (kvmintro.ko for L1's kernel), KVMINTRO_BIN
# (spin_vm and the kvmintro CLI, cross-built).

debugfs=/sys/kernel/debug/kvmintro
tmp=${KVMINTRO_TMP:-/tmp}/arm64_basic_test.$$
n=0
failed=0
vmm=

ok()
{
	n=$((n + 1))
	echo "ok $n - $*"
}

not_ok()
{
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $*"
}

# check <name> <command...>: ok if the command succeeds.
check()
{
	name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

cleanup()
{
	[ -n "$vmm" ] && kill "$vmm" 2>/dev/null && wait "$vmm" 2>/dev/null
	grep -q '^kvmintro ' /proc/modules && rmmod kvmintro
	rm -rf "$tmp"
}
trap cleanup EXIT

# The record of spin_vm's output whose first word is $1, field $2.
vmm_field()
{
	sed -n "s/^$1 .*$2=\\([^ ]*\\).*/\\1/p" "$tmp/vmm.out" | head -n 1
}

# The GPA of the string spin_vm wrote in slot $1.
text_gpa()
{
	sed -n 's/^text gpa=\([^ ]*\).*/\1/p' "$tmp/vmm.out" | sed -n "$(($1 + 1))p"
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

mkdir -p "$tmp"
echo "# $(uname -r) $(uname -m)"

check "insmod kvmintro.ko" insmod "$KVMINTRO_KO"

"$KVMINTRO_BIN/spin_vm" >"$tmp/vmm.out" 2>"$tmp/vmm.err" &
vmm=$!
i=0
while ! grep -q '^ready ' "$tmp/vmm.out" && [ $i -lt 300 ]; do
	kill -0 "$vmm" 2>/dev/null || break
	sleep 0.2
	i=$((i + 1))
done
if grep -q "^ready pid=$vmm\$" "$tmp/vmm.out"; then
	ok "spin_vm made its VM and runs it"
else
	not_ok "spin_vm made its VM and runs it"
	sed 's/^/# /' "$tmp/vmm.err"
	exit 1
fi

# vms: the VM, its one vcpu, its two slots and their size in all.
mem_bytes=0
for size in $(sed -n 's/^slot=.* size=\([^ ]*\).*/\1/p' "$tmp/vmm.out"); do
	mem_bytes=$((mem_bytes + size))
done
check "vms lists the VM with 1 vcpu, 2 slots, $mem_bytes bytes" \
	grep -q "^pid=$vmm dir=\"$vmm\" vcpus=1 slots=2 mem=$mem_bytes\$" "$debugfs/vms"

# memslots: exactly the slots spin_vm made, at its addresses.
cat "$debugfs/$vmm/memslots" >"$tmp/memslots"
sed 's/^/# /' "$tmp/memslots"
good=1
while read -r slot gpa size hva; do
	grep -q "^as=0 $slot $gpa npages=[^ ]* $size $hva flags=-\$" "$tmp/memslots" ||
		good=0
done <<SLOTS
$(grep '^slot=' "$tmp/vmm.out")
SLOTS
[ "$(wc -l <"$tmp/memslots")" -eq 2 ] || good=0
check "memslots has spin_vm's slots, gpa, size and hva" [ $good = 1 ]

# mem: the strings spin_vm wrote into each slot.
good=1
[ "$(grep -c '^text ' "$tmp/vmm.out")" -eq 2 ] || good=0
while read -r gpa value; do
	gpa=${gpa#gpa=}
	value=${value#value=\"}
	value=${value%\"}
	[ "$(mem_read "$gpa" ${#value})" = "$value" ] || good=0
done <<TEXTS
$(sed -n 's/^text //p' "$tmp/vmm.out")
TEXTS
check "mem reads the bytes spin_vm wrote in each slot" [ $good = 1 ]

# translate: each string's GPA is at its slot's HVA plus its offset.
slot0_hva=$(vmm_field slot=0 hva)
text0_gpa=$(text_gpa 0)
echo "$text0_gpa" >"$debugfs/$vmm/translate"
cat "$debugfs/$vmm/translate" | sed 's/^/# /'
check "translate gives the HVA of slot 0's string" grep -q \
	"^ok phys=0x[0-9a-f]* kind=[a-z]* gpa=$text0_gpa hva=$(printf '%#x' $((slot0_hva + text0_gpa - $(vmm_field slot=0 gpa)))) " \
	"$debugfs/$vmm/translate"

# scan: each string found at its GPA, and only there.
printf 'str:kvmintro-arm64-slot1\n' >"$debugfs/$vmm/scan"
cat "$debugfs/$vmm/scan" | sed 's/^/# /'
found=0
[ "$(grep -c "^match gpa=$(text_gpa 1) " "$debugfs/$vmm/scan")" = 1 ] &&
	grep -q '^summary matches=1 ' "$debugfs/$vmm/scan" && found=1
check "scan finds slot 1's string at its GPA, once" [ $found = 1 ]

# The CLI, cross-built: list and memslots read the same files.
check "kvmintro list shows the VM" sh -c \
	"'$KVMINTRO_BIN/kvmintro' list | grep -q '^ *$vmm  *$vmm  *1  *2 '"
check "kvmintro memslots shows slot 1's GPA and HVA" sh -c \
	"'$KVMINTRO_BIN/kvmintro' memslots $vmm | grep -q '$(vmm_field slot=1 gpa).*$(vmm_field slot=1 hva)'"

before=$(counter_read)
sleep 1
after=$(counter_read)
echo "# counter $before -> $after"
moving=0
[ -n "$after" ] && [ "$before" != "$after" ] && moving=1
check "mem shows the guest's counter moving" [ $moving = 1 ]

# snapshot: a pause freezes the guest, a resume lets it go on.
echo pause >"$debugfs/$vmm/snapshot"
check "pause" grep -q '^state=paused$' "$debugfs/$vmm/snapshot"
before=$(counter_read)
sleep 1
after=$(counter_read)
still=0
[ -n "$after" ] && [ "$before" = "$after" ] && still=1
check "the counter stands still while paused ($before)" [ $still = 1 ]
echo resume >"$debugfs/$vmm/snapshot"
sleep 1
moving=0
[ -n "$after" ] && [ "$(counter_read)" != "$after" ] && moving=1
check "the counter moves again after resume" [ $moving = 1 ]

# capture: state and gpa_hpa; arm64 registers are not read yet.
echo capture >"$debugfs/$vmm/snapshot"
check "capture records generation 1" grep -q '^generation=1$' "$debugfs/$vmm/snapshot"
check "snapshot_gpa_hpa of the capture has slot 0's GPA" \
	grep -q "gpa=$(vmm_field slot=0 gpa)" "$debugfs/$vmm/snapshot_gpa_hpa"

# Not on arm64 yet (Documentation/kernels.rst): no regs, gva, stage2 file.
absent=1
for f in vcpu0/regs gva stage2; do
	[ -e "$debugfs/$vmm/$f" ] && absent=0
done
check "no regs, gva or stage2 file on arm64 yet" [ $absent = 1 ]
# core needs every vcpu's registers: it says it cannot, it writes nothing.
core_refused=0
if ! cat "$debugfs/$vmm/core" 2>"$tmp/core.err" >/dev/null; then
	grep -q 'Operation not supported' "$tmp/core.err" && core_refused=1
fi
check "core fails with EOPNOTSUPP on arm64 yet" [ $core_refused = 1 ]

kill "$vmm"
wait "$vmm" 2>/dev/null
dir=$vmm
vmm=
i=0
while [ -e "$debugfs/$dir" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "the VM's directory goes with the VMM" [ ! -e "$debugfs/$dir" ]
check "rmmod kvmintro" rmmod kvmintro

echo "1..$n"
[ $failed -eq 0 ]
