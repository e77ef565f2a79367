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
extern bool *kvmintro_kvm_tdp_enabled;
extern bool *kvmintro_kvm_tdp_mmu_param;
extern struct kvm_x86_ops *kvmintro_kvm_x86_ops;

/* hypercall.c: the opt-in translation hypercall */
extern int kvmintro_hypercall_nr;
int kvmintro_hypercall_nr_check(void);

/* hooks/kvm_emulate_hypercall.c: its hook */
int kvmintro_hook_kvm_emulate_hypercall_register(void);
void kvmintro_hook_kvm_emulate_hypercall_unregister(void);

#endif /* KVMINTRO_X86_H */
