// SPDX-License-Identifier: GPL-2.0
/*
 * Memslots whose pages KVM faults in from a guest_memfd alone (Linux 6.18
 * and later: a guest_memfd created with GUEST_MEMFD_FLAG_MMAP, and KVM's
 * KVM_MEMSLOT_GMEM_ONLY).  The VMM maps the file at the slot's hva to load
 * the guest, then drops its page table entries (MADV_DONTNEED keeps the
 * file's pages): the pages stay the guest's, in the file, and nowhere in
 * the VMM's page tables.  kvmintro must still find and read every one of
 * them, and create none.  The truth:
 *   - which pages the file holds: mincore() of the VMM's mapping, which
 *     asks the file's page cache and faults nothing in;
 *   - their frames: /proc/self/pagemap, once the VMM maps them again at
 *     the end;
 *   - their bytes: what the VMM wrote, and the guest's own counter, which
 *     must keep moving in what kvmintro reads.
 * A page fallocate() added but nobody cleared yet (not uptodate, which
 * mincore() does not count) must read as not backed.
 * Kernels without such a guest_memfd skip.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm_util.h"
#include "kvmintro_e2e.h"
#include "processor.h"

#define TIMEOUT_MS	10000
#define CODE_GPA	0x0ULL		/* slot 0: the guest's code and data */
#define DATA_GPA	0x10000000ULL	/* slot 1: the VMM's bytes */
#define SLOT_SIZE	SZ_2M
#define SLOT_PAGES	(SLOT_SIZE / 4096)
/* A page of slot 1 the VMM does not write, allocated but not cleared. */
#define UNCLEARED_PAGE	5
/* Across the boundary of two pages the VMM wrote (see data_page_written()). */
#define NEEDLE		"kvmintro-gmem-needle"
#define NEEDLE_GPA	(DATA_GPA + 91 * 4096ULL - 8)

/* The VMM writes two pages of every three in slot 1; the third stays out. */
static bool data_page_written(unsigned int i)
{
	return i % 3 != 2;
}

/* What the VMM wrote at byte @offset of page @i of slot 1. */
static uint8_t data_byte(unsigned int i, unsigned int offset)
{
	uint64_t gpa = DATA_GPA + i * 4096ULL;

	if (offset < 8)
		return gpa >> (8 * offset);
	return 0x11 + i % 200;
}

/* Add a guest_memfd slot, or skip where KVM has none a VMM can mmap(). */
static void add_gmem_slot(struct kvm_vm *vm, uint32_t slot, uint64_t gpa)
{
	int r = __vm_add_memslot(vm, VM_MEM_GUEST_MEMFD, slot, gpa, SLOT_SIZE, 0);

	if (r == -EOPNOTSUPP)
		ksft_exit_skip("KVM has no guest_memfd a VMM can mmap() (KVM_CAP_GUEST_MEMFD_FLAGS, Linux 6.18+)\n");
	TEST_ASSERT(!r, "guest_memfd memslot %u: %s", slot, strerror(-r));
}

static void write_data_slot(struct kvm_vm *vm)
{
	unsigned int i, b;
	uint8_t *p;

	for (i = 0; i < SLOT_PAGES; i++) {
		if (!data_page_written(i))
			continue;
		p = addr_gpa2hva(vm, DATA_GPA + i * 4096ULL);
		for (b = 0; b < 4096; b++)
			p[b] = data_byte(i, b);
	}
	memcpy(addr_gpa2hva(vm, NEEDLE_GPA), NEEDLE, strlen(NEEDLE));
}

/*
 * Allocate page @i of the guest_memfd behind the slot at @gpa without
 * clearing it, as fallocate() does: not uptodate, the state KVM leaves a
 * page in until it clears it for the guest.
 */
static void allocate_uncleared(struct kvm_vm *vm, uint64_t gpa, unsigned int i)
{
	struct vm_memslot *ms = vm_memslot_find(vm, 0, gpa);

	TEST_ASSERT(ms && ms->fd >= 0 &&
		    !fallocate(ms->fd, FALLOC_FL_KEEP_SIZE, i * 4096ULL, 4096),
		    "fallocate page %u of the guest_memfd: %s", i, strerror(errno));
}

/*
 * Drop the VMM's page table entries of the slot at @gpa; the file keeps
 * its pages.  Then none may be present in pagemap: what kvmintro finds
 * after this, it found in the file.
 */
static void drop_vmm_mapping(struct kvm_vm *vm, uint64_t gpa)
{
	uint8_t *hva = addr_gpa2hva(vm, gpa);
	unsigned int i;

	TEST_ASSERT(!madvise(hva, SLOT_SIZE, MADV_DONTNEED), "MADV_DONTNEED: %s",
		    strerror(errno));
	for (i = 0; i < SLOT_PAGES; i++)
		TEST_ASSERT(!(kvmintro_pagemap_entry((uintptr_t)hva + i * 4096ULL) &
			      KVMINTRO_PM_PRESENT),
			    "page %u of gpa 0x%" PRIx64 " still mapped", i, gpa);
}

/* mincore() of the slot at @gpa: which pages its guest_memfd holds. */
static void file_pages(struct kvm_vm *vm, uint64_t gpa,
		       unsigned char vec[SLOT_PAGES])
{
	TEST_ASSERT(!mincore(addr_gpa2hva(vm, gpa), SLOT_SIZE, vec),
		    "mincore: %s", strerror(errno));
}

/* The gpa_hpa run holding @gpa, which must be there. */
static const struct kvmintro_gpa_hpa_line *
run_of(const struct kvmintro_gpa_hpa_line *lines, int n, uint64_t gpa)
{
	int i;

	for (i = 0; i < n; i++)
		if (gpa >= lines[i].gpa && gpa < lines[i].gpa + lines[i].npages * 4096)
			return &lines[i];
	TEST_FAIL("no gpa_hpa run holds gpa 0x%" PRIx64, gpa);
}

static uint64_t read_u64(int fd, uint64_t gpa)
{
	uint64_t value;

	TEST_ASSERT(pread(fd, &value, sizeof(value), gpa) == sizeof(value),
		    "pread mem at 0x%" PRIx64 ": %s", gpa, strerror(errno));
	return value;
}

static void test_gmem_reads(void)
{
	static struct kvmintro_gpa_hpa_line lines[2 * SLOT_PAGES + 8];
	unsigned char before[2][SLOT_PAGES], after[SLOT_PAGES];
	const uint64_t gpas[2] = { CODE_GPA, DATA_GPA };
	const struct kvmintro_gpa_hpa_line *run;
	struct kvmintro_memslots_line slots[4];
	static uint8_t page[4096];
	char path[192], expect[256], request[64], *text, *line, *save;
	uint64_t counter, gpa, pfn, hva;
	unsigned int s, i, b, resident = 0;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	int n, fd;

	vm = vm_create();
	add_gmem_slot(vm, 0, CODE_GPA);
	add_gmem_slot(vm, 1, DATA_GPA);
	vcpu = kvmintro_vm_add_spinner(vm);
	vcpu_thread_go(vcpu);
	kvmintro_wait_counter_moves(vcpu, TIMEOUT_MS);
	write_data_slot(vm);
	allocate_uncleared(vm, DATA_GPA, UNCLEARED_PAGE);
	for (s = 0; s < 2; s++) {
		drop_vmm_mapping(vm, gpas[s]);
		file_pages(vm, gpas[s], before[s]);
	}
	for (i = 0; i < SLOT_PAGES; i++)
		TEST_ASSERT(!!(before[1][i] & 1) == data_page_written(i),
			    "mincore of data page %u: %u", i, before[1][i]);

	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 0), true,
				       TIMEOUT_MS), "no VM directory");

	/* As it reads, for the log (Documentation/debugfs.rst shows it). */
	snprintf(path, sizeof(path), "%s/memslots", kvmintro_vm_path(getpid(), 0));
	text = kvmintro_read(path);
	TEST_ASSERT(text, "read memslots: %s", strerror(errno));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		ksft_print_msg("memslots: %s\n", line);
	free(text);
	n = kvmintro_memslots(kvmintro_vm_path(getpid(), 0), slots, 4);
	TEST_ASSERT_EQ(n, 2);
	for (s = 0; s < 2; s++) {
		TEST_ASSERT(slots[s].gpa == gpas[s] && slots[s].size == SLOT_SIZE &&
			    slots[s].hva == (uintptr_t)addr_gpa2hva(vm, gpas[s]),
			    "memslot %u: gpa 0x%" PRIx64 " size 0x%" PRIx64, s,
			    slots[s].gpa, slots[s].size);
		TEST_ASSERT(!strcmp(slots[s].flags, "guest_memfd,guest_memfd_only"),
			    "memslot %u flags=%s", s, slots[s].flags);
	}

	/* The bytes the VMM wrote, zeros where it wrote none. */
	snprintf(path, sizeof(path), "%s/mem", kvmintro_vm_path(getpid(), 0));
	fd = open(path, O_RDONLY);
	TEST_ASSERT(fd >= 0, "open mem: %s", strerror(errno));
	for (i = 0; i < SLOT_PAGES; i++) {
		gpa = DATA_GPA + i * 4096ULL;
		TEST_ASSERT(pread(fd, page, sizeof(page), gpa) == sizeof(page),
			    "pread mem at 0x%" PRIx64 ": %s", gpa, strerror(errno));
		for (b = 0; b < 4096; b++) {
			uint8_t want = data_page_written(i) ? data_byte(i, b) : 0;

			if (gpa + b >= NEEDLE_GPA &&
			    gpa + b < NEEDLE_GPA + strlen(NEEDLE))
				want = NEEDLE[gpa + b - NEEDLE_GPA];
			TEST_ASSERT(page[b] == want,
				    "mem at 0x%" PRIx64 ": 0x%02x, the VMM wrote 0x%02x",
				    gpa + b, page[b], want);
		}
	}
	/* The guest's own counter, in a page only KVM maps now, moves. */
	counter = read_u64(fd, vcpu->counter_gpa);
	for (i = 0; read_u64(fd, vcpu->counter_gpa) == counter; i++) {
		TEST_ASSERT(i < TIMEOUT_MS / 2, "the guest counter at 0x%" PRIx64
			    " does not move in mem (0x%" PRIx64 ")",
			    vcpu->counter_gpa, counter);
		sleep_ms(2);
	}
	close(fd);

	text = kvmintro_vm_request("scan", "str:" NEEDLE "\n");
	snprintf(expect, sizeof(expect), "match gpa=0x%llx hva=0x%" PRIx64 " ",
		 NEEDLE_GPA, (uint64_t)(uintptr_t)addr_gpa2hva(vm, NEEDLE_GPA));
	TEST_ASSERT(text && !strncmp(text, expect, strlen(expect)) &&
		    strstr(text, "summary matches=1 "),
		    "scan for the needle:\n%s\nwant a single %s...", text, expect);
	free(text);

	/* A page the file does not hold, and one it holds uncleared. */
	snprintf(request, sizeof(request), "0x%llx 0x%llx\n",
		 DATA_GPA + 2 * 4096ULL, DATA_GPA + UNCLEARED_PAGE * 4096ULL);
	snprintf(expect, sizeof(expect),
		 "err gpa=0x%llx reason=not-backed\n"
		 "err gpa=0x%llx reason=not-backed\n",
		 DATA_GPA + 2 * 4096ULL, DATA_GPA + UNCLEARED_PAGE * 4096ULL);
	text = kvmintro_vm_request("translate", request);
	TEST_ASSERT(text && !strcmp(text, expect),
		    "translate of pages the file does not hold or has not cleared: '%s'",
		    text);
	free(text);

	n = kvmintro_gpa_hpa(kvmintro_vm_path(getpid(), 0), "gpa_hpa", lines,
			     ARRAY_SIZE(lines));
	TEST_ASSERT(n > 0 && n < (int)ARRAY_SIZE(lines), "gpa_hpa: %d", n);

	/*
	 * Reading created or cleared no page of the file, mapped none in the
	 * VMM.  Slot 1 only: the guest never touches it, so neither does
	 * KVM (whose own accesses to guest memory, none of which this guest
	 * needs, would go through the VMM's mapping).
	 */
	file_pages(vm, DATA_GPA, after);
	TEST_ASSERT(!memcmp(before[1], after, SLOT_PAGES),
		    "kvmintro changed the pages of slot 1's guest_memfd");
	hva = (uintptr_t)addr_gpa2hva(vm, DATA_GPA);
	for (i = 0; i < SLOT_PAGES; i++)
		TEST_ASSERT(!(kvmintro_pagemap_entry(hva + i * 4096ULL) &
			      KVMINTRO_PM_PRESENT),
			    "kvmintro mapped page %u of slot 1 in the VMM", i);

	/*
	 * Each page's frame and kind against pagemap, once the VMM maps the
	 * file's pages again (a read: nothing is created); a page the file
	 * does not hold is not backed.
	 */
	for (s = 0; s < 2; s++) {
		for (i = 0; i < SLOT_PAGES; i++) {
			gpa = gpas[s] + i * 4096ULL;
			hva = (uintptr_t)addr_gpa2hva(vm, gpa);
			run = run_of(lines, n, gpa);
			TEST_ASSERT_EQ(run->hva + (gpa - run->gpa), hva);
			if (!(before[s][i] & 1)) {
				TEST_ASSERT(!strcmp(run->kind, "none"),
					    "gpa 0x%" PRIx64 ": %s, but the file has no page",
					    gpa, run->kind);
				continue;
			}
			(void)*(volatile uint8_t *)(uintptr_t)hva;
			pfn = kvmintro_pagemap_pfn(hva);
			TEST_ASSERT(!strcmp(run->kind, "base") &&
				    run->pfn + (gpa - run->gpa) / 4096 == pfn &&
				    run->hpa == run->pfn << 12,
				    "gpa 0x%" PRIx64 ": %s pfn 0x%" PRIx64 ", pagemap 0x%" PRIx64,
				    gpa, run->kind, run->pfn + (gpa - run->gpa) / 4096, pfn);
			resident++;
		}
	}
	/* Slot 1's written pages, and some of slot 0 (code, tables, data). */
	TEST_ASSERT(resident > SLOT_PAGES * 2 / 3, "only %u pages held", resident);
	vm_destroy(vm);
	kvmintro_unload();
}

/*
 * allow_write=1: a write lands in the file's page, not through the VMM's
 * mapping; none is created or cleared.
 */
static void test_gmem_write(void)
{
	static const char text[] = "written by kvmintro";
	const uint64_t at = DATA_GPA + 4096 - 7, hole = DATA_GPA + 2 * 4096ULL;
	const uint64_t uncleared = DATA_GPA + UNCLEARED_PAGE * 4096ULL;
	unsigned char vec[SLOT_PAGES];
	struct kvm_vm *vm = vm_create();
	char path[192];
	unsigned int i;
	int fd, r;

	add_gmem_slot(vm, 1, DATA_GPA);
	write_data_slot(vm);
	allocate_uncleared(vm, DATA_GPA, UNCLEARED_PAGE);
	drop_vmm_mapping(vm, DATA_GPA);
	r = __kvmintro_load_params("allow_write=1");
	TEST_ASSERT(!r, "load with allow_write=1: %s", strerror(-r));
	snprintf(path, sizeof(path), "%s/mem", kvmintro_vm_path(getpid(), 0));
	TEST_ASSERT(kvmintro_wait_path(path, true, TIMEOUT_MS), "no mem file");
	fd = open(path, O_RDWR);
	if (kvmintro_locked_down()) {
		TEST_ASSERT(fd < 0 && errno == EPERM,
			    "open mem read-write under lockdown: %s",
			    fd < 0 ? strerror(errno) : "opened");
		vm_destroy(vm);
		kvmintro_unload();
		return;
	}
	TEST_ASSERT(fd >= 0, "open mem read-write: %s", strerror(errno));
	TEST_ASSERT(pwrite(fd, text, sizeof(text), at) == sizeof(text),
		    "pwrite across pages 0 and 1: %s", strerror(errno));
	TEST_ASSERT(pwrite(fd, text, sizeof(text), hole) < 0 && errno == EIO,
		    "pwrite to a page the file does not hold: %s", strerror(errno));
	TEST_ASSERT(pwrite(fd, text, sizeof(text), uncleared) < 0 && errno == EIO,
		    "pwrite to a page the file holds uncleared: %s", strerror(errno));
	close(fd);
	file_pages(vm, DATA_GPA, vec);
	TEST_ASSERT(!(vec[2] & 1) && !(vec[UNCLEARED_PAGE] & 1),
		    "a refused write created or cleared a page");
	for (i = 0; i < 2; i++)
		TEST_ASSERT(!(kvmintro_pagemap_entry((uintptr_t)addr_gpa2hva(vm, DATA_GPA) +
						     i * 4096ULL) & KVMINTRO_PM_PRESENT),
			    "the write mapped page %u in the VMM", i);
	TEST_ASSERT(!memcmp(addr_gpa2hva(vm, at), text, sizeof(text)),
		    "the VMM's mapping of the file does not see the bytes written");
	vm_destroy(vm);
	kvmintro_unload();
}

/* The hole puncher of test_gmem_punch(): what it works on, what it did. */
struct puncher {
	struct kvm_vm *vm;
	int fd;			/* the slot's guest_memfd */
	bool stop;			/* __atomic */
	unsigned long punched, refilled;	/* __atomic */
};

/*
 * Punch holes of 1 to 8 pages at random in slot 1's guest_memfd (which
 * takes the file's invalidate lock exclusive and removes its folios), and
 * write some of the pages again through the VMM's mapping (which creates
 * new ones), until told to stop.
 */
static void *puncher_main(void *arg)
{
	struct puncher *p = arg;
	uint64_t x = 0x9e3779b97f4a7c15ULL, first, count;
	uint8_t *hva = addr_gpa2hva(p->vm, DATA_GPA);

	while (!__atomic_load_n(&p->stop, __ATOMIC_RELAXED)) {
		first = kvmintro_random(&x) % SLOT_PAGES;
		count = 1 + kvmintro_random(&x) % 8;
		if (first + count > SLOT_PAGES)
			count = SLOT_PAGES - first;
		TEST_ASSERT(!fallocate(p->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				       first * 4096, count * 4096),
			    "punch pages %" PRIu64 "+%" PRIu64 ": %s", first, count,
			    strerror(errno));
		__atomic_fetch_add(&p->punched, 1, __ATOMIC_RELAXED);
		first = kvmintro_random(&x) % SLOT_PAGES;
		hva[first * 4096 + 8] = 0x5a;
		__atomic_fetch_add(&p->refilled, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* gpa_hpa's runs of slot 1 cover it, in order, once. */
static void check_cover(const struct kvmintro_gpa_hpa_line *lines, int n)
{
	uint64_t gpa = DATA_GPA;
	int i;

	for (i = 0; i < n; i++) {
		TEST_ASSERT(lines[i].gpa == gpa && lines[i].npages &&
			    (!strcmp(lines[i].kind, "none") ||
			     !strcmp(lines[i].kind, "base")),
			    "run %d: gpa 0x%" PRIx64 " npages 0x%" PRIx64 " kind %s, want gpa 0x%" PRIx64,
			    i, lines[i].gpa, lines[i].npages, lines[i].kind, gpa);
		gpa += lines[i].npages * 4096;
	}
	TEST_ASSERT_EQ(gpa, DATA_GPA + SLOT_SIZE);
}

/*
 * Holes punched in the guest_memfd while gpa_hpa reads it (the punch frees
 * folios the walk may be reading, each referenced while it is read): no
 * read fails, and each covers the slot; the console stays clean.  Once the
 * punching stops, gpa_hpa holds, page by page, what the file holds
 * (mincore()) at the frame the VMM's mapping finds (pagemap).
 */
static void test_gmem_punch(void)
{
	static struct kvmintro_gpa_hpa_line lines[SLOT_PAGES + 8];
	const struct kvmintro_gpa_hpa_line *run;
	struct puncher punch = { .fd = -1 };
	unsigned char vec[SLOT_PAGES];
	struct vm_memslot *ms;
	struct timespec start, now;
	unsigned int i, reads = 0, held = 0;
	pthread_t thread;
	uint64_t gpa, hva;
	int n;

	punch.vm = vm_create();
	add_gmem_slot(punch.vm, 1, DATA_GPA);
	write_data_slot(punch.vm);
	ms = vm_memslot_find(punch.vm, 0, DATA_GPA);
	TEST_ASSERT(ms && ms->fd >= 0, "no guest_memfd behind slot 1");
	punch.fd = ms->fd;
	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 0), true,
				       TIMEOUT_MS), "no VM directory");

	TEST_ASSERT(!pthread_create(&thread, NULL, puncher_main, &punch),
		    "pthread_create");
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		n = kvmintro_gpa_hpa(kvmintro_vm_path(getpid(), 0), "gpa_hpa",
				     lines, ARRAY_SIZE(lines));
		TEST_ASSERT(n > 0 && n < (int)ARRAY_SIZE(lines),
			    "gpa_hpa while holes are punched: %d", n);
		check_cover(lines, n);
		reads++;
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec - start.tv_sec < 3 ||
		 __atomic_load_n(&punch.punched, __ATOMIC_RELAXED) < 100);
	__atomic_store_n(&punch.stop, true, __ATOMIC_RELAXED);
	pthread_join(thread, NULL);

	file_pages(punch.vm, DATA_GPA, vec);
	n = kvmintro_gpa_hpa(kvmintro_vm_path(getpid(), 0), "gpa_hpa", lines,
			     ARRAY_SIZE(lines));
	TEST_ASSERT(n > 0 && n < (int)ARRAY_SIZE(lines), "gpa_hpa: %d", n);
	check_cover(lines, n);
	for (i = 0; i < SLOT_PAGES; i++) {
		gpa = DATA_GPA + i * 4096ULL;
		hva = (uintptr_t)addr_gpa2hva(punch.vm, gpa);
		run = run_of(lines, n, gpa);
		if (!(vec[i] & 1)) {
			TEST_ASSERT(!strcmp(run->kind, "none"),
				    "gpa 0x%" PRIx64 ": %s, but the file has no page",
				    gpa, run->kind);
			continue;
		}
		(void)*(volatile uint8_t *)(uintptr_t)hva;
		TEST_ASSERT(!strcmp(run->kind, "base") &&
			    run->pfn + (gpa - run->gpa) / 4096 == kvmintro_pagemap_pfn(hva),
			    "gpa 0x%" PRIx64 ": %s pfn 0x%" PRIx64 ", pagemap 0x%" PRIx64,
			    gpa, run->kind, run->pfn + (gpa - run->gpa) / 4096,
			    kvmintro_pagemap_pfn(hva));
		held++;
	}
	TEST_ASSERT(held && held < SLOT_PAGES, "the file holds %u of %u pages",
		    held, (unsigned int)SLOT_PAGES);
	ksft_print_msg("%u reads of gpa_hpa beside %lu holes punched and %lu pages written again; then %u of %u pages held, each at pagemap's frame\n",
		       reads, punch.punched, punch.refilled, held,
		       (unsigned int)SLOT_PAGES);
	vm_destroy(punch.vm);
	kvmintro_unload();
}

int main(void)
{
	const struct kvmintro_case cases[] = {
		{ "guest_memfd: slots KVM faults in from their guest_memfd are read from it, nothing created",
		  test_gmem_reads },
		{ kvmintro_locked_down() ?
		  "guest_memfd: locked down, mem is not writable even with allow_write=1" :
		  "guest_memfd: with allow_write=1, writes reach the file's pages, create none",
		  test_gmem_write },
		{ "guest_memfd: holes punched while gpa_hpa reads: every read whole, then page by page what the file holds",
		  test_gmem_punch },
	};

	kvmintro_main(cases, ARRAY_SIZE(cases));
}
