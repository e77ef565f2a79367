// SPDX-License-Identifier: GPL-2.0
/*
 * Captures: every vcpu's registers and the gpa_hpa table of a paused VM,
 * kept as its latest snapshot for the snapshot, snapshot_gpa_hpa and regs
 * files.
 */
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "guest_memory.h"
#include "kvmintro.h"
#include "snapshot.h"

/*
 * The most a capture keeps of the gpa_hpa table, in KiB: 16 MiB by
 * default, about 200,000 runs (a 64 GiB guest on 4 KiB pages scattered one
 * by one would need 1 GiB).  Beyond it the capture records registers only,
 * and snapshot_gpa_hpa reads fail with EFBIG; the live gpa_hpa file has no
 * such limit.
 */
static struct kvmintro_param_uint capture_table_max_kb = {
	.value = 16384, .min = 4, .max = 1U << 20,
};
module_param_cb(capture_table_max_kb, &kvmintro_param_uint_ops,
		&capture_table_max_kb, 0644);
MODULE_PARM_DESC(capture_table_max_kb,
		 "KiB of gpa_hpa table a capture keeps, 4 to 1048576 (default 16384); beyond, snapshot_gpa_hpa fails with EFBIG");

void kvmintro_snapshot_free(struct kvmintro_snapshot *snapshot)
{
	if (snapshot)
		kvfree(snapshot->gpa_hpa);
	kvfree(snapshot);
}

/*
 * Record every vcpu of the paused VM, and its gpa_hpa table, as the latest
 * snapshot.  Caller holds the pause lock.
 */
int kvmintro_vm_capture(struct kvmintro_vm *vm, struct kvm *kvm)
{
	struct kvmintro_snapshot *snapshot, *old = vm->pause.snapshot;
	unsigned int index, nr_vcpus = atomic_read(&kvm->online_vcpus);
	struct kvm_vcpu *vcpu;
	size_t max;

	lockdep_assert_held(&vm->pause.lock);
	snapshot = kvzalloc(struct_size(snapshot, vcpus, nr_vcpus),
			    GFP_KERNEL);
	if (!snapshot)
		return -ENOMEM;
	snapshot->generation = old ? old->generation + 1 : 1;
	snapshot->realtime_ns = ktime_get_real_ns();
	snapshot->latency_ns = vm->pause.latency_ns;
	snapshot->nr_vcpus = nr_vcpus;
	max = (size_t)READ_ONCE(capture_table_max_kb.value) << 10;
	snapshot->gpa_hpa = kvmintro_gpa_hpa_text(kvm, max,
						  &snapshot->gpa_hpa_len);
	if (IS_ERR(snapshot->gpa_hpa)) {
		snapshot->gpa_hpa_error = PTR_ERR(snapshot->gpa_hpa);
		snapshot->gpa_hpa = NULL;
	}
	for (index = 0; index < nr_vcpus; index++) {
		vcpu = kvm_get_vcpu(kvm, index);
		snapshot->vcpus[index].vcpu_id = vcpu->vcpu_id;
		snapshot->vcpus[index].error =
			kvmintro_arch_vcpu_read_regs(kvm, vcpu,
						     &snapshot->vcpus[index].regs);
	}
	vm->pause.snapshot = snapshot;
	kvmintro_snapshot_free(old);
	return 0;
}

/**
 * kvmintro_vm_read_vcpu_regs() - a vcpu's registers as the regs file has them
 * @vm:		the VM
 * @kvm:	its struct kvm, referenced by the caller
 * @index:	the vcpu's index
 * @to:		where to put them
 *
 * Live while the VM is paused, else from the latest capture.  Caller
 * holds @vm->pause.lock.
 *
 * Return: 0, -ENODATA if the VM runs and no capture has the vcpu, or why
 * the registers could not be read (kvmintro_arch_vcpu_read_regs()).
 */
int kvmintro_vm_read_vcpu_regs(struct kvmintro_vm *vm, struct kvm *kvm,
			       unsigned int index, struct kvmintro_regs *to)
{
	const struct kvmintro_snapshot *snapshot = vm->pause.snapshot;
	struct kvm_vcpu *vcpu;

	lockdep_assert_held(&vm->pause.lock);
	if (vm->pause.paused) {
		vcpu = kvm_get_vcpu(kvm, index);
		return vcpu ? kvmintro_arch_vcpu_read_regs(kvm, vcpu, to) : -ENODATA;
	}
	if (!snapshot || index >= snapshot->nr_vcpus)
		return -ENODATA;
	if (snapshot->vcpus[index].error)
		return snapshot->vcpus[index].error;
	*to = snapshot->vcpus[index].regs;
	return 0;
}
