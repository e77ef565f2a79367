// SPDX-License-Identifier: GPL-2.0
/*
 * The debugfs tree:
 *
 *   /sys/kernel/debug/kvmintro/vms            one line per VM
 *   /sys/kernel/debug/kvmintro/<dir>/memslots memory slots of that VM
 *   /sys/kernel/debug/kvmintro/<dir>/vcpus    vcpus and their threads
 *   /sys/kernel/debug/kvmintro/<dir>/snapshot pause, resume, capture
 *   /sys/kernel/debug/kvmintro/<dir>/vcpu<N>/regs  registers of vcpu N
 *   /sys/kernel/debug/kvmintro/<dir>/gpa_hpa  guest to host physical table
 *   /sys/kernel/debug/kvmintro/<dir>/translate  one address at a time
 *   /sys/kernel/debug/kvmintro/<dir>/mem      guest physical memory
 *   /sys/kernel/debug/kvmintro/<dir>/scan     find patterns in it
 *   /sys/kernel/debug/kvmintro/<dir>/gva      guest virtual address walk
 *
 * Files are root-only, and those of a VM are for those who may ptrace its
 * VMM (kvmintro_vm_access_kvm()).  debugfs guards every operation: once a
 * directory is removed, operations on files still open return -EIO, and
 * removal waits for operations in flight, so handlers may use the entry in
 * inode->i_private.  A file that fails to be created costs that file
 * only, never the VM's tracking.
 *
 * Every file's operations name this module as their owner, so an open
 * file holds a module reference, as a driver's open device does: rmmod
 * fails with EBUSY ("in use") until the last kvmintro file is closed, and
 * nothing of the module is left behind once it is gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "../lib/record.h"
#include "kvmintro.h"

/**
 * kvmintro_debugfs_create_file - debugfs_create_file() for kvmintro
 * @name:	the file's name
 * @mode:	its permissions
 * @parent:	its directory
 * @data:	its inode->i_private
 * @fops:	its operations, owned by this module
 *
 * A file that cannot be created is left out; nothing else fails with it.
 */
void kvmintro_debugfs_create_file(const char *name, umode_t mode,
				  struct dentry *parent, void *data,
				  const struct file_operations *fops)
{
	if (WARN_ON_ONCE(fops->owner != THIS_MODULE))
		return;
	debugfs_create_file(name, mode, parent, data, fops);
}

struct dentry *kvmintro_debugfs_create_root(void)
{
	struct dentry *root;

	root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(root))
		return root;
	kvmintro_debugfs_create_vms(root);
	return root;
}

void kvmintro_debugfs_create_vm(struct kvmintro_vm *vm, struct dentry *root)
{
	vm->dir = debugfs_create_dir(vm->name, root);
	if (IS_ERR(vm->dir))
		return;
	kvmintro_debugfs_create_memslots(vm);
	kvmintro_debugfs_create_vcpus(vm);
	kvmintro_debugfs_create_snapshot(vm);
	kvmintro_debugfs_create_gpa_hpa(vm);
	kvmintro_debugfs_create_translate(vm);
	kvmintro_debugfs_create_mem(vm);
	kvmintro_debugfs_create_scan(vm);
	kvmintro_debugfs_create_gva(vm);
	kvmintro_debugfs_create_stage2(vm);
}

/* vcpu<N>, N the vcpu id, as in KVM's own debugfs. */
void kvmintro_debugfs_create_vcpu(struct kvmintro_vcpu *state,
				  struct kvm_vcpu *vcpu)
{
	char name[16];

	if (IS_ERR_OR_NULL(state->vm->dir))
		return;
	snprintf(name, sizeof(name), "vcpu%d", vcpu->vcpu_id);
	state->dir = debugfs_create_dir(name, state->vm->dir);
	if (IS_ERR(state->dir))
		return;
	kvmintro_debugfs_create_regs(state);
}

/* Put one formatted line, or fail the read if it did not fit its buffer. */
int kvmintro_seq_put_line(struct seq_file *m, const char *line, int len)
{
	if (WARN_ON_ONCE(len < 0))
		return len;
	seq_write(m, line, len);
	return 0;
}

/* Put the record of one field, @key=@value in decimal. */
int kvmintro_seq_put_u64(struct seq_file *m, const char *key, u64 value)
{
	struct kvmintro_record_writer writer;
	char line[64];

	kvmintro_record_begin(&writer, line, sizeof(line), NULL);
	kvmintro_record_u64(&writer, key, value);
	return kvmintro_seq_put_line(m, line, kvmintro_record_end(&writer));
}

/* Put the record of one field, @key=@word. */
int kvmintro_seq_put_word(struct seq_file *m, const char *key,
			  const char *word)
{
	struct kvmintro_record_writer writer;
	char line[64];

	kvmintro_record_begin(&writer, line, sizeof(line), NULL);
	kvmintro_record_word(&writer, key, word);
	return kvmintro_seq_put_line(m, line, kvmintro_record_end(&writer));
}
