// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro on x86: introspect/arch.h's entry points.
 */
#include <asm/ptrace.h>

#include "../../kvmintro.h"
#include "x86.h"

/* No file is x86's alone: the shared ones call the interface. */
const struct kvmintro_file kvmintro_arch_files[] = {};
const unsigned int kvmintro_arch_nr_files = ARRAY_SIZE(kvmintro_arch_files);

int kvmintro_arch_check_params(void)
{
	return kvmintro_hypercall_nr_check();
}

/* The hypercall's hook, off by default: see Documentation/hypercall.rst. */
int kvmintro_arch_hooks_register(void)
{
	if (kvmintro_hypercall_nr == -1)
		return 0;
	return kvmintro_hook_kvm_emulate_hypercall_register();
}

void kvmintro_arch_hooks_unregister(void)
{
	if (kvmintro_hypercall_nr != -1)
		kvmintro_hook_kvm_emulate_hypercall_unregister();
}

/* A 32-bit task's system calls (int 0x80) have their own numbers. */
bool kvmintro_arch_native_syscall(struct pt_regs *regs)
{
	return user_64bit_mode(regs);
}
