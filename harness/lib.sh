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
#   KVMINTRO_L1_CPU       QEMU -cpu for L1, default max (arm64:
#                         max,pauth-impdef=on, see kvmintro_l1_boot)
#   KVMINTRO_L1_QEMU_ARGS extra QEMU options for L1 (split on white space)
#   KVMINTRO_L1_LOCKDOWN  integrity or confidentiality: boot L1 locked down,
#                         through UEFI with the test signing key in its db
#                         (x86; see "Lockdown" below)

KVMINTRO_HARNESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KVMINTRO_REPO=$(cd "$KVMINTRO_HARNESS_DIR/.." && pwd)
KVMINTRO_CACHE=${KVMINTRO_CACHE:-/var/cache/kvmintro}

# The kernel series the harness tests, oldest first (see kvmintro_series_info).
KVMINTRO_ALL_SERIES=(6.1 6.12 6.12-deb13 unstable)
# The arm64 series, oldest first: cross-built, booted under
# qemu-system-aarch64, named explicitly or all at once as "arm64" (not
# part of "all": harness/README.md, "arm64").
KVMINTRO_ARM64_SERIES=(6.1-arm64 6.12-arm64 6.12-deb13-arm64 unstable-arm64)
# The one a single arm64 L1 boots by default (harness/arm64-tests with no
# series, harness/l1-run arm64).
KVMINTRO_ARM64_DEFAULT=6.12-deb13-arm64

# Modules /init loads, in this order, with their dependencies before them
# (kvmintro_l1_base_modules; those built in are skipped: arm64's KVM
# always, virtio_pci and virtio_console, the job's hvc0, from 6.12 on).
KVMINTRO_L1_BASE_MODULES=(virtio_pci 9pnet_virtio 9p kvm_amd)
KVMINTRO_L1_BASE_MODULES_ARM64=(virtio_pci virtio_console 9pnet_virtio 9p)

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
# Kernel series and their build roots
#
# A series is what --kernels names.  Each is built in the minimal root
# (debootstrap --variant=minbase) of its own Debian suite, with that suite's
# compiler and headers, and each takes the newest release of its suite that
# matches its pattern (an ERE on the release, e.g. 6.12.118+deb12-amd64):
#
#   6.1         bookworm  Debian 12's 6.1
#   6.12        bookworm  Debian 12's 6.12 (bookworm-updates/-security, +deb12)
#   6.12-deb13  trixie    Debian 13's 6.12 (+deb13)
#   unstable    sid       the newest kernel unstable has, whatever its series
#   6.1-arm64, 6.12-arm64, 6.12-deb13-arm64, unstable-arm64
#               the same suites' kernels for arm64 (<version>-arm64),
#               built with the root's aarch64-linux-gnu cross compiler
#
# Nothing of this touches the host's own packages, /boot or boot loader:
# headers, compilers and images come only through the roots' own apt.

# Print "<suite> <release pattern>" of series $1; fail for an unknown one.
kvmintro_series_info()
{
	case $1 in
	6.1) echo 'bookworm 6\.1\.0-[0-9]+-amd64' ;;
	6.12) echo 'bookworm 6\.12\.[0-9]+\+deb12-amd64' ;;
	6.12-deb13) echo 'trixie 6\.12\.[0-9]+\+deb13-amd64' ;;
	unstable) echo 'sid [0-9]+\.[0-9]+(\.[0-9]+)?(-[0-9]+)?(\+deb[0-9]+)?-amd64' ;;
	6.1-arm64) echo 'bookworm 6\.1\.0-[0-9]+-arm64' ;;
	6.12-arm64) echo 'bookworm 6\.12\.[0-9]+\+deb12-arm64' ;;
	6.12-deb13-arm64) echo 'trixie 6\.12\.[0-9]+\+deb13-arm64' ;;
	unstable-arm64) echo 'sid [0-9]+\.[0-9]+(\.[0-9]+)?(-[0-9]+)?(\+deb[0-9]+)?-arm64' ;;
	*) return 1 ;;
	esac
}

# Print the suite of the build root that builds kernel release $1: that of
# the first series whose pattern matches it (unstable's matches any of its
# architecture: it comes last).
kvmintro_release_suite()
{
	local series suite pattern
	for series in "${KVMINTRO_ALL_SERIES[@]}" "${KVMINTRO_ARM64_SERIES[@]}"; do
		read -r suite pattern <<<"$(kvmintro_series_info "$series")"
		if [[ $1 =~ ^${pattern}$ ]]; then
			echo "$suite"
			return 0
		fi
	done
	kvmintro_die "kernel release '$1' belongs to no supported series"
}

# Print the Debian architecture of kernel release (or series) $1: arm64 for Debian's
# arm64 flavour (<version>-arm64), amd64 otherwise.
kvmintro_release_arch()
{
	case $1 in
	*-arm64) echo arm64 ;;
	*) echo amd64 ;;
	esac
}

# Print the package name $2 qualified for the architecture of kernel
# release $1 ("name:arm64" for a foreign one, "name" for amd64).
__kvmintro_pkg_arch()
{
	local arch
	arch=$(kvmintro_release_arch "$1")
	if [[ $arch == amd64 ]]; then
		echo "$2"
	else
		echo "$2:$arch"
	fi
}

# Print the make variables that cross-build for kernel release $1 (none
# for amd64).
kvmintro_cross_make_vars()
{
	case $(kvmintro_release_arch "$1") in
	arm64) echo ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- ;;
	esac
}

# The apt sources of a suite's build root.
__kvmintro_root_sources()
{
	local suite=$1 mirror security
	mirror=${KVMINTRO_MIRROR:-http://deb.debian.org/debian}
	security=${KVMINTRO_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
	echo "deb $mirror $suite main"
	case $suite in
	sid | unstable | experimental) ;;
	*)
		echo "deb $mirror $suite-updates main"
		echo "deb $security $suite-security main" ;;
	esac
}

kvmintro_root_dir()
{
	echo "$KVMINTRO_CACHE/roots/$1"
}

# Run "$@" chrooted into the build root of suite $1, with a minimal
# environment.  No mounts: for apt.
kvmintro_root_chroot()
{
	local root
	root=$(kvmintro_root_dir "$1")
	shift
	kvmintro_root_chroot_dir "$root" "$@"
}

kvmintro_root_chroot_dir()
{
	local root=$1
	shift
	kvmintro_as_root chroot "$root" /usr/bin/env -i \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# kvmintro_root_cmd <suite> <dir>... -- <command...>
#
# Set KVMINTRO_ROOT_CMD to a command line (for "${KVMINTRO_ROOT_CMD[@]}",
# timeout(1) and the like) that runs <command> chrooted into the build root
# of <suite>, with /proc mounted there (kbuild's objtool needs it) and each
# <dir> of the host bind-mounted at the same path.  The mounts live in a
# mount namespace of their own (unshare): they vanish with the command, even
# if it is killed, and the host never sees them.
kvmintro_root_cmd()
{
	local suite=$1 root
	local -a dirs=() sudo=()
	shift
	while (($#)) && [[ $1 != -- ]]; do
		dirs+=("$(cd "$1" && pwd)") || return 1
		shift
	done
	shift
	# Sorted, so that a directory is mounted before those inside it.
	((${#dirs[@]})) &&
		mapfile -t dirs < <(printf '%s\n' "${dirs[@]}" | LC_ALL=C sort -u)
	root=$(kvmintro_root_dir "$suite")
	[[ -f $root/.kvmintro-root ]] || kvmintro_die "no build root for $suite in $root"
	[[ $(id -u) -eq 0 ]] || sudo=(sudo)
	# shellcheck disable=SC2016 # expanded by the inner shell
	KVMINTRO_ROOT_CMD=("${sudo[@]}" unshare --mount --propagation private -- /bin/sh -c '
		root=$1 n=$2
		shift 2
		mount -t proc proc "$root/proc" || exit 125
		while [ "$n" -gt 0 ]; do
			mkdir -p "$root$1" && mount --bind "$1" "$root$1" || exit 125
			n=$((n - 1))
			shift
		done
		exec chroot "$root" "$@"' sh "$root" "${#dirs[@]}" "${dirs[@]}"
		/usr/bin/env -i
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
		HOME=/root LANG=C.UTF-8 "$@")
}

# kvmintro_root_run <suite> <dir>... -- <command...>: run it (see above).
kvmintro_root_run()
{
	kvmintro_root_cmd "$@" || return 1
	"${KVMINTRO_ROOT_CMD[@]}"
}

__kvmintro_root_create()
{
	local suite=$1 root tmp log
	root=$(kvmintro_root_dir "$suite")
	[[ -f $root/.kvmintro-root ]] && return 0
	kvmintro_need_cmd debootstrap unshare chroot
	mkdir -p "$KVMINTRO_CACHE/roots"
	tmp=$(mktemp -d "$KVMINTRO_CACHE/roots/.$suite.XXXXXX")
	log=$tmp.log
	kvmintro_log "creating the $suite build root in $root (debootstrap, about a minute)"
	if ! kvmintro_as_root debootstrap --variant=minbase \
		--include=make,gcc,libc6-dev,xz-utils \
		"$suite" "$tmp" "${KVMINTRO_MIRROR:-http://deb.debian.org/debian}" \
		>"$log" 2>&1; then
		tail -n 20 "$log" >&2
		kvmintro_as_root rm -rf "$tmp"
		kvmintro_die "debootstrap of $suite failed (log: $log)"
	fi
	__kvmintro_root_sources "$suite" >"$tmp/etc/apt/sources.list"
	__kvmintro_root_apt_conf >"$tmp/etc/apt/apt.conf.d/90kvmintro"
	kvmintro_root_chroot_dir "$tmp" apt-get clean
	rm -f "$log"
	rm -rf "$root"
	mv "$tmp" "$root"
	date -u +%s >"$root/.kvmintro-root"
	__kvmintro_root_update "$suite"
}

# The apt configuration of a build root.  Signatures are checked as
# always, but not the Release files' Valid-Until: a root only builds test
# modules, and the mirrors a test machine sees may serve a frozen snapshot
# (sid's expires within a week).
__kvmintro_root_apt_conf()
{
	printf '%s\n' 'APT::Install-Recommends "false";' 'Acquire::Languages "none";' \
		'APT::Sandbox::User "root";' 'Acquire::Check-Valid-Until "false";'
}

__kvmintro_root_update()
{
	local suite=$1 root
	root=$(kvmintro_root_dir "$suite")
	cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
	__kvmintro_root_apt_conf >"$root/etc/apt/apt.conf.d/90kvmintro"
	kvmintro_log "apt-get update in the $suite build root"
	if ! kvmintro_root_chroot "$suite" apt-get -q -o Dpkg::Use-Pty=0 update >&2; then
		compgen -G "$root/var/lib/apt/lists/*_Packages*" >/dev/null ||
			kvmintro_die "apt-get update failed in the $suite build root, which has no package lists"
		kvmintro_log "warning: apt-get update failed in the $suite build root; going on with its old package lists"
	fi
}

# Make sure the build root of suite $1 exists (create it once, cached).
kvmintro_root_ensure()
{
	[[ -f $(kvmintro_root_dir "$1")/.kvmintro-root ]] && return 0
	kvmintro_cache_locked __kvmintro_root_create "$1"
}

# Make the build root of suite $1 know the packages of Debian architecture
# $2 too (dpkg --add-architecture, then its lists): the arm64 kernel's
# headers and image come from there.  Once; under the cache lock.
__kvmintro_root_add_arch()
{
	local suite=$1 arch=$2
	__kvmintro_root_has_arch "$suite" "$arch" && return 0
	kvmintro_log "adding architecture $arch to the $suite build root"
	kvmintro_root_chroot "$suite" dpkg --add-architecture "$arch" || return 1
	__kvmintro_root_update "$suite"
}

__kvmintro_root_has_arch()
{
	[[ $2 == amd64 ]] ||
		kvmintro_root_chroot "$1" dpkg --print-foreign-architectures | grep -x "$2" >/dev/null
}

kvmintro_root_ensure_arch()
{
	kvmintro_root_ensure "$1"
	__kvmintro_root_has_arch "$1" "$2" && return 0
	kvmintro_cache_locked __kvmintro_root_add_arch "$1" "$2"
}

# Refresh the package lists of the build root of suite $1 when they are
# older than an hour (KVMINTRO_APT_UPDATE=never: not, always: always).
kvmintro_root_refresh()
{
	local suite=$1 lists
	kvmintro_root_ensure "$suite"
	lists=$(kvmintro_root_dir "$suite")/var/lib/apt/lists
	case ${KVMINTRO_APT_UPDATE:-auto} in
	never) return 0 ;;
	always) ;;
	*)
		compgen -G "$lists/*_Packages*" >/dev/null &&
		[[ -z $(find "$lists" -maxdepth 1 -name '*_Packages*' -mmin +60 -print -quit) ]] &&
			return 0 ;;
	esac
	kvmintro_cache_locked __kvmintro_root_update "$suite"
}

# ---------------------------------------------------------------------------
# Kernel versions

# A package the build root of suite $1 can download now.
__kvmintro_pkg_available()
{
	# No grep -q: with pipefail, an early exit would fail apt-cache (SIGPIPE).
	kvmintro_root_chroot "$1" apt-cache show --no-all-versions "$2" 2>/dev/null |
		grep '^Filename:' >/dev/null
}

# Print the packages that hold the image and modules of release $2 in suite
# $1: linux-image-<release>-unsigned (Debian 12, 13), or
# linux-binary-unsigned-<release> and linux-modules-<release> (unstable
# since the image was split), with linux-base-<release> (modules.builtin)
# when there is one.  Fail if neither can be downloaded.
kvmintro_image_packages()
{
	local suite=$1 ver=$2 image
	image=$(__kvmintro_pkg_arch "$ver" "linux-image-$ver-unsigned")
	if __kvmintro_pkg_available "$suite" "$image"; then
		echo "$image"
	elif __kvmintro_pkg_available "$suite" "linux-binary-unsigned-$ver" &&
	     __kvmintro_pkg_available "$suite" "linux-modules-$ver"; then
		echo -n "linux-binary-unsigned-$ver linux-modules-$ver"
		__kvmintro_pkg_available "$suite" "linux-base-$ver" &&
			echo -n " linux-base-$ver"
		echo
	else
		return 1
	fi
}

# Print the kernel release to test for series $1: the newest release of
# the series (by version, sort -V) whose headers and image its suite has.  The answer is kept in the cache until the root's
# package lists change (apt-cache is slow without a binary cache).
kvmintro_kver_resolve()
{
	local series=$1 var ver stamp memo memo_stamp suite pattern lists
	var="KVMINTRO_KVER_${series//[^0-9A-Za-z]/_}"
	var=${var^^}
	if [[ -n ${!var:-} ]]; then
		echo "${!var}"
		return 0
	fi
	read -r suite pattern <<<"$(kvmintro_series_info "$series")" ||
		kvmintro_die "unknown kernel series '$series'"
	kvmintro_root_ensure_arch "$suite" "$(kvmintro_release_arch "$series")"
	lists=$(kvmintro_root_dir "$suite")/var/lib/apt/lists
	stamp=$(stat -c '%n %Y %s' "$lists"/*_Packages* 2>/dev/null | sha256sum | cut -c1-16)
	memo=$KVMINTRO_CACHE/kver/$series@$suite
	if [[ -r $memo ]] && read -r memo_stamp ver <"$memo" && [[ $memo_stamp == "$stamp" ]]; then
		echo "$ver"
		return 0
	fi
	ver=$(__kvmintro_kver_resolve "$series" "$suite" "$pattern") || return 1
	if mkdir -p "${memo%/*}" 2>/dev/null; then
		echo "$stamp $ver" >"$memo.tmp" 2>/dev/null && mv "$memo.tmp" "$memo"
	fi
	echo "$ver"
}

# Print the releases of pattern $2 whose headers suite $1 has, newest first.
kvmintro_kver_candidates()
{
	local suite=$1 pattern=$2
	kvmintro_root_chroot "$suite" apt-cache pkgnames linux-headers- 2>/dev/null |
		sed -En "s/^linux-headers-(${pattern})\$/\\1/p" | sort -rV
}

__kvmintro_kver_resolve()
{
	local series=$1 suite=$2 pattern=$3 ver
	for ver in $(kvmintro_kver_candidates "$suite" "$pattern"); do
		if kvmintro_image_packages "$suite" "$ver" >/dev/null; then
			echo "$ver"
			return 0
		fi
	done
	kvmintro_log "error: no kernel of series $series (headers and image) in $suite's package lists"
	kvmintro_log "       run harness/install-deps (it refreshes them) or set KVMINTRO_KVER_${series//[^0-9A-Za-z]/_}"
	return 1
}

# Map a user-given list ("6.1,6.12", "unstable", "all", "") to series names.
# Aliases: 6.12-deb12 is 6.12, trixie is 6.12-deb13, sid and newest are
# unstable, and so is unstable's own series ("7.2" while it has 7.2; and
# "7.2-arm64" unstable-arm64); "arm64" is every arm64 series.
kvmintro_series_list()
{
	local spec=${1:-all} s seen=''
	spec=,${spec//[ ,]/,},
	# "all" is every x86 series; the arm64 ones are named (or "arm64").
	spec=${spec//,all,/,${KVMINTRO_ALL_SERIES[*]},}
	spec=${spec//,arm64,/,${KVMINTRO_ARM64_SERIES[*]},}
	for s in ${spec//,/ }; do
		case $s in
		6.1 | 6.12 | 6.12-deb13 | unstable) ;;
		6.1-arm64 | 6.12-arm64 | 6.12-deb13-arm64 | unstable-arm64) ;;
		6.12-deb12) s=6.12 ;;
		trixie | deb13) s=6.12-deb13 ;;
		sid | newest) s=unstable ;;
		*)
			if [[ $s =~ ^[0-9]+\.[0-9]+$ &&
			      $(kvmintro_kver_resolve unstable 2>/dev/null) == "$s".* ]]; then
				s=unstable
			elif [[ $s =~ ^[0-9]+\.[0-9]+-arm64$ &&
				$(kvmintro_kver_resolve unstable-arm64 2>/dev/null) == "${s%-arm64}".* ]]; then
				s=unstable-arm64
			fi ;;
		esac
		kvmintro_series_info "$s" >/dev/null ||
			kvmintro_die "bad kernel series '$s' (want one of: ${KVMINTRO_ALL_SERIES[*]} ${KVMINTRO_ARM64_SERIES[*]})"
		[[ " $seen " == *" $s "* ]] || echo "$s"
		seen+=" $s"
	done
}

# The headers of kernel release $1, a path inside its build root.
kvmintro_kdir()
{
	echo "/usr/src/linux-headers-$1"
}

__kvmintro_headers_install()
{
	local ver=$1 suite root deps tmp headers
	suite=$(kvmintro_release_suite "$ver")
	root=$(kvmintro_root_dir "$suite")
	[[ -f $root$(kvmintro_kdir "$ver")/.kvmintro-complete ]] && return 0
	headers=$(__kvmintro_pkg_arch "$ver" "linux-headers-$ver")
	# The headers package depends on an image (6.12) that a build root
	# does not need: install its other dependencies (the compiler it was
	# built with, kbuild, common headers) and unpack it by hand.  Those
	# of a foreign architecture's headers are taken for the root's own
	# (kbuild's programs must run here), but the compiler (gcc-N, or
	# gcc-N-for-host since 7.x): its cross compiler for that
	# architecture, with that libc for static programs.
	deps=$(kvmintro_root_chroot "$suite" apt-cache show --no-all-versions "$headers" |
		sed -n 's/^Depends: //p' | tr ',' '\n' |
		grep -vE '(^| )linux-(image|binary|modules)-' |
		sed -E 's/\(.*\)//; s/\|.*//; s/ //g' | grep . | tr '\n' ' ')
	case $(kvmintro_release_arch "$ver") in
	arm64)
		deps=$(sed -E 's/(^| )(gcc-[0-9]+)(-for-host)?( |$)/\1\2-aarch64-linux-gnu\4/' <<<"$deps")
		# perl: kernel-doc, which W=1 runs.
		deps+=" libc6-dev-arm64-cross perl" ;;
	esac
	kvmintro_log "installing linux-headers-$ver into the $suite build root (with: $deps)"
	# shellcheck disable=SC2086 # a list of package names
	kvmintro_root_chroot "$suite" apt-get install -y -q -o Dpkg::Use-Pty=0 $deps >&2 ||
		return 1
	kvmintro_root_chroot "$suite" apt-get clean
	tmp=/var/cache/kvmintro-fetch
	mkdir -p "$root$tmp"
	chmod 0777 "$root$tmp"
	# Only its usr/src: unpacked over / it would turn the root's merged-/usr
	# symbolic links (/lib) into directories.
	kvmintro_root_chroot "$suite" sh -c "cd $tmp && rm -rf ./*.deb x &&
		apt-get download -q $headers && dpkg-deb -x linux-headers-*.deb x &&
		cp -a x/usr/src/. /usr/src/ && rm -rf ./*.deb x" >&2 || return 1
	[[ -f $root$(kvmintro_kdir "$ver")/Makefile ]] || {
		kvmintro_log "error: no $(kvmintro_kdir "$ver")/Makefile in linux-headers-$ver"
		return 1
	}
	touch "$root$(kvmintro_kdir "$ver")/.kvmintro-complete"
}

# Install the headers of kernel release $1, and the compiler they name,
# into its build root (once).
kvmintro_headers_install()
{
	local suite
	suite=$(kvmintro_release_suite "$1")
	[[ -f $(kvmintro_root_dir "$suite")$(kvmintro_kdir "$1")/.kvmintro-complete ]] &&
		return 0
	kvmintro_root_ensure_arch "$suite" "$(kvmintro_release_arch "$1")"
	kvmintro_cache_locked __kvmintro_headers_install "$1"
}

# Print what builds kernel release $1: its root, headers and compiler versions.
kvmintro_toolchain_describe()
{
	local ver=$1 suite cc
	suite=$(kvmintro_release_suite "$ver")
	cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"$/\1/p' \
		"$(kvmintro_root_dir "$suite")$(kvmintro_kdir "$ver")/.config" 2>/dev/null)
	echo "root $suite, linux-headers-$ver $(kvmintro_root_chroot "$suite" \
		apt-cache show --no-all-versions "$(__kvmintro_pkg_arch "$ver" "linux-headers-$ver")" 2>/dev/null |
		sed -n 's/^Version: //p'), ${cc:-compiler unknown}"
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

# Unpack what the image packages of release $1 hold into the cache, in one
# layout whatever the packaging: boot/vmlinuz-<release> and
# lib/modules/<release>/.  Debian 12 and 13 ship linux-image-*-unsigned
# (boot/, lib/modules/ or usr/lib/modules/); unstable ships
# linux-binary-unsigned-<release> (usr/lib/modules/<release>/vmlinuz.unsigned)
# and linux-modules-<release>.
__kvmintro_kernel_fetch()
{
	local ver=$1 suite root dir tmp pkgs deb fetch=/var/cache/kvmintro-fetch
	dir=$(kvmintro_kernel_dir "$ver")
	[[ -f $dir/.complete ]] && return 0
	suite=$(kvmintro_release_suite "$ver")
	root=$(kvmintro_root_dir "$suite")
	pkgs=$(kvmintro_image_packages "$suite" "$ver") || {
		kvmintro_log "error: no image package of $ver in the $suite build root's lists"
		kvmintro_log "       stale package lists? run: harness/install-deps"
		return 1
	}
	kvmintro_log "fetching $pkgs into $dir"
	mkdir -p "$KVMINTRO_CACHE/kernels" "$root$fetch"
	# apt drops privileges to _apt for downloads; let it write here.
	chmod 0777 "$root$fetch"
	rm -f "$root$fetch"/*.deb
	if ! kvmintro_root_chroot "$suite" sh -c "cd $fetch && apt-get download -q $pkgs" >&2; then
		kvmintro_log "error: apt-get download $pkgs failed"
		kvmintro_log "       stale package lists? run: harness/install-deps"
		return 1
	fi
	tmp=$(mktemp -d "$KVMINTRO_CACHE/kernels/.fetch.XXXXXX")
	mkdir "$tmp/root"
	for deb in "$root$fetch"/*.deb; do
		dpkg-deb -x "$deb" "$tmp/root"
		rm -f "$deb"
	done
	(
		cd "$tmp/root" || exit 1
		mkdir -p boot lib/modules
		if [[ -d usr/lib/modules ]]; then
			cp -a usr/lib/modules/. lib/modules/
		fi
		if [[ ! -f boot/vmlinuz-$ver ]]; then
			for f in "lib/modules/$ver/vmlinuz.unsigned" "lib/modules/$ver/vmlinuz"; do
				[[ -f $f ]] && mv "$f" "boot/vmlinuz-$ver" && break
			done
		fi
		rm -rf usr
	)
	[[ -f $tmp/root/boot/vmlinuz-$ver && -d $tmp/root/lib/modules/$ver/kernel ]] || {
		rm -rf "$tmp"
		kvmintro_log "error: no vmlinuz or modules of $ver in $pkgs"
		return 1
	}
	# busybox insmod reads only plain .ko: decompress (6.12 ships .ko.xz).
	find "$tmp/root/lib/modules" -name '*.ko.xz' -print0 |
		xargs -0 -r -n 64 -P "$(nproc)" xz -d
	find "$tmp/root/lib/modules" -name '*.ko.zst' -print0 |
		xargs -0 -r -n 64 -P "$(nproc)" zstd -q -d --rm
	echo "$pkgs" >"$tmp/root/.packages"
	rm -rf "$dir"
	mv "$tmp/root" "$dir"
	rmdir "$tmp"
	touch "$dir/.complete"
}

# Download and unpack the unsigned image and modules of kernel release $1
# (cached), through its build root's apt.
kvmintro_kernel_fetch()
{
	[[ -f $(kvmintro_kernel_dir "$1")/.complete ]] && return 0
	kvmintro_need_cmd dpkg-deb xz flock
	kvmintro_root_ensure "$(kvmintro_release_suite "$1")"
	kvmintro_cache_locked __kvmintro_kernel_fetch "$1"
}

# ---------------------------------------------------------------------------
# Debug vmlinux (crash and drgn read the guest's core with it)
#
# The kernel image with its DWARF is Debian's linux-image-<release>-dbg
# (about 860 MB for 6.1).  Only its vmlinux is kept, in
# $KVMINTRO_CACHE/debug/<release>/vmlinux-<release>: the package is
# downloaded through the release's build root, never installed anywhere,
# and unpacked with dpkg-deb --fsys-tarfile | tar.  One series is enough
# for the tests that need it: KVMINTRO_VMLINUX_SERIES (default 6.1,
# comma-separated, "none" for no download).

kvmintro_vmlinux_debug()
{
	echo "$KVMINTRO_CACHE/debug/$1/vmlinux-$1"
}

# Succeed when the debug vmlinux of release $1 is wanted: its release is
# that of a series named in KVMINTRO_VMLINUX_SERIES.
kvmintro_vmlinux_wanted()
{
	local series suite pattern list=${KVMINTRO_VMLINUX_SERIES:-6.1}
	[[ $list == none ]] && return 1
	for series in ${list//,/ }; do
		read -r suite pattern <<<"$(kvmintro_series_info "$series")" || continue
		[[ -n $pattern && $1 =~ ^${pattern}$ ]] && return 0
	done
	return 1
}

# Print the banner ("Linux version ...") of kernel image $1, a bzImage
# whose payload is xz, zstd or gzip (Debian's are xz up to 6.12).
kvmintro_vmlinuz_banner()
{
	local f=$1 off
	off=$(grep -abo -m1 $'\xfd7zXZ\x00' "$f" | head -n1 | cut -d: -f1)
	if [[ -n $off ]]; then
		tail -c +$((off + 1)) "$f" | xz -dc --single-stream 2>/dev/null |
			grep -a -o -m1 'Linux version [^%]*' | head -n1
		return 0
	fi
	off=$(grep -abo -m1 $'\x28\xb5\x2f\xfd' "$f" | head -n1 | cut -d: -f1)
	if [[ -n $off ]]; then
		tail -c +$((off + 1)) "$f" | zstd -dc 2>/dev/null |
			grep -a -o -m1 'Linux version [^%]*' | head -n1
		return 0
	fi
	off=$(grep -abo -m1 $'\x1f\x8b\x08' "$f" | head -n1 | cut -d: -f1)
	[[ -n $off ]] || return 1
	tail -c +$((off + 1)) "$f" | gzip -dc 2>/dev/null |
		grep -a -o -m1 'Linux version [^%]*' | head -n1
}

# The Debian package version of a banner's build ("... Debian 6.1.192-3 (date)").
__kvmintro_banner_version()
{
	sed -n 's/.* Debian \([^ ]*\) (.*/\1/p' <<<"$1"
}

__kvmintro_vmlinux_fetch()
{
	local ver=$1 suite root banner debver pkg dest tmp deb
	local fetch=/var/cache/kvmintro-fetch-debug
	dest=$(kvmintro_vmlinux_debug "$ver")
	[[ -f $dest ]] && return 0
	# The debug package must be the very build L1 and L2 boot: its
	# version is the one the cached image's banner gives.
	banner=$(kvmintro_vmlinuz_banner "$(kvmintro_vmlinuz "$ver")")
	debver=$(__kvmintro_banner_version "$banner")
	[[ -n $debver ]] || {
		kvmintro_log "error: no Debian version in the banner of $(kvmintro_vmlinuz "$ver"): '$banner'"
		return 1
	}
	pkg=linux-image-$ver-dbg
	suite=$(kvmintro_release_suite "$ver")
	root=$(kvmintro_root_dir "$suite")
	kvmintro_log "fetching $pkg=$debver (about 1 GB) for its vmlinux into $(dirname "$dest")"
	mkdir -p "$root$fetch"
	chmod 0777 "$root$fetch"
	rm -f "$root$fetch"/*.deb
	if ! kvmintro_root_chroot "$suite" sh -c "cd $fetch && apt-get download -q $pkg=$debver" >&2; then
		kvmintro_log "error: apt-get download $pkg=$debver failed (the archive moved on? run harness/install-deps, which fetches the newest kernel)"
		return 1
	fi
	deb=$(compgen -G "$root$fetch/${pkg}_*.deb" | head -n1)
	mkdir -p "$KVMINTRO_CACHE/debug"
	tmp=$(mktemp -d "$KVMINTRO_CACHE/debug/.fetch.XXXXXX")
	if ! dpkg-deb --fsys-tarfile "$deb" |
	     tar -x -C "$tmp" "./usr/lib/debug/boot/vmlinux-$ver"; then
		rm -rf "$tmp" "$deb"
		kvmintro_log "error: no usr/lib/debug/boot/vmlinux-$ver in $deb"
		return 1
	fi
	rm -f "$deb"
	if [[ $(grep -a -o -m1 'Linux version [^%]*' "$tmp/usr/lib/debug/boot/vmlinux-$ver" | head -n1) != "$banner" ]]; then
		rm -rf "$tmp"
		kvmintro_log "error: the banner of $pkg's vmlinux is not the image's: $banner"
		return 1
	fi
	mkdir -p "$(dirname "$dest")"
	mv "$tmp/usr/lib/debug/boot/vmlinux-$ver" "$dest"
	rm -rf "$tmp"
	kvmintro_log "cached $dest ($pkg $debver)"
}

# Fetch (once) the debug vmlinux of kernel release $1 and print its path.
# Under a lock of its own: the download takes minutes, and the other
# fetches (cache_locked) need not wait for it.
kvmintro_vmlinux_fetch()
{
	local dest
	dest=$(kvmintro_vmlinux_debug "$1")
	if [[ ! -f $dest ]]; then
		kvmintro_need_cmd dpkg-deb tar xz flock
		kvmintro_kernel_fetch "$1" >&2 || return 1
		kvmintro_root_ensure "$(kvmintro_release_suite "$1")" >&2 || return 1
		kvmintro_cache_init
		(
			flock 9
			__kvmintro_vmlinux_fetch "$1" >&2
		) 9>"$KVMINTRO_CACHE/.lock-debug" || return 1
	fi
	echo "$dest"
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

# Print the modules L1 of kernel release $1 loads at boot, by name.
kvmintro_l1_base_modules()
{
	case $(kvmintro_release_arch "$1") in
	arm64) echo "${KVMINTRO_L1_BASE_MODULES_ARM64[*]} ${KVMINTRO_L1_MODULES:-}" ;;
	*) echo "${KVMINTRO_L1_BASE_MODULES[*]} ${KVMINTRO_L1_MODULES:-}" ;;
	esac
}

# Print the static busybox of Debian architecture $2, from the build root
# of suite $1 (busybox-static:<arch>, downloaded once into the cache,
# never installed); the host's own for amd64.
kvmintro_busybox()
{
	local suite=$1 arch=$2 dir
	if [[ $arch == amd64 ]]; then
		command -v busybox ||
			kvmintro_die "busybox not found: run harness/install-deps first"
		return
	fi
	dir=$KVMINTRO_CACHE/busybox/$arch
	if [[ ! -x $dir/bin/busybox ]]; then
		kvmintro_root_ensure_arch "$suite" "$arch" >&2
		kvmintro_cache_locked __kvmintro_busybox_fetch "$suite" "$arch" "$dir" >&2 ||
			kvmintro_die "cannot fetch busybox-static:$arch"
	fi
	echo "$dir/bin/busybox"
}

__kvmintro_busybox_fetch()
{
	local suite=$1 arch=$2 dir=$3 root tmp fetch=/var/cache/kvmintro-fetch-busybox
	[[ -x $dir/bin/busybox ]] && return 0
	root=$(kvmintro_root_dir "$suite")
	mkdir -p "$root$fetch"
	chmod 0777 "$root$fetch"
	rm -f "$root$fetch"/*.deb
	kvmintro_root_chroot "$suite" sh -c "cd $fetch && apt-get download -q busybox-static:$arch" ||
		return 1
	tmp=$(mktemp -d "$KVMINTRO_CACHE/.busybox.XXXXXX")
	dpkg-deb -x "$root$fetch"/busybox-static_*.deb "$tmp"
	rm -f "$root$fetch"/*.deb
	mkdir -p "$dir/bin"
	# /bin/busybox up to Debian 12, /usr/bin/busybox since.
	mv "$tmp/usr/bin/busybox" "$dir/bin/busybox" 2>/dev/null ||
		mv "$tmp/bin/busybox" "$dir/bin/busybox" || { rm -rf "$tmp"; return 1; }
	rm -rf "$tmp"
}

# Print the busybox L1's initramfs of kernel release $1 runs.
kvmintro_l1_busybox()
{
	kvmintro_busybox "$(kvmintro_release_suite "$1")" "$(kvmintro_release_arch "$1")"
}

__kvmintro_initrd_build()
{
	local ver=$1 out=$2 busybox=$3 moddir tmp m
	moddir="$(kvmintro_kernel_dir "$ver")/lib/modules/$ver"
	tmp=$(mktemp -d "$KVMINTRO_CACHE/initrd/.build.XXXXXX")
	mkdir -p "$tmp/bin" "$tmp/modules" "$tmp/dev" "$tmp/proc" "$tmp/sys" "$tmp/host"
	cp "$busybox" "$tmp/bin/busybox"
	cp "$KVMINTRO_HARNESS_DIR/l1-init.sh" "$tmp/init"
	chmod 0755 "$tmp/init" "$tmp/bin/busybox"
	if [[ $(kvmintro_release_arch "$ver") != amd64 ]]; then
		# The job runs here, not in the L0 root: "bash" is busybox's sh
		# (which has no --norc: l1-run's shell asks for it).
		printf '#!/bin/sh\n[ "$1" = --norc ] && shift\nexec /bin/sh "$@"\n' >"$tmp/bin/bash"
		chmod 0755 "$tmp/bin/bash"
	fi
	# shellcheck disable=SC2046 # word splitting of the module list is intended
	kvmintro_module_closure "$ver" $(kvmintro_l1_base_modules "$ver") \
		>"$tmp/modules.list" || {
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
# init script, busybox, module list or the builder itself changed.
kvmintro_initrd()
{
	local ver=$1 key out busybox
	kvmintro_need_cmd cpio gzip strings
	busybox=$(kvmintro_l1_busybox "$ver") || return 1
	key=$( { cat "$KVMINTRO_HARNESS_DIR/l1-init.sh" "$busybox"
		 declare -f __kvmintro_initrd_build
		 kvmintro_l1_base_modules "$ver"; } |
		sha256sum | cut -c1-12)
	out="$KVMINTRO_CACHE/initrd/$ver-$key.cpio.gz"
	if [[ ! -f $out ]]; then
		mkdir -p "$KVMINTRO_CACHE/initrd"
		kvmintro_cache_locked __kvmintro_initrd_build "$ver" "$out" "$busybox" >&2
	fi
	echo "$out"
}

# ---------------------------------------------------------------------------
# Lockdown
#
# An L1 booted with lockdown=integrity, as a Secure Boot host is, loads
# only modules signed with a key it trusts.  The harness makes a throwaway
# key once (<cache>/lockdown: signing_key.pem, its certificate
# signing_key.x509) and a UEFI variable store with that certificate in the
# signature database db; L1 then boots through OVMF with that store, and
# Debian's kernels add db's certificates to their platform keyring, which
# they trust for modules, as on a host whose owner enrolled a key.  Secure
# Boot itself stays off (QEMU hands OVMF the kernel): only the key is the
# firmware's.  OVMF and virt-fw-vars (python3-virt-firmware, Debian 13 on)
# come from the build root of KVMINTRO_LOCKDOWN_ROOT_SUITE.

KVMINTRO_LOCKDOWN_ROOT_SUITE=trixie
# The x86 series whose L1 boots locked down in run-tests (both passes, the
# tests on /proc/kvmintro): overridden by KVMINTRO_LOCKDOWN ("none": none).
KVMINTRO_LOCKDOWN_SERIES=(6.12-deb13 unstable)
KVMINTRO_LOCKDOWN_PACKAGES=(ovmf python3-virt-firmware)
KVMINTRO_LOCKDOWN_KEY_CN="kvmintro test signing key"

kvmintro_lockdown_dir()
{
	echo "$KVMINTRO_CACHE/lockdown"
}

__kvmintro_lockdown_create()
{
	local dir root tmp
	dir=$(kvmintro_lockdown_dir)
	[[ -f $dir/.done ]] && return 0
	kvmintro_need_cmd openssl
	root=$(kvmintro_root_dir "$KVMINTRO_LOCKDOWN_ROOT_SUITE")
	mkdir -p "$root/tmp"
	tmp=$(mktemp -d "$root/tmp/kvmintro-lockdown.XXXXXX")
	# As the kernel's certs/default_x509.genkey makes a module signing key.
	openssl req -new -x509 -newkey rsa:2048 -sha256 -nodes -days 36500 \
		-subj "/CN=$KVMINTRO_LOCKDOWN_KEY_CN/" \
		-addext basicConstraints=critical,CA:FALSE \
		-addext keyUsage=digitalSignature \
		-addext extendedKeyUsage=codeSigning \
		-outform DER -out "$tmp/signing_key.x509" \
		-keyout "$tmp/signing_key.pem" 2>"$tmp/openssl.log" || {
		cat "$tmp/openssl.log" >&2
		rm -rf "$tmp"
		return 1
	}
	cp "$root/usr/share/OVMF/OVMF_CODE_4M.fd" "$tmp/" &&
	kvmintro_root_chroot "$KVMINTRO_LOCKDOWN_ROOT_SUITE" virt-fw-vars \
		--input /usr/share/OVMF/OVMF_VARS_4M.fd \
		--output "/tmp/${tmp##*/}/OVMF_VARS_4M.fd" \
		--add-db 7e1b4e5c-6f0c-4b6b-9d41-6b766d696e74 \
		"/tmp/${tmp##*/}/signing_key.x509" >"$tmp/virt-fw-vars.log" 2>&1 || {
		cat "$tmp/virt-fw-vars.log" >&2
		rm -rf "$tmp"
		return 1
	}
	rm -f "$tmp/openssl.log" "$tmp/virt-fw-vars.log"
	rm -rf "$dir"
	mv "$tmp" "$dir"
	touch "$dir/.done"
}

# Make the key and the firmware (once, cached): needs the build root of
# KVMINTRO_LOCKDOWN_ROOT_SUITE with KVMINTRO_LOCKDOWN_PACKAGES (install-deps).
kvmintro_lockdown_ensure()
{
	[[ -f $(kvmintro_lockdown_dir)/.done ]] && return 0
	kvmintro_log "making the lockdown test key and UEFI variables in $(kvmintro_lockdown_dir)"
	kvmintro_cache_locked __kvmintro_lockdown_create
}

# Print the x86 series run-tests boots locked down, one per line.
kvmintro_lockdown_series()
{
	local spec=${KVMINTRO_LOCKDOWN-}
	[[ -n $spec ]] || spec=$(IFS=,; echo "${KVMINTRO_LOCKDOWN_SERIES[*]}")
	[[ $spec == none ]] && return 0
	kvmintro_series_list "$spec"
}

# QEMU options that boot L1 of run directory $1 through OVMF with the
# enrolled variable store (a fresh copy per boot: OVMF writes to it).
__kvmintro_lockdown_qemu_args()
{
	local rundir=$1 dir
	dir=$(kvmintro_lockdown_dir)
	[[ -f $dir/.done ]] ||
		kvmintro_die "no lockdown key and firmware in $dir: run harness/install-deps"
	cp "$dir/OVMF_VARS_4M.fd" "$rundir/uefi-vars.fd" || return 1
	printf '%s\n' -drive "if=pflash,format=raw,unit=0,readonly=on,file=${dir//,/,,}/OVMF_CODE_4M.fd" \
		-drive "if=pflash,format=raw,unit=1,file=${rundir//,/,,}/uefi-vars.fd"
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
# to 5 attempts: a test that deadlocks L1 does so every time and fails.)
# Before stopping it, RUNDIR/hung-cpu gets what QEMU's monitor says of L1's
# vcpus, three times 2 s apart: halted, in L1, or in an L2 guest.
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
			__kvmintro_l1_monitor "$rundir" "info cpus" "info registers" \
				"info lapic" >"$rundir/hung-cpu" 2>&1
			kill -TERM "$tpid" 2>/dev/null
			return 0
		fi
	done
}

# __kvmintro_l1_monitor RUNDIR COMMAND...: the answers of the monitor of
# L1's QEMU (job mode: FIFOs RUNDIR/monitor.in and .out) to each COMMAND,
# three times, 2 s apart.
__kvmintro_l1_monitor()
{
	local rundir=$1 round command
	shift
	[[ -p $rundir/monitor.in && -p $rundir/monitor.out ]] || return 0
	for round in 1 2 3; do
		echo "== sample $round, $(date +%T)"
		for command in "$@"; do
			echo "$command" >"$rundir/monitor.in"
		done
		# QEMU holds both ends open: read what came, stop when none comes.
		timeout 2 cat "$rundir/monitor.out" | tr -d '\r' |
			sed 's/\x1b\[[0-9;]*[A-Za-z]//g' | grep -v '^(qemu)'
	done
}

# The hard limit for one L1 boot, in seconds: KVMINTRO_L1_TIMEOUT, by
# default 1800 (a guard against a hang; harness/README.md).
kvmintro_l1_timeout()
{
	echo "${KVMINTRO_L1_TIMEOUT:-1800}"
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
	local vmlinuz initrd share path access tag n=0 rc cmdline console
	local -a qemu shares_lines

	kvmintro_need_cmd timeout
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
	case $(kvmintro_release_arch "$ver") in
	arm64)
		# EL2 emulated (virtualization=on): KVM runs in L1.  The job
		# runs in the initramfs (L0's programs are x86) and writes to
		# a virtio console, the kernel to the PL011.
		kvmintro_need_cmd qemu-system-aarch64
		# Pointer authentication with QEMU's implementation-defined
		# algorithm: the architected QARMA5 costs TCG dearly on every
		# signed return of a Debian kernel (PTR_AUTH_KERNEL), and the
		# kernel and KVM see the same feature either way.
		qemu=(qemu-system-aarch64 -M virt,virtualization=on,gic-version=3
			-accel "${KVMINTRO_L1_ACCEL:-tcg,thread=single}"
			-cpu "${KVMINTRO_L1_CPU:-max,pauth-impdef=on}"
			-device virtio-serial-pci)
		console=ttyAMA0
		cmdline="console=ttyAMA0 kvmintro.root=initramfs kvmintro.console=ttyAMA0 kvmintro.out=hvc0"
		;;
	*)
		kvmintro_need_cmd qemu-system-x86_64
		qemu=(qemu-system-x86_64 -accel "${KVMINTRO_L1_ACCEL:-tcg,thread=single}"
			-cpu "${KVMINTRO_L1_CPU:-max}"
			-virtfs "local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap")
		console=ttyS0
		cmdline="console=ttyS0,115200"
		;;
	esac
	qemu+=(-m "${KVMINTRO_L1_MEM:-2G}" -smp "${KVMINTRO_L1_SMP:-2}"
		-nodefaults -no-user-config -display none -no-reboot
		-kernel "$vmlinuz" -initrd "$initrd"
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
	cmdline+=" loglevel=$loglevel panic=-1 kvmintro.mode=$mode"
	cmdline+=" slub_debug=${KVMINTRO_L1_SLUB_DEBUG-FZU}"
	cmdline+=" ${KVMINTRO_L1_CMDLINE:-}"
	if [[ -n ${KVMINTRO_L1_LOCKDOWN:-} ]]; then
		[[ $console == ttyS0 ]] ||
			kvmintro_die "KVMINTRO_L1_LOCKDOWN: x86 L1 only"
		cmdline+=" lockdown=$KVMINTRO_L1_LOCKDOWN"
		mapfile -t -O "${#qemu[@]}" qemu < <(__kvmintro_lockdown_qemu_args "$rundir")
	fi
	if [[ $console == ttyAMA0 ]]; then
		# One UART: the job's output goes to the virtio console hvc0.
		qemu+=(-chardev "file,id=kvmintro-out,path=$rundir/out.log"
			-device virtconsole,chardev=kvmintro-out)
		if [[ $mode == shell ]]; then
			qemu+=(-serial mon:stdio)
		else
			qemu+=(-serial "file:$rundir/console.log")
		fi
	elif [[ $mode == shell ]]; then
		qemu+=(-serial mon:stdio -serial "file:$rundir/out.log")
	else
		qemu+=(-serial "file:$rundir/console.log" -serial "file:$rundir/out.log")
	fi
	# In job mode the monitor is on two FIFOs, for the watchdog.
	if [[ $mode != shell ]]; then
		rm -f "$rundir/monitor.in" "$rundir/monitor.out" "$rundir/hung-cpu"
		mkfifo "$rundir/monitor.in" "$rundir/monitor.out"
		qemu+=(-chardev "pipe,id=kvmintro-mon,path=${rundir//,/,,}/monitor"
			-mon chardev=kvmintro-mon,mode=readline)
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
	timeout -k 10 "$(kvmintro_l1_timeout)" "${qemu[@]}" </dev/null &
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

# Build kvmintro.ko for kernel release $1 into <out>/<release>/, in the
# release's build root, with its headers and compiler; "sign" as $3: signed
# with the lockdown test key (make sign).
kvmintro_build_module()
{
	local ver=$1 out=$2 sign=${3:-} keys
	local -a target=(module) dirs=("$KVMINTRO_REPO" "$out")
	if [[ $sign == sign ]]; then
		# make sign: the lockdown test key (see "Lockdown").
		kvmintro_lockdown_ensure || return 1
		keys=$(kvmintro_lockdown_dir)
		target=(sign SIGN_KEY="$keys/signing_key.pem" SIGN_CERT="$keys/signing_key.x509")
		dirs+=("$keys")
	fi
	# shellcheck disable=SC2046 # none, or ARCH= and CROSS_COMPILE=
	kvmintro_root_cmd "$(kvmintro_release_suite "$ver")" "${dirs[@]}" -- \
		make -C "$KVMINTRO_REPO" -j"$(nproc)" "${target[@]}" \
		KDIR="$(kvmintro_kdir "$ver")" MODULE_BUILD_DIR="$out/$ver" \
		$(kvmintro_cross_make_vars "$ver") || return 1
	__kvmintro_logged "$out/build-module-$ver.log" "${KVMINTRO_ROOT_CMD[@]}" || return 1
	[[ -f $out/$ver/kvmintro.ko ]] || {
		echo "# make module succeeded but $out/$ver/kvmintro.ko is missing"
		return 1
	}
}

# Print the C compiler kernel release $1 was built with, as its headers'
# configuration names it (aarch64-linux-gnu-gcc-14), as a cross compiler
# for an arm64 release (Debian 12's 6.1 was built natively and names
# gcc-12: aarch64-linux-gnu-gcc-12): the one that builds the static
# programs of a cross-built L1.
kvmintro_kernel_cc()
{
	local cc
	cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*\) .*/\1/p' \
		"$(kvmintro_root_dir "$(kvmintro_release_suite "$1")")$(kvmintro_kdir "$1")/.config")
	[[ -n $cc && $(kvmintro_release_arch "$1") == arm64 ]] &&
		cc=aarch64-linux-gnu-${cc#aarch64-linux-gnu-}
	echo "$cc"
}

# Print why kvmintro cannot load on kernel release $1, as its headers'
# configuration shows, or nothing.  kvmintro resolves what KVM does not
# export through kallsyms, found through a kprobe: it needs CONFIG_KPROBES
# and CONFIG_KALLSYMS (introspect/symbols.c).
kvmintro_kernel_unsupported()
{
	local config option
	config=$(kvmintro_root_dir "$(kvmintro_release_suite "$1")")$(kvmintro_kdir "$1")/.config
	for option in CONFIG_KPROBES CONFIG_KALLSYMS; do
		grep -qx "$option=y" "$config" || echo "$option is not set: kvmintro cannot resolve KVM's symbols"
	done
	return 0
}

# Build the static programs of the arm64 end-to-end tests (tests/e2e/arm64),
# the architecture-neutral C tests of tests/e2e (with the test VMM's aarch64
# library), the CLI and bench/'s L1 programs (which bench/run builds again
# for itself: here, so that every run checks that they build) for kernel
# release $1, with its compiler, into <out>/programs/<release>.
kvmintro_build_cross_programs()
{
	local ver=$1 out=$2 cc
	cc=$(kvmintro_kernel_cc "$ver")
	[[ -n $cc ]] || { echo "# no compiler named in the headers of $ver"; return 1; }
	kvmintro_root_cmd "$(kvmintro_release_suite "$ver")" "$KVMINTRO_REPO" "$out" -- \
		sh -c 'make -C "$1/tests/e2e/arm64" CC="$2" OUT="$3" &&
			make -C "$1/tests/e2e" CC="$2" OUT="$3" CFLAGS_EXTRA=-static &&
			make -C "$1/debugfs-tools" CC="$2" OUT="$3" CFLAGS_EXTRA=-static &&
			make -C "$1/bench" l1 CC="$2" OUT="$3/bench"' \
		sh "$KVMINTRO_REPO" "$cc" "$(kvmintro_programs_dir "$ver" "$out")" || return 1
	__kvmintro_logged "$out/build-programs-$ver.log" "${KVMINTRO_ROOT_CMD[@]}"
}

# Where the L1 programs for kernel release $1 are: those built by the
# compiler of its own Debian release; cross-built, per release.
kvmintro_programs_dir()
{
	if [[ $(kvmintro_release_arch "$1") == amd64 ]]; then
		echo "$2/programs/$(kvmintro_release_suite "$1")"
	else
		echo "$2/programs/$1"
	fi
}

# Build the static programs that run in L1 (tests, testvmm, CLI) in the
# build root of suite $1, with its compiler and its kernel UAPI headers,
# into <out>/programs/<suite>.
kvmintro_build_programs()
{
	local suite=$1 out=$2
	kvmintro_root_cmd "$suite" "$KVMINTRO_REPO" "$out" -- \
		make -C "$KVMINTRO_REPO" -j"$(nproc)" test-programs \
		OUT="$out/programs/$suite" || return 1
	__kvmintro_logged "$out/build-programs-$suite.log" "${KVMINTRO_ROOT_CMD[@]}"
}

# Build the guest side of the hypercall (guest/: gpa_hpa.ko for kernel
# release $1, gpa_hpa_demo) into <out>/guest/<release>/, in the release's
# build root.
kvmintro_build_guest()
{
	local ver=$1 out=$2
	local -a cross=()
	# shellcheck disable=SC2207 # ARCH= and CROSS_COMPILE=
	[[ $(kvmintro_release_arch "$ver") == arm64 ]] &&
		cross=($(kvmintro_cross_make_vars "$ver") CC="$(kvmintro_kernel_cc "$ver")")
	kvmintro_root_cmd "$(kvmintro_release_suite "$ver")" "$KVMINTRO_REPO" "$out" -- \
		make -C "$KVMINTRO_REPO/guest" -j"$(nproc)" all \
		KDIR="$(kvmintro_kdir "$ver")" BUILD_DIR="$out/guest/$ver" "${cross[@]}" || return 1
	__kvmintro_logged "$out/build-guest-$ver.log" "${KVMINTRO_ROOT_CMD[@]}"
}

# Print the kernel release the real-QEMU L2 guest boots in an L1 of kernel
# release $1: L1's own, except unstable's (7.2 when written), whose kernel
# crashes early as a KVM guest of the emulated CPU (its XSAVE sizes do not
# add up, 7.2 turns XSAVE off and then oopses in fpstate_reset(); the same
# under a 6.12 L1, so not the host's KVM): there L2 boots Debian 13's 6.12.
# kvmintro runs on the host side (L1) either way.
kvmintro_l2_release()
{
	if [[ $(kvmintro_release_suite "$1") == sid ]]; then
		kvmintro_kver_resolve 6.12-deb13
	else
		echo "$1"
	fi
}

# Build the real-QEMU L2 guest for an L1 of kernel release $1
# (harness/l2-guest/build) into <out>/l2/<release>/ and write the variables
# it prints to env there.  The L2 kernel is kvmintro_l2_release()'s: the
# guest side of the hypercall built for it goes in as /extra/gpa_hpa.ko
# (not loaded at boot) and /bin/gpa_hpa_demo.
kvmintro_build_l2()
{
	local ver=$1 out=$2 dir l2ver vmlinux
	dir=$out/l2/$ver
	[[ -x $KVMINTRO_HARNESS_DIR/l2-guest/build ]] || return 0
	l2ver=$(kvmintro_l2_release "$ver") || return 1
	if [[ $l2ver != "$ver" ]]; then
		kvmintro_headers_install "$l2ver" >&2 || return 1
		kvmintro_kernel_fetch "$l2ver" >&2 || return 1
	fi
	kvmintro_build_guest "$l2ver" "$out" || return 1
	mkdir -p "$dir"
	__kvmintro_logged "$out/build-l2-$ver.log" \
		"$KVMINTRO_HARNESS_DIR/l2-guest/build" \
		--extra "$out/guest/$l2ver/gpa_hpa.ko:/extra/gpa_hpa.ko" \
		--extra "$out/guest/$l2ver/gpa_hpa_demo:/bin/gpa_hpa_demo" \
		"$dir" "$(kvmintro_vmlinuz "$l2ver")" ||
		return 1
	grep -E '^KVMINTRO_L2_[A-Z_]+=' "$out/build-l2-$ver.log" >"$dir/env"
	# crash and drgn read the guest's core with its kernel's debug
	# vmlinux: KVMINTRO_L2_VMLINUX, for the series that fetch one.
	if kvmintro_vmlinux_wanted "$l2ver"; then
		vmlinux=$(kvmintro_vmlinux_fetch "$l2ver") || return 1
		echo "KVMINTRO_L2_VMLINUX=$vmlinux" >>"$dir/env"
	fi
	echo "$l2ver" >"$dir/release"
}

# Print the contract's L1 environment for kernel release $1, one NAME=value
# per line, from build output directory $2.
kvmintro_l1_env()
{
	local ver=$1 out=$2
	echo "KVMINTRO_KO=$out/$ver/kvmintro.ko"
	echo "KVMINTRO_BIN=$(kvmintro_programs_dir "$ver" "$out")"
	echo "KVMINTRO_E2E=$KVMINTRO_REPO/tests/e2e"
	echo "KVMINTRO_KVER=$ver"
	echo "KVMINTRO_TMP=/tmp"
	[[ -f $out/l2/$ver/env ]] && cat "$out/l2/$ver/env"
	# A build root whose crash reads cores of Linux >= 6.1 (install-deps).
	[[ -x $(kvmintro_root_dir trixie)/usr/bin/crash ]] &&
		echo "KVMINTRO_CRASH_ROOT=$(kvmintro_root_dir trixie)"
	return 0
}

# The directories L1 must see for a test run from build output $1.
kvmintro_l1_shares()
{
	echo "$KVMINTRO_REPO:ro"
	echo "$1:ro"
	case $KVMINTRO_CACHE in /tmp/*) echo "$KVMINTRO_CACHE:ro" ;; esac
}

# Build the test-only kernel modules of the arm64 end-to-end tests
# (tests/e2e/arm64/kmod: s2_swbit.ko) for kernel release $1, beside its
# static programs (kvmintro_programs_dir), where the tests find them.
kvmintro_build_arm64_test_modules()
{
	local ver=$1 out=$2 dir
	dir=$(kvmintro_programs_dir "$ver" "$out")/kmod
	# shellcheck disable=SC2046 # ARCH= and CROSS_COMPILE=
	kvmintro_root_cmd "$(kvmintro_release_suite "$ver")" "$KVMINTRO_REPO" "$out" -- \
		sh -c 'src=$1 dir=$2 kdir=$3 && shift 3 && rm -rf "$dir" &&
			mkdir -p "$dir" && cp "$src"/Kbuild "$src"/*.c "$dir"/ &&
			make -C "$kdir" M="$dir" "$@" modules' \
		sh "$KVMINTRO_REPO/tests/e2e/arm64/kmod" "$dir" "$(kvmintro_kdir "$ver")" \
		$(kvmintro_cross_make_vars "$ver") || return 1
	__kvmintro_logged "$out/build-test-modules-$ver.log" "${KVMINTRO_ROOT_CMD[@]}"
}

# ---------------------------------------------------------------------------
# A real QEMU in an L1 of another architecture (arm64)
#
# The arm64 L1 runs from its initramfs (busybox), and qemu-system-aarch64
# is a dynamic arm64 program: Debian's qemu-system-arm:<arch> and its
# dependency closure, resolved in a build root's lists as if nothing were
# installed, downloaded there and unpacked with dpkg-deb (never installed,
# none of it run on L0) into $KVMINTRO_CACHE/qemu-root/<arch>.  L1 sees the
# tree over 9p and runs QEMU through the tree's own dynamic loader
# (tests/e2e/arm64/qemu_guest_test.sh).  The stamp .kvmintro-qemu-root lists the
# packages and versions unpacked.

# The suite whose qemu-system-arm every arm64 series' L1 runs: one tree
# for all (QEMU runs in L1's userland, whatever L1's kernel), always
# merged-/usr (tests/e2e/arm64/qemu_guest_test.sh runs its
# usr/lib/ld-linux-aarch64.so.1), and fetched once rather than for each
# series' suite in turn.
KVMINTRO_QEMU_ROOT_SUITE=trixie

kvmintro_qemu_root_dir()
{
	echo "$KVMINTRO_CACHE/qemu-root/$1"
}

# apt-get in the build root of suite $1 for Debian architecture $2 alone,
# with an empty dpkg status (under /var/tmp/kvmintro-qemu-root there), no
# package cache written: the root's own state is left as it is.
__kvmintro_qemu_root_apt()
{
	local suite=$1 arch=$2 work=/var/tmp/kvmintro-qemu-root
	shift 2
	kvmintro_root_chroot "$suite" sh -c 'mkdir -p "$1/archives/partial" &&
		: >"$1/status" && shift && exec apt-get "$@"' sh "$work" \
		-q -o Dpkg::Use-Pty=0 -o APT::Architecture="$arch" \
		-o APT::Architectures::="$arch" -o Dir::State::status="$work/status" \
		-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
		-o Dir::Cache::archives="$work/archives" \
		--no-install-recommends "$@"
}

# Print the closure of qemu-system-arm:$2 in suite $1's lists, "name
# version" per line.
__kvmintro_qemu_root_closure()
{
	__kvmintro_qemu_root_apt "$1" "$2" -s install qemu-system-arm |
		sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) .*/\1 \2/p'
}

__kvmintro_qemu_root_build()
{
	local suite=$1 arch=$2 closure=$3 dir archives tmp deb
	dir=$(kvmintro_qemu_root_dir "$arch")
	[[ $(cat "$dir/.kvmintro-qemu-root" 2>/dev/null) == "$closure" ]] && return 0
	kvmintro_log "unpacking qemu-system-arm:$arch and its $(wc -l <<<"$closure") packages into $dir"
	archives=$(kvmintro_root_dir "$suite")/var/tmp/kvmintro-qemu-root/archives
	rm -f "$archives"/*.deb
	__kvmintro_qemu_root_apt "$suite" "$arch" -y --download-only \
		install qemu-system-arm >&2 || return 1
	mkdir -p "${dir%/*}"
	tmp=$(mktemp -d "$dir.XXXXXX")
	for deb in "$archives"/*.deb; do
		dpkg-deb -x "$deb" "$tmp" || { rm -rf "$tmp"; return 1; }
	done
	rm -f "$archives"/*.deb
	# The merged /usr that base-files would make (the loader's own path).
	for deb in bin sbin lib; do
		[[ -e $tmp/$deb ]] || ln -s "usr/$deb" "$tmp/$deb"
	done
	[[ -x $tmp/usr/bin/qemu-system-aarch64 ]] || { rm -rf "$tmp"; return 1; }
	echo "$closure" >"$tmp/.kvmintro-qemu-root"
	rm -rf "$dir"
	mv "$tmp" "$dir"
}

# Make (or bring up to date with suite $1's lists) the QEMU tree of Debian
# architecture $2 and print its path.  Idempotent: nothing is fetched when
# the stamp names the closure the lists give.
kvmintro_qemu_root()
{
	local suite=$1 arch=$2 closure dir
	dir=$(kvmintro_qemu_root_dir "$arch")
	kvmintro_root_ensure_arch "$suite" "$arch" >&2
	closure=$(__kvmintro_qemu_root_closure "$suite" "$arch") || return 1
	[[ -n $closure ]] || { kvmintro_log "qemu-system-arm:$arch: no closure in the $suite lists"; return 1; }
	if [[ $(cat "$dir/.kvmintro-qemu-root" 2>/dev/null) != "$closure" ]]; then
		kvmintro_cache_locked __kvmintro_qemu_root_build "$suite" "$arch" "$closure" >&2 ||
			{ kvmintro_log "cannot unpack qemu-system-arm:$arch into $dir"; return 1; }
	fi
	echo "$dir"
}

# Build the real-QEMU L2 guest of an arm64 L1 of kernel release $1 into
# <out>/l2/<release>/ (harness/l2-guest/build with the arm64 busybox; the
# kernel is L1's own, and the guest prints its /proc/version and a
# heartbeat on its console: harness/l2-guest/arm64-console; the guest side
# of the translation call, built for it, runs unattended:
# harness/l2-guest/arm64-hypercall), and write to
# env there the variables tests/e2e/arm64/qemu_guest_test.sh reads,
# KVMINTRO_QEMU_ROOT (the tree L1 must see) among them.
kvmintro_build_l2_arm64()
{
	local ver=$1 out=$2 dir busybox qemu_root image
	dir=$out/l2/$ver
	busybox=$(kvmintro_l1_busybox "$ver") || return 1
	qemu_root=$(kvmintro_qemu_root "$KVMINTRO_QEMU_ROOT_SUITE" \
		"$(kvmintro_release_arch "$ver")") || return 1
	mkdir -p "$dir"
	# Debian's arm64 vmlinuz is a plain Image (37 MB): gzipped, a third
	# of it crosses 9p into L1, where QEMU inflates it itself.
	image=$(kvmintro_vmlinuz "$ver")
	if [[ ! $dir/Image.gz -nt $image ]]; then
		gzip -6 -c "$image" >"$dir/Image.gz.new" && mv "$dir/Image.gz.new" "$dir/Image.gz" ||
			return 1
	fi
	kvmintro_build_guest "$ver" "$out" || return 1
	__kvmintro_logged "$out/build-l2-$ver.log" \
		"$KVMINTRO_HARNESS_DIR/l2-guest/build" --busybox "$busybox" \
		--extra "$KVMINTRO_HARNESS_DIR/l2-guest/arm64-console:/etc/kvmintro-l2.d/50-console" \
		--extra "$KVMINTRO_HARNESS_DIR/l2-guest/arm64-hypercall:/etc/kvmintro-l2.d/60-hypercall" \
		--extra "$out/guest/$ver/gpa_hpa.ko:/extra/gpa_hpa.ko" \
		--extra "$out/guest/$ver/gpa_hpa_demo:/bin/gpa_hpa_demo" \
		"$dir" "$dir/Image.gz" || return 1
	{ grep -E '^KVMINTRO_L2_[A-Z_]+=' "$out/build-l2-$ver.log"
	  echo "KVMINTRO_QEMU_ROOT=$qemu_root"; } >"$dir/env"
	echo "$ver" >"$dir/release"
}
