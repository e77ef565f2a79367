#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# arm64's gva file end to end, in an arm64 L1 (harness/arm64-tests):
# spin_vm --mmu runs its guest with the MMU on through stage-1 tables the
# VMM wrote (a 4K page and a 2M block under each of TTBR0 and TTBR1) and
# prints what they map and every descriptor a walk reads; each walk of
# the gva file must give the VMM's GPA, page size and descriptors, and
# stop at the level the VMM left invalid.  busybox sh.  TAP on stdout.
# Environment: lib.sh's.

tmp=${KVMINTRO_TMP:-/tmp}/arm64_gva_test.$$
. "$(dirname "$0")/lib.sh"

mkdir -p "$tmp"
echo "# $(uname -r) $(uname -m)"

tap_check "insmod kvmintro.ko" insmod "$KVMINTRO_KO"
vmm_start --mmu
grep '^mmu ' "$tmp/vmm.out" | sed 's/^/# /'
counter_moves "the guest counts with its MMU on"

gva=$debugfs/$vmm/gva

# walk <request>: write it to gva, the reply into $tmp/walk; fail if the
# write does.
walk()
{
	echo "$1" >"$gva" 2>"$tmp/walk.err" || return 1
	cat "$gva" >"$tmp/walk"
	sed 's/^/# /' "$tmp/walk"
}

# The descriptors of $tmp/walk as spin_vm prints them: level, table,
# entry_gpa, entry.
walk_levels()
{
	sed -n 's/^\(level=[^ ]* table=[^ ]* entry_gpa=[^ ]* entry=[^ ]*\) .*/\1/p' "$tmp/walk"
}

# The descriptors spin_vm's tables give a walk of $1.
vmm_levels()
{
	sed -n "s/^walk gva=$1 //p" "$tmp/vmm.out"
}

tap_check "gva fails while the VM runs and nothing was captured" \
	sh -c "! echo 0x12345000 >'$gva' 2>/dev/null"
echo capture >"$debugfs/$vmm/snapshot"

# Every address spin_vm mapped, at an offset into its page: the request
# record, the VMM's descriptors, the last one a page or block with its
# attributes as written, the GPA and page size, the host record.
while read -r map g p size; do
	g=${g#gva=}
	p=${p#gpa=}
	size=${size#page_size=}
	request=${g%000}678
	want=${p%000}678
	ttbr=0
	case $g in 0xffff*) ttbr=1 ;; esac
	good=1
	walk "$request vcpu=0" || good=0
	head -n 1 "$tmp/walk" | grep -q "^gva=$request vcpu=0 mmu=on .* ttbr=$ttbr granule=4K va_bits=[0-9]* lpa2=0\$" ||
		{ good=0; echo "# request record"; }
	vmm_levels "$g" >"$tmp/want"
	walk_levels >"$tmp/got"
	[ -s "$tmp/want" ] && cmp -s "$tmp/want" "$tmp/got" ||
		{ good=0; echo "# the descriptors differ from spin_vm's:"; sed 's/^/#   /' "$tmp/want"; }
	levels=$(wc -l <"$tmp/want")
	[ "$(grep -c ' type=table ' "$tmp/walk")" = $((levels - 1)) ] || good=0
	leaf=page
	[ "$size" = 2M ] && leaf=block
	grep "^level=" "$tmp/walk" | tail -n 1 |
		grep -q " type=$leaf attr_index=0 ns=0 ap=0 sh=3 af=1 ng=0 dbm=0 contiguous=0 pxn=0 uxn=0\$" ||
		{ good=0; echo "# the leaf's decoding"; }
	grep -qx "gpa=$want page_size=$size" "$tmp/walk" || good=0
	grep -q "^host hva=0x[0-9a-f]* hpa=0x[0-9a-f]* host_size=" "$tmp/walk" || good=0
	tap_check "gva $request (TTBR$ttbr, $size): gpa $want, spin_vm's $levels descriptors" [ $good = 1 ]
done <<MAPS
$(grep '^map ' "$tmp/vmm.out")
MAPS

# The pages' strings, read at the GPAs the walks give.
for page in 0x12345000:kvmintro-arm64-ttbr0-page \
	    0xffff800000201000:kvmintro-arm64-ttbr1-page; do
	text=${page#*:}
	gpa=
	walk "${page%%:*}" && gpa=$(sed -n 's/^gpa=\([^ ]*\) .*/\1/p' "$tmp/walk")
	good=0
	[ -n "$gpa" ] && [ "$(mem_read "$gpa" ${#text})" = "$text" ] && good=1
	tap_check "mem at gva ${page%%:*}'s GPA $gpa holds \"$text\"" [ $good = 1 ]
done

# Unmapped addresses: the walk stops at the level spin_vm left invalid.
while read -r unmapped g level; do
	g=${g#gva=}
	level=${level#level=}
	good=1
	walk "$g" || good=0
	vmm_levels "$g" >"$tmp/want"
	walk_levels >"$tmp/got"
	cmp -s "$tmp/want" "$tmp/got" || good=0
	[ "$(tail -n 1 "$tmp/walk")" = "stop level=$level reason=invalid" ] || good=0
	grep -q '^gpa=' "$tmp/walk" && good=0
	tap_check "gva $g: stop level=$level reason=invalid, after spin_vm's descriptors" [ $good = 1 ]
done <<UNMAPPED
$(grep '^unmapped ' "$tmp/vmm.out")
UNMAPPED

# Overrides: ttbr0=, ttbr1=, tcr= replace the vcpu's, and show.
tcr=$(vmm_field mmu tcr)
good=0
walk "0x12345000 ttbr0=0x40014000" &&
	head -n 1 "$tmp/walk" | grep -q ' ttbr0=0x40014000 ' &&
	grep -q '^level=1 table=0x40014000 entry_gpa=0x40014000 entry=0x0 type=invalid$' "$tmp/walk" &&
	[ "$(tail -n 1 "$tmp/walk")" = "stop level=1 reason=invalid" ] && good=1
tap_check "ttbr0= walks from that table" [ $good = 1 ]
good=0
walk "0xffff800000201000 ttbr1=0x40010000" &&
	grep -q '^level=0 table=0x40010000 entry_gpa=0x40010800 entry=0x0 type=invalid$' "$tmp/walk" &&
	[ "$(tail -n 1 "$tmp/walk")" = "stop level=0 reason=invalid" ] && good=1
tap_check "ttbr1= walks from that table" [ $good = 1 ]
good=0
walk "0x12345000 tcr=$(printf '%#x' $((tcr | 0x80)))" &&
	[ "$(tail -n 1 "$tmp/walk")" = "stop reason=walk-disabled" ] &&
	! grep -q '^level=' "$tmp/walk" && good=1
tap_check "tcr= with EPD0 set: stop reason=walk-disabled" [ $good = 1 ]
good=0
walk "0x800000000000" &&
	[ "$(tail -n 1 "$tmp/walk")" = "stop reason=out-of-range" ] && good=1
tap_check "an address beyond TTBR0's 39 bits: stop reason=out-of-range" [ $good = 1 ]
# The same tables read with a 64K granule (TG0=1; T0SZ 25: levels 2 and
# 3, VA bits 38:29 and 28:16 their indexes, a table's address its entry's
# bits 47:16), as the Arm ARM's 64K lookup has it.
good=0
ttbr0=$(vmm_field mmu ttbr0)
if walk "0x12345000 tcr=$(printf '%#x' $(((tcr & ~0xc000) | 0x4000)))"; then
	e=$(sed -n "s/^level=2 table=$ttbr0 entry_gpa=$ttbr0 entry=\(0x[0-9a-f]*\) type=table .*/\1/p" "$tmp/walk")
	next=$(printf '0x%x' $((e & 0xffffffff0000)))
	head -n 1 "$tmp/walk" | grep -q ' ttbr=0 granule=64K va_bits=39 lpa2=0$' &&
		[ -n "$e" ] && grep -q "^level=3 table=$next entry_gpa=$(printf '0x%x' $((next + 0x1234 * 8))) " "$tmp/walk" &&
		good=1
fi
tap_check "tcr= with a 64K granule: levels 2 and 3, 64K indexes" [ $good = 1 ]
good=0
if ! walk "0x12345000 tcr=$(printf '%#x' $((tcr | 0xc000)))"; then
	grep -qi 'not supported' "$tmp/walk.err" && good=1
fi
sed 's/^/# /' "$tmp/walk.err"
tap_check "a reserved granule (TG0=3) fails with EOPNOTSUPP" [ $good = 1 ]
tap_check "cr3= is x86's: EINVAL" sh -c "! echo '0x12345000 cr3=0x40010000' >'$gva' 2>/dev/null"

# Live registers while paused give the same walk as the capture.
walk 0x12345678 && cp "$tmp/walk" "$tmp/walk.capture"
echo pause >"$debugfs/$vmm/snapshot"
good=0
walk 0x12345678 && cmp -s "$tmp/walk" "$tmp/walk.capture" && good=1
echo resume >"$debugfs/$vmm/snapshot"
tap_check "the walk while paused (live registers) equals the captured one" [ $good = 1 ]

# The CLI reads the same walk.
tap_check "kvmintro gva shows the GPA of 0x12345678" sh -c \
	"'$KVMINTRO_BIN/kvmintro' gva $vmm 0x12345678 | grep -q 0x80003678"

vmm_stop
tap_check "rmmod kvmintro" rmmod kvmintro

exit $tap_failed
