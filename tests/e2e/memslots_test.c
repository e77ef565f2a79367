// SPDX-License-Identifier: GPL-2.0
/*
 * The VM registry and the memslots, vms and vcpus files, checked field by
 * field against what this process, as the VMM, created:
 *  - a VM created before kvmintro loads is found through KVM's vm_list;
 *  - a second VM created after it loads appears as <pid>-1 by itself;
 *  - anonymous, shared, THP and hugetlb slots, above 4 GiB, readonly and
 *    dirty-logging, and the SMM address space;
 *  - each vcpu's thread is the one this process runs it in;
 *  - a destroyed VM's directory goes; rmmod leaves the VMs running.
 */
#include <linux/kvm.h>
#include <unistd.h>

#include "kvm_util.h"
#include "kvmintro_e2e.h"
#include "processor.h"

#define TIMEOUT_MS	10000

/* Flags column expected for a slot this process created. */
static const char *expected_flags(uint32_t flags)
{
	switch (flags) {
	case 0:
		return "-";
	case KVM_MEM_READONLY:
		return "readonly";
	case KVM_MEM_LOG_DIRTY_PAGES:
		return "dirty_log";
	case KVM_MEM_READONLY | KVM_MEM_LOG_DIRTY_PAGES:
		return "readonly,dirty_log";
	}
	TEST_FAIL("unexpected flags %#x", flags);
}

/*
 * Every slot of @vm must be listed once, sorted by (as, gpa), with exactly
 * the values the VMM gave KVM; nothing else may be listed but KVM's own
 * internal slots.
 */
static void assert_memslots_match(struct kvm_vm *vm, const char *vm_path)
{
	struct kvmintro_memslots_line lines[64];
	unsigned int i, matched = 0, internal = 0;
	int n, j;

	n = kvmintro_memslots(vm_path, lines, 64);
	TEST_ASSERT(n >= 0, "reading %s/memslots: %s", vm_path, strerror(-n));
	for (j = 0; j < n; j++) {
		if (j)
			TEST_ASSERT(lines[j].as > lines[j - 1].as ||
				    (lines[j].as == lines[j - 1].as &&
				     lines[j].gpa > lines[j - 1].gpa),
				    "memslots not sorted by (as, gpa) at line %d", j);
		TEST_ASSERT_EQ(lines[j].size, lines[j].npages * 4096);
		if (strstr(lines[j].flags, "internal")) {
			internal++;
			continue;
		}
		for (i = 0; i < vm->nr_memslots; i++) {
			struct kvm_userspace_memory_region *r =
				&vm->memslots[i].region;

			if (r->slot >> 16 != lines[j].as ||
			    (r->slot & 0xffff) != lines[j].slot)
				continue;
			TEST_ASSERT_EQ(lines[j].gpa, r->guest_phys_addr);
			TEST_ASSERT_EQ(lines[j].npages, r->memory_size / 4096);
			TEST_ASSERT_EQ(lines[j].hva, r->userspace_addr);
			TEST_ASSERT(!strcmp(lines[j].flags,
					    expected_flags(r->flags)),
				    "slot %u/%u: flags '%s', want '%s'",
				    lines[j].as, lines[j].slot, lines[j].flags,
				    expected_flags(r->flags));
			matched++;
			break;
		}
		TEST_ASSERT(i < vm->nr_memslots,
			    "memslots lists as=%u slot=%u that the VMM never made",
			    lines[j].as, lines[j].slot);
	}
	TEST_ASSERT(matched == vm->nr_memslots,
		    "%u of %u slots listed", matched, vm->nr_memslots);
	ksft_print_msg("%s: %u slots match the VMM's, %u internal\n", vm_path,
		       matched, internal);
}

static void assert_vms_line(struct kvm_vm *vm, const char *dir)
{
	struct kvmintro_memslots_line slots[64];
	struct kvmintro_vms_line lines[32];
	char vm_path[128];
	uint64_t mem = 0;
	unsigned int i;
	int n, j, nslots;

	n = kvmintro_vms(lines, 32);
	TEST_ASSERT(n > 0, "vms: %d", n);
	for (j = 0; j < n && strcmp(lines[j].dir, dir); j++)
		;
	TEST_ASSERT(j < n, "vms has no dir=%s", dir);
	TEST_ASSERT_EQ(lines[j].pid, getpid());
	TEST_ASSERT_EQ(lines[j].vcpus, vm->nr_vcpus);
	for (i = 0; i < vm->nr_memslots; i++)
		if (!(vm->memslots[i].region.slot >> 16))
			mem += vm->memslots[i].region.memory_size;
	TEST_ASSERT_EQ(lines[j].mem, mem);
	snprintf(vm_path, sizeof(vm_path), "%s/%s", kvmintro_root(), dir);
	nslots = kvmintro_memslots(vm_path, slots, 64);
	TEST_ASSERT_EQ(lines[j].slots, nslots);
}

static void assert_vcpus_match(struct kvm_vm *vm, const char *vm_path)
{
	struct kvmintro_vcpus_line lines[16];
	unsigned int i;
	int n;

	n = kvmintro_vcpus(vm_path, lines, 16);
	TEST_ASSERT_EQ(n, vm->nr_vcpus);
	for (i = 0; i < vm->nr_vcpus; i++) {
		TEST_ASSERT_EQ(lines[i].index, i);
		TEST_ASSERT_EQ(lines[i].vcpu, vm->vcpus[i]->id);
		TEST_ASSERT(lines[i].tid == vm->vcpus[i]->tid,
			    "vcpu %u: tid %d, the VMM runs it in %d",
			    i, lines[i].tid, vm->vcpus[i]->tid);
	}
}

static struct kvm_vm *vm_create_busy(bool all_backings)
{
	struct kvm_vm *vm = vm_create();
	struct kvm_vcpu *vcpu;

	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, SZ_2M, 0);
	if (all_backings) {
		vm_add_memslot(vm, VM_MEM_SHARED, 1, 0x10000000, 0x100000ULL,
			       KVM_MEM_LOG_DIRTY_PAGES);
		vm_add_memslot(vm, VM_MEM_THP, 2, 0x100000000ULL, 2 * SZ_2M,
			       KVM_MEM_READONLY);
		if (kvmintro_reserve_hugepages(8))
			vm_add_memslot(vm, VM_MEM_HUGETLB, 3, 0x200000000ULL,
				       SZ_2M, 0);
		else
			ksft_print_msg("no huge pages: hugetlb slot left out\n");
		if (vm_check_cap(vm, KVM_CAP_MULTI_ADDRESS_SPACE) > 1)
			vm_add_memslot(vm, VM_MEM_ANON, 1 << 16, 0, 0x100000ULL, 0);
	}
	vcpu = kvmintro_vm_add_spinner(vm);
	vcpu_thread_go(vcpu);
	vcpu = vcpu_add(vm, 3);
	vcpu_guest_load(vcpu, GUEST_EXIT);
	vcpu_thread_create(vcpu, NULL);
	vcpu_thread_go(vcpu);
	kvmintro_wait_counter_moves(vm->vcpus[0], TIMEOUT_MS);
	kvmintro_wait_counter_moves(vm->vcpus[1], TIMEOUT_MS);
	return vm;
}

static void test_vm_before_and_after_load(void)
{
	struct kvm_vm *before, *after;
	char path[160];

	before = vm_create_busy(true);
	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 0), true,
				       TIMEOUT_MS),
		    "no directory for a VM that existed before loading");
	snprintf(path, sizeof(path), "%d", getpid());
	assert_vms_line(before, path);
	assert_memslots_match(before, kvmintro_vm_path(getpid(), 0));
	assert_vcpus_match(before, kvmintro_vm_path(getpid(), 0));

	/* Appears by itself: nobody reads vms. */
	after = vm_create_busy(false);
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 1), true,
				       TIMEOUT_MS),
		    "no directory <pid>-1 for a second VM made after loading");
	assert_memslots_match(after, kvmintro_vm_path(getpid(), 1));
	assert_vcpus_match(after, kvmintro_vm_path(getpid(), 1));
	snprintf(path, sizeof(path), "%d-1", getpid());
	assert_vms_line(after, path);

	vm_destroy(after);
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 1), false,
				       TIMEOUT_MS),
		    "directory of a destroyed VM is still there");
	TEST_ASSERT(access(kvmintro_vm_path(getpid(), 0), F_OK) == 0,
		    "the other VM's directory went with it");

	kvmintro_unload();
	kvmintro_wait_counter_moves(before->vcpus[0], TIMEOUT_MS);
	kvmintro_wait_counter_moves(before->vcpus[1], TIMEOUT_MS);
	vm_destroy(before);
}

/* The KVM_RUN hook counts the runs of a guest that exits all the time. */
static void test_vcpu_runs_counted(void)
{
	struct kvmintro_vcpus_line a[4], b[4];
	struct kvm_vm *vm;

	kvmintro_load();
	vm = vm_create_busy(false);
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 0), true,
				       TIMEOUT_MS), "no VM directory");
	TEST_ASSERT_EQ(kvmintro_vcpus(kvmintro_vm_path(getpid(), 0), a, 4), 2);
	sleep_ms(500);
	TEST_ASSERT_EQ(kvmintro_vcpus(kvmintro_vm_path(getpid(), 0), b, 4), 2);
	TEST_ASSERT(b[1].runs > a[1].runs,
		    "exiting vcpu: runs %" PRIu64 " then %" PRIu64,
		    a[1].runs, b[1].runs);
	/* The spinning vcpu entered KVM_RUN once and never came back. */
	TEST_ASSERT(b[0].runs <= 1, "spinning vcpu: %" PRIu64 " runs",
		    b[0].runs);
	vm_destroy(vm);
	kvmintro_unload();
}

static const struct kvmintro_case cases[] = {
	{ "registry: VMs before and after load, memslots and vcpus match the VMM",
	  test_vm_before_and_after_load },
	{ "registry: KVM_RUN hook counts runs per vcpu",
	  test_vcpu_runs_counted },
};

int main(void)
{
	kvmintro_main(cases, ARRAY_SIZE(cases));
}
