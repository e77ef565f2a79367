/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmintro on x86: what the files of introspect/arch/x86/ share.  The rest
 * of the module sees only introspect/arch.h.
 */
#ifndef KVMINTRO_X86_H
#define KVMINTRO_X86_H

#include <linux/kvm_host.h>

#include "compat.h"

struct kvmintro_vcpu;
struct kvmintro_vm;

/*
 * KVM's x86 symbols, resolved by name (symbols.c): typed after the
 * kernel's own declarations, so that a kernel that changes one of these
 * signatures fails to build kvmintro rather than being called wrong.
 */
extern typeof(&kvm_arch_vcpu_ioctl_get_regs) kvmintro_kvm_get_regs;
extern typeof(&kvm_arch_vcpu_ioctl_get_sregs) kvmintro_kvm_get_sregs;
extern void (*kvmintro_vcpu_load)(struct kvm_vcpu *vcpu);
extern void (*kvmintro_vcpu_put)(struct kvm_vcpu *vcpu);
extern kvmintro_kvm_msr_read_t kvmintro_kvm_msr_read;
extern unsigned long (*kvmintro_kvm_vcpu_gfn_to_hva)(struct kvm_vcpu *vcpu,
						     gfn_t gfn);
extern bool *kvmintro_kvm_tdp_enabled;
extern bool *kvmintro_kvm_tdp_mmu_param;
extern struct kvm_x86_ops *kvmintro_kvm_x86_ops;

/* hypercall.c: the opt-in translation hypercall */
#define KVMINTRO_HC_HUGE		BIT_ULL(0)	/* folio order > 0 */
#define KVMINTRO_HC_MAPPED		BIT_ULL(1)	/* a resident page */
#define KVMINTRO_HC_ORDER_SHIFT		2		/* bits 2-6: order */
#define KVMINTRO_HC_ORDER_MASK		GENMASK_ULL(6, 2)
extern int kvmintro_hypercall_nr;
int kvmintro_hypercall_nr_check(void);
void kvmintro_hypercall_translate(struct kvm_vcpu *vcpu, u64 gpa,
				  u64 *hpa, u64 *pfn, u64 *flags);

/* hooks/kvm_emulate_hypercall.c: its hook */
int kvmintro_hook_kvm_emulate_hypercall_register(void);
void kvmintro_hook_kvm_emulate_hypercall_unregister(void);

#endif /* KVMINTRO_X86_H */
