// SPDX-License-Identifier: GPL-2.0
/*
 * The opt-in guest->host translation hypercall (Documentation/hypercall.rst):
 * its number, hypercall_nr, checked at load.  hooks/kvm_emulate_hypercall.c
 * answers it with the translation of introspect/hypercall.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_para.h>
#include <linux/moduleparam.h>

#include "../../kvmintro.h"
#include "x86.h"

int kvmintro_hypercall_nr = -1;
module_param_named(hypercall_nr, kvmintro_hypercall_nr, int, 0444);
MODULE_PARM_DESC(hypercall_nr,
		 "guest->host address translation hypercall number, -1 (default) = off; exposes host physical addresses to guests");

/* Numbers KVM implements or reserves: never ours. */
static const int kvmintro_kvm_hypercalls[] = {
	KVM_HC_VAPIC_POLL_IRQ, KVM_HC_MMU_OP, KVM_HC_FEATURES,
	KVM_HC_PPC_MAP_MAGIC_PAGE, KVM_HC_KICK_CPU,
	KVM_HC_MIPS_GET_CLOCK_FREQ, KVM_HC_MIPS_EXIT_VM,
	KVM_HC_MIPS_CONSOLE_OUTPUT, KVM_HC_CLOCK_PAIRING, KVM_HC_SEND_IPI,
	KVM_HC_SCHED_YIELD, KVM_HC_MAP_GPA_RANGE,
};

/* Return: 0 if hypercall_nr is -1 or a number we may serve, else -EINVAL. */
int kvmintro_hypercall_nr_check(void)
{
	int i;

	if (kvmintro_hypercall_nr == -1)
		return 0;
	if (kvmintro_hypercall_nr < 0) {
		pr_err("hypercall_nr=%d: must be -1 (off) or a number >= 0\n",
		       kvmintro_hypercall_nr);
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(kvmintro_kvm_hypercalls); i++) {
		if (kvmintro_hypercall_nr == kvmintro_kvm_hypercalls[i]) {
			pr_err("hypercall_nr=%d is a KVM_HC_* hypercall of KVM's own: pick a number KVM does not use\n",
			       kvmintro_hypercall_nr);
			return -EINVAL;
		}
	}
	return 0;
}
