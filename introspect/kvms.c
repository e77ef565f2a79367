// SPDX-License-Identifier: GPL-2.0
/*
 * The host's VMs: how the registry finds every struct kvm and takes a
 * reference on one it knows.
 *
 * KVM keeps every VM on its vm_list, under kvm_lock.  Neither is exported;
 * kallsyms has them only with CONFIG_KALLSYMS_ALL, and it is the only way
 * there to them when KVM is built in.  Where kallsyms has them, a VM is
 * found there: kvm_destroy_vm() takes a VM off the list, under kvm_lock,
 * before it frees anything, so a VM found on the list under kvm_lock is
 * still allocated, and kvm_get_kvm_safe() fails only if it has started to
 * die.
 *
 * Where it has not (Debian 12's arm64 kernel), a VM is found where its VMM
 * holds it: each VM and each vcpu file holds a reference on its struct kvm
 * until kvm_vm_release() or kvm_vcpu_release() drops it, and a file in a
 * process's file table stays there, referenced, while the table's
 * file_lock is held, as iterate_fd() holds it.  So a VM found through such
 * a file is allocated as well, and the same kvm_get_kvm_safe() is as safe.
 * Those files are told by their ioctl handler, kvm_vm_ioctl() or
 * kvm_vcpu_ioctl(): functions, which kallsyms always has.  A VM none of
 * whose files is open in a file table (closed by every process that had
 * them, or only in flight in a unix socket) is not found this way; there
 * is no VMM to inspect it through then.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "kvmintro.h"

typedef long (*kvmintro_ioctl_t)(struct file *file, unsigned int ioctl,
				 unsigned long arg);

/* KVM's list of VMs and the mutex that protects it; NULL if not found. */
static struct list_head *kvmintro_kvm_vm_list;
static struct mutex *kvmintro_kvm_lock;
/* Otherwise, the ioctl handlers of a VM's and of a vcpu's file. */
static kvmintro_ioctl_t kvmintro_kvm_vm_ioctl;
static kvmintro_ioctl_t kvmintro_kvm_vcpu_ioctl;

/**
 * kvmintro_kvms_resolve() - find KVM's vm_list, or the VM files' handlers
 * @lookup:	kallsyms_lookup_name()
 *
 * Return: 0, or -ENOENT (logged) if kvmintro can find no VM this way.
 */
int kvmintro_kvms_resolve(kvmintro_lookup_t lookup)
{
	kvmintro_kvm_vm_list = (struct list_head *)lookup("vm_list");
	kvmintro_kvm_lock = (struct mutex *)lookup("kvm_lock");
	if (kvmintro_kvm_vm_list && kvmintro_kvm_lock)
		return 0;
	kvmintro_kvm_vm_list = NULL;
	kvmintro_kvm_lock = NULL;

	kvmintro_kvm_vm_ioctl = (kvmintro_ioctl_t)lookup("kvm_vm_ioctl");
	kvmintro_kvm_vcpu_ioctl = (kvmintro_ioctl_t)lookup("kvm_vcpu_ioctl");
	if (!kvmintro_kvm_vm_ioctl || !kvmintro_kvm_vcpu_ioctl) {
		pr_err("cannot find KVM's vm_list nor kvm_vm_ioctl: is kvm.ko loaded?\n");
		return -ENOENT;
	}
	pr_info("KVM's vm_list is not in kallsyms (no CONFIG_KALLSYMS_ALL): finding VMs through their VMMs' open files\n");
	return 0;
}

/**
 * struct kvmintro_kvms_scan - what a walk of the file tables looks for
 * @found:	where to put the references taken; NULL to only count files
 * @capacity:	@found's size
 * @n:		references in @found, or files counted
 * @truncated:	set if a VM did not fit in @found
 * @key:	if set, take a reference on this VM only, if its mm is @mm
 * @mm:		see @key
 */
struct kvmintro_kvms_scan {
	struct kvm **found;
	unsigned int capacity;
	unsigned int n;
	bool truncated;
	const struct kvm *key;
	const struct mm_struct *mm;
};

/*
 * The VM @file holds a reference on, if it is a VM's or a vcpu's file.
 * Caller holds the file table's file_lock, @file being in that table.
 */
static struct kvm *kvmintro_file_kvm(struct file *file)
{
	const struct file_operations *fops = file->f_op;
	struct kvm_vcpu *vcpu;

	if (!fops)
		return NULL;
	if (fops->unlocked_ioctl == kvmintro_kvm_vm_ioctl)
		return file->private_data;
	if (fops->unlocked_ioctl == kvmintro_kvm_vcpu_ioctl) {
		vcpu = file->private_data;
		return vcpu->kvm;
	}
	return NULL;
}

/* iterate_fd()'s callback: 1 stops the walk. */
static int kvmintro_kvms_scan_file(const void *arg, struct file *file,
				   unsigned int fd)
{
	struct kvmintro_kvms_scan *scan = (struct kvmintro_kvms_scan *)arg;
	struct kvm *kvm = kvmintro_file_kvm(file);
	unsigned int i;

	if (!kvm)
		return 0;
	if (!scan->found) {
		scan->n++;
		return 0;
	}
	if (scan->key) {
		if (kvm != scan->key || kvm->mm != scan->mm ||
		    !kvm_get_kvm_safe(kvm))
			return 0;
		scan->found[scan->n++] = kvm;
		return 1;
	}
	for (i = 0; i < scan->n; i++) {
		if (scan->found[i] == kvm)
			return 0;
	}
	if (scan->n == scan->capacity) {
		scan->truncated = true;
		return 1;
	}
	if (kvm_get_kvm_safe(kvm))
		scan->found[scan->n++] = kvm;
	return 0;
}

/*
 * Walk the file table of every process (of those whose mm is @mm, if set)
 * with kvmintro_kvms_scan_file(), as __do_SAK() walks them for a tty.
 * Does not sleep.
 */
static void kvmintro_kvms_scan_tables(struct kvmintro_kvms_scan *scan,
				      const struct mm_struct *mm)
{
	struct task_struct *process, *thread;
	int stop = 0;

	rcu_read_lock();
	for_each_process_thread(process, thread) {
		if (thread->flags & PF_KTHREAD)
			continue;
		if (mm && READ_ONCE(thread->mm) != mm)
			continue;
		/* Threads share their leader's table, walked already. */
		if (thread != process &&
		    READ_ONCE(thread->files) == READ_ONCE(process->files))
			continue;
		task_lock(thread);
		stop = iterate_fd(thread->files, 0, kvmintro_kvms_scan_file,
				  scan);
		task_unlock(thread);
		if (stop)
			break;
	}
	rcu_read_unlock();
}

/**
 * kvmintro_kvms_count() - how many VMs to make room for
 *
 * Return: the number of VMs on vm_list, or of VM and vcpu files open.
 */
unsigned int kvmintro_kvms_count(void)
{
	struct kvmintro_kvms_scan scan = {};
	struct kvm *kvm;

	if (!kvmintro_kvm_vm_list) {
		kvmintro_kvms_scan_tables(&scan, NULL);
		return scan.n;
	}
	mutex_lock(kvmintro_kvm_lock);
	list_for_each_entry(kvm, kvmintro_kvm_vm_list, vm_list)
		scan.n++;
	mutex_unlock(kvmintro_kvm_lock);
	return scan.n;
}

/**
 * kvmintro_kvms_collect() - take a reference on every VM
 * @found:	where to put them
 * @capacity:	@found's size
 * @truncated:	set if there were more VMs than @capacity
 *
 * Oldest first: vm_list's order, or that of the processes and their files.
 * Nothing may allocate under kvm_lock: KVM's MMU shrinker takes it.
 * Sleeps.
 *
 * Return: the number of references in @found, each dropped by the caller
 * with kvm_put_kvm().
 */
unsigned int kvmintro_kvms_collect(struct kvm **found, unsigned int capacity,
				   bool *truncated)
{
	struct kvmintro_kvms_scan scan = {
		.found = found,
		.capacity = capacity,
	};
	struct kvm *kvm;

	if (!kvmintro_kvm_vm_list) {
		kvmintro_kvms_scan_tables(&scan, NULL);
		*truncated = scan.truncated;
		return scan.n;
	}
	*truncated = false;
	mutex_lock(kvmintro_kvm_lock);
	/* KVM adds new VMs at the head of vm_list. */
	list_for_each_entry_reverse(kvm, kvmintro_kvm_vm_list, vm_list) {
		if (scan.n == capacity) {
			*truncated = true;
			break;
		}
		if (kvm_get_kvm_safe(kvm))
			found[scan.n++] = kvm;
	}
	mutex_unlock(kvmintro_kvm_lock);
	return scan.n;
}

/**
 * kvmintro_kvms_get() - take a reference on a VM if it is still there
 * @key:	its struct kvm, which may have been freed
 * @mm:		its VMM's mm: a new VM allocated where a freed one was has
 *		another, unless the same process made both
 *
 * Its VMM's own file table is looked in first.  Sleeps.
 *
 * Return: the struct kvm with a reference the caller drops with
 * kvm_put_kvm(), or NULL if the VM is gone or going.
 */
struct kvm *kvmintro_kvms_get(const struct kvm *key,
			      const struct mm_struct *mm)
{
	struct kvm *kvm, *found = NULL;
	struct kvmintro_kvms_scan scan = {
		.found = &found,
		.capacity = 1,
		.key = key,
		.mm = mm,
	};

	if (!kvmintro_kvm_vm_list) {
		kvmintro_kvms_scan_tables(&scan, mm);
		if (!found)
			kvmintro_kvms_scan_tables(&scan, NULL);
		return found;
	}
	mutex_lock(kvmintro_kvm_lock);
	list_for_each_entry(kvm, kvmintro_kvm_vm_list, vm_list) {
		if (kvm == key && kvm->mm == mm) {
			if (kvm_get_kvm_safe(kvm))
				found = kvm;
			break;
		}
	}
	mutex_unlock(kvmintro_kvm_lock);
	return found;
}
