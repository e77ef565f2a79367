#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kvmintro-timeout: 480
#
# A real QEMU in the arm64 L1 (harness/arm64-tests): Debian's
# qemu-system-aarch64 -enable-kvm (the tree KVMINTRO_QEMU_ROOT, run through
# its own dynamic loader) boots Debian's arm64 kernel with a busybox
# initramfs (harness/l2-guest, harness/l2-guest/arm64-console), and
# kvmintro is checked against QEMU's own view:
#  - the VM is listed with QEMU's pid and one vcpu;
#  - memslots are the KVM regions of QEMU's "info mtree -f", at their
#    GPAs and sizes, at the HVAs "info ramblock" gives, read-only for
#    the flash (romd); the RAM at 0x40000000, 256 MiB as QEMU was given;
#  - scan str:Linux version finds the banner the guest printed from its
#    /proc/version, mem reading that whole line there;
#  - paused, vcpu0's pc is QEMU's (info registers), gva of the pc gives a
#    GPA, mem there has the instruction words QEMU reads at that GPA (xp)
#    and at the pc (x);
#  - resumed, the guest's heartbeat goes on;
#  - the translation call from the guest's gpa_hpa.ko and gpa_hpa_demo
#    (harness/l2-guest/arm64-hypercall): KVM's NOT_SUPPORTED while kvmintro
#    serves none, then, kvmintro reloaded with hypercall_nr, the HPA, PFN
#    and flags of the demo's page as translate and QEMU's pagemap give
#    them, mem reading the value the guest wrote there, -14 for a GPA in
#    no memslot, garbage refused;
#  - QEMU quits and the VM's directory goes.
# busybox sh.  TAP on stdout.  Environment: lib.sh's, KVMINTRO_QEMU_ROOT,
# KVMINTRO_L2_KERNEL and KVMINTRO_L2_INITRD (kvmintro_build_l2_arm64).

tmp=${KVMINTRO_TMP:-/tmp}/arm64_qemu_guest_test.$$
. "$(dirname "$0")/lib.sh"

readonly BOOT_WAIT=200 HMP_WAIT=60
start=$(date +%s)
elapsed()
{
	echo $(($(date +%s) - start))
}

mon_reader=
qemu_cleanup()
{
	[ -n "$mon_reader" ] && kill "$mon_reader" 2>/dev/null
	exec 3>&-
	cleanup
}
trap qemu_cleanup EXIT

q=${KVMINTRO_QEMU_ROOT:-}
if [ ! -x "$q/usr/bin/qemu-system-aarch64" ] || [ ! -r "${KVMINTRO_L2_KERNEL:-}" ] ||
   [ ! -r "${KVMINTRO_L2_INITRD:-}" ]; then
	tap_ok 1 "KVMINTRO_QEMU_ROOT, KVMINTRO_L2_KERNEL and KVMINTRO_L2_INITRD are set (harness/arm64-tests)"
	exit 1
fi

mkdir -p "$tmp"
echo "# $(uname -r) $(uname -m)"
tap_check "insmod kvmintro.ko" insmod "$KVMINTRO_KO"

# QEMU's human monitor on two FIFOs: $tmp/mon.in (fd 3) and the reader's
# log of $tmp/mon.out.
esc=$(printf '\033')
mkfifo "$tmp/mon.in" "$tmp/mon.out"
cat <>"$tmp/mon.out" >"$tmp/mon.log" &
mon_reader=$!
exec 3<>"$tmp/mon.in"

# hmp <command>: its output, without the echo of the line typed, terminal
# escapes and prompts.
hmp()
{
	offset=$(wc -c <"$tmp/mon.log")
	printf '%s\n' "$1" >&3
	i=0
	until tail -c +$((offset + 1)) "$tmp/mon.log" | tail -n 1 | grep -q '^(qemu) $'; do
		[ $i -lt $((HMP_WAIT * 10)) ] && kill -0 "$vmm" 2>/dev/null || return 1
		sleep 0.1
		i=$((i + 1))
	done
	tail -c +$((offset + 1)) "$tmp/mon.log" | tr -d '\r' |
		sed -e "s/$esc\[[0-9;]*[A-Za-z]//g" -e '1d' -e '/^(qemu) /d'
}

# serial_wait <ERE> <seconds>: wait for a line matching it on the guest's
# console while QEMU lives.
serial_wait()
{
	i=0
	until grep -q -E "$1" "$tmp/serial.log" 2>/dev/null; do
		[ $i -lt $(($2 * 5)) ] && kill -0 "$vmm" 2>/dev/null || return 1
		sleep 0.2
		i=$((i + 1))
	done
}

# The loader runs QEMU in its own process (no exec): $! is QEMU's pid.
# Debian's arm64 kernels from 6.12 have 52-bit VAs, with LPA2 where the
# CPU has it (TCR_EL1.DS): the kernel's addresses then walk from level -1.
"$q/usr/lib/ld-linux-aarch64.so.1" --library-path "$q/usr/lib/aarch64-linux-gnu" \
	"$q/usr/bin/qemu-system-aarch64" -enable-kvm -M virt,gic-version=3 -cpu host \
	-m 256 -smp 1 -nographic -nodefaults -no-user-config -no-reboot \
	-kernel "$KVMINTRO_L2_KERNEL" -initrd "$KVMINTRO_L2_INITRD" \
	-append "console=ttyAMA0 panic=-1 quiet" \
	-serial "file:$tmp/serial.log" \
	-chardev "pipe,id=mon,path=$tmp/mon" -mon chardev=mon,mode=readline \
	-pidfile "$tmp/qemu.pid" </dev/null >"$tmp/qemu.out" 2>&1 &
vmm=$!
# Where the time goes: QEMU's pidfile comes early in its start, its
# monitor's prompt once the machine is made (the kernel loaded), then the
# guest boots.
i=0
until [ -s "$tmp/qemu.pid" ] || [ $i -ge $((BOOT_WAIT * 5)) ]; do
	sleep 0.2
	i=$((i + 1))
done
echo "# QEMU's pidfile after $(elapsed) s"
until grep -q '^(qemu) ' "$tmp/mon.log" || [ $i -ge $((BOOT_WAIT * 5)) ]; do
	sleep 0.2
	i=$((i + 1))
done
echo "# QEMU's monitor after $(elapsed) s"
if serial_wait 'KVMINTRO-L2-READY ' $BOOT_WAIT; then
	tap_ok 0 "QEMU boots the guest to its marker in $(elapsed) s"
else
	tap_ok 1 "QEMU boots the guest to its marker in $BOOT_WAIT s (QEMU $(kill -0 "$vmm" 2>/dev/null && echo alive || echo exited))"
	tail -n 20 "$tmp/qemu.out" "$tmp/serial.log" 2>/dev/null | tap_comment
	exit 1
fi
grep -E 'KVMINTRO-L2-(READY|VERSION) ' "$tmp/serial.log" | tr -d '\r' | sed 's/^/# serial: /'
tap_check "QEMU's pidfile names the process started" [ "$(cat "$tmp/qemu.pid" 2>/dev/null)" = "$vmm" ]
dir=$debugfs/$vmm

# The VM, listed by kvmintro and the CLI with QEMU's pid and one vcpu.
tap_check "vms lists QEMU's VM with 1 vcpu" \
	grep -q "^pid=$vmm dir=\"$vmm\" vcpus=1 " "$debugfs/vms"
tap_check "kvmintro list shows QEMU's pid" sh -c \
	"'$KVMINTRO_BIN/kvmintro' list | grep -q '^ *$vmm  *$vmm  *1 '"

# memslots: one per region "info mtree -f" marks KVM, at its GPA and
# size, at the HVA "info ramblock" gives its block (plus the region's
# offset into it), readonly where QEMU maps a ROM device (romd).
hmp "info mtree -f" | sed -n '/^ AS "memory"/,/^$/p' >"$tmp/mtree"
hmp "info ramblock" >"$tmp/ramblock"
cat "$dir/memslots" >"$tmp/memslots"
sed 's/^/# /' "$tmp/memslots"
grep ' KVM$' "$tmp/mtree" | sed 's/^/# mtree: /'
good=1
regions=0
while read -r range kind name rest; do
	first=0x${range%-*}
	last=0x${range#*-}
	kind=${kind%):}
	offset=0
	case $rest in @*) offset=0x${rest#@}; offset=${offset%% *} ;; esac
	hva=$(awk -v n="$name" '$1 == n { print $7 }' "$tmp/ramblock")
	flags=-
	[ "$kind" = romd ] && flags="readonly"
	want="gpa=$(printf '0x%x' $((first))) npages=$(printf '0x%x' $(((last - first + 1) / 4096))) size=$(printf '0x%x' $((last - first + 1))) hva=$(printf '0x%x' $((hva + offset))) flags=$flags"
	grep -q "^as=0 slot=[0-9]* $want\$" "$tmp/memslots" ||
		{ good=0; echo "# no memslot $want ($name)"; }
	regions=$((regions + 1))
done <<MTREE
$(grep ' KVM$' "$tmp/mtree" | sed 's/ (prio [0-9-]*, / /')
MTREE
[ $regions -gt 0 ] && [ "$(wc -l <"$tmp/memslots")" = $regions ] || good=0
tap_check "memslots are QEMU's $regions KVM regions (mtree, ramblock)" [ $good = 1 ]
tap_check "the RAM QEMU was given: 256 MiB at 0x40000000" \
	grep -q '^as=0 slot=[0-9]* gpa=0x40000000 npages=0x10000 size=0x10000000 hva=0x[0-9a-f]* flags=-$' \
	"$tmp/memslots"

# scan: the banner the guest printed from /proc/version is in its memory.
banner=$(sed -n 's/^.*KVMINTRO-L2-VERSION //p' "$tmp/serial.log" | tr -d '\r' | head -n 1)
printf 'str:Linux version\n' >"$dir/scan"
cat "$dir/scan" >"$tmp/scan"
head -n 3 "$tmp/scan" | sed 's/^/# /'
tail -n 1 "$tmp/scan" | sed 's/^/# /'
good=0
for gpa in $(sed -n 's/^match gpa=\([^ ]*\) .*pattern="str:Linux version"$/\1/p' "$tmp/scan"); do
	gpa=$((gpa))
	# Two pages: the line may cross into the next one.
	line=$(dd if="$dir/mem" bs=4096 skip=$((gpa / 4096)) count=2 2>/dev/null |
		dd bs=1 skip=$((gpa % 4096)) count=${#banner} 2>/dev/null)
	[ -n "$banner" ] && [ "$line" = "$banner" ] && { good=1; break; }
done
tap_check "scan str:Linux version finds the guest's /proc/version line, mem reads it there" [ $good = 1 ]

# Paused: the pc, its GPA through the guest's page tables and the
# instruction words there, against QEMU's own reads.
tap_check "pause" sh -c "echo pause >'$dir/snapshot'"
cat "$dir/vcpu0/regs" >"$tmp/regs"
pc=$(sed -n 's/^pc=//p' "$tmp/regs")
theirs=$(hmp "info registers" | sed -n 's/.* PC=\([0-9a-f]*\) .*/0x\1/p' | head -n 1)
good=0
[ -n "$pc" ] && [ -n "$theirs" ] && [ $((pc)) = $((theirs)) ] && good=1
tap_check "paused pc $pc is QEMU's (info registers: $theirs)" [ $good = 1 ]
echo "$pc vcpu=0" >"$dir/gva"
cat "$dir/gva" >"$tmp/gva"
sed 's/^/# gva: /' "$tmp/gva"
echo "# the kernel's half: $(head -n 1 "$tmp/gva" | grep -o 'granule=.*'), from $(sed -n 2p "$tmp/gva" | cut -d' ' -f1)"
gpa=$(sed -n 's/^gpa=\(0x[0-9a-f]*\) page_size=.*/\1/p' "$tmp/gva")
good=0
[ -n "$gpa" ] && [ $((gpa)) -ge $((0x40000000)) ] && [ $((gpa)) -lt $((0x50000000)) ] && good=1
tap_check "gva of the pc walks to a GPA in guest RAM ($gpa)" [ $good = 1 ]
# Up to 4 words, not past the pc's page (the next may lie elsewhere).
words=$(((4096 - (pc & 0xfff)) / 4))
[ $words -gt 4 ] && words=4
mine=$( [ -n "$gpa" ] && dd if="$dir/mem" bs=4096 skip=$((gpa / 4096)) count=1 2>/dev/null |
	dd bs=1 skip=$((gpa % 4096)) count=$((words * 4)) 2>/dev/null | od -An -tx4 |
	tr -s ' \n' ' ' | sed -e 's/^ //' -e 's/ $//' -e 's/\([0-9a-f]\{8\}\)/0x\1/g')
hmp_words()
{
	hmp "$1" | sed -n 's/^[0-9a-f]*: *//p' | tr -s ' \n' ' ' | sed -e 's/^ //' -e 's/ $//'
}
xp=$(hmp_words "xp /${words}wx $gpa")
x=$(hmp_words "x /${words}wx $pc")
echo "# mem: $mine; xp: $xp; x: $x"
tap_check "mem at gva's GPA has the $words words QEMU's xp reads there" [ -n "$mine" -a "$mine" = "$xp" ]
tap_check "and QEMU's x at the pc reads the same" [ -n "$mine" -a "$mine" = "$x" ]
tap_check "resume" sh -c "echo resume >'$dir/snapshot'"

# The guest runs on: a heartbeat newer than any before the resume (a
# beat may follow the shell's prompt on its line).
beat=$(grep -o 'KVMINTRO-L2-BEAT [0-9]*' "$tmp/serial.log" | tail -n 1)
beat=${beat#KVMINTRO-L2-BEAT }
tap_check "the guest's heartbeat goes on after resume (after beat $beat)" \
	serial_wait "KVMINTRO-L2-BEAT $((beat + 1)) " 60
# The guest may be writing that line: tap_comment ends it.
tail -n 1 "$tmp/serial.log" | tr -d '\r' | tap_comment '# serial: '

# The translation call from the guest's own gpa_hpa.ko and gpa_hpa_demo
# (harness/l2-guest/arm64-hypercall, unattended): KVM's answer while
# kvmintro serves no hypercall_nr, then kvmintro's once reloaded with one.
hc_nr=0x4b49
tap_check "guest: gpa_hpa.ko refuses to load without hypercall_nr" \
	grep -q '^KVMINTRO-L2-HC noparam status=[1-9]' "$tmp/serial.log"
tap_check "guest: gpa_hpa.ko loads with hypercall_nr=$hc_nr" \
	grep -q '^KVMINTRO-L2-HC load status=0' "$tmp/serial.log"
tap_check "guest: without kvmintro's hypercall_nr, KVM answers SMCCC_RET_NOT_SUPPORTED" \
	serial_wait '^KVMINTRO-L2-HC query gpa_hpa_demo: err gpa=0x40000000 ret=-1 reason=hypercall-not-enabled' 30
rmmod kvmintro && insmod "$KVMINTRO_KO" hypercall_nr=$hc_nr
rc=$?
i=0
while [ ! -d "$dir/vcpu0" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
tap_check "kvmintro reloaded with hypercall_nr=$hc_nr under the running guest" \
	[ $rc = 0 -a -d "$dir/vcpu0" ]
# The whole line: its start alone was seen once while the rest, value=
# with it, was still on its way (QEMU writes the console as it comes).
# The guest's tty ends a line with CR LF; were there no CR, a second wait.
cr=$(printf '\r')
serial_wait "^gpa_hpa_demo: gva=.* value=0x[0-9a-f]+$cr" 60 ||
	{ serial_wait '^gpa_hpa_demo: gva=.* value=0x' 1 && sleep 1; }
grep -a '^KVMINTRO-L2-HC \(query\|efault\|garbage\)' "$tmp/serial.log" | tail -n 4 |
	tr -d '\r' | sed 's/^/# guest: /'
tap_check "guest: a GPA in no memslot is answered -14" \
	grep -q '^KVMINTRO-L2-HC efault gpa_hpa_demo: err gpa=0x7fffff000000 ret=-14 ' "$tmp/serial.log"
tap_check "guest: garbage written to /proc/gpa_hpa is EINVAL, the reply unchanged" \
	grep -q '^KVMINTRO-L2-HC garbage garbage: ok' "$tmp/serial.log"
line=$(grep -a -m1 '^gpa_hpa_demo: gva=' "$tmp/serial.log" | tr -d '\r')
echo "# guest: $line"
demo() { echo "$line" | sed -n "s/.* $1=\(0x[0-9a-f]*\).*/\1/p"; }
g_gpa=$(demo gpa) g_hpa=$(demo hpa) g_pfn=$(demo pfn) g_flags=$(demo flags)
g_value=$(demo value)
tap_check "guest: gpa_hpa_demo prints the HPA of its page" \
	[ -n "$g_gpa" -a -n "$g_hpa" -a -n "$g_pfn" -a -n "$g_flags" -a -n "$g_value" ]
echo "${g_gpa:-0}" >"$dir/translate"
reply=$(cat "$dir/translate")
echo "# host: $reply"
t_phys=$(echo "$reply" | sed -n 's/^ok phys=\(0x[0-9a-f]*\) .*/\1/p')
t_hva=$(echo "$reply" | sed -n 's/.* hva=\(0x[0-9a-f]*\) .*/\1/p')
t_pfn=$(echo "$reply" | sed -n 's/.* pfn=\(0x[0-9a-f]*\) .*/\1/p')
t_size=$(echo "$reply" | sed -n 's/.* size=\([0-9A-Z]*\).*/\1/p')
good=0
[ -n "$t_phys" -a -n "$g_hpa" ] && [ $((g_hpa)) = $((t_phys)) ] && good=1
tap_check "the guest's HPA equals translate's phys (${g_hpa:-none}, ${t_phys:-none})" [ $good = 1 ]
pfn=
[ -n "$t_hva" ] && pfn=$(pagemap_pfn "$t_hva")
good=0
[ -n "$g_pfn" -a -n "$t_pfn" -a -n "$pfn" ] &&
	[ $((g_pfn)) = $((t_pfn)) -a $((g_pfn)) = $((pfn)) ] && good=1
tap_check "the guest's PFN equals translate's, and QEMU's pagemap (${g_pfn:-none}, ${t_pfn:-none}, ${pfn:-none})" [ $good = 1 ]
# Flags: bit 0 huge, bit 1 mapped, bits 2-6 the folio order.
case $t_size in
4K) huge=0 order=0 ;;
2M) huge=1 order=9 ;;
1G) huge=1 order=18 ;;
*) huge=-1 order=-1 ;;
esac
g_flags=${g_flags:-0}
tap_check "the guest's flags: mapped, huge and order as translate's page size ($g_flags, $t_size)" \
	[ $((g_flags & 2)) = 2 -a $((g_flags & 1)) = $huge -a $(((g_flags >> 2) & 31)) = $order ]
mine=$(mem_read "${g_gpa:-0}" 8 | od -An -tx8 | tr -d ' ')
good=0
[ -n "$mine" -a -n "$g_value" ] && [ $((0x$mine)) = $((g_value)) ] && good=1
tap_check "mem at the guest's GPA reads the value the guest wrote (${g_value:-none}, 0x$mine)" [ $good = 1 ]

# quit: QEMU exits with 0 and the VM's directory goes with it.
printf 'quit\n' >&3
i=0
while kill -0 "$vmm" 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
status=0
wait "$vmm" || status=$?
tap_check "QEMU quits (status $status)" [ $status = 0 ]
vmm_gone "the VM's directory goes with QEMU"
tap_check "rmmod kvmintro" rmmod kvmintro
echo "# the test took $(elapsed) s"

exit $tap_failed
