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

#include "reg_names.h"

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
