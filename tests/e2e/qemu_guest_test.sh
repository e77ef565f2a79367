#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# kvmintro-timeout: 600
# kvmintro-l1: single-cpu
#
# A real QEMU booting a real Linux guest (one vcpu), inspected by kvmintro:
#  - captured, every vcpu's RIP is a kernel address and CR3 is set; paused,
#    RIP and CR3 equal QEMU's own "info registers"; resumed, the guest's
#    shell still answers;
#  - scan finds the guest kernel's banner, translate of that GPA gives the
#    frame QEMU's /proc/<pid>/pagemap gives, and mem reads the bytes QEMU
#    itself has there (/proc/<pid>/mem);
#  - paused, gva of RIP gives the GPA QEMU's monitor gives (gva2gpa), and
#    mem there reads the instruction bytes the monitor reads (x);
#  - the hypercall round trip: in the guest, gpa_hpa.ko gets KVM's -1000
#    while kvmintro serves no hypercall_nr; reloaded with one, the HPA, PFN
#    and flags the guest's gpa_hpa_demo prints for its page equal
#    translate's and QEMU's pagemap, and mem reads the value it wrote;
#  - the core file, copied while paused: readelf finds the guest's
#    VMCOREINFO, gdb reads vcpu0's RIP from it, and makedumpfile
#    --dump-dmesg the guest's kernel log, with a line the guest wrote;
#    kvmintro info gives the release and KASLR offset the guest gives;
#  - the core's PT_LOADs hold the bytes of QEMU's own dump-guest-memory
#    of the same instant; with the guest kernel's debug vmlinux (6.1 by
#    default), crash's sys gives the release and it finds a process the
#    test named in the guest, and drgn reads init_uts_ns.
#  - kvmintro dmesg, from guest memory and VMCOREINFO alone, prints what
#    the guest's own dmesg prints, a line written to /dev/kmsg included.

set -uo pipefail
# shellcheck source=tests/e2e/lib/qemu.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/qemu.sh"
# shellcheck source=tests/e2e/lib/records.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/records.sh"
: "${KVMINTRO_KO:?}" "${KVMINTRO_L2_KERNEL:?}" "${KVMINTRO_L2_INITRD:?}"
# shellcheck source=tests/lib/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/tap.sh"
tap_prefix="qemu_guest: "
debugfs=${KVMINTRO_DEBUGFS:-/sys/kernel/debug/kvmintro}

reg() { sed -n "s/^$1=//p" "$2"; }
# The console's last lines, as TAP comments (the last one may lack its
# newline: add one, so that the next TAP line starts a line of its own).
l2_serial_tail()
{
	{ tail -n "${1:-3}" "$l2_dir/serial.log"; echo; } | tr -d '\r' |
		sed -e '/^$/d' -e 's/^/# serial: /'
}
trap 'l2_stop; rmmod kvmintro 2>/dev/null' EXIT
# l2_boot SECONDS: start QEMU and wait for its firmware to hand over to
# the kernel.
l2_boot()
{
	l2_start qemu-guest -smp 1 || return 1
	l2_wait "Booting from ROM" "$1"
}

# Under emulated nested SVM (L1 is TCG) a boot sometimes stalls, with or
# without kvmintro: SeaBIOS mid-banner, or the guest kernel in a spinlock
# or a halt with interrupts off.  A healthy boot reaches userspace in
# about 20 s, so a stalled one is booted again while the time budget
# allows; if none gets there, every check that does not need a live guest
# still runs on the last one, and those that do are skipped.
readonly BOOT_ATTEMPTS=3 BOOT_BUDGET=330 FIRMWARE_WAIT=90 MARKER_WAIT=80
start=$SECONDS
live=0
for ((attempt = 1; attempt <= BOOT_ATTEMPTS; attempt++)); do
	((attempt == 1 || SECONDS - start + FIRMWARE_WAIT + MARKER_WAIT < BOOT_BUDGET)) || break
	if ! l2_boot "$FIRMWARE_WAIT"; then
		echo "# boot $attempt: QEMU's firmware did not reach the kernel in $FIRMWARE_WAIT s (QEMU $(l2_alive && echo alive || echo exited))"
		l2_serial_tail
		l2_stop
		continue
	fi
	if l2_wait KVMINTRO-L2-READY "$MARKER_WAIT"; then
		live=1
		echo "# boot $attempt: L2 booted to userspace in $((SECONDS - start)) s"
		break
	fi
	if ! l2_alive; then
		echo "# boot $attempt: QEMU died while booting L2"
		l2_serial_tail 20
		l2_stop
		continue
	fi
	echo "# boot $attempt: L2 did not reach userspace in $MARKER_WAIT s"
	l2_serial_tail
	# The last attempt's stalled guest is checked as it is.
	((attempt < BOOT_ATTEMPTS && SECONDS - start + FIRMWARE_WAIT + MARKER_WAIT < BOOT_BUDGET)) || break
	l2_stop
done
if ! l2_alive; then
	tap_ok 1 "QEMU boots L2 ($attempt attempts; see $l2_dir)"
	exit 1
fi
((live)) || echo "# L2 did not reach userspace: checking the stalled guest"
pid=$(l2_pid)
insmod "$KVMINTRO_KO" || { tap_ok 1 "insmod"; exit 1; }
dir=$debugfs/$pid
dir_wait "$dir/vcpu0"

tap_check "capture of the running guest" sh -c "echo capture > $dir/snapshot"
regs=$KVMINTRO_TMP/regs0
cat "$dir/vcpu0/regs" >"$regs"
rip=$(reg rip "$regs")
cr3=$(reg cr3 "$regs")
tap_check "vcpu0: RIP $rip is a kernel address" \
	test $((rip >= 0xffffffff80000000 || rip < 0)) = 1
tap_check "vcpu0: CR3 $cr3 is set" test $((cr3)) != 0

# Paused: kvmintro's live registers equal QEMU's own view of the vcpu.
tap_check "pause" sh -c "echo pause > $dir/snapshot"
live_regs=$KVMINTRO_TMP/live-regs
cat "$dir/vcpu0/regs" >"$live_regs"
hmp=$(l2_hmp "info registers")
mine=$(reg rip "$live_regs")
theirs=$(sed -n 's/.*RIP=\([0-9a-f]*\).*/0x\1/p' <<<"$hmp" | head -n1)
tap_check "paused RIP $mine equals QEMU's info registers ($theirs)" \
	test $((mine)) = $((theirs))
mine=$(reg cr3 "$live_regs")
theirs=$(sed -n 's/.*CR3=\([0-9a-f]*\).*/0x\1/p' <<<"$hmp" | head -n1)
tap_check "paused CR3 $mine equals QEMU's ($theirs)" test $((mine)) = $((theirs))

# Paused: gva walks the guest's own page tables from RIP to a GPA; QEMU's
# monitor translates the same address itself (gva2gpa) and reads the
# instruction bytes there (x): the GPAs and the bytes must agree.
rip=$(reg rip "$live_regs")
rip_hex=$(printf '0x%x' $((rip)))
echo "$rip_hex vcpu=0" >"$dir/gva"
walk=$(cat "$dir/gva")
sed 's/^/# gva: /' <<<"$walk"
gva_gpa=$(sed -n 's/^gpa=\(0x[0-9a-f]*\) .*/\1/p' <<<"$walk")
hmp_gpa=$(l2_hmp "gva2gpa $rip_hex" | sed -n 's/^gpa: *\(0x[0-9a-f]*\).*/\1/p')
tap_check "gva of RIP $rip_hex gives GPA $gva_gpa, QEMU's gva2gpa gives $hmp_gpa" \
	test -n "$gva_gpa" -a -n "$hmp_gpa" -a "$((gva_gpa))" = "$((hmp_gpa))"
# 16 bytes, or up to the end of RIP's page (the next page may lie elsewhere).
n=$((4096 - (rip & 0xfff)))
((n > 16)) && n=16
mine=$( ( [[ -n $gva_gpa ]] && xxd -s $((gva_gpa)) -l $n -p "$dir/mem" ) | tr -d '\n')
theirs=$(l2_hmp "x /${n}xb $rip_hex" | sed -n 's/^[0-9a-f]*: *//p' |
	 grep -o '0x[0-9a-f][0-9a-f]' | sed 's/^0x//' | tr -d '\n')
tap_check "mem at gva's GPA reads the $n bytes QEMU's x reads at RIP ($theirs)" \
	test -n "$theirs" -a "$mine" = "$theirs"
tap_check "resume" sh -c "echo resume > $dir/snapshot"

# The guest still runs: its shell answers on the console.
if ((live)); then
	l2_type "echo kvmintro-alive-$$"
	tap_check "the guest runs after resume" l2_wait "kvmintro-alive-$$" 60
else
	tap_skip "the guest runs after resume" "the guest stalled while booting, before kvmintro was loaded"
fi


printf 'str:Linux version\n' >"$dir/scan"
scan=$(cat "$dir/scan")
echo "$scan" | head -3 | sed 's/^/# /'
line=$(grep -m1 '^match ' <<<"$scan")
tap_check "scan str:Linux version finds the kernel banner" \
	test "$(record_field pattern <<<"$line")" = '"str:Linux version"'
gpa=$(record_field gpa <<<"$line")
hva=$(record_field hva <<<"$line")
hpa=$(record_field hpa <<<"$line")

echo "$gpa" >"$dir/translate"
reply=$(cat "$dir/translate")
echo "# $reply"
phys=$(sed -n 's/^ok phys=\(0x[0-9a-f]*\) .*/\1/p' <<<"$reply")
# QEMU's own pagemap entry for the HVA.
pfn=-1
[[ -n $hva ]] && pfn=$(pagemap_pfn "$pid" "$hva")
tap_check "translate of the banner ($phys) equals QEMU's pagemap (frame $(printf 0x%x "$pfn"))" \
	test -n "$phys" -a "$pfn" -gt 0 -a "$((phys))" = "$(((pfn << 12) | (hva & 0xfff)))"
tap_check "scan's HPA ($hpa) equals translate's" test -n "$hpa" -a -n "$phys" -a "$((hpa))" = "$((phys))"

mine='' theirs=''
if [[ -n $gpa && -n $hva ]]; then
	mine=$(xxd -s $((gpa)) -l 13 -p "$dir/mem")
	theirs=$(xxd -s $((hva)) -l 13 -p "/proc/$pid/mem")
fi
tap_check "mem at the banner reads 'Linux version', as QEMU's memory does" \
	test "$mine" = 4c696e75782076657273696f6e -a "$mine" = "$theirs"

# The hypercall, from the guest (gpa_hpa.ko, gpa_hpa_demo) to the host's
# kvmintro and back; needs a live guest.  First with kvmintro loaded
# without hypercall_nr: then KVM itself answers, -KVM_ENOSYS (-1000).
hc_nr=0x4b49
hypercall_checks=(
	"guest: gpa_hpa.ko refuses to load without hypercall_nr"
	"guest: gpa_hpa.ko loads with hypercall_nr=$hc_nr"
	"guest: without kvmintro's hypercall_nr, KVM answers -1000"
	"guest: garbage written to /proc/gpa_hpa is EINVAL, the reply unchanged"
	"kvmintro reloaded with hypercall_nr=$hc_nr under the running guest"
	"guest: a GPA in no memslot is answered -14"
	"guest: gpa_hpa_demo prints the HPA of its page"
	"the guest's HPA equals translate's phys"
	"the guest's PFN equals translate's, and QEMU's pagemap"
	"the guest's flags: mapped, huge and order as translate's page size"
	"mem at the guest's GPA reads the value the guest wrote"
	"guest: a shell asks with echo and head on one open /proc/gpa_hpa"
)
if ((!live)); then
	for name in "${hypercall_checks[@]}"; do
		tap_skip "$name" "the guest stalled while booting, before kvmintro was loaded"
	done
	exit $tap_failed
fi

# guest_sh TAG COMMAND: l2_sh with 60 s, its output in $out.  Once the
# guest has not answered in time, it is not asked again (every later guest
# check then fails), and what the console and QEMU show is printed.
guest_silent=
guest_sh()
{
	local rc=0
	out=
	[[ -z $guest_silent ]] || return 124
	out=$(l2_sh "$1" 60 "$2") || rc=$?
	if ((rc == 124)); then
		guest_silent=$1
		echo "# the guest did not finish '$2' in 60 s (QEMU $(l2_alive && echo alive || echo exited))"
		l2_serial_tail 60
		l2_hmp "info registers" | grep -o 'RIP=[0-9a-f]*' | sed 's/^/# QEMU: /'
	fi
	return $rc
}

guest_sh hc-noparam "insmod /extra/gpa_hpa.ko"
rc=$?
tap_check "${hypercall_checks[0]} (status $rc)" test $rc != 0 -a $rc != 124
guest_sh hc-load "insmod /extra/gpa_hpa.ko hypercall_nr=$hc_nr"
tap_check "${hypercall_checks[1]}" test $? = 0
guest_sh hc-enosys "gpa_hpa_demo -q 0x1000"
echo "# guest: $out"
tap_check "${hypercall_checks[2]}" \
	grep -q '^gpa_hpa_demo: err gpa=0x1000 ret=-1000 reason=hypercall-not-enabled$' <<<"$out"
guest_sh hc-garbage "gpa_hpa_demo -g 0x1000"
echo "# guest: $out"
tap_check "${hypercall_checks[3]}" grep -q '^garbage: ok' <<<"$out"

rmmod kvmintro && insmod "$KVMINTRO_KO" hypercall_nr=$hc_nr
rc=$?
dir_wait "$dir/vcpu0"
tap_check "${hypercall_checks[4]}" test $rc = 0 -a -d "$dir/vcpu0"

guest_sh hc-efault "gpa_hpa_demo -q 0x7fffff000000"
echo "# guest: $out"
tap_check "${hypercall_checks[5]}" \
	grep -q '^gpa_hpa_demo: err gpa=0x7fffff000000 ret=-14 ' <<<"$out"

# The demo keeps its page (mlocked) until it is killed.
if [[ -z $guest_silent ]]; then
	l2_type "gpa_hpa_demo </dev/null &"
	l2_wait 'gpa_hpa_demo: gva=' 60 || guest_silent=hc-demo
fi
line=$(grep -a -o -m1 'gpa_hpa_demo: gva=.*' "$l2_dir/serial.log" | tr -d '\r')
echo "# guest: $line"
field() { sed -n "s/.* $1=\(0x[0-9a-f]*\).*/\1/p" <<<"$line"; }
g_gpa=$(field gpa)
g_hpa=$(field hpa)
g_pfn=$(field pfn)
g_flags=$(field flags)
g_value=$(field value)
tap_check "${hypercall_checks[6]}" \
	test -n "$g_gpa" -a -n "$g_hpa" -a -n "$g_pfn" -a -n "$g_flags" -a -n "$g_value"
: "${g_gpa:=0}" "${g_hpa:=0}" "${g_pfn:=0}" "${g_flags:=0}" "${g_value:=0}"

echo "$g_gpa" >"$dir/translate"
reply=$(cat "$dir/translate")
echo "# host: $reply"
t_phys=$(sed -n 's/^ok phys=\(0x[0-9a-f]*\) .*/\1/p' <<<"$reply")
t_hva=$(sed -n 's/.* hva=\(0x[0-9a-f]*\) .*/\1/p' <<<"$reply")
t_pfn=$(sed -n 's/.* pfn=\(0x[0-9a-f]*\) .*/\1/p' <<<"$reply")
t_size=$(sed -n 's/.* size=\([0-9A-Z]*\).*/\1/p' <<<"$reply")
tap_check "${hypercall_checks[7]} ($g_hpa, $t_phys)" \
	test -n "$t_phys" -a "$((g_hpa))" = "$((t_phys))"
pfn=-1
[[ -n $t_hva ]] && pfn=$(pagemap_pfn "$pid" "$t_hva")
tap_check "${hypercall_checks[8]} ($g_pfn, $t_pfn, $(printf 0x%x "$pfn"))" \
	test -n "$t_pfn" -a "$((g_pfn))" = "$((t_pfn))" -a "$((g_pfn))" = "$pfn"
# Flags: bit 0 huge, bit 1 mapped, bits 2-6 the folio order.
case $t_size in
4K) huge=0 order=0 ;;
2M) huge=1 order=9 ;;
1G) huge=1 order=18 ;;
*) huge=-1 order=-1 ;;
esac
tap_check "${hypercall_checks[9]} ($g_flags, host page $t_size)" \
	test $((g_flags & 2)) = 2 -a $((g_flags & 1)) = $huge \
	-a $(((g_flags >> 2) & 31)) = $order
hex=$(xxd -s $((g_gpa)) -l 8 -p "$dir/mem")
mem_value=$(le64 "$hex")
tap_check "${hypercall_checks[10]} ($g_value, $(printf 0x%x "$mem_value"))" \
	test -n "$hex" -a "$((g_value))" = "$mem_value"
l2_type "kill %1"
guest_sh hc-shell 'exec 3<>/proc/gpa_hpa; echo 0x7fffff000000 >&3; head -n1 <&3'
echo "# guest: $out"
tap_check "${hypercall_checks[11]}" \
	grep -q '^err gpa=0x7fffff000000 ret=-14 reason=not-backed$' <<<"$out"

# The core file, read by the analysts' own tools: the guest writes a line
# of its own into its kernel log; paused, the core is copied (sparse) and
# the registers and kvmintro info read; then readelf, gdb and makedumpfile
# read the copy.
core_checks=(
	"core: readelf finds the VMCOREINFO note, with the guest's release"
	"core: gdb's RIP of the core is vcpu0's in regs, paused"
	"core: makedumpfile --dump-dmesg reads the guest's log, the line it wrote to /dev/kmsg included"
	"info: the guest's release and KASLR offset, as uname -r and /proc/kallsyms give them"
)
core_mark=kvmintro-core-$$
guest_sh core-release "uname -r"
release=$(tr -d '\r' <<<"$out" | tail -n1)
guest_sh core-text "grep -m1 ' _text\$' /proc/kallsyms"
text=$(tr -d '\r' <<<"$out" | awk '$3 == "_text" { print $1 }' | tail -n1)
guest_sh core-kmsg "echo $core_mark >/dev/kmsg"
if [[ -n $guest_silent ]]; then
	for name in "${core_checks[@]}"; do
		tap_ok 1 "$name (the guest did not answer)"
	done
	tap_failed=1
	exit $tap_failed
fi
core=$KVMINTRO_TMP/qemu_guest.core
echo pause >"$dir/snapshot"
cat "$dir/vcpu0/regs" >"$live_regs"
cp --sparse=always "$dir/core" "$core"
info=$("$KVMINTRO_BIN/kvmintro" info "$pid")
echo resume >"$dir/snapshot"
tap_check "${core_checks[0]} ($release)" \
	sh -c "readelf -n '$core' | grep -q VMCOREINFO &&
	       grep -a -q 'OSRELEASE=$release' '$core'"
mine=$(reg rip "$live_regs")
theirs=$(gdb -batch -nx -c "$core" -ex 'info registers rip' 2>/dev/null |
	 awk '$1 == "rip" { print $2 }')
tap_check "${core_checks[1]} ($theirs, $mine)" \
	test -n "$theirs" -a "$((theirs))" = "$((mine))"
rm -f "$KVMINTRO_TMP/qemu_guest.dmesg"
makedumpfile --dump-dmesg "$core" "$KVMINTRO_TMP/qemu_guest.dmesg" >/dev/null 2>&1
echo "# makedumpfile: $(grep -c . "$KVMINTRO_TMP/qemu_guest.dmesg" 2>/dev/null) lines; last: $(tail -n1 "$KVMINTRO_TMP/qemu_guest.dmesg" 2>/dev/null)"
tap_check "${core_checks[2]}" \
	sh -c "grep -q 'Linux version $release' '$KVMINTRO_TMP/qemu_guest.dmesg' &&
	       grep -q '$core_mark' '$KVMINTRO_TMP/qemu_guest.dmesg'"
rm -f "$core"
# KASLR moves the kernel from its link address, __START_KERNEL
# (0xffffffff81000000 on x86-64): kaslr_offset() is &_text minus that.
sed 's/^/# /' <<<"$info"
mine=$(awk '$1 == "KASLR" { print $3 }' <<<"$info")
kernel=$(awk '$1 == "guest" { print $3 }' <<<"$info")
expect=none
[[ $text =~ ^[0-9a-f]+$ ]] && expect=$((0x$text - 0xffffffff81000000))
[[ $mine =~ ^0x[0-9a-f]+$ ]] && mine=$((mine))
tap_check "${core_checks[3]} ($kernel, $mine; $release, _text 0x$text)" \
	test -n "$kernel" -a "$kernel" = "$release" -a "$mine" = "$expect"

# The core beside QEMU's own dump-guest-memory of the same instant, and
# read by crash and drgn with the guest kernel's debug vmlinux (the
# harness's KVMINTRO_L2_VMLINUX, for the kernels it fetches one for).
# QEMU's dump stops the guest itself, which a vcpu held by kvmintro would
# hold up: QEMU stops it first, kvmintro pauses it, both dumps are taken,
# then kvmintro resumes it and QEMU lets it run.  A process of the test's
# own, renamed in the guest, is what crash must find by name (printf, not
# echo: the kernel keeps a newline written to /proc/PID/comm).
tools_checks=(
	"core: QEMU's dump-guest-memory of the stopped, paused guest"
	"core: every PT_LOAD's bytes equal QEMU's dump at the same guest physical addresses"
	"core: crash's sys shows the guest's release"
	"core: crash's ps lists the process the test started in the guest"
	"core: crash walks init_task's task list to that process"
	"core: drgn reads the release in init_uts_ns"
)
vmlinux=${KVMINTRO_L2_VMLINUX:-}
proc=kvmi-$$
guest_sh tools-proc "(printf %s $proc >/proc/self/comm; sleep 1000; :) & sleep 1; ps | grep '[${proc:0:1}]${proc:1}'"
tr -d '\r' <<<"$out" | sed 's/^/# guest: /'
if [[ -n $guest_silent ]]; then
	for name in "${tools_checks[@]}"; do
		tap_ok 1 "$name (the guest did not answer)"
	done
	exit 1
fi
core=$KVMINTRO_TMP/qemu_guest_tools.core
qemu_core=$KVMINTRO_TMP/qemu_guest_qemu.core
rm -f "$core" "$qemu_core"
l2_hmp stop >/dev/null
echo pause >"$dir/snapshot"
cp --sparse=always "$dir/core" "$core"
# HMP in the background (-d), polled: TCG takes longer to write it than
# the monitor helper waits for one command.
l2_hmp "dump-guest-memory -d $qemu_core" | sed 's/^/# QEMU: /'
for ((i = 0; i < 600; i++)); do
	status=$(l2_hmp "info dump" | sed -n 's/^Status: *//p')
	[[ $status == active ]] || break
	sleep 0.5
done
echo resume >"$dir/snapshot"
l2_hmp cont >/dev/null
tap_check "${tools_checks[0]} (status ${status:-none})" \
	test "$status" = completed -a -s "$qemu_core"

# Each PT_LOAD of the core, by p_paddr, inside one of QEMU's.  No
# process substitution: L1 has no /dev/fd.
loads() { readelf -W -l "$1" 2>/dev/null | awk '$1 == "LOAD" { print $2, $4, $5 }'; }
qemu_loads=()
[[ -s $qemu_core ]] && mapfile -t qemu_loads <<<"$(loads "$qemu_core")"
nr_loads=0 bad_loads=0
while read -r offset gpa size; do
	[[ -n $size ]] || continue
	nr_loads=$((nr_loads + 1))
	at=
	for load in "${qemu_loads[@]}"; do
		read -r q_offset q_gpa q_size <<<"$load"
		if ((gpa >= q_gpa && gpa + size <= q_gpa + q_size)); then
			at=$((q_offset + gpa - q_gpa))
			break
		fi
	done
	if [[ -z $at ]]; then
		echo "# PT_LOAD $gpa+$size: in no PT_LOAD of QEMU's dump"
		bad_loads=$((bad_loads + 1))
	elif ! cmp -s -n $((size)) -i $((offset)):$at "$core" "$qemu_core"; then
		echo "# PT_LOAD $gpa+$size: $(cmp -n $((size)) -i $((offset)):$at "$core" "$qemu_core" 2>&1 | head -n1)"
		bad_loads=$((bad_loads + 1))
	fi
done <<<"$(loads "$core")"
tap_check "${tools_checks[1]} ($nr_loads PT_LOADs, ${#qemu_loads[@]} of QEMU's)" \
	test "$nr_loads" -gt 0 -a "$bad_loads" = 0 -a "${#qemu_loads[@]}" -gt 0
rm -f "$qemu_core"

# crash_run VMLINUX CORE: crash, its commands on stdin; crash_run --version:
# its version.  Debian 12's crash (8.0.2) lists no task of Linux >= 6.1
# (below); where the harness installed Debian 13's into the trixie build
# root (KVMINTRO_CRASH_ROOT), that one runs, chrooted there, the vmlinux
# and the core bound into a tmpfs on its /tmp.
crash_run()
{
	local root=${KVMINTRO_CRASH_ROOT:-} rc=0
	if [[ $1 == --version ]]; then
		if [[ -n $root ]]; then chroot "$root" crash --version; else crash --version; fi 2>/dev/null |
			awk '$1 == "crash" { print $2; exit }'
		return
	fi
	if [[ -z $root ]]; then
		timeout 300 crash -s "$1" "$2"
		return
	fi
	mount -t tmpfs tmpfs "$root/tmp" || return 1
	: >"$root/tmp/vmlinux"
	: >"$root/tmp/core"
	if mount --bind "$1" "$root/tmp/vmlinux" && mount --bind "$2" "$root/tmp/core" &&
	   mount --bind /dev "$root/dev" && mount -t proc proc "$root/proc"; then
		timeout 300 chroot "$root" crash -s /tmp/vmlinux /tmp/core || rc=$?
	else
		rc=1
	fi
	umount "$root/proc" "$root/dev" "$root/tmp/core" "$root/tmp/vmlinux" 2>/dev/null
	umount "$root/tmp"
	return $rc
}

if [[ -z $vmlinux ]]; then
	for name in "${tools_checks[@]:2}"; do
		tap_skip "$name" "no debug vmlinux of $release (the harness fetches one for KVMINTRO_VMLINUX_SERIES, 6.1 by default)"
	done
	rm -f "$core"
else
	crash_out=$KVMINTRO_TMP/qemu_guest.crash
	printf '%s\n' sys ps 'list task_struct.tasks -s task_struct.comm -h init_task' quit |
		crash_run "$vmlinux" "$core" >"$crash_out" 2>&1
	rc=$?
	crash_version=$(crash_run --version)
	echo "# crash $crash_version${KVMINTRO_CRASH_ROOT:+ (from $KVMINTRO_CRASH_ROOT)}: exit status $rc, $(grep -c . "$crash_out") lines"
	grep -E '^ *(RELEASE|TASKS|PANIC):|^crash:|error' "$crash_out" | head -n 10 | sed 's/^/# crash: /'
	tap_check "${tools_checks[2]} ($release)" \
		grep -q "^ *RELEASE: $release\$" "$crash_out"
	# crash 8.0.2 (Debian 12's) reads struct pid with the size gdb gives it,
	# which since Linux 6.1 (numbers[] a flexible array) ends where numbers[0]
	# starts: every pid's namespace reads as garbage and ps lists only the
	# idle tasks, whatever the dump (QEMU's the same); crash 8.0.3 fixed it.
	if grep -Eq "^>? +[0-9]+ +[0-9]+ +[0-9]+ +[0-9a-f]+ +[A-Z]+ .* $proc\$" "$crash_out"; then
		tap_ok 0 "${tools_checks[3]} ($proc)"
	elif dpkg --compare-versions "${crash_version:-0}" le 8.0.2 &&
	     ! grep -Eq '^>? +[1-9][0-9]* +[0-9]+ +[0-9]+ +[0-9a-f]+ ' "$crash_out"; then
		tap_todo "${tools_checks[3]} ($proc)" "crash $crash_version lists no task of Linux >= 6.1 (struct pid.numbers[] flexible array; fixed in crash 8.0.3)"
	else
		tap_ok 1 "${tools_checks[3]} ($proc)"
	fi
	echo "# crash: $(grep -c 'comm = ' "$crash_out") tasks on init_task's list"
	tap_check "${tools_checks[4]} ($proc)" grep -q "comm = \"$proc\\\\000" "$crash_out"
	rm -f "$crash_out"

	# drgn 0.0.22 (Debian 12's) reads the top page table, swapper_pg_dir,
	# at its virtual address: its own ELF reader needs a PT_LOAD that maps the
	# kernel image virtually, as kdump's have, and not a core of guest
	# physical addresses (QEMU's dumps without paging neither).
	# libkdumpfile, which drgn uses for the core when asked to, starts from
	# the physical address VMCOREINFO gives.
	drgn_script=$KVMINTRO_TMP/qemu_guest_drgn.py
	printf '%s\n' "print('release=' + prog['init_uts_ns'].name.release.string_().decode())" >"$drgn_script"
	theirs=$(DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 timeout 300 drgn -q -c "$core" -s "$vmlinux" "$drgn_script" 2>&1)
	sed 's/^/# drgn: /' <<<"$theirs" | tail -n 3
	tap_check "${tools_checks[5]} ($release)" grep -qx "release=$release" <<<"$theirs"
	rm -f "$core" "$drgn_script"
fi

# ---- dmesg ----------------------------------------------------------------
# kvmintro dmesg reads the guest kernel's log from guest memory with only
# what VMCOREINFO says; the truth is the guest's own dmesg (busybox, through
# the kernel's syslog; the console shows no kernel messages).  After a line
# the test writes to /dev/kmsg, the guest's dmesg and then kvmintro's must
# print the same lines in order (kvmintro's may go on with lines logged in
# between), the written line among them; --json carries the same records.
# The guest sends its count of lines, their MD5 and the lines that name the
# mark, not the whole log: some 400 lines through the emulated serial port
# of an L2 guest cost tens of thousands of nested exits under TCG, and an
# L1 with one vcpu stopped answering in that flood (Documentation/testing.rst).
dmesg_checks=(
	"dmesg: kvmintro dmesg prints the guest's own dmesg, line for line"
	"dmesg: the line written to the guest's /dev/kmsg is there"
	"dmesg: --json has a record per line, the written line's text included"
)
dmesg_mark=kvmintro-dmesg-$$
guest_sh dmesg-kmsg "echo $dmesg_mark >/dev/kmsg"
guest_sh dmesg-guest "dmesg >/tmp/dmesg; echo lines=\$(wc -l </tmp/dmesg) md5=\$(md5sum </tmp/dmesg); grep $dmesg_mark /tmp/dmesg; tail -n 1 /tmp/dmesg"
dmesg_theirs=$KVMINTRO_TMP/qemu_guest.dmesg-guest
dmesg_mine=$KVMINTRO_TMP/qemu_guest.dmesg-kvmintro
tr -d '\r' <<<"$out" >"$dmesg_theirs"
if [[ -n $guest_silent ]]; then
	for name in "${dmesg_checks[@]}"; do
		tap_ok 1 "$name (the guest did not answer)"
	done
	exit 1
fi
n=$(sed -n 's/^lines=\([0-9]*\) .*/\1/p' "$dmesg_theirs")
md5=$(sed -n 's/^lines=[0-9]* md5=\([0-9a-f]\{32\}\).*/\1/p' "$dmesg_theirs")
# The VM runs; the core file, where the CLI finds VMCOREINFO, has the
# registers of the latest capture (cli_test checks a VM never captured).
"$KVMINTRO_BIN/kvmintro" dmesg "$pid" >"$dmesg_mine" 2>"$dmesg_mine.err"
rc=$?
sed 's/^/# kvmintro dmesg: /' "$dmesg_mine.err"
{ head -n 4 "$dmesg_mine"; echo ...; tail -n 3 "$dmesg_mine"; } | sed 's/^/# kvmintro dmesg: /'
sed 's/^/# guest: /' "$dmesg_theirs"
mine_md5=$(head -n "${n:-0}" "$dmesg_mine" | md5sum | cut -d' ' -f1)
echo "# dmesg: the guest's has ${n:-?} lines (MD5 ${md5:-?}), kvmintro's $(wc -l <"$dmesg_mine") (status $rc; MD5 of as many $mine_md5); kvmintro's line ${n:-?}: $(sed -n "${n:-0}p" "$dmesg_mine")"
tap_check "${dmesg_checks[0]} (${n:-no} lines)" \
	test "$rc" = 0 -a "${n:-0}" -gt 50 -a -n "$md5" -a "$mine_md5" = "$md5"
tap_check "${dmesg_checks[1]}" \
	sh -c "grep -q '^\[ *[0-9]*\.[0-9]\{6\}\] $dmesg_mark\$' '$dmesg_mine' &&
	       grep -q '^\[ *[0-9]*\.[0-9]\{6\}\] $dmesg_mark\$' '$dmesg_theirs'"
json=$("$KVMINTRO_BIN/kvmintro" --json dmesg "$pid")
lines=$(jq '[.records[].text | split("\n") | length] | add' <<<"$json" 2>/dev/null)
marks=$(jq --arg text "$dmesg_mark" '[.records[] | select(.text == $text)] | length' \
	<<<"$json" 2>/dev/null)
tap_check "${dmesg_checks[2]} ($lines lines)" \
	test "${lines:-0}" -ge "${n:-1}" -a "${marks:-0}" = 1

exit $tap_failed
