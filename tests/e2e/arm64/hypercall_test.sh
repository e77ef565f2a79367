#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The opt-in translation call on arm64 (Documentation/hypercall.rst), in
# an arm64 L1 (harness/arm64-tests): spin_vm --hvc's guest makes SMCCC
# calls by HVC and stores X0-X3; the VMM prints them and its own
# /proc/self/pagemap entry of each GPA's HVA, the independent truth.
# KVM's answers without kvmintro are the truth for every call kvmintro
# must leave alone.  busybox sh; TAP on stdout.  Environment: lib.sh's.

tmp=${KVMINTRO_TMP:-/tmp}/arm64_hypercall_test.$$
. "$(dirname "$0")/lib.sh"

nr=19273	# 0x4b49: function ID 0xc6004b49
not_supported=0xffffffffffffffff	# SMCCC_RET_NOT_SUPPORTED
efault=0xfffffffffffffff2		# -KVM_EFAULT

# hvc_run <name> [deny|user]: spin_vm --hvc $nr into $tmp/<name>; ok if
# it is done.
hvc_run()
{
	name=$1
	shift
	"$KVMINTRO_BIN/spin_vm" --hvc $nr "$@" >"$tmp/$name" 2>"$tmp/$name.err"
	sed 's/^/# /' "$tmp/$name" "$tmp/$name.err"
	tap_check "spin_vm --hvc $nr${*:+ $*} ($name): the guest made its calls" \
		grep -qx done "$tmp/$name"
}

# hvc_answer <name> <what>: X0-X3 of the call, "x0 x1 x2 x3".
hvc_answer()
{
	sed -n "s/^hvc .* what=$2 .* x0=\\([^ ]*\\) x1=\\([^ ]*\\) x2=\\([^ ]*\\) x3=\\([^ ]*\\)\$/\\1 \\2 \\3 \\4/p" \
		"$tmp/$1"
}

# hvc_arg <name> <what>: the call's X1.
hvc_arg()
{
	sed -n "s/^hvc .* what=$2 .* arg=\\([^ ]*\\) .*/\\1/p" "$tmp/$1"
}

# pagemap_field <name> <gpa> <field>
pagemap_field()
{
	sed -n "s/^pagemap gpa=$2 .*$3=\\([^ ]*\\).*/\\1/p" "$tmp/$1"
}

# same_answers <name> <other> <what...>: ok if every call's answer matches.
same_answers()
{
	a=$1
	b=$2
	shift 2
	for what in "$@"; do
		[ -n "$(hvc_answer "$a" "$what")" ] &&
			[ "$(hvc_answer "$a" "$what")" = "$(hvc_answer "$b" "$what")" ] ||
			return 1
	done
}

# served <name> <what>: the answer is pagemap's page, offset kept, flags
# as kpageflags says (compound head or tail: huge, else order 0), X3 0.
served()
{
	gpa=$(hvc_arg "$1" "$2")
	entry=$(pagemap_field "$1" "$gpa" entry)
	kflags=$(pagemap_field "$1" "$gpa" kpageflags)
	[ -n "$entry" ] && [ $((entry >> 63 & 1)) = 1 ] || return 1
	pfn=$((entry & 0x7fffffffffffff))
	[ $pfn != 0 ] || return 1	# pagemap hides frames from non-root
	set -- $(hvc_answer "$1" "$2")
	echo "# $gpa: pfn $(printf '%#x' $pfn) kpageflags $kflags; answer $*"
	[ "$1" = "$(printf '0x%x' $((pfn * 4096 + (gpa & 4095))))" ] &&
		[ "$2" = "$(printf '0x%x' $pfn)" ] && [ "$4" = 0x0 ] || return 1
	if [ $((kflags >> 15 & 3)) = 0 ]; then
		[ "$3" = 0x2 ]
	else
		[ $(($3 & 3)) = 3 ]
	fi
}

# gmem_resident <name> <gpa>: 1 if the guest_memfd held GPA's page after
# the calls (mincore()), else 0.
gmem_resident()
{
	sed -n "s/^gmem gpa=$2 resident=//p" "$tmp/$1"
}

# gmem_served <name> <what>: the guest_memfd held the page, and the answer
# is its frame, as served says.
gmem_served()
{
	[ "$(gmem_resident "$1" "$(hvc_arg "$1" "$2")")" = 1 ] && served "$1" "$2"
}

# refused <name> <what>: -KVM_EFAULT, X1-X3 0.
refused()
{
	[ "$(hvc_answer "$1" "$2")" = "$efault 0x0 0x0 0x0" ]
}

mkdir -p "$tmp"
echo "# $(uname -r) $(uname -m)"
grep -q '^kvmintro ' /proc/modules && rmmod kvmintro

# Stock KVM: the truth for every call kvmintro must not change.
hvc_run stock
tap_check "stock KVM: function $nr is SMCCC_RET_NOT_SUPPORTED, X1-X3 0" \
	[ "$(hvc_answer stock touched)" = "$not_supported 0x0 0x0 0x0" ]
tap_check "stock KVM: the features call (function 0) answers" \
	[ -n "$(hvc_answer stock kvm-features)" ]

# Loaded without the parameter: off, every answer KVM's.
tap_check "insmod kvmintro.ko (hypercall_nr off)" insmod "$KVMINTRO_KO"
tap_check "hypercall_nr reads -1" \
	[ "$(cat /sys/module/kvmintro/parameters/hypercall_nr)" = -1 ]
hvc_run off
tap_check "off: every call answers as on stock KVM" same_answers off stock \
	touched vmm-written untouched no-slot past-slot past-ipa all-ones \
	kvm-features kvm-call-uid next-function smc32
tap_check "rmmod kvmintro" rmmod kvmintro

# Bad values: refused, nothing left loaded.
for bad in -2 -2147483648 0 1 2 7 64 127 0xff00 0xff01 0xffff 0x10000 \
	2147483647 2147483648 abc 0x 12x ""; do
	good=0
	dmesg -c >/dev/null 2>&1
	if ! insmod "$KVMINTRO_KO" hypercall_nr="$bad" 2>/dev/null &&
	   ! grep -q '^kvmintro ' /proc/modules; then
		good=1
	fi
	grep -q '^kvmintro ' /proc/modules && rmmod kvmintro
	tap_check "hypercall_nr='$bad' is refused, no module left" [ $good = 1 ]
done
for edge in 128 0xfeff -1; do
	good=0
	insmod "$KVMINTRO_KO" hypercall_nr=$edge && good=1
	grep -q '^kvmintro ' /proc/modules && rmmod kvmintro
	tap_check "hypercall_nr=$edge loads" [ $good = 1 ]
done

# On.
dmesg -c >/dev/null 2>&1
tap_check "insmod kvmintro.ko hypercall_nr=$nr" insmod "$KVMINTRO_KO" hypercall_nr=$nr
tap_check "the kernel log says SMCCC call 0xc6004b49 is served" sh -c \
	"dmesg | grep -q 'SMCCC call 0xc6004b49 serves guest physical -> host physical'"
hvc_run on
tap_check "a page the guest wrote, unaligned GPA: pagemap's frame, offset kept" \
	served on touched
tap_check "a page the VMM wrote: pagemap's frame" served on vmm-written
good=0
refused on untouched &&
	[ $(($(pagemap_field on "$(hvc_arg on untouched)" entry) >> 63 & 1)) = 0 ] &&
	good=1
tap_check "a slot's page never touched: -KVM_EFAULT, still not present" [ $good = 1 ]
tap_check "a GPA in no memslot: -KVM_EFAULT, X1-X3 0" refused on no-slot
tap_check "the GPA just past slot 1: -KVM_EFAULT" refused on past-slot
tap_check "a GPA past the IPA space (1 << 52): -KVM_EFAULT" refused on past-ipa
tap_check "GPA ~0: -KVM_EFAULT" refused on all-ones
tap_check "on: KVM's features and UID calls answer as on stock KVM" \
	same_answers on stock kvm-features kvm-call-uid
tap_check "on: function $nr + 1 and the SMC32 ID of $nr answer as on stock KVM" \
	same_answers on stock next-function smc32

# A slot KVM faults in from a guest_memfd alone (6.18 on): the VMM's page
# tables hold none of the file's pages, which are served all the same; a
# page the file does not hold is refused, and not created.  The truth:
# mincore() of the VMM's mapping of the file, then pagemap once the VMM
# mapped each page the file holds again.
"$KVMINTRO_BIN/spin_vm" --hvc $nr gmem >"$tmp/probe" 2>&1
if grep -qx 'skip no-guest-memfd' "$tmp/probe"; then
	why="KVM has no guest_memfd a VMM can mmap() (KVM_CAP_GUEST_MEMFD_FLAGS, 6.18 on)"
	tap_skip "spin_vm --hvc $nr gmem (gmem): the guest made its calls" "$why"
	tap_skip "on, guest_memfd: the page the guest wrote" "$why"
	tap_skip "on, guest_memfd: the page the VMM wrote" "$why"
	tap_skip "on, guest_memfd: a page the file does not hold" "$why"
else
	hvc_run gmem gmem
	tap_check "on, guest_memfd: the page the guest wrote: the file's page, pagemap's frame" \
		gmem_served gmem touched
	tap_check "on, guest_memfd: the page the VMM wrote, then unmapped: the file's page" \
		gmem_served gmem vmm-written
	good=0
	refused gmem untouched &&
		[ "$(gmem_resident gmem "$(hvc_arg gmem untouched)")" = 0 ] &&
		good=1
	tap_check "on, guest_memfd: a page the file does not hold: -KVM_EFAULT, not created" \
		[ $good = 1 ]
fi

# The VMM's SMCCC filter comes first: KVM denies the function, or the VMM
# answers it; kvmintro leaves both alone.  KVM has the filter from 6.4.
"$KVMINTRO_BIN/spin_vm" --hvc $nr deny >"$tmp/probe" 2>&1
if grep -qx 'skip no-smccc-filter' "$tmp/probe"; then
	why="KVM has no SMCCC filter (KVM_ARM_VM_SMCCC_FILTER, 6.4 on)"
	tap_skip "on, filter deny" "$why"
	tap_skip "on, filter forwarding to the VMM" "$why"
else
	hvc_run deny deny
	tap_check "on, filter deny: SMCCC_RET_NOT_SUPPORTED, X1-X3 0, as KVM denies" \
		[ "$(hvc_answer deny touched)" = "$not_supported 0x0 0x0 0x0" ]
	hvc_run user user
	tap_check "on, filter forwarding to the VMM: the VMM's answer" \
		[ "$(hvc_answer user touched)" = "0x7573657220766d6d $(hvc_arg user touched) 0x0 0x0" ]
	tap_check "on, filtered: the other calls as on stock KVM" same_answers user stock \
		kvm-features kvm-call-uid next-function smc32
fi
tap_check "rmmod kvmintro" rmmod kvmintro

# Unloaded: KVM's answers again.
hvc_run unloaded
tap_check "unloaded: every call answers as on stock KVM" same_answers unloaded stock \
	touched vmm-written untouched no-slot kvm-features kvm-call-uid \
	next-function smc32

exit $tap_failed
