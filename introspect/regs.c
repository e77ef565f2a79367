// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a vcpu's registers, and the vcpu<N>/regs file.
 *
 * Registers are read through KVM's own KVM_GET_REGS/KVM_GET_SREGS getters
 * and KVM's MSR reader, under the vcpu mutex, exactly as those ioctls do: the
 * getters know how the vendor code caches registers, raw struct fields do
 * not.  The vcpu must be out of guest mode: paused.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "../lib/regs.h"
#include "kvmintro.h"
#include "snapshot.h"

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

/**
 * kvmintro_vcpu_read_regs() - read the registers of a stopped vcpu
 * @kvm:	its VM, referenced by the caller
 * @vcpu:	the vcpu, out of guest mode (its VM is paused)
 * @to:		where to put them
 *
 * Return: 0, -EINTR if killed waiting for the vcpu mutex, -EBUSY if the
 * VMM held it longer than a pause may take, or KVM's error (e.g. -EINVAL
 * for a vcpu whose state is protected, as with SEV-ES).
 */
int kvmintro_vcpu_read_regs(struct kvm *kvm, struct kvm_vcpu *vcpu,
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
	r = kvmintro_kvm_get_regs(vcpu, regs);
	if (!r)
		r = kvmintro_kvm_get_sregs(vcpu, sregs);
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

/* The records of @regs, one register each. */
static int kvmintro_seq_put_regs(struct seq_file *m,
				 const struct kvmintro_regs *regs)
{
	unsigned int line;
	char buf[64];
	int len;

	for (line = 0;; line++) {
		len = kvmintro_format_regs_line(buf, sizeof(buf), regs, line);
		if (!len)
			return 0;
		if (kvmintro_seq_put_line(m, buf, len))
			return len;
	}
}

/* Live while paused, else from the latest capture. */
static int kvmintro_regs_show(struct seq_file *m, void *unused)
{
	struct kvmintro_vcpu *state = m->private;
	struct kvmintro_vm *vm = state->vm;
	struct kvmintro_snapshot *snapshot;
	struct kvmintro_regs *regs;
	struct kvm_vcpu *vcpu;
	struct kvm *kvm;
	int r;

	kvm = kvmintro_vm_access_kvm(vm);
	if (IS_ERR(kvm))
		return PTR_ERR(kvm);
	r = mutex_lock_killable(&vm->pause.lock);
	if (r)
		goto out_put_kvm;

	snapshot = vm->pause.snapshot;
	if (vm->pause.paused) {
		vcpu = kvm_get_vcpu(kvm, state->index);
		regs = kzalloc(sizeof(*regs), GFP_KERNEL);
		r = regs ? kvmintro_vcpu_read_regs(kvm, vcpu, regs) : -ENOMEM;
		if (!r) {
			kvmintro_seq_put_u64(m, "vcpu", vcpu->vcpu_id);
			kvmintro_seq_put_word(m, "source", "live");
			r = kvmintro_seq_put_regs(m, regs);
		}
		kfree(regs);
	} else if (snapshot && state->index < snapshot->nr_vcpus) {
		r = snapshot->vcpus[state->index].error;
		if (!r) {
			kvmintro_seq_put_u64(m, "vcpu",
					     snapshot->vcpus[state->index].vcpu_id);
			kvmintro_seq_put_word(m, "source", "capture");
			kvmintro_seq_put_u64(m, "generation",
					     snapshot->generation);
			r = kvmintro_seq_put_regs(m,
					&snapshot->vcpus[state->index].regs);
		}
	} else {
		/* Nothing captured yet and the vcpu is running. */
		r = -ENODATA;
	}
	mutex_unlock(&vm->pause.lock);
out_put_kvm:
	kvm_put_kvm(kvm);
	return r;
}
DEFINE_SHOW_ATTRIBUTE(kvmintro_regs);

void kvmintro_debugfs_create_regs(struct kvmintro_vcpu *state)
{
	kvmintro_debugfs_create_file("regs", 0400, state->dir, state,
				     &kvmintro_regs_fops);
}
