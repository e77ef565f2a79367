// SPDX-License-Identifier: GPL-2.0
/*
 * The opt-in guest->host translation hypercall (Documentation/hypercall.rst):
 * its number, hypercall_nr, checked at load, and the translation of a GPA
 * that hooks/kvm_emulate_hypercall.c answers with.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_para.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>

#include "../../kvmintro.h"
#include "x86.h"

int kvmintro_hypercall_nr = -1;
module_param_named(hypercall_nr, kvmintro_hypercall_nr, int, 0444);
MODULE_PARM_DESC(hypercall_nr,
		 "guest->host address translation hypercall number, -1 (default) = off; exposes host physical addresses to guests");

/* Numbers KVM implements or reserves: never ours. */
static const int kvmintro_kvm_hypercalls[] = {
	KVM_HC_VAPIC_POLL_IRQ, KVM_HC_MMU_OP, KVM_HC_FEATURES,
	KVM_HC_PPC_MAP_MAGIC_PAGE, KVM_HC_KICK_CPU,
	KVM_HC_MIPS_GET_CLOCK_FREQ, KVM_HC_MIPS_EXIT_VM,
	KVM_HC_MIPS_CONSOLE_OUTPUT, KVM_HC_CLOCK_PAIRING, KVM_HC_SEND_IPI,
	KVM_HC_SCHED_YIELD, KVM_HC_MAP_GPA_RANGE,
};

/* Return: 0 if hypercall_nr is -1 or a number we may serve, else -EINVAL. */
int kvmintro_hypercall_nr_check(void)
{
	int i;

	if (kvmintro_hypercall_nr == -1)
		return 0;
	if (kvmintro_hypercall_nr < 0) {
		pr_err("hypercall_nr=%d: must be -1 (off) or a number >= 0\n",
		       kvmintro_hypercall_nr);
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(kvmintro_kvm_hypercalls); i++) {
		if (kvmintro_hypercall_nr == kvmintro_kvm_hypercalls[i]) {
			pr_err("hypercall_nr=%d is a KVM_HC_* hypercall of KVM's own: pick a number KVM does not use\n",
			       kvmintro_hypercall_nr);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * The reply for @gpa: the host page behind it, found with GUP-fast on the
 * vcpu thread's mm (the VMM's), which neither faults nor sleeps: a page
 * the host has not backed, or that only a shared zero page backs, is not
 * mapped.  GUP-fast skips the 4 KiB zero page (a special PTE) but not the
 * huge zero page, which is not exported: no folio of memory the guest can
 * own is without a mapping (anon, KSM, shmem, file, hugetlbfs all have
 * one), the huge zero folio is.  The reference is dropped at once.
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
	hva = kvmintro_kvm_vcpu_gfn_to_hva(vcpu, gpa_to_gfn(gpa));
	if (kvm_is_error_hva(hva))
		return;
	if (get_user_pages_fast_only(hva, 1, 0, &page) != 1)
		return;
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
