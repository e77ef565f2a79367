/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels kvmintro supports (Debian's 6.1, 6.12
 * and the newest of unstable, 7.2 when written), each behind one small
 * helper that names the change it covers.  Nothing else in the module tests
 * LINUX_VERSION_CODE.
 */
#ifndef KVMINTRO_COMPAT_H
#define KVMINTRO_COMPAT_H

#include <linux/fs.h>
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/version.h>
#include <linux/workqueue.h>

#ifndef KVM_MEM_GUEST_MEMFD
#define KVM_MEM_GUEST_MEMFD	(1UL << 2)
#endif

/* Number of memslot address spaces of @kvm (2 on x86: normal and SMM). */
static inline int kvmintro_nr_address_spaces(struct kvm *kvm)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	return kvm_arch_nr_memslot_as_ids(kvm);
#else
	return KVM_ADDRESS_SPACE_NUM;
#endif
}

/*
 * get_user_pages_remote() lost its vmas argument in 6.5.  Caller holds
 * mmap_read_lock(@mm).
 */
static inline long kvmintro_get_user_pages_remote(struct mm_struct *mm,
						  unsigned long start,
						  unsigned long nr_pages,
						  unsigned int gup_flags,
						  struct page **pages)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	return get_user_pages_remote(mm, start, nr_pages, gup_flags, pages,
				     NULL);
#else
	return get_user_pages_remote(mm, start, nr_pages, gup_flags, pages,
				     NULL, NULL);
#endif
}

/*
 * A PMD entry read once without its lock, for a walk of page tables that
 * takes none (as GUP-fast does): pmdp_get_lockless() since 6.2, which on
 * 64-bit reads it with READ_ONCE(), as 6.1's GUP-fast did.
 */
static inline pmd_t kvmintro_pmdp_get_lockless(pmd_t *pmdp)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return pmdp_get_lockless(pmdp);
#else
	return READ_ONCE(*pmdp);
#endif
}

/* kvrealloc() lost its old-size argument in 6.11. */
static inline void *kvmintro_kvrealloc(void *p, size_t old_size,
				       size_t new_size)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	return kvrealloc(p, new_size, GFP_KERNEL);
#else
	return kvrealloc(p, old_size, new_size, GFP_KERNEL);
#endif
}

/*
 * Argument @n of a function entered through an ftrace_ops: 6.5 added
 * ftrace_regs_get_argument(); before, x86's ftrace_regs is a pt_regs whose
 * argument registers the trampoline saved.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define kvmintro_ftrace_argument(fregs, n)	ftrace_regs_get_argument(fregs, n)
#else
#define kvmintro_ftrace_argument(fregs, n) \
	regs_get_kernel_argument(&(fregs)->regs, n)
#endif

/*
 * The page @n pages after @page, in @page's folio.  6.18 removed
 * nth_page(): a folio's struct pages are contiguous since, with or without
 * CONFIG_SPARSEMEM_VMEMMAP.  folio_page() is right on every kernel from 6.1
 * on (it used nth_page() where that mattered).
 */
static inline struct page *kvmintro_folio_nth_page(struct page *page,
						   unsigned long n)
{
	struct folio *folio = page_folio(page);

	return folio_page(folio, folio_page_idx(folio, page) + n);
}

/*
 * The bits of a memslot's flags that are KVM_MEM_* flags of the uapi: KVM
 * keeps its own in bits 16 and up (KVM_MEMSLOT_INVALID while a slot is
 * deleted or moved, KVM_MEMSLOT_GMEM_ONLY since 6.18), which may change
 * from one release to the next.
 */
#define KVMINTRO_MEMSLOT_UAPI_FLAGS	0xffffU

static inline u32 kvmintro_memslot_uapi_flags(const struct kvm_memory_slot *slot)
{
	return slot->flags & KVMINTRO_MEMSLOT_UAPI_FLAGS;
}

/*
 * Whether KVM faults @slot's pages in for the guest from its guest_memfd
 * alone (KVM_MEMSLOT_GMEM_ONLY, 6.18: a guest_memfd created with
 * GUEST_MEMFD_FLAG_MMAP), not through its userspace_addr: the VMM's page
 * tables need not hold them.  (KVM's own accesses to guest memory, such
 * as kvm_read_guest(), still go through userspace_addr, where the VMM
 * maps the file.)  Before 6.18, never.
 */
static inline bool kvmintro_memslot_gmem_only(const struct kvm_memory_slot *slot)
{
#if defined(KVM_MEMSLOT_GMEM_ONLY) && defined(CONFIG_KVM_GUEST_MEMFD)
	return kvm_memslot_is_gmem_only(slot);
#else
	return false;
#endif
}

/*
 * The guest_memfd of @slot, referenced, and in @pgoff the page of the
 * file where the slot starts, if kvmintro_memslot_gmem_only(); NULL if
 * there is none, or none to read: the file is being released, or @kvm has
 * memory private to a confidential guest (SEV-SNP, TDX; a protected VM of
 * pKVM on arm64), where a host read can be fatal (guest_memfd marks its
 * mappings AS_INACCESSIBLE for it; a VM without any is the host's to
 * read).  Caller holds kvm->srcu.
 */
static inline struct file *kvmintro_memslot_get_gmem(struct kvm *kvm,
						     struct kvm_memory_slot *slot,
						     pgoff_t *pgoff)
{
#if defined(KVM_MEMSLOT_GMEM_ONLY) && defined(CONFIG_KVM_GUEST_MEMFD)
	if (!kvmintro_memslot_gmem_only(slot) || kvm_arch_has_private_mem(kvm))
		return NULL;
#ifdef CONFIG_ARM64
	if (kvm_vm_is_protected(kvm))
		return NULL;
#endif
	*pgoff = slot->gmem.pgoff;
	return get_file_active(&slot->gmem.file);
#else
	return NULL;
#endif
}

/*
 * The folio of page @index of @mapping, referenced, or NULL: nothing
 * created, nothing read in.  filemap_get_folio() returns ERR_PTR(-ENOENT)
 * for none since 6.3, NULL before.
 */
static inline struct folio *kvmintro_filemap_folio(struct address_space *mapping,
						   pgoff_t index)
{
	struct folio *folio = filemap_get_folio(mapping, index);

	return IS_ERR_OR_NULL(folio) ? NULL : folio;
}

/*
 * Queue kvmintro's background work (the registry's rescan and reaper),
 * which needs no particular CPU.  6.17 added system_dfl_wq (unbound) and
 * system_percpu_wq, and newer kernels warn at run time that system_wq is
 * deprecated; before 6.17, system_unbound_wq is the same queue.
 */
static inline bool kvmintro_queue_work(struct work_struct *work)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
	return queue_work(system_dfl_wq, work);
#else
	return queue_work(system_unbound_wq, work);
#endif
}

/*
 * Calls to kernel functions the kernel does not export, through the address
 * symbols.c resolved by name (kallsyms_lookup_name() itself,
 * task_work_cancel(), ptrace_may_access(), KVM's
 * kvm_arch_vcpu_ioctl_get_regs() and _get_sregs()).
 *
 * Kernels built with CONFIG_X86_KERNEL_IBT (Debian's since 6.12) "seal" the
 * functions whose address they never take: on a CPU with indirect branch
 * tracking (Intel's since Tiger Lake and Sapphire Rapids) the ENDBR64 at
 * their entry is overwritten at boot (a module's, at its load), so that an
 * indirect call to one is a control-protection fault, "Missing ENDBR", and
 * a BUG().  kvmintro_call_unexported() makes such a call with this CPU's
 * ENDBR check off, as the kernel makes its EFI calls (with ibt_save() and
 * ibt_restore(), which are not exported), and stays on this CPU meanwhile:
 * with preemption off, or on PREEMPT_RT, whose spinlocks sleep (task_lock()
 * in ptrace_may_access()), with migration off, when what the call lets run
 * on this CPU runs unchecked too.  Without the feature on the CPU, and on
 * other kernels, a plain call.  Functions the kernel exports keep their
 * ENDBR64 and are called plainly everywhere.
 */
#ifdef CONFIG_X86_KERNEL_IBT
#include <asm/cpufeature.h>
#include <asm/msr.h>

/* Turn this CPU's ENDBR check off; return what kvmintro_ibt_resume() restores. */
static __always_inline u32 kvmintro_ibt_suspend(void)
{
	u32 lo, hi;

	if (!cpu_feature_enabled(X86_FEATURE_IBT))
		return 0;
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		migrate_disable();
	else
		preempt_disable();
	rdmsr(MSR_IA32_S_CET, lo, hi);
	if (lo & CET_ENDBR_EN)
		wrmsr(MSR_IA32_S_CET, lo & ~(u32)CET_ENDBR_EN, hi);
	return lo & CET_ENDBR_EN;
}

static __always_inline void kvmintro_ibt_resume(u32 endbr_en)
{
	u32 lo, hi;

	if (!cpu_feature_enabled(X86_FEATURE_IBT))
		return;
	if (endbr_en) {
		rdmsr(MSR_IA32_S_CET, lo, hi);
		wrmsr(MSR_IA32_S_CET, lo | endbr_en, hi);
	}
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		migrate_enable();
	else
		preempt_enable();
}

#define kvmintro_call_unexported(fn, ...)				\
({									\
	u32 __kvmintro_endbr_en = kvmintro_ibt_suspend();		\
	__auto_type __kvmintro_ret = (fn)(__VA_ARGS__);			\
									\
	kvmintro_ibt_resume(__kvmintro_endbr_en);			\
	__kvmintro_ret;							\
})
#else
#define kvmintro_call_unexported(fn, ...)	((fn)(__VA_ARGS__))
#endif

#ifdef CONFIG_ARM64
#include <asm/kvm_pgtable.h>

/*
 * KVM/arm64's stage-2 descriptors hold 52-bit output addresses (FEAT_LPA2
 * with the 4K granule), which moves bits 51:50 into bits 9:8.  6.9 added
 * LPA2 support and kvm_lpa2_is_enabled(); before, never.
 */
static inline bool kvmintro_kvm_lpa2_enabled(void)
{
#ifdef kvm_lpa2_is_enabled
	return kvm_lpa2_is_enabled();
#else
	return false;
#endif
}

/*
 * Whether KVM made stage-2 table @pgt without FWB's attribute encoding
 * although the CPU has FWB (KVM_PGTABLE_S2_NOFWB).  7.0 dropped that flag
 * (for KVM_PGTABLE_S2_AS_S1, which only pKVM's host table has): a VM's
 * table then uses FWB wherever the CPU has it.
 */
static inline bool kvmintro_kvm_s2_nofwb(const struct kvm_pgtable *pgt)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(7, 0, 0)
	return READ_ONCE(pgt->flags) & KVM_PGTABLE_S2_NOFWB;
#else
	return false;
#endif
}
#endif

#endif /* KVMINTRO_COMPAT_H */
