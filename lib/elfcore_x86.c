// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64's part of a core file (lib/elfcore.c): EM_X86_64, and per vcpu
 * an NT_PRSTATUS note with x86-64's struct elf_prstatus and QEMU's "QEMU"
 * CPU state note, as QEMU's dump-guest-memory writes them.
 */
#include "elfcore.h"
#include "regs.h"

/*
 * Fill @prstatus as crash_save_cpu() does: pr_pid, and pr_reg from
 * @regs.  pr_pid is @index + 1, as in QEMU's dumps (a pid of 0 reads as
 * "no task" to some tools).
 */
static void kvmintro_elfcore_x86_fill_prstatus(void *desc,
					       const struct kvmintro_regs *cpus,
					       unsigned int index)
{
	struct kvmintro_elf_prstatus *prstatus = desc;
	const struct kvmintro_regs *regs = &cpus[index];
	struct kvmintro_elf_user_regs *r = &prstatus->pr_reg;

	prstatus->pr_pid = index + 1;
	r->rax = regs->gpr[0];
	r->rbx = regs->gpr[1];
	r->rcx = regs->gpr[2];
	r->rdx = regs->gpr[3];
	r->rsi = regs->gpr[4];
	r->rdi = regs->gpr[5];
	r->rsp = regs->gpr[6];
	r->rbp = regs->gpr[7];
	r->r8 = regs->gpr[8];
	r->r9 = regs->gpr[9];
	r->r10 = regs->gpr[10];
	r->r11 = regs->gpr[11];
	r->r12 = regs->gpr[12];
	r->r13 = regs->gpr[13];
	r->r14 = regs->gpr[14];
	r->r15 = regs->gpr[15];
	r->rip = regs->rip;
	r->eflags = regs->rflags;
	r->cs = regs->seg[KVMINTRO_SEG_CS].selector;
	r->ss = regs->seg[KVMINTRO_SEG_SS].selector;
	r->ds = regs->seg[KVMINTRO_SEG_DS].selector;
	r->es = regs->seg[KVMINTRO_SEG_ES].selector;
	r->fs = regs->seg[KVMINTRO_SEG_FS].selector;
	r->gs = regs->seg[KVMINTRO_SEG_GS].selector;
	r->fs_base = regs->seg[KVMINTRO_SEG_FS].base;
	r->gs_base = regs->seg[KVMINTRO_SEG_GS].base;
}

/*
 * QEMU keeps a segment's attributes as bits 8-23 of the descriptor's high
 * word; ours are in the VMX access-rights layout, the same bits shifted
 * down by 8, with "unusable" in bit 16.  An unusable segment is not
 * present, as QEMU's KVM code reads it.
 */
static void kvmintro_elfcore_qemu_segment(struct kvmintro_qemu_cpu_segment *to,
					  const struct kvmintro_segment *from)
{
	u32 attributes = from->attributes;

	if (attributes & (1u << 16))
		attributes &= ~(1u << 7);
	to->selector = from->selector;
	to->limit = from->limit;
	to->flags = (attributes & 0xf0ff) << 8;
	to->pad = 0;
	to->base = from->base;
}

/* Fill @desc as QEMU's qemu_get_cpustate() does. */
static void kvmintro_elfcore_x86_fill_cpu_state(void *desc,
						const struct kvmintro_regs *cpus,
						unsigned int index)
{
	struct kvmintro_qemu_cpu_state *state = desc;
	const struct kvmintro_regs *regs = &cpus[index];

	state->version = KVMINTRO_QEMU_CPU_STATE_VERSION;
	state->size = sizeof(*state);
	state->rax = regs->gpr[0];
	state->rbx = regs->gpr[1];
	state->rcx = regs->gpr[2];
	state->rdx = regs->gpr[3];
	state->rsi = regs->gpr[4];
	state->rdi = regs->gpr[5];
	state->rsp = regs->gpr[6];
	state->rbp = regs->gpr[7];
	state->r8 = regs->gpr[8];
	state->r9 = regs->gpr[9];
	state->r10 = regs->gpr[10];
	state->r11 = regs->gpr[11];
	state->r12 = regs->gpr[12];
	state->r13 = regs->gpr[13];
	state->r14 = regs->gpr[14];
	state->r15 = regs->gpr[15];
	state->rip = regs->rip;
	state->rflags = regs->rflags;
	kvmintro_elfcore_qemu_segment(&state->cs, &regs->seg[KVMINTRO_SEG_CS]);
	kvmintro_elfcore_qemu_segment(&state->ds, &regs->seg[KVMINTRO_SEG_DS]);
	kvmintro_elfcore_qemu_segment(&state->es, &regs->seg[KVMINTRO_SEG_ES]);
	kvmintro_elfcore_qemu_segment(&state->fs, &regs->seg[KVMINTRO_SEG_FS]);
	kvmintro_elfcore_qemu_segment(&state->gs, &regs->seg[KVMINTRO_SEG_GS]);
	kvmintro_elfcore_qemu_segment(&state->ss, &regs->seg[KVMINTRO_SEG_SS]);
	kvmintro_elfcore_qemu_segment(&state->ldt, &regs->seg[KVMINTRO_SEG_LDT]);
	kvmintro_elfcore_qemu_segment(&state->tr, &regs->seg[KVMINTRO_SEG_TR]);
	state->gdt.limit = regs->gdt_limit;
	state->gdt.base = regs->gdt_base;
	state->idt.limit = regs->idt_limit;
	state->idt.base = regs->idt_base;
	state->cr[0] = regs->cr0;
	state->cr[2] = regs->cr2;
	state->cr[3] = regs->cr3;
	state->cr[4] = regs->cr4;
	if (regs->msr_valid & (1u << KVMINTRO_MSR_KERNEL_GS_BASE))
		state->kernel_gs_base = regs->msr[KVMINTRO_MSR_KERNEL_GS_BASE];
}

const struct kvmintro_elfcore_arch kvmintro_elfcore_arch = {
	.machine = KVMINTRO_ELF_EM_X86_64,
	.prstatus_size = sizeof(struct kvmintro_elf_prstatus),
	.fill_prstatus = kvmintro_elfcore_x86_fill_prstatus,
	.cpu_state_size = sizeof(struct kvmintro_qemu_cpu_state),
	.fill_cpu_state = kvmintro_elfcore_x86_fill_cpu_state,
};
