#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# That each kernel series resolves to the newest kernel its Debian suite
# has: read the package lists of the series' build root directly (not
# through apt-cache), keep the generic amd64 headers of the series that
# come with an image (arm64's for the arm64 series), take the newest by dpkg's version order, and compare
# with what harness/kernels picked.  TAP on stdout; also prints the
# releases picked.  Run by harness/run-tests (series: KVMINTRO_KERNELS,
# default all).

set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=harness/lib.sh
. "$here/../lib.sh"

# The headers packages of a series, as an ERE on the package name, and the
# suite whose lists hold them: written out here on their own, not taken
# from lib.sh.
series_packages()
{
	case $1 in
	6.1) echo 'bookworm ^linux-headers-6\.1\.0-[0-9]+-amd64$' ;;
	6.12) echo 'bookworm ^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' ;;
	6.12-deb13) echo 'trixie ^linux-headers-6\.12\.[0-9]+\+deb13-amd64$' ;;
	unstable) echo 'sid ^linux-headers-[0-9][^-]*(-[0-9]+)?-amd64$' ;;
	6.1-arm64) echo 'bookworm ^linux-headers-6\.1\.0-[0-9]+-arm64$ arm64' ;;
	6.12-arm64) echo 'bookworm ^linux-headers-6\.12\.[0-9]+\+deb12-arm64$ arm64' ;;
	6.12-deb13-arm64) echo 'trixie ^linux-headers-6\.12\.[0-9]+\+deb13-arm64$ arm64' ;;
	unstable-arm64) echo 'sid ^linux-headers-[0-9][^-]*(-[0-9]+)?-arm64$ arm64' ;;
	*) return 1 ;;
	esac
}

# "<package> <version>" for every stanza of the suite's Packages lists of
# Debian architecture $2.
packages_of()
{
	local lists=$1 arch=$2 f
	for f in "$lists"/*_binary-"$arch"_Packages*; do
		[[ -e $f ]] || continue
		/usr/lib/apt/apt-helper cat-file "$f"
	done | awk '/^Package: / { p = $2 } /^Version: / { print p, $2 }'
}

# The newest release of ERE $2 among "<package> <version>" lines in file $1
# whose image is there too (linux-image-<release>-unsigned, or
# linux-binary-unsigned-<release> with linux-modules-<release>); prints
# "<release> <version>".
newest_release()
{
	local list=$1 re=$2 pkg version rel best='' best_version=''
	while read -r pkg version; do
		[[ $pkg =~ $re ]] || continue
		rel=${pkg#linux-headers-}
		grep -qE "^linux-image-${rel//+/\\+}-unsigned " "$list" ||
			{ grep -qE "^linux-binary-unsigned-${rel//+/\\+} " "$list" &&
			  grep -qE "^linux-modules-${rel//+/\\+} " "$list"; } ||
			continue
		if [[ -z $best ]] || dpkg --compare-versions "$version" gt "$best_version"; then
			best=$rel best_version=$version
		fi
	done <"$list"
	[[ -n $best ]] && echo "$best $best_version"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0
for series in $(kvmintro_series_list "${KVMINTRO_KERNELS:-all}"); do
	n=$((n + 1))
	read -r suite re arch <<<"$(series_packages "$series")"
	arch=${arch:-amd64}
	lists=$(kvmintro_root_dir "$suite")/var/lib/apt/lists
	packages_of "$lists" "$arch" | sort -u >"$tmp/$suite-$arch"
	picked=$("$here/../kernels" "$series" 2>/dev/null | awk '{ print $2 }')
	read -r newest version <<<"$(newest_release "$tmp/$suite-$arch" "$re")"
	echo "# $series: harness picked '${picked:-nothing}'; newest in $suite's $arch lists ($(wc -l <"$tmp/$suite-$arch") packages): '${newest:-none}' (linux-headers $version)"
	if [[ -n $picked && $picked == "$newest" ]]; then
		echo "ok $n - $series resolves to the newest kernel $suite has: $picked"
	else
		echo "not ok $n - $series resolves to the newest kernel $suite has: picked '${picked:-nothing}', newest '${newest:-none}'"
		failed=1
	fi
done
echo "1..$n"
exit "$failed"
