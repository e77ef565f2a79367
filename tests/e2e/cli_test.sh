#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The kvmintro CLI against the real module and a real KVM VM (testvmm):
# every verb runs, and what it prints agrees with the debugfs files or with
# what the VMM says it created.  TAP on stdout.

set -uo pipefail
: "${KVMINTRO_BIN:?}" "${KVMINTRO_KO:?}" "${KVMINTRO_TMP:=/tmp}"
cli=$KVMINTRO_BIN/kvmintro
debugfs=/sys/kernel/debug/kvmintro
truth=$KVMINTRO_TMP/cli-testvmm.out
failed=0

ok() { echo "ok - cli: $1"; }
not_ok() { echo "not ok - cli: $1"; failed=1; }
check() { # check NAME COMMAND...: ok if the command succeeds
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

"$KVMINTRO_BIN/testvmm" --vm --vcpus 2 --guest spin,exit \
	--slot gpa=0,size=2M --slot gpa=0x100000000,size=4M,backing=thp \
	--no-stdin --timeout 200 >"$truth" 2>&1 &
vmm=$!
trap 'kill $vmm 2>/dev/null; wait $vmm 2>/dev/null; rmmod kvmintro 2>/dev/null' EXIT
for ((i = 0; i < 300; i++)); do
	grep -qx ready "$truth" 2>/dev/null && break
	sleep 0.1
done
grep -qx ready "$truth" || { echo "not ok - cli: testvmm did not start"; exit 1; }
insmod "$KVMINTRO_KO" || { echo "not ok - cli: insmod"; exit 1; }
dir=$debugfs/$vmm
for ((i = 0; i < 100; i++)); do [[ -d $dir ]] && break; sleep 0.1; done

out=$("$cli" list)
check "list shows the VM" grep -qw "$vmm" <<<"$out"
out=$("$cli" list --json)
check "list --json has the pid" grep -q "\"pid\": *$vmm" <<<"$out"

out=$("$cli" memslots "$vmm")
all=1
while read -r hva; do
	grep -q "$hva" <<<"$out" || all=0
done < <(sed -n 's/^slot .* hva=\(0x[0-9a-f]*\) .*/\1/p' "$truth")
check "memslots lists every HVA the VMM made" test "$all" = 1

"$cli" pause "$vmm" >/dev/null
check "pause pauses" grep -qx state=paused "$dir/snapshot"
out=$("$cli" regs "$vmm" --vcpu 0 --json)
cr3=$(sed -n 's/^vm .* cr3=\(0x[0-9a-f]*\).*/\1/p' "$truth")
check "regs --json gives the CR3 the VMM set" grep -Eq "\"cr3\": *$((cr3))([^0-9]|$)" <<<"$out"
"$cli" resume "$vmm" >/dev/null
check "resume resumes" grep -qx state=running "$dir/snapshot"

before=$(sed -n 's/^generation=//p' "$dir/snapshot")
"$cli" snapshot "$vmm" >/dev/null
after=$(sed -n 's/^generation=//p' "$dir/snapshot")
check "snapshot captures" test "$after" = $((before + 1))

out=$("$cli" translate "$vmm" 0x1234)
echo 0x1234 >"$dir/translate"
phys=$(sed -n 's/^ok phys=\(0x[0-9a-f]*\) .*/\1/p' "$dir/translate")
check "translate agrees with the translate file" grep -q "$phys" <<<"$out"

out=$("$cli" gpa-hpa "$vmm")
hpa=$(awk '$4 != "-" && NR > 1 { print $4; exit }' "$dir/gpa_hpa")
check "gpa-hpa shows the HPA of the gpa_hpa file" grep -q "$hpa" <<<"$out"
mine=$("$cli" read "$vmm" 0x8000 16 | cut -c11-49 | tr -d ' ')
theirs=$(xxd -s 0x8000 -l 16 -p "$dir/mem")
check "read shows the bytes of mem" test "$mine" = "$theirs"

out=$("$cli" scan "$vmm" 'hex:48 ff 07')
printf 'hex:48ff07\n' >"$dir/scan"
gpa=$(sed -n 's/^gpa=\(0x[0-9a-f]*\) .*/\1/p' "$dir/scan" | head -n1)
check "scan finds what the scan file finds" grep -q "$gpa" <<<"$out"

out=$("$cli" stage2 "$vmm")
root=$(sed -n 's/^# vcpu=.* root=\(0x[0-9a-f]*\) .*/\1/p' "$dir/stage2")
check "stage2 names the root of the stage2 file" grep -q "root ${root:-none}," <<<"$out"
out=$("$cli" stage2 "$vmm" 0x1000 --json)
echo 0x1000 >"$dir/translate"
pfn=$(sed -n 's/^ok .* pfn=\(0x[0-9a-f]*\) .*/\1/p' "$dir/translate")
check "stage2 --json maps the guest's data page to translate's frame" \
	grep -Eq "\"pfn\": *$((pfn))([^0-9]|$)" <<<"$out"

exit $failed
