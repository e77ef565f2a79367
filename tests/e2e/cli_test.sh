#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The kvmintro CLI against the real module and a real KVM VM (testvmm):
# every verb runs, and what it prints agrees with the debugfs files or with
# what the VMM says it created.  TAP on stdout.

set -uo pipefail
: "${KVMINTRO_BIN:?}" "${KVMINTRO_KO:?}" "${KVMINTRO_TMP:=/tmp}"
# shellcheck source=tests/e2e/lib/records.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/records.sh"
cli=$KVMINTRO_BIN/kvmintro
debugfs=${KVMINTRO_DEBUGFS:-/sys/kernel/debug/kvmintro}
truth=$KVMINTRO_TMP/cli-testvmm.out
# shellcheck source=tests/lib/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/tap.sh"
tap_prefix="cli: "

testvmm_start "$truth" --vm --vcpus 2 --guest spin,exit \
	--slot gpa=0,size=2M --slot gpa=0x100000000,size=4M,backing=thp \
	--map gva=0xffffffff81000000,gpa=0x100000000,size=2M,page=4K \
	--timeout 280 || { tap_ok 1 "testvmm did not start"; exit 1; }
insmod "$KVMINTRO_KO" || { tap_ok 1 insmod; exit 1; }
dir=$debugfs/$vmm
dir_wait "$dir"

out=$("$cli" list)
tap_check "list shows the VM" grep -qw "$vmm" <<<"$out"
out=$("$cli" list --json)
tap_check "list --json has the pid" grep -q "\"pid\": *$vmm" <<<"$out"
cat "$debugfs/vms" >"$KVMINTRO_TMP/cli-vms"
out=$("$cli" --json list)
tap_check "list --json carries every key of every vms record" \
	json_carries_keys "$KVMINTRO_TMP/cli-vms" "$out" '.[]'

# Before any pause or snapshot there are no registers to walk with.
"$cli" gva "$vmm" 0x1000 >/dev/null 2>"$KVMINTRO_TMP/cli-gva.err"
status=$?
tap_check "gva without a capture: exit status 1" test "$status" = 1
tap_check "gva without a capture: says to take one" \
	grep -q "no capture yet: run .kvmintro snapshot $vmm" "$KVMINTRO_TMP/cli-gva.err"

# info (and dmesg) read VMCOREINFO from the core file, which needs
# registers: on a VM never captured they take a capture themselves and
# leave the VM running.  The bare guest has no VMCOREINFO.
generation=$(record_field generation <"$dir/snapshot")
"$cli" info "$vmm" >/dev/null 2>"$KVMINTRO_TMP/cli-info.err"
status=$?
tap_check "info of a VM never captured: captures it once, leaves it running (generation $generation -> $(record_field generation <"$dir/snapshot"))" \
	sh -c "test '$generation' = 0 && grep -qx generation=1 '$dir/snapshot' &&
	       grep -qx state=running '$dir/snapshot'"
tap_check "info of a guest that is not Linux: exit status 1, says so" \
	sh -c "test $status = 1 &&
	       grep -q 'no VMCOREINFO in guest memory: not a Linux guest' '$KVMINTRO_TMP/cli-info.err'"

out=$("$cli" memslots "$vmm")
# No process substitution: L1 has no /dev/fd, and an empty list passes.
hvas=$(sed -n 's/^slot .* hva=\(0x[0-9a-f]*\) .*/\1/p' "$truth")
all=0
[[ -n $hvas ]] && all=1
while read -r hva; do
	grep -q "$hva" <<<"$out" || all=0
done <<<"$hvas"
tap_check "memslots lists every HVA the VMM made" test "$all" = 1

# --json carries every field the module wrote, for each file in the record
# format (issue 10): the file's real records against the CLI's objects.
cat "$dir/memslots" >"$KVMINTRO_TMP/cli-memslots"
out=$("$cli" --json memslots "$vmm")
tap_check "memslots --json carries every key of every record" \
	json_carries_keys "$KVMINTRO_TMP/cli-memslots" "$out" '.memslots[]'

# A file of one record (snapshot, regs) is one object: $1 names it.
carries_one() { # carries_one NAME FILE JSON FILTER
	record_join <"$2" >"$KVMINTRO_TMP/cli-one"
	tap_check "$1 --json carries every key of its file" \
		json_carries_keys "$KVMINTRO_TMP/cli-one" "$3" "$4"
}

out=$("$cli" pause "$vmm" --json)
tap_check "pause pauses" grep -qx state=paused "$dir/snapshot"
carries_one pause "$dir/snapshot" "$out" .
out=$("$cli" regs "$vmm" --vcpu 0 --json)
cr3=$(sed -n 's/^vm .* cr3=\(0x[0-9a-f]*\).*/\1/p' "$truth")
tap_check "regs --json gives the CR3 the VMM set" grep -Eq "\"cr3\": *$((cr3))([^0-9]|$)" <<<"$out"
carries_one regs "$dir/vcpu0/regs" "$out" '.vcpus[0]'
out=$("$cli" resume "$vmm" --json)
tap_check "resume resumes" grep -qx state=running "$dir/snapshot"
carries_one resume "$dir/snapshot" "$out" .

before=$(sed -n 's/^generation=//p' "$dir/snapshot")
out=$("$cli" snapshot "$vmm" --json)
after=$(sed -n 's/^generation=//p' "$dir/snapshot")
tap_check "snapshot captures" test "$after" = $((before + 1))
carries_one snapshot "$dir/snapshot" "$out" .
out=$("$cli" snapshot "$vmm")
tap_check "snapshot says when it captured" grep -q "^captured at  *20[0-9-]*T" <<<"$out"

out=$("$cli" translate "$vmm" 0x1234)
echo 0x1234 >"$dir/translate"
phys=$(sed -n 's/^ok phys=\(0x[0-9a-f]*\) .*/\1/p' "$dir/translate")
tap_check "translate agrees with the translate file" grep -q "$phys" <<<"$out"
out=$("$cli" translate "$vmm" 0x1234 0x7fff0000000 --json)
echo 0x1234 0x7fff0000000 >"$dir/translate"
cat "$dir/translate" >"$KVMINTRO_TMP/cli-translate"
tap_check "translate --json carries every key of every reply (ok and err)" \
	json_carries_keys "$KVMINTRO_TMP/cli-translate" "$out" '.translations[]'

# gva walks with the registers of the capture just taken. The levels it
# shows are the gva file's, the GPA is where the VMM mapped the GVA, and an
# address the VMM never mapped stops where the file says.
gva=0xffffffff81000123
out=$("$cli" gva "$vmm" "$gva")
echo "$gva vcpu=0" >"$dir/gva"
walk=$(cat "$dir/gva")
mine=$(awk '/^LEVEL/ { on = 1; next } on && !NF { exit } on { print $1, $2, $3, $4 }' <<<"$out")
theirs=$(sed -n 's/^level=\([0-9]*\) table=\([^ ]*\) entry_gpa=\([^ ]*\) entry=\([^ ]*\) .*/\1 \2 \3 \4/p' <<<"$walk")
tap_check "gva shows the levels of the gva file" test -n "$mine" -a "$mine" = "$theirs"
map_gpa=$(sed -n 's/^map .* gva=0xffffffff81000000 gpa=\(0x[0-9a-f]*\) .*/\1/p' "$truth")
gpa=$(printf '0x%x' $((map_gpa + 0x123)))
tap_check "gva finds the GPA the VMM mapped" grep -Eq "^ *$gpa +4 KiB " <<<"$out"
host=$(sed -n 's/^host hva=\(0x[0-9a-f]*\) .*/\1/p' <<<"$walk")
tap_check "gva shows the HVA of the gva file" grep -q " ${host:-none} " <<<"$out"
slot_hva=$(sed -n "s/^slot .* gpa=$map_gpa .* hva=\(0x[0-9a-f]*\) .*/\1/p" "$truth")
hva=$(printf '0x%x' $((slot_hva + 0x123)))
tap_check "gva finds the HVA the VMM gave that GPA" grep -Eq "^ *$gpa +4 KiB +$hva " <<<"$out"
sed 's/^/# /' <<<"$out"
out=$("$cli" gva "$vmm" "$gva" --json)
echo "$gva vcpu=0" >"$dir/gva"
cat "$dir/gva" >"$KVMINTRO_TMP/cli-gva"
tap_check "gva --json carries every key of every record of the walk" \
	json_carries_keys "$KVMINTRO_TMP/cli-gva" "$out" '.walk[]'
out=$("$cli" gva "$vmm" 0x7f0000000000 --vcpu 1 --cr3 "$cr3" --json)
echo "0x7f0000000000 vcpu=1 cr3=$cr3" >"$dir/gva"
stop=$(sed -n 's/^stop level=\([0-9]*\) .*/\1/p' "$dir/gva")
tap_check "gva --json stops where the gva file stops" \
	grep -Pzq "\"record\": \"stop\",\n *\"level\": $stop,\n *\"reason\": \"not-present\"" <<<"$out"
tap_check "gva --json walks from the CR3 asked" grep -Eq "\"cr3\": *$((cr3)),?\$" <<<"$out"
cat "$dir/gva" >"$KVMINTRO_TMP/cli-gva"
tap_check "gva --json carries every key of a walk that stops" \
	json_carries_keys "$KVMINTRO_TMP/cli-gva" "$out" '.walk[]'
"$cli" gva "$vmm" 0x1000 --vcpu 7 >/dev/null 2>"$KVMINTRO_TMP/cli-gva.err"
status=$?
tap_check "gva of a vcpu the VM does not have: exit status 4" test "$status" = 4
tap_check "gva of a vcpu the VM does not have: says so" \
	grep -q "has no vcpu 7" "$KVMINTRO_TMP/cli-gva.err"

out=$("$cli" gpa-hpa "$vmm")
hpa=$(sed -n 's/.* hpa=\(0x[0-9a-f]*\) .*/\1/p' "$dir/gpa_hpa" | head -n1)
tap_check "gpa-hpa shows the HPA of the gpa_hpa file" grep -q " ${hpa:-none} " <<<"$out"
cat "$dir/gpa_hpa" >"$KVMINTRO_TMP/cli-gpa_hpa"
out=$("$cli" --json gpa-hpa "$vmm")
tap_check "gpa-hpa --json carries every key of every record" \
	json_carries_keys "$KVMINTRO_TMP/cli-gpa_hpa" "$out" '.runs[]'
mine=$("$cli" read "$vmm" 0x8000 16 | cut -c11-49 | tr -d ' ')
theirs=$(xxd -s 0x8000 -l 16 -p "$dir/mem")
tap_check "read shows the bytes of mem" test "$mine" = "$theirs"

out=$("$cli" scan "$vmm" 'hex:48 ff 07')
printf 'hex:48ff07\n' >"$dir/scan"
gpa=$(record_field gpa <"$dir/scan" | head -n1)
tap_check "scan finds what the scan file finds" grep -q "^ *${gpa:-none} " <<<"$out"
out=$("$cli" scan "$vmm" 'hex:48 ff 07' 'str:no such text here' --json)
printf 'hex:48ff07\nstr:no such text here\n' >"$dir/scan"
cat "$dir/scan" >"$KVMINTRO_TMP/cli-scan"
tap_check "scan --json carries every key of every match and the summary" \
	json_carries_keys "$KVMINTRO_TMP/cli-scan" "$out" '.results[]'

out=$("$cli" stage2 "$vmm")
root=$(sed -n 's/^table vcpu=.* root=\(0x[0-9a-f]*\) .*/\1/p' "$dir/stage2")
tap_check "stage2 names the root of the stage2 file" grep -q "root ${root:-none}," <<<"$out"
sed 's/^/# /' <<<"$out"
out=$("$cli" stage2 "$vmm" --json)
echo summary >"$dir/stage2"
cat "$dir/stage2" >"$KVMINTRO_TMP/cli-stage2"
tap_check "stage2 --json carries every key of every record of the summary" \
	json_carries_keys "$KVMINTRO_TMP/cli-stage2" "$out" '.summary[]'
out=$("$cli" stage2 "$vmm" 0x1000 --json)
echo 0x1000 >"$dir/translate"
pfn=$(sed -n 's/^ok .* pfn=\(0x[0-9a-f]*\) .*/\1/p' "$dir/translate")
tap_check "stage2 --json maps the guest's data page to translate's frame" \
	grep -Eq "\"pfn\": *$((pfn))([^0-9]|$)" <<<"$out"
echo 0x1000 >"$dir/stage2"
cat "$dir/stage2" >"$KVMINTRO_TMP/cli-stage2"
tap_check "stage2 GPA --json carries every key of every record of the walk" \
	json_carries_keys "$KVMINTRO_TMP/cli-stage2" "$out" '.walk[]'
sed 's/^/# /' <<<"$("$cli" stage2 "$vmm" 0x1000)"

# dump: of a paused VM, the core file's bytes, sparse, and the VM left as
# it was; of a running one, paused for the copy and resumed after.
core=$KVMINTRO_TMP/cli.core
"$cli" pause "$vmm" >/dev/null
"$cli" dump "$vmm" "$core"
tap_check "dump exits 0" test $? = 0
tap_check "dump of a paused VM leaves it paused" grep -qx state=paused "$dir/snapshot"
tap_check "dump of a paused VM: its KVMINTRO note says so" \
	sh -c "readelf -n '$core' | grep -q '^ *KVMINTRO ' &&
	       grep -aq 'state=paused source=live' '$core'"
tap_check "dump writes the bytes of the core file" cmp -s "$dir/core" "$core"
size=$(stat -c %s "$core")
used=$(($(stat -c %b "$core") * $(stat -c %B "$core")))
echo "# dump: $size bytes, $used allocated"
tap_check "dump's file is sparse: far less allocated than its size" \
	test "$size" -gt 0 -a "$used" -lt $((size / 2))
tap_check "readelf reads the dump: a LOAD per memslot of address space 0" \
	test "$(readelf -lW "$core" | grep -c '^ *LOAD ')" = \
	     "$(grep -c '^as=0 ' "$dir/memslots")"
"$cli" resume "$vmm" >/dev/null
pauses=$(record_field pauses <"$dir/snapshot")
"$cli" dump "$vmm" "$core"
tap_check "dump of a running VM pauses it once and resumes it" \
	sh -c "grep -qx state=running '$dir/snapshot' &&
	       test $(record_field pauses <"$dir/snapshot") = $((pauses + 1))"
generation=$(record_field generation <"$dir/snapshot")
"$cli" dump "$vmm" "$core" --live
tap_check "dump --live captures, and leaves the VM running" \
	sh -c "grep -qx state=running '$dir/snapshot' &&
	       test $(record_field generation <"$dir/snapshot") = $((generation + 1))"
tap_check "dump --live: its KVMINTRO note names the capture its registers are of" \
	grep -aq "state=running source=capture generation=$((generation + 1))" "$core"
"$cli" dump "$vmm" /nonexistent/dir/core 2>"$KVMINTRO_TMP/cli-dump.err"
status=$?
tap_check "dump to a path that cannot be written: exit status 1, says why" \
	sh -c "test $status = 1 && grep -q 'No such file or directory' '$KVMINTRO_TMP/cli-dump.err'"
tap_check "dump that failed to write still resumes the VM" grep -qx state=running "$dir/snapshot"
rm -f "$core"


# dmesg: the bare guest is no Linux, so it has no VMCOREINFO to find its
# log with: one clear error, exit status 1, nothing on stdout.  (The VM has
# registers from dump --live's capture, which the core file needs.)
"$cli" dmesg "$vmm" >"$KVMINTRO_TMP/cli-dmesg.out" 2>"$KVMINTRO_TMP/cli-dmesg.err"
status=$?
sed 's/^/# /' "$KVMINTRO_TMP/cli-dmesg.err"
tap_check "dmesg of a guest that is not Linux: exit status 1, says so, prints nothing" \
	sh -c "test $status = 1 && test ! -s '$KVMINTRO_TMP/cli-dmesg.out' &&
	       test \$(wc -l <'$KVMINTRO_TMP/cli-dmesg.err') = 1 &&
	       grep -q 'no VMCOREINFO in guest memory: not a Linux guest' '$KVMINTRO_TMP/cli-dmesg.err'"
"$cli" dmesg >/dev/null 2>"$KVMINTRO_TMP/cli-dmesg.err"
status=$?
tap_check "dmesg without PID|DIR: exit status 2, says what is missing" \
	sh -c "test $status = 2 && grep -q 'missing argument' '$KVMINTRO_TMP/cli-dmesg.err'"
"$cli" dmesg "$vmm" extra >/dev/null 2>"$KVMINTRO_TMP/cli-dmesg.err"
status=$?
tap_check "dmesg with an argument too many: exit status 2, names it" \
	sh -c "test $status = 2 && grep -q 'unexpected argument \"extra\"' '$KVMINTRO_TMP/cli-dmesg.err'"
"$cli" dmesg "$vmm" --lines 3 >/dev/null 2>"$KVMINTRO_TMP/cli-dmesg.err"
status=$?
tap_check "dmesg with an option it does not have: exit status 2, names it" \
	sh -c "test $status = 2 && grep -q 'unknown option \"--lines\"' '$KVMINTRO_TMP/cli-dmesg.err'"
"$cli" dmesg 999999999 >/dev/null 2>"$KVMINTRO_TMP/cli-dmesg.err"
status=$?
tap_check "dmesg of no such VM: exit status 4" test "$status" = 4

exit $tap_failed
