// SPDX-License-Identifier: GPL-2.0
/*
 * The gpa_hpa file: the whole VM's guest physical to host physical table,
 * one record per run of guest pages backed alike, address space 0.
 *
 * A seq_file iterator whose records are 8 MiB-aligned batches of guest
 * pages (KVMINTRO_FRAME_CHUNK), so that a large table streams out without
 * being walked again for every buffer that fills up.  Each read() takes its
 * own reference on the VM and on the VMM's address space, in ->start(),
 * dropped in ->stop(), and with them the frames read: a batch is one walk
 * of the VMM's page tables, and what a read() leaves of it in the seq_file
 * buffer is served to the next read() without another walk.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "compat.h"
#include "guest_memory.h"
#include "kvmintro.h"

#define KVMINTRO_GPA_HPA_BATCH	((unsigned long)KVMINTRO_FRAME_CHUNK)
/*
 * The seq_file buffer: a batch's records take up to 240 KiB (2048 runs of
 * one page, of about 115 bytes each); a batch that does not fit makes
 * seq_file try again with twice the room.
 */
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
 * Write @run's record straight into the seq_file buffer, not into a line
 * copied there: one record per 4 KiB page is common (shared memory whose
 * frames descend).  A record that does not fit marks the buffer full, as
 * seq_write() would, and seq_file shows the batch again with more room.
 */
static int kvmintro_gpa_hpa_show_run(void *ctx,
				     const struct kvmintro_guest_run *run)
{
	struct seq_file *m = ctx;
	size_t room;
	char *buf;
	int len;

	room = seq_get_buf(m, &buf);
	len = kvmintro_format_gpa_hpa_run(buf, room, run);
	if (WARN_ON_ONCE(len < 0 && len != -ENOSPC))
		return len;
	seq_commit(m, len);
	return 0;
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

const struct file_operations kvmintro_gpa_hpa_fops = {
	.owner = THIS_MODULE,
	.open = kvmintro_gpa_hpa_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release_private,
};
