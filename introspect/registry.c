// SPDX-License-Identifier: GPL-2.0
/*
 * The VM registry: one struct kvmintro_vm for each struct kvm on the host.
 *
 * kvmintro holds no long-term reference on any struct kvm: a reference would
 * keep a VM alive after its VMM exits.  Instead the kvm_destroy_vm() hook
 * clears kvmintro_vm.kvm under kvmintro_vm_lock before KVM frees anything,
 * and every user takes a short reference with kvmintro_vm_get_kvm(), which
 * fails once the VM has started to die.
 *
 * Entries are created by kvmintro_registry_rescan(), which walks KVM's own
 * vm_list: at load, after each KVM_CREATE_VM, when the KVM_RUN hook sees a
 * VM or vcpu it does not know, and when the vms file is read.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/hashtable.h>
#include <linux/pid_namespace.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
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
static struct dentry *kvmintro_registry_root;

static void kvmintro_rescan_workfn(struct work_struct *work);
static DECLARE_WORK(kvmintro_rescan_work, kvmintro_rescan_workfn);
static void kvmintro_reap_workfn(struct work_struct *work);
static DECLARE_WORK(kvmintro_reap_work, kvmintro_reap_workfn);

/**
 * kvmintro_vm_get_kvm() - take a reference on the VM behind an entry
 * @vm: the entry
 *
 * Return: the struct kvm with a reference the caller drops with
 * kvm_put_kvm(), or NULL if the VM is gone or going.
 */
struct kvm *kvmintro_vm_get_kvm(struct kvmintro_vm *vm)
{
	struct kvm *kvm;

	spin_lock(&kvmintro_vm_lock);
	kvm = vm->kvm;
	if (kvm && !kvm_get_kvm_safe(kvm))
		kvm = NULL;
	spin_unlock(&kvmintro_vm_lock);
	return kvm;
}

/*
 * Called by the kvm_destroy_vm() hook, in the destroying thread, before KVM
 * frees anything: forget the struct kvm and let the reaper remove the entry.
 * Must not sleep.
 */
void kvmintro_vm_destroyed(struct kvm *kvm)
{
	struct kvmintro_vm *vm;

	spin_lock(&kvmintro_vm_lock);
	vm = kvmintro_vm_find_rcu(kvm);
	if (vm) {
		WRITE_ONCE(vm->kvm, NULL);
		hash_del_rcu(&vm->hash_node);
	}
	spin_unlock(&kvmintro_vm_lock);
	if (vm)
		kvmintro_queue_work(&kvmintro_reap_work);
}

void kvmintro_registry_request_rescan(void)
{
	kvmintro_queue_work(&kvmintro_rescan_work);
}

/*
 * The VMM's process id: KVM names each VM's stats "kvm-<pid>" after the
 * thread that created it; report that thread's process.
 */
static pid_t kvmintro_vm_creator_pid(struct kvm *kvm)
{
	struct task_struct *task;
	pid_t pid = 0;

	if (sscanf(kvm->stats_id, "kvm-%d", &pid) != 1)
		return 0;
	rcu_read_lock();
	task = pid_task(find_pid_ns(pid, &init_pid_ns), PIDTYPE_PID);
	if (task)
		pid = task_tgid_nr(task);
	rcu_read_unlock();
	return pid;
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
		if (vm->key == kvm && READ_ONCE(vm->kvm))
			return vm;
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
	kvmintro_debugfs_create_vm(vm, kvmintro_registry_root);
	kvmintro_vm_sync_vcpus(vm, kvm);

	list_add_tail(&vm->list_node, &kvmintro_vm_list);
	spin_lock(&kvmintro_vm_lock);
	hash_add_rcu(kvmintro_vm_hash, &vm->hash_node, (unsigned long)kvm);
	spin_unlock(&kvmintro_vm_lock);
}

static unsigned int kvmintro_kvm_count(void)
{
	struct kvm *kvm;
	unsigned int n = 0;

	mutex_lock(kvmintro_kvm_lock);
	list_for_each_entry(kvm, kvmintro_kvm_vm_list, vm_list)
		n++;
	mutex_unlock(kvmintro_kvm_lock);
	return n;
}

/*
 * Collect references on up to @capacity VMs from KVM's vm_list, oldest
 * first.  Nothing may allocate under kvm_lock: KVM's MMU shrinker takes it.
 */
static unsigned int kvmintro_kvm_collect(struct kvm **found,
					 unsigned int capacity, bool *truncated)
{
	struct kvm *kvm;
	unsigned int n = 0;

	*truncated = false;
	mutex_lock(kvmintro_kvm_lock);
	/* KVM adds new VMs at the head of vm_list. */
	list_for_each_entry_reverse(kvm, kvmintro_kvm_vm_list, vm_list) {
		if (n == capacity) {
			*truncated = true;
			break;
		}
		if (kvm_get_kvm_safe(kvm))
			found[n++] = kvm;
	}
	mutex_unlock(kvmintro_kvm_lock);
	return n;
}

void __kvmintro_registry_rescan(void)
{
	unsigned int capacity, n, i;
	struct kvm **found;
	bool truncated;

	lockdep_assert_held(&kvmintro_registry_mutex);
	if (kvmintro_registry_closed)
		return;

	capacity = kvmintro_kvm_count() + 8;
	found = kvmalloc_array(capacity, sizeof(*found), GFP_KERNEL);
	if (!found)
		return;
	n = kvmintro_kvm_collect(found, capacity, &truncated);
	for (i = 0; i < n; i++)
		__kvmintro_vm_add(found[i]);
	/* The last reference dropped here runs kvm_destroy_vm() and its hook. */
	for (i = 0; i < n; i++)
		kvm_put_kvm(found[i]);
	kvfree(found);
	if (truncated)
		kvmintro_registry_request_rescan();
}

void kvmintro_registry_rescan(void)
{
	mutex_lock(&kvmintro_registry_mutex);
	__kvmintro_registry_rescan();
	mutex_unlock(&kvmintro_registry_mutex);
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
		debugfs_remove_recursive(vm->dir);
		list_move(&vm->list_node, &dead);
	}
	mutex_unlock(&kvmintro_registry_mutex);

	if (list_empty(&dead))
		return;
	kvmintro_debugfs_prune();
	list_for_each_entry(vm, &dead, list_node)
		kvmintro_vm_release_pause(vm);
	/* Hooks may still be looking at the entries through the hash. */
	synchronize_rcu();
	list_for_each_entry_safe(vm, next, &dead, list_node)
		kvmintro_vm_free(vm);
}

int kvmintro_registry_init(struct dentry *root)
{
	kvmintro_registry_root = root;
	return 0;
}

/*
 * Stop creating and reaping entries; the caller then removes the debugfs
 * tree, which takes every entry's directory with it.
 */
void kvmintro_registry_close(void)
{
	mutex_lock(&kvmintro_registry_mutex);
	kvmintro_registry_closed = true;
	mutex_unlock(&kvmintro_registry_mutex);
}

/* Free every entry; hooks are off and the debugfs tree is gone. */
void kvmintro_registry_exit(void)
{
	struct kvmintro_vm *vm, *next;

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
