// SPDX-License-Identifier: GPL-2.0
/*
 * The stage2 file: the second-stage table KVM built for the guest, as
 * the architecture reads it (kvmintro_arch_stage2_walker and
 * kvmintro_arch_stage2_summary(), introspect/arch.h; x86's NPT/EPT in
 * introspect/arch/x86/stage2.c, arm64's stage 2 in
 * introspect/arch/arm64/stage2.c).  This file keeps the requests and the
 * replies, the same on every architecture:
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

/*
 * The most a summary may take: 64 MiB, about 800,000 runs of leaves (a
 * 64 GiB guest on scattered 4 KiB leaves would need about 1.3 GiB).
 */
#define KVMINTRO_STAGE2_SUMMARY_MAX	(64UL << 20)

/*
 * Make room for @more bytes; sleeps, so never under the locks.  -EFBIG
 * past KVMINTRO_STAGE2_SUMMARY_MAX.
 */
int kvmintro_stage2_reserve(struct kvmintro_stage2_text *t, size_t more)
{
	size_t size = t->size;
	char *bigger;

	while (size - t->len < more)
		size *= 2;
	if (size == t->size)
		return 0;
	if (size > KVMINTRO_STAGE2_SUMMARY_MAX)
		return -EFBIG;
	bigger = kvmintro_kvrealloc(t->text, t->size, size);
	if (!bigger)
		return -ENOMEM;
	t->text = bigger;
	t->size = size;
	return 0;
}

/*
 * Account for a record just written at the end of @t, @len bytes; room
 * was reserved.  A writer's error adds nothing.
 */
void kvmintro_stage2_append(struct kvmintro_stage2_text *t, int len)
{
	if (WARN_ON_ONCE(len < 0) || len >= t->size - t->len)
		return;
	t->len += len;
}

/* Where a record was written: its length, or nothing if it failed. */
size_t kvmintro_stage2_written(int len)
{
	return WARN_ON_ONCE(len < 0) ? 0 : len;
}

/* The host page behind @gpa, as translate finds it: never faulted in. */
static int kvmintro_stage2_keep_run(void *ctx,
				    const struct kvmintro_guest_run *run)
{
	struct kvmintro_guest_run *keep = ctx;

	*keep = *run;
	keep->pages = NULL;	/* the references go when the walk returns */
	return 0;
}

/**
 * kvmintro_stage2_record_host() - the VMM's side of a leaf record
 * @writer:	the leaf record, its stage-2 fields written
 * @mem:	the VM's memslots and the VMM's memory
 * @smm:	the GPA is of the SMM address space (x86)
 * @gpa:	the GPA walked
 * @hpa:	where the leaf maps it
 *
 * Adds hva= host_size= kind=, as translate finds the page (never faulting
 * it in): host_size=- kind=none without one, host_size=- kind=no-memslot
 * for a GPA in no memslot, and host_pfn= mismatch=1 should the VMM's page
 * not be the one the leaf maps.
 */
void kvmintro_stage2_record_host(struct kvmintro_record_writer *writer,
				 struct kvmintro_guest_mem *mem, bool smm,
				 u64 gpa, u64 hpa)
{
	const struct kvmintro_slot_copy *slot;
	struct kvmintro_guest_run run = {};
	u64 offset = gpa & ~PAGE_MASK;
	gfn_t gfn = gpa >> PAGE_SHIFT;
	char host_size[16];

	slot = kvmintro_find_slot(mem->slots, mem->nr_slots, smm, gfn);
	if (!slot) {
		kvmintro_record_none(writer, "host_size");
		kvmintro_record_word(writer, "kind", "no-memslot");
		return;
	}
	if (kvmintro_guest_mem_walk(mem, slot, gfn, 1,
				    kvmintro_stage2_keep_run, &run) ||
	    run.kind == KVMINTRO_PAGE_NONE) {
		kvmintro_record_hex(writer, "hva", (u64)slot->hva +
				    (gfn - slot->base_gfn) * PAGE_SIZE + offset);
		kvmintro_record_none(writer, "host_size");
		kvmintro_record_word(writer, "kind", "none");
		return;
	}
	kvmintro_format_page_size(host_size, sizeof(host_size),
				  run.host_shift);
	kvmintro_record_hex(writer, "hva", (u64)run.hva + offset);
	kvmintro_record_word(writer, "host_size", host_size);
	kvmintro_record_word(writer, "kind", kvmintro_page_kind_name(run.kind));
	/* The VMM's page and KVM's mapping disagree: say so, never hide it. */
	if (run.pfn != hpa >> PAGE_SHIFT) {
		kvmintro_record_hex(writer, "host_pfn", run.pfn);
		kvmintro_record_u64(writer, "mismatch", 1);
	}
}

/**
 * kvmintro_stage2_format_error() - the err record of a walk without a leaf
 * @buf:	where it goes
 * @size:	room in @buf
 * @gpa:	the GPA walked
 * @level:	the level of the last entry read
 * @error:	the walk's: 0 (it stopped at a non-present entry), -EINVAL
 *		(beyond the table), -EBADMSG (a reserved entry, arm64) or the
 *		reader's (a table at an address that is not RAM)
 *
 * Return: the record's length, newline included, or -ENOSPC.
 */
int kvmintro_stage2_format_error(char *buf, size_t size, u64 gpa,
				 unsigned int level, int error)
{
	struct kvmintro_record_writer writer;

	kvmintro_record_begin(&writer, buf, size, "err");
	kvmintro_record_hex(&writer, "gpa", gpa);
	if (!error || error == -EBADMSG)
		kvmintro_record_u64(&writer, "level", level);
	kvmintro_record_word(&writer, "reason",
			     !error ? "not-present" :
			     error == -EINVAL ? "beyond-table" :
			     error == -EBADMSG ? "reserved" : "bad-table");
	return kvmintro_record_end(&writer);
}

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
	struct kvmintro_stage2_text t = { .size = PAGE_SIZE };
	struct kvm *kvm;
	int r;

	kvm = kvmintro_vm_access_kvm(vm);
	if (IS_ERR(kvm))
		return PTR_ERR(kvm);
	t.text = kvmalloc(t.size, GFP_KERNEL);
	r = t.text ? kvmintro_arch_stage2_summary(kvm, &t) : -ENOMEM;
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

static const struct file_operations kvmintro_stage2_fops = {
	.owner = THIS_MODULE,
	.open = kvmintro_request_open,
	.read = kvmintro_stage2_read,
	.write = kvmintro_stage2_write,
	.llseek = default_llseek,
};

void kvmintro_debugfs_create_stage2(struct kvmintro_vm *vm)
{
	kvmintro_debugfs_create_file("stage2", 0600, &vm->dir, vm,
				     &kvmintro_stage2_fops);
}
