// SPDX-License-Identifier: GPL-2.0
/*
 * The mem file: guest physical memory of address space 0, file offset =
 * guest physical address.
 *
 * Reading never faults a page in: a page the guest has not touched reads
 * as zeros, which is what the guest itself would read.  An offset in no
 * memslot is not guest memory: the read stops there, with EIO if nothing
 * was read.  Bytes are copied straight from the page that backs the guest
 * page; no host memory that is not the guest's is ever returned.
 *
 * The file's size is the end of the highest memslot, as of its last open.
 *
 * Writing changes the guest behind its back and is refused unless the
 * module was loaded with allow_write=1.  A write is logged as the guest's
 * own writes are, so that a live migration in progress copies the page
 * again.
 */
#include <linux/debugfs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "guest_memory.h"
#include "kvmintro.h"

static bool allow_write;
module_param(allow_write, bool, 0444);
MODULE_PARM_DESC(allow_write,
		 "Allow writing guest memory through <vm>/mem (default 0: writing a running guest's memory can corrupt it)");

/* The mem file is writable (0600, not 0400) only with allow_write=1. */
bool kvmintro_mem_may_write(void)
{
	return allow_write;
}

static ssize_t kvmintro_mem_read(struct file *file, char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct kvmintro_vm *vm = file_inode(file)->i_private;
	struct kvmintro_guest_mem mem;
	struct kvm *kvm;
	ssize_t r;

	if (*ppos < 0 || *ppos + count < (u64)*ppos)
		return -EINVAL;
	if (!count)
		return 0;
	kvm = kvmintro_vm_access_kvm(vm);
	if (IS_ERR(kvm))
		return PTR_ERR(kvm);
	r = kvmintro_guest_mem_open(&mem, kvm);
	if (!r) {
		r = kvmintro_guest_mem_read(&mem, ubuf, *ppos, count);
		kvmintro_guest_mem_close(&mem);
	}
	kvm_put_kvm(kvm);
	if (r > 0)
		*ppos += r;
	return r;
}

/*
 * Write one page's worth at @gpa, in @slot.  The page is faulted in if need
 * be, but in a slot whose pages KVM faults in from a guest_memfd: only KVM
 * adds pages to that, so a page it has not added (or cleared) yet is -EIO.
 */
static int kvmintro_mem_write_page(struct mm_struct *mm,
				   const struct kvmintro_slot_copy *slot,
				   u64 gpa, const char __user *ubuf, size_t len)
{
	gfn_t gfn = gpa >> PAGE_SHIFT;
	unsigned long hva = slot->hva + ((gfn - slot->base_gfn) << PAGE_SHIFT);
	struct page *page;
	void *kaddr;
	long got;
	int r;

	if (slot->gmem_only) {
		page = kvmintro_gmem_get_page(slot->gmem, slot->gmem_pgoff,
					      slot->base_gfn, gfn);
		if (!page)
			return -EIO;
	} else {
		r = mmap_read_lock_killable(mm);
		if (r)
			return r;
		got = kvmintro_get_user_pages_remote(mm, hva, 1, FOLL_WRITE,
						     &page);
		mmap_read_unlock(mm);
		if (got != 1)
			return got < 0 ? got : -EFAULT;
	}
	kaddr = kmap_local_page(page);
	r = copy_from_user(kaddr + (gpa & ~PAGE_MASK), ubuf, len) ? -EFAULT : 0;
	kunmap_local(kaddr);
	set_page_dirty_lock(page);
	put_page(page);
	return r;
}

/*
 * Log a write to guest page @gfn where KVM logs the guest's own: the bit of
 * the page in its memslot's dirty bitmap, while the VMM has dirty logging
 * on for the slot.  A VM that logs into per-vcpu rings instead has no
 * bitmap, and no vcpu of it runs here to log into: with @check, say so
 * before anything is written (-EBUSY) rather than lose the write.
 */
static int kvmintro_mem_log_dirty(struct kvm *kvm, gfn_t gfn, bool check)
{
	struct kvm_memory_slot *slot;
	int idx, r = 0;

	idx = srcu_read_lock(&kvm->srcu);
	slot = __gfn_to_memslot(kvm_memslots(kvm), gfn);
	if (slot && (slot->flags & KVM_MEM_LOG_DIRTY_PAGES)) {
		if (!slot->dirty_bitmap)
			r = -EBUSY;
		else if (!check)
			set_bit_le(gfn - slot->base_gfn, slot->dirty_bitmap);
	}
	srcu_read_unlock(&kvm->srcu, idx);
	return r;
}

static ssize_t kvmintro_mem_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct kvmintro_vm *vm = file_inode(file)->i_private;
	const struct kvmintro_slot_copy *slot;
	struct kvmintro_guest_mem mem;
	u64 gpa = *ppos, end = *ppos + count;
	struct kvm *kvm;
	size_t chunk;
	int r = 0;

	if (!allow_write)
		return -EPERM;
	r = kvmintro_lockdown_check_mem_write();
	if (r)
		return r;
	if (*ppos < 0 || end < gpa)
		return -EINVAL;
	kvm = kvmintro_vm_access_kvm(vm);
	if (IS_ERR(kvm))
		return PTR_ERR(kvm);
	r = kvmintro_guest_mem_open(&mem, kvm);
	if (r)
		goto out_put_kvm;
	while (gpa < end) {
		slot = kvmintro_find_slot(mem.slots, mem.nr_slots, 0,
					  gpa >> PAGE_SHIFT);
		if (!slot || (slot->flags & KVM_MEM_READONLY)) {
			r = -EIO;
			break;
		}
		chunk = min_t(u64, PAGE_SIZE - (gpa & ~PAGE_MASK), end - gpa);
		r = kvmintro_mem_log_dirty(kvm, gpa >> PAGE_SHIFT, true);
		if (r)
			break;
		r = kvmintro_mem_write_page(mem.mm, slot, gpa,
					    ubuf + (gpa - *ppos), chunk);
		if (r)
			break;
		kvmintro_mem_log_dirty(kvm, gpa >> PAGE_SHIFT, false);
		gpa += chunk;
	}
	kvmintro_guest_mem_close(&mem);
out_put_kvm:
	kvm_put_kvm(kvm);
	if (gpa == (u64)*ppos)
		return r;
	count = gpa - *ppos;
	*ppos = gpa;
	return count;
}

/*
 * Give the file the size of guest physical memory (the end of the highest
 * memslot), so that tools that check offsets against the size, such as
 * dd skip=, work.
 */
static int kvmintro_mem_open(struct inode *inode, struct file *file)
{
	struct kvmintro_slot_copy *slots;
	struct kvm *kvm;
	u64 end = 0;
	int i, n;

	if (file->f_mode & FMODE_WRITE) {
		n = kvmintro_lockdown_check_mem_write();
		if (n)
			return n;
	}
	kvm = kvmintro_vm_access_kvm(inode->i_private);
	if (IS_ERR(kvm))
		return PTR_ERR(kvm);
	n = kvmintro_copy_memslots(kvm, &slots);
	kvm_put_kvm(kvm);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++)
		if (!slots[i].as_id)
			end = max_t(u64, end, (u64)(slots[i].base_gfn +
						    slots[i].npages) << PAGE_SHIFT);
	kvmintro_free_memslots(slots, n);
	i_size_write(inode, end);
	return simple_open(inode, file);
}

const struct file_operations kvmintro_mem_fops = {
	.owner = THIS_MODULE,
	.open = kvmintro_mem_open,
	.read = kvmintro_mem_read,
	.write = kvmintro_mem_write,
	.llseek = default_llseek,
};
