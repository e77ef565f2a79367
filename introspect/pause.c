// SPDX-License-Identifier: GPL-2.0
/*
 * Pausing a VM: hold every vcpu out of guest mode, without changing KVM or
 * the VMM.
 *
 * A vcpu is held by a task work queued on the thread that runs it with
 * TWA_SIGNAL.  The notification makes KVM leave (or not enter) guest mode
 * and return -EINTR from KVM_RUN, as it does for any signal; VMMs retry.
 * The work, kvmintro_vcpu_park(), then runs in that thread on its way back
 * to user mode, where it may sleep: it waits there until the VM is resumed.
 * No signal is sent and nothing the VMM can see is left behind.
 *
 * Where a vcpu thread is when the pause is requested decides how it stops:
 *  - in KVM_RUN (in guest mode, or halted in the kernel): kicked out by the
 *    notification and parked on the way out;
 *  - in the VMM, handling an exit: it is not stopped there; the work only
 *    notes that it is out of guest mode, and the KVM_RUN hook holds it at
 *    its next KVM_RUN (kvmintro_vcpu_hold_at_run()), before guest entry;
 *  - never run, or its thread is gone: it cannot enter guest mode without
 *    passing the hook, so it counts as stopped at once.
 * The pause completes when every vcpu has been seen out of guest mode.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/task_work.h>
#include <asm/syscall.h>

#include "kvmintro.h"

/* How long a pause may take to reach every vcpu before it is abandoned. */
static unsigned int pause_timeout_ms = 2000;
module_param(pause_timeout_ms, uint, 0644);
MODULE_PARM_DESC(pause_timeout_ms,
		 "Milliseconds a pause may take to stop every vcpu before it fails with -ETIMEDOUT (default 2000)");

/*
 * Waiters for a VM's park works to finish.  Global, not per VM: a work that
 * has just dropped the count must not touch its VM, which may be freed as
 * soon as the count is zero.
 */
static DECLARE_WAIT_QUEUE_HEAD(kvmintro_park_works_wq);

void kvmintro_vm_pause_init(struct kvmintro_vm *vm)
{
	struct kvmintro_pause *pause = &vm->pause;

	mutex_init(&pause->lock);
	init_waitqueue_head(&pause->stopped_wq);
	init_waitqueue_head(&pause->resume_wq);
}

/* Count @state as stopped in the current pause, once. */
static void kvmintro_vcpu_stopped(struct kvmintro_vm *vm,
				  struct kvmintro_vcpu *state)
{
	u64 generation = READ_ONCE(vm->pause.generation);
	u64 old = READ_ONCE(state->stopped_generation);

	if (old == generation ||
	    cmpxchg64(&state->stopped_generation, old, generation) != old)
		return;
	if (atomic_dec_and_test(&vm->pause.pending))
		wake_up(&vm->pause.stopped_wq);
}

/*
 * Did the current thread come back from KVM_RUN?  A task work runs on the
 * way to user mode, with the user registers of the system call or interrupt
 * being returned from.
 */
static bool kvmintro_returning_from_kvm_run(void)
{
	struct pt_regs *regs = task_pt_regs(current);
	unsigned long args[6];

	if (!user_64bit_mode(regs) ||
	    syscall_get_nr(current, regs) != __NR_ioctl)
		return false;
	syscall_get_arguments(current, regs, args);
	return (unsigned int)args[1] == KVM_RUN;
}

static void kvmintro_vm_park_work_done(struct kvmintro_vm *vm)
{
	if (atomic_dec_and_test(&vm->pause.works))
		wake_up_all(&kvmintro_park_works_wq);
}

/* The task work, in the vcpu's own thread, returning to user mode. */
static void kvmintro_vcpu_park(struct callback_head *work)
{
	struct kvmintro_vcpu *state =
		container_of(work, struct kvmintro_vcpu, park_work);
	struct kvmintro_vm *vm = state->vm;
	struct task_struct *task = state->park_task;
	bool in_run;

	in_run = test_bit(KVMINTRO_VCPU_PARK_IN_RUN, &state->flags);
	state->park_task = NULL;
	clear_bit(KVMINTRO_VCPU_PARK_IN_RUN, &state->flags);
	clear_bit_unlock(KVMINTRO_VCPU_PARK_QUEUED, &state->flags);
	put_task_struct(task);

	if (!kvmintro_vm_paused(vm) || (current->flags & PF_EXITING))
		goto out;

	if (!in_run && !kvmintro_returning_from_kvm_run()) {
		/* In the VMM: held by the hook at its next KVM_RUN. */
		kvmintro_vcpu_stopped(vm, state);
		goto out;
	}

	WRITE_ONCE(state->parked, true);
	kvmintro_vcpu_stopped(vm, state);
	/*
	 * Interruptible: a signal for the VMM (a kick, SIGKILL) is delivered
	 * at once; the VMM handles it and calls KVM_RUN, where the hook holds
	 * the vcpu again.  TASK_INTERRUPTIBLE also keeps a long pause from
	 * looking like a hung task.
	 */
	wait_event_interruptible(vm->pause.resume_wq, !kvmintro_vm_paused(vm));
	WRITE_ONCE(state->parked, false);
out:
	kvmintro_vm_park_work_done(vm);
}

/*
 * Queue the park work on @task unless one is queued already.  Safe in the
 * KVM_RUN hook: task_work_add() does not sleep.
 */
static int kvmintro_vcpu_queue_park(struct kvmintro_vm *vm,
				    struct kvmintro_vcpu *state,
				    struct task_struct *task, bool in_run)
{
	if (test_and_set_bit_lock(KVMINTRO_VCPU_PARK_QUEUED, &state->flags))
		return 0;

	init_task_work(&state->park_work, kvmintro_vcpu_park);
	if (in_run)
		set_bit(KVMINTRO_VCPU_PARK_IN_RUN, &state->flags);
	get_task_struct(task);
	state->park_task = task;
	atomic_inc(&vm->pause.works);
	if (!task_work_add(task, &state->park_work, TWA_SIGNAL))
		return 0;

	/* The thread is exiting and will never run guest code again. */
	state->park_task = NULL;
	put_task_struct(task);
	clear_bit(KVMINTRO_VCPU_PARK_IN_RUN, &state->flags);
	clear_bit_unlock(KVMINTRO_VCPU_PARK_QUEUED, &state->flags);
	kvmintro_vm_park_work_done(vm);
	return -ESRCH;
}

/*
 * Called by the KVM_RUN hook, before KVM takes the vcpu mutex, while the VM
 * is paused: make this KVM_RUN return -EINTR before guest entry and park
 * the thread on its way out.
 */
void kvmintro_vcpu_hold_at_run(struct kvmintro_vm *vm,
			       struct kvmintro_vcpu *state)
{
	kvmintro_vcpu_queue_park(vm, state, current, true);
}

/* Get @vcpu out of guest mode for the current pause, or count it stopped. */
static void kvmintro_vcpu_stop(struct kvmintro_vm *vm,
			       struct kvmintro_vcpu *state,
			       struct kvm_vcpu *vcpu)
{
	struct task_struct *task;

	rcu_read_lock();
	task = pid_task(rcu_dereference(vcpu->pid), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();

	if (!task || kvmintro_vcpu_queue_park(vm, state, task, false))
		kvmintro_vcpu_stopped(vm, state);
	if (task)
		put_task_struct(task);
}

/**
 * kvmintro_vm_pause() - stop every vcpu of a VM and keep it stopped
 * @vm:		the VM; caller holds vm->pause.lock
 * @kvm:	the VM's struct kvm, referenced by the caller
 *
 * Return: 0 when every vcpu is out of guest mode; -ETIMEDOUT if some
 * thread did not get there within pause_timeout_ms, -EINTR if the caller
 * was interrupted, -ENOMEM; on error the VM is running again.
 */
int kvmintro_vm_pause(struct kvmintro_vm *vm, struct kvm *kvm)
{
	struct kvmintro_pause *pause = &vm->pause;
	struct kvmintro_vcpu *state;
	unsigned int index, nr_vcpus;
	struct kvm_vcpu *vcpu;
	long left;
	u64 start;
	int r;

	lockdep_assert_held(&pause->lock);
	if (pause->paused)
		return 0;

	start = ktime_get_ns();
	nr_vcpus = atomic_read(&kvm->online_vcpus);
	mutex_lock(&kvmintro_registry_mutex);
	r = kvmintro_vm_sync_vcpus(vm, kvm);
	mutex_unlock(&kvmintro_registry_mutex);
	if (r)
		return r;

	/* One extra count, dropped below, so nothing wakes us mid-loop. */
	atomic_set(&pause->pending, nr_vcpus + 1);
	WRITE_ONCE(pause->generation, pause->generation + 1);
	/* Pairs with the acquire in kvmintro_vm_paused(). */
	smp_store_release(&pause->paused, true);
	/* Order @paused before looking at where the threads are. */
	smp_mb();

	for (index = 0; index < nr_vcpus; index++) {
		vcpu = kvm_get_vcpu(kvm, index);
		state = xa_load(&vm->vcpus, index);
		if (WARN_ON_ONCE(!vcpu || !state))
			atomic_dec(&pause->pending);
		else
			kvmintro_vcpu_stop(vm, state, vcpu);
	}
	atomic_dec(&pause->pending);

	left = wait_event_interruptible_timeout(pause->stopped_wq,
						atomic_read(&pause->pending) <= 0,
						msecs_to_jiffies(pause_timeout_ms));
	if (left > 0) {
		pause->latency_ns = ktime_get_ns() - start;
		return 0;
	}

	kvmintro_vm_resume(vm);
	if (left == 0) {
		pr_warn("%s: pause timed out after %u ms with %d vcpu(s) still running\n",
			vm->name, pause_timeout_ms, atomic_read(&pause->pending));
		return -ETIMEDOUT;
	}
	return -EINTR;
}

/* Let every vcpu of @vm run again; caller holds vm->pause.lock or owns @vm. */
void kvmintro_vm_resume(struct kvmintro_vm *vm)
{
	WRITE_ONCE(vm->pause.paused, false);
	wake_up_all(&vm->pause.resume_wq);
}

/*
 * The VM is going away or the module unloads: resume, take back park works
 * not started yet, and wait for those running to return, so that neither
 * @vm nor the module's code is used by a vcpu thread afterwards.
 */
void kvmintro_vm_release_pause(struct kvmintro_vm *vm)
{
	struct kvmintro_vcpu *state;
	struct task_struct *task;
	unsigned long index;

	mutex_lock(&vm->pause.lock);
	kvmintro_vm_resume(vm);
	xa_for_each(&vm->vcpus, index, state) {
		if (!test_bit(KVMINTRO_VCPU_PARK_QUEUED, &state->flags))
			continue;
		task = READ_ONCE(state->park_task);
		if (!task || !kvmintro_task_work_cancel(task, &state->park_work))
			continue;
		/* Cancelled before it ran: undo kvmintro_vcpu_queue_park(). */
		state->park_task = NULL;
		put_task_struct(task);
		clear_bit(KVMINTRO_VCPU_PARK_IN_RUN, &state->flags);
		clear_bit_unlock(KVMINTRO_VCPU_PARK_QUEUED, &state->flags);
		kvmintro_vm_park_work_done(vm);
	}
	mutex_unlock(&vm->pause.lock);
	wait_event(kvmintro_park_works_wq, !atomic_read(&vm->pause.works));
}
