#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# arm64 end to end, in an arm64 L1 (harness/arm64-tests): kvmintro.ko
# against KVM/arm64 and spin_vm, a VM whose memslots and memory the test
# knows from the VMM itself.  busybox sh (L1 runs it from its initramfs).
# TAP on stdout.  Environment: lib.sh's.

tmp=${KVMINTRO_TMP:-/tmp}/arm64_basic_test.$$
. "$(dirname "$0")/lib.sh"

# The GPA of the string spin_vm wrote in slot $1.
text_gpa()
{
	sed -n 's/^text gpa=\([^ ]*\).*/\1/p' "$tmp/vmm.out" | sed -n "$(($1 + 1))p"
}

mkdir -p "$tmp"
echo "# $(uname -r) $(uname -m)"

tap_check "insmod kvmintro.ko" insmod "$KVMINTRO_KO"

vmm_start

# vms: the VM, its one vcpu, its two slots and their size in all.
mem_bytes=0
for size in $(sed -n 's/^slot=.* size=\([^ ]*\).*/\1/p' "$tmp/vmm.out"); do
	mem_bytes=$((mem_bytes + size))
done
tap_check "vms lists the VM with 1 vcpu, 2 slots, $mem_bytes bytes" \
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
tap_check "memslots has spin_vm's slots, gpa, size and hva" [ $good = 1 ]

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
tap_check "mem reads the bytes spin_vm wrote in each slot" [ $good = 1 ]

# translate: each string's GPA is at its slot's HVA plus its offset.
slot0_hva=$(vmm_field slot=0 hva)
text0_gpa=$(text_gpa 0)
echo "$text0_gpa" >"$debugfs/$vmm/translate"
cat "$debugfs/$vmm/translate" | sed 's/^/# /'
tap_check "translate gives the HVA of slot 0's string" grep -q \
	"^ok phys=0x[0-9a-f]* kind=[a-z]* gpa=$text0_gpa hva=$(printf '%#x' $((slot0_hva + text0_gpa - $(vmm_field slot=0 gpa)))) " \
	"$debugfs/$vmm/translate"

# scan: each string found at its GPA, and only there.
printf 'str:kvmintro-arm64-slot1\n' >"$debugfs/$vmm/scan"
cat "$debugfs/$vmm/scan" | sed 's/^/# /'
found=0
[ "$(grep -c "^match gpa=$(text_gpa 1) " "$debugfs/$vmm/scan")" = 1 ] &&
	grep -q '^summary matches=1 ' "$debugfs/$vmm/scan" && found=1
tap_check "scan finds slot 1's string at its GPA, once" [ $found = 1 ]

# The CLI, cross-built: list and memslots read the same files.
tap_check "kvmintro list shows the VM" sh -c \
	"'$KVMINTRO_BIN/kvmintro' list | grep -q '^ *$vmm  *$vmm  *1  *2 '"
tap_check "kvmintro memslots shows slot 1's GPA and HVA" sh -c \
	"'$KVMINTRO_BIN/kvmintro' memslots $vmm | grep -q '$(vmm_field slot=1 gpa).*$(vmm_field slot=1 hva)'"

counter_moves "mem shows the guest's counter moving"

# snapshot: a pause freezes the guest, a resume lets it go on.
echo pause >"$debugfs/$vmm/snapshot"
tap_check "pause" grep -q '^state=paused$' "$debugfs/$vmm/snapshot"
before=$(counter_read)
sleep 1
after=$(counter_read)
still=0
[ -n "$after" ] && [ "$before" = "$after" ] && still=1
tap_check "the counter stands still while paused ($before)" [ $still = 1 ]
echo resume >"$debugfs/$vmm/snapshot"
sleep 1
moving=0
[ -n "$after" ] && [ "$(counter_read)" != "$after" ] && moving=1
tap_check "the counter moves again after resume" [ $moving = 1 ]

# capture: state, gpa_hpa and the registers.
echo capture >"$debugfs/$vmm/snapshot"
tap_check "capture records generation 1" grep -q '^generation=1$' "$debugfs/$vmm/snapshot"
tap_check "snapshot_gpa_hpa of the capture has slot 0's GPA" \
	grep -q "gpa=$(vmm_field slot=0 gpa)" "$debugfs/$vmm/snapshot_gpa_hpa"
tap_check "regs after the capture: source=capture generation=1, x19 as set" sh -c \
	"grep -q '^source=capture\$' '$debugfs/$vmm/vcpu0/regs' &&
	 grep -q '^generation=1\$' '$debugfs/$vmm/vcpu0/regs' &&
	 grep -q '^x19=0x1919191919191919\$' '$debugfs/$vmm/vcpu0/regs'"

# regs while paused: what KVM_GET_ONE_REG gives the VMM then, register for
# register (spin_vm prints it on SIGUSR1, from its main thread).
echo pause >"$debugfs/$vmm/snapshot"
cat "$debugfs/$vmm/vcpu0/regs" >"$tmp/regs1"
sed 's/^/# /' "$tmp/regs1"
kill -USR1 "$vmm"
i=0
while ! grep -q '^truth-end$' "$tmp/vmm.out" && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
sed -n 's/^truth \(.*=.*\)/\1/p' "$tmp/vmm.out" >"$tmp/truth"
cat "$debugfs/$vmm/vcpu0/regs" >"$tmp/regs2"
tap_check "regs while paused: source=live" grep -q '^source=live$' "$tmp/regs1"
tap_check "regs read twice while paused are equal" cmp -s "$tmp/regs1" "$tmp/regs2"
good=1
[ "$(wc -l <"$tmp/truth")" -eq 47 ] || good=0
while read -r line; do
	grep -qx "$line" "$tmp/regs1" || { good=0; echo "# regs lacks $line"; }
done <"$tmp/truth"
tap_check "regs equals KVM_GET_ONE_REG's 47 registers (x0-x30, sp, pc, pstate, EL1)" [ $good = 1 ]
good=1
for line in x2=0x2222222222222222 x30=0x3030303030303030 sp=0x40100000 \
	    sp_el1=0x40180000 elr_el1=0xffff800012345678 ttbr0_el1=0x40010000 \
	    vbar_el1=0xffff800010000800 contextidr_el1=0x4242 \
	    tpidr_el1=0xffff0000deadb000; do
	grep -qx "$line" "$tmp/regs1" || good=0
done
tap_check "regs has the values spin_vm set before running" [ $good = 1 ]
slot0_gpa=$(vmm_field slot=0 gpa)
pc=$(sed -n 's/^pc=//p' "$tmp/regs1")
good=0
[ -n "$pc" ] && [ $((pc)) -ge $((slot0_gpa + 4)) ] &&
	[ $((pc)) -le $((slot0_gpa + 0x10)) ] && good=1
tap_check "pc $pc is in the guest's loop" [ $good = 1 ]

# core while paused: an arm64 ELF core, a PT_LOAD per memslot at its GPA,
# one NT_PRSTATUS whose pc is regs' pc.  busybox has no readelf: the
# fields are read with od at their ELF64 offsets.
u()	# u <bytes> <offset>: the unsigned little-endian integer there
{
	od -An -tu"$1" -j "$2" -N "$1" "$tmp/core" | tr -d ' '
}
cat "$debugfs/$vmm/core" >"$tmp/core"
tap_check "core: ET_CORE, EM_AARCH64" [ "$(u 2 16)-$(u 2 18)" = 4-183 ]
phnum=$(u 2 56)
good=1
[ "$phnum" = 3 ] || good=0
[ "$(u 4 64)" = 4 ] || good=0
i=1
for gpa in $(sed -n 's/^slot=.* gpa=\([^ ]*\) size=\([^ ]*\).*/\1:\2/p' "$tmp/vmm.out"); do
	ph=$((64 + 56 * i))
	[ "$(u 4 $ph)" = 1 ] && [ "$(u 8 $((ph + 24)))" = $((${gpa%:*})) ] &&
		[ "$(u 8 $((ph + 32)))" = $((${gpa#*:})) ] || good=0
	i=$((i + 1))
done
tap_check "core: PT_NOTE, then a PT_LOAD per memslot, p_paddr its GPA" [ $good = 1 ]
# Slot 0's PT_LOAD holds guest memory: the paused guest's counter there is
# the value the VMM read at its own address (on SIGUSR1, above).
counter_off=$(($(u 8 $((64 + 56 + 8))) + $(vmm_field counter gpa) - slot0_gpa))
in_core=$(od -An -tx8 -j "$counter_off" -N 8 "$tmp/core" | tr -d ' ')
vmm_counter=$(vmm_field vmm-counter value)
good=0
[ -n "$in_core" ] && [ -n "$vmm_counter" ] &&
	[ $((0x$in_core)) = $((vmm_counter)) ] && good=1
tap_check "core: the counter in slot 0's PT_LOAD is the VMM's (0x$in_core, $vmm_counter)" [ $good = 1 ]
# The notes: count NT_PRSTATUS "CORE" notes, take the first one's pc
# (pr_reg at 112 in the descriptor, pc after regs[31] and sp).
note=$(u 8 72)
end=$((note + $(u 8 96)))
prstatus=0
note_pc=
while [ $note -lt $end ]; do
	namesz=$(u 4 $note)
	descsz=$(u 4 $((note + 4)))
	desc=$((note + 12 + (namesz + 3) / 4 * 4))
	if [ "$(u 4 $((note + 8)))" = 1 ] &&
	   [ "$(dd if="$tmp/core" bs=1 skip=$((note + 12)) count=4 2>/dev/null)" = CORE ]; then
		prstatus=$((prstatus + 1))
		[ "$descsz" = 392 ] && note_pc=$(u 8 $((desc + 112 + 32 * 8)))
	fi
	note=$((desc + (descsz + 3) / 4 * 4))
done
echo "# core: $prstatus NT_PRSTATUS, pc $note_pc"
tap_check "core: one NT_PRSTATUS (392 bytes), its pc regs' pc" \
	[ "$prstatus-$note_pc" = "1-$((pc))" ]
[ -d /run/kvmintro ] && cp "$tmp/core" /run/kvmintro/arm64-core 2>/dev/null
echo resume >"$debugfs/$vmm/snapshot"

# gva is there (gva_test.sh walks it), and stage2 (stage2_test.sh).
# gva with the MMU off (spin_vm's guest never turns it on): GVA = GPA.
echo "$(text_gpa 0)" >"$debugfs/$vmm/gva"
sed 's/^/# /' "$debugfs/$vmm/gva"
tap_check "gva with the MMU off: mmu=off, the GVA is the GPA" sh -c \
	"grep -q '^gva=$(text_gpa 0) vcpu=0 mmu=off sctlr=' '$debugfs/$vmm/gva' &&
	 grep -qx 'gpa=$(text_gpa 0) page_size=4K' '$debugfs/$vmm/gva'"

files=0
[ -e "$debugfs/$vmm/gva" ] && [ -e "$debugfs/$vmm/stage2" ] && files=1
tap_check "a gva file and a stage2 file on arm64" [ $files = 1 ]

vmm_stop
tap_check "rmmod kvmintro" rmmod kvmintro

exit $tap_failed
