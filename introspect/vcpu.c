// SPDX-License-Identifier: GPL-2.0
/*
 * Per-vcpu tracking: which thread runs each vcpu, as the KVM_RUN hook sees
 * it.  States are allocated in process context, never by the hook.
 */
#include <linux/slab.h>

#include "kvmintro.h"

/* Give every vcpu of @kvm a tracking state; @kvm is referenced by the caller. */
int kvmintro_vm_sync_vcpus(struct kvmintro_vm *vm, struct kvm *kvm)
{
	struct kvmintro_vcpu *state;
	struct kvm_vcpu *vcpu;
	unsigned long index;
	int r;

	lockdep_assert_held(&kvmintro_registry_mutex);
	kvm_for_each_vcpu(index, vcpu, kvm) {
		if (xa_load(&vm->vcpus, index))
			continue;
		state = kzalloc(sizeof(*state), GFP_KERNEL);
		if (!state)
			return -ENOMEM;
		state->vm = vm;
		state->index = index;
		r = xa_insert(&vm->vcpus, index, state, GFP_KERNEL);
		if (r) {
			kfree(state);
			return r;
		}
		/* The hook may see @state from here: it is whole. */
		if (index < KVMINTRO_RUN_VCPUS)
			smp_store_release(&vm->run_vcpus[index], state);
		vm->files->create_vcpu(state, vcpu);
	}
	return 0;
}

/* Caller guarantees no hook can still see @vm (an RCU grace period passed). */
void kvmintro_vm_free_vcpus(struct kvmintro_vm *vm)
{
	struct kvmintro_vcpu *state;
	unsigned long index;

	xa_for_each(&vm->vcpus, index, state)
		kfree(state);
	xa_destroy(&vm->vcpus);
}

/*
 * The thread running @vcpu: KVM's own record of the last KVM_RUN caller,
 * which also covers vcpus that entered KVM_RUN before kvmintro loaded and
 * never left it (e.g. halted); else what the hook saw; 0 if never run.
 */
pid_t kvmintro_vcpu_tid(struct kvm_vcpu *vcpu, struct kvmintro_vcpu *state)
{
	pid_t tid;

	rcu_read_lock();
	tid = pid_nr(rcu_dereference(vcpu->pid));
	rcu_read_unlock();
	if (!tid && state)
		tid = READ_ONCE(state->tid);
	return tid;
}
