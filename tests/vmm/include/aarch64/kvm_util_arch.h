/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What struct kvm_vm holds for arm64 and the guest modes the arm64 library
 * sets up; included by kvm_util.h.
 */
#ifndef KVMINTRO_VMM_KVM_UTIL_ARCH_H
#define KVMINTRO_VMM_KVM_UTIL_ARCH_H

#include <linux/kvm.h>

enum vm_guest_mode {
	VM_MODE_NONE,		/* no guest set up yet */
	VM_MODE_MMU_OFF,	/* EL1, stage-1 MMU off: flat, Device memory */
	VM_MODE_4K,		/* EL1, MMU on: TTBR0_EL1, 4K granule, 48-bit VA */
};

/* The 64-bit mode with the guest's own page tables, as on every arch. */
#define VM_MODE_DEFAULT		VM_MODE_4K

#define KVM_MODULES_HINT	"the kernel has KVM (CONFIG_KVM) and booted at EL2"

struct kvm_vm_arch {
	struct kvm_vcpu_init vcpu_init;	/* KVM_ARM_PREFERRED_TARGET's */
	bool has_vcpu_init;
};

#endif /* KVMINTRO_VMM_KVM_UTIL_ARCH_H */
