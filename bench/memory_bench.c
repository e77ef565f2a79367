// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of guest memory access (issue: GPA to HPA, reading, scan), run
 * in L1 on a 512 MiB guest filled with random bytes, side by side:
 *
 *  1. kvmintro scan of the whole guest, one pattern not present;
 *  2. the userspace way: read /proc/<vmm>/mem in 4 MiB chunks + memmem();
 *  3. memmem() over a resident local buffer of the same size (the memory
 *     speed reference);
 *  4. gpa_hpa, pages per second, versus reading /proc/<vmm>/pagemap for
 *     the same range (which reports less: no kind, no host page size).
 *
 * Each figure is the median of several runs; read the ratios.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kvm_util.h"
#include "kvmintro_e2e.h"
#include "processor.h"

#define GUEST_SIZE	(512ULL << 20)
#define RUNS		5
#define CHUNK		(4 << 20)

static const char needle[] = "kvmintro-absent!";

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v)
{
	qsort(v, RUNS, sizeof(*v), cmp_u64);
	return v[RUNS / 2];
}

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

static uint64_t time_read_all(const char *path)
{
	uint64_t start = clock_ns();
	char *text = kvmintro_read(path);

	TEST_ASSERT(text, "read %s", path);
	free(text);
	return clock_ns() - start;
}

static uint64_t time_pagemap(uint64_t hva)
{
	static uint64_t entries[GUEST_SIZE / 4096];
	uint64_t start = clock_ns();
	int fd = open("/proc/self/pagemap", O_RDONLY);

	TEST_ASSERT(pread(fd, entries, sizeof(entries), hva / 4096 * 8) ==
		    sizeof(entries), "pread pagemap");
	close(fd);
	return clock_ns() - start;
}

int main(void)
{
	uint64_t scan[RUNS], procmem[RUNS], local[RUNS], table[RUNS], pagemap[RUNS];
	char scan_path[192], table_path[192];
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
	snprintf(table_path, sizeof(table_path), "%s/gpa_hpa", kvmintro_vm_path(getpid(), 0));
	TEST_ASSERT(kvmintro_wait_path(scan_path, true, 10000), "no scan file");
	for (i = 0; i < RUNS; i++) {
		scan[i] = time_scan(scan_path);
		procmem[i] = time_proc_mem(hva);
		local[i] = time_local_memmem(buf);
		table[i] = time_read_all(table_path);
		pagemap[i] = time_pagemap(hva);
	}
	s = mb_per_s(GUEST_SIZE, median(scan));
	p = mb_per_s(GUEST_SIZE, median(procmem));
	l = mb_per_s(GUEST_SIZE, median(local));
	printf("scan 512MiB: kvmintro %.0f MB/s, /proc/pid/mem+memmem %.0f MB/s, local memmem %.0f MB/s;"
	       " kvmintro/procmem %.1fx, kvmintro/local %.2f\n", s, p, l, s / p, s / l);
	printf("gpa_hpa 512MiB: kvmintro %.0f Kpages/s, pagemap %.0f Kpages/s; ratio %.2f\n",
	       GUEST_SIZE / 4096 / ((double)median(table) / 1e9) / 1000,
	       GUEST_SIZE / 4096 / ((double)median(pagemap) / 1e9) / 1000,
	       (double)median(pagemap) / (double)median(table));
	kvmintro_unload();
	vm_destroy(vm);
	return 0;
}
