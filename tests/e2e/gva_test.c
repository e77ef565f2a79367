// SPDX-License-Identifier: GPL-2.0
/*
 * gva: guest virtual addresses taken through the guest's own page tables,
 * which this process, as the VMM, built itself: each GPA and page size
 * must be what it mapped, each entry kvmintro prints must be the bytes in
 * its table, an unmapped address must stop where its tables end, and the
 * HPA must be pagemap's; in long mode (4-level), 32-bit PAE and 32-bit
 * paging with PSE.  Real mode (no paging): the GVA is the GPA.
 */
#include <fcntl.h>
#include <unistd.h>

#include "kvm_util.h"
#include "kvmintro_e2e.h"
#include "processor.h"

#define TIMEOUT_MS	10000

/*
 * The records of a walk of @request: the request record (gva, vcpu, mode,
 * cr3) first, then the entries, then the GPA and host records or a stop
 * record.
 */
static struct kvmintro_record_list *gva_walk(const char *request)
{
	struct kvmintro_record_list *walk;
	const struct kvmintro_record *head;
	char *text = kvmintro_vm_request("gva", request);

	TEST_ASSERT(text, "read gva: %s", strerror(errno));
	walk = kvmintro_records_parse(text);
	TEST_ASSERT(walk->count >= 2, "walk of '%s':\n%s", request, walk->text);
	head = kvmintro_records_at(walk, 0);
	TEST_ASSERT(kvmintro_record_is(head, NULL) && head->nr_fields == 4 &&
		    kvmintro_field_has(head, "gva") &&
		    kvmintro_field_has(head, "vcpu") &&
		    kvmintro_field_has(head, "cr3"), "walk of '%s':\n%s",
		    request, walk->text);
	return walk;
}

/* The mode= of a walk. */
static const char *walk_mode(const struct kvmintro_record_list *walk)
{
	static char mode[16];

	return kvmintro_field_str(kvmintro_records_at(walk, 0), "mode", mode,
				  sizeof(mode));
}

/* The level at which a walk stopped: its last record, "stop". */
static uint64_t walk_stop(const struct kvmintro_record_list *walk)
{
	const struct kvmintro_record *stop = kvmintro_records_at(walk, walk->count - 1);
	char reason[16];

	TEST_ASSERT(kvmintro_record_is(stop, "stop") &&
		    !strcmp(kvmintro_field_str(stop, "reason", reason,
					       sizeof(reason)), "not-present"),
		    "the walk did not stop:\n%s", walk->text);
	return kvmintro_field_u64(stop, "level");
}

/* The GPA record of a walk: gpa= and page_size= into @size. */
static uint64_t walk_gpa(const struct kvmintro_record_list *walk, char *size)
{
	const struct kvmintro_record *r;
	size_t i;

	for (i = 1; i < walk->count; i++) {
		r = kvmintro_records_at(walk, i);
		if (kvmintro_record_is(r, NULL) && kvmintro_field_has(r, "page_size")) {
			TEST_ASSERT(r->nr_fields == 2, "'%s'", kvmintro_record_line(r));
			kvmintro_field_str(r, "page_size", size, 8);
			return kvmintro_field_u64(r, "gpa");
		}
	}
	TEST_ASSERT(false, "no gpa record:\n%s", walk->text);
	return 0;
}

/*
 * Every entry record's entry equals the bytes at its entry_gpa: 4 with
 * 32-bit paging, 8 otherwise.
 */
static int check_entries(struct kvm_vm *vm, const struct kvmintro_record_list *walk)
{
	bool narrow = vm->mode == VM_MODE_PAGED32;
	uint64_t table, entry_gpa, entry, level;
	const struct kvmintro_record *r;
	int n = 0;
	size_t i;

	for (i = 1; i < walk->count; i++) {
		r = kvmintro_records_at(walk, i);
		if (!kvmintro_record_is(r, NULL) || !kvmintro_field_has(r, "level"))
			continue;
		level = kvmintro_field_u64(r, "level");
		table = kvmintro_field_u64(r, "table");
		entry_gpa = kvmintro_field_u64(r, "entry_gpa");
		entry = kvmintro_field_u64(r, "entry");
		TEST_ASSERT(entry == (narrow ? *(uint32_t *)addr_gpa2hva(vm, entry_gpa) :
					       *(uint64_t *)addr_gpa2hva(vm, entry_gpa)),
			    "level %" PRIu64 " entry 0x%" PRIx64 " differs from the table's",
			    level, entry);
		if (!n)
			TEST_ASSERT_EQ(table, vm->pgd);
		n++;
	}
	return n;
}

/* kvmintro's name of the VMM's paging mode. */
static const char *mode_name(const struct kvm_vm *vm)
{
	switch (vm->mode) {
	case VM_MODE_LONG:
		return "4-level";
	case VM_MODE_PAE:
		return "pae";
	case VM_MODE_PAGED32:
		return "32-bit";
	default:
		return "none";
	}
}

static void expect_walk(struct kvm_vm *vm, uint64_t gva, const char *size,
			int levels)
{
	uint64_t gpa, page_size, got_gpa, hva, hpa;
	const struct kvmintro_record *host;
	struct kvmintro_record_list *walk;
	char request[64], got_size[8];

	TEST_ASSERT(!__addr_gva2gpa(vm, gva, &gpa, &page_size),
		    "the VMM has no mapping for 0x%" PRIx64, gva);
	snprintf(request, sizeof(request), "0x%" PRIx64 " vcpu=0", gva);
	walk = gva_walk(request);
	TEST_ASSERT(!strcmp(walk_mode(walk), mode_name(vm)) &&
		    kvmintro_field_u64(kvmintro_records_at(walk, 0), "gva") == gva,
		    "walk (want mode %s):\n%s", mode_name(vm), walk->text);
	TEST_ASSERT_EQ(check_entries(vm, walk), levels);
	got_gpa = walk_gpa(walk, got_size);
	TEST_ASSERT(got_gpa == gpa && !strcmp(got_size, size),
		    "gva 0x%" PRIx64 ": gpa 0x%" PRIx64 " %s, the VMM mapped 0x%" PRIx64 " %s",
		    gva, got_gpa, got_size, gpa, size);
	host = kvmintro_records_at(walk, walk->count - 1);
	TEST_ASSERT(kvmintro_record_is(host, "host") && host->nr_fields == 4,
		    "no backed host record:\n%s", walk->text);
	hva = kvmintro_field_u64(host, "hva");
	hpa = kvmintro_field_u64(host, "hpa");
	TEST_ASSERT_EQ(hva, (uint64_t)(uintptr_t)addr_gpa2hva(vm, gpa));
	TEST_ASSERT_EQ(hpa, (kvmintro_pagemap_pfn(hva) << 12) | (hva & 0xfff));
	kvmintro_records_free(walk);
}

/* A vcpu spinning in @vm, and kvmintro loaded and showing the VM. */
static struct kvm_vcpu *spin_and_load(struct kvm_vm *vm)
{
	struct kvm_vcpu *vcpu = vcpu_add(vm, 0);
	char path[192];

	vcpu_guest_load(vcpu, GUEST_SPIN);
	vcpu_thread_create(vcpu, NULL);
	vcpu_thread_go(vcpu);
	kvmintro_load();
	snprintf(path, sizeof(path), "%s/snapshot", kvmintro_vm_path(getpid(), 0));
	TEST_ASSERT(kvmintro_wait_path(path, true, TIMEOUT_MS), "no VM");
	return vcpu;
}

static void test_long_mode_walks(void)
{
	struct kvm_vm *vm = vm_create();
	bool has_1g;
	struct kvmintro_record_list *walk;
	char path[192], size[8];

	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, 8 * SZ_2M, 0);
	vm_guest_init(vm, VM_MODE_LONG);
	virt_identity_map_memslots(vm, SZ_2M);
	/* 4K pages at a kernel-looking address, 2M elsewhere, 1G if we can. */
	virt_map(vm, 0xffffffff81000000ULL, 0x400000, 16 * SZ_4K, SZ_4K);
	virt_map(vm, 0x7f0000000000ULL, 0x800000, SZ_2M, SZ_2M);
	has_1g = vm_has_1g_pages(vm);
	if (has_1g)
		virt_map(vm, 0x8000000000ULL, 0, SZ_1G, SZ_1G);
	/* Touch what the walks end on, so the host backs it. */
	memset(addr_gpa2hva(vm, 0x400000), 1, 16 * SZ_4K);
	memset(addr_gpa2hva(vm, 0x800000), 2, SZ_2M);
	spin_and_load(vm);
	snprintf(path, sizeof(path), "%s/gva", kvmintro_vm_path(getpid(), 0));
	TEST_ASSERT(kvmintro_write(path, "0x1000") == -ENODATA,
		    "a walk before any capture needs registers");
	snprintf(path, sizeof(path), "%s/snapshot", kvmintro_vm_path(getpid(), 0));
	TEST_ASSERT(!kvmintro_write(path, "capture"), "capture");

	expect_walk(vm, 0xffffffff81000000ULL + 5 * SZ_4K + 0x123, "4K", 4);
	expect_walk(vm, 0x7f0000000000ULL + 0x12345, "2M", 3);
	expect_walk(vm, 0x1000, "2M", 3);
	if (has_1g)
		/* Into a page the VMM touched, so the host has backed it. */
		expect_walk(vm, 0x8000000000ULL + 0x400000 + 0x789, "1G", 2);
	else
		ksft_print_msg("no 1G guest pages on this CPU: 1G walk left out\n");

	/* Unmapped: a PML4 slot never filled stops at level 4. */
	walk = gva_walk("0x500000000000");
	TEST_ASSERT(walk_stop(walk) == 4, "unmapped at level 4:\n%s", walk->text);
	kvmintro_records_free(walk);
	/* Next to the 4K pages: the page table exists, the entry not. */
	walk = gva_walk("0xffffffff81010000");
	TEST_ASSERT(walk_stop(walk) == 1, "unmapped at level 1:\n%s", walk->text);
	kvmintro_records_free(walk);
	/* cr3= takes another root: the same tables, so the same answer. */
	{
		char request[64];

		snprintf(request, sizeof(request), "0x1000 cr3=0x%" PRIx64, vm->pgd);
		walk = gva_walk(request);
		TEST_ASSERT(walk_gpa(walk, size) == 0x1000 && !strcmp(size, "2M") &&
			    kvmintro_field_u64(kvmintro_records_at(walk, 0), "cr3") == vm->pgd,
			    "cr3= walk:\n%s", walk->text);
		kvmintro_records_free(walk);
	}
	/* Bad input. */
	{
		static const char *const bad[] = {
			"", "zzz", "0x1 0x2", "0x1 vcpu=", "0x1 vcpu=1 vcpu=1",
			"0x1 cr3=0xq", "vcpu=0", "0x1 foo=1",
		};
		unsigned int i;
		int r;

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			if (!bad[i][0])
				continue;
			r = kvmintro_write(path, bad[i]);
			TEST_ASSERT(r == -EINVAL, "'%s': %s", bad[i], strerror(-r));
		}
		TEST_ASSERT(kvmintro_write(path, "0x1000 vcpu=7") == -EINVAL,
			    "a vcpu that does not exist");
	}
	vm_destroy(vm);
	kvmintro_unload();
}

/*
 * 32-bit guests, PAE (3 levels, 2M large pages) and 32-bit paging (2
 * levels of 4-byte entries, 4M pages with CR4.PSE): the guest runs in
 * that mode, the walk follows its CR3/CR4/EFER.
 */
static void test_prot32_walks(enum vm_guest_mode mode)
{
	bool pae = mode == VM_MODE_PAE;
	uint64_t large = pae ? SZ_2M : 2 * SZ_2M;
	struct kvm_vm *vm = vm_create();
	struct kvmintro_record_list *walk;
	struct kvm_vcpu *vcpu;
	char path[192];

	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, 8 * SZ_2M, 0);
	vm_guest_init(vm, mode);
	virt_map(vm, 0xc1000000ULL, 0x400000, 16 * SZ_4K, SZ_4K);
	virt_map(vm, 0x80000000ULL, 0x800000, large, large);
	memset(addr_gpa2hva(vm, 0x400000), 1, 16 * SZ_4K);
	memset(addr_gpa2hva(vm, 0x800000), 2, large);
	vcpu = spin_and_load(vm);
	snprintf(path, sizeof(path), "%s/snapshot", kvmintro_vm_path(getpid(), 0));
	/* The guest runs in that mode: its counter moves. */
	kvmintro_wait_counter_moves(vcpu, TIMEOUT_MS);
	TEST_ASSERT(!kvmintro_write(path, "capture"), "capture");

	expect_walk(vm, 0xc1000000ULL + 5 * SZ_4K + 0x123, "4K", pae ? 3 : 2);
	expect_walk(vm, 0x80000000ULL + 0x12345, pae ? "2M" : "4M",
		    pae ? 2 : 1);
	/* The code page the VMM mapped for the guest. */
	expect_walk(vm, vcpu->code_gpa, "4K", pae ? 3 : 2);

	/* Nothing at 1 GiB: a PDPTE (PAE) or PDE (32-bit) not present. */
	walk = gva_walk("0x40000000 vcpu=0");
	TEST_ASSERT(walk_stop(walk) == (pae ? 3 : 2),
		    "unmapped at the top level:\n%s", walk->text);
	kvmintro_records_free(walk);
	/* Next to the 4K pages: the page table exists, the entry not. */
	walk = gva_walk("0xc1010000");
	TEST_ASSERT(walk_stop(walk) == 1, "unmapped at level 1:\n%s", walk->text);
	kvmintro_records_free(walk);
	vm_destroy(vm);
	kvmintro_unload();
}

static void test_pae_walks(void)
{
	test_prot32_walks(VM_MODE_PAE);
}

static void test_paged32_walks(void)
{
	test_prot32_walks(VM_MODE_PAGED32);
}

static void test_no_paging(void)
{
	struct kvm_vm *vm = vm_create();
	struct kvmintro_record_list *walk;
	char path[192], size[8];

	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, SZ_2M, 0);
	vm_guest_init(vm, VM_MODE_REAL);
	spin_and_load(vm);
	snprintf(path, sizeof(path), "%s/snapshot", kvmintro_vm_path(getpid(), 0));
	TEST_ASSERT(!kvmintro_write(path, "pause"), "pause");
	walk = gva_walk("0xb8123");
	TEST_ASSERT(!strcmp(walk_mode(walk), "none") &&
		    walk_gpa(walk, size) == 0xb8123 && !strcmp(size, "4K") &&
		    !check_entries(vm, walk), "real mode:\n%s", walk->text);
	kvmintro_records_free(walk);
	TEST_ASSERT(!kvmintro_write(path, "resume"), "resume");
	vm_destroy(vm);
	kvmintro_unload();
}

static const struct kvmintro_case cases[] = {
	{ "gva: long mode 4K/2M/1G walks equal the VMM's tables and pagemap",
	  test_long_mode_walks },
	{ "gva: 32-bit PAE walks (4K, 2M) equal the VMM's tables and pagemap",
	  test_pae_walks },
	{ "gva: 32-bit paging walks (4K, 4M PSE) equal the VMM's tables and pagemap",
	  test_paged32_walks },
	{ "gva: no paging (real mode): GVA is the GPA",
	  test_no_paging },
};

int main(void)
{
	kvmintro_main(cases, ARRAY_SIZE(cases));
}
