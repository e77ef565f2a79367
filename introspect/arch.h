/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What kvmintro does differently on each architecture: the one interface
 * the shared code calls, implemented once per architecture in
 * introspect/arch/<arch>/ (Kbuild picks the folder by $(SRCARCH)).  The
 * shared code has no per-architecture conditional beyond this.
 *
 * x86 implements all of it: the gva and stage2 files and the opt-in
 * hypercall.  arm64 implements what the shared files need; its gva and
 * stage2 files and the hypercall (an SMCCC call there) are not written
 * yet, and the module makes no such files (Documentation/kernels.rst).
 *
 * Each architecture's arch_regs.h (found through the include path Kbuild
 * sets) defines struct kvmintro_regs, its register block, which the shared
 * code stores and passes but does not look into; lib/ formats it
 * (kvmintro_format_regs_line()) and writes a core's notes of it
 * (kvmintro_elfcore_arch).
 */
#ifndef KVMINTRO_ARCH_H
#define KVMINTRO_ARCH_H

#include <linux/kvm_host.h>
#include <linux/ptrace.h>

#include "arch_regs.h"

struct kvmintro_vcpu;
struct kvmintro_vm;

/* Looks a kernel symbol up by name: kallsyms_lookup_name() (symbols.c). */
typedef unsigned long (*kvmintro_lookup_t)(const char *name);

/*
 * Check the architecture's module parameters: called first at load, so
 * that a refused value leaves nothing behind.  Return: 0 or -EINVAL.
 */
int kvmintro_arch_check_params(void);

/*
 * Resolve the architecture's KVM symbols with @lookup.  Return: 0, or
 * -ENOENT if one the module cannot work without is missing (said in the
 * log).
 */
int kvmintro_arch_resolve_symbols(kvmintro_lookup_t lookup);

/* Register the architecture's hooks (enabled ones only), and undo it. */
int kvmintro_arch_hooks_register(void);
void kvmintro_arch_hooks_unregister(void);

/* Make the architecture's files of a VM's and of a vcpu's directory. */
void kvmintro_arch_debugfs_create_vm(struct kvmintro_vm *vm);
void kvmintro_arch_debugfs_create_vcpu(struct kvmintro_vcpu *state);

/*
 * Is @regs, a task's user registers, a system call of the kernel's own
 * ABI (not a compat one), whose number and arguments syscall_get_nr() and
 * syscall_get_arguments() give as the native system call table has them?
 */
bool kvmintro_arch_native_syscall(struct pt_regs *regs);

/**
 * kvmintro_arch_vcpu_read_regs() - read a vcpu's registers
 * @kvm:	its VM, referenced by the caller
 * @vcpu:	the vcpu, out of guest mode (its VM paused)
 * @to:		where to put them
 *
 * Takes the vcpu mutex.
 *
 * Return: 0, -EINTR if killed waiting for the vcpu mutex, -EBUSY if the
 * VMM held it longer than a pause may take, or KVM's error (e.g. -EINVAL
 * for a vcpu whose state is protected).
 */
int kvmintro_arch_vcpu_read_regs(struct kvm *kvm, struct kvm_vcpu *vcpu,
				 struct kvmintro_regs *to);

#endif /* KVMINTRO_ARCH_H */
