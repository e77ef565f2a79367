// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory as the host holds it.
 *
 * Host pages are found with get_user_pages_remote() on the VMM's mm and
 * FOLL_NOFAULT: a guest page the host has not backed yet stays unbacked,
 * nothing is faulted in.  References (FOLL_GET), not pins, and no
 * FOLL_WRITE: a read-only pin (FOLL_PIN) of an anonymous page that is
 * shared copy-on-write (after fork(), or merged by KSM) would unshare it,
 * changing the VMM's memory; a reference never does.  References are held
 * only while one batch of pages is handed to the caller, and mmap_lock
 * never while the caller runs, so the caller may copy to user space (even
 * when the reader is the VMM itself).
 *
 * Also the gpa_hpa record of a run, which the gpa_hpa file streams and a
 * capture keeps (kvmintro_gpa_hpa_text()).
 *
 * A walk of frames only (kvmintro_guest_mem_walk_frames(), for tables of
 * where guest memory lies) takes no reference at all: it reads the VMM's
 * page tables itself, under mmap_read_lock() and without the page table
 * locks /proc/<pid>/pagemap takes, the way GUP-fast and hmm_range_fault()
 * read them, faulting nothing in, splitting nothing.  GUP walks the page
 * table from its root and takes a reference for every 4 KiB page; this
 * walk reads each page table page once, in a loop of a few instructions
 * per entry.  What it reads is a snapshot as racy as
 * pagemap's: an entry may change as soon as it is read.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "../lib/format.h"
#include "../lib/record.h"
#include "compat.h"
#include "guest_memory.h"
#include "kvmintro.h"
#include "text.h"

/* Pages looked up at once: 2 MiB of guest memory, one huge page. */
#define KVMINTRO_GUP_BATCH	512

/*
 * An entry of a walk of frames (struct kvmintro_guest_mem's @frames): 0 for
 * a page not backed (or not memory with struct pages), else valid, the
 * order of the mapping (2^order pages, aligned, physically consecutive: 0
 * for a PTE, PMD or PUD order for a huge mapping) and the frame.  Only
 * these bits: an entry of a base page at frame pfn is exactly
 * KVMINTRO_FRAME_VALID | pfn.
 */
#define KVMINTRO_FRAME_VALID		(1UL << 63)
#define KVMINTRO_FRAME_ORDER_SHIFT	56
#define KVMINTRO_FRAME_ORDER_MASK	(0x1fUL << KVMINTRO_FRAME_ORDER_SHIFT)
#define KVMINTRO_FRAME_PFN_MASK		((1UL << KVMINTRO_FRAME_ORDER_SHIFT) - 1)

/* Slots in one memslot set, as read once under kvm->srcu. */
static unsigned int kvmintro_memslots_nr(struct kvm_memslots *memslots)
{
	unsigned int n = 0;
	struct rb_node *node;

	for (node = rb_first(&memslots->gfn_tree); node; node = rb_next(node))
		n++;
	return n;
}

/**
 * kvmintro_memslots_count() - count a VM's memory slots
 * @kvm:	the VM, referenced by the caller
 * @mem_bytes:	set to the bytes of guest memory in address space 0,
 *		KVM's own internal slots excluded
 *
 * Return: the number of slots in all address spaces.
 */
unsigned int kvmintro_memslots_count(struct kvm *kvm, u64 *mem_bytes)
{
	struct kvm_memory_slot *slot;
	struct kvm_memslots *slots;
	unsigned int count = 0;
	struct rb_node *node;
	int as_id, idx;

	*mem_bytes = 0;
	idx = srcu_read_lock(&kvm->srcu);
	for (as_id = 0; as_id < kvmintro_nr_address_spaces(kvm); as_id++) {
		slots = __kvm_memslots(kvm, as_id);
		kvmintro_for_each_memslot_by_gpa(slot, node, slots) {
			count++;
			if (as_id == 0 && slot->id < KVM_USER_MEM_SLOTS)
				*mem_bytes += (u64)slot->npages << PAGE_SHIFT;
		}
	}
	srcu_read_unlock(&kvm->srcu, idx);
	return count;
}

/**
 * kvmintro_copy_memslots() - copy every memslot of a VM
 * @kvm:	the VM, referenced by the caller
 * @out:	set to the kvmalloc()ed copies, sorted by (as, gpa)
 *
 * Each address space's set is read once, under kvm->srcu: KVM swaps in a
 * new set whenever the VMM changes a slot, but never changes a set while a
 * reader may still hold it.  Counting through one read and copying through
 * another could see two different sets; this counts and copies the same.
 *
 * The guest_memfd of a slot whose pages KVM faults in from it alone is
 * referenced: kvmintro_free_memslots() releases the copies.
 *
 * Return: the number of slots, or -ENOMEM.
 */
int kvmintro_copy_memslots(struct kvm *kvm, struct kvmintro_slot_copy **out)
{
	struct kvmintro_slot_copy *slots = NULL, *bigger;
	unsigned int n = 0, nr, size = 0;
	struct kvm_memory_slot *slot;
	struct kvm_memslots *memslots;
	struct rb_node *node;
	int as_id, idx;

	idx = srcu_read_lock(&kvm->srcu);
	for (as_id = 0; as_id < kvmintro_nr_address_spaces(kvm); as_id++) {
		memslots = __kvm_memslots(kvm, as_id);
		nr = kvmintro_memslots_nr(memslots);
		bigger = kvmintro_kvrealloc(slots, size * sizeof(*slots),
					    (n + nr ?: 1) * sizeof(*slots));
		if (!bigger) {
			srcu_read_unlock(&kvm->srcu, idx);
			kvmintro_free_memslots(slots, n);
			return -ENOMEM;
		}
		slots = bigger;
		size = n + nr ?: 1;
		kvmintro_for_each_memslot_by_gpa(slot, node, memslots) {
			if (WARN_ON_ONCE(n == size))
				break;
			slots[n++] = (struct kvmintro_slot_copy) {
				.as_id = as_id,
				.id = slot->id,
				.flags = kvmintro_memslot_uapi_flags(slot),
				.base_gfn = slot->base_gfn,
				.npages = slot->npages,
				.hva = slot->userspace_addr,
				.gmem_only = kvmintro_memslot_gmem_only(slot),
			};
			slots[n - 1].gmem =
				kvmintro_memslot_get_gmem(kvm, slot,
							  &slots[n - 1].gmem_pgoff);
		}
	}
	srcu_read_unlock(&kvm->srcu, idx);
	*out = slots;
	return n;
}

/* Release what kvmintro_copy_memslots() returned: @nr slots at @slots. */
void kvmintro_free_memslots(struct kvmintro_slot_copy *slots, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		if (slots[i].gmem)
			fput(slots[i].gmem);
	kvfree(slots);
}

const struct kvmintro_slot_copy *
kvmintro_find_slot(const struct kvmintro_slot_copy *slots, int nr,
		   u16 as_id, gfn_t gfn)
{
	int i;

	for (i = 0; i < nr; i++) {
		if (slots[i].as_id == as_id && gfn >= slots[i].base_gfn &&
		    gfn - slots[i].base_gfn < slots[i].npages)
			return &slots[i];
	}
	return NULL;
}

/**
 * kvmintro_guest_mem_open() - get ready to walk a VM's memory
 * @mem:	to fill in
 * @kvm:	the VM, referenced by the caller
 *
 * Return: 0; -ESRCH if the VMM's address space is gone (it exited).
 */
int kvmintro_guest_mem_open(struct kvmintro_guest_mem *mem, struct kvm *kvm)
{
	int n;

	*mem = (struct kvmintro_guest_mem) {};
	if (!mmget_not_zero(kvm->mm))
		return -ESRCH;
	mem->mm = kvm->mm;
	n = kvmintro_copy_memslots(kvm, &mem->slots);
	if (n < 0) {
		mmput(mem->mm);
		return n;
	}
	mem->nr_slots = n;
	return 0;
}

void kvmintro_guest_mem_close(struct kvmintro_guest_mem *mem)
{
	kvfree(mem->frames);
	kfree(mem->pages);
	kvmintro_free_memslots(mem->slots, mem->nr_slots);
	mmput(mem->mm);
}

/*
 * Look up the host pages behind @nr pages at @hva, NULL where there is
 * none.  On success every non-NULL entry holds a reference.
 */
static int kvmintro_get_host_pages(struct mm_struct *mm, unsigned long hva,
				   unsigned long nr, struct page **pages)
{
	unsigned long done = 0, i;
	long got;
	int r;

	r = mmap_read_lock_killable(mm);
	if (r)
		return r;
	while (done < nr) {
		/*
		 * FOLL_FORCE, as /proc/<pid>/mem reads: a page that NUMA
		 * balancing made inaccessible for a while (protnone) is read,
		 * not taken for unbacked (6.1 honours NUMA hinting faults
		 * unless FOLL_FORCE).  Without FOLL_WRITE it changes nothing.
		 */
		got = kvmintro_get_user_pages_remote(mm, hva + done * PAGE_SIZE,
						     nr - done,
						     FOLL_NOFAULT | FOLL_FORCE,
						     pages + done);
		if (got > 0) {
			done += got;
			continue;
		}
		if (got && got != -EFAULT) {
			r = got;
			break;
		}
		/* Not backed, or not mapped at all: no page. */
		pages[done++] = NULL;
	}
	mmap_read_unlock(mm);

	if (r) {
		for (i = 0; i < done; i++)
			if (pages[i])
				put_page(pages[i]);
	}
	return r;
}

/**
 * kvmintro_gmem_get_page() - a page of a guest_memfd, to read
 * @gmem:	the guest_memfd of a slot (see kvmintro_memslot_get_gmem()),
 *		or NULL
 * @pgoff:	the page of @gmem where the slot starts
 * @base_gfn:	the slot's first guest frame
 * @gfn:	the guest frame
 *
 * A lookup in the file's page cache: unlike KVM's own, it creates no page
 * and clears none, and it does not sleep (the translation hypercall calls
 * it too).
 *
 * Return: the page, referenced, or NULL: no @gmem, no page there yet, one
 * KVM has not cleared yet (not uptodate, as fallocate() leaves it: it may
 * still hold what its last user left), or a poisoned one.
 */
struct page *kvmintro_gmem_get_page(struct file *gmem, pgoff_t pgoff,
				    gfn_t base_gfn, gfn_t gfn)
{
	pgoff_t index = pgoff + (gfn - base_gfn);
	struct folio *folio;
	struct page *page;

	if (!gmem)
		return NULL;
	folio = kvmintro_filemap_folio(gmem->f_mapping, index);
	if (!folio)
		return NULL;
	page = folio_file_page(folio, index);
	if (!folio_test_uptodate(folio) || PageHWPoison(page)) {
		folio_put(folio);
		return NULL;
	}
	return page;
}

/*
 * Look up the host pages behind @nr pages of @slot from @gfn on, NULL
 * where there is none, as kvmintro_get_host_pages() does: in the slot's
 * guest_memfd if KVM faults them in from there, else in the VMM's page
 * tables at @hva.
 */
static int kvmintro_get_slot_pages(struct mm_struct *mm,
				   const struct kvmintro_slot_copy *slot,
				   gfn_t gfn, unsigned long hva,
				   unsigned long nr, struct page **pages)
{
	unsigned long i;

	if (!slot->gmem_only)
		return kvmintro_get_host_pages(mm, hva, nr, pages);
	for (i = 0; i < nr; i++)
		pages[i] = kvmintro_gmem_get_page(slot->gmem, slot->gmem_pgoff,
						  slot->base_gfn, gfn + i);
	return 0;
}

/*
 * How many of @pages, from the first, are consecutive pages of the first
 * one's folio: handled, and released, as one.
 */
static unsigned long kvmintro_folio_span(struct page **pages,
					 unsigned long nr)
{
	struct folio *folio = page_folio(pages[0]);
	unsigned long n, span;

	span = folio_nr_pages(folio) - folio_page_idx(folio, pages[0]);
	span = min(span, nr);
	for (n = 1; n < span &&
		    pages[n] == kvmintro_folio_nth_page(pages[0], n); n++)
		;
	return n;
}

static void kvmintro_put_host_pages(struct page **pages, unsigned long nr)
{
	unsigned long i = 0, n;

	while (i < nr) {
		if (!pages[i]) {
			i++;
			continue;
		}
		n = kvmintro_folio_span(&pages[i], nr - i);
		folio_put_refs(page_folio(pages[i]), n);
		i += n;
	}
}

/* What backs @page; @pfn its frame, @shift the host page size. */
static void kvmintro_classify(struct page *page, unsigned long *pfn,
			      enum kvmintro_page_kind *kind,
			      unsigned int *shift)
{
	struct folio *folio;

	*shift = PAGE_SHIFT;
	if (!page) {
		*pfn = 0;
		*kind = KVMINTRO_PAGE_NONE;
		return;
	}
	*pfn = page_to_pfn(page);
	if (is_zero_pfn(*pfn)) {
		*kind = KVMINTRO_PAGE_ZERO;
		return;
	}
	/* Most pages of a guest on 4 KiB pages: no folio to look up. */
	if (!PageCompound(page)) {
		*kind = KVMINTRO_PAGE_BASE;
		return;
	}
	folio = page_folio(page);
	*shift = PAGE_SHIFT + folio_order(folio);
	if (folio_test_hugetlb(folio))
		*kind = KVMINTRO_PAGE_HUGETLB;
	else if (folio_test_large(folio))
		*kind = KVMINTRO_PAGE_THP;
	else
		*kind = KVMINTRO_PAGE_BASE;
}

/*
 * The page of an entry of a walk of frames, or NULL: not backed, or not
 * memory with struct pages (VM_IO or VM_PFNMAP, a special PTE), which GUP
 * would not give either.
 */
static struct page *kvmintro_frame_page(unsigned long frame)
{
	if (!(frame & KVMINTRO_FRAME_VALID))
		return NULL;
	return pfn_to_page(frame & KVMINTRO_FRAME_PFN_MASK);
}

static unsigned int kvmintro_frame_order(unsigned long frame)
{
	return (frame & KVMINTRO_FRAME_ORDER_MASK) >>
	       KVMINTRO_FRAME_ORDER_SHIFT;
}

/*
 * How many of @nr pages from @hva on the mapping of the first covers: a
 * page table entry maps 2^@order pages, aligned, physically consecutive.
 */
static unsigned long kvmintro_mapping_span(unsigned long hva,
					   unsigned int order,
					   unsigned long nr)
{
	unsigned long left = (1UL << order) -
			     ((hva >> PAGE_SHIFT) & ((1UL << order) - 1));

	return min(left, nr);
}

/*
 * Where a run that @frames[@i] would extend ends, before @nr: a run of
 * base pages (not the zero page, not of a large folio) from frame @pfn on,
 * or of pages not backed (@pfn ignored) when @backed is false.  The same
 * test as kvmintro_frame_page(), kvmintro_classify() and kvmintro_emit_runs()
 * make, in fewer steps per page: on a guest on 4 KiB pages this loop is
 * most of gpa_hpa's own cost, which has to stay below a read of pagemap.
 *
 * One step fewer: a large folio is naturally aligned (its first frame a
 * multiple of its size), so the frame after a base page can be part of one
 * only as its head, at an even frame.  Only even frames need their struct
 * page read.
 */
static unsigned long kvmintro_frames_run_end(const unsigned long *frames,
					     unsigned long i, unsigned long nr,
					     bool backed, unsigned long pfn)
{
	if (!backed) {
		while (i < nr && !frames[i])
			i++;
		return i;
	}
	for (; i < nr; i++, pfn++) {
		/* Valid, order 0, frame @pfn: nothing else is in an entry. */
		if (frames[i] != (KVMINTRO_FRAME_VALID | pfn) ||
		    is_zero_pfn(pfn) ||
		    (!(pfn & 1) && PageCompound(pfn_to_page(pfn))))
			break;
	}
	return i;
}

/*
 * Hand @nr looked-up pages at @hva to @fn as runs of pages backed alike:
 * @pages, referenced, or, for a walk of frames, @frames as
 * kvmintro_read_frames() filled them in (and then the runs carry no pages).
 * Pages of one folio, or of one huge mapping, are classified once: a guest
 * on huge pages costs per huge page, not per 4 KiB page.  Frames are not
 * referenced, and may be freed and reused under us: what they are is read
 * as /proc/kpageflags reads it, racily.
 */
static int kvmintro_emit_runs(const struct kvmintro_slot_copy *slot,
			      gfn_t gfn, unsigned long hva,
			      struct page **pages,
			      const unsigned long *frames,
			      unsigned long nr, kvmintro_guest_run_fn fn,
			      void *ctx)
{
	struct kvmintro_guest_run run = { .slot = slot };
	enum kvmintro_page_kind kind;
	unsigned long i = 0, n, pfn;
	unsigned int shift;
	struct page *page;
	int r;

	while (i < nr) {
		if (frames) {
			page = kvmintro_frame_page(frames[i]);
			n = page && kvmintro_frame_order(frames[i]) ?
			    kvmintro_mapping_span(hva + i * PAGE_SIZE,
					kvmintro_frame_order(frames[i]),
					nr - i) : 1;
		} else {
			page = pages[i];
			n = page ? kvmintro_folio_span(&pages[i], nr - i) : 1;
		}
		kvmintro_classify(page, &pfn, &kind, &shift);
		if (run.npages && kind == run.kind && shift == run.host_shift &&
		    (kind == KVMINTRO_PAGE_NONE || pfn == run.pfn + run.npages)) {
			run.npages += n;
			i += n;
			continue;
		}
		if (run.npages) {
			r = fn(ctx, &run);
			if (r)
				return r;
		}
		run.gfn = gfn + i;
		run.hva = hva + i * PAGE_SIZE;
		run.pfn = pfn;
		run.pages = frames ? NULL : &pages[i];
		run.npages = n;
		run.host_shift = shift;
		run.kind = kind;
		i += n;
		if (frames && shift == PAGE_SHIFT &&
		    (kind == KVMINTRO_PAGE_BASE || kind == KVMINTRO_PAGE_NONE)) {
			n = kvmintro_frames_run_end(frames, i, nr,
						    kind == KVMINTRO_PAGE_BASE,
						    pfn + run.npages);
			run.npages += n - i;
			i = n;
		}
	}
	return run.npages ? fn(ctx, &run) : 0;
}

/* The entries from @addr to @end of pages not backed: 0. */
static void kvmintro_clear_frames(unsigned long *frames, unsigned long addr,
				  unsigned long end)
{
	memset(frames, 0, ((end - addr) >> PAGE_SHIFT) * sizeof(*frames));
}

/*
 * The entries from @addr to @end of a huge mapping of 2^@shift bytes at
 * frame @pfn (a PUD or PMD leaf), into @frames: each the mapping's order
 * and its own frame; or 0, not backed, if pfn_valid() refuses @pfn (a huge
 * pfnmap, special, in a VM_MIXEDMAP VMA, since 6.12: no struct pages).
 */
static void kvmintro_fill_frames(unsigned long *frames, unsigned long pfn,
				 unsigned int shift, unsigned long addr,
				 unsigned long end)
{
	unsigned long nr = (end - addr) >> PAGE_SHIFT, i, frame;
	unsigned long order = shift - PAGE_SHIFT;

	if (!pfn_valid(pfn)) {
		kvmintro_clear_frames(frames, addr, end);
		return;
	}
	frame = KVMINTRO_FRAME_VALID | order << KVMINTRO_FRAME_ORDER_SHIFT |
		(pfn + ((addr & ((1UL << shift) - 1)) >> PAGE_SHIFT));
	for (i = 0; i < nr; i++)
		frames[i] = frame + i;
}

/*
 * The entries of the PTE table @pmd points to, from @addr to @end (inside
 * it), into @frames: a page is backed if its PTE is
 * present (a NUMA-protnone one too, as pagemap reports it) and maps
 * memory with a struct page (not special, but for the zero page).  @pmd is
 * the entry's value as read once: the table is found from that value, as
 * __pte_offset_map() finds it, not read again through the PMD.
 */
static void kvmintro_read_ptes(pmd_t pmd, unsigned long addr,
			       unsigned long end, unsigned long *frames)
{
	pte_t *ptep = pte_offset_kernel(&pmd, addr);
	pte_t pte;

	for (; addr < end; addr += PAGE_SIZE, ptep++, frames++) {
		pte = ptep_get(ptep);
		*frames = pte_present(pte) &&
			  (!pte_special(pte) || is_zero_pfn(pte_pfn(pte))) ?
			  KVMINTRO_FRAME_VALID | pte_pfn(pte) : 0;
	}
}

/*
 * Read the VMM's page tables from @addr to @end, inside one VMA that maps
 * memory with struct pages, into @frames (@frames[0] is @addr's), the way
 * GUP-fast reads them: each entry read once, a level's table found from
 * the value read, without any page table lock (pagemap takes them); a huge
 * mapping (a PUD or PMD leaf: hugetlb, THP) fills its entries, each with
 * the mapping's order; what is not mapped, 0.  Nothing is faulted in, split, or
 * referenced.  Every entry is written once: no pass clears the chunk
 * first (a memset() of 16 KiB per 8 MiB cost as much as reading a huge
 * mapping's entries, on the instruction-counted clock of bench/).
 *
 * Caller holds mmap_read_lock(@mm) and a users count of @mm, under which no
 * page table of a live VMA is freed (munmap() detaches the VMAs first, the
 * VMM's exit waits for the count), but for two that are freed without
 * mmap_lock: a PTE table khugepaged retracts (since 6.5), freed after an
 * RCU grace period, and a PMD table hugetlb stops sharing, freed after an
 * IPI to every CPU (tlb_remove_table_sync_one(), "mm/hugetlb: fix
 * huge_pmd_unshare() vs GUP-fast race", 6.2 and 6.1.y).  Every descent
 * from the PGD down runs with interrupts off, which holds off both.  This
 * mm is not the current one, so a flush IPI sent only to its CPUs would
 * not be held off: nothing else is freed that way under mmap_read_lock.
 * One descent per PMD, each entry of its PTE table in a loop of a few
 * instructions.
 */
static void kvmintro_read_frames(struct mm_struct *mm, unsigned long addr,
				 unsigned long end, unsigned long *frames)
{
	pgd_t *pgdp, pgd;
	p4d_t *p4dp, p4d;
	pud_t *pudp, pud;
	pmd_t *pmdp, pmd;
	unsigned long next, flags;

	for (; addr < end; frames += (next - addr) >> PAGE_SHIFT, addr = next) {
		next = pmd_addr_end(addr, end);
		local_irq_save(flags);
		pgdp = pgd_offset(mm, addr);
		pgd = READ_ONCE(*pgdp);
		if (pgd_none(pgd) || pgd_bad(pgd))
			goto hole;
		p4dp = p4d_offset_lockless(pgdp, pgd, addr);
		p4d = READ_ONCE(*p4dp);
		if (p4d_none(p4d) || p4d_bad(p4d))
			goto hole;
		pudp = pud_offset_lockless(p4dp, p4d, addr);
		pud = READ_ONCE(*pudp);
		if (!pud_present(pud))
			goto hole;
		if (pud_leaf(pud)) {
			kvmintro_fill_frames(frames, pud_pfn(pud), PUD_SHIFT,
					     addr, next);
			goto done;
		}
		if (pud_bad(pud))
			goto hole;
		pmdp = pmd_offset_lockless(pudp, pud, addr);
		pmd = kvmintro_pmdp_get_lockless(pmdp);
		if (!pmd_present(pmd))
			goto hole;
		if (pmd_leaf(pmd)) {
			kvmintro_fill_frames(frames, pmd_pfn(pmd), PMD_SHIFT,
					     addr, next);
			goto done;
		}
		if (!pmd_bad(pmd)) {
			kvmintro_read_ptes(pmd, addr, next, frames);
			goto done;
		}
hole:
		kvmintro_clear_frames(frames, addr, next);
done:
		local_irq_restore(flags);
	}
}

/*
 * The frames of @folio's pages from page @first of the file on, up to page
 * @last, into @frames, whose entry 0 is page @index's; @folio referenced.
 * A page not uptodate (not cleared by KVM yet) or poisoned stays 0.  Each
 * entry has order 0: a folio's pages are classified one by one, whatever
 * the slot's alignment in the file.
 */
static void kvmintro_gmem_folio_frames(struct folio *folio, pgoff_t first,
				       pgoff_t index, pgoff_t last,
				       unsigned long *frames)
{
	pgoff_t start = folio->index, n = folio_nr_pages(folio), i;
	unsigned long pfn;

	if (first < start || first - start >= n || !folio_test_uptodate(folio))
		return;
	pfn = folio_pfn(folio) + (first - start);
	n = min(start + n - 1, last) - first + 1;
	for (i = 0; i < n; i++, pfn++)
		if (!PageHWPoison(pfn_to_page(pfn)))
			frames[first - index + i] = KVMINTRO_FRAME_VALID | pfn;
}

/*
 * The frames of @nr pages of the guest_memfd @gmem from page @index on,
 * into @frames, as kvmintro_gmem_get_page() would find them: a page the
 * file does not hold, holds not uptodate or poisoned is 0.  Read from the
 * file's page cache under RCU, as filemap_get_read_batch() reads it, each
 * folio seen once; a frame may be freed as soon as it is seen, as in a
 * walk of the VMM's page tables.  Does not sleep.
 *
 * A single page (KVM's guest_memfd folios are) is read without a
 * reference, as pagemap reads a page table entry: its frame is where its
 * struct page is, so it was the file's when the xarray's entry was read,
 * and only its flags are read, racily, as /proc/kpageflags reads a page's
 * (a page freed since reads as not uptodate, or as whatever its next user
 * made of it).  A large folio is referenced (one atomic per folio, not per
 * page) and checked to be still there while its size and index are read:
 * a large folio freed and reused could give frames that were never the
 * file's.
 */
static void kvmintro_gmem_read_frames(struct file *gmem, pgoff_t index,
				      unsigned long nr, unsigned long *frames)
{
	XA_STATE(xas, &gmem->f_mapping->i_pages, index);
	pgoff_t last = index + nr - 1;
	struct folio *folio;
	struct page *page;

	memset(frames, 0, nr * sizeof(*frames));
	rcu_read_lock();
	xas_for_each(&xas, folio, last) {
		if (xas_retry(&xas, folio) || xa_is_value(folio))
			continue;
		page = &folio->page;
		/*
		 * Where the walk starts inside a large folio, the entry is its
		 * head's, at another index: were the folio split or freed
		 * since, its head would look like a single page here.
		 */
		if (!PageCompound(page) && folio->index == xas.xa_index) {
			if (PageUptodate(page) && !PageHWPoison(page))
				frames[xas.xa_index - index] =
					KVMINTRO_FRAME_VALID | page_to_pfn(page);
			continue;
		}
		if (!folio_try_get(folio))
			goto retry;
		if (unlikely(folio != xas_reload(&xas)))
			goto put_folio;
		/* Where the walk starts, inside a large folio: at @index. */
		kvmintro_gmem_folio_frames(folio, max(xas.xa_index, index),
					   index, last, frames);
put_folio:
		folio_put(folio);
		continue;
retry:
		xas_reset(&xas);
	}
	rcu_read_unlock();
}

/*
 * Make @mem->frames hold the frames of @nr pages at @hva, in @slot: read
 * them, and those of the rest of a chunk of the slot, unless the chunk
 * read last holds them.  The walks of one opened memory go forward
 * through slots, batch after batch (gpa_hpa reads one batch per record of
 * its seq_file), so one walk of the page tables serves 16 batches.  Pages
 * of VM_IO or VM_PFNMAP mappings, which have no struct pages (or none to
 * trust), and pages outside any VMA, read as not backed.
 */
static int kvmintro_frames_cached(struct kvmintro_guest_mem *mem,
				  const struct kvmintro_slot_copy *slot,
				  unsigned long hva, unsigned long nr)
{
	unsigned long slot_end = slot->hva + (slot->npages << PAGE_SHIFT);
	struct vm_area_struct *vma;
	unsigned long addr, to, end, *frames;
	int r;

	if (mem->frames_nr && slot == mem->frames_slot &&
	    hva >= mem->frames_hva &&
	    hva + (nr << PAGE_SHIFT) <=
	    mem->frames_hva + (mem->frames_nr << PAGE_SHIFT))
		return 0;
	mem->frames_nr = min_t(unsigned long, KVMINTRO_FRAME_CHUNK,
			       (slot_end - hva) >> PAGE_SHIFT);
	mem->frames_slot = slot;
	mem->frames_hva = hva;
	end = hva + (mem->frames_nr << PAGE_SHIFT);
	if (slot->gmem_only) {
		if (slot->gmem)
			kvmintro_gmem_read_frames(slot->gmem,
				slot->gmem_pgoff + ((hva - slot->hva) >> PAGE_SHIFT),
				mem->frames_nr, mem->frames);
		else
			kvmintro_clear_frames(mem->frames, hva, end);
		return 0;
	}
	r = mmap_read_lock_killable(mem->mm);
	if (r) {
		mem->frames_nr = 0;
		return r;
	}
	for (addr = hva; addr < end; addr = to) {
		frames = mem->frames + ((addr - hva) >> PAGE_SHIFT);
		vma = find_vma(mem->mm, addr);
		if (!vma || vma->vm_start >= end) {
			to = end;
			kvmintro_clear_frames(frames, addr, to);
		} else if (vma->vm_start > addr) {
			to = vma->vm_start;
			kvmintro_clear_frames(frames, addr, to);
		} else {
			to = min(end, vma->vm_end);
			if (vma->vm_flags & (VM_IO | VM_PFNMAP))
				kvmintro_clear_frames(frames, addr, to);
			else
				kvmintro_read_frames(mem->mm, addr, to, frames);
		}
	}
	mmap_read_unlock(mem->mm);
	return 0;
}

/*
 * Walk @npages guest pages from @gfn in batches of at most
 * KVMINTRO_GUP_BATCH, never across a 2 MiB-aligned guest boundary;
 * @frames: without references (see kvmintro_guest_mem_walk_frames()).
 */
static int kvmintro_walk(struct kvmintro_guest_mem *mem,
			 const struct kvmintro_slot_copy *slot, gfn_t gfn,
			 unsigned long npages, bool frames,
			 kvmintro_guest_run_fn fn, void *ctx)
{
	unsigned long hva = slot->hva + ((gfn - slot->base_gfn) << PAGE_SHIFT);
	unsigned long nr;
	int r;

	if (!mem->pages) {
		mem->pages = kmalloc_array(KVMINTRO_GUP_BATCH,
					   sizeof(*mem->pages), GFP_KERNEL);
		if (!mem->pages)
			return -ENOMEM;
	}
	if (frames && !mem->frames) {
		mem->frames = kvmalloc_array(KVMINTRO_FRAME_CHUNK,
					     sizeof(*mem->frames), GFP_KERNEL);
		if (!mem->frames)
			return -ENOMEM;
	}
	while (npages) {
		nr = KVMINTRO_GUP_BATCH - (gfn & (KVMINTRO_GUP_BATCH - 1));
		nr = min(nr, npages);
		if (frames)
			r = kvmintro_frames_cached(mem, slot, hva, nr);
		else
			r = kvmintro_get_slot_pages(mem->mm, slot, gfn, hva, nr,
						    mem->pages);
		if (r)
			return r;
		r = kvmintro_emit_runs(slot, gfn, hva, mem->pages,
				       frames ? mem->frames +
				       ((hva - mem->frames_hva) >> PAGE_SHIFT) :
				       NULL, nr, fn, ctx);
		if (!frames)
			kvmintro_put_host_pages(mem->pages, nr);
		if (r)
			return r;
		gfn += nr;
		hva += nr << PAGE_SHIFT;
		npages -= nr;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

/**
 * kvmintro_guest_mem_walk() - visit the host pages behind guest pages
 * @mem:	the VM's memory, opened
 * @slot:	the memslot, one of @mem->slots
 * @gfn:	first guest frame, inside @slot
 * @npages:	how many, all inside @slot
 * @fn:		called for each run of pages backed alike, in GPA order; runs
 *		never cross a 2 MiB-aligned guest boundary, and hold their
 *		pages referenced during the call
 * @ctx:	for @fn
 *
 * Sleeps; stops early when the caller gets a fatal signal.
 *
 * Return: 0, @fn's non-zero return, or -errno.
 */
int kvmintro_guest_mem_walk(struct kvmintro_guest_mem *mem,
			    const struct kvmintro_slot_copy *slot,
			    gfn_t gfn, unsigned long npages,
			    kvmintro_guest_run_fn fn, void *ctx)
{
	return kvmintro_walk(mem, slot, gfn, npages, false, fn, ctx);
}

/**
 * kvmintro_guest_mem_walk_frames() - visit the host frames behind guest pages
 * @mem:	the VM's memory, opened
 * @slot:	the memslot, one of @mem->slots
 * @gfn:	first guest frame, inside @slot
 * @npages:	how many, all inside @slot
 * @fn:		called for each run of pages backed alike, as below
 * @ctx:	for @fn
 *
 * As kvmintro_guest_mem_walk(), but the runs carry no pages (@run->pages
 * is NULL): where guest memory lies, not its contents.  No reference is
 * taken, so a frame may be freed as soon as it is seen, as with
 * /proc/<pid>/pagemap.  The VMM's page tables are read under
 * mmap_read_lock() only (without the page table locks pagemap takes;
 * nothing faulted in, split or registered on the VMM's address space): a
 * snapshot of a range that may change while it is read, as pagemap's is.
 * A slot whose pages KVM faults in from a guest_memfd is walked in the
 * file's page cache instead (kvmintro_gmem_read_frames()), as racily: a
 * single page without a reference, a large folio referenced only while
 * its frames are read.
 *
 * Return: 0, @fn's non-zero return, or -errno.
 */
int kvmintro_guest_mem_walk_frames(struct kvmintro_guest_mem *mem,
				   const struct kvmintro_slot_copy *slot,
				   gfn_t gfn, unsigned long npages,
				   kvmintro_guest_run_fn fn, void *ctx)
{
	return kvmintro_walk(mem, slot, gfn, npages, true, fn, ctx);
}

static int kvmintro_walk_all(struct kvmintro_guest_mem *mem, int as_id,
			     bool frames, kvmintro_guest_run_fn fn, void *ctx)
{
	const struct kvmintro_slot_copy *slot;
	int i, r;

	for (i = 0; i < mem->nr_slots; i++) {
		slot = &mem->slots[i];
		if (slot->as_id != as_id)
			continue;
		r = kvmintro_walk(mem, slot, slot->base_gfn, slot->npages,
				  frames, fn, ctx);
		if (r)
			return r;
	}
	return 0;
}

/* Walk every slot of address space @as_id, in GPA order. */
int kvmintro_guest_mem_walk_all(struct kvmintro_guest_mem *mem, int as_id,
				kvmintro_guest_run_fn fn, void *ctx)
{
	return kvmintro_walk_all(mem, as_id, false, fn, ctx);
}

/* The same, frames only: see kvmintro_guest_mem_walk_frames(). */
int kvmintro_guest_mem_walk_all_frames(struct kvmintro_guest_mem *mem,
				       int as_id, kvmintro_guest_run_fn fn,
				       void *ctx)
{
	return kvmintro_walk_all(mem, as_id, true, fn, ctx);
}

static int kvmintro_keep_run(void *ctx, const struct kvmintro_guest_run *run)
{
	struct kvmintro_guest_run *keep = ctx;

	*keep = *run;
	keep->pages = NULL;	/* the references go when the walk returns */
	return 0;
}

/**
 * kvmintro_guest_mem_find_page() - what backs one guest page
 * @mem:	the VM's memory, opened
 * @as_id:	its address space
 * @gfn:	the guest frame
 * @run:	set to the run of that page alone, without its page
 *		(@run->pages is NULL); its @slot and @hva are set even when
 *		the walk fails
 *
 * Never faults the page in: one not backed is of KVMINTRO_PAGE_NONE.
 *
 * Return: 0, -ENOENT if @gfn is in no memslot, or the walk's error.
 */
int kvmintro_guest_mem_find_page(struct kvmintro_guest_mem *mem, u16 as_id,
				 gfn_t gfn, struct kvmintro_guest_run *run)
{
	const struct kvmintro_slot_copy *slot;

	slot = kvmintro_find_slot(mem->slots, mem->nr_slots, as_id, gfn);
	if (!slot)
		return -ENOENT;
	*run = (struct kvmintro_guest_run) {
		.slot = slot,
		.gfn = gfn,
		.npages = 1,
		.hva = slot->hva + ((gfn - slot->base_gfn) << PAGE_SHIFT),
		.host_shift = PAGE_SHIFT,
		.kind = KVMINTRO_PAGE_NONE,
	};
	return kvmintro_guest_mem_walk(mem, slot, gfn, 1, kvmintro_keep_run,
				       run);
}

struct kvmintro_guest_mem_io {
	char __user *ubuf;	/* where the byte at @gpa goes */
	u64 gpa;		/* next byte to copy */
	u64 end;		/* end of the request in this slot */
};

/* Copy the part of the request that lies in @run; zeros where unbacked. */
static int kvmintro_guest_mem_read_run(void *ctx,
				 const struct kvmintro_guest_run *run)
{
	struct kvmintro_guest_mem_io *io = ctx;
	u64 run_end = (u64)(run->gfn + run->npages) << PAGE_SHIFT;
	unsigned long i, offset, chunk, left;
	void *kaddr;

	while (io->gpa < min(run_end, io->end)) {
		i = (io->gpa >> PAGE_SHIFT) - run->gfn;
		offset = io->gpa & ~PAGE_MASK;
		chunk = min_t(u64, PAGE_SIZE - offset, io->end - io->gpa);
		if (run->kind == KVMINTRO_PAGE_NONE) {
			left = clear_user(io->ubuf, chunk);
		} else {
			kaddr = kmap_local_page(run->pages[i]);
			left = copy_to_user(io->ubuf, kaddr + offset, chunk);
			kunmap_local(kaddr);
		}
		if (left)
			return -EFAULT;
		io->ubuf += chunk;
		io->gpa += chunk;
	}
	return 0;
}

/**
 * kvmintro_guest_mem_read() - copy guest physical memory to user space
 * @mem:	the VM's memory, opened
 * @ubuf:	where to
 * @gpa:	first byte, in address space 0
 * @count:	how many
 *
 * Bytes are copied straight from the host page behind each guest page;
 * a page not backed reads as zeros, and nothing is faulted in.  Stops at
 * the first byte in no memslot.
 *
 * Return: the bytes copied, or if none: -EIO (@gpa in no memslot),
 * -EFAULT, -EINTR or -ENOMEM.
 */
ssize_t kvmintro_guest_mem_read(struct kvmintro_guest_mem *mem,
				char __user *ubuf, u64 gpa, size_t count)
{
	struct kvmintro_guest_mem_io io = { .ubuf = ubuf, .gpa = gpa };
	const struct kvmintro_slot_copy *slot;
	u64 end = gpa + count;
	gfn_t gfn, slot_end;
	int r = 0;

	while (io.gpa < end) {
		gfn = io.gpa >> PAGE_SHIFT;
		slot = kvmintro_find_slot(mem->slots, mem->nr_slots, 0, gfn);
		if (!slot) {
			r = -EIO;
			break;
		}
		slot_end = slot->base_gfn + slot->npages;
		io.end = min_t(u64, end, (u64)slot_end << PAGE_SHIFT);
		r = kvmintro_guest_mem_walk(mem, slot, gfn,
					    PFN_UP(io.end) - gfn,
					    kvmintro_guest_mem_read_run, &io);
		if (r)
			break;
	}
	if (io.gpa == gpa)
		return r;
	return io.gpa - gpa;
}

/* The record of the gpa_hpa table for @run into @buf; its length. */
int kvmintro_format_gpa_hpa_run(char *buf, size_t size,
				const struct kvmintro_guest_run *run)
{
	const struct kvmintro_gpa_hpa_info info = {
		.gpa = (u64)run->gfn << PAGE_SHIFT,
		.npages = run->npages,
		.hva = run->hva,
		.hpa = (u64)run->pfn << PAGE_SHIFT,
		.pfn = run->pfn,
		.host_shift = run->host_shift,
		.kind = run->kind,
	};

	return kvmintro_format_gpa_hpa(buf, size, &info);
}

static int kvmintro_gpa_hpa_append_run(void *ctx,
				       const struct kvmintro_guest_run *run)
{
	struct kvmintro_text *t = ctx;
	int r;

	r = kvmintro_text_reserve(t, KVMINTRO_GPA_HPA_RECORD_MAX);
	if (r)
		return r;
	return kvmintro_text_append(t, kvmintro_format_gpa_hpa_run(
			t->text + t->len, t->size - t->len, run));
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
	struct kvmintro_guest_mem mem;
	struct kvmintro_text t;
	int r;

	r = kvmintro_text_init(&t, max);
	if (r)
		return ERR_PTR(r);
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
