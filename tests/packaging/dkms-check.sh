#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the two packages into a copy of bookworm's build root (an overlay:
# the root itself is left as it is), with that root's kernel headers, and
# check that DKMS built and installed kvmintro for Debian 12's 6.1 kernel,
# signed with the machine owner key it was given: a throwaway one made
# here.  Needs root (or sudo) and the root's apt sources (dkms comes from
# there).  Prints TAP lines (tests/lib/tap.sh).
# usage: dkms-check.sh WORKDIR KVMINTRO.deb KVMINTRO-DKMS.deb

set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=harness/lib.sh
. "$here/../../harness/lib.sh"
work=$1
cli_deb=$2
dkms_deb=$3

root=$(kvmintro_root_dir bookworm)
if [[ ! -f $root/.kvmintro-root ]]; then
	tap_skip "DKMS in bookworm's build root" "no build root (harness/install-deps)"
	exit 0
fi
if [[ $(id -u) != 0 ]] && ! sudo -n true 2>/dev/null; then
	tap_skip "DKMS in bookworm's build root" "needs root or sudo"
	exit 0
fi
# Debian 12's 6.1 kernel, whose headers the root has (unpacked, not
# installed: the copy installs the package, as a host would have it).
kver=$(kvmintro_kver_resolve 6.1 2>/dev/null)
if [[ -z $kver ]]; then
	tap_skip "DKMS in bookworm's build root" "no 6.1 kernel found in its package lists"
	exit 0
fi

t0=$SECONDS
overlay=$work/overlay
upper=$overlay/upper
mkdir -p "$upper/tmp/debs" "$upper/var/lib/dkms" "$upper/etc" "$overlay/work" "$overlay/merged"
cp "$cli_deb" "$dkms_deb" "$upper/tmp/debs/"
cp /etc/resolv.conf "$upper/etc/resolv.conf" 2>/dev/null
# The throwaway machine owner key, where Debian's DKMS looks for it.
openssl req -new -x509 -newkey rsa:2048 -nodes -days 2 -outform DER \
	-subj "/CN=kvmintro packaging test throwaway key/" \
	-keyout "$upper/var/lib/dkms/mok.key" -out "$upper/var/lib/dkms/mok.pub" \
	>"$work/openssl.log" 2>&1
tap_ok $? "a throwaway machine owner key in /var/lib/dkms" || exit 1

# In the copy: install the packages (dkms from the root's apt sources,
# refreshed if they are stale), have DKMS build for each kernel as on a
# kernel upgrade, then report what it did.
# shellcheck disable=SC2016 # expanded in the chroot
script='
set -u
kver=$1
apt_install() {
	apt-get install -y -q --no-install-recommends "$@" ||
		{ apt-get update -q && apt-get install -y -q --no-install-recommends "$@"; }
}
echo "== headers"
apt_install "linux-headers-$kver" || exit 10
echo "== packages"
apt_install /tmp/debs/*.deb || exit 11
# What the headers package of a new kernel runs: DKMS rebuilds for it (a
# no-op here, kvmintro-dkms built for it already).
echo "== kernel upgrade"
/etc/kernel/header_postinst.d/dkms "$kver" || exit 12
echo "== dkms status"
dkms status kvmintro
echo "== signer"
modinfo -F signer "$(ls /lib/modules/$kver/updates/dkms/kvmintro.ko* 2>/dev/null | head -n 1)"
echo "== modprobe"
modprobe -S "$kver" --show-depends kvmintro
echo "== kvmintro"
kvmintro help >/dev/null && ls /usr/share/man/man8/kvmintro.8.gz
'
sudo=()
[[ $(id -u) == 0 ]] || sudo=(sudo)
# shellcheck disable=SC2016 # expanded by the inner shell
"${sudo[@]}" unshare --mount --propagation private -- /bin/sh -c '
	root=$1 overlay=$2
	shift 2
	merged=$overlay/merged
	mount -t overlay overlay -o "lowerdir=$root,upperdir=$overlay/upper,workdir=$overlay/work" "$merged" || exit 125
	mount -t proc proc "$merged/proc" || exit 125
	mount --bind /dev "$merged/dev" || exit 125
	exec chroot "$merged" /usr/bin/env -i \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"' \
	sh "$root" "$overlay" /bin/sh -c "$script" sh "$kver" >"$work/dkms.log" 2>&1
status=$?
tap_ok $status "apt install linux-headers-$kver ./kvmintro*.deb in a copy of bookworm's build root ($((SECONDS - t0))s)" ||
	tap_comment_file "$work/dkms.log" 60
section()
{
	sed -n "/^== $1\$/,/^== /p" "$work/dkms.log" | sed '1d;/^== /d'
}
section "dkms status" | grep -qE "^kvmintro/[^,]+, $kver, x86_64: installed"
tap_ok $? "dkms status: kvmintro installed for $kver"
signer=$(section signer)
[[ $signer == "kvmintro packaging test throwaway key" ]]
tap_ok $? "the module DKMS built is signed by the machine owner key (signer: ${signer:-none})"
section modprobe | grep -q "/updates/dkms/kvmintro.ko"
tap_ok $? "modprobe finds kvmintro for $kver"
section kvmintro | grep -q 'man8/kvmintro.8'
tap_ok $? "the installed CLI runs and man finds kvmintro(8)"
section "dkms status" | sed 's/^/#   /'

# What DKMS built and the package installed, kept for tests/e2e/dkms_test.sh:
# in L1 booted with $kver, that module is loaded with modprobe and the
# packaged CLI looks at a VM.
# (/lib is /usr/lib in the root: merged /usr.)
keep=${KVMINTRO_OUT:-$KVMINTRO_REPO/build}/dkms/$kver
ko=$("${sudo[@]}" find "$upper" -path "*/modules/$kver/updates/dkms/kvmintro.ko*" | head -n 1)
rm -rf "$keep" && mkdir -p "$keep" && [[ -n $ko ]] &&
	"${sudo[@]}" cp "$ko" "$upper/usr/sbin/kvmintro" "$keep/" &&
	"${sudo[@]}" chown -R "$(id -u):$(id -g)" "$keep"
tap_ok $? "the module DKMS built and the packaged CLI kept for L1 in ${keep#"$KVMINTRO_REPO"/}"
((tap_failed == 0))
