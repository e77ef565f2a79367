// SPDX-License-Identifier: GPL-2.0
/*
 * The snapshot file: pause, resume and capture a VM.
 *
 *   echo pause   > snapshot    stop every vcpu and keep them stopped
 *   echo resume  > snapshot    let them run again
 *   echo capture > snapshot    pause (unless paused), record, resume
 *                              (unless it was paused before)
 *   cat snapshot               state, latest capture, pause latency
 *   cat snapshot_gpa_hpa       the gpa_hpa table the latest capture recorded
 *
 * Anything else written is -EINVAL and changes nothing.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "../lib/parse.h"
#include "kvmintro.h"
#include "snapshot.h"

static int kvmintro_vm_snapshot_command(struct kvmintro_vm *vm,
					struct kvm *kvm, int command)
{
	bool was_paused = vm->pause.paused;
	int r;

	lockdep_assert_held(&vm->pause.lock);
	switch (command) {
	case KVMINTRO_SNAPSHOT_PAUSE:
		return kvmintro_vm_pause(vm, kvm);
	case KVMINTRO_SNAPSHOT_RESUME:
		kvmintro_vm_resume(vm);
		return 0;
	case KVMINTRO_SNAPSHOT_CAPTURE:
		r = kvmintro_vm_pause(vm, kvm);
		if (r)
			return r;
		r = kvmintro_vm_capture(vm, kvm);
		if (!was_paused)
			kvmintro_vm_resume(vm);
		return r;
	}
	return -EINVAL;
}

static ssize_t kvmintro_snapshot_write(struct file *file,
				       const char __user *ubuf, size_t count,
				       loff_t *ppos)
{
	struct kvmintro_vm *vm = file_inode(file)->i_private;
	char buf[KVMINTRO_COMMAND_MAX];
	struct kvm *kvm;
	int command, r;

	if (!count || count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	command = kvmintro_parse_snapshot_command(buf, count);
	if (command < 0)
		return command;

	kvm = kvmintro_vm_access_kvm(vm);
	if (IS_ERR(kvm))
		return PTR_ERR(kvm);
	r = mutex_lock_killable(&vm->pause.lock);
	if (!r) {
		r = kvmintro_vm_snapshot_command(vm, kvm, command);
		mutex_unlock(&vm->pause.lock);
	}
	kvm_put_kvm(kvm);
	return r ? r : count;
}

/*
 * The state, one record of one field per line: the pauses, then the
 * latest capture.  Caller holds the pause lock.
 */
static int kvmintro_snapshot_put(struct seq_file *m, struct kvmintro_vm *vm,
				 const struct kvmintro_snapshot *snapshot)
{
	char captured[32];

	lockdep_assert_held(&vm->pause.lock);
	kvmintro_seq_put_word(m, "state",
			      vm->pause.paused ? "paused" : "running");
	kvmintro_seq_put_u64(m, "pauses", vm->pause.generation);
	kvmintro_seq_put_u64(m, "pause_latency_ns", vm->pause.latency_ns);
	if (!snapshot)
		return kvmintro_seq_put_u64(m, "generation", 0);
	kvmintro_seq_put_u64(m, "generation", snapshot->generation);
	/* CLOCK_REALTIME seconds.nanoseconds: a word. */
	snprintf(captured, sizeof(captured), "%llu.%09llu",
		 snapshot->realtime_ns / NSEC_PER_SEC,
		 snapshot->realtime_ns % NSEC_PER_SEC);
	kvmintro_seq_put_word(m, "captured", captured);
	kvmintro_seq_put_u64(m, "capture_pause_latency_ns",
			     snapshot->latency_ns);
	return kvmintro_seq_put_u64(m, "vcpus", snapshot->nr_vcpus);
}

static int kvmintro_snapshot_show(struct seq_file *m, void *unused)
{
	struct kvmintro_vm *vm = m->private;
	struct kvmintro_snapshot *snapshot;
	int r;

	r = kvmintro_vm_check_access(vm);
	if (r)
		return r;
	r = mutex_lock_killable(&vm->pause.lock);
	if (r)
		return r;
	snapshot = vm->pause.snapshot;
	r = kvmintro_snapshot_put(m, vm, snapshot);
	mutex_unlock(&vm->pause.lock);
	return r;
}

static int kvmintro_snapshot_open(struct inode *inode, struct file *file)
{
	return single_open(file, kvmintro_snapshot_show, inode->i_private);
}

const struct file_operations kvmintro_snapshot_fops = {
	.owner = THIS_MODULE,
	.open = kvmintro_snapshot_open,
	.read = seq_read,
	.write = kvmintro_snapshot_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* The gpa_hpa table recorded by the latest capture. */
static ssize_t kvmintro_snapshot_gpa_hpa_read(struct file *file,
					      char __user *ubuf, size_t count,
					      loff_t *ppos)
{
	struct kvmintro_vm *vm = file_inode(file)->i_private;
	struct kvmintro_snapshot *snapshot;
	ssize_t r;

	/* Not the VM itself, but what it held: the same access rule. */
	r = kvmintro_vm_check_access(vm);
	if (r)
		return r;
	r = mutex_lock_killable(&vm->pause.lock);
	if (r)
		return r;
	snapshot = vm->pause.snapshot;
	if (!snapshot)
		r = -ENODATA;
	else if (!snapshot->gpa_hpa)
		r = snapshot->gpa_hpa_error;
	else
		r = simple_read_from_buffer(ubuf, count, ppos,
					    snapshot->gpa_hpa,
					    snapshot->gpa_hpa_len);
	mutex_unlock(&vm->pause.lock);
	return r;
}

const struct file_operations kvmintro_snapshot_gpa_hpa_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = kvmintro_snapshot_gpa_hpa_read,
	.llseek = default_llseek,
};
