/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest memory as the host holds it: which host page backs each guest
 * page, found without faulting anything in.
 */
#ifndef KVMINTRO_GUEST_MEMORY_H
#define KVMINTRO_GUEST_MEMORY_H

#include <linux/kvm_host.h>

#include "../lib/format.h"

/**
 * struct kvmintro_slot_copy - a memslot as it was when copied, so that the
 * work on it need not hold kvm->srcu (and so block memslot updates)
 * @as_id:	its address space
 * @id:		its id in the address space
 * @flags:	its KVM_MEM_* flags
 * @base_gfn:	its first guest frame
 * @npages:	its size in pages
 * @hva:	its userspace_addr
 * @gmem_only:	KVM faults its pages in from its guest_memfd alone
 *		(kvmintro_memslot_gmem_only()): they are read from @gmem,
 *		never through @hva
 * @gmem:	that guest_memfd, referenced, or NULL if there is none to
 *		read (see kvmintro_memslot_get_gmem()): then no page is backed
 * @gmem_pgoff:	the page of @gmem where it starts
 */
struct kvmintro_slot_copy {
	u16 as_id;
	u16 id;
	u32 flags;
	gfn_t base_gfn;
	unsigned long npages;
	unsigned long hva;
	bool gmem_only;
	struct file *gmem;
	pgoff_t gmem_pgoff;
};

/*
 * Each memslot of @slots, one address space's set, in GPA order, the
 * order of KVM's own gfn tree.  Caller holds kvm->srcu or kvm->slots_lock.
 */
#define kvmintro_for_each_memslot_by_gpa(slot, node, slots)		\
	for (node = rb_first(&(slots)->gfn_tree);			\
	     node && ((slot) = container_of(node, struct kvm_memory_slot, \
					    gfn_node[(slots)->node_idx]), 1); \
	     node = rb_next(node))

unsigned int kvmintro_memslots_count(struct kvm *kvm, u64 *mem_bytes);
int kvmintro_copy_memslots(struct kvm *kvm,
			   struct kvmintro_slot_copy **slots);
void kvmintro_free_memslots(struct kvmintro_slot_copy *slots, int nr);
struct page *kvmintro_gmem_get_page(struct file *gmem, pgoff_t pgoff,
				    gfn_t base_gfn, gfn_t gfn);
const struct kvmintro_slot_copy *
kvmintro_find_slot(const struct kvmintro_slot_copy *slots, int nr,
		   u16 as_id, gfn_t gfn);

/**
 * struct kvmintro_guest_run - consecutive guest pages backed alike: by
 * nothing, or by physically consecutive host pages of one size and kind
 * @slot:	the memslot they are in
 * @gfn:	first guest frame
 * @npages:	how many
 * @hva:	host virtual address of the first
 * @pfn:	host frame of the first (0 for KVMINTRO_PAGE_NONE)
 * @pages:	the host pages, referenced during the callback; NULL for none,
 *		and in a walk of frames only
 * @host_shift:	log2 of the host page size backing them
 * @kind:	what backs them
 */
struct kvmintro_guest_run {
	const struct kvmintro_slot_copy *slot;
	gfn_t gfn;
	unsigned long npages;
	unsigned long hva;
	unsigned long pfn;
	struct page **pages;
	unsigned int host_shift;
	enum kvmintro_page_kind kind;
};

/* Return 0 to go on, anything else to stop the walk with that value. */
typedef int (*kvmintro_guest_run_fn)(void *ctx,
				     const struct kvmintro_guest_run *run);

/**
 * struct kvmintro_guest_mem - a VM's memory, opened for walks
 * @mm:		the VMM's address space, its users count held
 * @slots:	copies of the VM's memslots, sorted by (as, gpa)
 * @nr_slots:	how many
 * @pages:	room for a batch of pages, allocated by the first walk
 * @frames:	the frames of a chunk of a slot, read from the VMM's page
 *		tables (see kvmintro_read_frames()) or the slot's guest_memfd
 *		(kvmintro_gmem_read_frames()) for walks of frames
 * @frames_slot: the slot they are of
 * @frames_hva:	host address of the first of them
 * @frames_nr:	how many (0: none read)
 *
 * Walks may follow each other on one opened memory (never nest: a run's
 * callback must not walk) and share what the first set up;
 * kvmintro_guest_mem_close() releases it.
 */
struct kvmintro_guest_mem {
	struct mm_struct *mm;
	struct kvmintro_slot_copy *slots;
	int nr_slots;
	struct page **pages;
	unsigned long *frames;
	const struct kvmintro_slot_copy *frames_slot;
	unsigned long frames_hva;
	unsigned long frames_nr;
};

int kvmintro_guest_mem_open(struct kvmintro_guest_mem *mem, struct kvm *kvm);
void kvmintro_guest_mem_close(struct kvmintro_guest_mem *mem);
int kvmintro_guest_mem_walk(struct kvmintro_guest_mem *mem,
			    const struct kvmintro_slot_copy *slot,
			    gfn_t gfn, unsigned long npages,
			    kvmintro_guest_run_fn fn, void *ctx);
int kvmintro_guest_mem_walk_frames(struct kvmintro_guest_mem *mem,
				   const struct kvmintro_slot_copy *slot,
				   gfn_t gfn, unsigned long npages,
				   kvmintro_guest_run_fn fn, void *ctx);
int kvmintro_guest_mem_walk_all(struct kvmintro_guest_mem *mem, int as_id,
				kvmintro_guest_run_fn fn, void *ctx);
int kvmintro_guest_mem_walk_all_frames(struct kvmintro_guest_mem *mem,
				       int as_id, kvmintro_guest_run_fn fn,
				       void *ctx);
int kvmintro_guest_mem_find_page(struct kvmintro_guest_mem *mem, u16 as_id,
				 gfn_t gfn, struct kvmintro_guest_run *run);
ssize_t kvmintro_guest_mem_read(struct kvmintro_guest_mem *mem,
				char __user *ubuf, u64 gpa, size_t count);

/*
 * Frames read at once: 8 MiB of a slot, in one walk of its page tables,
 * served to the batches that follow (16 KiB of entries).  Also the guest
 * memory one record of gpa_hpa's seq_file covers, so that each walk serves
 * one read() (see gpa_hpa.c).
 */
#define KVMINTRO_FRAME_CHUNK	2048

int kvmintro_format_gpa_hpa_run(char *buf, size_t size,
				const struct kvmintro_guest_run *run);
char *kvmintro_gpa_hpa_text(struct kvm *kvm, size_t max, size_t *len);

#endif /* KVMINTRO_GUEST_MEMORY_H */
