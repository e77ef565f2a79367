#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Pause latency on a real QEMU running a real Linux guest (in L1): QEMU's
# own "stop" over QMP against kvmintro's pause of the same VM, each timed
# from the request to its completion, p50/p99 over N rounds, interleaved.
# usage (in L1): bench/qemu_pause_bench.sh [rounds]   (default 200)
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../tests/e2e/lib/qemu.sh"
: "${KVMINTRO_KO:?}" "${KVMINTRO_L2_KERNEL:?}" "${KVMINTRO_L2_INITRD:?}"
rounds=${1:-200}

trap 'l2_stop; rmmod kvmintro 2>/dev/null' EXIT
for smp in 1; do
	l2_start "qemu-pause-bench-$smp" -smp "$smp" ||
		{ echo "qemu-pause-bench: QEMU did not start"; exit 1; }
	# A guest that stalls in its kernel under emulated nested SVM is still
	# a VM to stop and start: measure it all the same, and say so.
	l2_wait KVMINTRO-L2-READY 180 ||
		echo "qemu-pause-bench: the guest did not reach userspace; measuring it where it stands"
	l2_qmp '{"execute":"qmp_capabilities"}' || { echo "qemu-pause-bench: no QMP"; exit 1; }
	insmod "$KVMINTRO_KO"
	snapshot=/sys/kernel/debug/kvmintro/$(l2_pid)/snapshot
	for ((i = 0; i < 100; i++)); do [[ -e $snapshot ]] && break; sleep 0.1; done
	qmp=() mine=()
	for ((i = 0; i < rounds; i++)); do
		t0=$EPOCHREALTIME
		l2_qmp '{"execute":"stop"}'
		t1=$EPOCHREALTIME
		l2_qmp '{"execute":"cont"}'
		qmp+=($(((${t1/./} - ${t0/./}))))
		t0=$EPOCHREALTIME
		echo pause >"$snapshot"
		t1=$EPOCHREALTIME
		echo resume >"$snapshot"
		mine+=($(((${t1/./} - ${t0/./}))))
	done
	pct() { printf '%s\n' "${@:2}" | sort -n | awk -v p="$1" '{ v[NR] = $1 } END { print v[int((NR - 1) * p / 100) + 1] }'; }
	printf 'qemu-pause vcpus=%d rounds=%d: QMP stop p50 %d us p99 %d us; kvmintro pause p50 %d us p99 %d us; p99 ratio kvmintro/QMP %s\n' \
		"$smp" "$rounds" "$(pct 50 "${qmp[@]}")" "$(pct 99 "${qmp[@]}")" \
		"$(pct 50 "${mine[@]}")" "$(pct 99 "${mine[@]}")" \
		"$(awk -v a="$(pct 99 "${mine[@]}")" -v b="$(pct 99 "${qmp[@]}")" 'BEGIN { printf "%.2f", a / b }')"
	rmmod kvmintro
	l2_stop
done
