// SPDX-License-Identifier: GPL-2.0
/*
 * The opt-in guest->host translation call on arm64
 * (Documentation/hypercall.rst): its function number, hypercall_nr,
 * checked at load.  hooks/kvm_smccc_call_handler.c answers the call with
 * the translation of introspect/hypercall.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/arm-smccc.h>
#include <linux/moduleparam.h>

#include "../../kvmintro.h"
#include "hypercall.h"

int kvmintro_hypercall_nr = -1;
module_param_named(hypercall_nr, kvmintro_hypercall_nr, int, 0444);
MODULE_PARM_DESC(hypercall_nr,
		 "guest->host address translation call: SMCCC vendor hypervisor function number n (128-0xfeff) of call 0xc6000000+n; -1 (default) = off; exposes host physical addresses to guests");

/*
 * SMCCC reserves the top of every service's function numbers for its
 * general queries (call count 0xff00, UID 0xff01, revision 0xff03).
 */
#define KVMINTRO_SMCCC_FUNC_GENERAL_QUERIES	0xff00

/*
 * Return: 0 if hypercall_nr is -1 or a vendor hypervisor function number
 * KVM does not use, else -EINVAL.
 */
int kvmintro_hypercall_nr_check(void)
{
	int nr = kvmintro_hypercall_nr;

	if (nr == -1)
		return 0;
	if (nr < 0 || nr > ARM_SMCCC_FUNC_MASK) {
		pr_err("hypercall_nr=%d: must be -1 (off) or an SMCCC function number, 128 to 0xfeff\n",
		       nr);
		return -EINVAL;
	}
	/* KVM's features call (function 0) describes 0-127 as KVM's own. */
	if (nr < ARM_SMCCC_KVM_NUM_FUNCS) {
		pr_err("hypercall_nr=%d is in KVM's own vendor hypervisor range (0-%d): pick a number from 128 to 0xfeff\n",
		       nr, ARM_SMCCC_KVM_NUM_FUNCS - 1);
		return -EINVAL;
	}
	if (nr >= KVMINTRO_SMCCC_FUNC_GENERAL_QUERIES) {
		pr_err("hypercall_nr=%d is an SMCCC general query (0xff00-0xffff): pick a number from 128 to 0xfeff\n",
		       nr);
		return -EINVAL;
	}
	return 0;
}
