// SPDX-License-Identifier: GPL-2.0
/*
 * spin_vm: a minimal arm64 VM for the arm64 end-to-end test (basic_test.sh).
 *
 * Two memslots of anonymous memory; the guest, at EL1 with its MMU off,
 * counts in a loop at the start of slot 0; the VMM writes a known string
 * into each slot.  It prints what it made, one record a line, in the
 * memslots file's own field names, then "ready", and runs the vcpu in a
 * thread until SIGTERM or SIGINT:
 *
 *   slot=0 gpa=0x40000000 size=0x200000 hva=0x...
 *   text gpa=0x40002000 value="kvmintro-arm64-slot0"
 *   counter gpa=0x40001000
 *   ready pid=123
 *
 * Before the vcpu first runs, it sets known values in the registers the
 * guest loop does not touch (spin_set_regs[]).  On SIGUSR1 the main
 * thread reads the vcpu's registers with KVM_GET_ONE_REG, as they are
 * then (the test sends it while kvmintro holds the VM paused, the vcpu
 * thread outside KVM_RUN), and prints each as "truth <name>=0x<hex>", in
 * the regs file's names, then "truth-end".
 *
 * With --mmu the guest runs the same loop with its MMU on, through stage-1
 * tables the VMM wrote before the first run (spin_mmu_*, below) and
 * SCTLR_EL1, TCR_EL1, MAIR_EL1, TTBR0_EL1 and TTBR1_EL1 set with
 * KVM_SET_ONE_REG; it prints, before "ready", what the tables map and
 * every descriptor a walk of each address reads, for gva_test.sh:
 *
 *   map gva=0x12345000 gpa=0x80003000 page_size=4K
 *   walk gva=0x12345000 level=1 table=0x40010000 entry_gpa=0x40010000 entry=0x40012003
 *   unmapped gva=0x12346000 level=3
 *
 * With --hvc NR the guest makes SMCCC calls by HVC instead of counting
 * (spin_hvc_calls[], below; NR is the vendor hypervisor function number of
 * kvmintro's translation call, hypercall_nr): it writes one page of slot
 * 1, then for each call loads X0 and X1, issues HVC #0 and stores X0-X3
 * to slot 0, then exits by an MMIO write.  The VMM prints each call's
 * answer and, for each GPA in a slot, its HVA's /proc/self/pagemap entry
 * (and /proc/kpageflags of its frame, if present) read after the calls,
 * then "done", and exits:
 *
 *   hvc call=0 what=touched func=0xc6004b49 arg=0x80005123 x0=0x... x1=0x... x2=0x... x3=0x...
 *   pagemap gpa=0x80005123 hva=0x... entry=0x... kpageflags=0x...
 *   done
 *
 * --hvc NR deny|user first sets KVM's SMCCC filter (KVM_ARM_VM_SMCCC_FILTER)
 * for function NR alone: KVM denies it, or forwards it to the VMM
 * (KVM_EXIT_HYPERCALL), which answers X0 = SPIN_HVC_USER_ANSWER, X2 and X3 0,
 * X1 left as the guest set it.
 *
 * --hvc NR gmem makes slot 1 a guest_memfd KVM faults the guest's pages in
 * from alone (GUEST_MEMFD_FLAG_MMAP and _INIT_SHARED, Linux 6.18 on; else
 * it prints "skip no-guest-memfd" and runs nothing).  The VMM writes its
 * page through its own mapping of the file, then drops the mapping
 * (MADV_DONTNEED), so that its page tables hold none of the file's pages.
 * After the calls, for each GPA in slot 1, it asks mincore() whether the
 * file holds the page and prints "gmem gpa=0x... resident=0|1", and reads
 * a byte of each page the file holds, which maps that very page again,
 * before its pagemap line.
 *
 * The vcpu is made as KVM's selftests do on aarch64 (lib/aarch64/
 * processor.c): KVM_ARM_PREFERRED_TARGET, KVM_ARM_VCPU_INIT, the PC set
 * through KVM_SET_ONE_REG.  No interrupt controller: the guest takes no
 * interrupt.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "../../vmm/include/kvm_compat.h"

/*
 * KVM's SMCCC filter (6.4's <asm/kvm.h>), for C library headers older than
 * that (Debian 12's are 6.1's): the UAPI as the kernel defines it.
 */
#ifndef KVM_ARM_VM_SMCCC_CTRL
#define KVM_ARM_VM_SMCCC_CTRL		0
#define KVM_ARM_VM_SMCCC_FILTER		0
enum kvm_smccc_filter_action {
	KVM_SMCCC_FILTER_HANDLE = 0,
	KVM_SMCCC_FILTER_DENY,
	KVM_SMCCC_FILTER_FWD_TO_USER,
};
struct kvm_smccc_filter {
	__u32 base;
	__u32 nr_functions;
	__u8 action;
	__u8 pad[15];
};
#endif

#define TEST_ASSERT(cond, fmt, ...)						\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "%s:%d: %s: " fmt " (errno %d: %s)\n",	\
				__FILE__, __LINE__, #cond, ##__VA_ARGS__,	\
				errno, strerror(errno));			\
			exit(1);						\
		}								\
	} while (0)

#define ARM64_CORE_REG(x)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 |		\
				 KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(x))
#define ARM64_X(n)		ARM64_CORE_REG(regs.regs[n])

/* The registers of the regs file, by its names, for KVM_GET_ONE_REG. */
static const struct {
	const char *name;
	uint64_t id;
} spin_reg_ids[] = {
	{ "sp", ARM64_CORE_REG(regs.sp) },
	{ "pc", ARM64_CORE_REG(regs.pc) },
	{ "pstate", ARM64_CORE_REG(regs.pstate) },
	{ "sp_el1", ARM64_CORE_REG(sp_el1) },
	{ "elr_el1", ARM64_CORE_REG(elr_el1) },
	{ "spsr_el1", ARM64_CORE_REG(spsr[KVM_SPSR_EL1]) },
	{ "sctlr_el1", ARM64_SYS_REG(3, 0, 1, 0, 0) },
	{ "ttbr0_el1", ARM64_SYS_REG(3, 0, 2, 0, 0) },
	{ "ttbr1_el1", ARM64_SYS_REG(3, 0, 2, 0, 1) },
	{ "tcr_el1", ARM64_SYS_REG(3, 0, 2, 0, 2) },
	{ "mair_el1", ARM64_SYS_REG(3, 0, 10, 2, 0) },
	{ "vbar_el1", ARM64_SYS_REG(3, 0, 12, 0, 0) },
	{ "esr_el1", ARM64_SYS_REG(3, 0, 5, 2, 0) },
	{ "far_el1", ARM64_SYS_REG(3, 0, 6, 0, 0) },
	{ "contextidr_el1", ARM64_SYS_REG(3, 0, 13, 0, 1) },
	{ "tpidr_el1", ARM64_SYS_REG(3, 0, 13, 0, 4) },
};

/*
 * Known values in registers the guest loop leaves alone (it uses x0 and
 * x1 only, with the MMU off and no exception taken).
 */
static const struct {
	uint64_t id;
	uint64_t value;
} spin_set_regs[] = {
	{ ARM64_X(2), 0x2222222222222222 },
	{ ARM64_X(3), 0x3333333333333333 },
	{ ARM64_X(19), 0x1919191919191919 },
	{ ARM64_X(28), 0x2828282828282828 },
	{ ARM64_X(30), 0x3030303030303030 },
	{ ARM64_CORE_REG(regs.sp), 0x40100000 },
	{ ARM64_CORE_REG(sp_el1), 0x40180000 },
	{ ARM64_CORE_REG(elr_el1), 0xffff800012345678 },
	{ ARM64_SYS_REG(3, 0, 2, 0, 0), 0x40010000 },		/* TTBR0_EL1 */
	{ ARM64_SYS_REG(3, 0, 12, 0, 0), 0xffff800010000800 },	/* VBAR_EL1 */
	{ ARM64_SYS_REG(3, 0, 13, 0, 1), 0x4242 },		/* CONTEXTIDR_EL1 */
	{ ARM64_SYS_REG(3, 0, 13, 0, 4), 0xffff0000deadb000 },	/* TPIDR_EL1 */
};

struct spin_slot {
	uint32_t slot;
	uint64_t gpa;
	uint64_t size;
	uint8_t *hva;
	const char *text;	/* written at gpa + SPIN_TEXT_OFFSET */
	bool nohugepage;	/* MADV_NOHUGEPAGE: see spin_slots[] */
	bool gmem;		/* a guest_memfd's (--hvc NR gmem) */
};

#define SPIN_CODE_OFFSET	0x0
#define SPIN_COUNTER_OFFSET	0x1000
#define SPIN_TEXT_OFFSET	0x2000

static struct spin_slot spin_slots[] = {
	{ .slot = 0, .gpa = 0x40000000, .size = 0x200000,
	  .text = "kvmintro-arm64-slot0" },
	/*
	 * Slot 1 holds pages the guest never touches (--hvc's "untouched").
	 * Its mapping lands next to slot 0's and merges with it, so a THP
	 * faulted in for slot 0 could cover slot 1's last pages: off here.
	 */
	{ .slot = 1, .gpa = 0x80000000, .size = 0x100000,
	  .text = "kvmintro-arm64-slot1", .nohugepage = true },
};

/*
 * The guest, at slot 0's start: load the counter's address from the
 * literal, then increment the counter for ever.  The literal is 8-byte
 * aligned: with the MMU off every access is to Device memory, which
 * faults when unaligned.
 */
static const uint32_t spin_code[] = {
	0x580000c1,	/* 0x00: ldr x1, 0x18 */
	0xf9400020,	/* 0x04: ldr x0, [x1] */
	0x91000400,	/* 0x08: add x0, x0, #1 */
	0xf9000020,	/* 0x0c: str x0, [x1] */
	0x17fffffd,	/* 0x10: b 0x04 */
	0xd503201f,	/* 0x14: nop */
	/* 0x18: the counter's GPA, filled in by vm_load_code() */
};

/*
 * --mmu: stage-1 tables, 4K granule, in slot 0 from SPIN_MMU_TABLES.
 * TTBR0_EL1: T0SZ 25, a 39-bit range walked from level 1; TTBR1_EL1:
 * T1SZ 16, 48 bits from level 0.  The code and counter are mapped by an
 * identity 2M block, so that the loop runs at the same addresses as with
 * the MMU off; a 4K page under each TTBR maps a VA to a page of slot 1
 * holding a known string; a 2M block under TTBR1 aliases slot 0.
 */
#define SPIN_MMU_TABLES		0x40010000	/* = TTBR0_EL1 of spin_set_regs[] */
#define SPIN_MMU_TTBR0_L1	(SPIN_MMU_TABLES + 0x0000)
#define SPIN_MMU_TTBR0_L2_CODE	(SPIN_MMU_TABLES + 0x1000)
#define SPIN_MMU_TTBR0_L2	(SPIN_MMU_TABLES + 0x2000)
#define SPIN_MMU_TTBR0_L3	(SPIN_MMU_TABLES + 0x3000)
#define SPIN_MMU_TTBR1_L0	(SPIN_MMU_TABLES + 0x4000)
#define SPIN_MMU_TTBR1_L1	(SPIN_MMU_TABLES + 0x5000)
#define SPIN_MMU_TTBR1_L2	(SPIN_MMU_TABLES + 0x6000)
#define SPIN_MMU_TTBR1_L3	(SPIN_MMU_TABLES + 0x7000)

#define DESC_TABLE		0x3ULL
/* Block and page: AttrIndx 0 (MAIR attr0, Normal WB), inner shareable, AF. */
#define DESC_BLOCK		0x701ULL
#define DESC_PAGE		0x703ULL

#define SCTLR_M			(1ULL << 0)
#define SCTLR_C			(1ULL << 2)
#define SCTLR_I			(1ULL << 12)
#define SCTLR_WXN		(1ULL << 19)
#define SCTLR_EE		(1ULL << 25)
/*
 * T0SZ 25, IRGN0/ORGN0 write-back, SH0 inner, TG0 4K; T1SZ 16,
 * IRGN1/ORGN1 write-back, SH1 inner, TG1 4K; IPS 40 bits.
 */
#define SPIN_MMU_TCR		(25ULL | 1ULL << 8 | 1ULL << 10 | 3ULL << 12 | \
				 16ULL << 16 | 1ULL << 24 | 1ULL << 26 |	\
				 3ULL << 28 | 2ULL << 30 | 2ULL << 32)
#define SPIN_MMU_MAIR		0xffULL		/* attr0: Normal, write-back */

#define SYS_SCTLR_EL1		ARM64_SYS_REG(3, 0, 1, 0, 0)
#define SYS_TTBR0_EL1		ARM64_SYS_REG(3, 0, 2, 0, 0)
#define SYS_TTBR1_EL1		ARM64_SYS_REG(3, 0, 2, 0, 1)
#define SYS_TCR_EL1		ARM64_SYS_REG(3, 0, 2, 0, 2)
#define SYS_MAIR_EL1		ARM64_SYS_REG(3, 0, 10, 2, 0)

/* A descriptor the VMM writes: the table it is in, its index, its value. */
struct spin_desc {
	uint64_t table;
	unsigned int index;
	uint64_t value;
};

static const struct spin_desc spin_mmu_descs[] = {
	/* TTBR0: 0x40000000 (VA bits 38:30 = 1), a 2M block, identity. */
	{ SPIN_MMU_TTBR0_L1, 1, SPIN_MMU_TTBR0_L2_CODE | DESC_TABLE },
	{ SPIN_MMU_TTBR0_L2_CODE, 0, 0x40000000 | DESC_BLOCK },
	/* TTBR0: 0x12345000 (0, 0x91, 0x145), a 4K page at 0x80003000. */
	{ SPIN_MMU_TTBR0_L1, 0, SPIN_MMU_TTBR0_L2 | DESC_TABLE },
	{ SPIN_MMU_TTBR0_L2, 0x91, SPIN_MMU_TTBR0_L3 | DESC_TABLE },
	{ SPIN_MMU_TTBR0_L3, 0x145, 0x80003000 | DESC_PAGE },
	/* TTBR1: 0xffff800000201000 (0x100, 0, 1, 1), a 4K page at 0x80004000. */
	{ SPIN_MMU_TTBR1_L0, 0x100, SPIN_MMU_TTBR1_L1 | DESC_TABLE },
	{ SPIN_MMU_TTBR1_L1, 0, SPIN_MMU_TTBR1_L2 | DESC_TABLE },
	{ SPIN_MMU_TTBR1_L2, 1, SPIN_MMU_TTBR1_L3 | DESC_TABLE },
	{ SPIN_MMU_TTBR1_L3, 1, 0x80004000 | DESC_PAGE },
	/* TTBR1: 0xffff800000400000 (0x100, 0, 2), a 2M block at 0x40000000. */
	{ SPIN_MMU_TTBR1_L2, 2, 0x40000000 | DESC_BLOCK },
};

/*
 * What the tables map, and where walks stop: the descriptors each walk
 * reads are found from spin_mmu_descs[] (vm_print_walk()).
 */
static const struct {
	uint64_t gva;
	uint64_t gpa;		/* 0: unmapped */
	const char *page_size;	/* or the level whose descriptor is invalid */
	unsigned int stop_level;
	const char *text;	/* written at gpa, if any */
} spin_mmu_maps[] = {
	{ 0x40000000, 0x40000000, "2M", 0, NULL },
	{ 0x12345000, 0x80003000, "4K", 0, "kvmintro-arm64-ttbr0-page" },
	{ 0xffff800000201000, 0x80004000, "4K", 0, "kvmintro-arm64-ttbr1-page" },
	{ 0xffff800000400000, 0x40000000, "2M", 0, NULL },
	{ 0x12346000, 0, NULL, 3, NULL },	/* next to the TTBR0 page */
	{ 0x80000000, 0, NULL, 1, NULL },	/* TTBR0, level 1 index 2 */
	{ 0xffff800040000000, 0, NULL, 1, NULL },	/* TTBR1, level 1 index 1 */
};

/*
 * --hvc: the guest at slot 0's start.  The literals after the code are
 * filled in by vm_load_hvc_code(): the call table (X0, X1 for each call),
 * where the answers go (X0-X3 for each), the number of calls, the GPA the
 * guest writes first and the MMIO address it writes last.
 */
static const uint32_t spin_hvc_code[] = {
	0x58000204,	/* 0x00: ldr x4, 0x40 (the call table) */
	0x58000225,	/* 0x04: ldr x5, 0x48 (the answers) */
	0x58000246,	/* 0x08: ldr x6, 0x50 (the number of calls) */
	0x58000267,	/* 0x0c: ldr x7, 0x58 (the GPA to write) */
	0xf90000e6,	/* 0x10: str x6, [x7] */
	0xb40000e6,	/* 0x14: cbz x6, 0x30 */
	0xa8c10480,	/* 0x18: ldp x0, x1, [x4], #16 */
	0xd4000002,	/* 0x1c: hvc #0 */
	0xa88104a0,	/* 0x20: stp x0, x1, [x5], #16 */
	0xa8810ca2,	/* 0x24: stp x2, x3, [x5], #16 */
	0xd10004c6,	/* 0x28: sub x6, x6, #1 */
	0x17fffffa,	/* 0x2c: b 0x14 */
	0x58000188,	/* 0x30: ldr x8, 0x60 (the MMIO address) */
	0xf9000106,	/* 0x34: str x6, [x8] */
	0x17fffffe,	/* 0x38: b 0x30 */
	0xd503201f,	/* 0x3c: nop */
	/* 0x40-0x67: the literals */
};

#define SPIN_HVC_LITERALS	0x40
#define SPIN_HVC_TABLE		0x3000	/* in slot 0 */
#define SPIN_HVC_ANSWERS	0x4000	/* in slot 0 */
#define SPIN_HVC_TOUCHED	0x80005000	/* slot 1: the guest writes it */
#define SPIN_HVC_MMIO		0x20000000	/* in no slot: the end */

#define SPIN_HVC_USER_ANSWER	0x7573657220766d6dULL	/* "user vmm" */

#define SMCCC_FAST_SMC64_VENDOR_HYP	0xc6000000U
#define SMCCC_FAST_SMC32_VENDOR_HYP	0x86000000U
#define SMCCC_KVM_FEATURES		0x86000000U	/* KVM's function 0 */
#define SMCCC_VENDOR_HYP_CALL_UID	0x8600ff01U

/*
 * The calls, X0 from hypercall_nr where @ours (plus @nr_delta), else
 * @func.  Which answers to expect is the test's (hypercall_test.sh).
 */
static const struct {
	const char *what;
	bool ours;
	bool smc32;
	uint32_t nr_delta;
	uint32_t func;
	uint64_t arg;
} spin_hvc_calls[] = {
	{ "touched", true, false, 0, 0, SPIN_HVC_TOUCHED + 0x123 },
	{ "vmm-written", true, false, 0, 0, 0x80000000 + SPIN_TEXT_OFFSET },
	{ "untouched", true, false, 0, 0, 0x800f0000 },
	{ "no-slot", true, false, 0, 0, 0x10000000 },
	{ "past-slot", true, false, 0, 0, 0x80100000 },
	{ "past-ipa", true, false, 0, 0, 1ULL << 52 },
	{ "all-ones", true, false, 0, 0, ~0ULL },
	{ "kvm-features", false, false, 0, SMCCC_KVM_FEATURES, 0 },
	{ "kvm-call-uid", false, false, 0, SMCCC_VENDOR_HYP_CALL_UID, 0 },
	{ "next-function", true, false, 1, 0, SPIN_HVC_TOUCHED },
	{ "smc32", true, true, 0, 0, SPIN_HVC_TOUCHED },
};

#define SPIN_HVC_NR_CALLS	(sizeof(spin_hvc_calls) / sizeof(spin_hvc_calls[0]))

struct spin_vcpu {
	int fd;
	struct kvm_run *run;
};

static int kvm_ioctl_checked(int fd, unsigned long cmd, void *arg,
			     const char *name)
{
	int r = ioctl(fd, cmd, arg);

	TEST_ASSERT(r >= 0, "%s failed", name);
	return r;
}
#define kvm_ioctl(fd, cmd, arg)	kvm_ioctl_checked(fd, cmd, arg, #cmd)

static void vm_add_memslot(int vm_fd, struct spin_slot *s)
{
	struct kvm_userspace_memory_region region;

	s->hva = mmap(NULL, s->size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(s->hva != MAP_FAILED, "mmap of 0x%llx bytes",
		    (unsigned long long)s->size);
	TEST_ASSERT(!s->nohugepage || !madvise(s->hva, s->size, MADV_NOHUGEPAGE),
		    "madvise(MADV_NOHUGEPAGE) of slot %u", s->slot);
	region = (struct kvm_userspace_memory_region) {
		.slot = s->slot,
		.guest_phys_addr = s->gpa,
		.memory_size = s->size,
		.userspace_addr = (uintptr_t)s->hva,
	};
	kvm_ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &region);
	strcpy((char *)s->hva + SPIN_TEXT_OFFSET, s->text);
}

/*
 * --hvc NR gmem: slot @s as a guest_memfd that KVM faults the guest's
 * pages in from alone, mapped by the VMM too: it writes the slot's text
 * there, then drops its mapping's pages.  On a KVM without, say so and
 * exit.
 */
static void vm_add_gmem_memslot(int vm_fd, struct spin_slot *s)
{
	const uint64_t flags = GUEST_MEMFD_FLAG_MMAP |
			       GUEST_MEMFD_FLAG_INIT_SHARED;
	struct kvm_create_guest_memfd gmem = { .size = s->size, .flags = flags };
	struct kvm_userspace_memory_region2 region;
	int r, fd;

	r = ioctl(vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD_FLAGS);
	if (r < 0 || (r & flags) != flags) {
		printf("skip no-guest-memfd\n");
		exit(0);
	}
	fd = kvm_ioctl(vm_fd, KVM_CREATE_GUEST_MEMFD, &gmem);
	s->hva = mmap(NULL, s->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	TEST_ASSERT(s->hva != MAP_FAILED, "mmap of the guest_memfd");
	region = (struct kvm_userspace_memory_region2) {
		.slot = s->slot,
		.flags = KVM_MEM_GUEST_MEMFD,
		.guest_phys_addr = s->gpa,
		.memory_size = s->size,
		.userspace_addr = (uintptr_t)s->hva,
		.guest_memfd = fd,
	};
	kvm_ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION2, &region);
	strcpy((char *)s->hva + SPIN_TEXT_OFFSET, s->text);
	TEST_ASSERT(!madvise(s->hva, s->size, MADV_DONTNEED),
		    "madvise(MADV_DONTNEED) of the guest_memfd");
	s->gmem = true;
}

static void vm_load_code(struct spin_slot *s)
{
	uint64_t counter_gpa = s->gpa + SPIN_COUNTER_OFFSET;

	memcpy(s->hva + SPIN_CODE_OFFSET, spin_code, sizeof(spin_code));
	memcpy(s->hva + SPIN_CODE_OFFSET + 0x18, &counter_gpa,
	       sizeof(counter_gpa));
}

/* The slot of guest physical @gpa, or NULL. */
static const struct spin_slot *vm_gpa_slot(uint64_t gpa)
{
	size_t i;

	for (i = 0; i < sizeof(spin_slots) / sizeof(spin_slots[0]); i++)
		if (gpa >= spin_slots[i].gpa &&
		    gpa < spin_slots[i].gpa + spin_slots[i].size)
			return &spin_slots[i];
	return NULL;
}

/* The host address of guest physical @gpa, which must be in a slot. */
static uint8_t *vm_gpa_hva(uint64_t gpa)
{
	const struct spin_slot *s = vm_gpa_slot(gpa);

	TEST_ASSERT(s, "GPA 0x%llx in no slot", (unsigned long long)gpa);
	return s->hva + (gpa - s->gpa);
}

static uint32_t vm_hvc_func(size_t i, uint32_t nr)
{
	if (!spin_hvc_calls[i].ours)
		return spin_hvc_calls[i].func;
	return (spin_hvc_calls[i].smc32 ? SMCCC_FAST_SMC32_VENDOR_HYP :
					  SMCCC_FAST_SMC64_VENDOR_HYP) +
	       nr + spin_hvc_calls[i].nr_delta;
}

/* --hvc: the guest code, its literals and the call table, in slot 0. */
static void vm_load_hvc_code(struct spin_slot *s, uint32_t nr)
{
	uint64_t literals[] = {
		s->gpa + SPIN_HVC_TABLE, s->gpa + SPIN_HVC_ANSWERS,
		SPIN_HVC_NR_CALLS, SPIN_HVC_TOUCHED, SPIN_HVC_MMIO,
	};
	uint64_t *table = (uint64_t *)(s->hva + SPIN_HVC_TABLE);
	size_t i;

	memcpy(s->hva, spin_hvc_code, sizeof(spin_hvc_code));
	memcpy(s->hva + SPIN_HVC_LITERALS, literals, sizeof(literals));
	for (i = 0; i < SPIN_HVC_NR_CALLS; i++) {
		table[2 * i] = vm_hvc_func(i, nr);
		table[2 * i + 1] = spin_hvc_calls[i].arg;
	}
}

/* Read the 8-byte entry @index of /proc/self/pagemap or /proc/kpageflags. */
static uint64_t proc_read_entry(const char *path, uint64_t index)
{
	uint64_t entry;
	int fd = open(path, O_RDONLY);

	TEST_ASSERT(fd >= 0, "open %s", path);
	TEST_ASSERT(pread(fd, &entry, sizeof(entry), index * 8) == sizeof(entry),
		    "read %s", path);
	close(fd);
	return entry;
}

/*
 * --hvc NR gmem: whether the guest_memfd holds the page of guest physical
 * @gpa, at @hva in the VMM's mapping of it; if it does, map that page
 * again by reading it, for pagemap.
 */
static void vm_print_gmem_page(uint64_t gpa, uint8_t *hva, long page_size)
{
	uint8_t *page = (uint8_t *)((uintptr_t)hva & ~(uintptr_t)(page_size - 1));
	unsigned char resident;

	TEST_ASSERT(!mincore(page, page_size, &resident), "mincore");
	printf("gmem gpa=0x%llx resident=%u\n", (unsigned long long)gpa,
	       resident & 1);
	if (resident & 1)
		(void)*(volatile uint8_t *)page;
}

/*
 * --hvc: print the guest's answers, then the pagemap entry of each GPA
 * in a slot that function NR was called for, as the kernel has it now
 * (the independent truth).
 */
static void vm_print_hvc_answers(struct spin_slot *s, uint32_t nr)
{
	const uint64_t *answer = (uint64_t *)(s->hva + SPIN_HVC_ANSWERS);
	long page_size = sysconf(_SC_PAGESIZE);
	const struct spin_slot *slot;
	uint64_t entry, flags, gpa;
	uint8_t *hva;
	size_t i;

	for (i = 0; i < SPIN_HVC_NR_CALLS; i++, answer += 4)
		printf("hvc call=%zu what=%s func=0x%x arg=0x%llx x0=0x%llx x1=0x%llx x2=0x%llx x3=0x%llx\n",
		       i, spin_hvc_calls[i].what, vm_hvc_func(i, nr),
		       (unsigned long long)spin_hvc_calls[i].arg,
		       (unsigned long long)answer[0],
		       (unsigned long long)answer[1],
		       (unsigned long long)answer[2],
		       (unsigned long long)answer[3]);
	for (i = 0; i < SPIN_HVC_NR_CALLS; i++) {
		gpa = spin_hvc_calls[i].arg;
		slot = vm_gpa_slot(gpa);
		if (!slot || vm_hvc_func(i, nr) != vm_hvc_func(0, nr))
			continue;
		hva = slot->hva + (gpa - slot->gpa);
		if (slot->gmem)
			vm_print_gmem_page(gpa, hva, page_size);
		entry = proc_read_entry("/proc/self/pagemap",
					(uintptr_t)hva / page_size);
		flags = 0;
		if (entry & (1ULL << 63))
			flags = proc_read_entry("/proc/kpageflags",
						entry & ((1ULL << 55) - 1));
		printf("pagemap gpa=0x%llx hva=0x%llx entry=0x%llx kpageflags=0x%llx\n",
		       (unsigned long long)gpa,
		       (unsigned long long)(uintptr_t)hva,
		       (unsigned long long)entry, (unsigned long long)flags);
	}
	printf("done\n");
	fflush(stdout);
}

static uint64_t vm_read_desc(uint64_t gpa)
{
	uint64_t value;

	memcpy(&value, vm_gpa_hva(gpa), sizeof(value));
	return value;
}

/* Write the stage-1 tables of --mmu and the strings of their pages. */
static void vm_write_tables(void)
{
	size_t i;

	for (i = 0; i < sizeof(spin_mmu_descs) / sizeof(spin_mmu_descs[0]); i++)
		memcpy(vm_gpa_hva(spin_mmu_descs[i].table +
				  spin_mmu_descs[i].index * 8),
		       &spin_mmu_descs[i].value, 8);
	for (i = 0; i < sizeof(spin_mmu_maps) / sizeof(spin_mmu_maps[0]); i++)
		if (spin_mmu_maps[i].text)
			strcpy((char *)vm_gpa_hva(spin_mmu_maps[i].gpa),
			       spin_mmu_maps[i].text);
}

/*
 * Print what a walk of @gva reads, from the tables as the VMM wrote them
 * (4K granule: 9 bits a level; TTBR0 from level 1, TTBR1 from level 0).
 */
static void vm_print_walk(uint64_t gva)
{
	unsigned int ttbr = (gva >> 55) & 1, level = ttbr ? 0 : 1;
	uint64_t table = ttbr ? SPIN_MMU_TTBR1_L0 : SPIN_MMU_TTBR0_L1;
	uint64_t entry, entry_gpa;

	for (;; level++) {
		entry_gpa = table + ((gva >> (12 + 9 * (3 - level))) & 0x1ff) * 8;
		entry = vm_read_desc(entry_gpa);
		printf("walk gva=0x%llx level=%u table=0x%llx entry_gpa=0x%llx entry=0x%llx\n",
		       (unsigned long long)gva, level, (unsigned long long)table,
		       (unsigned long long)entry_gpa, (unsigned long long)entry);
		if (!(entry & 1) || level == 3 || (entry & 3) == 1)
			break;
		table = entry & 0x0000fffffffff000ULL;
	}
}

static void vm_print_maps(void)
{
	size_t i;

	for (i = 0; i < sizeof(spin_mmu_maps) / sizeof(spin_mmu_maps[0]); i++) {
		if (spin_mmu_maps[i].gpa)
			printf("map gva=0x%llx gpa=0x%llx page_size=%s\n",
			       (unsigned long long)spin_mmu_maps[i].gva,
			       (unsigned long long)spin_mmu_maps[i].gpa,
			       spin_mmu_maps[i].page_size);
		else
			printf("unmapped gva=0x%llx level=%u\n",
			       (unsigned long long)spin_mmu_maps[i].gva,
			       spin_mmu_maps[i].stop_level);
		vm_print_walk(spin_mmu_maps[i].gva);
	}
}

static void vcpu_set_reg(int vcpu_fd, uint64_t id, uint64_t value)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&value };

	kvm_ioctl(vcpu_fd, KVM_SET_ONE_REG, &reg);
}

static uint64_t vcpu_get_reg(int vcpu_fd, uint64_t id)
{
	uint64_t value;
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&value };

	kvm_ioctl(vcpu_fd, KVM_GET_ONE_REG, &reg);
	return value;
}

/* Print the vcpu's registers as KVM_GET_ONE_REG gives them. */
static void vcpu_print_regs(int vcpu_fd)
{
	size_t i;

	for (i = 0; i < 31; i++)
		printf("truth x%zu=0x%llx\n", i,
		       (unsigned long long)vcpu_get_reg(vcpu_fd, ARM64_X(i)));
	for (i = 0; i < sizeof(spin_reg_ids) / sizeof(spin_reg_ids[0]); i++)
		printf("truth %s=0x%llx\n", spin_reg_ids[i].name,
		       (unsigned long long)vcpu_get_reg(vcpu_fd,
							spin_reg_ids[i].id));
	printf("truth-end\n");
	fflush(stdout);
}

/*
 * Turn the vcpu's MMU on before its first run, with the tables of
 * vm_write_tables(); print the registers as "mmu sctlr=... tcr=...
 * mair=... ttbr0=... ttbr1=...".  SCTLR_EL1 keeps KVM's reset value (its
 * RES1 bits) with M, C and I set, WXN and EE clear.
 */
static void vcpu_mmu_on(int vcpu_fd)
{
	uint64_t sctlr = vcpu_get_reg(vcpu_fd, SYS_SCTLR_EL1);

	sctlr = (sctlr | SCTLR_M | SCTLR_C | SCTLR_I) & ~(SCTLR_WXN | SCTLR_EE);
	vcpu_set_reg(vcpu_fd, SYS_MAIR_EL1, SPIN_MMU_MAIR);
	vcpu_set_reg(vcpu_fd, SYS_TCR_EL1, SPIN_MMU_TCR);
	vcpu_set_reg(vcpu_fd, SYS_TTBR0_EL1, SPIN_MMU_TTBR0_L1);
	vcpu_set_reg(vcpu_fd, SYS_TTBR1_EL1, SPIN_MMU_TTBR1_L0);
	vcpu_set_reg(vcpu_fd, SYS_SCTLR_EL1, sctlr);
	printf("mmu sctlr=0x%llx tcr=0x%llx mair=0x%llx ttbr0=0x%llx ttbr1=0x%llx\n",
	       (unsigned long long)vcpu_get_reg(vcpu_fd, SYS_SCTLR_EL1),
	       (unsigned long long)vcpu_get_reg(vcpu_fd, SYS_TCR_EL1),
	       (unsigned long long)vcpu_get_reg(vcpu_fd, SYS_MAIR_EL1),
	       (unsigned long long)vcpu_get_reg(vcpu_fd, SYS_TTBR0_EL1),
	       (unsigned long long)vcpu_get_reg(vcpu_fd, SYS_TTBR1_EL1));
}

static void vcpu_create(int kvm_fd, int vm_fd, uint64_t pc,
			struct spin_vcpu *vcpu)
{
	struct kvm_vcpu_init init;
	int size;

	vcpu->fd = kvm_ioctl(vm_fd, KVM_CREATE_VCPU, (void *)0);
	kvm_ioctl(vm_fd, KVM_ARM_PREFERRED_TARGET, &init);
	kvm_ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init);
	vcpu_set_reg(vcpu->fd, ARM64_CORE_REG(regs.pc), pc);
	for (size_t i = 0; i < sizeof(spin_set_regs) / sizeof(spin_set_regs[0]); i++)
		vcpu_set_reg(vcpu->fd, spin_set_regs[i].id, spin_set_regs[i].value);
	size = kvm_ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, NULL);
	vcpu->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 vcpu->fd, 0);
	TEST_ASSERT(vcpu->run != MAP_FAILED, "mmap of kvm_run");
}

/*
 * Run the vcpu for ever.  KVM_RUN returns EINTR when kvmintro pauses the
 * VM (a task work, handled like a signal): run again.
 */
static void *vcpu_thread(void *arg)
{
	struct spin_vcpu *vcpu = arg;

	for (;;) {
		if (ioctl(vcpu->fd, KVM_RUN, NULL) < 0) {
			TEST_ASSERT(errno == EINTR || errno == EAGAIN, "KVM_RUN");
			continue;
		}
		fprintf(stderr, "spin_vm: unexpected exit, reason %u\n",
			vcpu->run->exit_reason);
		exit(1);
	}
	return NULL;
}

/* --hvc NR deny|user: KVM's SMCCC filter for function NR alone. */
static void vm_set_smccc_filter(int vm_fd, uint32_t func_id, const char *how)
{
	struct kvm_smccc_filter filter = {
		.base = func_id,
		.nr_functions = 1,
	};
	struct kvm_device_attr attr = {
		.group = KVM_ARM_VM_SMCCC_CTRL,
		.attr = KVM_ARM_VM_SMCCC_FILTER,
		.addr = (uintptr_t)&filter,
	};

	if (!strcmp(how, "deny"))
		filter.action = KVM_SMCCC_FILTER_DENY;
	else if (!strcmp(how, "user"))
		filter.action = KVM_SMCCC_FILTER_FWD_TO_USER;
	else
		TEST_ASSERT(0, "--hvc NR [deny|user]: not '%s'", how);
	/* The filter came with 6.4: say so, and run nothing. */
	if (ioctl(vm_fd, KVM_HAS_DEVICE_ATTR, &attr) < 0) {
		printf("skip no-smccc-filter\n");
		exit(0);
	}
	kvm_ioctl(vm_fd, KVM_SET_DEVICE_ATTR, &attr);
	printf("filter func=0x%x action=%s\n", func_id, how);
}

/* A call KVM forwarded (filter "user"): the VMM's answer, as KVM's API says. */
static void vcpu_answer_hypercall(struct spin_vcpu *vcpu)
{
	vcpu_set_reg(vcpu->fd, ARM64_X(0), SPIN_HVC_USER_ANSWER);
	vcpu_set_reg(vcpu->fd, ARM64_X(2), 0);
	vcpu_set_reg(vcpu->fd, ARM64_X(3), 0);
}

/*
 * --hvc: run the vcpu until its MMIO write at SPIN_HVC_MMIO (KVM_RUN
 * returns EINTR when kvmintro pauses the VM: run again), answering the
 * calls KVM forwards.
 */
static void vcpu_run_to_mmio(struct spin_vcpu *vcpu)
{
	for (;;) {
		if (ioctl(vcpu->fd, KVM_RUN, NULL) < 0) {
			TEST_ASSERT(errno == EINTR || errno == EAGAIN, "KVM_RUN");
			continue;
		}
		if (vcpu->run->exit_reason == KVM_EXIT_HYPERCALL) {
			vcpu_answer_hypercall(vcpu);
			continue;
		}
		TEST_ASSERT(vcpu->run->exit_reason == KVM_EXIT_MMIO &&
			    vcpu->run->mmio.phys_addr == SPIN_HVC_MMIO,
			    "unexpected exit, reason %u",
			    vcpu->run->exit_reason);
		return;
	}
}

/*
 * spin_vm --hvc NR [deny|user|gmem]: the guest's calls, then their answers; no
 * "ready".
 */
static int spin_hvc(int kvm_fd, int vm_fd, const char *nr_arg,
		    const char *filter)
{
	struct spin_vcpu vcpu;
	char *end;
	unsigned long nr = strtoul(nr_arg, &end, 0);

	TEST_ASSERT(*nr_arg && !*end && nr <= 0xffff,
		    "--hvc NR: a function number, 0 to 0xffff");
	vm_load_hvc_code(&spin_slots[0], nr);
	if (filter)
		vm_set_smccc_filter(vm_fd, vm_hvc_func(0, nr), filter);
	vcpu_create(kvm_fd, vm_fd, spin_slots[0].gpa + SPIN_CODE_OFFSET, &vcpu);
	vcpu_run_to_mmio(&vcpu);
	vm_print_hvc_answers(&spin_slots[0], nr);
	return 0;
}

int main(int argc, char **argv)
{
	bool mmu = argc == 2 && !strcmp(argv[1], "--mmu");
	bool hvc = (argc == 3 || argc == 4) && !strcmp(argv[1], "--hvc");
	bool gmem = hvc && argc == 4 && !strcmp(argv[3], "gmem");
	struct spin_vcpu vcpu;
	pthread_t thread;
	int kvm_fd, vm_fd, sig;
	sigset_t stop;
	size_t i;

	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	TEST_ASSERT(kvm_fd >= 0, "open /dev/kvm (is KVM enabled in this kernel?)");
	vm_fd = kvm_ioctl(kvm_fd, KVM_CREATE_VM, (void *)0);
	TEST_ASSERT(argc == 1 || mmu || hvc,
		    "usage: spin_vm [--mmu | --hvc NR [deny|user|gmem]]");
	for (i = 0; i < sizeof(spin_slots) / sizeof(spin_slots[0]); i++) {
		if (gmem && spin_slots[i].slot == 1)
			vm_add_gmem_memslot(vm_fd, &spin_slots[i]);
		else
			vm_add_memslot(vm_fd, &spin_slots[i]);
	}
	if (hvc)
		return spin_hvc(kvm_fd, vm_fd, argv[2],
				argc == 4 && !gmem ? argv[3] : NULL);
	vm_load_code(&spin_slots[0]);
	if (mmu)
		vm_write_tables();
	vcpu_create(kvm_fd, vm_fd, spin_slots[0].gpa + SPIN_CODE_OFFSET, &vcpu);
	if (mmu) {
		vcpu_mmu_on(vcpu.fd);
		vm_print_maps();
	}

	/*
	 * SIGTERM and SIGINT end the VMM, SIGUSR1 prints the registers; the
	 * vcpu thread never takes them.
	 */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	errno = pthread_create(&thread, NULL, vcpu_thread, &vcpu);
	TEST_ASSERT(!errno, "pthread_create");

	for (i = 0; i < sizeof(spin_slots) / sizeof(spin_slots[0]); i++) {
		printf("slot=%u gpa=0x%llx size=0x%llx hva=0x%llx\n",
		       spin_slots[i].slot,
		       (unsigned long long)spin_slots[i].gpa,
		       (unsigned long long)spin_slots[i].size,
		       (unsigned long long)(uintptr_t)spin_slots[i].hva);
		printf("text gpa=0x%llx value=\"%s\"\n",
		       (unsigned long long)(spin_slots[i].gpa + SPIN_TEXT_OFFSET),
		       spin_slots[i].text);
	}
	printf("counter gpa=0x%llx\n",
	       (unsigned long long)(spin_slots[0].gpa + SPIN_COUNTER_OFFSET));
	printf("ready pid=%d\n", getpid());
	fflush(stdout);

	for (;;) {
		sigwait(&stop, &sig);
		if (sig != SIGUSR1)
			return 0;
		/* The counter as the VMM reads it, for the core's bytes. */
		printf("vmm-counter value=0x%llx\n", (unsigned long long)
		       *(volatile uint64_t *)(spin_slots[0].hva +
					      SPIN_COUNTER_OFFSET));
		vcpu_print_regs(vcpu.fd);
	}
}
