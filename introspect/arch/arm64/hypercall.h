/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The opt-in translation call on arm64 (Documentation/hypercall.rst): an
 * SMCCC vendor-specific hypervisor service call, its number checked in
 * hypercall.c and served by hooks/kvm_smccc_call_handler.c.
 */
#ifndef KVMINTRO_ARM64_HYPERCALL_H
#define KVMINTRO_ARM64_HYPERCALL_H

#include <linux/arm-smccc.h>

/* The call's function ID: fast, SMC64, vendor-specific hypervisor service. */
#define KVMINTRO_SMCCC_FUNC_ID(nr)					\
	ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_64,	\
			   ARM_SMCCC_OWNER_VENDOR_HYP, (nr))

extern int kvmintro_hypercall_nr;
int kvmintro_hypercall_nr_check(void);

int kvmintro_hook_kvm_smccc_call_handler_register(void);
void kvmintro_hook_kvm_smccc_call_handler_unregister(void);

#endif /* KVMINTRO_ARM64_HYPERCALL_H */
