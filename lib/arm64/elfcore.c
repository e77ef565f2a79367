// SPDX-License-Identifier: GPL-2.0
/*
 * arm64's part of a core file (lib/elfcore.c): EM_AARCH64, and per vcpu
 * an NT_PRSTATUS note with arm64's struct elf_prstatus, whose pr_reg is
 * the guest's struct user_pt_regs, as Linux's arm64 kdump writes it
 * (crash_save_cpu() with elf_core_copy_regs()), sp the stack pointer in
 * use.  QEMU writes no CPU state
 * note of its own on arm64: neither does this.
 */
#include "../elfcore.h"
#include "regs.h"

/* PSTATE.M: the exception level in bits 3:2, SP_ELx (not SP_EL0) in bit 0. */
#define KVMINTRO_ARM64_PSTATE_EL(pstate)	(((pstate) >> 2) & 3)
#define KVMINTRO_ARM64_PSTATE_SP_ELX		1

/*
 * The stack pointer in use: SP_EL1 at EL1h, else SP_EL0.  A kernel's
 * pt_regs, which kdump writes, and QEMU's arm64 dumps have the one the
 * interrupted code used; KVM keeps SP_EL0 in user_pt_regs.sp.
 */
static u64 kvmintro_elfcore_arm64_sp(const struct kvmintro_regs *regs)
{
	if (KVMINTRO_ARM64_PSTATE_EL(regs->pstate) == 1 &&
	    (regs->pstate & KVMINTRO_ARM64_PSTATE_SP_ELX))
		return regs->sp_el1;
	return regs->sp;
}

/* pr_pid is @index + 1, as on x86 (lib/elfcore_x86.c). */
static void kvmintro_elfcore_arm64_fill_prstatus(void *desc,
						 const struct kvmintro_regs *cpus,
						 unsigned int index)
{
	struct kvmintro_elf_arm64_prstatus *prstatus = desc;
	const struct kvmintro_regs *regs = &cpus[index];

	prstatus->pr_pid = index + 1;
	memcpy(prstatus->pr_reg.regs, regs->x, sizeof(prstatus->pr_reg.regs));
	prstatus->pr_reg.sp = kvmintro_elfcore_arm64_sp(regs);
	prstatus->pr_reg.pc = regs->pc;
	prstatus->pr_reg.pstate = regs->pstate;
}

const struct kvmintro_elfcore_arch kvmintro_elfcore_arch = {
	.machine = KVMINTRO_ELF_EM_AARCH64,
	.prstatus_size = sizeof(struct kvmintro_elf_arm64_prstatus),
	.fill_prstatus = kvmintro_elfcore_arm64_fill_prstatus,
};
