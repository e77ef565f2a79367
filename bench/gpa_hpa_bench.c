// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of the gpa_hpa table against its peer, /proc/<vmm>/pagemap, run
 * in L1 for every way a VMM backs guest memory: private anonymous memory
 * with and without THP, shared anonymous memory, a memfd, hugetlbfs with
 * 2 MiB and with 1 GiB pages, and (6.18 and later) a guest_memfd KVM
 * faults the guest's pages in from alone, which the VMM maps and backs
 * through its mapping, so that pagemap sees its pages.
 *
 * For each backing: one VM, one memslot (256 MiB; 1 GiB for 1 GiB pages),
 * every page of it backed by the VMM before timing; then, in turn, RUNS
 * reads of the whole gpa_hpa file and RUNS reads of the pagemap entries of
 * the same range, each from a fresh open.  pagemap reports less (a frame
 * number per 4 KiB page, no kind, no host page size, no HVA), so a ratio
 * above 1 says gpa_hpa tells more in less time.  Medians of each side, and
 * the median of the ratios of the pairs (each pair ran back to back, so
 * the noise of a shared machine mostly cancels out in it); read the ratios.
 *
 * Before timing, the table is checked against pagemap: every page backed,
 * every run's first pfn the one pagemap gives.
 *
 * usage: gpa_hpa_bench [name...]   (only the backings whose name holds one,
 *                                   e.g. "shared" or "no THP")
 */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm_util.h"
#include "kvmintro_e2e.h"
#include "median.h"

#define RUNS		9
#define HUGE_1G_PATH	"/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages"

struct backing {
	const char *name;
	enum vm_mem_backing backing;
	uint64_t size;
	bool no_thp;
};

static const struct backing backings[] = {
	{ "anon, no THP",	VM_MEM_ANON,		256ULL << 20,	true },
	{ "anon, THP",		VM_MEM_THP,		256ULL << 20,	false },
	{ "shared anon",	VM_MEM_ANON_SHARED,	256ULL << 20,	false },
	{ "memfd",		VM_MEM_SHARED,		256ULL << 20,	false },
	{ "hugetlb 2M",		VM_MEM_HUGETLB,		256ULL << 20,	false },
	{ "hugetlb 1G",		VM_MEM_HUGETLB_1G,	1ULL << 30,	false },
	{ "guest_memfd",	VM_MEM_GUEST_MEMFD,	256ULL << 20,	false },
};

/* The table is read as cat(1) reads a file: 128 KiB at a time. */
#define GPA_HPA_READ_SIZE	(128 << 10)

static uint64_t time_gpa_hpa(const char *path, char *buf)
{
	uint64_t start = clock_ns();
	int fd = open(path, O_RDONLY);
	ssize_t n;

	TEST_ASSERT(fd >= 0, "open %s", path);
	do
		n = read(fd, buf, GPA_HPA_READ_SIZE);
	while (n > 0);
	TEST_ASSERT(!n, "read %s", path);
	close(fd);
	return clock_ns() - start;
}

static uint64_t time_pagemap(uint64_t hva, uint64_t *entries, uint64_t npages)
{
	uint64_t start = clock_ns();
	int fd = open("/proc/self/pagemap", O_RDONLY);

	TEST_ASSERT(fd >= 0, "open pagemap");
	TEST_ASSERT(pread(fd, entries, npages * 8, hva / 4096 * 8) ==
		    (ssize_t)(npages * 8), "pread pagemap");
	close(fd);
	return clock_ns() - start;
}

/*
 * Every page backed, each run's first frame the one pagemap has; the
 * number of runs (records).
 */
static int check_table(const char *vm_path, uint64_t hva, uint64_t npages)
{
	struct kvmintro_gpa_hpa_line *lines;
	uint64_t backed = 0, pfn;
	int n, i;

	lines = calloc(npages, sizeof(*lines));
	TEST_ASSERT(lines, "calloc");
	n = kvmintro_gpa_hpa(vm_path, "gpa_hpa", lines, npages);
	TEST_ASSERT(n > 0, "gpa_hpa: %d", n);
	for (i = 0; i < n; i++) {
		TEST_ASSERT(strcmp(lines[i].kind, "none"),
			    "gpa %#lx: not backed", lines[i].gpa);
		backed += lines[i].npages;
		pfn = kvmintro_pagemap_pfn(hva + lines[i].gpa);
		TEST_ASSERT(pfn == lines[i].pfn,
			    "gpa %#lx: pfn %#lx, pagemap %#lx", lines[i].gpa,
			    lines[i].pfn, pfn);
	}
	TEST_ASSERT(backed == npages, "%lu of %lu pages backed", backed, npages);
	free(lines);
	return n;
}

static bool reserve_1g(void)
{
	char buf[16] = "";
	int fd;

	kvmintro_write(HUGE_1G_PATH, "1");
	fd = open(HUGE_1G_PATH, O_RDONLY);
	if (fd < 0)
		return false;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(fd);
	return atoi(buf) >= 1;
}

static void bench(const struct backing *b)
{
	uint64_t npages = b->size / 4096, table[RUNS], pagemap[RUNS], off;
	double ratios[RUNS];
	const char *vm_path = kvmintro_vm_path(getpid(), 0);
	char path[192];
	struct kvm_vm *vm;
	uint64_t *entries;
	uint8_t *mem;
	char *buf;
	double t, p, ratio;
	int i, r, runs;

	if (b->backing == VM_MEM_HUGETLB && !kvmintro_reserve_hugepages(npages / 512)) {
		printf("gpa_hpa %-13s skipped: no %lu free 2 MiB pages\n", b->name, npages / 512);
		return;
	}
	if (b->backing == VM_MEM_HUGETLB_1G && !reserve_1g()) {
		printf("gpa_hpa %-13s skipped: no free 1 GiB page\n", b->name);
		return;
	}
	vm = vm_create();
	r = __vm_add_memslot(vm, b->backing, 0, 0, b->size, 0);
	if (r) {
		printf("gpa_hpa %-13s skipped: memslot: %s\n", b->name, strerror(-r));
		vm_destroy(vm);
		return;
	}
	mem = addr_gpa2hva(vm, 0);
	if (b->no_thp)
		TEST_ASSERT(!madvise(mem, b->size, MADV_NOHUGEPAGE), "madvise");
	for (off = 0; off < b->size; off += 4096)
		mem[off] = (uint8_t)(off >> 12 | 1);

	snprintf(path, sizeof(path), "%s/gpa_hpa", vm_path);
	TEST_ASSERT(kvmintro_wait_path(path, true, 10000), "no %s", path);
	runs = check_table(vm_path, (uintptr_t)mem, npages);
	entries = malloc(npages * 8);
	buf = malloc(GPA_HPA_READ_SIZE);
	TEST_ASSERT(entries && buf, "malloc");
	for (i = 0; i < RUNS; i++) {
		table[i] = time_gpa_hpa(path, buf);
		pagemap[i] = time_pagemap((uintptr_t)mem, entries, npages);
		ratios[i] = (double)pagemap[i] / table[i];
	}
	free(entries);
	free(buf);
	ratio = median_double(ratios, RUNS);
	t = npages / ((double)median_u64(table, RUNS) / 1e9) / 1e6;
	p = npages / ((double)median_u64(pagemap, RUNS) / 1e9) / 1e6;
	printf("gpa_hpa %-13s %5lu MiB, %6d runs: kvmintro %6.2f Mpages/s, pagemap %6.2f Mpages/s; ratio %.2f, of pairs %.2f (%.2f-%.2f)\n",
	       b->name, b->size >> 20, runs, t, p, t / p, ratio,
	       ratios[0], ratios[RUNS - 1]);
	vm_destroy(vm);
	TEST_ASSERT(kvmintro_wait_path(vm_path, false, 10000), "%s stays", vm_path);
}

/* Run @b: no names given, or one of them a part of its name. */
static bool wanted(const struct backing *b, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strstr(b->name, argv[i]))
			return true;
	}
	return argc < 2;
}

int main(int argc, char **argv)
{
	size_t i;

	if (!getenv("KVMINTRO_KO")) {
		fprintf(stderr, "gpa_hpa_bench: KVMINTRO_KO is not set: run it with bench/run\n");
		return 2;
	}
	kvmintro_load();
	printf("gpa_hpa against /proc/pid/pagemap, same range, every page backed; medians of %d; ratio > 1: gpa_hpa faster\n",
	       RUNS);
	for (i = 0; i < ARRAY_SIZE(backings); i++) {
		if (wanted(&backings[i], argc, argv))
			bench(&backings[i]);
	}
	kvmintro_unload();
	return 0;
}
