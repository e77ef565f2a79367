// SPDX-License-Identifier: GPL-2.0
/*
 * The stage2 file: the second-stage table KVM built for the guest, as
 * the architecture reads it (kvmintro_arch_stage2_walker,
 * introspect/arch.h; x86's NPT/EPT in introspect/arch/x86/stage2.c,
 * arm64's stage 2 in introspect/arch/arm64/stage2.c).  This file keeps
 * the requests and the replies, and stage2_summary.c the summary, the
 * same on every architecture:
 *
 *   cat stage2                  a run-length summary of all its leaves
 *   echo 0x1234 > stage2; cat stage2
 *                               every level's entry for that GPA and the
 *                               leaf, the host page behind it beside it
 *
 * The VM is referenced (kvmintro_vm_access_kvm()) while the architecture
 * reads its table.
 */
#include <linux/debugfs.h>
#include <linux/slab.h>

#include "../lib/format.h"
#include "../lib/parse.h"
#include "../lib/record.h"
#include "guest_memory.h"
#include "kvmintro.h"
#include "reply.h"
#include "text.h"

/*
 * The most a summary may take: 64 MiB, about 800,000 runs of leaves (a
 * 64 GiB guest on scattered 4 KiB leaves would need about 1.3 GiB).
 */
#define KVMINTRO_STAGE2_SUMMARY_MAX	(64UL << 20)

/*
 * The walks of @gpas: read by the architecture under its locks, all at
 * once, then formatted (the host side of each leaf is looked up without
 * them).  Return: the records, kvmalloc()ed, or an ERR_PTR().
 */
static char *kvmintro_stage2_walks(struct kvm *kvm, const u64 *gpas, int n,
				   size_t *text_len)
{
	const struct kvmintro_stage2_walker *w = &kvmintro_arch_stage2_walker;
	size_t size = n * KVMINTRO_STAGE2_WALK_TEXT, len = 0;
	struct kvmintro_guest_mem mem;
	void *root, *walks;
	int *errors, i, r;
	char *text;

	root = kzalloc(w->root_size, GFP_KERNEL);
	walks = kvmalloc_array(n, w->walk_size, GFP_KERNEL);
	errors = kcalloc(n, sizeof(*errors), GFP_KERNEL);
	text = kvmalloc(size, GFP_KERNEL);
	r = root && walks && errors && text ? 0 : -ENOMEM;
	if (!r)
		r = kvmintro_guest_mem_open(&mem, kvm);
	if (r)
		goto out_free;
	r = w->read(kvm, gpas, n, root, walks, errors);
	for (i = 0; !r && i < n; i++)
		len += w->format(text + len, size - len, &mem, root,
				 (char *)walks + i * w->walk_size, gpas[i],
				 errors[i]);
	kvmintro_guest_mem_close(&mem);
out_free:
	kfree(errors);
	kvfree(walks);
	kfree(root);
	if (r) {
		kvfree(text);
		return ERR_PTR(r);
	}
	*text_len = len;
	return text;
}

static ssize_t kvmintro_stage2_write(struct file *file,
				     const char __user *ubuf, size_t count,
				     loff_t *ppos)
{
	struct kvmintro_vm *vm = file_inode(file)->i_private;
	u64 gpas[KVMINTRO_TRANSLATE_MAX];
	struct kvmintro_request *request;
	char *text = NULL;
	size_t old_len, len = 0;
	struct kvm *kvm;
	int n, r;

	/* Everything written to this open file: a shell writes line by line. */
	request = kvmintro_request_append(&vm->stage2, file, ubuf, count,
					  KVMINTRO_TRANSLATE_INPUT_MAX,
					  &old_len);
	if (IS_ERR(request))
		return PTR_ERR(request);
	n = kvmintro_parse_stage2_request(request->text, request->len, gpas,
					  KVMINTRO_TRANSLATE_MAX);
	r = -EINVAL;
	if (n < 0)
		goto out;
	kvm = kvmintro_vm_access_kvm(vm);
	r = PTR_ERR_OR_ZERO(kvm);
	if (r)
		goto out;
	r = 0;
	if (n) {
		text = kvmintro_stage2_walks(kvm, gpas, n, &len);
		r = IS_ERR(text) ? PTR_ERR(text) : 0;
	}
	kvm_put_kvm(kvm);
	if (r)
		goto out;
	/* "summary": forget the walks, reads give the summary again. */
	if (!n)
		kvmintro_request_undo(request, 0);
	mutex_lock(&vm->stage2.lock);
	kvmintro_reply_set(&vm->stage2, text, len);
	mutex_unlock(&vm->stage2.lock);
out:
	if (r)
		kvmintro_request_undo(request, old_len);
	kvmintro_request_done(&vm->stage2);
	return r ? r : count;
}

/*
 * A read from offset 0 without walks to show takes a new summary.  It is
 * kept per VM, like the walks, for the reads that follow: open files keep
 * nothing of their own (see debugfs.c).
 */
static int kvmintro_stage2_refresh_summary(struct kvmintro_vm *vm)
{
	struct kvmintro_text t;
	struct kvm *kvm;
	int r;

	kvm = kvmintro_vm_access_kvm(vm);
	if (IS_ERR(kvm))
		return PTR_ERR(kvm);
	r = kvmintro_text_init(&t, KVMINTRO_STAGE2_SUMMARY_MAX) ?:
	    kvmintro_stage2_summary(kvm, &t);
	kvm_put_kvm(kvm);
	if (r) {
		kvfree(t.text);
		return r;
	}
	r = mutex_lock_killable(&vm->stage2_summary.lock);
	if (r) {
		kvfree(t.text);
		return r;
	}
	kvmintro_reply_set(&vm->stage2_summary, t.text, t.len);
	mutex_unlock(&vm->stage2_summary.lock);
	return 0;
}

static ssize_t kvmintro_stage2_read(struct file *file, char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	struct kvmintro_vm *vm = file_inode(file)->i_private;
	bool walks;
	int r;

	r = kvmintro_vm_check_access(vm);
	if (r)
		return r;
	r = mutex_lock_killable(&vm->stage2.lock);
	if (r)
		return r;
	walks = vm->stage2.text;
	mutex_unlock(&vm->stage2.lock);
	if (walks)
		return kvmintro_reply_read(&vm->stage2, ubuf, count, ppos);
	if (!*ppos) {
		r = kvmintro_stage2_refresh_summary(vm);
		if (r)
			return r;
	}
	return kvmintro_reply_read(&vm->stage2_summary, ubuf, count, ppos);
}

const struct file_operations kvmintro_stage2_fops = {
	.owner = THIS_MODULE,
	.open = kvmintro_request_open,
	.read = kvmintro_stage2_read,
	.write = kvmintro_stage2_write,
	.llseek = default_llseek,
};
