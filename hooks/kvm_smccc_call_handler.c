// SPDX-License-Identifier: GPL-2.0
/*
 * Hook on kvm_smccc_call_handler() (kvm_hvc_call_handler() before 6.4),
 * KVM/arm64's handler of a guest's SMCCC call by HVC (or SMC): the opt-in
 * guest->host translation call, see Documentation/hypercall.rst.
 *
 * As on x86 (hooks/kvm_emulate_hypercall.c), KVM runs the call as always.
 * The entry handler only notes a call whose function ID (W0) is
 * 0xc6000000 + hypercall_nr (introspect/arch/arm64/hypercall.c has the
 * parameter) from an AArch64 vcpu outside a nested guest, that the VMM's
 * SMCCC filter leaves to KVM; at return, if and only if KVM answered it
 * SMCCC_RET_NOT_SUPPORTED in X0 and returned to the guest (1), the handler
 * overwrites X0-X3 with the translation of introspect/hypercall.c, after
 * KVM's own smccc_set_retval().  Control flow is never changed: KVM's
 * handler runs, its return value is KVM's.
 *
 * KVM answers every vendor hypervisor function it does not implement
 * SMCCC_RET_NOT_SUPPORTED, X1-X3 0 (6.4+: its firmware bitmaps deny it;
 * 6.1: kvm_hvc_call_allowed() does), so that answer is the sign that the
 * function is not KVM's.  The guest's X0-X3 live in vcpu->arch.ctxt while
 * KVM handles an exit, and are loaded from there at the next entry (VHE
 * and nVHE alike).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/arm-smccc.h>
#include <linux/kprobes.h>
#include <asm/kvm_emulate.h>

#include "../introspect/kvmintro.h"
#include "../introspect/arch/arm64/compat.h"
#include "../introspect/arch/arm64/hypercall.h"

/* What the entry handler hands to the return handler. */
struct kvmintro_smccc_call {
	struct kvm_vcpu *vcpu;
	u64 gpa;
};

static int kvmintro_kvm_smccc_call_handler_entry(struct kretprobe_instance *ri,
						 struct pt_regs *regs)
{
	/* int kvm_smccc_call_handler(struct kvm_vcpu *vcpu) */
	struct kvm_vcpu *vcpu = (void *)regs_get_kernel_argument(regs, 0);
	struct kvmintro_smccc_call *call = (void *)ri->data;
	/* W0, as KVM's smccc_get_function() reads it. */
	u32 func_id = vcpu_get_reg(vcpu, 0);

	/* Non-zero: not ours, do not watch this call's return. */
	if (func_id != KVMINTRO_SMCCC_FUNC_ID(kvmintro_hypercall_nr))
		return 1;
	/* An AArch32 guest cannot make an SMC64 call (KVM denies it). */
	if (vcpu_mode_is_32bit(vcpu))
		return 1;
	/* A nested guest's addresses are not the VM's. */
	if (kvmintro_vcpu_in_nested_guest(vcpu))
		return 1;
	/* The VMM denied the function or takes it itself. */
	if (!kvmintro_smccc_filter_handles(vcpu->kvm, func_id))
		return 1;
	call->vcpu = vcpu;
	call->gpa = vcpu_get_reg(vcpu, 1);
	return 0;
}
NOKPROBE_SYMBOL(kvmintro_kvm_smccc_call_handler_entry);

static int kvmintro_kvm_smccc_call_handler_return(struct kretprobe_instance *ri,
						  struct pt_regs *regs)
{
	struct kvmintro_smccc_call *call = (void *)ri->data;
	struct kvm_vcpu *vcpu = call->vcpu;
	u64 hpa, pfn, flags;

	/*
	 * KVM's answer decides: anything but a return to the guest with
	 * SMCCC_RET_NOT_SUPPORTED in all of X0 means KVM handled the call
	 * or failed it.
	 */
	if (regs_return_value(regs) != 1 ||
	    vcpu_get_reg(vcpu, 0) != (unsigned long)SMCCC_RET_NOT_SUPPORTED)
		return 0;

	kvmintro_hypercall_translate(vcpu, call->gpa, &hpa, &pfn, &flags);
	vcpu_set_reg(vcpu, 0, hpa);
	vcpu_set_reg(vcpu, 1, pfn);
	vcpu_set_reg(vcpu, 2, flags);
	vcpu_set_reg(vcpu, 3, 0);
	return 0;
}
NOKPROBE_SYMBOL(kvmintro_kvm_smccc_call_handler_return);

static struct kretprobe kvmintro_kvm_smccc_call_handler_probe = {
	.entry_handler = kvmintro_kvm_smccc_call_handler_entry,
	.handler = kvmintro_kvm_smccc_call_handler_return,
	.data_size = sizeof(struct kvmintro_smccc_call),
	/* 0: the kprobes default, max(10, 2 * possible CPUs) */
};

int kvmintro_hook_kvm_smccc_call_handler_register(void)
{
	const char *name = kvmintro_kvm_smccc_handler_name();
	int r;

	if (!kvmintro_kvm_vcpu_gfn_to_hva) {
		pr_err("cannot find kvm_vcpu_gfn_to_hva: the translation call needs it to find guest pages\n");
		return -ENOENT;
	}
	kvmintro_kvm_smccc_call_handler_probe.kp.symbol_name = name;
	r = register_kretprobe(&kvmintro_kvm_smccc_call_handler_probe);
	if (r)
		pr_err("cannot hook %s (%d)\n", name, r);
	else
		pr_warn("SMCCC call 0x%x serves guest physical -> host physical translations to every guest kernel\n",
			KVMINTRO_SMCCC_FUNC_ID(kvmintro_hypercall_nr));
	return r;
}

void kvmintro_hook_kvm_smccc_call_handler_unregister(void)
{
	unregister_kretprobe(&kvmintro_kvm_smccc_call_handler_probe);
}
