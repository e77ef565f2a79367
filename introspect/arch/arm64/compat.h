/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the arm64 KVMs kvmintro supports (Debian's 6.1 and
 * 6.12 series), each behind one small helper that names the change it
 * covers, as introspect/compat.h does for the shared code.
 */
#ifndef KVMINTRO_ARM64_COMPAT_H
#define KVMINTRO_ARM64_COMPAT_H

#include <linux/kvm_host.h>
#include <linux/version.h>
#include <asm/kvm_emulate.h>

/*
 * The function KVM calls for a guest's HVC (and, from 6.4, SMC): 6.4
 * renamed kvm_hvc_call_handler() to kvm_smccc_call_handler(), with the
 * same argument and return value (1: back to the guest, 0: exit to user
 * space, < 0: an error).
 */
static inline const char *kvmintro_kvm_smccc_handler_name(void)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	return "kvm_smccc_call_handler";
#else
	return "kvm_hvc_call_handler";
#endif
}

/*
 * Does the VMM's SMCCC filter (KVM_ARM_VM_SMCCC_FILTER, 6.4+) leave
 * @func_id to KVM, rather than deny it or forward it to user space?  Its
 * maple tree holds an action for each filtered range; no entry is
 * KVM_SMCCC_FILTER_HANDLE, as in KVM's own kvm_smccc_filter_get_action().
 * The VMM may change it only before the VM first runs.
 */
static inline bool kvmintro_smccc_filter_handles(struct kvm *kvm, u32 func_id)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	void *entry = mtree_load(&kvm->arch.smccc_filter, func_id);

	return !entry || xa_to_value(entry) == KVM_SMCCC_FILTER_HANDLE;
#else
	return true;
#endif
}

/*
 * Is @vcpu running a nested guest, whose addresses are not the VM's?
 * Nested virtualization came in 6.3; the vcpu's own EL2 (the guest
 * hypervisor) uses the VM's addresses.  This is !is_hyp_ctxt() but reads
 * the guest's HCR_EL2 with ctxt_sys_reg(): 7.x's __vcpu_sys_reg() calls
 * kvm_vcpu_apply_reg_masks(), which KVM does not export, and only TGE
 * matters here (E2H && TGE is TGE).
 */
static inline bool kvmintro_vcpu_in_nested_guest(const struct kvm_vcpu *vcpu)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	if (!vcpu_has_nv(vcpu) || vcpu_is_el2(vcpu))
		return false;
	return !(ctxt_sys_reg(&vcpu->arch.ctxt, HCR_EL2) & HCR_TGE);
#else
	return false;
#endif
}

#endif /* KVMINTRO_ARM64_COMPAT_H */
