#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kvmintro as a host installs it from the packages: the kvmintro.ko that
# DKMS built in the packaging tests, kept with the packaged CLI in
# build/dkms/<release>/ by tests/packaging/dkms-check.sh (Debian 12's 6.1
# only), goes to /lib/modules/<release>/updates/dkms as DKMS installs it;
# depmod indexes it, modprobe loads it (that module, by its build ID, not
# the harness's), and the packaged CLI shows a VM as testvmm made it,
# through the demo's steps.  L1's root is the host's, read-only: /lib/modules is a tmpfs of
# this test's own mount namespace.  Other kernels: skipped.  TAP on stdout.

set -uo pipefail
: "${KVMINTRO_BIN:?}" "${KVMINTRO_KO:?}" "${KVMINTRO_TMP:=/tmp}"
kver=$(uname -r)
keep=$(dirname "$(dirname "$KVMINTRO_KO")")/dkms/$kver
signer="kvmintro packaging test throwaway key"
# shellcheck source=tests/e2e/lib/records.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/records.sh"
# shellcheck source=tests/lib/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/tap.sh"
tap_prefix="dkms: "

if [[ ! -x $keep/kvmintro ]] || ! compgen -G "$keep/kvmintro.ko*" >/dev/null; then
	tap_skip "modprobe loads the module DKMS built" \
		"no DKMS build for $kver in ${keep%/*} (tests/packaging makes one for Debian 12's 6.1)"
	exit 0
fi
if [[ -z ${KVMINTRO_DKMS_NS:-} ]]; then
	KVMINTRO_DKMS_NS=1 exec unshare --mount --propagation private -- bash "$0" "$@"
fi

cli=$keep/kvmintro
truth=$KVMINTRO_TMP/dkms-testvmm.out

mount -t tmpfs -o mode=0755 tmpfs /lib/modules || { tap_ok 1 "a tmpfs on /lib/modules"; exit 1; }
mkdir -p "/lib/modules/$kver/updates/dkms"
cp "$keep"/kvmintro.ko* "/lib/modules/$kver/updates/dkms/"
tap_check "depmod indexes updates/dkms/kvmintro.ko" \
	sh -c "depmod '$kver' 2>/dev/null &&
	       grep -q '^updates/dkms/kvmintro.ko' '/lib/modules/$kver/modules.dep'"

testvmm_unload="modprobe -r kvmintro"
testvmm_start "$truth" --vm --vcpus 2 --guest spin,exit \
	--slot gpa=0,size=2M --slot gpa=0x100000000,size=4M,flags=readonly \
	--map gva=0xffffffff81000000,gpa=0,size=2M,page=4K \
	--timeout 200 || { tap_ok 1 "testvmm did not start"; exit 1; }

modprobe kvmintro 2>"$KVMINTRO_TMP/dkms-modprobe.err"
tap_check "modprobe kvmintro" test $? = 0
sed 's/^/# modprobe: /' "$KVMINTRO_TMP/dkms-modprobe.err"
# The loaded module's build ID, from its notes, is the kept file's.
theirs=$(readelf -n "$keep"/kvmintro.ko* 2>/dev/null | awk '/Build ID:/ { print $3 }')
mine=$(od -An -tx1 -v /sys/module/kvmintro/notes/.note.gnu.build-id 2>/dev/null | tr -d ' \n')
tap_check "the module loaded is the one DKMS built (build ID ${theirs:-none})" \
	test -n "$theirs" -a "${mine%"$theirs"}" != "$mine"
tap_check "modinfo: signed by the machine owner key DKMS was given" \
	test "$(modinfo -F signer kvmintro 2>/dev/null)" = "$signer"

dir=${KVMINTRO_DEBUGFS:-/sys/kernel/debug/kvmintro}/$vmm
dir_wait "$dir"
tap_check "the packaged CLI lists the VM" sh -c "'$cli' list | grep -qw $vmm"
out=$("$cli" memslots "$vmm")
sed 's/^/# /' <<<"$out"
made=$(grep -c '^slot ' "$truth")
hvas=$(sed -n 's/^slot .* hva=\(0x[0-9a-f]*\) .*/\1/p' "$truth")
all=1
# No process substitution: L1 has no /dev/fd.
while read -r hva; do
	grep -q "$hva" <<<"$out" || all=0
done <<<"$hvas"
tap_check "the packaged CLI's memslots: every HVA of the $made slots testvmm made" \
	test "$all" = 1 -a "$made" -gt 0
# The demo's steps: one guest virtual address through every layer.
tap_check "snapshot" sh -c "'$cli' snapshot $vmm >/dev/null"
out=$("$cli" gva "$vmm" 0xffffffff81001008)
tap_check "gva 0xffffffff81001008 is GPA 0x1008, as testvmm mapped it" \
	grep -qw 0x1008 <<<"$out"
tap_check "translate 0x1008" sh -c "'$cli' translate $vmm 0x1008 >/dev/null"
tap_check "stage2 0x1008" sh -c "'$cli' stage2 $vmm 0x1008 >/dev/null"

kill "$vmm" 2>/dev/null
wait "$vmm" 2>/dev/null
tap_check "modprobe -r kvmintro" sh -c "modprobe -r kvmintro && ! grep -q '^kvmintro ' /proc/modules"
exit $tap_failed
