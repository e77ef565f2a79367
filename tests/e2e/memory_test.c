// SPDX-License-Identifier: GPL-2.0
/*
 * gpa_hpa, translate and mem against the truth this process, as the VMM,
 * has of its own memory: /proc/self/pagemap for every host frame,
 * /proc/kpageflags for what kind of page it is (THP, hugetlb, zero page),
 * and the bytes at each slot's HVA.  Also: nothing kvmintro reads changes
 * the VMM's memory (resident set, pagemap, pin counters).
 */
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvm_util.h"
#include "kvmintro_e2e.h"
#include "processor.h"

#define TIMEOUT_MS	10000

#define KPF_COMPOUND_HEAD	15
#define KPF_COMPOUND_TAIL	16
/* pagemap: a page of a file, or shared anonymous (shmem). */
#define PM_FILE			(UINT64_C(1) << 61)

/* The kind /proc/kpageflags gives the page behind @pfn. */
static const char *truth_kind(uint64_t pfn)
{
	uint64_t flags = kvmintro_kpageflags(pfn);

	if (flags & (1ULL << KVMINTRO_KPF_ZERO_PAGE))
		return "zero";
	if (flags & (1ULL << KVMINTRO_KPF_HUGE))
		return "hugetlb";
	if (flags & (1ULL << KVMINTRO_KPF_THP))
		return "thp";
	return "base";
}

/*
 * The frames [*@head, *@end) of the compound page (folio) @pfn is part of,
 * from kpageflags' head and tail bits; one frame for a base page.  Folios
 * of up to 2 MiB only (THP, mTHP, hugetlbfs 2M).
 */
static void truth_folio(uint64_t pfn, uint64_t *head, uint64_t *end)
{
	const uint64_t tail = 1ULL << KPF_COMPOUND_TAIL;

	*head = pfn;
	while (pfn - *head < 512 && (kvmintro_kpageflags(*head) & tail))
		(*head)--;
	*end = *head + 1;
	if (!(kvmintro_kpageflags(*head) & (1ULL << KPF_COMPOUND_HEAD)))
		return;
	while (*end - *head < 512 && (kvmintro_kpageflags(*end) & tail))
		(*end)++;
}

/* Bytes of a page size word: 4K, 64K, 2M, 1G. */
static uint64_t size_word_bytes(const char *word)
{
	char *unit;
	uint64_t n = strtoull(word, &unit, 10);

	TEST_ASSERT(n && unit[0] && !unit[1], "page size word '%s'", word);
	switch (unit[0]) {
	case 'K':
		return n << 10;
	case 'M':
		return n << 20;
	case 'G':
		return n << 30;
	}
	TEST_FAIL("page size word '%s'", word);
}

/* A VM whose memory the VMM filled here and there, the rest untouched. */
static struct kvm_vm *vm_create_with_memory(bool *has_hugetlb)
{
	struct kvm_vm *vm = vm_create();
	unsigned int i;
	uint8_t *p;

	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, SZ_2M, 0);
	vm_add_memslot(vm, VM_MEM_ANON, 1, 0x10000000, 4 * SZ_2M, 0);
	/* Base pages here, whatever the host's THP policy. */
	TEST_ASSERT(!madvise(addr_gpa2hva(vm, 0x10000000), 4 * SZ_2M,
			     MADV_NOHUGEPAGE), "madvise");
	vm_add_memslot(vm, VM_MEM_THP, 2, 0x100000000ULL, 4 * SZ_2M, 0);
	*has_hugetlb = kvmintro_reserve_hugepages(8);
	if (*has_hugetlb)
		vm_add_memslot(vm, VM_MEM_HUGETLB, 3, 0x180000000ULL, SZ_2M, 0);
	vm_guest_init(vm, VM_MODE_DEFAULT);
	virt_identity_map_memslots(vm, SZ_2M);

	/* Every 4th page of the 4K slot, the first two THPs, the hugetlb page. */
	for (i = 0; i < 4 * 512; i += 4) {
		p = addr_gpa2hva(vm, 0x10000000 + i * 4096ULL);
		memset(p, 0x40 + i % 64, 4096);
		p[0] = i;
	}
	p = addr_gpa2hva(vm, 0x100000000ULL);
	for (i = 0; i < 2 * SZ_2M; i++)
		p[i] = (uint8_t)(i * 7 + (i >> 12));
	if (*has_hugetlb) {
		p = addr_gpa2hva(vm, 0x180000000ULL);
		memset(p, 0x5a, SZ_2M);
	}
	return vm;
}

/* The live gpa_hpa table, through the e2e library's record reader. */
static int read_gpa_hpa(struct kvmintro_gpa_hpa_line *lines, int max)
{
	int n, i;

	n = kvmintro_gpa_hpa(kvmintro_vm_path(getpid(), 0), "gpa_hpa", lines,
			     max);
	TEST_ASSERT(n >= 0, "read gpa_hpa: %s", strerror(-n));
	TEST_ASSERT(n < max, "too many gpa_hpa lines");
	for (i = 0; i < n; i++)
		if (strcmp(lines[i].kind, "none"))
			TEST_ASSERT_EQ(lines[i].hpa, lines[i].pfn << 12);
	return n;
}

/* What check_runs() counted. */
struct run_counts {
	uint64_t covered, checked;
	int thp, huge, none;
	uint64_t huge_pages, small_thp_pages;
};

/*
 * Each run of a gpa_hpa table against the truth, page by page: its HVA is
 * the VMM's, runs do not overlap, and each page is present in pagemap
 * exactly when the run says it is backed, with the frame and the kind
 * (kpageflags) the run gives.
 */
static struct run_counts check_runs(struct kvm_vm *vm,
				    const struct kvmintro_gpa_hpa_line *lines,
				    int n)
{
	struct run_counts c = {};
	uint64_t entry, i, head = 0, end = 0, pfn;
	int j;

	for (j = 0; j < n; j++) {
		const struct kvmintro_gpa_hpa_line *l = &lines[j];

		TEST_ASSERT_EQ((uint64_t)(uintptr_t)addr_gpa2hva(vm, l->gpa), l->hva);
		if (j)
			TEST_ASSERT(l->gpa >= lines[j - 1].gpa +
				    lines[j - 1].npages * 4096, "runs overlap");
		c.covered += l->npages;
		for (i = 0; i < l->npages; i++) {
			entry = kvmintro_pagemap_entry(l->hva + i * 4096);
			if (!strcmp(l->kind, "none")) {
				TEST_ASSERT(!(entry & KVMINTRO_PM_PRESENT),
					    "gpa 0x%" PRIx64 " reported none but present",
					    l->gpa + i * 4096);
				continue;
			}
			TEST_ASSERT(entry & KVMINTRO_PM_PRESENT, "gpa 0x%" PRIx64 " not present",
				    l->gpa + i * 4096);
			TEST_ASSERT((entry & KVMINTRO_PM_PFN_MASK) == l->pfn + i,
				    "gpa 0x%" PRIx64 ": pfn 0x%" PRIx64 ", pagemap 0x%" PRIx64,
				    l->gpa + i * 4096, l->pfn + i, entry & KVMINTRO_PM_PFN_MASK);
			TEST_ASSERT(!strcmp(l->kind, truth_kind(l->pfn + i)),
				    "gpa 0x%" PRIx64 ": kind %s, kpageflags says %s",
				    l->gpa + i * 4096, l->kind, truth_kind(l->pfn + i));
			c.checked++;
			if (strcmp(l->kind, "thp") && strcmp(l->kind, "hugetlb"))
				continue;
			/* The host page is the folio: its size, by kpageflags. */
			pfn = l->pfn + i;
			if (pfn < head || pfn >= end)
				truth_folio(pfn, &head, &end);
			TEST_ASSERT((end - head) * 4096 == size_word_bytes(l->host_size),
				    "gpa 0x%" PRIx64 ": %s of host_size=%s, a folio of %" PRIu64 " KiB by kpageflags",
				    l->gpa + i * 4096, l->kind, l->host_size,
				    (end - head) * 4);
			if (!strcmp(l->kind, "hugetlb"))
				c.huge_pages++;
			else if (end - head < 512)
				c.small_thp_pages++;
		}
		if (!strcmp(l->kind, "thp")) {
			c.thp++;
		} else if (!strcmp(l->kind, "hugetlb")) {
			TEST_ASSERT(!strcmp(l->host_size, "2M"), "hugetlb of size %s", l->host_size);
			c.huge++;
		} else if (!strcmp(l->kind, "none")) {
			c.none++;
		} else {
			TEST_ASSERT(!strcmp(l->host_size, "4K"), "%s of size %s", l->kind, l->host_size);
		}
	}
	return c;
}

static void test_gpa_hpa_matches_pagemap(void)
{
	static struct kvmintro_gpa_hpa_line lines[8192];
	bool has_hugetlb;
	struct kvm_vm *vm = vm_create_with_memory(&has_hugetlb);
	struct run_counts c;
	int n;

	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 0), true,
				       TIMEOUT_MS), "no VM directory");
	n = read_gpa_hpa(lines, 8192);
	c = check_runs(vm, lines, n);
	/* Every page of every slot, once. */
	TEST_ASSERT_EQ(c.covered, (uint64_t)(SZ_2M + 4 * SZ_2M + 4 * SZ_2M +
					     (has_hugetlb ? SZ_2M : 0)) / 4096);
	TEST_ASSERT(c.thp >= 2, "the two touched THPs are %d thp lines", c.thp);
	TEST_ASSERT(!has_hugetlb || c.huge == 1, "hugetlb lines: %d", c.huge);
	TEST_ASSERT(c.none > 0, "no unbacked run reported");
	ksft_print_msg("%d lines, %" PRIu64 " backed pages checked against pagemap, %d thp, %d hugetlb\n",
		       n, c.checked, c.thp, c.huge);
	vm_destroy(vm);
	kvmintro_unload();
}

/*
 * Shared memory as VMMs use it for vhost-user and virtiofs: shared
 * anonymous (shmem) and a memfd, each touched on every third page of its
 * first half, read back by a VMM process that also forked (so the pages
 * are mapped twice).
 */
static void test_gpa_hpa_shared_backings(void)
{
	static struct kvmintro_gpa_hpa_line lines[8192];
	struct kvm_vm *vm = vm_create();
	uint64_t touched = 0, i;
	struct run_counts c;
	pid_t child;
	int n;

	vm_add_memslot(vm, VM_MEM_ANON_SHARED, 0, 0, 4 * SZ_2M, 0);
	vm_add_memslot(vm, VM_MEM_SHARED, 1, 0x40000000, 4 * SZ_2M, 0);
	for (i = 0; i < 2 * SZ_2M; i += 3 * 4096, touched += 2) {
		*(uint8_t *)addr_gpa2hva(vm, i) = 1;
		*(uint8_t *)addr_gpa2hva(vm, 0x40000000 + i) = 2;
	}
	child = fork();
	TEST_ASSERT(child >= 0, "fork");
	if (!child) {
		pause();
		_exit(0);
	}
	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 0), true,
				       TIMEOUT_MS), "no VM directory");
	n = read_gpa_hpa(lines, 8192);
	c = check_runs(vm, lines, n);
	TEST_ASSERT_EQ(c.covered, (uint64_t)(8 * SZ_2M) / 4096);
	TEST_ASSERT_EQ(c.checked, touched);
	ksft_print_msg("%d lines, %" PRIu64 " backed pages checked against pagemap\n",
		       n, c.checked);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	vm_destroy(vm);
	kvmintro_unload();
}

/* A THP knob in sysfs, and the value it had, to be put back. */
struct thp_knob {
	const char *path;
	char old[32];
	bool set;
};

/*
 * Set @knob to @value, keeping the value it had (the word in brackets of
 * "always [madvise] never"); false if the kernel has no such knob.
 */
static bool thp_knob_set(struct thp_knob *knob, const char *value)
{
	char *text = kvmintro_read(knob->path), *open, *close;

	if (!text)
		return false;
	open = strchr(text, '[');
	close = open ? strchr(open, ']') : NULL;
	TEST_ASSERT(close && close - open - 1 < (int)sizeof(knob->old),
		    "%s: '%s'", knob->path, text);
	snprintf(knob->old, sizeof(knob->old), "%.*s", (int)(close - open - 1),
		 open + 1);
	free(text);
	TEST_ASSERT(!kvmintro_write(knob->path, value), "write %s to %s", value,
		    knob->path);
	knob->set = true;
	return true;
}

static void thp_knob_restore(struct thp_knob *knob)
{
	if (knob->set)
		TEST_ASSERT(!kvmintro_write(knob->path, knob->old),
			    "put %s back in %s", knob->old, knob->path);
	knob->set = false;
}

#define THP_SYSFS	"/sys/kernel/mm/transparent_hugepage"

/* The knobs test_more_backings() sets; put back at exit, failed or not. */
static struct thp_knob thp_shmem = { .path = THP_SYSFS "/shmem_enabled" };
static struct thp_knob thp_64k = { .path = THP_SYSFS "/hugepages-64kB/enabled" };
static struct thp_knob thp_pmd = { .path = THP_SYSFS "/hugepages-2048kB/enabled" };

static void thp_knobs_restore(void)
{
	struct thp_knob *knobs[] = { &thp_shmem, &thp_64k, &thp_pmd };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++)
		if (knobs[i]->set)
			kvmintro_write(knobs[i]->path, knobs[i]->old);
}

#define MORE_FILE_GPA	0x0ULL
#define MORE_SHMEM_GPA	0x40000000ULL
#define MORE_HUGE_GPA	0x80000000ULL
#define MORE_MTHP_GPA	0xc0000000ULL

/* The guest byte at @gpa of the file the private mapping maps. */
static uint8_t file_byte(uint64_t gpa)
{
	return (uint8_t)(gpa * 13 + (gpa >> 12) * 7 + 1);
}

/*
 * The other ways VMMs back guest memory: a file mapped MAP_PRIVATE (QEMU's
 * memory-backend-file,share=off, snapshot restores), shmem THP (a memfd
 * advised MADV_HUGEPAGE, as QEMU advises its RAM, with shmem_enabled set
 * to advise), a hugetlbfs memfd (memory-backend-memfd,hugetlb=on) and
 * multi-size THP (64 KiB anonymous folios, 6.8 and later).  gpa_hpa against
 * pagemap and kpageflags page by page, host_size against the folio's size;
 * mem against the VMM's bytes; and reading changes no page table entry, so
 * the file's pages stay the file's (no copy-on-write broken).
 */
static void test_more_backings(void)
{
	static struct kvmintro_gpa_hpa_line lines[8192];
	static uint8_t buf[SZ_2M];
	const uint64_t keep = KVMINTRO_PM_PRESENT | PM_FILE | KVMINTRO_PM_PFN_MASK;
	struct kvm_vm *vm = vm_create();
	uint64_t *before, i, pages, gpa, entry, read_pages = 0, cow_pages = 0;
	uint64_t unmapped = 0, shmem_thp = 0;
	uint64_t total = 4 * SZ_2M + 4 * SZ_2M;
	struct vm_memslot *file;
	bool has_hugetlb, has_mthp;
	volatile uint8_t *p;
	struct run_counts c;
	char path[192];
	int n, j, fd;

	TEST_ASSERT(!atexit(thp_knobs_restore), "atexit");
	/* The file: written first, then mapped privately and touched. */
	file = vm_add_memslot(vm, VM_MEM_FILE_PRIVATE, 0, MORE_FILE_GPA,
			      4 * SZ_2M, 0);
	for (gpa = 0; gpa < 4 * SZ_2M; gpa++)
		buf[gpa % SZ_2M] = file_byte(gpa);
	for (gpa = 0; gpa < 4 * SZ_2M; gpa += SZ_2M)
		TEST_ASSERT(pwrite(file->fd, buf, SZ_2M, gpa) == SZ_2M,
			    "write the file");
	/*
	 * Every 4th page written: a copy.  Every 4th page of the first half
	 * read: the file's page (and, by fault-around, those near it that
	 * were not written).  The second half's others: not mapped.
	 */
	for (i = 0; i < 4 * 512; i++) {
		p = addr_gpa2hva(vm, MORE_FILE_GPA + i * 4096);
		if (i % 4 == 1)
			p[1] = 0xee;
		else if (i % 4 == 0 && i < 2 * 512)
			TEST_ASSERT_EQ(p[5], file_byte(i * 4096 + 5));
	}

	TEST_ASSERT(thp_knob_set(&thp_shmem, "advise"), "no %s", thp_shmem.path);
	vm_add_memslot(vm, VM_MEM_SHARED_THP, 1, MORE_SHMEM_GPA, 4 * SZ_2M, 0);
	memset(addr_gpa2hva(vm, MORE_SHMEM_GPA), 0x33, 2 * SZ_2M);
	thp_knob_restore(&thp_shmem);

	has_hugetlb = kvmintro_reserve_hugepages(8);
	if (has_hugetlb) {
		vm_add_memslot(vm, VM_MEM_HUGETLB_MEMFD, 2, MORE_HUGE_GPA,
			       SZ_2M, 0);
		memset(addr_gpa2hva(vm, MORE_HUGE_GPA), 0x44, SZ_2M);
		total += SZ_2M;
	}

	vm_add_memslot(vm, VM_MEM_ANON, 3, MORE_MTHP_GPA, 2 * SZ_2M, 0);
	total += 2 * SZ_2M;
	has_mthp = thp_knob_set(&thp_64k, "always");
	if (has_mthp)
		TEST_ASSERT(thp_knob_set(&thp_pmd, "never"), "no %s", thp_pmd.path);
	for (i = 0; i < SZ_2M; i++)
		((uint8_t *)addr_gpa2hva(vm, MORE_MTHP_GPA))[i] = i * 3 + (i >> 12);
	/* khugepaged would soon make the 64 KiB folios one THP of 2M. */
	TEST_ASSERT(!madvise(addr_gpa2hva(vm, MORE_MTHP_GPA), 2 * SZ_2M,
			     MADV_NOHUGEPAGE), "madvise");
	thp_knob_restore(&thp_pmd);
	thp_knob_restore(&thp_64k);

	/* The file's pages: read (the file's page) or written (a copy). */
	pages = 4 * 512;
	before = calloc(pages, sizeof(*before));
	TEST_ASSERT(before, "calloc");
	for (i = 0; i < pages; i++) {
		before[i] = kvmintro_pagemap_entry((uintptr_t)addr_gpa2hva(vm, i * 4096));
		if ((before[i] & KVMINTRO_PM_PRESENT) && (before[i] & PM_FILE))
			read_pages++;
		else if (before[i] & KVMINTRO_PM_PRESENT)
			cow_pages++;
		else
			unmapped++;
	}
	TEST_ASSERT(read_pages >= 256 && cow_pages == 512 && unmapped >= 256,
		    "file mapped privately: %" PRIu64 " pages of the file, %" PRIu64 " copies, %" PRIu64 " not mapped",
		    read_pages, cow_pages, unmapped);

	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 0), true,
				       TIMEOUT_MS), "no VM directory");
	n = read_gpa_hpa(lines, 8192);
	c = check_runs(vm, lines, n);
	TEST_ASSERT_EQ(c.covered, total / 4096);
	for (j = 0; j < n; j++)
		if (lines[j].gpa >= MORE_SHMEM_GPA &&
		    lines[j].gpa < MORE_SHMEM_GPA + 4 * SZ_2M &&
		    !strcmp(lines[j].kind, "thp") &&
		    !strcmp(lines[j].host_size, "2M"))
			shmem_thp += lines[j].npages;
	TEST_ASSERT(shmem_thp >= 512,
		    "shmem THP: %" PRIu64 " pages in THPs of 2M", shmem_thp);
	TEST_ASSERT(!has_hugetlb || c.huge_pages == 512,
		    "hugetlbfs memfd: %" PRIu64 " pages in huge pages", c.huge_pages);
	TEST_ASSERT(!has_mthp || c.small_thp_pages >= 16,
		    "multi-size THP: %" PRIu64 " pages in folios under 2M", c.small_thp_pages);

	/* mem: every backed page holds the VMM's bytes. */
	snprintf(path, sizeof(path), "%s/mem", kvmintro_vm_path(getpid(), 0));
	fd = open(path, O_RDONLY);
	TEST_ASSERT(fd >= 0, "open mem");
	for (i = 0; i < (uint64_t)vm->nr_memslots; i++) {
		const struct kvm_userspace_memory_region *r = &vm->memslots[i].region;
		uint64_t off, pg;

		for (off = 0; off < r->memory_size; off += SZ_2M) {
			TEST_ASSERT(pread(fd, buf, SZ_2M, r->guest_phys_addr + off) == SZ_2M,
				    "read mem at 0x%" PRIx64, (uint64_t)r->guest_phys_addr + off);
			for (pg = 0; pg < SZ_2M; pg += 4096) {
				void *hva = (uint8_t *)(uintptr_t)r->userspace_addr + off + pg;

				entry = kvmintro_pagemap_entry((uintptr_t)hva);
				if (!(entry & KVMINTRO_PM_PRESENT))
					continue;
				TEST_ASSERT(!memcmp(buf + pg, hva, 4096),
					    "mem at 0x%" PRIx64 " differs from the VMM's bytes (%s)",
					    (uint64_t)r->guest_phys_addr + off + pg,
					    vm_mem_backing_name(vm->memslots[i].backing));
			}
		}
	}
	close(fd);

	/* Nothing read changed the private mapping of the file. */
	for (i = 0; i < pages; i++) {
		entry = kvmintro_pagemap_entry((uintptr_t)addr_gpa2hva(vm, i * 4096));
		TEST_ASSERT((entry & keep) == (before[i] & keep),
			    "gpa 0x%" PRIx64 ": pagemap 0x%" PRIx64 " -> 0x%" PRIx64 " after reading",
			    i * 4096, before[i], entry);
	}
	ksft_print_msg("%d lines, %" PRIu64 " backed pages checked; file: %" PRIu64 " of its pages, %" PRIu64 " copies, %" PRIu64 " not mapped; %" PRIu64 " pages of shmem THP, %" PRIu64 " of a hugetlbfs memfd, %" PRIu64 " of multi-size THP%s%s\n",
		       n, c.checked, read_pages, cow_pages, unmapped, shmem_thp,
		       c.huge_pages, c.small_thp_pages,
		       has_hugetlb ? "" : " (no huge pages to reserve)",
		       has_mthp ? "" : " (no multi-size THP before 6.8)");
	free(before);
	vm_destroy(vm);
	kvmintro_unload();
}

static char *translate(const char *request)
{
	return kvmintro_vm_request("translate", request);
}

static void test_translate(void)
{
	const uint64_t gpas[] = { 0x10000234, 0x100000000ULL + 0x1fff12,
				  0x10000000 + 4096 * 4 + 8 };
	char request[256], expect[256], path[192], *text, *line;
	struct kvmintro_record_list *records;
	uint64_t entry, pfn;
	bool has_hugetlb;
	struct kvm_vm *vm = vm_create_with_memory(&has_hugetlb);
	unsigned int i;

	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 0), true,
				       TIMEOUT_MS), "no VM directory");
	snprintf(request, sizeof(request), "0x%" PRIx64 " 0x%" PRIx64 " gfn=0x%" PRIx64 " 0x5000000000 0x10001000\n",
		 gpas[0], gpas[1], gpas[2] >> 12);
	text = translate(request);
	TEST_ASSERT(text, "read translate");
	line = text;
	for (i = 0; i < 3; i++) {
		uint64_t gpa = i == 2 ? gpas[2] & ~0xfffULL : gpas[i];
		uint64_t hva = (uint64_t)(uintptr_t)addr_gpa2hva(vm, gpa);

		entry = kvmintro_pagemap_entry(hva);
		pfn = entry & KVMINTRO_PM_PFN_MASK;
		snprintf(expect, sizeof(expect),
			 "ok phys=0x%" PRIx64 " kind=%s gpa=0x%" PRIx64 " hva=0x%" PRIx64 " pfn=0x%" PRIx64 " size=%s\n",
			 (pfn << 12) | (gpa & 0xfff), truth_kind(pfn), gpa, hva,
			 pfn, strcmp(truth_kind(pfn), "base") ? "2M" : "4K");
		TEST_ASSERT(!strncmp(line, expect, strlen(expect)),
			    "reply %u:\n%.*s\nwant:\n%s", i,
			    (int)strcspn(line, "\n"), line, expect);
		line += strlen(expect);
	}
	TEST_ASSERT(!strcmp(line, "err gpa=0x5000000000 reason=no-memslot\n"
				  "err gpa=0x10001000 reason=not-backed\n"),
		    "error replies: '%s'", line);
	/* The same replies through lib/record.c's reader, field by field. */
	records = kvmintro_records_parse(text);
	TEST_ASSERT_EQ(records->count, 5);
	for (i = 0; i < 5; i++) {
		const struct kvmintro_record *r = kvmintro_records_at(records, i);
		uint64_t gpa = i == 2 ? gpas[2] & ~0xfffULL :
			       i == 3 ? 0x5000000000ULL :
			       i == 4 ? 0x10001000 : gpas[i];
		char reason[16];

		TEST_ASSERT(kvmintro_record_is(r, i < 3 ? "ok" : "err") &&
			    r->nr_fields == (i < 3 ? 6u : 2u) &&
			    kvmintro_field_u64(r, "gpa") == gpa,
			    "reply %u: '%s'", i, kvmintro_record_line(r));
		if (i < 3) {
			pfn = kvmintro_pagemap_pfn(kvmintro_field_u64(r, "hva"));
			TEST_ASSERT(kvmintro_field_u64(r, "pfn") == pfn &&
				    kvmintro_field_u64(r, "phys") ==
				    ((pfn << 12) | (gpa & 0xfff)),
				    "reply %u: '%s', pagemap 0x%" PRIx64, i,
				    kvmintro_record_line(r), pfn);
			continue;
		}
		kvmintro_field_str(r, "reason", reason, sizeof(reason));
		TEST_ASSERT(!strcmp(reason, i == 3 ? "no-memslot" : "not-backed"),
			    "reply %u: '%s'", i, kvmintro_record_line(r));
	}
	kvmintro_records_free(records);

	/* Garbage: -EINVAL, and the previous replies stay. */
	snprintf(path, sizeof(path), "%s/translate", kvmintro_vm_path(getpid(), 0));
	text = kvmintro_read(path);
	{
		static const char *const bad[] = {
			"", " ", "0x", "0xg", "gfn=", "gfn=0x10000000000000",
			"0x1 zzz", "18446744073709551616", "-1", "0x1,0x2",
		};
		char *again, big[8192];

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			int r = kvmintro_write(path, bad[i]);

			if (!bad[i][0])
				continue;	/* write of 0 bytes */
			TEST_ASSERT(r == -EINVAL, "'%s': %s", bad[i], strerror(-r));
		}
		memset(big, ' ', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		big[0] = '1';
		TEST_ASSERT_EQ(kvmintro_write(path, big), -EINVAL);
		for (i = 0; i < 65; i++)
			strcpy(big + i * 4, "0x1 ");
		TEST_ASSERT_EQ(kvmintro_write(path, big), -EINVAL);
		again = kvmintro_read(path);
		TEST_ASSERT(again && !strcmp(again, text),
			    "replies changed by rejected writes");
		free(again);
	}
	free(text);

	/* Line by line on one open file, as a shell's printf writes. */
	{
		int fd = open(path, O_WRONLY);
		char *replies;

		TEST_ASSERT(fd >= 0, "open translate");
		TEST_ASSERT(write(fd, "0x5000000000\n", 13) == 13, "write 1");
		TEST_ASSERT(write(fd, "0x10001000\n", 11) == 11, "write 2");
		close(fd);
		replies = kvmintro_read(path);
		TEST_ASSERT(replies && !strcmp(replies,
				"err gpa=0x5000000000 reason=no-memslot\n"
				"err gpa=0x10001000 reason=not-backed\n"),
			    "line-by-line replies: '%s'", replies);
		free(replies);
	}
	vm_destroy(vm);
	kvmintro_unload();
}

static void test_mem_reads_vmm_bytes(void)
{
	const uint64_t gpas[] = { 0x0, 0x10000000, 0x10000000 + 4096 * 8 - 100,
				  0x100000000ULL + 12345, 0x100000000ULL + SZ_2M - 7,
				  0x180000000ULL };
	bool has_hugetlb;
	struct kvm_vm *vm = vm_create_with_memory(&has_hugetlb);
	static uint8_t buf[3 * 4096];
	char path[192];
	unsigned int i;
	ssize_t n;
	int fd;

	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 0), true,
				       TIMEOUT_MS), "no VM directory");
	snprintf(path, sizeof(path), "%s/mem", kvmintro_vm_path(getpid(), 0));
	fd = open(path, O_RDONLY);
	TEST_ASSERT(fd >= 0, "open mem");
	/* Its size is the end of guest RAM, so dd skip= works. */
	{
		struct stat st;

		TEST_ASSERT(!fstat(fd, &st), "fstat");
		TEST_ASSERT_EQ(st.st_size, has_hugetlb ? 0x180000000ULL + SZ_2M :
						       0x100000000ULL + 4 * SZ_2M);
	}
	for (i = 0; i < ARRAY_SIZE(gpas); i++) {
		if (gpas[i] == 0x180000000ULL && !has_hugetlb)
			continue;
		n = pread(fd, buf, sizeof(buf), gpas[i]);
		TEST_ASSERT(n == sizeof(buf), "pread at 0x%" PRIx64 ": %zd %s",
			    gpas[i], n, strerror(errno));
		TEST_ASSERT(!memcmp(buf, addr_gpa2hva(vm, gpas[i]), sizeof(buf)),
			    "bytes at 0x%" PRIx64 " differ from the VMM's", gpas[i]);
	}
	/* A read running off the end of a slot stops there. */
	n = pread(fd, buf, sizeof(buf), SZ_2M - 4096);
	TEST_ASSERT(n == 4096, "read across the end of slot 0: %zd", n);
	n = pread(fd, buf, sizeof(buf), 0x5000000000ULL);
	TEST_ASSERT(n < 0 && errno == EIO, "read in no memslot: %zd %s", n,
		    strerror(errno));
	close(fd);
	/* Writing needs allow_write=1 (and no lockdown: then open refuses). */
	fd = open(path, O_WRONLY);
	if (kvmintro_locked_down()) {
		TEST_ASSERT(fd < 0 && errno == EPERM,
			    "open mem for writing under lockdown: %s",
			    fd < 0 ? strerror(errno) : "opened");
	} else {
		TEST_ASSERT(fd >= 0, "open mem for writing (root)");
		TEST_ASSERT(pwrite(fd, buf, 1, 0x10000000) < 0 && errno == EPERM,
			    "write without allow_write: %s", strerror(errno));
		close(fd);
	}
	vm_destroy(vm);
	kvmintro_unload();
}

/* allow_write=1: writes land in the VMM's memory; not in holes or ROM. */
static void test_mem_write_allowed(void)
{
	bool has_hugetlb;
	struct kvm_vm *vm = vm_create_with_memory(&has_hugetlb);
	static const char text[] = "written by kvmintro";
	char path[192];
	struct stat st;
	int fd, r;

	vm_add_memslot(vm, VM_MEM_ANON, 9, 0x200000000ULL, SZ_2M,
		       KVM_MEM_READONLY);
	r = __kvmintro_load_params("allow_write=1");
	TEST_ASSERT(!r, "load with allow_write=1: %s", strerror(-r));
	snprintf(path, sizeof(path), "%s/mem", kvmintro_vm_path(getpid(), 0));
	TEST_ASSERT(kvmintro_wait_path(path, true, TIMEOUT_MS), "no mem file");
	TEST_ASSERT(!stat(path, &st) && (st.st_mode & 0777) == 0600,
		    "mem is %o with allow_write=1", st.st_mode & 0777);
	if (kvmintro_locked_down()) {
		char before[sizeof(text)];

		/* Integrity mode forbids it, allow_write or not. */
		memset(before, 0x5a, sizeof(before));
		memcpy(addr_gpa2hva(vm, 0x10001000 - 7), before, sizeof(before));
		fd = open(path, O_WRONLY);
		TEST_ASSERT(fd < 0 && errno == EPERM,
			    "open mem for writing under lockdown: %s",
			    fd < 0 ? strerror(errno) : "opened");
		fd = open(path, O_RDWR);
		TEST_ASSERT(fd < 0 && errno == EPERM,
			    "open mem read-write under lockdown: %s",
			    fd < 0 ? strerror(errno) : "opened");
		TEST_ASSERT(!memcmp(addr_gpa2hva(vm, 0x10001000 - 7), before,
				    sizeof(before)),
			    "guest memory changed under lockdown");
		vm_destroy(vm);
		kvmintro_unload();
		return;
	}
	fd = open(path, O_RDWR);
	TEST_ASSERT(fd >= 0, "open mem read-write");
	/* Across a page boundary, into a page the VMM never touched. */
	TEST_ASSERT(pwrite(fd, text, sizeof(text), 0x10001000 - 7) == sizeof(text),
		    "pwrite: %s", strerror(errno));
	TEST_ASSERT(!memcmp(addr_gpa2hva(vm, 0x10001000 - 7), text, sizeof(text)),
		    "the VMM does not see the bytes written");
	TEST_ASSERT(pwrite(fd, text, 4, 0x200000000ULL) < 0 && errno == EIO,
		    "write to a read-only slot: %s", strerror(errno));
	TEST_ASSERT(pwrite(fd, text, 4, 0x5000000000ULL) < 0 && errno == EIO,
		    "write in no memslot: %s", strerror(errno));
	close(fd);
	vm_destroy(vm);
	kvmintro_unload();
}

/* Everything kvmintro can read, read once. */
static void read_everything(struct kvm_vm *vm, uint8_t *buf, size_t size)
{
	static struct kvmintro_gpa_hpa_line lines[8192];
	char path[192];
	unsigned int i;
	uint64_t off;
	int fd;

	read_gpa_hpa(lines, 8192);
	snprintf(path, sizeof(path), "%s/mem", kvmintro_vm_path(getpid(), 0));
	fd = open(path, O_RDONLY);
	TEST_ASSERT(fd >= 0, "open mem");
	for (i = 0; i < vm->nr_memslots; i++) {
		struct kvm_userspace_memory_region *r = &vm->memslots[i].region;

		for (off = 0; off < r->memory_size; off += size)
			TEST_ASSERT(pread(fd, buf, size, r->guest_phys_addr + off) ==
				    (ssize_t)size, "pread");
	}
	close(fd);
}

/* Reading everything changes nothing in the VMM. */
static void test_no_side_effects(void)
{
	uint64_t pins_acquired, pins_released, rss, present;
	static uint8_t buf[1 << 20];
	bool has_hugetlb;
	struct kvm_vm *vm = vm_create_with_memory(&has_hugetlb);

	/*
	 * Keep malloc()'s mmap threshold fixed: raised by the first free() of
	 * a large file's text, it would serve the next read from the heap and
	 * grow the test's own RSS.
	 */
	mallopt(M_MMAP_THRESHOLD, 64 << 10);
	memset(buf, 1, sizeof(buf));
	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 0), true,
				       TIMEOUT_MS), "no VM directory");
	present = kvmintro_present_pages(vm);
	pins_acquired = kvmintro_vmstat("nr_foll_pin_acquired");
	pins_released = kvmintro_vmstat("nr_foll_pin_released");
	read_everything(vm, buf, sizeof(buf));
	/* The test's own allocations have settled: RSS is the VMM's now. */
	rss = kvmintro_rss_kb();
	read_everything(vm, buf, sizeof(buf));
	TEST_ASSERT(kvmintro_present_pages(vm) == present,
		    "present guest pages %" PRIu64 " -> %" PRIu64 ": kvmintro faulted pages in",
		    present, kvmintro_present_pages(vm));
	TEST_ASSERT(kvmintro_rss_kb() == rss, "VmRSS %" PRIu64 " kB -> %" PRIu64 " kB",
		    rss, kvmintro_rss_kb());
	TEST_ASSERT(kvmintro_vmstat("nr_foll_pin_acquired") - pins_acquired ==
		    kvmintro_vmstat("nr_foll_pin_released") - pins_released,
		    "pins acquired and released differ");
	ksft_print_msg("%" PRIu64 " present guest pages before and after reading all of guest memory\n",
		       present);
	vm_destroy(vm);
	kvmintro_unload();
}

/* capture records the gpa_hpa table of that instant. */
static void test_capture_records_gpa_hpa(void)
{
	static struct kvmintro_gpa_hpa_line lines[8192];
	char dir[160], path[192], *live, *captured, *later;
	bool has_hugetlb;
	struct kvm_vm *vm = vm_create_with_memory(&has_hugetlb);

	kvmintro_load();
	snprintf(dir, sizeof(dir), "%s", kvmintro_vm_path(getpid(), 0));
	TEST_ASSERT(kvmintro_wait_path(dir, true, TIMEOUT_MS), "no VM directory");
	snprintf(path, sizeof(path), "%s/snapshot_gpa_hpa", dir);
	captured = kvmintro_read(path);
	TEST_ASSERT(!captured && errno == ENODATA, "before any capture: %s",
		    strerror(errno));

	snprintf(path, sizeof(path), "%s/snapshot", dir);
	TEST_ASSERT(!kvmintro_write(path, "capture"), "capture");
	snprintf(path, sizeof(path), "%s/gpa_hpa", dir);
	live = kvmintro_read(path);
	snprintf(path, sizeof(path), "%s/snapshot_gpa_hpa", dir);
	captured = kvmintro_read(path);
	TEST_ASSERT(live && captured && !strcmp(live, captured),
		    "captured table differs from the live one of the same instant");
	TEST_ASSERT(kvmintro_gpa_hpa(dir, "snapshot_gpa_hpa", lines, 8192) > 0,
		    "the captured table is not gpa_hpa records");

	/* The VMM touches an untouched page: live changes, the capture not. */
	*(volatile uint8_t *)addr_gpa2hva(vm, 0x10001000) = 1;
	later = kvmintro_read(path);
	TEST_ASSERT(later && !strcmp(later, captured), "capture changed");
	free(later);
	snprintf(path, sizeof(path), "%s/gpa_hpa", dir);
	later = kvmintro_read(path);
	TEST_ASSERT(later && strcmp(later, live), "live table did not change");
	free(later);
	free(live);
	free(captured);
	vm_destroy(vm);
	kvmintro_unload();
}

int main(void)
{
	const struct kvmintro_case cases[] = {
		{ "memory: gpa_hpa equals pagemap and kpageflags, page by page",
		  test_gpa_hpa_matches_pagemap },
		{ "memory: gpa_hpa of shared anonymous memory and a memfd equals pagemap",
		  test_gpa_hpa_shared_backings },
		{ "memory: a private file mapping, shmem THP, a hugetlbfs memfd and multi-size THP: gpa_hpa and mem equal the VMM's view",
		  test_more_backings },
		{ "memory: translate replies equal pagemap; bad input is -EINVAL",
		  test_translate },
		{ "memory: mem reads the VMM's bytes, holes are EIO, no write",
		  test_mem_reads_vmm_bytes },
		{ "memory: reading changes no RSS, pagemap or pin counters",
		  test_no_side_effects },
		{ "memory: capture records the gpa_hpa table of that instant",
		  test_capture_records_gpa_hpa },
		{ kvmintro_locked_down() ?
		  "memory: locked down, mem is not writable even with allow_write=1" :
		  "memory: with allow_write=1, mem writes reach the guest, not ROM or holes",
		  test_mem_write_allowed },
	};

	kvmintro_main(cases, ARRAY_SIZE(cases));
}
