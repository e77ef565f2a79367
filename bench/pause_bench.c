// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of pausing (issue: pause, resume and snapshots), run in L1:
 *
 *  1. pause latency, request to all vcpus out of guest mode, as kvmintro
 *     measures it (snapshot's pause_latency_ns) and as the writer of
 *     "capture" sees it, p50/p99 over 1000 captures, 1 and 4 spinning vcpus;
 *  2. the cost of the KVM_RUN hook, kvmintro loaded versus not, in pairs of
 *     back-to-back measurements (which side comes first alternates) so that
 *     the emulated machine's speed, which drifts by tens of percent over
 *     seconds, cancels out within a pair:
 *     a. KVM_RUN round trips per second of a guest that exits to the VMM in
 *        a tight loop: the median of the pairs' ratios;
 *     b. the time the hook adds to one KVM_RUN, on KVM_RUNs that return at
 *        once (immediate_exit): there the hook is a large share of the call,
 *        so the median of the pairs' differences is resolved far more
 *        finely than 2a can be; divided by 2a's round trip, it is the hook's
 *        overhead again, by another way.
 *     Each median comes with its 95% confidence interval (order statistics
 *     of the pairs, no assumption on how the noise is distributed).
 *
 * usage: pause_bench [latency | hook [PAIRS [MS]]]  (default: everything;
 *        MS: length of a round-trip measurement, default 700)
 *
 * Figures from an emulated L1 are slow in absolute terms: read the ratios.
 */
#include <fcntl.h>
#include <math.h>
#include <unistd.h>

#include "kvm_util.h"
#include "kvmintro_e2e.h"
#include "processor.h"

#define CAPTURES	1000
#define HOOK_PAIRS	31
#define HOOK_MS		700
/* after loading or unloading kvmintro, before measuring */
#define HOOK_SETTLE_MS	300

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

/*
 * Measured in windows of this length, an immediate-exit side's figure is its
 * best window: the host (itself a virtual machine) and the emulation only
 * ever slow a window down, so the fastest one is closest to what the code
 * itself costs.
 */
#define HOOK_WINDOW_MS	20

/*
 * Picoseconds per KVM_RUN that returns at once (immediate_exit set, the vcpu
 * never enters the guest), issued back to back by this thread: the best
 * window in @ms.  The hook runs on it as on every KVM_RUN, but the call
 * itself is short, so what the hook adds stands out of the noise.
 */
static uint64_t immediate_run_ps(struct kvm_vcpu *vcpu, int ms)
{
	uint64_t best = UINT64_MAX, start, end, calls, ps;
	int w, i;

	for (w = 0; w < ms / HOOK_WINDOW_MS; w++) {
		start = clock_ns();
		end = start + HOOK_WINDOW_MS * 1000000ULL;
		calls = 0;
		do {
			for (i = 0; i < 16; i++)
				vcpu_run_immediate_exit(vcpu);
			calls += 16;
		} while (clock_ns() < end);
		ps = (clock_ns() - start) * 1000 / calls;
		if (ps < best)
			best = ps;
	}
	return best;
}

/* One side of a pair: @measure over @ms, kvmintro loaded (@loaded) or not. */
static uint64_t hook_half(uint64_t (*measure)(struct kvm_vcpu *, int),
			  struct kvm_vcpu *vcpu, int ms, bool loaded)
{
	uint64_t value;

	if (loaded) {
		kvmintro_load();
		sleep_ms(HOOK_SETTLE_MS);
	}
	value = measure(vcpu, ms);
	if (loaded) {
		kvmintro_unload();
		sleep_ms(HOOK_SETTLE_MS);
	}
	return value;
}

/* @pairs back-to-back pairs; which side comes first alternates. */
static void hook_pairs(uint64_t (*measure)(struct kvm_vcpu *, int),
		       struct kvm_vcpu *vcpu, int ms, int pairs,
		       uint64_t *with, uint64_t *without)
{
	int i;

	for (i = 0; i < pairs; i++) {
		if (i % 2) {
			with[i] = hook_half(measure, vcpu, ms, true);
			without[i] = hook_half(measure, vcpu, ms, false);
		} else {
			without[i] = hook_half(measure, vcpu, ms, false);
			with[i] = hook_half(measure, vcpu, ms, true);
		}
	}
}

static int cmp_s64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Sort @v and give its median and a 95% confidence interval for it: the
 * k-th smallest and k-th largest values, for the largest k such that
 * P(Binomial(n, 1/2) < k) <= 2.5%.  Below 6 values no k qualifies: the
 * interval is then the whole range, which covers less than 95%.
 */
struct median_ci {
	int64_t median, low, high;
};

static struct median_ci median_ci(int64_t *v, int n)
{
	double p = ldexp(1.0, -n), tail = 0;
	struct median_ci ci;
	int k = 0;

	qsort(v, n, sizeof(*v), cmp_s64);
	/* tail = P(X < k) for X ~ Binomial(n, 1/2); p = P(X = k) */
	while (k < n / 2 && tail + p <= 0.025) {
		tail += p;
		p = p * (n - k) / (k + 1);
		k++;
	}
	/* k values lie at or below the interval's bottom with chance <= 2.5% */
	ci.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	ci.low = v[k ? k - 1 : 0];
	ci.high = v[k ? n - k : n - 1];
	return ci;
}

static void bench_hook_cost(int pairs, int ms)
{
	uint64_t *with = calloc(pairs, sizeof(*with));
	uint64_t *without = calloc(pairs, sizeof(*without));
	int64_t *pair = calloc(pairs, sizeof(*pair));
	struct median_ci ratio, added;
	double round_trip_ns;
	struct kvm_vm *vm;
	int i;

	TEST_ASSERT(with && without && pair, "out of memory");

	/* a. Round trips of a guest that exits to the VMM in a tight loop. */
	vm = vm_spinning(1, GUEST_EXIT);
	sleep_ms(500);
	hook_pairs(exits_per_second, vm->vcpus[0], ms, pairs, with, without);
	vm_destroy(vm);
	for (i = 0; i < pairs; i++)	/* loaded / not loaded, in millionths */
		pair[i] = with[i] * 1000000 / (without[i] ?: 1);
	ratio = median_ci(pair, pairs);
	round_trip_ns = 1e9 / (percentile(without, pairs, 50) ?: 1);
	printf("kvm_run-hook round-trips pairs=%d: KVM_RUN round trips/s median, kvmintro loaded %" PRIu64
	       ", not loaded %" PRIu64 " (%.1f us each); pair ratio median %.4f, 95%% CI %.4f..%.4f:"
	       " overhead %.2f%% (CI %.2f%%..%.2f%%)\n",
	       pairs, percentile(with, pairs, 50), percentile(without, pairs, 50),
	       round_trip_ns / 1e3, ratio.median / 1e6, ratio.low / 1e6, ratio.high / 1e6,
	       100.0 - ratio.median / 1e4, 100.0 - ratio.high / 1e4, 100.0 - ratio.low / 1e4);
	fflush(stdout);

	/* b. What the hook adds to one KVM_RUN, on KVM_RUNs that return at once. */
	vm = vm_create();
	vcpu_add(vm, 0);
	hook_pairs(immediate_run_ps, vm->vcpus[0], ms / 2, pairs, with, without);
	vm_destroy(vm);
	for (i = 0; i < pairs; i++)	/* picoseconds */
		pair[i] = (int64_t)with[i] - (int64_t)without[i];
	added = median_ci(pair, pairs);
	printf("kvm_run-hook immediate-exit pairs=%d: KVM_RUN returning at once, median %.2f us not loaded,"
	       " %.2f us loaded; the hook adds %.3f us, 95%% CI %.3f..%.3f us:"
	       " %.2f%% of a round trip above (CI %.2f%%..%.2f%%)\n",
	       pairs, percentile(without, pairs, 50) / 1e6, percentile(with, pairs, 50) / 1e6,
	       added.median / 1e6, added.low / 1e6, added.high / 1e6,
	       100.0 * added.median / 1e3 / round_trip_ns,
	       100.0 * added.low / 1e3 / round_trip_ns,
	       100.0 * added.high / 1e3 / round_trip_ns);
	fflush(stdout);
	free(with);
	free(without);
	free(pair);
}

int main(int argc, char **argv)
{
	bool all = argc < 2;

	if (!getenv("KVMINTRO_KO")) {
		fprintf(stderr, "pause_bench: KVMINTRO_KO is not set: run it with bench/run\n");
		return 2;
	}
	if (!all && strcmp(argv[1], "latency") && strcmp(argv[1], "hook")) {
		fprintf(stderr, "usage: pause_bench [latency | hook [PAIRS [MS]]]\n");
		return 2;
	}
	if (all || !strcmp(argv[1], "latency")) {
		bench_pause_latency(1);
		bench_pause_latency(4);
	}
	if (all || !strcmp(argv[1], "hook"))
		bench_hook_cost(argc > 2 && atoi(argv[2]) > 0 ? atoi(argv[2]) : HOOK_PAIRS,
				argc > 3 && atoi(argv[3]) >= 2 * HOOK_WINDOW_MS ?
				atoi(argv[3]) : HOOK_MS);
	return 0;
}
