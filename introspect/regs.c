// SPDX-License-Identifier: GPL-2.0
/*
 * The vcpu<N>/regs file: a vcpu's registers, live while the VM is paused
 * (the architecture's kvmintro_arch_vcpu_read_regs() reads them), else
 * from the latest capture.  Which registers, and their names, are the
 * architecture's (lib/regs.h on x86, lib/arm64/regs.h on arm64): this
 * file writes whatever kvmintro_format_regs_line() gives.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

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

/*
 * The registers, live while paused, else from the latest capture (as the
 * model reads them, introspect/capture.c), and where they came from.
 */
int kvmintro_regs_show(struct seq_file *m, void *unused)
{
	struct kvmintro_vcpu *state = m->private;
	struct kvmintro_vm *vm = state->vm;
	struct kvmintro_regs *regs;
	struct kvm_vcpu *vcpu;
	struct kvm *kvm;
	int r;

	kvm = kvmintro_vm_access_kvm(vm);
	if (IS_ERR(kvm))
		return PTR_ERR(kvm);
	regs = kzalloc(sizeof(*regs), GFP_KERNEL);
	r = regs ? mutex_lock_killable(&vm->pause.lock) : -ENOMEM;
	if (r)
		goto out_free;
	r = kvmintro_vm_read_vcpu_regs(vm, kvm, state->index, regs);
	vcpu = kvm_get_vcpu(kvm, state->index);
	if (!r && vcpu) {
		kvmintro_seq_put_u64(m, "vcpu", vcpu->vcpu_id);
		if (vm->pause.paused) {
			kvmintro_seq_put_word(m, "source", "live");
		} else {
			kvmintro_seq_put_word(m, "source", "capture");
			kvmintro_seq_put_u64(m, "generation",
					     vm->pause.snapshot->generation);
		}
		r = kvmintro_seq_put_regs(m, regs);
	} else if (!r) {
		r = -ENODATA;
	}
	mutex_unlock(&vm->pause.lock);
out_free:
	kfree(regs);
	kvm_put_kvm(kvm);
	return r;
}
