# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared functions of the kvmintro test platform: resolve the Debian kernels,
# cache their images, build the L1 initramfs and boot L1 under QEMU TCG.
# Sourced by harness/run-tests, harness/l1-run, harness/setup, harness/kernels.
#
# Environment knobs (all optional):
#   KVMINTRO_CACHE        kernel/initramfs cache, default /var/cache/kvmintro
#                         (keep it outside /tmp: L1 hides /tmp behind a tmpfs)
#   KVMINTRO_KVER_<S>     force the kernel release of series <S>, e.g.
#                         KVMINTRO_KVER_6_12=6.12.117+deb12-amd64
#   KVMINTRO_L1_MEM       L1 memory, default 2G
#   KVMINTRO_L1_SMP       L1 vcpus, default 2
#   KVMINTRO_L1_MODULES   extra modules (names) to load in L1 after kvm-amd
#   KVMINTRO_L1_CMDLINE   extra kernel command line for L1
#   KVMINTRO_L1_ACCEL     QEMU -accel for L1, default tcg,thread=single
#   KVMINTRO_L1_QEMU_ARGS extra QEMU options for L1 (split on white space)

KVMINTRO_HARNESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KVMINTRO_REPO=$(cd "$KVMINTRO_HARNESS_DIR/.." && pwd)
KVMINTRO_CACHE=${KVMINTRO_CACHE:-/var/cache/kvmintro}

# The kernel series the harness tests, oldest first.
KVMINTRO_ALL_SERIES=(6.1 6.12)

# Modules /init loads, in this order, with their dependencies before them.
KVMINTRO_L1_BASE_MODULES=(virtio_pci 9pnet_virtio 9p kvm_amd)

# Lines of a kernel log that mean the kernel is unhappy.
KVMINTRO_KLOG_ERRORS='BUG:|WARNING:|Oops|Call Trace|general protection|KASAN|hung_task|blocked for more than|soft lockup|rcu.*stall|Kernel panic'

kvmintro_log()
{
	printf '%s: %s\n' "${0##*/}" "$*" >&2
}

kvmintro_die()
{
	kvmintro_log "error: $*"
	exit 1
}

# Run a command as root: directly when we are root, else through sudo.
kvmintro_as_root()
{
	if [[ $(id -u) -eq 0 ]]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		kvmintro_die "need root (or sudo) to run: $*"
	fi
}

kvmintro_need_cmd()
{
	local cmd
	for cmd in "$@"; do
		command -v "$cmd" >/dev/null ||
			kvmintro_die "'$cmd' not found: run harness/install-deps first"
	done
}

# Make the cache directory, as root if needed, owned by the caller.
kvmintro_cache_init()
{
	if [[ ! -d $KVMINTRO_CACHE ]]; then
		mkdir -p "$KVMINTRO_CACHE" 2>/dev/null ||
			kvmintro_as_root install -d -o "$(id -u)" -g "$(id -g)" "$KVMINTRO_CACHE"
	fi
	[[ -w $KVMINTRO_CACHE ]] ||
		kvmintro_die "$KVMINTRO_CACHE is not writable: fix its owner or set KVMINTRO_CACHE"
	case $KVMINTRO_CACHE in
	/tmp | /tmp/*)
		kvmintro_log "note: KVMINTRO_CACHE is under /tmp; it is shared into L1 explicitly" ;;
	esac
}

# Hold an exclusive lock on the cache while running "$@", so that concurrent
# runs do not download or extract the same kernel twice.
kvmintro_cache_locked()
{
	kvmintro_cache_init
	(
		flock 9
		"$@"
	) 9>"$KVMINTRO_CACHE/.lock"
}

# ---------------------------------------------------------------------------
# Kernel versions

# Print the kernel releases of series $1 whose headers Debian ships, newest
# first, e.g. "6.1.0-56-amd64" or "6.12.117+deb12-amd64" (generic flavour only).
__kvmintro_kver_candidates()
{
	local series=$1 re
	re="^linux-headers-(${series//./\\.}\\.[0-9]+(-[0-9]+|\\+deb[0-9]+)-amd64)\$"
	apt-cache pkgnames "linux-headers-$series." 2>/dev/null |
		sed -En "s/$re/\\1/p" | sort -rV
}

# A package apt can download now (known to the package lists, has a file).
__kvmintro_pkg_available()
{
	# No grep -q: with pipefail, an early exit would fail apt-cache (SIGPIPE).
	apt-cache show --no-all-versions "$1" 2>/dev/null | grep '^Filename:' >/dev/null
}

# Print the kernel release to test for series $1 (e.g. 6.1, 6.12).  Prefer
# the one linux-headers-amd64 depends on when it is of that series, else the
# newest of the series whose unsigned image can be downloaded.  The answer
# is kept in the cache until the package lists or dpkg's status change
# (apt-cache takes seconds per call when apt keeps no binary cache).
kvmintro_kver_resolve()
{
	local series=$1 var ver stamp memo memo_stamp
	var="KVMINTRO_KVER_${series//./_}"
	if [[ -n ${!var:-} ]]; then
		echo "${!var}"
		return 0
	fi
	stamp=$(stat -c '%n %Y %s' /var/lib/apt/lists/*_Packages* /var/lib/dpkg/status \
		2>/dev/null | sha256sum | cut -c1-16)
	memo=$KVMINTRO_CACHE/kver/$series
	if [[ -r $memo ]] && read -r memo_stamp ver <"$memo" && [[ $memo_stamp == "$stamp" ]]; then
		echo "$ver"
		return 0
	fi
	ver=$(__kvmintro_kver_resolve "$series") || return 1
	if mkdir -p "${memo%/*}" 2>/dev/null; then
		echo "$stamp $ver" >"$memo.tmp" 2>/dev/null && mv "$memo.tmp" "$memo"
	fi
	echo "$ver"
}

__kvmintro_kver_resolve()
{
	local series=$1 ver meta
	kvmintro_need_cmd apt-cache
	meta=$(apt-cache depends linux-headers-amd64 2>/dev/null |
		sed -En 's/^ *Depends: linux-headers-(.*-amd64)$/\1/p' | head -n1)
	if [[ $meta == "$series".* ]] &&
	   __kvmintro_pkg_available "linux-image-$meta-unsigned"; then
		echo "$meta"
		return 0
	fi
	for ver in $(__kvmintro_kver_candidates "$series"); do
		if __kvmintro_pkg_available "linux-image-$ver-unsigned"; then
			echo "$ver"
			return 0
		fi
	done
	kvmintro_log "error: no linux-headers/linux-image-*-unsigned of series $series in the package lists"
	kvmintro_log "       run harness/install-deps (it runs apt-get update) or set KVMINTRO_KVER_${series//./_}"
	return 1
}

# Map a user-given list ("6.1,6.12", "6.12", "all", "") to series names.
kvmintro_series_list()
{
	local spec=${1:-all} s
	if [[ $spec == all ]]; then
		printf '%s\n' "${KVMINTRO_ALL_SERIES[@]}"
		return
	fi
	for s in ${spec//,/ }; do
		[[ $s =~ ^[0-9]+\.[0-9]+$ ]] ||
			kvmintro_die "bad kernel series '$s' (want e.g. 6.1 or 6.12)"
		echo "$s"
	done
}

kvmintro_kdir()
{
	echo "/usr/src/linux-headers-$1"
}

# ---------------------------------------------------------------------------
# Kernel images

kvmintro_kernel_dir()
{
	echo "$KVMINTRO_CACHE/kernels/$1"
}

kvmintro_vmlinuz()
{
	echo "$(kvmintro_kernel_dir "$1")/boot/vmlinuz-$1"
}

__kvmintro_kernel_fetch()
{
	local ver=$1 dir tmp deb
	dir=$(kvmintro_kernel_dir "$ver")
	[[ -f $dir/.complete ]] && return 0

	kvmintro_log "fetching linux-image-$ver-unsigned into $dir"
	mkdir -p "$KVMINTRO_CACHE/kernels"
	tmp=$(mktemp -d "$KVMINTRO_CACHE/kernels/.fetch.XXXXXX")
	# apt drops privileges to _apt for downloads; let it write here.
	chmod 0777 "$tmp"
	if ! (cd "$tmp" && apt-get download -q "linux-image-$ver-unsigned" >&2); then
		rm -rf "$tmp"
		kvmintro_log "error: apt-get download linux-image-$ver-unsigned failed"
		kvmintro_log "       stale package lists? run: apt-get update"
		return 1
	fi
	deb=$(echo "$tmp"/linux-image-*.deb)
	mkdir "$tmp/root"
	dpkg-deb -x "$deb" "$tmp/root"
	rm -f "$deb"
	rm -rf "$tmp/root/usr"
	[[ -f $tmp/root/boot/vmlinuz-$ver ]] || {
		rm -rf "$tmp"
		kvmintro_log "error: no boot/vmlinuz-$ver in linux-image-$ver-unsigned"
		return 1
	}
	# busybox insmod reads only plain .ko: decompress (6.12 ships .ko.xz).
	find "$tmp/root/lib/modules" -name '*.ko.xz' -print0 |
		xargs -0 -r -n 64 -P "$(nproc)" xz -d
	find "$tmp/root/lib/modules" -name '*.ko.zst' -print0 |
		xargs -0 -r -n 64 -P "$(nproc)" zstd -q -d --rm
	rm -rf "$dir"
	mv "$tmp/root" "$dir"
	rmdir "$tmp"
	touch "$dir/.complete"
}

# Download and unpack the unsigned image of kernel release $1 (cached).
kvmintro_kernel_fetch()
{
	[[ -f $(kvmintro_kernel_dir "$1")/.complete ]] && return 0
	kvmintro_need_cmd apt-get dpkg-deb xz flock
	kvmintro_cache_locked __kvmintro_kernel_fetch "$1"
}

# ---------------------------------------------------------------------------
# Modules and initramfs

# Print, in load order, the module files (relative to lib/modules/<ver>) that
# loading modules "$2..." needs on kernel release $1.  Modules built into
# the kernel are skipped.  Dependencies come from each module's depends=.
kvmintro_module_closure()
{
	local ver=$1
	shift
	local moddir
	moddir="$(kvmintro_kernel_dir "$ver")/lib/modules/$ver"
	(
		cd "$moddir" || exit 1
		awk -v want="$*" '
			FNR == NR { builtin[$1] = 1; next }
			{
				name = $0
				sub(/.*\//, "", name)
				sub(/\.ko$/, "", name)
				gsub("-", "_", name)
				path[name] = $0
			}
			function depends(p,   cmd, line, deps) {
				cmd = "strings \"" p "\""
				deps = ""
				while ((cmd | getline line) > 0)
					if (deps == "" && line ~ /^depends=/)
						deps = substr(line, 9)
				close(cmd)
				return deps
			}
			function visit(m,   n, d, i) {
				gsub("-", "_", m)
				if (m == "" || (m in done) || (m in builtin))
					return
				if (!(m in path)) {
					print "missing module " m > "/dev/stderr"
					bad = 1
					return
				}
				done[m] = 1
				n = split(depends(path[m]), d, ",")
				for (i = 1; i <= n; i++)
					visit(d[i])
				print path[m]
			}
			END {
				n = split(want, w, " ")
				for (i = 1; i <= n; i++)
					visit(w[i])
				exit bad
			}' <(sed -E 's|.*/||; s|\.ko.*$||; s|-|_|g' modules.builtin) \
			<(find kernel -name '*.ko' | LC_ALL=C sort)
	)
}

__kvmintro_initrd_build()
{
	local ver=$1 out=$2 moddir tmp busybox m
	moddir="$(kvmintro_kernel_dir "$ver")/lib/modules/$ver"
	busybox=$(command -v busybox) ||
		kvmintro_die "busybox not found: run harness/install-deps first"
	tmp=$(mktemp -d "$KVMINTRO_CACHE/initrd/.build.XXXXXX")
	mkdir -p "$tmp/bin" "$tmp/modules" "$tmp/dev" "$tmp/proc" "$tmp/sys" "$tmp/host"
	cp "$busybox" "$tmp/bin/busybox"
	cp "$KVMINTRO_HARNESS_DIR/l1-init.sh" "$tmp/init"
	chmod 0755 "$tmp/init" "$tmp/bin/busybox"
	# shellcheck disable=SC2086 # word splitting of the module list is intended
	kvmintro_module_closure "$ver" "${KVMINTRO_L1_BASE_MODULES[@]}" \
		${KVMINTRO_L1_MODULES:-} >"$tmp/modules.list" || {
		rm -rf "$tmp"
		kvmintro_die "cannot resolve L1 modules for $ver"
	}
	: >"$tmp/modules/load.list"
	while read -r m; do
		cp "$moddir/$m" "$tmp/modules/"
		echo "${m##*/}" >>"$tmp/modules/load.list"
	done <"$tmp/modules.list"
	rm "$tmp/modules.list"
	(cd "$tmp" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc --quiet -R 0:0 | gzip -1) >"$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$tmp"
}

# Print the path of the L1 initramfs for kernel release $1, building it if the
# init script, busybox or module list changed.
kvmintro_initrd()
{
	local ver=$1 key out
	kvmintro_need_cmd busybox cpio gzip strings
	key=$( { cat "$KVMINTRO_HARNESS_DIR/l1-init.sh" "$(command -v busybox)"
		 echo "${KVMINTRO_L1_BASE_MODULES[*]} ${KVMINTRO_L1_MODULES:-}"; } |
		sha256sum | cut -c1-12)
	out="$KVMINTRO_CACHE/initrd/$ver-$key.cpio.gz"
	if [[ ! -f $out ]]; then
		mkdir -p "$KVMINTRO_CACHE/initrd"
		kvmintro_cache_locked __kvmintro_initrd_build "$ver" "$out" >&2
	fi
	echo "$out"
}

# ---------------------------------------------------------------------------
# Booting L1
#
# __kvmintro_l1_watchdog RUNDIR TIMEOUT_PID SECONDS: stop an L1 that hung.
# QEMU's TCG sometimes leaves L1's only vcpu halted with no interrupt to
# wake it (seen with one L1 vcpu while a real L2 guest boots); then nothing
# inside L1, not even a test's own timeout, runs again.  L1's init writes a
# count to RUNDIR/heartbeat every 10 s: when it has not changed for SECONDS,
# write RUNDIR/hung and stop QEMU.  (run-tests runs such a pass again, up
# to 3 attempts: a test that deadlocks L1 does so every time and fails.)
__kvmintro_l1_watchdog()
{
	local rundir=$1 tpid=$2 window=$3 beat last= quiet=0
	while sleep 15 && kill -0 "$tpid" 2>/dev/null; do
		beat=$(cat "$rundir/heartbeat" 2>/dev/null)
		[[ -n $beat ]] || continue
		if [[ $beat != "$last" ]]; then
			last=$beat quiet=0
			continue
		fi
		quiet=$((quiet + 15))
		if ((quiet >= window)); then
			echo "L1 hung: its heartbeat stopped at $beat (about $((beat * 10)) s after init), no sign of life for ${quiet} s" >"$rundir/hung"
			kill -TERM "$tpid" 2>/dev/null
			return 0
		fi
	done
}

# kvmintro_l1_boot <kver> <rundir> <mode> [share...]
#
# Boots kernel release <kver> under TCG.  L1 mounts the L0 root read-only
# (tmpfs on /tmp and /run), then every share "<path>[:rw]" at the same
# absolute path (needed for paths under /tmp, harmless elsewhere), and
# <rundir> (writable) at /run/kvmintro.  It chroots into the L0 root and runs
# /run/kvmintro/job.sh (<rundir>/job.sh, written by the caller):
#   mode "job":   job's output goes to <rundir>/out.log (serial ttyS1), the
#                 kernel console to <rundir>/console.log (serial ttyS0), its
#                 exit status to <rundir>/exit-status.
#   mode "shell": the job runs on the console, which is this terminal.
# L1 powers off when the job ends; QEMU is killed after KVMINTRO_L1_TIMEOUT
# seconds (default 1200).  Returns QEMU's status (124: timed out, 130: we
# got SIGINT/SIGTERM and stopped QEMU).
# In job mode, if KVMINTRO_L1_FOLLOW names a function, it runs in the
# background as "$KVMINTRO_L1_FOLLOW <rundir> <qemu pid>" (e.g. to print
# <rundir>/out.log as it grows) and is waited for.
kvmintro_l1_boot()
{
	local ver=$1 rundir=$2 mode=$3
	shift 3
	local vmlinuz initrd share path access tag n=0 rc cmdline
	local -a qemu shares_lines

	kvmintro_need_cmd qemu-system-x86_64 timeout
	vmlinuz=$(kvmintro_vmlinuz "$ver")
	[[ -f $vmlinuz ]] || kvmintro_die "no $vmlinuz: kernel $ver not fetched"
	initrd=$(kvmintro_initrd "$ver") || return 1

	rundir=$(cd "$rundir" && pwd)
	[[ -f $rundir/job.sh ]] || kvmintro_die "no $rundir/job.sh"
	rm -f "$rundir/exit-status" "$rundir/out.log" "$rundir/console.log"

	# One host thread for all vcpus (thread=single): with multi-threaded TCG,
	# code that one L1 vcpu patches (text_poke_bp(): static keys, kprobes,
	# ftrace) is seen late by the other, which then takes an int3 it does not
	# expect and oopses, or hangs.
	qemu=(qemu-system-x86_64 -accel "${KVMINTRO_L1_ACCEL:-tcg,thread=single}" -cpu max
		-m "${KVMINTRO_L1_MEM:-2G}" -smp "${KVMINTRO_L1_SMP:-2}"
		-nodefaults -no-user-config -display none -no-reboot
		-kernel "$vmlinuz" -initrd "$initrd"
		-virtfs "local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap"
		-virtfs "local,path=${rundir//,/,,},mount_tag=run,security_model=none,multidevs=remap")

	# Shares: sort by path so that a parent is mounted before its children.
	for share in "$@"; do
		path=${share%:r[ow]}
		access=ro
		[[ $share == *:rw ]] && access=rw
		path=$(cd "$path" && pwd) || kvmintro_die "cannot share $path: no such directory"
		[[ $path == *[[:space:]]* ]] && kvmintro_die "cannot share '$path': path has white space"
		shares_lines+=("$path $access")
	done
	: >"$rundir/shares"
	if ((${#shares_lines[@]})); then
		printf '%s\n' "${shares_lines[@]}" | LC_ALL=C sort -u -k1,1 |
		while read -r path access; do
			n=$((n + 1))
			echo "share$n $path $access"
		done >"$rundir/shares"
	fi
	while read -r tag path access; do
		share="local,path=${path//,/,,},mount_tag=$tag,security_model=none,multidevs=remap"
		[[ $access == ro ]] && share+=",readonly=on"
		qemu+=(-virtfs "$share")
	done <"$rundir/shares"

	# loglevel=7 so that WARNINGs (and all context) reach the console log;
	# an interactive shell gets only warnings and worse.  panic=-1 with
	# -no-reboot: a panic ends QEMU at once.
	local loglevel=7
	[[ $mode == shell ]] && loglevel=5
	# slub_debug: redzones and checks catch any heap overflow at once (the
	# console check fails the run on its "BUG kmalloc-..."), and U keeps
	# each object's allocation stack for the stress test's leak count.
	cmdline="console=ttyS0,115200 loglevel=$loglevel panic=-1 kvmintro.mode=$mode"
	cmdline+=" slub_debug=${KVMINTRO_L1_SLUB_DEBUG-FZU}"
	cmdline+=" ${KVMINTRO_L1_CMDLINE:-}"
	if [[ $mode == shell ]]; then
		qemu+=(-serial mon:stdio -serial "file:$rundir/out.log")
	else
		qemu+=(-serial "file:$rundir/console.log" -serial "file:$rundir/out.log"
			-monitor none)
	fi
	qemu+=(-append "$cmdline")
	# Extra QEMU options for debugging, e.g. "-s" (gdb stub on :1234) or
	# "-monitor unix:/tmp/l1.sock,server=on,wait=off".
	# shellcheck disable=SC2206 # split on purpose
	[[ -n ${KVMINTRO_L1_QEMU_ARGS:-} ]] && qemu+=(${KVMINTRO_L1_QEMU_ARGS})

	rc=0
	if [[ $mode == shell ]]; then
		"${qemu[@]}" || rc=$?
		return $rc
	fi
	# timeout(1) runs QEMU in its own process group, out of reach of the
	# terminal's Ctrl-C: forward INT/TERM to it ourselves.
	rm -f "$rundir/hung" "$rundir/heartbeat"
	timeout -k 10 "${KVMINTRO_L1_TIMEOUT:-1200}" "${qemu[@]}" </dev/null &
	KVMINTRO_QEMU_PID=$!
	local follower= watchdog=
	if [[ -n ${KVMINTRO_L1_FOLLOW:-} ]]; then
		"$KVMINTRO_L1_FOLLOW" "$rundir" "$KVMINTRO_QEMU_PID" &
		follower=$!
	fi
	if ((${KVMINTRO_L1_HANG_SECONDS:-180} > 0)); then
		__kvmintro_l1_watchdog "$rundir" "$KVMINTRO_QEMU_PID" \
			"${KVMINTRO_L1_HANG_SECONDS:-180}" &
		watchdog=$!
	fi
	local saved_traps
	saved_traps=$(trap -p INT TERM)
	KVMINTRO_L1_INTERRUPTED=0
	trap 'KVMINTRO_L1_INTERRUPTED=1; kill -TERM "$KVMINTRO_QEMU_PID" 2>/dev/null' INT TERM
	while :; do
		rc=0
		wait "$KVMINTRO_QEMU_PID" || rc=$?
		# wait returns early (>128) when a trapped signal arrives.
		kill -0 "$KVMINTRO_QEMU_PID" 2>/dev/null || break
	done
	trap - INT TERM
	eval "$saved_traps"
	[[ -n $watchdog ]] && { kill "$watchdog" 2>/dev/null; wait "$watchdog" 2>/dev/null; }
	[[ -n $follower ]] && wait "$follower"
	((KVMINTRO_L1_INTERRUPTED)) && return 130
	return $rc
}

# Write <rundir>/job.sh: export the given NAME=value pairs, cd to $PWD if it
# is visible in L1, then run the rest of the arguments (after --).
kvmintro_job_write()
{
	local rundir=$1
	shift
	{
		echo '# Generated by harness/lib.sh: runs inside L1, chrooted into the L0 root.'
		echo 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
		echo 'export HOME=/tmp LANG=C.UTF-8'
		while (($#)) && [[ $1 != -- ]]; do
			printf 'export %q\n' "$1"
			shift
		done
		[[ ${1:-} == -- ]] && shift
		printf 'cd %q 2>/dev/null || cd /\n' "$PWD"
		printf '%q ' "$@"
		echo
	} >"$rundir/job.sh"
}

# Print the lines of kernel log file $1 that mean trouble, minus known noise
# that is not about kvmintro (see kvmintro_klog_benign).
kvmintro_klog_errors()
{
	grep -aE "$KVMINTRO_KLOG_ERRORS" "$1" | grep -avE "$(kvmintro_klog_benign)" || true
}

# Lines from the L1 kernel that match the error pattern but are expected on
# an emulated CPU and say nothing about kvmintro or KVM.
kvmintro_klog_benign()
{
	local -a benign=(
		'RETBleed: WARNING: Spectre v2 mitigation leaves CPU vulnerable'
	)
	local IFS='|'
	echo "${benign[*]}"
}

# ---------------------------------------------------------------------------
# Building (the targets are the lead's Makefile; see the contract)

# Run "$@" for at most $1 seconds (then kill it and all its children; status
# 124).  On SIGINT/SIGTERM, stop it and exit 130: timeout(1) puts the command
# in a process group of its own, which the terminal's Ctrl-C does not reach.
kvmintro_run_bounded()
{
	local limit=$1 pid rc saved_traps
	shift
	timeout -k 10 "$limit" "$@" &
	pid=$!
	saved_traps=$(trap -p INT TERM)
	# shellcheck disable=SC2064 # expand $pid now
	trap "kill -TERM $pid 2>/dev/null; wait $pid; exit 130" INT TERM
	rc=0
	wait "$pid" || rc=$?
	trap - INT TERM
	eval "$saved_traps"
	return $rc
}

# Run "$@" with its output in log file $1, for at most KVMINTRO_BUILD_TIMEOUT
# seconds (default 900); on failure show the log's tail as TAP comments.
__kvmintro_logged()
{
	local log=$1 rc=0
	shift
	mkdir -p "$(dirname "$log")"
	kvmintro_run_bounded "${KVMINTRO_BUILD_TIMEOUT:-900}" "$@" >"$log" 2>&1 </dev/null || rc=$?
	((rc == 0)) && return 0
	if ((rc == 124 || rc == 137)); then
		echo "# $* timed out after ${KVMINTRO_BUILD_TIMEOUT:-900}s; last lines of $log:"
	else
		echo "# $* failed; last lines of $log:"
	fi
	tail -n 40 "$log" | sed 's/^/#   /'
	return 1
}

# Build kvmintro.ko for kernel release $1 into <out>/<release>/.
kvmintro_build_module()
{
	local ver=$1 out=$2
	__kvmintro_logged "$out/build-module-$ver.log" \
		make -C "$KVMINTRO_REPO" -j"$(nproc)" module \
		KDIR="$(kvmintro_kdir "$ver")" MODULE_BUILD_DIR="$out/$ver" || return 1
	[[ -f $out/$ver/kvmintro.ko ]] || {
		echo "# make module succeeded but $out/$ver/kvmintro.ko is missing"
		return 1
	}
}

# Build the static programs that run in L1 (tests, testvmm, CLI) into <out>/bin.
kvmintro_build_programs()
{
	local out=$1
	__kvmintro_logged "$out/build-programs.log" \
		make -C "$KVMINTRO_REPO" -j"$(nproc)" test-programs OUT="$out/bin"
}

# Build the guest side of the hypercall (guest/: gpa_hpa.ko for kernel
# release $1, gpa_hpa_demo) into <out>/guest/<release>/.
kvmintro_build_guest()
{
	local ver=$1 out=$2
	__kvmintro_logged "$out/build-guest-$ver.log" \
		make -C "$KVMINTRO_REPO/guest" -j"$(nproc)" all \
		KDIR="$(kvmintro_kdir "$ver")" BUILD_DIR="$out/guest/$ver"
}

# Build the real-QEMU L2 guest for kernel release $1 (harness/l2-guest/build)
# into <out>/l2/<release>/ and write the variables it prints to env there.
# The L2 kernel is L1's: the guest side of the hypercall built for it goes
# in as /extra/gpa_hpa.ko (not loaded at boot) and /bin/gpa_hpa_demo.
kvmintro_build_l2()
{
	local ver=$1 out=$2 dir
	dir=$out/l2/$ver
	[[ -x $KVMINTRO_HARNESS_DIR/l2-guest/build ]] || return 0
	kvmintro_build_guest "$ver" "$out" || return 1
	mkdir -p "$dir"
	__kvmintro_logged "$out/build-l2-$ver.log" \
		"$KVMINTRO_HARNESS_DIR/l2-guest/build" \
		--extra "$out/guest/$ver/gpa_hpa.ko:/extra/gpa_hpa.ko" \
		--extra "$out/guest/$ver/gpa_hpa_demo:/bin/gpa_hpa_demo" \
		"$dir" "$(kvmintro_vmlinuz "$ver")" ||
		return 1
	grep -E '^KVMINTRO_L2_[A-Z_]+=' "$out/build-l2-$ver.log" >"$dir/env"
}

# Print the contract's L1 environment for kernel release $1, one NAME=value
# per line, from build output directory $2.
kvmintro_l1_env()
{
	local ver=$1 out=$2
	echo "KVMINTRO_KO=$out/$ver/kvmintro.ko"
	echo "KVMINTRO_BIN=$out/bin"
	echo "KVMINTRO_E2E=$KVMINTRO_REPO/tests/e2e"
	echo "KVMINTRO_KVER=$ver"
	echo "KVMINTRO_TMP=/tmp"
	[[ -f $out/l2/$ver/env ]] && cat "$out/l2/$ver/env"
	return 0
}

# The directories L1 must see for a test run from build output $1.
kvmintro_l1_shares()
{
	echo "$KVMINTRO_REPO:ro"
	echo "$1:ro"
	case $KVMINTRO_CACHE in /tmp/*) echo "$KVMINTRO_CACHE:ro" ;; esac
}
