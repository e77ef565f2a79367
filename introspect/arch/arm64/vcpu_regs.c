// SPDX-License-Identifier: GPL-2.0
/*
 * Reading an arm64 vcpu's registers.
 *
 * KVM/arm64 keeps a vcpu's state in vcpu->arch.ctxt while the vcpu is not
 * loaded on a CPU: the general-purpose registers, PC and PSTATE in
 * ctxt.regs (vcpu_gp_regs()), the EL1 system registers, SP_EL1, ELR_EL1
 * and SPSR_EL1 in ctxt.sys_regs[] (ctxt_sys_reg()).  While it is loaded
 * (between vcpu_load() and vcpu_put(), i.e. inside KVM_RUN or another
 * vcpu ioctl), on VHE the EL1 system registers live in the hardware and
 * the memory copy is stale; vcpu_put() saves them back
 * (kvm_vcpu_put_vhe()).  A paused vcpu's thread waits outside KVM_RUN,
 * and holding the vcpu mutex keeps every other vcpu ioctl, so every
 * vcpu_load(), out: the memory copy is current, and it is read as
 * KVM_GET_ONE_REG reads it when the vcpu is not loaded, without a call
 * into KVM.
 *
 * ctxt_sys_reg() rather than __vcpu_sys_reg(): the latter calls
 * kvm_vcpu_sanitise_vncr_reg(), not exported, for a nested guest; the
 * former reads the same memory (the VNCR page for a nested guest).
 */
#include <asm/kvm_host.h>

#include "../../kvmintro.h"
#include "arch_regs.h"

static void kvmintro_arm64_copy_regs(struct kvmintro_regs *to,
				     struct kvm_vcpu *vcpu)
{
	const struct kvm_cpu_context *ctxt = &vcpu->arch.ctxt;
	const struct user_pt_regs *regs = vcpu_gp_regs(vcpu);
	static const int sys_regs[KVMINTRO_ARM64_NR_SYS_REGS] = {
		[KVMINTRO_ARM64_SCTLR_EL1] = SCTLR_EL1,
		[KVMINTRO_ARM64_TTBR0_EL1] = TTBR0_EL1,
		[KVMINTRO_ARM64_TTBR1_EL1] = TTBR1_EL1,
		[KVMINTRO_ARM64_TCR_EL1] = TCR_EL1,
		[KVMINTRO_ARM64_MAIR_EL1] = MAIR_EL1,
		[KVMINTRO_ARM64_VBAR_EL1] = VBAR_EL1,
		[KVMINTRO_ARM64_ESR_EL1] = ESR_EL1,
		[KVMINTRO_ARM64_FAR_EL1] = FAR_EL1,
		[KVMINTRO_ARM64_CONTEXTIDR_EL1] = CONTEXTIDR_EL1,
		[KVMINTRO_ARM64_TPIDR_EL1] = TPIDR_EL1,
	};
	int i;

	BUILD_BUG_ON(sizeof(to->x) != sizeof(regs->regs));
	memcpy(to->x, regs->regs, sizeof(to->x));
	to->sp = regs->sp;
	to->pc = regs->pc;
	to->pstate = regs->pstate;
	to->sp_el1 = ctxt_sys_reg(ctxt, SP_EL1);
	to->elr_el1 = ctxt_sys_reg(ctxt, ELR_EL1);
	to->spsr_el1 = ctxt_sys_reg(ctxt, SPSR_EL1);
	for (i = 0; i < KVMINTRO_ARM64_NR_SYS_REGS; i++)
		to->sys[i] = ctxt_sys_reg(ctxt, sys_regs[i]);
}

/*
 * See introspect/arch.h.  A protected VM's (pKVM) state is the
 * hypervisor's, not in the host's memory: -EINVAL, as KVM_GET_ONE_REG.
 */
int kvmintro_arch_vcpu_read_regs(struct kvm *kvm, struct kvm_vcpu *vcpu,
				 struct kvmintro_regs *to)
{
	int r;

	if (kvm_vm_is_protected(kvm))
		return -EINVAL;
	r = kvmintro_vcpu_lock(vcpu);
	if (r)
		return r;
	kvmintro_arm64_copy_regs(to, vcpu);
	mutex_unlock(&vcpu->mutex);
	return 0;
}
