#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kvmintro scan -f FILE against the real module and a real KVM VM
# (testvmm): a file of 4096 patterns gives the matches the scan file gives
# for the same patterns written to it in one write; a bad line is named by
# its number; 4097 patterns are refused before anything is written.  TAP
# on stdout.

set -uo pipefail
: "${KVMINTRO_BIN:?}" "${KVMINTRO_KO:?}" "${KVMINTRO_TMP:=/tmp}"
# shellcheck source=tests/e2e/lib/records.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/records.sh"
cli=$KVMINTRO_BIN/kvmintro
debugfs=${KVMINTRO_DEBUGFS:-/sys/kernel/debug/kvmintro}
truth=$KVMINTRO_TMP/scan-cli-testvmm.out
patterns=$KVMINTRO_TMP/scan-cli-patterns
# shellcheck source=tests/lib/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/tap.sh"
tap_prefix="scan cli: "

testvmm_start "$truth" --vm --vcpus 2 --guest spin,exit \
	--slot gpa=0,size=2M --slot gpa=0x100000000,size=4M,backing=thp \
	--timeout 280 || { tap_ok 1 "testvmm did not start"; exit 1; }
insmod "$KVMINTRO_KO" || { tap_ok 1 insmod; exit 1; }
dir=$debugfs/$vmm
dir_wait "$dir"

# 4093 random patterns, then three the guest's code and zeros hold: a
# comment and an empty line among them.
{
	echo "# kvmintro scan -f test"
	awk 'BEGIN {
		srand(14)
		for (i = 0; i < 4093; i++) {
			s = "hex:"
			n = 8 + int(rand() * 9)
			for (j = 0; j < n; j++)
				s = s sprintf("%02x", 1 + int(rand() * 255))
			print s
		}
	}'
	echo
	echo "hex:48 ff 07"
	echo "istr:aaa"
	echo "hex:48 ?? 07"
} >"$patterns"
out=$("$cli" scan "$vmm" -f "$patterns" --max 1000000)
status=$?
tap_check "-f FILE of 4096 patterns: exit status 0" test "$status" = 0
grep -v '^#' "$patterns" | grep -v '^$' >"$patterns.raw"
tap_check "the file holds 4096 patterns" test "$(wc -l <"$patterns.raw")" = 4096
printf 'max=1000000\n' >>"$patterns.raw"
dd if="$patterns.raw" of="$dir/scan" bs=4M status=none
theirs=$(sed -n 's/^match gpa=\(0x[0-9a-f]*\) .* pattern="\(.*\)"$/\1 \2/p' "$dir/scan")
mine=$(awk '$1 ~ /^0x/ { print $1, $4 }' <<<"$out")
count=$(grep -c . <<<"$theirs")
tap_check "-f FILE finds the $count matches the scan file finds, in order" \
	test -n "$theirs" -a "$mine" = "$theirs"
tap_check "... hex:48ff07 among them" grep -q " hex:48ff07\$" <<<"$mine"
tap_check "... hex:48??07 too" grep -q " hex:48??07\$" <<<"$mine"
sed 's/^/# /' <<<"$(tail -n 3 <<<"$out")"
out=$("$cli" scan "$vmm" -f "$patterns" --max 1000000 --json)
cat "$dir/scan" >"$patterns.reply"
tap_check "--json carries every key of every match and of the summary" \
	json_carries_keys "$patterns.reply" "$out" '.results[]'

printf 'str:a\nhex:48 ff 07\nhex:48 ?\n' >"$patterns.bad"
"$cli" scan "$vmm" -f "$patterns.bad" >/dev/null 2>"$patterns.err"
status=$?
tap_check "a bad line: exit status 2" test "$status" = 2
tap_check "a bad line: named by its number" \
	grep -q "$patterns.bad:3: hex:BYTES takes pairs of hex digits or ??" "$patterns.err"

{ cat "$patterns"; echo "hex:01 02 03 04"; } >"$patterns.4097"
"$cli" scan "$vmm" -f "$patterns.4097" >/dev/null 2>"$patterns.err"
status=$?
tap_check "4097 patterns: exit status 2" test "$status" = 2
tap_check "4097 patterns: the line past the limit is named" \
	grep -q "$patterns.4097:4099: at most 4096 patterns" "$patterns.err"

rm -f "$patterns" "$patterns".*
exit $tap_failed
