#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# arm64's stage2 file end to end, in an arm64 L1 (harness/arm64-tests):
# spin_vm's guest touches two pages of slot 0 (its code and its counter);
# a walk of each must end at a leaf whose PFN is the one
# /proc/<vmm>/pagemap gives for the page at the VMM's HVA of that GPA, and
# whose host side is that HVA; untouched GPAs must stop at an invalid
# descriptor of the level the table's geometry says (a 40-bit IPA space,
# KVM's default, starts at level 1 with 1 GiB per entry); the summary
# must cover the touched pages; bad requests must fail with EINVAL and
# leave the reply alone.  A second VM, with THP off, has its pages in
# 4K leaves (level 3).  Then s2_swbit.ko (tests/e2e/arm64/kmod) sets
# software bit 55 in the counter's leaf with its own walk: the stage2 file
# must show it, and not after rmmod; the guest must keep counting.
# busybox sh.  TAP on stdout.  Environment: lib.sh's.

tmp=${KVMINTRO_TMP:-/tmp}/arm64_stage2_test.$$
. "$(dirname "$0")/lib.sh"

mkdir -p "$tmp"
echo "# $(uname -r) $(uname -m)"

tap_check "insmod kvmintro.ko" insmod "$KVMINTRO_KO"
vmm_start
counter_moves "the guest counts"

s2=$debugfs/$vmm/stage2
tap_check "a stage2 file in the VM's directory" [ -f "$s2" ]

# walk <request>: write it to stage2, the reply into $tmp/walk; fail if
# the write does.
walk()
{
	echo "$1" >"$s2" 2>"$tmp/walk.err" || return 1
	cat "$s2" >"$tmp/walk"
	sed 's/^/# /' "$tmp/walk"
}

# The value of field $2 of the record of $tmp/walk whose first word is $1.
field()
{
	sed -n "s/^$1 .*[ ]$2=\\([^ ]*\\).*/\\1/p" "$tmp/walk" | head -n 1
}

# vmm_walks <backing>: walk the two pages spin_vm's guest touched (its
# code and its counter): a leaf, its PFN pagemap's, the VMM's HVA; then
# untouched GPAs: slot 1 (its own GiB) stops at level 1, past slot 0 in
# the same GiB at level 2, slot 0's untouched second MiB at level 3 if
# the touched pages have a page table (4K leaves).  Sets $slot0, $hva0,
# $code, $counter, $leaf_level.
vmm_walks()
{
	slot0=$(vmm_field slot=0 gpa)
	hva0=$(vmm_field slot=0 hva)
	code=$((slot0 + 0x10))
	counter=$(($(vmm_field counter gpa) + 8))
	echo "# slot 0 at $slot0, hva $hva0, $1"
	leaf_level=
	for g in $code $counter; do
		gpa=$(printf '0x%x' "$g")
		hva=$(printf '0x%x' $((hva0 + g - slot0)))
		# The host may migrate the page between the walk and pagemap's
		# read (compaction): walk again until pagemap reads the same
		# PFN before and after the walk, three times at most.
		good=0
		for try in 1 2 3; do
			before=$(pagemap_pfn "$hva")
			walk "$gpa" || break
			good=1
			truth=$(pagemap_pfn "$hva")
			[ "$before" = "$truth" ] && [ "$(field leaf pfn)" = "$truth" ] && break
			echo "# try $try: pagemap $before, then $truth; leaf pfn $(field leaf pfn)"
		done
		head -n 1 "$tmp/walk" |
			grep -q "^gpa=$gpa mmu=s2 root=0x[0-9a-f]* ia_bits=40 start_level=1 levels=3 " ||
			{ good=0; echo "# the table record"; }
		level=$(field leaf level)
		# Every descriptor from level 1 down: tables, then the page or block.
		want="1"
		[ "$level" = 3 ] && want="1 2 3"
		[ "$level" = 2 ] && want="1 2"
		[ "$(sed -n 's/^level=\([0-9]\) .* valid=1 type=.*/\1/p' "$tmp/walk" | tr '\n' ' ')" = "$want " ] ||
			{ good=0; echo "# the descriptors read"; }
		[ "$(grep -c ' type=table$' "$tmp/walk")" = $((level - 1)) ] || good=0
		echo "# $gpa: leaf pfn $(field leaf pfn), pagemap's $truth"
		[ -n "$truth" ] && [ "$(field leaf pfn)" = "$truth" ] ||
			{ good=0; echo "# the PFN"; }
		[ "$(field leaf hva)" = "$hva" ] || { good=0; echo "# the HVA"; }
		grep -q "^leaf .* s2ap=r[w]* .* memtype=normal af=1 .* sw=0x0 desc=0x[0-9a-f]* .*kind=" "$tmp/walk" ||
			{ good=0; echo "# the leaf's attributes"; }
		grep -q "mismatch" "$tmp/walk" && good=0
		tap_check "stage2 $gpa (touched, $1): a level-$level leaf, pagemap's PFN, the VMM's HVA" [ $good = 1 ]
		leaf_level=$level
	done

	stops="$(vmm_field slot=1 gpa) 1 $(printf '0x%x' $((slot0 + 0x200000))) 2"
	[ "$leaf_level" = 3 ] && stops="$stops $(printf '0x%x' $((slot0 + 0x100000))) 3"
	set -- $stops
	while [ $# -ge 2 ]; do
		good=1
		walk "$1" || good=0
		tail -n 1 "$tmp/walk" | grep -qx "err gpa=$1 level=$2 reason=not-present" || good=0
		grep "^level=" "$tmp/walk" | tail -n 1 | grep -q "^level=$2 .* valid=0 type=invalid\$" || good=0
		tap_check "stage2 $1 (untouched): stops at an invalid descriptor of level $2" [ $good = 1 ]
		shift 2
	done
}

vmm_walks "THP as L1 has it"

# The summary: the table, and runs covering both touched pages.
echo summary >"$s2"
cat "$s2" >"$tmp/summary"
sed 's/^/# /' "$tmp/summary" | head -n 20
good=1
head -n 1 "$tmp/summary" | grep -q "^table mmu=s2 root=0x[0-9a-f]* ia_bits=40 start_level=1 levels=3 " || good=0
for g in $code $counter; do
	covered=0
	while read -r kind rgpa rn rest; do
		[ "$kind" = run ] || continue
		rgpa=$((${rgpa#gpa=}))
		rn=$((${rn#npages=}))
		[ $g -ge $rgpa ] && [ $g -lt $((rgpa + rn * 4096)) ] && covered=1
	done <"$tmp/summary"
	[ $covered = 1 ] || { good=0; printf '# 0x%x not covered\n' "$g"; }
done
grep -q "^run gpa=$(vmm_field slot=1 gpa) " "$tmp/summary" && good=0
tap_check "stage2 summary: the table, runs covering the touched pages, not slot 1" [ $good = 1 ]

# Bad requests: EINVAL, the latest walk stays.
walk "$(printf '0x%x' $counter)"
cp "$tmp/walk" "$tmp/before"
last_ipa=0xffffffffff
for bad in zzz 0x "0x1 junk" "summary 0x1" -1 0x10000000000000000 \
	0xffffffffffffffff 0x10000000000 "0x1000 0x10000000000"; do
	if echo "$bad" >"$s2" 2>"$tmp/bad.err"; then
		tap_ok 1 "stage2 refuses '$bad'"
	else
		tap_check "stage2 refuses '$bad' with EINVAL" grep -q "Invalid argument" "$tmp/bad.err"
	fi
done
cat "$s2" >"$tmp/after"
tap_check "the refused requests left the reply alone" cmp -s "$tmp/before" "$tmp/after"
walk $last_ipa
tap_check "stage2 $last_ipa (the last IPA of 40 bits): walked, stops at level 1" \
	grep -qx "err gpa=$last_ipa level=1 reason=not-present" "$tmp/walk"

# The CLI: a walk and the summary, read.
"$KVMINTRO_BIN/kvmintro" stage2 "$vmm" "$(printf '0x%x' $counter)" >"$tmp/cli" 2>&1
sed 's/^/# /' "$tmp/cli"
tap_check "kvmintro stage2 PID GPA: the table and the leaf's PFN" sh -c \
	"grep -q 'stage-2 table, IPA 40 bits, start level 1' '$tmp/cli' &&
	 grep -q '$(pagemap_pfn $((hva0 + counter - slot0)))' '$tmp/cli'"
"$KVMINTRO_BIN/kvmintro" stage2 "$vmm" >"$tmp/cli" 2>&1
sed 's/^/# /' "$tmp/cli"
tap_check "kvmintro stage2 PID: the runs and what they map" grep -q "^Mapped: " "$tmp/cli"

# Software bit 55, set by s2_swbit.ko in the counter's leaf.
counter_page=$(printf '0x%x' $((counter & ~0xfff)))
if insmod "$KVMINTRO_BIN/kmod/s2_swbit.ko" pid="$vmm" gpa="$counter_page"; then
	tap_ok 0 "insmod s2_swbit.ko pid=$vmm gpa=$counter_page"
	walk "$(printf '0x%x' $counter)"
	desc=$(field leaf desc)
	tap_check "stage2 shows software bit 55 the module set: sw=0x1" sh -c \
		"[ '$(field leaf sw)' = 0x1 ] && [ $(((desc >> 55) & 1)) = 1 ]"
	echo summary >"$s2"
	tap_check "the summary has a run with sw=0x1" grep -q "^run .* sw=0x1\$" "$s2"
	counter_moves "the guest counts with the bit set"
	tap_check "rmmod s2_swbit" rmmod s2_swbit
	walk "$(printf '0x%x' $counter)"
	tap_check "after rmmod, stage2 shows the bit clear: sw=0x0" [ "$(field leaf sw)" = 0x0 ]
else
	tap_ok 1 "insmod s2_swbit.ko pid=$vmm gpa=$counter_page"
fi

vmm_stop

# Again without THP: slot 0 on 4 KiB host pages, hence 4K leaves (level
# 3), and an untouched page beside them stops at level 3.
thp=/sys/kernel/mm/transparent_hugepage/enabled
thp_was=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$thp" 2>/dev/null)
if [ -n "$thp_was" ] && echo never >"$thp"; then
	vmm_start
	counter_moves "the guest counts (no THP)"
	s2=$debugfs/$vmm/stage2
	vmm_walks "no THP"
	tap_check "without THP the touched pages have 4K leaves" [ "$leaf_level" = 3 ]
	echo summary >"$s2"
	sed 's/^/# /' "$s2"
	tap_check "the summary without THP: 4K runs from slot 0's first page" \
		grep -q "^run gpa=$slot0 npages=0x[12] size=4K " "$s2"
	vmm_stop
	echo "$thp_was" >"$thp"
else
	tap_ok 1 "THP turned off for a second VM"
fi
tap_check "rmmod kvmintro" rmmod kvmintro

exit $tap_failed
