// SPDX-License-Identifier: GPL-2.0
/*
 * What every file of kvmintro uses: creation in both trees with this
 * module as the owner of its operations (see debugfs.c), the lockdown
 * checks, and records put into a seq_file.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/proc_fs.h>
#include <linux/security.h>
#include <linux/seq_file.h>

#include "../lib/record.h"
#include "kvmintro.h"

/*
 * procfs calls struct proc_ops, whose members are those of struct
 * file_operations under other names.  Each file is written once, as
 * file_operations for debugfs; its proc_ops are made from them here, once
 * for each, and kept until the module goes: a file's proc_ops must
 * outlive the file.  There are as many as kinds of files (vms, memslots,
 * regs, ...), created in process context.
 */
#define KVMINTRO_PROC_OPS_MAX	32

static struct kvmintro_proc_ops {
	const struct file_operations *fops;
	struct proc_ops ops;
} kvmintro_proc_ops_made[KVMINTRO_PROC_OPS_MAX];
static DEFINE_MUTEX(kvmintro_proc_ops_lock);

static const struct proc_ops *kvmintro_proc_ops(const struct file_operations *fops)
{
	struct kvmintro_proc_ops *made;
	const struct proc_ops *ops = NULL;

	/* What proc_ops could not carry over. */
	if (WARN_ON_ONCE(fops->read_iter || fops->write_iter || fops->mmap ||
			 fops->poll || fops->unlocked_ioctl))
		return NULL;
	mutex_lock(&kvmintro_proc_ops_lock);
	for (made = kvmintro_proc_ops_made;
	     made < kvmintro_proc_ops_made + KVMINTRO_PROC_OPS_MAX; made++) {
		if (!made->fops) {
			made->fops = fops;
			made->ops.proc_open = fops->open;
			made->ops.proc_read = fops->read;
			made->ops.proc_write = fops->write;
			made->ops.proc_lseek = fops->llseek;
			made->ops.proc_release = fops->release;
		}
		if (made->fops == fops) {
			ops = &made->ops;
			break;
		}
	}
	mutex_unlock(&kvmintro_proc_ops_lock);
	WARN_ON_ONCE(!ops);
	return ops;
}

/**
 * kvmintro_debugfs_create_file - make one of kvmintro's files
 * @name:	the file's name
 * @mode:	its permissions
 * @parent:	its directory, in both trees
 * @data:	its inode->i_private (procfs sets it as debugfs does)
 * @fops:	its operations, owned by this module
 *
 * Makes the file in each tree its directory is in.  Either tree guards
 * every operation against the file's removal, so handlers may use @data
 * until then.  A file that cannot be created is left out; nothing else
 * fails with it.
 */
void kvmintro_debugfs_create_file(const char *name, umode_t mode,
				  struct kvmintro_dir *parent, void *data,
				  const struct file_operations *fops)
{
	const struct proc_ops *proc_ops;

	if (WARN_ON_ONCE(fops->owner != THIS_MODULE))
		return;
	if (!IS_ERR_OR_NULL(parent->debugfs))
		debugfs_create_file(name, mode, parent->debugfs, data, fops);
	if (parent->proc) {
		proc_ops = kvmintro_proc_ops(fops);
		if (proc_ops)
			proc_create_data(name, mode, parent->proc, proc_ops, data);
	}
}

/**
 * kvmintro_lockdown_check_load() - may kvmintro load, as far as lockdown goes?
 *
 * Under lockdown=confidentiality the kernel forbids kprobes, kvmintro's
 * hooks, and with them what kvmintro is for: reading memory the kernel
 * holds for others, as /proc/kcore would.  Integrity mode allows both.
 *
 * Return: 0, or -EPERM (the kernel says why in its log).
 */
int kvmintro_lockdown_check_load(void)
{
	int r = security_locked_down(LOCKDOWN_KPROBES);

	if (r)
		pr_err("not loaded: the kernel is locked down for confidentiality, which forbids kprobes (kvmintro's hooks) and reading kernel memory; see kernel_lockdown(7)\n");
	return r;
}

/**
 * kvmintro_lockdown_check_mem_write() - may guest memory be written?
 *
 * Writing guest memory through the host is writing physical memory that
 * is not the writer's, as /dev/mem does, which lockdown forbids from
 * integrity mode on.  debugfs refuses to open the writable mem file then;
 * its /proc/kvmintro twin asks this, at open and at each write.
 *
 * Return: 0, or -EPERM.
 */
int kvmintro_lockdown_check_mem_write(void)
{
	return security_locked_down(LOCKDOWN_DEV_MEM);
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
