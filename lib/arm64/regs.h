/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An arm64 vcpu's registers as kvmintro reports them, and their text
 * format: one name=value record per line, values in hex with 0x.
 *
 * struct kvmintro_regs is the architecture's register block, as struct
 * pt_regs is the kernel's: lib/regs.h defines x86-64's, this file arm64's,
 * and a module includes the one of the architecture it is built for
 * (introspect/arch/<arch>/arch_regs.h).  The shared code only stores,
 * copies and passes it.
 */
#ifndef KVMINTRO_LIB_ARM64_REGS_H
#define KVMINTRO_LIB_ARM64_REGS_H

#include "../portable.h"

#define KVMINTRO_ARM64_NR_GPRS	31

/*
 * The EL1 system registers reported, in the order they are printed:
 * X(index, name) for each, named as the Arm ARM names them, lower case.
 */
#define KVMINTRO_ARM64_FOR_EACH_SYS_REG(X)				\
	X(KVMINTRO_ARM64_SCTLR_EL1, "sctlr_el1")			\
	X(KVMINTRO_ARM64_TTBR0_EL1, "ttbr0_el1")			\
	X(KVMINTRO_ARM64_TTBR1_EL1, "ttbr1_el1")			\
	X(KVMINTRO_ARM64_TCR_EL1, "tcr_el1")				\
	X(KVMINTRO_ARM64_MAIR_EL1, "mair_el1")				\
	X(KVMINTRO_ARM64_VBAR_EL1, "vbar_el1")				\
	X(KVMINTRO_ARM64_ESR_EL1, "esr_el1")				\
	X(KVMINTRO_ARM64_FAR_EL1, "far_el1")				\
	X(KVMINTRO_ARM64_CONTEXTIDR_EL1, "contextidr_el1")		\
	X(KVMINTRO_ARM64_TPIDR_EL1, "tpidr_el1")

#define KVMINTRO_ARM64_SYS_REG_INDEX(index, name)	index,
enum kvmintro_arm64_sys_reg_index {
	KVMINTRO_ARM64_FOR_EACH_SYS_REG(KVMINTRO_ARM64_SYS_REG_INDEX)
	KVMINTRO_ARM64_NR_SYS_REGS,
};
#undef KVMINTRO_ARM64_SYS_REG_INDEX

/*
 * The registers between the general-purpose ones and the system ones, in
 * file order: the guest's user_pt_regs (sp is SP_EL0) and the EL1 banked
 * registers.
 */
#define KVMINTRO_ARM64_FOR_EACH_CORE_REG(X)				\
	X(0, "sp", sp) X(1, "pc", pc) X(2, "pstate", pstate)		\
	X(3, "sp_el1", sp_el1) X(4, "elr_el1", elr_el1)			\
	X(5, "spsr_el1", spsr_el1)
#define KVMINTRO_ARM64_NR_CORE_REGS	6

/**
 * struct kvmintro_regs - registers of one arm64 vcpu
 * @x:		X0..X30
 * @sp:		SP_EL0, the sp of the guest's struct user_pt_regs
 * @pc:		the PC
 * @pstate:	PSTATE, in the SPSR layout KVM keeps it in
 * @sp_el1:	SP_EL1
 * @elr_el1:	ELR_EL1
 * @spsr_el1:	SPSR_EL1
 * @sys:	the EL1 system registers, by enum kvmintro_arm64_sys_reg_index
 */
struct kvmintro_regs {
	u64 x[KVMINTRO_ARM64_NR_GPRS];
	u64 sp, pc, pstate;
	u64 sp_el1, elr_el1, spsr_el1;
	u64 sys[KVMINTRO_ARM64_NR_SYS_REGS];
};

/*
 * Write record @line (0, 1, ...) of the text of @regs, one name=value
 * field, into @buf; return its length, 0 past the last one, -ENOSPC if
 * @size is too small.  The same contract as x86's (lib/regs.h).
 */
int kvmintro_format_regs_line(char *buf, size_t size,
			      const struct kvmintro_regs *regs,
			      unsigned int line);

#endif /* KVMINTRO_LIB_ARM64_REGS_H */
