#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the L1 initramfs (busybox).  Built into the initramfs by
# harness/lib.sh: kvmintro_initrd().  Loads KVM and 9p, mounts the L0 root
# read-only at /host with what a test needs, chroots into it and runs
# /run/kvmintro/job.sh, then powers off.  See kvmintro_l1_boot().

/bin/busybox --install -s /bin
export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

mode=job
# shellcheck disable=SC2013 # words, not lines
for arg in $(cat /proc/cmdline); do
	case $arg in
	kvmintro.mode=*) mode=${arg#kvmintro.mode=} ;;
	esac
done

if [ "$mode" = shell ]; then
	out=/dev/ttyS0
else
	out=/dev/ttyS1
fi

fail()
{
	echo "kvmintro-init: $*" >/dev/ttyS0
	echo "KVMINTRO-L1-INIT-FAILED: $*" >"$out"
	echo 99 >/host/run/kvmintro/exit-status 2>/dev/null
	sync
	poweroff -f
}

while read -r m; do
	insmod "/modules/$m" || fail "insmod $m failed"
done </modules/load.list

mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose host /host ||
	fail "cannot mount the L0 root (9p tag host)"
mount -t proc proc /host/proc
mount -t sysfs sysfs /host/sys
mount -t debugfs debugfs /host/sys/kernel/debug
mount -t devtmpfs devtmpfs /host/dev
mkdir -p /host/dev/pts /host/dev/shm
mount -t devpts -o ptmxmode=0666,mode=0620 devpts /host/dev/pts 2>/dev/null
mount -t tmpfs -o mode=1777 tmpfs /host/dev/shm 2>/dev/null
mount -t tmpfs -o mode=1777 tmpfs /host/tmp || fail "cannot mount tmpfs on /tmp"
mount -t tmpfs -o mode=0755 tmpfs /host/run || fail "cannot mount tmpfs on /run"
mkdir -p /host/run/kvmintro /host/run/lock
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 run /host/run/kvmintro ||
	fail "cannot mount the run directory (9p tag run)"

# Shares: "<tag> <path> <ro|rw>", parents first.
while read -r tag path access; do
	[ -n "$tag" ] || continue
	mkdir -p "/host$path" 2>/dev/null
	mount -t 9p -o "trans=virtio,version=9p2000.L,$access,msize=262144" \
		"$tag" "/host$path" || fail "cannot mount share $tag at $path"
done </host/run/kvmintro/shares

echo 20 >/proc/sys/kernel/hung_task_timeout_secs

# A heartbeat for the harness's watchdog (harness/lib.sh): a count written
# every 10 s while L1 lives, whatever the job does.
(n=0; while :; do n=$((n + 1)); echo "$n" >/host/run/kvmintro/heartbeat; sleep 10; done) &

if [ "$mode" = shell ]; then
	echo "kvmintro: L1 $(uname -r) ready; exit the shell to power off (or Ctrl-A x)"
	setsid -c chroot /host /bin/bash /run/kvmintro/job.sh \
		</dev/ttyS0 >/dev/ttyS0 2>&1
	rc=$?
else
	stty -F /dev/ttyS1 raw -echo 2>/dev/null
	chroot /host /bin/bash /run/kvmintro/job.sh </dev/null >/dev/ttyS1 2>&1
	rc=$?
fi
echo "$rc" >/host/run/kvmintro/exit-status
sync
poweroff -f
