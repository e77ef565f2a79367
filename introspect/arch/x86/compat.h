/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the supported kernels in x86's KVM interfaces, each
 * behind one small helper that names the change it covers; the others
 * are in introspect/compat.h.
 */
#ifndef KVMINTRO_X86_COMPAT_H
#define KVMINTRO_X86_COMPAT_H

#include <linux/kvm_host.h>
#include <linux/version.h>

/*
 * Does @kvm use the TDP MMU?  Until 6.3 KVM decided it per VM, at creation
 * (kvm->arch.tdp_mmu_enabled); since, its read-only tdp_mmu parameter
 * decides for all VMs: @param, KVM's tdp_mmu_enabled resolved by name
 * (NULL if it was not found).
 */
static inline bool kvmintro_tdp_mmu_enabled(struct kvm *kvm,
					    const bool *param)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	return param && READ_ONCE(*param);
#else
	return READ_ONCE(kvm->arch.tdp_mmu_enabled);
#endif
}

/*
 * Resolve KVM's MSR reader for a guest-initiated read (what RDMSR
 * emulation calls): kvm_get_msr() until 6.18 renamed it
 * __kvm_emulate_msr_read(), same arguments.  Newer kernels export it only
 * to KVM's vendor modules (EXPORT_SYMBOL_FOR_KVM_INTERNAL), which modpost
 * refuses to any other module, so kvmintro resolves it by name (symbols.c)
 * on every kernel; the new name is tried first.
 */
typedef int (*kvmintro_kvm_msr_read_t)(struct kvm_vcpu *vcpu, u32 index,
				       u64 *data);

static inline kvmintro_kvm_msr_read_t
kvmintro_lookup_kvm_msr_read(unsigned long (*lookup)(const char *name))
{
	unsigned long addr = lookup("__kvm_emulate_msr_read");

	if (!addr)
		addr = lookup("kvm_get_msr");
	return (kvmintro_kvm_msr_read_t)addr;
}

#endif /* KVMINTRO_X86_COMPAT_H */
