// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro on arm64: introspect/arch.h's entry points.
 *
 * The architecture-neutral files (vms, vcpus, memslots, snapshot, gpa_hpa,
 * translate, mem, scan, regs, core, gva, stage2) need nothing of arm64 but
 * the system call check, the register reader (vcpu_regs.c), the core's
 * notes (lib/arm64/elfcore.c), the stage-1 walk (gva.c) and the stage-2
 * table (stage2.c).  The opt-in translation call is an SMCCC
 * vendor-specific hypervisor call (hypercall.c,
 * hooks/kvm_smccc_call_handler.c).
 */
#include <asm/ptrace.h>

#include "../../kvmintro.h"
#include "hypercall.h"

/* No file is arm64's alone: the shared ones call the interface. */
const struct kvmintro_file kvmintro_arch_files[] = {};
const unsigned int kvmintro_arch_nr_files = ARRAY_SIZE(kvmintro_arch_files);

int kvmintro_arch_check_params(void)
{
	return kvmintro_hypercall_nr_check();
}

int kvmintro_arch_resolve_symbols(kvmintro_lookup_t lookup)
{
	return 0;
}

/* The translation call's hook, off by default: Documentation/hypercall.rst. */
int kvmintro_arch_hooks_register(void)
{
	if (kvmintro_hypercall_nr == -1)
		return 0;
	return kvmintro_hook_kvm_smccc_call_handler_register();
}

void kvmintro_arch_hooks_unregister(void)
{
	if (kvmintro_hypercall_nr != -1)
		kvmintro_hook_kvm_smccc_call_handler_unregister();
}

/* An AArch32 task's system calls have their own numbers and registers. */
bool kvmintro_arch_native_syscall(struct pt_regs *regs)
{
	return !compat_user_mode(regs);
}
