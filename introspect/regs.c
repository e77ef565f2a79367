// SPDX-License-Identifier: GPL-2.0
/*
 * The vcpu<N>/regs file: a vcpu's registers, live while the VM is paused
 * (vcpu_regs.c reads them), else from the latest capture.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "../lib/regs.h"
#include "kvmintro.h"
#include "snapshot.h"

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
