/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 guest setup for the test VMM, after the kernel's
 * tools/testing/selftests/kvm/lib/aarch64/processor.c: vcpus made with
 * KVM_ARM_PREFERRED_TARGET and KVM_ARM_VCPU_INIT, registers set with
 * KVM_SET_ONE_REG, the guest at EL1 with its MMU off or on through its own
 * stage-1 tables (TTBR0_EL1, 4K granule, 48-bit VAs, levels 0 to 3), and
 * the hand-assembled payloads of each guest kind.  The guest's layout is
 * kvm_util.h's; after the code and data pages come the stage-1 tables.
 */
#ifndef KVMINTRO_VMM_PROCESSOR_H
#define KVMINTRO_VMM_PROCESSOR_H

#include "kvm_util.h"

#define ARM64_CORE_REG(x)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 |	\
				 KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(x))
#define ARM64_X(n)		ARM64_CORE_REG(regs.regs[n])
#define ARM64_SP		ARM64_CORE_REG(regs.sp)
#define ARM64_PC		ARM64_CORE_REG(regs.pc)
#define ARM64_PSTATE		ARM64_CORE_REG(regs.pstate)

#define SYS_SCTLR_EL1		ARM64_SYS_REG(3, 0, 1, 0, 0)
#define SYS_TTBR0_EL1		ARM64_SYS_REG(3, 0, 2, 0, 0)
#define SYS_TCR_EL1		ARM64_SYS_REG(3, 0, 2, 0, 2)
#define SYS_MAIR_EL1		ARM64_SYS_REG(3, 0, 10, 2, 0)

#define SCTLR_M			(1ULL << 0)
#define SCTLR_C			(1ULL << 2)
#define SCTLR_I			(1ULL << 12)
#define SCTLR_WXN		(1ULL << 19)
#define SCTLR_EE		(1ULL << 25)

/* Stage-1 descriptors, 4K granule. */
#define PTE_VALID		(1ULL << 0)
#define PTE_TABLE		(1ULL << 1)	/* table (levels 0-2), page (3) */
#define PTE_ATTRINDX(i)		((uint64_t)(i) << 2)
#define PTE_SH_INNER		(3ULL << 8)
#define PTE_AF			(1ULL << 10)
#define PTE_ADDR_MASK		0x0000fffffffff000ULL

/* MAIR_EL1: attribute 0 Normal write-back, 1 Device-nGnRE. */
#define MAIR_ATTR_NORMAL	0
#define MAIR_ATTR_DEVICE	1
#define GUEST_MAIR		(0xffULL | 0x04ULL << 8)
/*
 * TCR_EL1: T0SZ 16 (48-bit VAs from TTBR0, walks from level 0), walks
 * write-back and inner shareable, TG0 4K; T1SZ 16 and TG1 4K but EPD1 (no
 * TTBR1 walks: the upper half faults); IPS 40 bits, KVM's default IPA
 * size.
 */
#define GUEST_TCR		(16ULL | 1ULL << 8 | 1ULL << 10 | 3ULL << 12 | \
				 16ULL << 16 | 1ULL << 23 | 2ULL << 30 |	\
				 2ULL << 32)
#define GUEST_VA_BITS		48
#define GUEST_PA_BITS		40

/*
 * The exit guest's store goes to this page, in no memslot (the top of
 * KVM's default 40-bit IPA space): KVM_EXIT_MMIO.  The MMU-on guest maps
 * it as Device memory.
 */
#define GUEST_EXIT_GPA		0xfffffff000ULL

/*
 * The regs guest spins on x0 and x1 like the spin guest; x2-x30 keep the
 * values the VMM set before the first run.
 */
#define GUEST_REGS_FIRST	2
#define GUEST_REGS_VALUE(index, reg) \
	(0x52454753c0de0000ULL | ((uint64_t)(index) & 0xff) << 8 | (reg))

#endif /* KVMINTRO_VMM_PROCESSOR_H */
