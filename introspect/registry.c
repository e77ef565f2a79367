// SPDX-License-Identifier: GPL-2.0
/*
 * The VM registry: one struct kvmintro_vm for each struct kvm on the host.
 *
 * kvmintro holds no long-term reference on any struct kvm: a reference would
 * keep a VM alive after its VMM exits.  Every user takes a short reference
 * with kvmintro_vm_get_kvm(), which first finds the VM where KVM or its
 * VMM keeps it (introspect/kvms.c), where it is still allocated.  The
 * kvm_destroy_vm() hook only makes the entry go sooner; nothing depends on
 * it firing (kprobes can be disabled system-wide).
 *
 * A struct kvm is identified by its address and by its VMM's mm_struct,
 * on which each entry holds an mmgrab() reference: the address alone could
 * be a new VM allocated where a freed one was, but two live VMs at the
 * same address cannot both have the entry's mm unless one process made
 * both, one after the other.
 *
 * Entries are created by kvmintro_registry_rescan(), which collects every
 * VM (kvmintro_kvms_collect()): at load, after each KVM_CREATE_VM, when the
 * KVM_RUN hook sees a VM or vcpu it does not know, and when the vms file is
 * read.  A rescan also retires the entries whose VM is no longer found.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "kvmintro.h"

/* Serializes creation and removal of entries and of their directories. */
DEFINE_MUTEX(kvmintro_registry_mutex);
/* Every entry, oldest first, dead ones until reaped; under the mutex. */
LIST_HEAD(kvmintro_vm_list);
/* Protects kvmintro_vm.kvm and changes to kvmintro_vm_hash; taken by hooks. */
static DEFINE_SPINLOCK(kvmintro_vm_lock);
/*
 * Live entries by struct kvm pointer, for the hooks; read under RCU with
 * kvmintro_vm_find_rcu().
 */
DEFINE_HASHTABLE(kvmintro_vm_hash, KVMINTRO_VM_HASH_BITS);
/* Set under the mutex when the module unloads: no new entries, no reaping. */
static bool kvmintro_registry_closed;
static const struct kvmintro_files *kvmintro_registry_files;

/* Collections a rescan makes, each with twice the room, before it defers. */
#define KVMINTRO_RESCAN_TRIES	4

static void kvmintro_rescan_workfn(struct work_struct *work);
static DECLARE_WORK(kvmintro_rescan_work, kvmintro_rescan_workfn);
static void kvmintro_reap_workfn(struct work_struct *work);
static DECLARE_WORK(kvmintro_reap_work, kvmintro_reap_workfn);

static int kvmintro_vmm_may_access(struct kvm *kvm, pid_t hint);

/* Is @kvm, referenced, the VM @vm was made for? */
static bool kvmintro_vm_is(const struct kvmintro_vm *vm, const struct kvm *kvm)
{
	return vm->key == kvm && vm->mm == kvm->mm;
}

/**
 * kvmintro_vm_get_kvm() - take a reference on the VM behind an entry
 * @vm: the entry
 *
 * Safe whether or not the kvm_destroy_vm() hook ever fired for the VM.
 * Sleeps.
 *
 * Return: the struct kvm with a reference the caller drops with
 * kvm_put_kvm(), or NULL if the VM is gone or going.
 */
struct kvm *kvmintro_vm_get_kvm(struct kvmintro_vm *vm)
{
	if (!READ_ONCE(vm->kvm))
		return NULL;
	return kvmintro_kvms_get(vm->key, vm->mm);
}

/**
 * kvmintro_vm_access_kvm() - kvmintro_vm_get_kvm() for a file of the VM
 * @vm: the entry
 *
 * Files that read or control a VM are for those who could ptrace its VMM,
 * as /proc/<pid>/mem is: the caller must pass ptrace_may_access() with
 * PTRACE_MODE_ATTACH_FSCREDS on a thread of the VMM, so that an LSM's
 * ptrace policy (Yama's ptrace_scope) applies to kvmintro too.
 *
 * Return: the referenced struct kvm, ERR_PTR(-ENODEV) if the VM is gone or
 * going, ERR_PTR(-EACCES) if the policy refuses.
 */
struct kvm *kvmintro_vm_access_kvm(struct kvmintro_vm *vm)
{
	struct kvm *kvm = kvmintro_vm_get_kvm(vm);
	int r;

	if (!kvm)
		return ERR_PTR(-ENODEV);
	r = kvmintro_vmm_may_access(kvm, vm->pid);
	if (r) {
		kvm_put_kvm(kvm);
		return ERR_PTR(r);
	}
	return kvm;
}

/**
 * kvmintro_vm_check_access() - may the caller read what kvmintro keeps of
 * a VM (replies, captures)?  The rule of kvmintro_vm_access_kvm().
 * @vm: the entry
 *
 * Return: 0, or kvmintro_vm_access_kvm()'s error.
 */
int kvmintro_vm_check_access(struct kvmintro_vm *vm)
{
	struct kvm *kvm = kvmintro_vm_access_kvm(vm);

	if (IS_ERR(kvm))
		return PTR_ERR(kvm);
	kvm_put_kvm(kvm);
	return 0;
}

/*
 * Forget @vm's VM: no hook finds the entry any more, and the reaper
 * removes it.  Must not sleep.
 */
static bool kvmintro_vm_retire(struct kvmintro_vm *vm)
{
	bool retired = false;

	spin_lock(&kvmintro_vm_lock);
	if (vm->kvm) {
		WRITE_ONCE(vm->kvm, NULL);
		hash_del_rcu(&vm->hash_node);
		retired = true;
	}
	spin_unlock(&kvmintro_vm_lock);
	return retired;
}

/*
 * Called by the kvm_destroy_vm() hook, in the destroying thread, before KVM
 * frees anything: forget the struct kvm and let the reaper remove the entry.
 * Must not sleep.
 */
void kvmintro_vm_destroyed(struct kvm *kvm)
{
	struct kvmintro_vm *vm;
	bool retired = false;

	rcu_read_lock();
	vm = kvmintro_vm_find_rcu(kvm);
	if (vm && vm->mm == kvm->mm)
		retired = kvmintro_vm_retire(vm);
	rcu_read_unlock();
	if (retired)
		kvmintro_queue_work(&kvmintro_reap_work);
}

void kvmintro_registry_request_rescan(void)
{
	kvmintro_queue_work(&kvmintro_rescan_work);
}

/**
 * struct kvmintro_rescan_task - a rescan run by a VMM thread itself
 * @work:	task work queued on @task
 * @node:	in kvmintro_rescan_tasks until it runs or is cancelled
 * @task:	the thread, referenced
 */
struct kvmintro_rescan_task {
	struct callback_head work;
	struct list_head node;
	struct task_struct *task;
};

/* Protects kvmintro_rescan_tasks and kvmintro_rescan_tasks_closed. */
static DEFINE_SPINLOCK(kvmintro_rescan_tasks_lock);
static LIST_HEAD(kvmintro_rescan_tasks);
static bool kvmintro_rescan_tasks_closed;
/* Queued or running; the module's exit waits for zero. */
static atomic_t kvmintro_rescan_tasks_nr = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(kvmintro_rescan_tasks_wq);

static void kvmintro_rescan_task_free(struct kvmintro_rescan_task *rt)
{
	put_task_struct(rt->task);
	kfree(rt);
	if (atomic_dec_and_test(&kvmintro_rescan_tasks_nr))
		wake_up_all(&kvmintro_rescan_tasks_wq);
}

static void kvmintro_rescan_task_run(struct callback_head *work)
{
	struct kvmintro_rescan_task *rt =
		container_of(work, struct kvmintro_rescan_task, work);

	spin_lock(&kvmintro_rescan_tasks_lock);
	list_del(&rt->node);
	spin_unlock(&kvmintro_rescan_tasks_lock);
	kvmintro_registry_rescan();
	kvmintro_rescan_task_free(rt);
}

/**
 * kvmintro_registry_rescan_before_user() - rescan before the current
 * thread returns to user mode
 *
 * For a hook on a call that creates a VM: the thread runs the rescan
 * itself, holding no KVM lock, on its way back to user mode, so that the
 * VM's directory exists by the time the VMM learns of the VM.  Never
 * sleeps; falls back to kvmintro_registry_request_rescan().
 */
void kvmintro_registry_rescan_before_user(void)
{
	struct kvmintro_rescan_task *rt;

	rt = kzalloc(sizeof(*rt), GFP_ATOMIC | __GFP_NOWARN);
	if (!rt)
		goto fallback;
	init_task_work(&rt->work, kvmintro_rescan_task_run);
	rt->task = get_task_struct(current);
	spin_lock(&kvmintro_rescan_tasks_lock);
	if (kvmintro_rescan_tasks_closed) {
		spin_unlock(&kvmintro_rescan_tasks_lock);
		put_task_struct(rt->task);
		kfree(rt);
		return;
	}
	atomic_inc(&kvmintro_rescan_tasks_nr);
	list_add(&rt->node, &kvmintro_rescan_tasks);
	spin_unlock(&kvmintro_rescan_tasks_lock);
	if (!task_work_add(current, &rt->work, TWA_RESUME))
		return;
	spin_lock(&kvmintro_rescan_tasks_lock);
	list_del(&rt->node);
	spin_unlock(&kvmintro_rescan_tasks_lock);
	kvmintro_rescan_task_free(rt);
fallback:
	kvmintro_registry_request_rescan();
}

/* Take back the rescans not run yet, wait for those running. */
static void kvmintro_rescan_tasks_exit(void)
{
	struct kvmintro_rescan_task *rt, *next;
	LIST_HEAD(cancelled);

	spin_lock(&kvmintro_rescan_tasks_lock);
	kvmintro_rescan_tasks_closed = true;
	list_for_each_entry_safe(rt, next, &kvmintro_rescan_tasks, node) {
		if (kvmintro_call_unexported(kvmintro_task_work_cancel,
					     rt->task, &rt->work))
			list_move(&rt->node, &cancelled);
	}
	spin_unlock(&kvmintro_rescan_tasks_lock);
	list_for_each_entry_safe(rt, next, &cancelled, node)
		kvmintro_rescan_task_free(rt);
	wait_event(kvmintro_rescan_tasks_wq,
		   !atomic_read(&kvmintro_rescan_tasks_nr));
}

/*
 * A thread of the VMM: one whose mm is @kvm's.  @hint, a thread id (in the
 * initial pid namespace), is tried first; a thread id alone may have been
 * reused by another process since.  Caller is an RCU reader.
 */
static struct task_struct *kvmintro_vmm_thread_rcu(struct kvm *kvm,
						   pid_t hint)
{
	struct task_struct *process, *thread;

	thread = hint ? pid_task(find_pid_ns(hint, &init_pid_ns),
				 PIDTYPE_PID) : NULL;
	if (thread && READ_ONCE(thread->mm) == kvm->mm)
		return thread;
	for_each_process_thread(process, thread) {
		if (READ_ONCE(thread->mm) == kvm->mm)
			return thread;
	}
	return NULL;
}

/*
 * The VMM's process id.  KVM names each VM's stats "kvm-<pid>" after the
 * thread that created it: report that thread's process if it still runs
 * in the VM's mm, else any process that does; 0 if none.
 */
static pid_t kvmintro_vm_creator_pid(struct kvm *kvm)
{
	struct task_struct *thread;
	pid_t pid = 0;

	if (sscanf(kvm->stats_id, "kvm-%d", &pid) != 1)
		pid = 0;
	rcu_read_lock();
	thread = kvmintro_vmm_thread_rcu(kvm, pid);
	pid = thread ? task_tgid_nr(thread) : 0;
	rcu_read_unlock();
	return pid;
}

/**
 * kvmintro_vmm_may_access() - may the caller look into @kvm's VMM?
 * @kvm:	the VM, referenced by the caller
 * @hint:	the VMM's process id, tried first
 *
 * Return: 0, -EACCES if ptrace policy refuses, -ESRCH if no process runs
 * in the VM's address space any more.
 */
static int kvmintro_vmm_may_access(struct kvm *kvm, pid_t hint)
{
	struct task_struct *thread;
	bool allowed;

	rcu_read_lock();
	thread = kvmintro_vmm_thread_rcu(kvm, hint);
	if (thread)
		get_task_struct(thread);
	rcu_read_unlock();
	if (!thread)
		return -ESRCH;
	allowed = kvmintro_call_unexported(kvmintro_ptrace_may_access, thread,
					   PTRACE_MODE_ATTACH_FSCREDS);
	put_task_struct(thread);
	return allowed ? 0 : -EACCES;
}

static bool kvmintro_vm_name_in_use(const char *name)
{
	struct kvmintro_vm *vm;

	list_for_each_entry(vm, &kvmintro_vm_list, list_node) {
		if (!strcmp(vm->name, name))
			return true;
	}
	return false;
}

/* "<pid>" for a process's first VM, then "<pid>-1", "<pid>-2", ... */
static void kvmintro_vm_set_name(struct kvmintro_vm *vm)
{
	unsigned int n = 0;

	lockdep_assert_held(&kvmintro_registry_mutex);
	snprintf(vm->name, sizeof(vm->name), "%d", vm->pid);
	while (kvmintro_vm_name_in_use(vm->name))
		snprintf(vm->name, sizeof(vm->name), "%d-%u", vm->pid, ++n);
}

static struct kvmintro_vm *__kvmintro_vm_find(const struct kvm *kvm)
{
	struct kvmintro_vm *vm;

	lockdep_assert_held(&kvmintro_registry_mutex);
	list_for_each_entry(vm, &kvmintro_vm_list, list_node) {
		if (vm->key != kvm || !READ_ONCE(vm->kvm))
			continue;
		if (vm->mm == kvm->mm)
			return vm;
		/* A new VM where a dead one was, whose end was not seen. */
		if (kvmintro_vm_retire(vm))
			kvmintro_queue_work(&kvmintro_reap_work);
	}
	return NULL;
}

/* Make an entry for @kvm, on which the caller holds a reference. */
static void __kvmintro_vm_add(struct kvm *kvm)
{
	struct kvmintro_vm *vm;

	lockdep_assert_held(&kvmintro_registry_mutex);
	vm = __kvmintro_vm_find(kvm);
	if (vm) {
		kvmintro_vm_sync_vcpus(vm, kvm);
		return;
	}

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return;
	vm->key = kvm;
	vm->mm = kvm->mm;
	mmgrab(vm->mm);
	vm->kvm = kvm;
	vm->pid = kvmintro_vm_creator_pid(kvm);
	xa_init(&vm->vcpus);
	kvmintro_vm_pause_init(vm);
	kvmintro_reply_init(&vm->translate);
	kvmintro_reply_init(&vm->scan);
	kvmintro_reply_init(&vm->gva);
	kvmintro_reply_init(&vm->stage2);
	kvmintro_reply_init(&vm->stage2_summary);
	kvmintro_vm_set_name(vm);
	vm->files = kvmintro_registry_files;
	vm->files->create_vm(vm);
	kvmintro_vm_sync_vcpus(vm, kvm);

	list_add_tail(&vm->list_node, &kvmintro_vm_list);
	spin_lock(&kvmintro_vm_lock);
	hash_add_rcu(kvmintro_vm_hash, &vm->hash_node, (unsigned long)kvm);
	spin_unlock(&kvmintro_vm_lock);
}

/*
 * Retire the entries whose VM is not among the @n VMs found now: their
 * kvm_destroy_vm() went unseen (its hook did not fire).
 */
static void __kvmintro_registry_retire_missing(struct kvm **found,
					       unsigned int n)
{
	struct kvmintro_vm *vm;
	bool retired = false;
	unsigned int i;

	lockdep_assert_held(&kvmintro_registry_mutex);
	list_for_each_entry(vm, &kvmintro_vm_list, list_node) {
		if (!READ_ONCE(vm->kvm))
			continue;
		for (i = 0; i < n && !kvmintro_vm_is(vm, found[i]); i++)
			;
		if (i == n)
			retired |= kvmintro_vm_retire(vm);
	}
	if (retired)
		kvmintro_queue_work(&kvmintro_reap_work);
}

/**
 * kvmintro_registry_rescan() - make an entry for every VM on the host, and
 * retire the entries of VMs no longer found
 *
 * Sleeps.  The references taken on the VMs are dropped once the registry
 * mutex is released: dropping the last one runs kvm_destroy_vm(), which
 * can take long (it stops KVM's worker threads, waits for RCU and SRCU),
 * and every pause needs that mutex.
 */
void kvmintro_registry_rescan(void)
{
	unsigned int capacity, n, i, tries;
	bool truncated = true;
	struct kvm **found;

	/*
	 * VMs made while this runs may not fit: collect again, with room for
	 * twice as many, so that a VM made before its creator's rescan is in
	 * it (its directory is there when KVM_CREATE_VM returns).
	 */
	capacity = kvmintro_kvms_count() + 8;
	for (tries = 0; truncated && tries < KVMINTRO_RESCAN_TRIES;
	     tries++, capacity *= 2) {
		found = kvmalloc_array(capacity, sizeof(*found), GFP_KERNEL);
		if (!found)
			return;
		n = 0;
		truncated = false;
		mutex_lock(&kvmintro_registry_mutex);
		if (!kvmintro_registry_closed) {
			n = kvmintro_kvms_collect(found, capacity, &truncated);
			for (i = 0; i < n; i++)
				__kvmintro_vm_add(found[i]);
			if (!truncated)
				__kvmintro_registry_retire_missing(found, n);
		}
		mutex_unlock(&kvmintro_registry_mutex);
		for (i = 0; i < n; i++)
			kvm_put_kvm(found[i]);
		kvfree(found);
	}
	if (truncated)
		kvmintro_registry_request_rescan();
}

static void kvmintro_rescan_workfn(struct work_struct *work)
{
	kvmintro_registry_rescan();
}

/* Free an entry no hook, file or vcpu thread can reach any more. */
static void kvmintro_vm_free(struct kvmintro_vm *vm)
{
	kvmintro_snapshot_free(vm->pause.snapshot);
	kvmintro_reply_free(&vm->translate);
	kvmintro_reply_free(&vm->scan);
	kvmintro_reply_free(&vm->gva);
	kvmintro_reply_free(&vm->stage2);
	kvmintro_reply_free(&vm->stage2_summary);
	kvmintro_vm_free_vcpus(vm);
	mmdrop(vm->mm);
	kfree(vm);
}

static void kvmintro_reap_workfn(struct work_struct *work)
{
	struct kvmintro_vm *vm, *next;
	LIST_HEAD(dead);

	mutex_lock(&kvmintro_registry_mutex);
	if (kvmintro_registry_closed) {
		mutex_unlock(&kvmintro_registry_mutex);
		return;
	}
	list_for_each_entry_safe(vm, next, &kvmintro_vm_list, list_node) {
		if (READ_ONCE(vm->kvm))
			continue;
		/* Waits for file operations in flight; later ones get -EIO. */
		vm->files->remove_vm(vm);
		list_move(&vm->list_node, &dead);
	}
	mutex_unlock(&kvmintro_registry_mutex);

	if (list_empty(&dead))
		return;
	list_for_each_entry(vm, &dead, list_node)
		kvmintro_vm_release_pause(vm);
	/* Hooks may still be looking at the entries through the hash. */
	synchronize_rcu();
	list_for_each_entry_safe(vm, next, &dead, list_node)
		kvmintro_vm_free(vm);
}

/* @files: how to make the files of the VMs and vcpus found from now on. */
int kvmintro_registry_init(const struct kvmintro_files *files)
{
	kvmintro_registry_files = files;
	return 0;
}

/*
 * Stop creating and reaping entries; the caller then removes the file
 * trees, which take every entry's directory with them.
 */
void kvmintro_registry_close(void)
{
	mutex_lock(&kvmintro_registry_mutex);
	kvmintro_registry_closed = true;
	mutex_unlock(&kvmintro_registry_mutex);
}

/* Free every entry; hooks are off and the file trees are gone. */
void kvmintro_registry_exit(void)
{
	struct kvmintro_vm *vm, *next;

	kvmintro_rescan_tasks_exit();
	cancel_work_sync(&kvmintro_rescan_work);
	cancel_work_sync(&kvmintro_reap_work);
	list_for_each_entry(vm, &kvmintro_vm_list, list_node)
		kvmintro_vm_release_pause(vm);
	/*
	 * A vcpu thread that just finished kvmintro_vcpu_park() may still be
	 * executing its last instructions: wait until every task has passed
	 * a voluntary context switch or user mode before the code goes away.
	 */
	synchronize_rcu_tasks();
	synchronize_rcu();
	list_for_each_entry_safe(vm, next, &kvmintro_vm_list, list_node) {
		list_del(&vm->list_node);
		kvmintro_vm_free(vm);
	}
}
