// SPDX-License-Identifier: GPL-2.0
/*
 * The answer of the opt-in guest->host translation hypercall
 * (Documentation/hypercall.rst), the same on every architecture: each
 * architecture's hook (hooks/kvm_emulate_hypercall.c on x86,
 * hooks/kvm_smccc_call_handler.c on arm64) puts it in its call's result
 * registers.
 */
/* linux/types.h first: arm64's kvm_para.h uses bool without it. */
#include <linux/types.h>
#include <linux/kvm_para.h>
#include <linux/mm.h>

#include "compat.h"
#include "guest_memory.h"
#include "kvmintro.h"

/*
 * The page behind guest frame @gfn if KVM faults it in from a guest_memfd
 * alone (kvmintro_memslot_gmem_only()): in @page, referenced, or NULL if
 * there is none to read.  False if KVM faults it in through the slot's
 * HVA.  Caller holds kvm->srcu.
 */
static bool kvmintro_hypercall_gmem_page(struct kvm_vcpu *vcpu, gfn_t gfn,
					 struct page **page)
{
	struct kvm_memory_slot *slot;
	struct file *gmem;
	pgoff_t pgoff = 0;

	slot = __gfn_to_memslot(kvm_vcpu_memslots(vcpu), gfn);
	if (!slot || !kvmintro_memslot_gmem_only(slot))
		return false;
	gmem = kvmintro_memslot_get_gmem(vcpu->kvm, slot, &pgoff);
	*page = kvmintro_gmem_get_page(gmem, pgoff, slot->base_gfn, gfn);
	if (gmem)
		fput(gmem);
	return true;
}

/*
 * The reply for @gpa: the host page behind it, found with GUP-fast on the
 * vcpu thread's mm (the VMM's), which neither faults nor sleeps: a page
 * the host has not backed, or that only a shared zero page backs, is not
 * mapped.  GUP-fast skips the 4 KiB zero page (a special PTE) but not the
 * huge zero page, which is not exported: no folio of memory the guest can
 * own is without a mapping (anon, KSM, shmem, file, hugetlbfs all have
 * one), the huge zero folio is.  In a slot whose pages KVM faults in
 * from a guest_memfd alone, the file's page instead, looked up in its page
 * cache, nothing created.  The reference is dropped at once.
 */
void kvmintro_hypercall_translate(struct kvm_vcpu *vcpu, u64 gpa,
				  u64 *hpa, u64 *pfn, u64 *flags)
{
	struct folio *folio;
	struct page *page;
	unsigned long hva;
	unsigned int order;
	bool zero;

	*hpa = (u64)-KVM_EFAULT;
	*pfn = 0;
	*flags = 0;
	if (current->mm != vcpu->kvm->mm)
		return;
	/* kvm->srcu is held: KVM handles exits inside its read side. */
	if (kvmintro_hypercall_gmem_page(vcpu, gpa_to_gfn(gpa), &page)) {
		if (!page)
			return;
	} else {
		hva = kvmintro_kvm_vcpu_gfn_to_hva(vcpu, gpa_to_gfn(gpa));
		if (kvm_is_error_hva(hva))
			return;
		if (get_user_pages_fast_only(hva, 1, 0, &page) != 1)
			return;
	}
	folio = page_folio(page);
	order = folio_order(folio);
	*pfn = page_to_pfn(page);
	zero = is_zero_pfn(*pfn) || !READ_ONCE(folio->mapping);
	put_page(page);
	if (zero) {
		*pfn = 0;
		return;
	}

	*hpa = PFN_PHYS(*pfn) | offset_in_page(gpa);
	*flags = KVMINTRO_HC_MAPPED | (order ? KVMINTRO_HC_HUGE : 0) |
		 ((u64)order << KVMINTRO_HC_ORDER_SHIFT &
		  KVMINTRO_HC_ORDER_MASK);
}
