/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What struct kvm_vm holds for x86 and the guest modes the x86 library
 * sets up; included by kvm_util.h.
 */
#ifndef KVMINTRO_VMM_KVM_UTIL_ARCH_H
#define KVMINTRO_VMM_KVM_UTIL_ARCH_H

#include <linux/kvm.h>

enum vm_guest_mode {
	VM_MODE_NONE,		/* no guest set up yet */
	VM_MODE_REAL,		/* 16-bit real mode, no paging */
	VM_MODE_LONG,		/* 64-bit long mode, own 4-level page tables */
	VM_MODE_PAE,		/* 32-bit protected mode, PAE paging (3 levels) */
	VM_MODE_PAGED32,	/* 32-bit protected mode, 2-level paging with PSE */
};

/* The 64-bit mode with the guest's own page tables, as on every arch. */
#define VM_MODE_DEFAULT		VM_MODE_LONG

/* What to load when /dev/kvm or KVM_CREATE_VM is missing. */
#define KVM_MODULES_HINT	"kvm and kvm-amd (or kvm-intel) are loaded and the CPU has SVM/VMX"

struct kvm_vm_arch {
	uint64_t gdt_gpa;
	uint64_t tss_gpa;
	struct kvm_cpuid2 *cpuid;	/* given to every vcpu */
};

#endif /* KVMINTRO_VMM_KVM_UTIL_ARCH_H */
