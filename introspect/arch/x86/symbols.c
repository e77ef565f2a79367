// SPDX-License-Identifier: GPL-2.0
/*
 * Resolve the x86 KVM symbols kvmintro needs but KVM does not export
 * (introspect/symbols.c resolves the others and hands us its lookup).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "../../kvmintro.h"
#include "x86.h"

/* KVM's own KVM_GET_REGS/KVM_GET_SREGS getters: right for any vendor's caching. */
typeof(&kvm_arch_vcpu_ioctl_get_regs) kvmintro_kvm_get_regs;
typeof(&kvm_arch_vcpu_ioctl_get_sregs) kvmintro_kvm_get_sregs;

/*
 * Exported to KVM's vendor modules only on newer kernels
 * (EXPORT_SYMBOL_FOR_KVM_INTERNAL), so resolved by name on every kernel:
 * what the regs file needs to read MSRs as KVM_GET_MSRS does.  NULL if not
 * found; their users check.
 */
void (*kvmintro_vcpu_load)(struct kvm_vcpu *vcpu);
void (*kvmintro_vcpu_put)(struct kvm_vcpu *vcpu);
kvmintro_kvm_msr_read_t kvmintro_kvm_msr_read;

/*
 * For the stage2 file, optional: KVM's tdp_enabled (TDP in use at all),
 * its tdp_mmu parameter (6.3+: the TDP MMU for every VM) and the vendor
 * ops (get_cpl, ..., whose name tells NPT from EPT; the hypercall hook
 * checks them when enabled).  NULL if not found.
 */
bool *kvmintro_kvm_tdp_enabled;
bool *kvmintro_kvm_tdp_mmu_param;
struct kvm_x86_ops *kvmintro_kvm_x86_ops;

int kvmintro_arch_resolve_symbols(kvmintro_lookup_t lookup)
{
	kvmintro_kvm_get_regs = (void *)lookup("kvm_arch_vcpu_ioctl_get_regs");
	kvmintro_kvm_get_sregs = (void *)lookup("kvm_arch_vcpu_ioctl_get_sregs");
	if (!kvmintro_kvm_get_regs || !kvmintro_kvm_get_sregs) {
		pr_err("cannot find KVM's kvm_arch_vcpu_ioctl_get_regs or kvm_arch_vcpu_ioctl_get_sregs\n");
		return -ENOENT;
	}

	kvmintro_vcpu_load = (void *)lookup("vcpu_load");
	kvmintro_vcpu_put = (void *)lookup("vcpu_put");
	kvmintro_kvm_msr_read = kvmintro_lookup_kvm_msr_read(lookup);
	if (!kvmintro_vcpu_load || !kvmintro_vcpu_put || !kvmintro_kvm_msr_read)
		pr_warn("cannot find vcpu_load, vcpu_put or KVM's MSR reader (__kvm_emulate_msr_read or kvm_get_msr): the regs files will show no MSRs\n");

	kvmintro_kvm_tdp_enabled = (bool *)lookup("tdp_enabled");
	kvmintro_kvm_tdp_mmu_param = (bool *)lookup("tdp_mmu_enabled");
	kvmintro_kvm_x86_ops = (struct kvm_x86_ops *)lookup("kvm_x86_ops");
	return 0;
}
