// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's vcpus file: its vcpus and the threads that run them, one record
 * each.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "../lib/format.h"
#include "kvmintro.h"

int kvmintro_vcpus_show(struct seq_file *m, void *unused)
{
	struct kvmintro_vm *vm = m->private;
	struct kvmintro_vcpu_info info;
	struct kvmintro_vcpu *state;
	struct kvm_vcpu *vcpu;
	unsigned long index;
	struct kvm *kvm;
	char line[128];
	int len, r = 0;

	kvm = kvmintro_vm_access_kvm(vm);
	if (IS_ERR(kvm))
		return PTR_ERR(kvm);
	kvm_for_each_vcpu(index, vcpu, kvm) {
		state = xa_load(&vm->vcpus, index);
		info.index = index;
		info.id = vcpu->vcpu_id;
		info.tid = kvmintro_vcpu_tid(vcpu, state);
		info.runs = state ? READ_ONCE(state->runs) : 0;
		len = kvmintro_format_vcpu(line, sizeof(line), &info);
		r = kvmintro_seq_put_line(m, line, len);
		if (r)
			break;
	}
	kvm_put_kvm(kvm);
	return r;
}
