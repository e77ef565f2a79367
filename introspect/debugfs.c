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
 * Files are root-only.  debugfs guards every operation: once a directory is
 * removed, operations on files still open return -EIO, and removal waits for
 * operations in flight, so handlers may use the entry in inode->i_private.
 * A file that fails to be created costs that file only, never the VM's
 * tracking.
 *
 * Files that outlive the module.  debugfs pins the owner of a file's
 * operations while the file is open, which would make rmmod fail as long
 * as anyone holds a kvmintro file open.  kvmintro's files have no owner
 * instead.  Once the tree is removed at unload, debugfs calls none of a
 * file's operations but ->release, from full_proxy_release(), which reads
 * the operations table.  Hence:
 *
 *  - the tables debugfs sees are copies with no owner, in memory of their
 *    own (kvmintro_fops_copies);
 *  - every ->release is a function of the kernel proper, never one of
 *    kvmintro's (kvmintro_fops_release_is_kernel());
 *  - at unload the copies are freed unless a file is still open; they are
 *    then left to those files, whose close needs them.
 *
 * A file is known to be open by a reference on its dentry besides the one
 * kvmintro keeps on every file it creates (kvmintro_files).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dcache.h>
#include <linux/debugfs.h>
#include <linux/kmemleak.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "kvmintro.h"

/* Distinct operations tables of kvmintro's files, with room to spare. */
#define KVMINTRO_FOPS_MAX	32

/**
 * struct kvmintro_fops_copy - what debugfs gets for a file's operations
 * @orig:	kvmintro's table
 * @copy:	the same operations, with no owner
 */
struct kvmintro_fops_copy {
	const struct file_operations *orig;
	struct file_operations copy;
};

/**
 * struct kvmintro_file - a file kvmintro created, tracked to see it open
 * @node:	in kvmintro_files
 * @dentry:	the file, referenced
 */
struct kvmintro_file {
	struct list_head node;
	struct dentry *dentry;
};

static DEFINE_MUTEX(kvmintro_files_mutex);
static struct kvmintro_fops_copy *kvmintro_fops_copies;	/* [KVMINTRO_FOPS_MAX] */
static LIST_HEAD(kvmintro_files);

static bool kvmintro_fops_release_is_kernel(const struct file_operations *fops)
{
	return !fops->release || fops->release == single_release ||
	       fops->release == seq_release ||
	       fops->release == seq_release_private;
}

/* The owner-less copy of @fops; caller holds kvmintro_files_mutex. */
static const struct file_operations *
kvmintro_fops_copy(const struct file_operations *fops)
{
	struct kvmintro_fops_copy *c;

	lockdep_assert_held(&kvmintro_files_mutex);
	if (WARN_ON_ONCE(!kvmintro_fops_release_is_kernel(fops)))
		return NULL;
	for (c = kvmintro_fops_copies;
	     c < kvmintro_fops_copies + KVMINTRO_FOPS_MAX; c++) {
		if (c->orig == fops)
			return &c->copy;
		if (!c->orig) {
			c->orig = fops;
			c->copy = *fops;
			c->copy.owner = NULL;
			return &c->copy;
		}
	}
	WARN_ONCE(1, "more than %d kinds of files\n", KVMINTRO_FOPS_MAX);
	return NULL;
}

/* A removed file nobody holds open any more: only kvmintro's reference. */
static bool kvmintro_file_closed(const struct kvmintro_file *file)
{
	return d_unhashed(file->dentry) && d_count(file->dentry) == 1;
}

/**
 * kvmintro_debugfs_create_file - debugfs_create_file() for kvmintro
 * @name:	the file's name
 * @mode:	its permissions
 * @parent:	its directory
 * @data:	its inode->i_private
 * @fops:	its operations, whose ->release must be the kernel's
 *
 * The file gets an owner-less copy of @fops and is tracked until it is
 * removed and closed, so that it may stay open across rmmod.
 */
void kvmintro_debugfs_create_file(const char *name, umode_t mode,
				  struct dentry *parent, void *data,
				  const struct file_operations *fops)
{
	const struct file_operations *copy;
	struct kvmintro_file *file;
	struct dentry *dentry;

	file = kzalloc(sizeof(*file), GFP_KERNEL);
	if (!file)
		return;
	mutex_lock(&kvmintro_files_mutex);
	copy = kvmintro_fops_copy(fops);
	dentry = copy ? debugfs_create_file(name, mode, parent, data, copy) :
			ERR_PTR(-EINVAL);
	if (IS_ERR(dentry)) {
		kfree(file);
	} else {
		file->dentry = dget(dentry);
		list_add(&file->node, &kvmintro_files);
	}
	mutex_unlock(&kvmintro_files_mutex);
}

/* Forget the removed files that are closed. */
void kvmintro_debugfs_prune(void)
{
	struct kvmintro_file *file, *next;

	mutex_lock(&kvmintro_files_mutex);
	list_for_each_entry_safe(file, next, &kvmintro_files, node) {
		if (!kvmintro_file_closed(file))
			continue;
		list_del(&file->node);
		dput(file->dentry);
		kfree(file);
	}
	mutex_unlock(&kvmintro_files_mutex);
}

int kvmintro_debugfs_init(void)
{
	kvmintro_fops_copies = kcalloc(KVMINTRO_FOPS_MAX,
				       sizeof(*kvmintro_fops_copies),
				       GFP_KERNEL);
	return kvmintro_fops_copies ? 0 : -ENOMEM;
}

/*
 * At unload, once the whole tree is removed: no operation but ->release
 * can run any more.  Free the operations tables unless a file still needs
 * them for its close.
 */
void kvmintro_debugfs_exit(void)
{
	unsigned int open = 0;

	kvmintro_debugfs_prune();
	while (!list_empty(&kvmintro_files)) {
		struct kvmintro_file *file;

		file = list_first_entry(&kvmintro_files, struct kvmintro_file,
					node);
		open++;
		list_del(&file->node);
		dput(file->dentry);
		kfree(file);
	}
	if (!open) {
		kfree(kvmintro_fops_copies);
		return;
	}
	pr_info("%u file(s) still open: their operations tables (%zu bytes) stay for their close\n",
		open, KVMINTRO_FOPS_MAX * sizeof(*kvmintro_fops_copies));
	kmemleak_not_leak(kvmintro_fops_copies);
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
