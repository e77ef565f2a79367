// SPDX-License-Identifier: GPL-2.0
/*
 * Hook on kvm_emulate_hypercall(), KVM's handler of a guest's vmcall
 * (Intel) or vmmcall (AMD): the opt-in guest->host translation hypercall,
 * see Documentation/hypercall.rst.
 *
 * KVM runs the call as always.  The entry handler only notes a call whose
 * RAX is hypercall_nr (introspect/arch/x86/hypercall.c has the parameter,
 * introspect/hypercall.c the translation); at return, if and only if KVM
 * answered it with -KVM_ENOSYS (a number it does not implement) for a
 * 64-bit caller at CPL 0, the handler overwrites the result registers in
 * vcpu->arch.regs[], after KVM's own write of RAX and after KVM skipped the
 * instruction.  Control flow is never changed.
 *
 * Both kernel series (6.1 and 6.12) have kvm_emulate_hypercall(vcpu) as
 * the exit handler that reads the arguments from vcpu->arch.regs[], writes
 * RAX there and skips the instruction (6.12 moved the dispatch into
 * __kvm_emulate_hypercall(), called from it), so one hook serves both.
 * On SVM and VMX every GPR but RSP (and RIP) lives in vcpu->arch.regs[]
 * while KVM handles an exit, and is loaded from there at the next entry:
 * SVM copies regs[RAX] into vmcb->save.rax in svm_vcpu_run(), the other
 * GPRs come from regs[] in __svm_vcpu_run()/__vmx_vcpu_run().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/kvm_para.h>

#include "../introspect/kvmintro.h"
#include "../introspect/arch/x86/x86.h"

/* What the entry handler hands to the return handler. */
struct kvmintro_hypercall_call {
	struct kvm_vcpu *vcpu;
	u64 gpa;
};

/* A long mode guest in a 64-bit code segment, as KVM decides it. */
static bool kvmintro_vcpu_64_bit_mode(struct kvm_vcpu *vcpu)
{
	int cs_db, cs_l;

	if (!(vcpu->arch.efer & EFER_LMA))
		return false;
	kvmintro_kvm_x86_ops->get_cs_db_l_bits(vcpu, &cs_db, &cs_l);
	return cs_l;
}

static int kvmintro_kvm_emulate_hypercall_entry(struct kretprobe_instance *ri,
						struct pt_regs *regs)
{
	/* int kvm_emulate_hypercall(struct kvm_vcpu *vcpu) */
	struct kvm_vcpu *vcpu = (void *)regs_get_kernel_argument(regs, 0);
	struct kvmintro_hypercall_call *call = (void *)ri->data;

	/* Non-zero: not ours, do not watch this call's return. */
	if (vcpu->arch.regs[VCPU_REGS_RAX] != (unsigned long)kvmintro_hypercall_nr)
		return 1;
	/* Encrypted state (SEV-ES/SNP): the registers are not the guest's. */
	if (vcpu->arch.guest_state_protected)
		return 1;
	/*
	 * A nested guest (L2) of this VM: its GPAs are not the VM's, the
	 * memslots would translate the wrong address.  is_guest_mode() is
	 * KVM-internal; HF_GUEST_MASK is its test.
	 */
	if (vcpu->arch.hflags & HF_GUEST_MASK)
		return 1;
	call->vcpu = vcpu;
	call->gpa = vcpu->arch.regs[VCPU_REGS_RBX];
	return 0;
}
NOKPROBE_SYMBOL(kvmintro_kvm_emulate_hypercall_entry);

static int kvmintro_kvm_emulate_hypercall_return(struct kretprobe_instance *ri,
						 struct pt_regs *regs)
{
	struct kvmintro_hypercall_call *call = (void *)ri->data;
	struct kvm_vcpu *vcpu = call->vcpu;
	u64 hpa, pfn, flags;

	/*
	 * KVM's answer decides: anything but a 64-bit -KVM_ENOSYS means KVM
	 * handled the call (Xen, Hyper-V, an exit to userspace), refused it
	 * (-KVM_EPERM at CPL > 0) or truncated it for a 32-bit caller.
	 */
	if (vcpu->arch.regs[VCPU_REGS_RAX] != (unsigned long)-KVM_ENOSYS)
		return 0;
	if (kvmintro_kvm_x86_ops->get_cpl(vcpu) != 0 ||
	    !kvmintro_vcpu_64_bit_mode(vcpu))
		return 0;

	kvmintro_hypercall_translate(vcpu, call->gpa, &hpa, &pfn, &flags);
	vcpu->arch.regs[VCPU_REGS_RAX] = hpa;
	vcpu->arch.regs[VCPU_REGS_RDX] = pfn;
	vcpu->arch.regs[VCPU_REGS_RSI] = flags;
	return 0;
}
NOKPROBE_SYMBOL(kvmintro_kvm_emulate_hypercall_return);

static struct kretprobe kvmintro_kvm_emulate_hypercall_probe = {
	.kp.symbol_name = "kvm_emulate_hypercall",
	.entry_handler = kvmintro_kvm_emulate_hypercall_entry,
	.handler = kvmintro_kvm_emulate_hypercall_return,
	.data_size = sizeof(struct kvmintro_hypercall_call),
	/* 0: the kprobes default, max(10, 2 * possible CPUs) */
};

int kvmintro_hook_kvm_emulate_hypercall_register(void)
{
	int r;

	if (!kvmintro_kvm_x86_ops) {
		pr_err("cannot find kvm_x86_ops: the hypercall needs KVM's vendor ops\n");
		return -ENOENT;
	}
	if (!kvmintro_kvm_vcpu_gfn_to_hva) {
		pr_err("cannot find kvm_vcpu_gfn_to_hva: the hypercall needs it to find guest pages\n");
		return -ENOENT;
	}
	r = register_kretprobe(&kvmintro_kvm_emulate_hypercall_probe);
	if (r)
		pr_err("cannot hook kvm_emulate_hypercall (%d)\n", r);
	else
		pr_warn("hypercall %d serves guest physical -> host physical translations to every guest kernel\n",
			kvmintro_hypercall_nr);
	return r;
}

void kvmintro_hook_kvm_emulate_hypercall_unregister(void)
{
	unregister_kretprobe(&kvmintro_kvm_emulate_hypercall_probe);
}
