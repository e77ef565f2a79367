// SPDX-License-Identifier: GPL-2.0
/*
 * The translate file: write guest physical addresses (or gfn=N), read one
 * reply record each, in the format users of the older gfn_to_pfn tools
 * know:
 *
 *   ok phys=0x1ad725234 kind=base gpa=0x1234 hva=0x7f..234 pfn=0x1ad725 size=4K
 *   err gpa=0x5000000000 reason=no-memslot
 *
 * Looking an address up never faults the page in: a page the guest never
 * touched is "not-backed".  Each write answers every address written to
 * the same open file so far (a shell's multi-line printf arrives as one
 * write per line); the replies of the latest write are kept per VM.
 */
#include <linux/debugfs.h>
#include <linux/slab.h>

#include "../lib/format.h"
#include "../lib/parse.h"
#include "../lib/record.h"
#include "guest_memory.h"
#include "kvmintro.h"
#include "reply.h"

/* Longest reply record, with room to spare. */
#define KVMINTRO_TRANSLATE_LINE_MAX	192

/*
 * The reply record for @gpa into @line: ok, or err with the reason.
 * Return its length, or -errno.
 */
static int kvmintro_translate_one(struct kvmintro_guest_mem *mem, u64 gpa,
				  char *line, size_t size)
{
	struct kvmintro_record_writer writer;
	struct kvmintro_guest_run run;
	u64 offset = gpa & ~PAGE_MASK;
	int r;

	r = kvmintro_guest_mem_find_page(mem, 0, gpa >> PAGE_SHIFT, &run);
	if (r && r != -ENOENT)
		return r;
	if (r || run.kind == KVMINTRO_PAGE_NONE) {
		kvmintro_record_begin(&writer, line, size, "err");
		kvmintro_record_hex(&writer, "gpa", gpa);
		kvmintro_record_word(&writer, "reason",
				     r ? "no-memslot" : "not-backed");
		return kvmintro_record_end(&writer);
	}
	kvmintro_record_begin(&writer, line, size, "ok");
	kvmintro_record_hex(&writer, "phys",
			    ((u64)run.pfn << PAGE_SHIFT) + offset);
	kvmintro_record_word(&writer, "kind",
			     kvmintro_page_kind_name(run.kind));
	kvmintro_record_hex(&writer, "gpa", gpa);
	kvmintro_record_hex(&writer, "hva", (u64)run.hva + offset);
	kvmintro_record_hex(&writer, "pfn", run.pfn);
	kvmintro_record_size_word(&writer, "size", run.host_shift);
	return kvmintro_record_end(&writer);
}

static ssize_t kvmintro_translate_write(struct file *file,
					const char __user *ubuf, size_t count,
					loff_t *ppos)
{
	struct kvmintro_vm *vm = file_inode(file)->i_private;
	u64 gpas[KVMINTRO_TRANSLATE_MAX];
	struct kvmintro_request *request;
	struct kvmintro_guest_mem mem;
	size_t len = 0, size, old_len;
	struct kvm *kvm;
	char *text;
	int n, i, r;

	/* Everything written to this open file: a shell writes line by line. */
	request = kvmintro_request_append(&vm->translate, file, ubuf, count,
					  KVMINTRO_TRANSLATE_INPUT_MAX,
					  &old_len);
	if (IS_ERR(request))
		return PTR_ERR(request);
	n = kvmintro_parse_addresses(request->text, request->len, gpas,
				     KVMINTRO_TRANSLATE_MAX);
	r = -EINVAL;
	if (n < 0)
		goto out_done;

	kvm = kvmintro_vm_access_kvm(vm);
	r = PTR_ERR_OR_ZERO(kvm);
	if (r)
		goto out_done;
	r = kvmintro_guest_mem_open(&mem, kvm);
	if (r)
		goto out_put_kvm;
	size = n * KVMINTRO_TRANSLATE_LINE_MAX;
	text = kvmalloc(size, GFP_KERNEL);
	r = -ENOMEM;
	if (!text)
		goto out_close;
	for (i = 0; i < n; i++) {
		r = kvmintro_translate_one(&mem, gpas[i], text + len,
					   size - len);
		if (r < 0)
			break;
		len += r;
	}
	if (r < 0) {
		kvfree(text);
		goto out_close;
	}

	mutex_lock(&vm->translate.lock);
	kvmintro_reply_set(&vm->translate, text, len);
	mutex_unlock(&vm->translate.lock);
	r = 0;
out_close:
	kvmintro_guest_mem_close(&mem);
out_put_kvm:
	kvm_put_kvm(kvm);
out_done:
	if (r)
		kvmintro_request_undo(request, old_len);
	kvmintro_request_done(&vm->translate);
	return r ? r : count;
}

static ssize_t kvmintro_translate_read(struct file *file, char __user *ubuf,
				       size_t count, loff_t *ppos)
{
	struct kvmintro_vm *vm = file_inode(file)->i_private;
	int r = kvmintro_vm_check_access(vm);

	return r ? r : kvmintro_reply_read(&vm->translate, ubuf, count, ppos);
}

const struct file_operations kvmintro_translate_fops = {
	.owner = THIS_MODULE,
	.open = kvmintro_request_open,
	.read = kvmintro_translate_read,
	.write = kvmintro_translate_write,
	.llseek = default_llseek,
};
