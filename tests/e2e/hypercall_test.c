// SPDX-License-Identifier: GPL-2.0
/*
 * hypercall: the opt-in guest->host translation hypercall, issued by a
 * long mode guest at CPL 0 (and at CPL 3) that this process runs as its
 * VMM.  The truth is this process's own /proc/self/pagemap for the HVA
 * that backs each GPA (the HVA the VMM gave KVM), /proc/kpageflags for
 * whether a THP backs it, and KVM's documented answers (-KVM_ENOSYS,
 * -KVM_EPERM) when the call is not ours to serve.
 *
 * The guest uses the native instruction of KVM's CPUID vendor (vmmcall on
 * AMD, vmcall on Intel), so KVM never patches its code.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "kvm_util.h"
#include "kvmintro_e2e.h"
#include "processor.h"

/* Not a KVM_HC_*; what the module is loaded with. */
#define HC_NR		0x4b49
#define HC_PARAMS	"hypercall_nr=19273"	/* 0x4b49 */

#define KVM_ENOSYS	1000
#define KVM_EFAULT	14
#define KVM_EPERM	1

#define HC_HUGE		(1ULL << 0)
#define HC_MAPPED	(1ULL << 1)
#define HC_ORDER_SHIFT	2

/* Guest physical layout. */
#define SYS_GPA		0x0ULL		/* code, data, page tables: 2M */
#define BASE_GPA	0x40000000ULL	/* 4K anonymous pages: 2M */
#define THP_GPA		0x80000000ULL	/* THP: 6M, written, untouched, read */
#define HOLE_GPA	0xc0000000ULL	/* in no memslot */
#define BASE_TOUCHED	8		/* pages of BASE_GPA the VMM wrote */
#define UNTOUCHED_GPA	(BASE_GPA + 0x100000)
#define READ_ONLY_GPA	(BASE_GPA + 0x180000)	/* only read: zero page */

struct hc_vm {
	struct kvm_vm *vm;
	struct kvm_vcpu *kernel;	/* GUEST_HYPERCALL, CPL 0 */
	struct kvm_vcpu *user;		/* GUEST_HYPERCALL_USER, CPL 3 */
	struct kvm_vcpu *compat;	/* GUEST_HYPERCALL_COMPAT, 32-bit */
};

static void hc_vm_create(struct hc_vm *t)
{
	struct kvm_vm *vm = vm_create();

	vm_add_memslot(vm, VM_MEM_ANON, 0, SYS_GPA, SZ_2M, 0);
	vm_add_memslot(vm, VM_MEM_ANON, 1, BASE_GPA, SZ_2M, 0);
	/* Base pages here, whatever the host's THP policy. */
	TEST_ASSERT(!madvise(addr_gpa2hva(vm, BASE_GPA), SZ_2M,
			     MADV_NOHUGEPAGE), "madvise");
	vm_add_memslot(vm, VM_MEM_THP, 2, THP_GPA, 3 * SZ_2M, 0);
	memset(addr_gpa2hva(vm, BASE_GPA), 0x5a, BASE_TOUCHED * SZ_4K);
	memset(addr_gpa2hva(vm, THP_GPA), 0xa5, SZ_2M);
	/* Read, never written: the (huge) zero page maps them. */
	TEST_ASSERT(!*(volatile uint8_t *)addr_gpa2hva(vm, READ_ONLY_GPA) &&
		    !*(volatile uint8_t *)addr_gpa2hva(vm, THP_GPA + 2 * SZ_2M),
		    "fresh anonymous memory is not zero");

	vm_guest_init(vm, VM_MODE_LONG);
	t->vm = vm;
	t->kernel = vcpu_add(vm, 0);
	vcpu_guest_load(t->kernel, GUEST_HYPERCALL);
	t->user = vcpu_add(vm, 1);
	vcpu_guest_load(t->user, GUEST_HYPERCALL_USER);
	t->compat = vcpu_add(vm, 2);
	vcpu_guest_load(t->compat, GUEST_HYPERCALL_COMPAT);
}

/*
 * Order of the folio behind @hva, from the truth: 0 for a base page; for
 * a THP (kpageflags), 9 when its whole 2 MiB are host-contiguous in
 * pagemap, as a PMD-mapped THP is.
 */
static unsigned int truth_order(uint64_t hva)
{
	uint64_t base = ALIGN_DOWN(hva, SZ_2M), pfn0, off;

	if (!(kvmintro_kpageflags(kvmintro_pagemap_pfn(hva)) &
	      (1ULL << KVMINTRO_KPF_THP)))
		return 0;
	pfn0 = kvmintro_pagemap_pfn(base);
	TEST_ASSERT(pfn0 && IS_ALIGNED(pfn0, 512), "THP head pfn 0x%" PRIx64,
		    pfn0);
	for (off = 0; off < SZ_2M; off += SZ_4K)
		TEST_ASSERT_EQ(kvmintro_pagemap_pfn(base + off),
			       pfn0 + off / SZ_4K);
	return 9;
}

/* The guest at CPL 0 asks for @gpa, backed and resident: pagemap's answer. */
static unsigned int expect_served(struct hc_vm *t, uint64_t gpa)
{
	uint64_t hva = (uint64_t)(uintptr_t)addr_gpa2hva(t->vm, gpa);
	struct guest_hypercall_mailbox *mb;
	uint64_t pfn, flags;
	unsigned int order;

	mb = vcpu_hypercall(t->kernel, HC_NR, gpa);
	pfn = kvmintro_pagemap_pfn(hva);
	TEST_ASSERT(pfn, "gpa 0x%" PRIx64 ": pagemap says not present", gpa);
	order = truth_order(hva);
	flags = HC_MAPPED | (order ? HC_HUGE : 0) |
		(uint64_t)order << HC_ORDER_SHIFT;
	TEST_ASSERT(mb->rax == (pfn << 12 | (gpa & 0xfff)) && mb->rdx == pfn &&
		    mb->rsi == flags,
		    "gpa 0x%" PRIx64 ": rax 0x%" PRIx64 " rdx 0x%" PRIx64 " rsi 0x%" PRIx64 ", pagemap: pfn 0x%" PRIx64 " flags 0x%" PRIx64,
		    gpa, mb->rax, mb->rdx, mb->rsi, pfn, flags);
	return order;
}

static void expect_efault(struct hc_vm *t, uint64_t gpa)
{
	struct guest_hypercall_mailbox *mb;

	mb = vcpu_hypercall(t->kernel, HC_NR, gpa);
	TEST_ASSERT(mb->rax == (uint64_t)-KVM_EFAULT && !mb->rdx && !mb->rsi,
		    "gpa 0x%" PRIx64 ": rax 0x%" PRIx64 " rdx 0x%" PRIx64 " rsi 0x%" PRIx64 ", want -KVM_EFAULT, 0, 0",
		    gpa, mb->rax, mb->rdx, mb->rsi);
}

/* @gpa is mapped by a zero page, by pagemap and kpageflags: not backed. */
static void expect_zero_page(struct hc_vm *t, uint64_t gpa)
{
	uint64_t hva = (uint64_t)(uintptr_t)addr_gpa2hva(t->vm, gpa);
	uint64_t pfn = kvmintro_pagemap_pfn(hva);

	if (!pfn || !(kvmintro_kpageflags(pfn) &
		      (1ULL << KVMINTRO_KPF_ZERO_PAGE))) {
		ksft_print_msg("gpa 0x%" PRIx64 ": no zero page behind it (pfn 0x%" PRIx64 "): zero page case left out\n",
			       gpa, pfn);
		return;
	}
	expect_efault(t, gpa);
	TEST_ASSERT_EQ(kvmintro_pagemap_pfn(hva), pfn);
}

/* KVM's own answer @ret; RDX and RSI as the guest left them. */
static void expect_kvm(struct kvm_vcpu *vcpu, uint64_t nr, uint64_t gpa,
		       uint64_t ret)
{
	struct guest_hypercall_mailbox *mb = vcpu_hypercall(vcpu, nr, gpa);
	uint64_t sentinel = HYPERCALL_SENTINEL;

	/* A 32-bit caller: KVM's answer and the registers, 32 bits wide. */
	if (vcpu->guest == GUEST_HYPERCALL_COMPAT) {
		ret = (uint32_t)ret;
		sentinel = (uint32_t)sentinel;
	}
	TEST_ASSERT(mb->rax == ret && mb->rdx == sentinel &&
		    mb->rsi == sentinel,
		    "vcpu %u nr 0x%" PRIx64 " gpa 0x%" PRIx64 ": rax 0x%" PRIx64 " rdx 0x%" PRIx64 " rsi 0x%" PRIx64 ", want KVM's 0x%" PRIx64 " and untouched rdx/rsi",
		    vcpu->id, nr, gpa, mb->rax, mb->rdx, mb->rsi, ret);
}

static void test_served(void)
{
	struct hc_vm t;
	uint64_t hva;
	char *param;

	hc_vm_create(&t);
	TEST_ASSERT(!__kvmintro_load_params(HC_PARAMS), "load " HC_PARAMS);
	param = kvmintro_read("/sys/module/kvmintro/parameters/hypercall_nr");
	TEST_ASSERT(param && !strcmp(param, "19273\n"), "parameter: %s", param);
	free(param);

	/* 4K pages, any byte address, the page offset kept. */
	TEST_ASSERT_EQ(expect_served(&t, BASE_GPA), 0);
	TEST_ASSERT_EQ(expect_served(&t, BASE_GPA + 3 * SZ_4K + 0x123), 0);
	TEST_ASSERT_EQ(expect_served(&t, BASE_GPA + (BASE_TOUCHED - 1) * SZ_4K +
					 0xfff), 0);
	/* The guest's own code page, in the system slot. */
	expect_served(&t, t.kernel->code_gpa + 7);
	/* Inside the THP, away from its head. */
	if (!expect_served(&t, THP_GPA + 0x12345))
		ksft_print_msg("no THP behind the THP slot (kpageflags): checked as a base page\n");
	expect_served(&t, THP_GPA + SZ_2M - 1);

	/* Outside every memslot. */
	expect_efault(&t, HOLE_GPA);
	expect_efault(&t, HOLE_GPA + 0x42);
	expect_efault(&t, ~0ULL);
	/* Never touched: not mapped, and still not faulted in afterwards. */
	hva = (uint64_t)(uintptr_t)addr_gpa2hva(t.vm, UNTOUCHED_GPA);
	TEST_ASSERT(!(kvmintro_pagemap_entry(hva) & KVMINTRO_PM_PRESENT),
		    "untouched page present before");
	expect_efault(&t, UNTOUCHED_GPA + 0x10);
	TEST_ASSERT(!(kvmintro_pagemap_entry(hva) & KVMINTRO_PM_PRESENT),
		    "the hypercall faulted the page in");
	/* The second THP of the slot, never touched. */
	hva = (uint64_t)(uintptr_t)addr_gpa2hva(t.vm, THP_GPA + SZ_2M);
	expect_efault(&t, THP_GPA + SZ_2M);
	TEST_ASSERT(!(kvmintro_pagemap_entry(hva) & KVMINTRO_PM_PRESENT),
		    "the hypercall faulted the THP in");

	/* Only a shared zero page maps it: not backed (pagemap agrees). */
	expect_zero_page(&t, READ_ONLY_GPA + 0x20);
	expect_zero_page(&t, THP_GPA + 2 * SZ_2M + 0x1000);

	/* Another number: KVM's answer, untouched. */
	expect_kvm(t.kernel, HC_NR + 1, BASE_GPA, (uint64_t)-KVM_ENOSYS);
	/* CPL 3: KVM's -KVM_EPERM, not served. */
	expect_kvm(t.user, HC_NR, BASE_GPA, (uint64_t)-KVM_EPERM);
	expect_kvm(t.user, HC_NR, HOLE_GPA, (uint64_t)-KVM_EPERM);
	/* 32-bit caller at CPL 0: KVM's (u32)-KVM_ENOSYS, not served. */
	expect_kvm(t.compat, HC_NR, BASE_GPA, (uint64_t)-KVM_ENOSYS);
	expect_kvm(t.compat, HC_NR, HOLE_GPA, (uint64_t)-KVM_ENOSYS);
	/* And CPL 0 still served after that. */
	expect_served(&t, BASE_GPA + 0x800);

	vm_destroy(t.vm);
	kvmintro_unload();
}

/*
 * A slot KVM faults in from a guest_memfd alone (6.18+): the file's pages are
 * served, though the VMM's page tables hold none of them any more; the
 * truth is pagemap's frame of each while the VMM still mapped it.
 */
static void test_served_guest_memfd(void)
{
	struct guest_hypercall_mailbox *mb;
	uint64_t pfn[BASE_TOUCHED], gpa;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm = vm_create();
	uint8_t *hva;
	unsigned int i;
	int r;

	vm_add_memslot(vm, VM_MEM_ANON, 0, SYS_GPA, SZ_2M, 0);
	r = __vm_add_memslot(vm, VM_MEM_GUEST_MEMFD, 1, BASE_GPA, SZ_2M, 0);
	if (r == -EOPNOTSUPP)
		ksft_exit_skip("KVM has no guest_memfd a VMM can mmap() (KVM_CAP_GUEST_MEMFD_FLAGS, Linux 6.18+)\n");
	TEST_ASSERT(!r, "guest_memfd memslot: %s", strerror(-r));
	hva = addr_gpa2hva(vm, BASE_GPA);
	memset(hva, 0x5a, BASE_TOUCHED * SZ_4K);
	for (i = 0; i < BASE_TOUCHED; i++) {
		pfn[i] = kvmintro_pagemap_pfn((uintptr_t)hva + i * SZ_4K);
		TEST_ASSERT(pfn[i], "page %u of the guest_memfd not mapped", i);
	}
	TEST_ASSERT(!madvise(hva, SZ_2M, MADV_DONTNEED), "MADV_DONTNEED");
	vm_guest_init(vm, VM_MODE_LONG);
	vcpu = vcpu_add(vm, 0);
	vcpu_guest_load(vcpu, GUEST_HYPERCALL);
	TEST_ASSERT(!__kvmintro_load_params(HC_PARAMS), "load " HC_PARAMS);

	for (i = 0; i < BASE_TOUCHED; i++) {
		gpa = BASE_GPA + i * SZ_4K + 0x10 * i;
		mb = vcpu_hypercall(vcpu, HC_NR, gpa);
		TEST_ASSERT(mb->rax == (pfn[i] << 12 | (gpa & 0xfff)) &&
			    mb->rdx == pfn[i] && mb->rsi == HC_MAPPED,
			    "gpa 0x%" PRIx64 ": rax 0x%" PRIx64 " rdx 0x%" PRIx64 " rsi 0x%" PRIx64 ", the file's page: pfn 0x%" PRIx64,
			    gpa, mb->rax, mb->rdx, mb->rsi, pfn[i]);
	}
	/* A page the file does not hold: not backed, and not created. */
	mb = vcpu_hypercall(vcpu, HC_NR, UNTOUCHED_GPA);
	TEST_ASSERT(mb->rax == (uint64_t)-KVM_EFAULT && !mb->rdx && !mb->rsi,
		    "untouched gpa: rax 0x%" PRIx64 " rdx 0x%" PRIx64 " rsi 0x%" PRIx64,
		    mb->rax, mb->rdx, mb->rsi);
	for (i = 0; i < SZ_2M / SZ_4K; i++)
		TEST_ASSERT(!(kvmintro_pagemap_entry((uintptr_t)hva + i * SZ_4K) &
			      KVMINTRO_PM_PRESENT),
			    "page %u of the guest_memfd mapped again", i);
	{
		unsigned char vec[SZ_2M / SZ_4K];

		TEST_ASSERT(!mincore(hva, SZ_2M, vec), "mincore");
		TEST_ASSERT(!(vec[(UNTOUCHED_GPA - BASE_GPA) / SZ_4K] & 1),
			    "the hypercall created a page of the guest_memfd");
	}
	vm_destroy(vm);
	kvmintro_unload();
}

/* What a guest gets when kvmintro does not serve the number. */
static void expect_unserved(struct hc_vm *t)
{
	expect_kvm(t->kernel, HC_NR, BASE_GPA, (uint64_t)-KVM_ENOSYS);
	expect_kvm(t->kernel, HC_NR, HOLE_GPA, (uint64_t)-KVM_ENOSYS);
	expect_kvm(t->user, HC_NR, BASE_GPA, (uint64_t)-KVM_EPERM);
	expect_kvm(t->compat, HC_NR, BASE_GPA, (uint64_t)-KVM_ENOSYS);
}

static void test_off_by_default(void)
{
	struct hc_vm t;
	char *param;

	hc_vm_create(&t);
	kvmintro_load();
	param = kvmintro_read("/sys/module/kvmintro/parameters/hypercall_nr");
	TEST_ASSERT(param && !strcmp(param, "-1\n"), "parameter: %s", param);
	free(param);
	expect_unserved(&t);
	vm_destroy(t.vm);
	kvmintro_unload();
}

static void test_not_loaded(void)
{
	struct hc_vm t;

	TEST_ASSERT(!kvmintro_loaded(), "kvmintro is loaded");
	hc_vm_create(&t);
	expect_unserved(&t);
	/* Loaded and unloaded again: KVM's answer again. */
	TEST_ASSERT(!__kvmintro_load_params(HC_PARAMS), "load " HC_PARAMS);
	expect_served(&t, BASE_GPA);
	kvmintro_unload();
	expect_unserved(&t);
	vm_destroy(t.vm);
}

static void test_refused(void)
{
	/* Refused by kvmintro: KVM_HC_* numbers and negative values. */
	static const char *const ours[] = {
		"hypercall_nr=1", "hypercall_nr=2", "hypercall_nr=3",
		"hypercall_nr=4", "hypercall_nr=5", "hypercall_nr=6",
		"hypercall_nr=7", "hypercall_nr=8", "hypercall_nr=9",
		"hypercall_nr=10", "hypercall_nr=11", "hypercall_nr=12",
		"hypercall_nr=-5", "hypercall_nr=-2", "hypercall_nr=-2147483648",
	};
	/* Refused by the kernel's int parser (EINVAL or ERANGE). */
	static const char *const garbage[] = {
		"hypercall_nr=zzz", "hypercall_nr=4x", "hypercall_nr=",
		"hypercall_nr=99999999999",
	};
	unsigned int i;
	int r;

	for (i = 0; i < ARRAY_SIZE(ours); i++) {
		r = __kvmintro_load_params(ours[i]);
		TEST_ASSERT(r == -EINVAL, "'%s': %s, want EINVAL", ours[i],
			    strerror(-r));
		TEST_ASSERT(!kvmintro_loaded(), "'%s' left the module loaded",
			    ours[i]);
	}
	for (i = 0; i < ARRAY_SIZE(garbage); i++) {
		r = __kvmintro_load_params(garbage[i]);
		TEST_ASSERT(r == -EINVAL || r == -ERANGE, "'%s': %s",
			    garbage[i], strerror(-r));
		TEST_ASSERT(!kvmintro_loaded(), "'%s' left the module loaded",
			    garbage[i]);
	}
	/* The edges that are fine: 0 and the largest int. */
	TEST_ASSERT(!__kvmintro_load_params("hypercall_nr=0"), "hypercall_nr=0");
	kvmintro_unload();
	TEST_ASSERT(!__kvmintro_load_params("hypercall_nr=2147483647"),
		    "hypercall_nr=2147483647");
	kvmintro_unload();
}

static const struct kvmintro_case cases[] = {
	{ "hypercall: not loaded: KVM's -KVM_ENOSYS, and after unload",
	  test_not_loaded },
	{ "hypercall: loaded without hypercall_nr: KVM's answers",
	  test_off_by_default },
	{ "hypercall: KVM_HC_* numbers and garbage refused at load",
	  test_refused },
	{ "hypercall: CPL 0 gets pagemap's HPA/PFN/flags (4K, THP), -KVM_EFAULT off slots, untouched and zero pages; CPL 3 and 32-bit keep KVM's answer",
	  test_served },
	{ "hypercall: a slot KVM faults in from a guest_memfd alone is served from the file's pages",
	  test_served_guest_memfd },
};

int main(void)
{
	kvmintro_main(cases, ARRAY_SIZE(cases));
}
