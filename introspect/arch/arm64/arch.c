// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro on arm64: introspect/arch.h's entry points.
 *
 * The architecture-neutral files (vms, vcpus, memslots, snapshot, gpa_hpa,
 * translate, mem, scan) need nothing of arm64 but the system call check.
 * The regs, gva and stage2 files and the translation call (an SMCCC
 * vendor-specific hypervisor call) are not written yet: no such file is
 * made, no parameter or hook exists, and no register is read.
 */
#include <asm/ptrace.h>

#include "../../kvmintro.h"

int kvmintro_arch_check_params(void)
{
	return 0;
}

int kvmintro_arch_resolve_symbols(kvmintro_lookup_t lookup)
{
	return 0;
}

int kvmintro_arch_hooks_register(void)
{
	return 0;
}

void kvmintro_arch_hooks_unregister(void)
{
}

void kvmintro_arch_debugfs_create_vm(struct kvmintro_vm *vm)
{
}

void kvmintro_arch_debugfs_create_vcpu(struct kvmintro_vcpu *state)
{
}

/* An AArch32 task's system calls have their own numbers and registers. */
bool kvmintro_arch_native_syscall(struct pt_regs *regs)
{
	return !compat_user_mode(regs);
}

/*
 * No register reader yet: a capture records this error for each vcpu
 * (its state and memory are still captured), and the core file, which
 * needs every vcpu's registers, fails to open with it.
 */
int kvmintro_arch_vcpu_read_regs(struct kvm *kvm, struct kvm_vcpu *vcpu,
				 struct kvmintro_regs *to)
{
	return -EOPNOTSUPP;
}
