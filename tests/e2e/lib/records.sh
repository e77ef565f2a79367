# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The records of the debugfs files (Documentation/debugfs.rst, "Record
# format") from shell tests (source it):
#
#   record_keys                 the keys of each record on stdin, one line
#                               a record, comments left out
#   record_field KEY            the value of field KEY of each record on
#                               stdin that has one, as written (a string
#                               with its quotes), one line each
#   record_join                 the records on stdin as one (a file of one
#                               record, one field a line: snapshot, regs)
#   json_carries_keys FILE JSON FILTER
#                               the objects jq FILTER picks from the JSON
#                               text are FILE's records, one for one, and
#                               each has every key of its record
#   pagemap_pfn PID HVA         the frame /proc/PID/pagemap gives for HVA
#                               (0 if not present)
#   wait_until TENTHS CMD...    run CMD until it succeeds, every tenth of
#                               a second, TENTHS times at most; fail if it
#                               never did
#   testvmm_wait_ready FILE     wait for testvmm's "ready" in FILE, its
#                               output (30 s); fail if it did not come
#   testvmm_start FILE ARGS...  start testvmm ARGS... --no-stdin in the
#                               background, its output in FILE and its pid
#                               in $vmm, killed when the test exits (and
#                               the module unloaded: $testvmm_unload,
#                               "rmmod kvmintro" unless the test sets
#                               it); wait for it to be ready as above
#   dir_wait DIR                wait for directory DIR (10 s); fail if it
#                               did not come

record_keys()
{
	# A string value may hold blanks and '=': take it out first.
	sed -E '/^#/d; s/"([^"\\]|\\.)*"/S/g' |
		awk '{ n = 0; for (i = 1; i <= NF; i++) if (split($i, kv, "=") > 1) printf "%s%s", n++ ? " " : "", kv[1]; print "" }'
}

record_join()
{
	sed '/^#/d' | paste -sd ' ' -
}

record_field()
{
	awk -v key="$1" '
	/^#/ { next }
	{
		line = $0
		while (line != "") {
			# A token: key="string", which may hold blanks, or up to a blank.
			if (!match(line, /^[a-z][a-z0-9_.]*="([^"\\]|\\.)*"/) &&
			    !match(line, /^[^ ]+/))
				break
			token = substr(line, 1, RLENGTH)
			line = substr(line, RLENGTH + 2)
			eq = index(token, "=")
			if (eq && substr(token, 1, eq - 1) == key) {
				print substr(token, eq + 1)
				break
			}
		}
	}'
}

json_carries_keys()
{
	local file=$1 json=$2 filter=$3 want got i key n_want n_got
	local -a wants gots
	want=$(record_keys <"$file") || return 1
	got=$(jq -r "$filter | keys_unsorted | join(\" \")" <<<"$json") || {
		echo "jq '$filter' failed on: $json"
		return 1
	}
	mapfile -t wants <<<"$want"
	mapfile -t gots <<<"$got"
	[[ -n $want ]] || wants=()
	[[ -n $got ]] || gots=()
	n_want=${#wants[@]} n_got=${#gots[@]}
	if ((n_want != n_got)); then
		echo "$file has $n_want records, the JSON $n_got objects"
		return 1
	fi
	if ((n_want == 0)); then
		echo "$file has no records: nothing to compare"
		return 1
	fi
	for ((i = 0; i < n_want; i++)); do
		for key in ${wants[i]}; do
			if [[ " ${gots[i]} " != *" $key "* ]]; then
				echo "record $((i + 1)) of $file has $key, its JSON object only: ${gots[i]}"
				return 1
			fi
		done
	done
}

# wait_until TENTHS CMD...: run CMD every tenth of a second until it
# succeeds, TENTHS times at most; fail if it never did.
wait_until()
{
	local i tries=$1

	shift
	for ((i = 1; i < tries; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	"$@"
}

# testvmm_wait_ready FILE: wait up to 30 s for testvmm to print "ready" in
# FILE, its output; fail if it did not.
testvmm_wait_ready()
{
	wait_until 300 grep -qx ready "$1" 2>/dev/null
}

# le64 HEX: the value of 8 bytes, little-endian, given as 16 hex digits.
le64()
{
	local v=0 i
	for ((i = 14; i >= 0; i -= 2)); do v=$(((v << 8) | 0x${1:i:2})); done
	echo "$v"
}
# pagemap_pfn PID HVA: the frame of HVA in process PID's pagemap entry
# (8 bytes little-endian, bits 0-54); xxd seeks, od would read its way there.
pagemap_pfn()
{
	local entry
	entry=$(le64 "$(xxd -s $((($2 / 4096) * 8)) -l 8 -p "/proc/$1/pagemap")")
	echo $((entry & ((1 << 55) - 1)))
}

# testvmm_start FILE ARGS...: testvmm ARGS... --no-stdin in the background,
# its output in FILE, its pid in $vmm; killed, and the module unloaded with
# $testvmm_unload, when the test exits.  Fails if it did not get ready.
# One VMM a test: it sets the EXIT trap (any earlier one is replaced).
: "${testvmm_unload:=rmmod kvmintro}"
testvmm_start()
{
	local out=$1

	shift
	"$KVMINTRO_BIN/testvmm" "$@" --no-stdin >"$out" 2>&1 &
	vmm=$!
	trap 'kill $vmm 2>/dev/null; wait $vmm 2>/dev/null; $testvmm_unload 2>/dev/null' EXIT
	testvmm_wait_ready "$out"
}

# dir_wait DIR: wait up to 10 s for directory DIR (a VM's, which the module
# makes when it sees the VM); fail if it did not come.
dir_wait()
{
	wait_until 100 test -d "$1"
}
