// SPDX-License-Identifier: GPL-2.0
/*
 * The gpa_hpa file: the whole VM's guest physical to host physical table,
 * one record per run of guest pages backed alike, address space 0.
 *
 * A seq_file iterator whose records are 2 MiB-aligned batches of guest
 * pages, so that a large table streams out without being walked again for
 * every buffer that fills up.  Each read() takes its own reference on the
 * VM and on the VMM's address space, in ->start(), dropped in ->stop().
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "../lib/record.h"
#include "compat.h"
#include "kvmintro.h"
#include "memory.h"

#define KVMINTRO_GPA_HPA_BATCH	512UL
/* Longest record, with room to spare. */
#define KVMINTRO_GPA_HPA_LINE_MAX	192
/* The seq_file buffer: a batch's records take at most 96 KiB. */
#define KVMINTRO_GPA_HPA_SEQ_BUF	(256 << 10)

struct kvmintro_gpa_hpa_iter {
	struct kvmintro_vm *vm;
	struct kvm *kvm;
	struct kvmintro_guest_mem mem;
	bool mem_open;
	/* The current record: a batch of guest pages in one slot. */
	const struct kvmintro_slot_copy *slot;
	gfn_t gfn;
	unsigned long npages;
};

/* Find batch number @index among the slots of address space 0. */
static bool kvmintro_gpa_hpa_seek(struct kvmintro_gpa_hpa_iter *it,
				  loff_t index)
{
	const struct kvmintro_slot_copy *slot;
	gfn_t first, end;
	u64 batches;
	int i;

	for (i = 0; i < it->mem.nr_slots; i++) {
		slot = &it->mem.slots[i];
		if (slot->as_id)
			continue;
		first = ALIGN_DOWN(slot->base_gfn, KVMINTRO_GPA_HPA_BATCH);
		end = slot->base_gfn + slot->npages;
		batches = DIV_ROUND_UP(end - first, KVMINTRO_GPA_HPA_BATCH);
		if (index >= batches) {
			index -= batches;
			continue;
		}
		it->slot = slot;
		it->gfn = max(slot->base_gfn,
			      first + index * KVMINTRO_GPA_HPA_BATCH);
		it->npages = min(end, first + (index + 1) * KVMINTRO_GPA_HPA_BATCH) -
			     it->gfn;
		return true;
	}
	return false;
}

static void *kvmintro_gpa_hpa_start(struct seq_file *m, loff_t *pos)
{
	struct kvmintro_gpa_hpa_iter *it = m->private;
	int r;

	it->kvm = kvmintro_vm_access_kvm(it->vm);
	if (IS_ERR(it->kvm)) {
		r = PTR_ERR(it->kvm);
		it->kvm = NULL;
		return ERR_PTR(r);
	}
	r = kvmintro_guest_mem_open(&it->mem, it->kvm);
	if (r)
		return ERR_PTR(r);
	it->mem_open = true;
	return kvmintro_gpa_hpa_seek(it, *pos) ? it : NULL;
}

static void *kvmintro_gpa_hpa_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct kvmintro_gpa_hpa_iter *it = m->private;

	++*pos;
	return kvmintro_gpa_hpa_seek(it, *pos) ? it : NULL;
}

static void kvmintro_gpa_hpa_stop(struct seq_file *m, void *v)
{
	struct kvmintro_gpa_hpa_iter *it = m->private;

	if (it->mem_open)
		kvmintro_guest_mem_close(&it->mem);
	it->mem_open = false;
	if (it->kvm)
		kvm_put_kvm(it->kvm);
	it->kvm = NULL;
}

/*
 * "4K", "2M", "1G", or "64K" for a smaller folio.  By hand, not with
 * snprintf(): gpa_hpa writes one per run.
 */
void kvmintro_format_page_size(char *buf, size_t size, unsigned int shift)
{
	char text[8], *p = text + sizeof(text);
	unsigned int n;

	shift = clamp(shift, 10U, 69U) - 10;
	*--p = '\0';
	*--p = "KMGTPE"[shift / 10];
	n = 1U << (shift % 10);
	do
		*--p = '0' + n % 10;
	while (n /= 10);
	strscpy(buf, p, size);
}

/*
 * The record of the gpa_hpa table for @run into @buf; its length.  Pages
 * not backed have no hpa, pfn or host_size: "-".
 */
static int kvmintro_format_gpa_hpa_run(char *buf, size_t size,
				       const struct kvmintro_guest_run *run)
{
	struct kvmintro_record_writer writer;
	bool backed = run->kind != KVMINTRO_PAGE_NONE;
	char host_size[16];

	kvmintro_format_page_size(host_size, sizeof(host_size),
				  run->host_shift);
	kvmintro_record_begin(&writer, buf, size, NULL);
	kvmintro_record_hex(&writer, "gpa", (u64)run->gfn << PAGE_SHIFT);
	kvmintro_record_hex(&writer, "npages", run->npages);
	kvmintro_record_hex(&writer, "hva", run->hva);
	if (backed) {
		kvmintro_record_hex(&writer, "hpa", (u64)run->pfn << PAGE_SHIFT);
		kvmintro_record_hex(&writer, "pfn", run->pfn);
		kvmintro_record_word(&writer, "host_size", host_size);
	} else {
		kvmintro_record_none(&writer, "hpa");
		kvmintro_record_none(&writer, "pfn");
		kvmintro_record_none(&writer, "host_size");
	}
	kvmintro_record_word(&writer, "kind", kvmintro_page_kind_name(run->kind));
	return kvmintro_record_end(&writer);
}

static int kvmintro_gpa_hpa_show_run(void *ctx,
				     const struct kvmintro_guest_run *run)
{
	char line[KVMINTRO_GPA_HPA_LINE_MAX];
	int len = kvmintro_format_gpa_hpa_run(line, sizeof(line), run);

	return kvmintro_seq_put_line(ctx, line, len);
}

struct kvmintro_gpa_hpa_text {
	char *text;
	size_t len, size;
	size_t max;
};

static int kvmintro_gpa_hpa_append_run(void *ctx,
				       const struct kvmintro_guest_run *run)
{
	struct kvmintro_gpa_hpa_text *t = ctx;
	char *bigger;
	int len;

	if (t->size - t->len < KVMINTRO_GPA_HPA_LINE_MAX) {
		if (t->size * 2 > t->max)
			return -EFBIG;
		bigger = kvmintro_kvrealloc(t->text, t->size, t->size * 2);
		if (!bigger)
			return -ENOMEM;
		t->text = bigger;
		t->size *= 2;
	}
	len = kvmintro_format_gpa_hpa_run(t->text + t->len, t->size - t->len,
					  run);
	if (WARN_ON_ONCE(len < 0))
		return len;
	t->len += len;
	return 0;
}

/**
 * kvmintro_gpa_hpa_text() - the whole gpa_hpa table as text
 * @kvm:	the VM, referenced by the caller
 * @max:	the most bytes it may take (at least a page)
 * @len:	set to its length
 *
 * Return: kvmalloc()ed text, or ERR_PTR(-errno): -EFBIG if the table does
 * not fit in @max.
 */
char *kvmintro_gpa_hpa_text(struct kvm *kvm, size_t max, size_t *len)
{
	struct kvmintro_gpa_hpa_text t = { .size = PAGE_SIZE, .max = max };
	struct kvmintro_guest_mem mem;
	int r;

	t.text = kvmalloc(t.size, GFP_KERNEL);
	if (!t.text)
		return ERR_PTR(-ENOMEM);
	r = kvmintro_guest_mem_open(&mem, kvm);
	if (!r) {
		r = kvmintro_guest_mem_walk_all_frames(&mem, 0,
						       kvmintro_gpa_hpa_append_run,
						       &t);
		kvmintro_guest_mem_close(&mem);
	}
	if (r) {
		kvfree(t.text);
		return ERR_PTR(r);
	}
	*len = t.len;
	return t.text;
}

static int kvmintro_gpa_hpa_show(struct seq_file *m, void *v)
{
	struct kvmintro_gpa_hpa_iter *it = m->private;

	return kvmintro_guest_mem_walk_frames(&it->mem, it->slot, it->gfn,
					      it->npages,
					      kvmintro_gpa_hpa_show_run, m);
}

static const struct seq_operations kvmintro_gpa_hpa_seq_ops = {
	.start = kvmintro_gpa_hpa_start,
	.next = kvmintro_gpa_hpa_next,
	.stop = kvmintro_gpa_hpa_stop,
	.show = kvmintro_gpa_hpa_show,
};

static int kvmintro_gpa_hpa_open(struct inode *inode, struct file *file)
{
	struct kvmintro_gpa_hpa_iter *it;
	struct seq_file *m;

	it = __seq_open_private(file, &kvmintro_gpa_hpa_seq_ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->vm = inode->i_private;
	/*
	 * Room for several batches from the start, as single_open_size()
	 * gives: seq_file starts with a page and, each time a batch does not
	 * fit, drops it and walks it again into a buffer twice the size.
	 */
	m = file->private_data;
	m->buf = kvmalloc(KVMINTRO_GPA_HPA_SEQ_BUF, GFP_KERNEL_ACCOUNT);
	if (!m->buf) {
		seq_release_private(inode, file);
		return -ENOMEM;
	}
	m->size = KVMINTRO_GPA_HPA_SEQ_BUF;
	return 0;
}

static const struct file_operations kvmintro_gpa_hpa_fops = {
	.owner = THIS_MODULE,
	.open = kvmintro_gpa_hpa_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release_private,
};

void kvmintro_debugfs_create_gpa_hpa(struct kvmintro_vm *vm)
{
	kvmintro_debugfs_create_file("gpa_hpa", 0400, vm->dir, vm,
				     &kvmintro_gpa_hpa_fops);
}
