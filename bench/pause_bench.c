// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of pausing (issue: pause, resume and snapshots), run in L1:
 *
 *  1. pause latency, request to all vcpus out of guest mode, as kvmintro
 *     measures it (snapshot's pause_latency_ns) and as the writer of
 *     "capture" sees it, p50/p99 over 1000 captures, 1 and 4 spinning vcpus;
 *  2. the cost of the KVM_RUN hook: KVM_RUN round trips per second of a
 *     guest that exits to the VMM in a tight loop, kvmintro loaded versus
 *     not, in pairs of back-to-back measurements (which half comes first
 *     alternates): the median of the pairs' ratios, so that the emulated
 *     machine's speed, which drifts by tens of percent over seconds, cancels
 *     out; the medians of each side are printed too.
 *
 * Figures from an emulated L1 are slow in absolute terms: read the ratios.
 */
#include <fcntl.h>
#include <unistd.h>

#include "kvm_util.h"
#include "kvmintro_e2e.h"
#include "processor.h"

#define CAPTURES	1000
#define HOOK_ROUNDS	21
#define HOOK_MS		700

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t percentile(uint64_t *v, int n, int pct)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return v[(n - 1) * pct / 100];
}

static struct kvm_vm *vm_spinning(int nr_vcpus, enum vm_guest_kind kind)
{
	struct kvm_vm *vm = vm_create();
	struct kvm_vcpu *vcpu;
	int i;

	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, SZ_2M, 0);
	vm_guest_init(vm, VM_MODE_LONG);
	virt_identity_map_memslots(vm, SZ_2M);
	for (i = 0; i < nr_vcpus; i++) {
		vcpu = vcpu_add(vm, i);
		vcpu_guest_load(vcpu, kind);
		vcpu_thread_create(vcpu, NULL);
		vcpu_thread_go(vcpu);
	}
	return vm;
}

static void bench_pause_latency(int nr_vcpus)
{
	static uint64_t kernel_ns[CAPTURES], writer_ns[CAPTURES];
	struct kvm_vm *vm = vm_spinning(nr_vcpus, GUEST_SPIN);
	char path[192], *text;
	uint64_t start;
	int i;

	sleep_ms(200);
	kvmintro_load();
	snprintf(path, sizeof(path), "%s/snapshot", kvmintro_vm_path(getpid(), 0));
	TEST_ASSERT(kvmintro_wait_path(path, true, 10000), "no snapshot file");
	for (i = 0; i < CAPTURES; i++) {
		start = clock_ns();
		TEST_ASSERT(!kvmintro_write(path, "capture"), "capture");
		writer_ns[i] = clock_ns() - start;
		text = kvmintro_read(path);
		TEST_ASSERT(text && kvmintro_kv_u64(text, "pause_latency_ns",
						    &kernel_ns[i]), "snapshot");
		free(text);
	}
	printf("pause-latency vcpus=%d captures=%d: all-stopped p50 %" PRIu64 " us p99 %" PRIu64
	       " us; whole capture p50 %" PRIu64 " us p99 %" PRIu64 " us\n",
	       nr_vcpus, CAPTURES,
	       percentile(kernel_ns, CAPTURES, 50) / 1000,
	       percentile(kernel_ns, CAPTURES, 99) / 1000,
	       percentile(writer_ns, CAPTURES, 50) / 1000,
	       percentile(writer_ns, CAPTURES, 99) / 1000);
	fflush(stdout);
	kvmintro_unload();
	vm_destroy(vm);
}

/* KVM_RUN round trips per second of an exiting guest, over @ms. */
static uint64_t exits_per_second(struct kvm_vcpu *vcpu, int ms)
{
	uint64_t before = vcpu_guest_counter(vcpu), start = clock_ns(), after;

	sleep_ms(ms);
	after = vcpu_guest_counter(vcpu);
	return (after - before) * 1000000000ULL / (clock_ns() - start);
}

/* Round trips per second with kvmintro loaded (@loaded) or not. */
static uint64_t hook_half(struct kvm_vcpu *vcpu, bool loaded)
{
	uint64_t rate;

	if (loaded) {
		kvmintro_load();
		sleep_ms(300);
	}
	rate = exits_per_second(vcpu, HOOK_MS);
	if (loaded) {
		kvmintro_unload();
		sleep_ms(300);
	}
	return rate;
}

static void bench_hook_cost(void)
{
	uint64_t with[HOOK_ROUNDS], without[HOOK_ROUNDS], ratio[HOOK_ROUNDS];
	struct kvm_vm *vm = vm_spinning(1, GUEST_EXIT);
	int i;

	sleep_ms(500);
	for (i = 0; i < HOOK_ROUNDS; i++) {
		if (i % 2) {
			with[i] = hook_half(vm->vcpus[0], true);
			without[i] = hook_half(vm->vcpus[0], false);
		} else {
			without[i] = hook_half(vm->vcpus[0], false);
			with[i] = hook_half(vm->vcpus[0], true);
		}
		/* loaded / not loaded, in millionths */
		ratio[i] = with[i] * 1000000 / (without[i] ? without[i] : 1);
	}
	printf("kvm_run-hook pairs=%d: KVM_RUN round trips/s median, kvmintro loaded %" PRIu64
	       ", not loaded %" PRIu64 "; median pair ratio %.4f, overhead %.2f%%\n",
	       HOOK_ROUNDS, percentile(with, HOOK_ROUNDS, 50),
	       percentile(without, HOOK_ROUNDS, 50),
	       percentile(ratio, HOOK_ROUNDS, 50) / 1e6,
	       100.0 - percentile(ratio, HOOK_ROUNDS, 50) / 1e4);
	fflush(stdout);
	vm_destroy(vm);
}

int main(void)
{
	if (!getenv("KVMINTRO_KO")) {
		fprintf(stderr, "pause_bench: KVMINTRO_KO is not set: run it with bench/run\n");
		return 2;
	}
	bench_pause_latency(1);
	bench_pause_latency(4);
	bench_hook_cost();
	return 0;
}
