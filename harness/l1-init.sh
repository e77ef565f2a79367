#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the L1 initramfs (busybox).  Built into the initramfs by
# harness/lib.sh: kvmintro_initrd().  Loads KVM and 9p, mounts the L0 root
# read-only at /host with what a test needs, chroots into it and runs
# /run/kvmintro/job.sh, then powers off.  See kvmintro_l1_boot().
#
# An L1 of another architecture than L0's (arm64) cannot run L0's programs:
# kvmintro.root=initramfs then runs the job in the initramfs itself, with
# busybox and the shares (cross-built programs) mounted at their paths.
# kvmintro.console= and kvmintro.out= name the kernel console's and the
# job's terminals (default ttyS0, ttyS1).

/bin/busybox --install -s /bin
export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

mode=job
root=/host
console=/dev/ttyS0
out=/dev/ttyS1
# shellcheck disable=SC2013 # words, not lines
for arg in $(cat /proc/cmdline); do
	case $arg in
	kvmintro.mode=*) mode=${arg#kvmintro.mode=} ;;
	kvmintro.root=initramfs) root= ;;
	kvmintro.console=*) console=/dev/${arg#kvmintro.console=} ;;
	kvmintro.out=*) out=/dev/${arg#kvmintro.out=} ;;
	esac
done

[ "$mode" = shell ] && out=$console

fail()
{
	echo "kvmintro-init: $*" >"$console"
	echo "KVMINTRO-L1-INIT-FAILED: $*" >"$out"
	echo 99 >"$root/run/kvmintro/exit-status" 2>/dev/null
	sync
	poweroff -f
}

while read -r m; do
	insmod "/modules/$m" || fail "insmod $m failed"
done </modules/load.list

if [ -n "$root" ]; then
	mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose host "$root" ||
		fail "cannot mount the L0 root (9p tag host)"
	mount -t proc proc "$root/proc"
	mount -t sysfs sysfs "$root/sys"
	mount -t devtmpfs devtmpfs "$root/dev"
fi
mount -t debugfs debugfs "$root/sys/kernel/debug"
# The lockdown LSM's state (/sys/kernel/security/lockdown).
mount -t securityfs securityfs "$root/sys/kernel/security" 2>/dev/null
mkdir -p "$root/dev/pts" "$root/dev/shm" "$root/tmp" "$root/run"
mount -t devpts -o ptmxmode=0666,mode=0620 devpts "$root/dev/pts" 2>/dev/null
mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm" 2>/dev/null
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp" || fail "cannot mount tmpfs on /tmp"
mount -t tmpfs -o mode=0755 tmpfs "$root/run" || fail "cannot mount tmpfs on /run"
mkdir -p "$root/run/kvmintro" "$root/run/lock"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 run "$root/run/kvmintro" ||
	fail "cannot mount the run directory (9p tag run)"

# Shares: "<tag> <path> <ro|rw>", parents first.  A read-only one (the
# repository, the build output: the programs, the module, the L2 guest)
# is cached like the L0 root: without a cache, every exec of a test
# program or the CLI reads its pages one 9p request at a time, seconds
# each under TCG.  What L0 writes during the run (another series' build)
# is in files this L1 has not read.
while read -r tag path access; do
	[ -n "$tag" ] || continue
	mkdir -p "$root$path" 2>/dev/null
	cache=
	[ "$access" = ro ] && cache=,cache=loose
	mount -t 9p -o "trans=virtio,version=9p2000.L,$access,msize=262144$cache" \
		"$tag" "$root$path" || fail "cannot mount share $tag at $path"
done <"$root/run/kvmintro/shares"

echo 20 >/proc/sys/kernel/hung_task_timeout_secs

# A heartbeat for the harness's watchdog (harness/lib.sh): a count written
# every 10 s while L1 lives, whatever the job does.
(n=0; while :; do n=$((n + 1)); echo "$n" >"$root/run/kvmintro/heartbeat"; sleep 10; done) &

# The job: bash in the L0 root, busybox's sh in the initramfs.
if [ -n "$root" ]; then
	job="chroot $root /bin/bash /run/kvmintro/job.sh"
else
	job="/bin/sh /run/kvmintro/job.sh"
fi
if [ "$mode" = shell ]; then
	echo "kvmintro: L1 $(uname -r) ready; exit the shell to power off (or Ctrl-A x)"
	# shellcheck disable=SC2086 # $job is a command line
	setsid -c $job <"$console" >"$console" 2>&1
	rc=$?
else
	stty -F "$out" raw -echo 2>/dev/null
	# shellcheck disable=SC2086 # $job is a command line
	$job </dev/null >"$out" 2>&1
	rc=$?
fi
echo "$rc" >"$root/run/kvmintro/exit-status"
sync
poweroff -f
