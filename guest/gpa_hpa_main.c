// SPDX-License-Identifier: GPL-2.0
/*
 * gpa_hpa: runs in a KVM guest and asks the host where one of the guest's
 * physical addresses lies in host physical memory, through the hypercall
 * kvmintro serves on the host when loaded with hypercall_nr=<n>.
 *
 * Write a guest physical address to /proc/gpa_hpa, then read the host's
 * answer from the same open file:
 *
 *   ok gpa=0x3c5e000 hpa=0x7a35e000 pfn=0x7a35e flags=0x2 mapped=1 huge=0 order=0
 *   err gpa=0x7fffff000000 ret=-14 reason=not-backed
 *   err gpa=0x1000 ret=-1000 reason=hypercall-not-enabled
 *
 * The call is the architecture's (guest/<arch>/gpa_hpa_arch.c): on x86 a
 * hypercall (vmcall or vmmcall) with RAX = hypercall_nr, on arm64 the SMCCC
 * call 0xc6000000 + hypercall_nr by HVC.  Either answers the host physical
 * address (page offset kept) or -KVM_Exxx, the host frame number and the
 * flags (bit 0 huge, bit 1 mapped, bits 2-6 folio order).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "../lib/parse.h"
#include "gpa_hpa.h"

static int hypercall_nr = -1;
module_param(hypercall_nr, int, 0444);
MODULE_PARM_DESC(hypercall_nr,
		 "hypercall number the host's kvmintro serves (its own hypercall_nr); required");

#define GPA_HPA_FLAG_HUGE	BIT_ULL(0)
#define GPA_HPA_FLAG_MAPPED	BIT_ULL(1)
#define GPA_HPA_FLAG_ORDER	GENMASK_ULL(6, 2)

/* Longest write accepted: one address, as translate on the host takes it. */
#define GPA_HPA_INPUT_MAX	64
/* Longest reply line, with room to spare. */
#define GPA_HPA_REPLY_MAX	160

/**
 * struct gpa_hpa_file - the state of one open /proc/gpa_hpa
 * @lock:	serializes writes and reads of this open file
 * @reply:	the reply to the latest accepted write, a NUL-terminated line
 * @len:	its length (0: nothing asked yet)
 */
struct gpa_hpa_file {
	struct mutex lock;	/* protects @reply and @len */
	char reply[GPA_HPA_REPLY_MAX];
	size_t len;
};

static size_t gpa_hpa_format(char *line, size_t size, u64 gpa,
			     const struct gpa_hpa_answer *answer)
{
	if (answer->ret < 0)
		return scnprintf(line, size, "err gpa=0x%llx ret=%ld reason=%s\n",
				 gpa, answer->ret,
				 gpa_hpa_arch_error_reason(answer->ret));
	return scnprintf(line, size,
			 "ok gpa=0x%llx hpa=0x%lx pfn=0x%lx flags=0x%lx mapped=%d huge=%d order=%lu\n",
			 gpa, answer->ret, answer->pfn, answer->flags,
			 !!(answer->flags & GPA_HPA_FLAG_MAPPED),
			 !!(answer->flags & GPA_HPA_FLAG_HUGE),
			 (unsigned long)FIELD_GET(GPA_HPA_FLAG_ORDER, answer->flags));
}

static int gpa_hpa_open(struct inode *inode, struct file *file)
{
	struct gpa_hpa_file *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	file->private_data = f;
	return 0;
}

static int gpa_hpa_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

/*
 * One address per write, as the host's translate file takes it ("0x1000",
 * "4096", "gpa=0x1000" or "gfn=0x1", blanks around).  The write rewinds the
 * file so that the next read returns the new reply from its start.
 */
static ssize_t gpa_hpa_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct gpa_hpa_file *f = file->private_data;
	char buf[GPA_HPA_INPUT_MAX];
	struct gpa_hpa_answer answer;
	u64 gpa;

	if (!count || count > sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	if (kvmintro_parse_addresses(buf, count, &gpa, 1) != 1)
		return -EINVAL;

	gpa_hpa_arch_call(hypercall_nr, gpa, &answer);

	mutex_lock(&f->lock);
	f->len = gpa_hpa_format(f->reply, sizeof(f->reply), gpa, &answer);
	mutex_unlock(&f->lock);
	*ppos = 0;
	return count;
}

static ssize_t gpa_hpa_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct gpa_hpa_file *f = file->private_data;
	ssize_t r;

	mutex_lock(&f->lock);
	r = simple_read_from_buffer(ubuf, count, ppos, f->reply, f->len);
	mutex_unlock(&f->lock);
	return r;
}

static const struct proc_ops gpa_hpa_proc_ops = {
	.proc_open	= gpa_hpa_open,
	.proc_release	= gpa_hpa_release,
	.proc_read	= gpa_hpa_read,
	.proc_write	= gpa_hpa_write,
	.proc_lseek	= default_llseek,
};

static struct proc_dir_entry *gpa_hpa_entry;

static int __init gpa_hpa_init(void)
{
	int r;

	if (hypercall_nr < 0) {
		pr_err("hypercall_nr is required: load with hypercall_nr=<n>, the number kvmintro serves on the host\n");
		return -EINVAL;
	}
	r = gpa_hpa_arch_check_guest(hypercall_nr);
	if (r)
		return r;
	gpa_hpa_entry = proc_create("gpa_hpa", 0600, NULL, &gpa_hpa_proc_ops);
	if (!gpa_hpa_entry)
		return -ENOMEM;
	pr_info("asking the host with hypercall %d (0x%x)\n", hypercall_nr,
		hypercall_nr);
	return 0;
}

static void __exit gpa_hpa_exit(void)
{
	proc_remove(gpa_hpa_entry);
}

module_init(gpa_hpa_init);
module_exit(gpa_hpa_exit);

MODULE_DESCRIPTION("Ask the host's kvmintro where guest physical addresses lie in host memory");
MODULE_AUTHOR("kvmintro");
MODULE_LICENSE("GPL");
