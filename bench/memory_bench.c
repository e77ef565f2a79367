// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of guest memory access (reading, scan), run
 * in L1 on a 512 MiB guest filled with random bytes, side by side:
 *
 *  1. kvmintro scan of the whole guest, one pattern not present;
 *  2. the userspace way: read /proc/<vmm>/mem in 4 MiB chunks + memmem();
 *  3. memmem() over a resident local buffer of the same size (the memory
 *     speed reference).
 *
 * gpa_hpa against pagemap, for every backing, is gpa_hpa_bench.c.
 *
 * Each figure is the median of several runs; read the ratios.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kvm_util.h"
#include "kvmintro_e2e.h"
#include "median.h"
#include "processor.h"

#define GUEST_SIZE	(512ULL << 20)
#define RUNS		5
#define CHUNK		(4 << 20)

static const char needle[] = "kvmintro-absent!";

static void fill_random(uint8_t *p, uint64_t len)
{
	uint64_t x = 0x2545f4914f6cdd1dULL, i;

	for (i = 0; i < len; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(p + i, &x, 8);
	}
}

static double mb_per_s(uint64_t bytes, uint64_t ns)
{
	return (double)bytes / (1 << 20) / ((double)ns / 1e9);
}

static uint64_t time_scan(const char *path)
{
	uint64_t start = clock_ns();
	char request[64];

	snprintf(request, sizeof(request), "str:%s\n", needle);
	TEST_ASSERT(!kvmintro_write(path, request), "scan");
	return clock_ns() - start;
}

static uint64_t time_proc_mem(uint64_t hva)
{
	static uint8_t buf[CHUNK];
	uint64_t start = clock_ns(), off;
	int fd = open("/proc/self/mem", O_RDONLY);

	TEST_ASSERT(fd >= 0, "open /proc/self/mem");
	for (off = 0; off < GUEST_SIZE; off += CHUNK) {
		TEST_ASSERT(pread(fd, buf, CHUNK, hva + off) == CHUNK, "pread");
		TEST_ASSERT(!memmem(buf, CHUNK, needle, sizeof(needle) - 1),
			    "needle found");
	}
	close(fd);
	return clock_ns() - start;
}

static uint64_t time_local_memmem(const uint8_t *buf)
{
	uint64_t start = clock_ns();

	TEST_ASSERT(!memmem(buf, GUEST_SIZE, needle, sizeof(needle) - 1),
		    "needle found");
	return clock_ns() - start;
}

int main(void)
{
	uint64_t scan[RUNS], procmem[RUNS], local[RUNS];
	char scan_path[192];
	struct kvm_vm *vm;
	uint8_t *buf;
	uint64_t hva;
	double s, p, l;
	int i;

	if (!getenv("KVMINTRO_KO")) {
		fprintf(stderr, "memory_bench: KVMINTRO_KO is not set: run it with bench/run\n");
		return 2;
	}
	vm = vm_create();
	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, GUEST_SIZE, 0);
	hva = (uintptr_t)addr_gpa2hva(vm, 0);
	fill_random((uint8_t *)(uintptr_t)hva, GUEST_SIZE);
	buf = malloc(GUEST_SIZE);
	TEST_ASSERT(buf, "malloc");
	fill_random(buf, GUEST_SIZE);

	kvmintro_load();
	snprintf(scan_path, sizeof(scan_path), "%s/scan", kvmintro_vm_path(getpid(), 0));
	TEST_ASSERT(kvmintro_wait_path(scan_path, true, 10000), "no scan file");
	for (i = 0; i < RUNS; i++) {
		scan[i] = time_scan(scan_path);
		procmem[i] = time_proc_mem(hva);
		local[i] = time_local_memmem(buf);
	}
	s = mb_per_s(GUEST_SIZE, median_u64(scan, RUNS));
	p = mb_per_s(GUEST_SIZE, median_u64(procmem, RUNS));
	l = mb_per_s(GUEST_SIZE, median_u64(local, RUNS));
	printf("scan 512MiB: kvmintro %.0f MB/s, /proc/pid/mem+memmem %.0f MB/s, local memmem %.0f MB/s;"
	       " kvmintro/procmem %.1fx, kvmintro/local %.2f\n", s, p, l, s / p, s / l);
	kvmintro_unload();
	vm_destroy(vm);
	return 0;
}
