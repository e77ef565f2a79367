#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The packaging tests, on a clean clone of HEAD (uncommitted changes are
# not tested): build the Debian packages, lintian, the packages' contents,
# the man pages (man-check.sh), the bash completion (completion-check.bash),
# make install and make uninstall into a DESTDIR; then, as root, install
# both packages into a copy (an overlay) of bookworm's build root with its
# kernel headers and check that DKMS built the module, signed with a
# throwaway machine owner key.  Prints TAP lines (tests/lib/tap.sh); exits non-zero
# if one is "not ok".
# usage: tests/packaging/run.sh     (KVMINTRO_PACKAGING_DKMS=0: no DKMS part)

set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=harness/lib.sh
. "$here/../../harness/lib.sh"
repo=$KVMINTRO_REPO

# Under /var/tmp, not /tmp: the DKMS part's overlay needs a real file system.
work=$(mktemp -d /var/tmp/kvmintro-packaging.XXXXXX)
trap 'rm -rf "$work"' EXIT
started=$SECONDS

head=$(git -C "$repo" rev-parse HEAD)
git clone -q --no-checkout "$repo" "$work/src" 2>"$work/clone.log" &&
	git -C "$work/src" checkout -q "$head" 2>>"$work/clone.log"
tap_ok $? "clean clone of HEAD (${head:0:12})" || exit 1
[[ -z $(git -C "$repo" status --porcelain --untracked-files=no) ]] ||
	echo "# note: $repo has uncommitted changes, which are not tested"
src=$work/src

# The packages.
t0=$SECONDS
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1
status=$?
tap_ok $status "dpkg-buildpackage -us -uc -b ($((SECONDS - t0))s)"
if ((status)); then
	tap_comment_file "$work/build.log"
	exit 1
fi
cli_deb=$(echo "$work"/kvmintro_*.deb)
dkms_deb=$(echo "$work"/kvmintro-dkms_*.deb)
version=$(dpkg-deb -f "$cli_deb" Version)

lintian --pedantic -I "$work"/kvmintro_*.changes >"$work/lintian.log" 2>&1
errors=$(grep -c '^E:' "$work/lintian.log")
warnings=$(grep -c '^W:' "$work/lintian.log")
others=$(grep -cE '^[IPX]:' "$work/lintian.log")
((errors == 0))
tap_ok $? "lintian --pedantic: no error ($errors errors, $warnings warnings, $others other tags)"
grep -E '^[EWIPX]:' "$work/lintian.log" | sed 's/^/#   /'

dpkg-deb -x "$cli_deb" "$work/cli"
dpkg-deb -x "$dkms_deb" "$work/dkms"
for file in usr/sbin/kvmintro usr/share/man/man8/kvmintro.8.gz \
	    usr/share/man/man4/kvmintro.4.gz \
	    usr/share/bash-completion/completions/kvmintro; do
	[[ -f $work/cli/$file ]]
	tap_ok $? "package kvmintro has /$file"
done
for file in dkms.conf Kbuild introspect/main.c hooks lib/record.c; do
	[[ -e $work/dkms/usr/src/kvmintro-$version/$file ]]
	tap_ok $? "package kvmintro-dkms has /usr/src/kvmintro-$version/$file"
done
grep -qx "PACKAGE_VERSION=\"$version\"" "$work/dkms/usr/src/kvmintro-$version/dkms.conf"
tap_ok $? "dkms.conf has the package's version"
[[ $(dpkg-deb -f "$dkms_deb" Depends) == *dkms* ]]
tap_ok $? "kvmintro-dkms depends on dkms"
[[ $(dpkg-deb -f "$dkms_deb" Recommends) == *linux-headers* ]]
tap_ok $? "kvmintro-dkms recommends kernel headers"

# The man pages and the completion, as packaged, against the packaged CLI.
"$here/man-check.sh" "$work/cli/usr/share/man/man8/kvmintro.8.gz" \
	"$work/cli/usr/share/man/man4/kvmintro.4.gz" \
	"$work/cli/usr/sbin/kvmintro" "$src" || tap_failed=1
bash --norc --noprofile "$here/completion-check.bash" \
	"$work/cli/usr/share/bash-completion/completions/kvmintro" \
	"$work/cli/usr/sbin/kvmintro" </dev/null || tap_failed=1

# make install and make uninstall into a DESTDIR.  The module half is built
# against the 6.1 headers of bookworm's build root, in that root, as the
# harness builds the module; the CLI half here.
destdir=$work/dest
kver=$(kvmintro_kver_resolve 6.1 2>/dev/null)
t0=$SECONDS
if [[ -z $kver || ! -f $(kvmintro_root_dir bookworm)/.kvmintro-root ]]; then
	tap_skip "make install DESTDIR" "no bookworm build root (harness/install-deps)"
else
	kdir=$(kvmintro_kdir "$kver")
	kvmintro_root_cmd bookworm "$work" -- \
		make -C "$src" install-module DESTDIR="$destdir" KDIR="$kdir"
	"${KVMINTRO_ROOT_CMD[@]}" >"$work/install.log" 2>&1 &&
		make -C "$src" install-cli DESTDIR="$destdir" >>"$work/install.log" 2>&1
	tap_ok $? "make install DESTDIR=... (module for $kver)" ||
		tap_comment_file "$work/install.log"
	expected="lib/modules/$kver/updates/kvmintro.ko
usr/local/sbin/kvmintro
usr/local/share/bash-completion/completions/kvmintro
usr/local/share/man/man4/kvmintro.4
usr/local/share/man/man8/kvmintro.8"
	installed=$(cd "$destdir" 2>/dev/null && find . -type f -printf '%P\n' | LC_ALL=C sort)
	[[ $installed == "$expected" ]]
	tap_ok $? "make install installs the module, the CLI, its man pages and completion" ||
		diff <(echo "$expected") <(echo "$installed") | sed 's/^/#   /'
	kvmintro_root_cmd bookworm "$work" -- \
		make -C "$src" uninstall-module DESTDIR="$destdir" KDIR="$kdir"
	"${KVMINTRO_ROOT_CMD[@]}" >"$work/uninstall.log" 2>&1 &&
		make -C "$src" uninstall-cli DESTDIR="$destdir" >>"$work/uninstall.log" 2>&1
	tap_ok $? "make uninstall DESTDIR=..." || tap_comment_file "$work/uninstall.log"
	left=$(find "$destdir" ! -type d -printf '%P\n')
	[[ -z $left ]]
	tap_ok $? "make uninstall leaves no file${left:+ (left: $left)}"

	# make install signs with the key it is given (make sign), once.
	openssl req -new -x509 -newkey rsa:2048 -sha256 -nodes -days 1 \
		-subj "/CN=kvmintro make sign test key/" -outform DER \
		-out "$work/sign.x509" -keyout "$work/sign.pem" 2>/dev/null
	kvmintro_root_cmd bookworm "$work" -- \
		make -C "$src" install-module DESTDIR="$destdir" KDIR="$kdir" \
		SIGN_KEY="$work/sign.pem" SIGN_CERT="$work/sign.x509"
	"${KVMINTRO_ROOT_CMD[@]}" >"$work/install-signed.log" 2>&1
	tap_ok $? "make install-module SIGN_KEY=... SIGN_CERT=..." ||
		tap_comment_file "$work/install-signed.log"
	signer=$(modinfo -F signer "$destdir/lib/modules/$kver/updates/kvmintro.ko" 2>&1)
	[[ $signer == "kvmintro make sign test key" ]]
	tap_ok $? "the installed module is signed with that key (signer: $signer)"
	size=$(stat -c %s "$src/kvmintro.ko")
	kvmintro_root_cmd bookworm "$work" -- \
		make -C "$src" sign KDIR="$kdir" \
		SIGN_KEY="$work/sign.pem" SIGN_CERT="$work/sign.x509"
	"${KVMINTRO_ROOT_CMD[@]}" >"$work/sign-again.log" 2>&1 &&
		grep -q "signed already" "$work/sign-again.log" &&
		[[ $(stat -c %s "$src/kvmintro.ko") == "$size" ]]
	tap_ok $? "make sign leaves a signed module as it is" ||
		tap_comment_file "$work/sign-again.log"
	kvmintro_root_cmd bookworm "$work" -- make -C "$src" sign KDIR="$kdir"
	! "${KVMINTRO_ROOT_CMD[@]}" >"$work/sign-nokey.log" 2>&1 &&
		grep -q "usage: make sign" "$work/sign-nokey.log"
	tap_ok $? "make sign without a key says how to call it" ||
		tap_comment_file "$work/sign-nokey.log"
	echo "#   (make install and uninstall: $((SECONDS - t0))s)"
fi

if [[ ${KVMINTRO_PACKAGING_DKMS:-1} != 0 ]]; then
	"$here/dkms-check.sh" "$work" "$cli_deb" "$dkms_deb" || tap_failed=1
fi
echo "#   (packaging tests: $((SECONDS - started))s)"
((tap_failed == 0))
