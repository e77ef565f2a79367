/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The names of an arm64 vcpu's registers as its regs file writes them,
 * apart from struct kvmintro_regs (regs.h) so that a reader of either
 * architecture's files (the CLI) may have them beside x86's.
 */
#ifndef KVMINTRO_LIB_ARM64_REG_NAMES_H
#define KVMINTRO_LIB_ARM64_REG_NAMES_H

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

#endif /* KVMINTRO_LIB_ARM64_REG_NAMES_H */
