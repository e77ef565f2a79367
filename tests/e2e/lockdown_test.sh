#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kvmintro-order: last
#
# Lockdown (issue 12, Documentation/security.rst "Lockdown"): the module's
# files under /proc/kvmintro, the same as under debugfs, and what is left
# of kvmintro once the kernel is locked down in integrity mode, as on a
# host booted with Secure Boot.  Against a real VM (testvmm) and what the
# kernel itself says: debugfs's own files, the VMM's /proc/PID/pagemap and
# /proc/PID/mem, the VMM's mappings.
#
# Two ways, by how L1 booted:
# - not locked down (debugfs series): the module, unsigned, is loaded
#   first and lockdown raised after, which it can be at any time and never
#   lowered: the same state as a signed module loaded at boot under
#   lockdown=integrity.
# - booted with lockdown=integrity (KVMINTRO_L1_LOCKDOWN, harness/lib.sh
#   "Lockdown"): the module is signed with a key in the firmware's db; the
#   test also checks that a copy without the signature is refused, and,
#   raising the mode to confidentiality, that kvmintro refuses to load.
# Hence "order: last": no test may run after this one in its L1.  TAP on
# stdout.

set -uo pipefail
: "${KVMINTRO_BIN:?}" "${KVMINTRO_KO:?}" "${KVMINTRO_TMP:=/tmp}"
# shellcheck source=tests/e2e/lib/records.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/records.sh"
# shellcheck source=tests/lib/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/tap.sh"
tap_prefix="lockdown: "
# The CLI as a user runs it: it must find the tree by itself.
cli() { env -u KVMINTRO_DEBUGFS "$KVMINTRO_BIN/kvmintro" "$@"; }
lockdown=/sys/kernel/security/lockdown
truth=$KVMINTRO_TMP/lockdown-testvmm.out
marker=kvmintro-lockdown-marker-$$
gpa_marker=0x100300000		# in the THP slot, never touched by the guest

[[ -e $lockdown ]] || mount -t securityfs none /sys/kernel/security 2>/dev/null
if [[ ! -r $lockdown ]]; then
	tap_skip "all" "no $lockdown: the kernel has no lockdown LSM"
	exit 0
fi
booted=0
if ! grep -q '\[none\]' "$lockdown"; then
	if [[ ${KVMINTRO_L1_LOCKDOWN:-} != integrity ]] ||
	   ! grep -q '\[integrity\]' "$lockdown"; then
		tap_skip "all" "the kernel is locked down already ($(cat "$lockdown"))"
		exit 0
	fi
	booted=1
fi

testvmm_start "$truth" --vm --vcpus 2 --guest spin,exit \
	--slot gpa=0,size=2M --slot gpa=0x100000000,size=4M,backing=thp \
	--map gva=0xffffffff81000000,gpa=0x100000000,size=2M,page=4K \
	--timeout 280 || { tap_ok 1 "testvmm did not start"; exit 1; }
insmod "$KVMINTRO_KO" allow_write=1 || { tap_ok 1 "insmod allow_write=1"; exit 1; }
proc=/proc/kvmintro/$vmm
debugfs=/sys/kernel/debug/kvmintro/$vmm
dir_wait "$proc/vcpu1"

# The HVA of GPA $1 in the VMM, from the slots it says it made.
vmm_hva()
{
	local line gpa base size hva

	while read -r line; do
		gpa=${line#* gpa=} gpa=${gpa%% *}
		size=${line#* size=} size=${size%% *}
		hva=${line#* hva=} hva=${hva%% *}
		base=$((gpa))
		if (($1 >= base && $1 < base + size)); then
			echo $((hva + $1 - base))
			return 0
		fi
	done <<<"$(grep '^slot ' "$truth")"
	return 1
}

# COUNT bytes of the VMM's own memory at HVA, as the kernel's /proc/PID/mem
# gives them (the VMM's view, not kvmintro's).
vmm_bytes()
{
	dd if="/proc/$vmm/mem" bs=4096 iflag=skip_bytes,count_bytes \
		skip="$1" count="$2" status=none
}

# 1. One tree, twice: the same files, modes and contents.
tap_check "/proc/kvmintro is root's alone (dr-x------)" \
	test "$(stat -c %A /proc/kvmintro)" = dr-x------
# Files with their modes, directories by name (debugfs's are 0755 in a
# 0700 root, /proc's 0500).
listing() { (cd "$1" && find . -mindepth 1 \( -type d -printf '%p/\n' \) -o -printf '%p %m\n' | sort); }
# same DESCRIPTION A B: A and B are equal; their diff as comments if not.
same()
{
	[[ $2 == "$3" ]] && { tap_ok 0 "$1"; return; }
	# No process substitution: L1 has no /dev/fd.
	echo "$2" >"$KVMINTRO_TMP/lockdown.a"
	echo "$3" >"$KVMINTRO_TMP/lockdown.b"
	diff "$KVMINTRO_TMP/lockdown.a" "$KVMINTRO_TMP/lockdown.b" | head -n 20 | sed 's/^/# /'
	tap_ok 1 "$1"
}
same "/proc/kvmintro/$vmm has debugfs's files, with their modes" \
	"$(listing "$proc")" "$(listing "$debugfs")"
same "vms is the same in both trees" \
	"$(cat /proc/kvmintro/vms)" "$(cat /sys/kernel/debug/kvmintro/vms)"
# What debugfs shows of a pause: its snapshot file (writable: locked
# down, refused; then vcpu0/regs, read-only, live only while paused).
if ((booted)); then
	debugfs_paused() { grep -qx source=live "$debugfs/vcpu0/regs"; }
else
	debugfs_paused() { grep -qx state=paused "$debugfs/snapshot"; }
fi
echo pause >"$proc/snapshot"
tap_check "pause through /proc: debugfs shows the VM paused" debugfs_paused
for f in memslots vcpus gpa_hpa; do
	same "$f is the same in both trees (paused)" \
		"$(cat "$proc/$f")" "$(cat "$debugfs/$f")"
done
# The guest's TSC runs on while paused, as the host's does.
for f in vcpu0/regs vcpu1/regs; do
	same "$f is the same in both trees (paused), TSC aside" \
		"$(grep -v '^tsc=' "$proc/$f")" "$(grep -v '^tsc=' "$debugfs/$f")"
done
echo resume >"$proc/snapshot"
debugfs_running() { ! debugfs_paused; }
tap_check "resume through /proc: debugfs shows it running" debugfs_running

# procfs holds no module reference: rmmod goes through with a /proc file
# open, and releases it (EIO after); debugfs's keep the module in use.
exec 3<"$proc/memslots"
exec 4<"$debugfs/memslots"
rmmod kvmintro 2>"$KVMINTRO_TMP/lockdown.err"
tap_check "rmmod with a debugfs file open: EBUSY" \
	grep -q "in use" "$KVMINTRO_TMP/lockdown.err"
exec 4<&-
tap_check "rmmod with only a /proc file open goes through" rmmod kvmintro
tap_check "and that file reads EIO after" \
	sh -c "! cat <&3 >/dev/null 2>'$KVMINTRO_TMP/lockdown.err' &&
	       grep -q 'Input/output error' '$KVMINTRO_TMP/lockdown.err'"
exec 3<&-
insmod "$KVMINTRO_KO" allow_write=1 || { tap_ok 1 "insmod allow_write=1 again"; exit 1; }
dir_wait "$proc/vcpu1"

# 2. Before lockdown, guest memory may be written through /proc
# (allow_write=1); booted locked down, the VMM writes the marker itself.
hva=$(vmm_hva $gpa_marker)
if ((booted)); then
	printf '%s' "$marker" | dd of="/proc/$vmm/mem" bs=4096 oflag=seek_bytes \
		seek="$hva" conv=notrunc status=none
else
	printf '%s' "$marker" | dd of="$proc/mem" bs=4096 oflag=seek_bytes \
		seek=$((gpa_marker)) conv=notrunc status=none
	tap_check "a write to /proc's mem reaches the VMM's memory (its /proc/PID/mem)" \
		test "$(vmm_bytes "$hva" ${#marker})" = "$marker"
fi
echo 0x1000 >"$proc/translate"
before=$(cat "$proc/translate")

# 3. Lockdown.
((booted)) || echo integrity >"$lockdown"
tap_check "the kernel is locked down: $lockdown shows [integrity]" \
	grep -q '\[integrity\]' "$lockdown"
tap_check "debugfs refuses its writable files now (translate: EPERM)" \
	sh -c "! cat '$debugfs/translate' 2>'$KVMINTRO_TMP/lockdown.err' &&
	       grep -q 'Operation not permitted' '$KVMINTRO_TMP/lockdown.err'"
tap_check "debugfs still reads its read-only files (memslots)" \
	test "$(cat "$debugfs/memslots")" = "$(cat "$proc/memslots")"

# 4. Everything but writing guest memory, through /proc, found by the CLI.
out=$(cli list 2>&1)
tap_check "the CLI finds /proc/kvmintro by itself: list shows the VM" \
	grep -qw "$vmm" <<<"$out"
out=$(cli memslots "$vmm" --json 2>&1)
all=1
while read -r h; do
	grep -q "\"hva\": *$((h))\b" <<<"$out" || all=0
done <<<"$(sed -n 's/^slot .* hva=\(0x[0-9a-f]*\) .*/\1/p' "$truth")"
tap_check "memslots: every HVA the VMM made" test "$all" = 1

out=$(cli pause "$vmm" 2>&1)
tap_check "pause: snapshot says paused, debugfs's vcpu0/regs reads them live" \
	sh -c "grep -qx state=paused '$proc/snapshot' && grep -qx source=live '$debugfs/vcpu0/regs'"
cr3=$(sed -n 's/^vm .* cr3=\(0x[0-9a-f]*\).*/\1/p' "$truth")
out=$(cli regs "$vmm" --vcpu 0 --json 2>&1)
tap_check "regs: the CR3 the VMM set" grep -Eq "\"cr3\": *$((cr3))([^0-9]|$)" <<<"$out"
out=$(cli resume "$vmm" 2>&1)
tap_check "resume" grep -qx state=running "$proc/snapshot"

echo 0x1000 >"$proc/translate"
after=$(cat "$proc/translate")
pfn=$(sed -n 's/^ok .* pfn=\(0x[0-9a-f]*\) .*/\1/p' <<<"$after")
truth_pfn=$(pagemap_pfn "$vmm" "$(vmm_hva 0x1000)")
tap_check "translate: as before lockdown, and the VMM's pagemap frame ($truth_pfn)" \
	sh -c "test '$after' = '$before' && test -n '$pfn' && test $((pfn)) = '$truth_pfn'"
out=$(cli translate "$vmm" 0x1000 --json 2>&1)
tap_check "the CLI's translate gives that frame" \
	grep -Eq "\"pfn\": *$truth_pfn([^0-9]|$)" <<<"$out"

out=$(cli scan "$vmm" "str:$marker" 2>&1)
tap_check "scan finds what was written, where ($gpa_marker)" \
	grep -q "^ *$gpa_marker " <<<"$out"

out=$(cli stage2 "$vmm" 0x1000 --json 2>&1)
tap_check "stage2 maps the guest's data page to the pagemap frame" \
	grep -Eq "\"pfn\": *$truth_pfn([^0-9]|$)" <<<"$out"

cli snapshot "$vmm" >/dev/null 2>&1
out=$(cli gva "$vmm" 0xffffffff81000123 --json 2>&1)
tap_check "gva: where the VMM mapped the address (0x100000123)" \
	grep -Eq "\"gpa\": *$((0x100000123))([^0-9]|$)" <<<"$out"

tap_check "mem reads the VMM's bytes through /proc" \
	test "$(dd if="$proc/mem" bs=4096 iflag=skip_bytes,count_bytes \
		 skip=$((gpa_marker)) count=${#marker} status=none)" = "$marker"

# 5. Writing guest memory is refused, and nothing is written.
printf 'XXXXXXXX' | dd of="$proc/mem" bs=4096 oflag=seek_bytes \
	seek=$((gpa_marker)) conv=notrunc status=none 2>"$KVMINTRO_TMP/lockdown.err"
status=$?
tap_check "writing guest memory through /proc is refused (EPERM)" \
	sh -c "test $status != 0 && grep -q 'Operation not permitted' '$KVMINTRO_TMP/lockdown.err'"
tap_check "and the VMM's memory is unchanged" \
	test "$(vmm_bytes "$hva" ${#marker})" = "$marker"

# 6. The module goes as always; lockdown keeps an unsigned one from coming back.
tap_check "rmmod removes /proc/kvmintro" \
	sh -c "rmmod kvmintro && test ! -e /proc/kvmintro"
if ((booted)); then
	unsigned=$KVMINTRO_TMP/lockdown-unsigned.ko
	# What the kernel appends: the PKCS#7 signature, struct
	# module_signature (12 bytes, the signature's length big-endian last)
	# and "~Module signature appended~\n".
	size=$(stat -c %s "$KVMINTRO_KO")
	siglen=$(tail -c 32 "$KVMINTRO_KO" | head -c 4 | od -An -tu1 |
		 awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
	tap_check "the module is signed (modinfo: $(modinfo -F signer "$KVMINTRO_KO"))" \
		test "$(tail -c 28 "$KVMINTRO_KO")" = "~Module signature appended~"
	head -c $((size - 40 - siglen)) "$KVMINTRO_KO" >"$unsigned"
	tap_check "insmod of the module without its signature is refused under lockdown" \
		sh -c "! insmod '$unsigned' 2>/dev/null && ! grep -q '^kvmintro ' /proc/modules"
	tap_check "the signed module loads again" insmod "$KVMINTRO_KO"
	echo confidentiality >"$lockdown"
	tap_check "raised to confidentiality, the loaded module stays" \
		sh -c "grep -q '\[confidentiality\]' '$lockdown' && test -d /proc/kvmintro"
	tap_check "and goes with rmmod" rmmod kvmintro
	insmod "$KVMINTRO_KO" 2>"$KVMINTRO_TMP/lockdown.err"
	status=$?
	tap_check "under confidentiality, insmod of the signed module fails with EPERM" \
		sh -c "test $status != 0 && grep -q 'Operation not permitted' '$KVMINTRO_TMP/lockdown.err'"
	tap_check "and the kernel log says why" \
		sh -c "dmesg | grep -q 'kvmintro: not loaded: the kernel is locked down for confidentiality'"
else
	tap_check "insmod of the unsigned module is refused under lockdown" \
		sh -c "! insmod '$KVMINTRO_KO' 2>/dev/null"
fi
out=$(cli list 2>&1)
status=$?
[[ $status == 3 ]] && grep -q 'not loaded' <<<"$out"
tap_ok $? "the CLI says the module is not loaded (exit status $status, 3 wanted)"
exit $tap_failed
