// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a vcpu's registers.
 *
 * Registers are read through KVM's own KVM_GET_REGS/KVM_GET_SREGS getters
 * and KVM's MSR reader, under the vcpu mutex, exactly as those ioctls do: the
 * getters know how the vendor code caches registers, raw struct fields do
 * not.  The vcpu must be out of guest mode: paused.
 */
#include <linux/slab.h>

#include "../../../lib/regs.h"
#include "../../compat.h"
#include "../../kvmintro.h"
#include "x86.h"

static u32 kvmintro_kvm_segment_attributes(const struct kvm_segment *seg)
{
	return kvmintro_segment_attributes(seg->type, seg->s, seg->dpl,
					   seg->present, seg->avl, seg->l,
					   seg->db, seg->g, seg->unusable);
}

static void kvmintro_copy_segment(struct kvmintro_segment *to,
				  const struct kvm_segment *from)
{
	to->base = from->base;
	to->limit = from->limit;
	to->selector = from->selector;
	to->attributes = kvmintro_kvm_segment_attributes(from);
}

static void kvmintro_copy_regs(struct kvmintro_regs *to,
			       const struct kvm_regs *regs,
			       const struct kvm_sregs *sregs)
{
	const u64 gpr[16] = {
		regs->rax, regs->rbx, regs->rcx, regs->rdx,
		regs->rsi, regs->rdi, regs->rsp, regs->rbp,
		regs->r8, regs->r9, regs->r10, regs->r11,
		regs->r12, regs->r13, regs->r14, regs->r15,
	};
	const struct kvm_segment *segments[KVMINTRO_NR_SEGMENTS] = {
		&sregs->cs, &sregs->ds, &sregs->es, &sregs->fs,
		&sregs->gs, &sregs->ss, &sregs->tr, &sregs->ldt,
	};
	int i;

	memcpy(to->gpr, gpr, sizeof(gpr));
	to->rip = regs->rip;
	to->rflags = regs->rflags;
	to->cr0 = sregs->cr0;
	to->cr2 = sregs->cr2;
	to->cr3 = sregs->cr3;
	to->cr4 = sregs->cr4;
	to->cr8 = sregs->cr8;
	to->efer = sregs->efer;
	to->apic_base = sregs->apic_base;
	for (i = 0; i < KVMINTRO_NR_SEGMENTS; i++)
		kvmintro_copy_segment(&to->seg[i], segments[i]);
	to->gdt_base = sregs->gdt.base;
	to->gdt_limit = sregs->gdt.limit;
	to->idt_base = sregs->idt.base;
	to->idt_limit = sregs->idt.limit;
}

/*
 * As KVM_GET_MSRS does: vcpu loaded, kvm->srcu held.  None valid if the
 * kernel's MSR reader or vcpu_load() was not found (symbols.c said so).
 */
static void kvmintro_read_msrs(struct kvm *kvm, struct kvm_vcpu *vcpu,
			       struct kvmintro_regs *to)
{
	int i, idx;

	to->msr_valid = 0;
	if (!kvmintro_vcpu_load || !kvmintro_vcpu_put || !kvmintro_kvm_msr_read)
		return;
	idx = srcu_read_lock(&kvm->srcu);
	kvmintro_vcpu_load(vcpu);
	for (i = 0; i < KVMINTRO_NR_MSRS; i++) {
		if (!kvmintro_kvm_msr_read(vcpu, kvmintro_msr_names[i].index,
					   &to->msr[i]))
			to->msr_valid |= 1u << i;
	}
	kvmintro_vcpu_put(vcpu);
	srcu_read_unlock(&kvm->srcu, idx);
}

/* See introspect/arch.h; a protected vcpu (SEV-ES) gives KVM's -EINVAL. */
int kvmintro_arch_vcpu_read_regs(struct kvm *kvm, struct kvm_vcpu *vcpu,
				 struct kvmintro_regs *to)
{
	struct kvm_sregs *sregs;
	struct kvm_regs *regs;
	int r;

	regs = kzalloc(sizeof(*regs), GFP_KERNEL);
	sregs = kzalloc(sizeof(*sregs), GFP_KERNEL);
	r = -ENOMEM;
	if (!regs || !sregs)
		goto out;

	r = kvmintro_vcpu_lock(vcpu);
	if (r)
		goto out;
	r = kvmintro_call_unexported(kvmintro_kvm_get_regs, vcpu, regs);
	if (!r)
		r = kvmintro_call_unexported(kvmintro_kvm_get_sregs, vcpu,
					     sregs);
	if (!r) {
		kvmintro_copy_regs(to, regs, sregs);
		kvmintro_read_msrs(kvm, vcpu, to);
	}
	mutex_unlock(&vcpu->mutex);
out:
	kfree(sregs);
	kfree(regs);
	return r;
}
