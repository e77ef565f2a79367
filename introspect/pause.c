// SPDX-License-Identifier: GPL-2.0
/*
 * Pausing a VM: hold every vcpu out of guest mode, without changing KVM or
 * the VMM.
 *
 * What is stopped is threads, not vcpus: a thread that is held cannot run
 * any vcpu, however many it runs, and a vcpu can enter guest mode only from
 * a thread's KVM_RUN.  A thread is stopped by a task work (struct
 * kvmintro_park) queued with TWA_SIGNAL.  The notification makes KVM leave
 * (or not enter) guest mode and return -EINTR from KVM_RUN, as it does for
 * any signal; VMMs retry.  The work, kvmintro_park_run(), then runs in that
 * thread on its way back to user mode, where it may sleep: it waits there
 * until the VM is resumed.  No signal is sent and nothing the VMM can see
 * is left behind.
 *
 * A pause queues a work on every thread that may be running a vcpu: the
 * one KVM last saw in KVM_RUN (vcpu->pid) and the one the KVM_RUN hook last
 * saw enter it (kvmintro_vcpu.tid), which differ while a thread's first
 * KVM_RUN of a vcpu is between the hook and KVM's own bookkeeping.  The
 * hook writes the thread, then a full barrier, then reads @paused; the
 * pause writes @paused, then a full barrier, then reads the threads: either
 * the hook sees the pause and holds the thread, or the pause sees the
 * thread.  Where a thread is when its work runs decides how it stops:
 *  - returning from KVM_RUN (it was in guest mode, or halted in the
 *    kernel): it is parked there;
 *  - in the VMM, handling an exit: it is not stopped there; the work only
 *    notes that it is out of guest mode, and the KVM_RUN hook holds it at
 *    its next KVM_RUN (kvmintro_vm_hold_at_run()), before guest entry;
 *  - exiting: it will never run guest code again.
 * A thread that parks, by whichever work, counts as stopped for every work
 * of the current pause queued on it.  A vcpu never run, or created while
 * paused, cannot enter guest mode without passing the hook.  The pause
 * completes when every thread queued on has been seen out of guest mode.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <asm/syscall.h>

#include "compat.h"
#include "kvmintro.h"

/* How long a pause may take to reach every vcpu before it is abandoned. */
static struct kvmintro_param_uint pause_timeout_ms = {
	.value = 2000, .min = 1, .max = 3600000,
};
module_param_cb(pause_timeout_ms, &kvmintro_param_uint_ops,
		&pause_timeout_ms, 0644);
MODULE_PARM_DESC(pause_timeout_ms,
		 "Milliseconds a pause may take to stop every vcpu before it fails with -ETIMEDOUT, 1 to 3600000 (default 2000)");

/**
 * struct kvmintro_park - a task work that stops one thread of a paused VM
 * @work:	the task work, queued on @task
 * @node:	in the VM's kvmintro_pause.parks until done or cancelled
 * @vm:		the VM
 * @task:	the thread, referenced until done or cancelled
 * @generation:	the pause that counts @task stopped once this work (or any
 *		other of @vm on @task) sees it out of guest mode; 0 for a
 *		hold queued by the KVM_RUN hook, which no pause waits for
 * @acked:	@task was counted stopped for @generation
 * @started:	the work runs or ran: too late to cancel it
 */
struct kvmintro_park {
	struct callback_head work;
	struct list_head node;
	struct kvmintro_vm *vm;
	struct task_struct *task;
	u64 generation;
	bool acked;
	bool started;
};

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
	spin_lock_init(&pause->parks_lock);
	INIT_LIST_HEAD(&pause->parks);
	init_waitqueue_head(&pause->stopped_wq);
	init_waitqueue_head(&pause->resume_wq);
}

/* Count @park's thread stopped in its pause, once. */
static void __kvmintro_park_ack(struct kvmintro_vm *vm,
				struct kvmintro_park *park)
{
	lockdep_assert_held(&vm->pause.parks_lock);
	if (park->acked || !park->generation)
		return;
	park->acked = true;
	if (atomic_dec_and_test(&vm->pause.pending))
		wake_up(&vm->pause.stopped_wq);
}

/* @task is out of guest mode: count it stopped in the current pause. */
static void kvmintro_thread_stopped(struct kvmintro_vm *vm,
				    struct task_struct *task)
{
	u64 generation = READ_ONCE(vm->pause.generation);
	struct kvmintro_park *park;

	spin_lock(&vm->pause.parks_lock);
	list_for_each_entry(park, &vm->pause.parks, node) {
		if (park->task == task && park->generation == generation)
			__kvmintro_park_ack(vm, park);
	}
	spin_unlock(&vm->pause.parks_lock);
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

	if (!kvmintro_arch_native_syscall(regs) ||
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

/* Undo kvmintro_park_queue() for a work that will never run. */
static void kvmintro_park_free(struct kvmintro_park *park)
{
	struct kvmintro_vm *vm = park->vm;

	put_task_struct(park->task);
	kfree(park);
	kvmintro_vm_park_work_done(vm);
}

/*
 * Park the current thread until @vm is resumed.  A pause that comes while
 * it waits (resume and pause again before it ran) queues a work on it that
 * cannot run yet: @parks_seq, bumped after that work is queued, wakes it to
 * count itself stopped for that pause too.  It is read before the parks
 * are searched, so a work queued after the search always wakes the wait.
 */
static void kvmintro_thread_park(struct kvmintro_vm *vm)
{
	unsigned long seq;

	for (;;) {
		seq = READ_ONCE(vm->pause.parks_seq);
		kvmintro_thread_stopped(vm, current);
		/*
		 * Interruptible: a signal for the VMM (a kick, SIGKILL) is
		 * delivered at once; the VMM handles it and calls KVM_RUN,
		 * where the hook holds the thread again.  TASK_INTERRUPTIBLE
		 * also keeps a long pause from looking like a hung task.
		 */
		if (wait_event_interruptible(vm->pause.resume_wq,
					     !kvmintro_vm_paused(vm) ||
					     READ_ONCE(vm->pause.parks_seq) != seq))
			return;
		if (!kvmintro_vm_paused(vm))
			return;
	}
}

/* The task work, in the thread it stops, returning to user mode. */
static void kvmintro_park_run(struct callback_head *work)
{
	struct kvmintro_park *park =
		container_of(work, struct kvmintro_park, work);
	struct kvmintro_vm *vm = park->vm;

	spin_lock(&vm->pause.parks_lock);
	park->started = true;
	spin_unlock(&vm->pause.parks_lock);

	if (current->flags & PF_EXITING) {
		/*
		 * Exiting (the work runs from exit_task_work(), after
		 * exit_mm()): it never runs guest code again.
		 */
		kvmintro_thread_stopped(vm, current);
	} else if (kvmintro_vm_paused(vm)) {
		if (kvmintro_kvm_get_running_vcpu()) {
			/*
			 * Inside KVM_RUN: KVM ran task works before guest
			 * entry for a TIF_NOTIFY_RESUME that came with ours,
			 * with the vcpu loaded and its mutex held.  No place
			 * to wait.  Have KVM_RUN return -EINTR instead, as for
			 * a signal: the hook holds the thread at its next one.
			 */
			set_tsk_thread_flag(current, TIF_NOTIFY_SIGNAL);
			kvmintro_thread_stopped(vm, current);
		} else if (!park->generation ||
			   kvmintro_returning_from_kvm_run()) {
			kvmintro_thread_park(vm);
		} else {
			/* In the VMM: held by the hook at its next KVM_RUN. */
			kvmintro_thread_stopped(vm, current);
		}
	}

	spin_lock(&vm->pause.parks_lock);
	list_del(&park->node);
	spin_unlock(&vm->pause.parks_lock);
	kvmintro_park_free(park);
}

/*
 * Queue a park work on @task for pause @generation (0: a hold by the
 * KVM_RUN hook).  Never sleeps with @gfp GFP_ATOMIC.
 *
 * Return: 0; -ESRCH if @task is exiting (it will never run guest code
 * again, and counts stopped); -ENOMEM.
 */
static int kvmintro_park_queue(struct kvmintro_vm *vm, struct task_struct *task,
			       u64 generation, gfp_t gfp)
{
	struct kvmintro_park *park, *other;

	park = kzalloc(sizeof(*park), gfp);
	if (!park)
		return -ENOMEM;
	init_task_work(&park->work, kvmintro_park_run);
	park->vm = vm;
	park->task = task;
	park->generation = generation;

	spin_lock(&vm->pause.parks_lock);
	if (!generation) {
		/* A work not started yet on @task will hold it as well. */
		list_for_each_entry(other, &vm->pause.parks, node) {
			if (other->task == task && !other->started) {
				spin_unlock(&vm->pause.parks_lock);
				kfree(park);
				return 0;
			}
		}
	}
	get_task_struct(task);
	atomic_inc(&vm->pause.works);
	list_add_tail(&park->node, &vm->pause.parks);
	spin_unlock(&vm->pause.parks_lock);

	if (!task_work_add(task, &park->work, TWA_SIGNAL)) {
		/*
		 * A thread already in do_exit() runs the work only from
		 * exit_task_work(), after exit_mm(), which for the VMM's last
		 * thread frees all guest memory: it never runs guest code
		 * again, so count it stopped now rather than then.
		 */
		if (generation && READ_ONCE(task->flags) & PF_EXITING)
			kvmintro_thread_stopped(vm, task);
		return 0;
	}

	spin_lock(&vm->pause.parks_lock);
	__kvmintro_park_ack(vm, park);
	list_del(&park->node);
	spin_unlock(&vm->pause.parks_lock);
	kvmintro_park_free(park);
	return -ESRCH;
}

/**
 * kvmintro_vm_hold_at_run() - hold the current thread, entering KVM_RUN
 * @vm: its VM, paused
 *
 * Called by the KVM_RUN hook, before KVM takes the vcpu mutex, with
 * preemption disabled: make this KVM_RUN return -EINTR before guest entry
 * and park the thread on its way out.  Never sleeps.
 */
void kvmintro_vm_hold_at_run(struct kvmintro_vm *vm)
{
	int r = kvmintro_park_queue(vm, current, 0, GFP_ATOMIC | __GFP_NOWARN);

	if (r == -ENOMEM)
		pr_warn_ratelimited("%s: out of memory: thread %d not held at KVM_RUN\n",
				    vm->name, task_pid_nr(current));
}

/*
 * Add @task to the @nr distinct threads in @threads, referenced, unless it
 * is there already or is not a thread of @kvm's VMM.
 */
static void kvmintro_threads_add(struct task_struct **threads,
				 unsigned int *nr, struct task_struct *task,
				 struct kvm *kvm)
{
	unsigned int i;

	if (!task || READ_ONCE(task->mm) != kvm->mm)
		return;
	for (i = 0; i < *nr; i++) {
		if (threads[i] == task)
			return;
	}
	get_task_struct(task);
	threads[(*nr)++] = task;
}

/* The thread of id @tid (initial pid namespace), or NULL; RCU reader. */
static struct task_struct *kvmintro_thread_rcu(pid_t tid)
{
	return tid ? pid_task(find_pid_ns(tid, &init_pid_ns), PIDTYPE_PID) :
		     NULL;
}

/*
 * Every thread that may be in KVM_RUN of a vcpu of @kvm: for each vcpu,
 * KVM's vcpu->pid and the hook's kvmintro_vcpu.tid, and the threads the
 * hook saw enter KVM_RUN of vcpus it had no state for.  Called after
 * @paused is set and a full barrier.
 */
static unsigned int kvmintro_vm_collect_threads(struct kvmintro_vm *vm,
						struct kvm *kvm,
						unsigned int nr_vcpus,
						struct task_struct **threads)
{
	struct kvmintro_vcpu *state;
	struct kvm_vcpu *vcpu;
	unsigned int index, nr = 0;

	rcu_read_lock();
	for (index = 0; index < nr_vcpus; index++) {
		vcpu = kvm_get_vcpu(kvm, index);
		if (WARN_ON_ONCE(!vcpu))
			continue;
		kvmintro_threads_add(threads, &nr,
				     pid_task(rcu_dereference(vcpu->pid),
					      PIDTYPE_PID), kvm);
		state = xa_load(&vm->vcpus, index);
		if (state)
			kvmintro_threads_add(threads, &nr,
					     kvmintro_thread_rcu(READ_ONCE(state->tid)),
					     kvm);
	}
	for (index = 0; index < ARRAY_SIZE(vm->unseen_tids); index++)
		kvmintro_threads_add(threads, &nr,
				     kvmintro_thread_rcu(READ_ONCE(vm->unseen_tids[index])),
				     kvm);
	rcu_read_unlock();
	return nr;
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
	unsigned int i, nr_vcpus, nr_threads;
	struct task_struct **threads;
	u64 start, generation;
	long left, timeout;
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
	threads = kvmalloc_array(2 * nr_vcpus + ARRAY_SIZE(vm->unseen_tids),
				 sizeof(*threads), GFP_KERNEL);
	if (!threads)
		return -ENOMEM;

	/* One extra count, dropped below, so nothing wakes us mid-loop. */
	atomic_set(&pause->pending, 1);
	generation = pause->generation + 1;
	WRITE_ONCE(pause->generation, generation);
	/* Pairs with the acquire in kvmintro_vm_paused(). */
	smp_store_release(&pause->paused, true);
	/* Order @paused before reading the threads: see the top of the file. */
	smp_mb();

	nr_threads = kvmintro_vm_collect_threads(vm, kvm, nr_vcpus, threads);
	for (i = 0; i < nr_threads; i++) {
		atomic_inc(&pause->pending);
		r = kvmintro_park_queue(vm, threads[i], generation, GFP_KERNEL);
		if (r == -ENOMEM)
			/* Never counted stopped: the pause times out. */
			pr_warn_ratelimited("%s: out of memory pausing thread %d\n",
					    vm->name, task_pid_nr(threads[i]));
		put_task_struct(threads[i]);
	}
	kvfree(threads);
	if (atomic_dec_and_test(&pause->pending))
		wake_up(&pause->stopped_wq);
	/* Threads parked by an earlier pause count themselves again. */
	WRITE_ONCE(pause->parks_seq, pause->parks_seq + 1);
	wake_up_all(&pause->resume_wq);

	timeout = msecs_to_jiffies(READ_ONCE(pause_timeout_ms.value));
	left = wait_event_interruptible_timeout(pause->stopped_wq,
						atomic_read(&pause->pending) <= 0,
						timeout);
	if (left > 0) {
		pause->latency_ns = ktime_get_ns() - start;
		return 0;
	}

	kvmintro_vm_resume(vm);
	if (left == 0) {
		pr_warn("%s: pause timed out after %u ms with %d thread(s) still running a vcpu\n",
			vm->name, READ_ONCE(pause_timeout_ms.value),
			atomic_read(&pause->pending));
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

/**
 * kvmintro_vcpu_lock() - take a vcpu's mutex in a paused VM
 * @vcpu: the vcpu
 *
 * No thread of a paused VM is in KVM_RUN, so a vcpu's mutex is held only
 * briefly, by the VMM's other vcpu ioctls.  Wait for it at most
 * pause_timeout_ms rather than for ever with the pause lock held.
 *
 * Return: 0 with the mutex held, -EBUSY after the timeout, -EINTR if
 * the caller got a fatal signal.
 */
int kvmintro_vcpu_lock(struct kvm_vcpu *vcpu)
{
	unsigned long deadline;

	deadline = jiffies + msecs_to_jiffies(READ_ONCE(pause_timeout_ms.value));

	while (!mutex_trylock(&vcpu->mutex)) {
		if (fatal_signal_pending(current))
			return -EINTR;
		if (time_after(jiffies, deadline))
			return -EBUSY;
		usleep_range(100, 200);
	}
	return 0;
}

/*
 * The VM is going away or the module unloads: resume, take back park works
 * not started yet, and wait for those running to return, so that neither
 * @vm nor the module's code is used by a vcpu thread afterwards.
 */
void kvmintro_vm_release_pause(struct kvmintro_vm *vm)
{
	struct kvmintro_park *park, *next;
	LIST_HEAD(cancelled);

	mutex_lock(&vm->pause.lock);
	kvmintro_vm_resume(vm);
	spin_lock(&vm->pause.parks_lock);
	list_for_each_entry_safe(park, next, &vm->pause.parks, node) {
		if (!park->started &&
		    kvmintro_call_unexported(kvmintro_task_work_cancel,
					     park->task, &park->work))
			list_move(&park->node, &cancelled);
	}
	spin_unlock(&vm->pause.parks_lock);
	mutex_unlock(&vm->pause.lock);
	list_for_each_entry_safe(park, next, &cancelled, node)
		kvmintro_park_free(park);
	wait_event(kvmintro_park_works_wq, !atomic_read(&vm->pause.works));
}
