// SPDX-License-Identifier: GPL-2.0
/*
 * gpa_hpa.ko on x86: the hypercall (vmcall on Intel, vmmcall on AMD, at
 * CPL 0 in 64-bit mode):
 *   in:  RAX = hypercall_nr, RBX = the guest physical address
 *   out: RAX = host physical address (page offset kept) or -KVM_Exxx,
 *        RDX = host frame number, RSI = flags.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cc_platform.h>
#include <linux/errno.h>
#include <linux/kvm_para.h>
#include <linux/printk.h>

#include "../gpa_hpa.h"

/*
 * KVM_HYPERCALL is vmcall or vmmcall, patched at load for this CPU's
 * vendor.  Besides RAX, the host writes RDX and RSI: tell the compiler,
 * and zero them first so that a KVM that does not serve the number (RAX =
 * -KVM_ENOSYS, RDX and RSI untouched) leaves zeros there.
 */
void gpa_hpa_arch_call(int nr, u64 gpa, struct gpa_hpa_answer *answer)
{
	unsigned long rax = nr, rdx = 0, rsi = 0;

	asm volatile(KVM_HYPERCALL
		     : "+a"(rax), "+d"(rdx), "+S"(rsi)
		     : "b"(gpa)
		     : "memory");
	answer->ret = rax;
	answer->pfn = rdx;
	answer->flags = rsi;
}

const char *gpa_hpa_arch_error_reason(long ret)
{
	switch (ret) {
	case -KVM_EFAULT:
		return "not-backed";
	case -KVM_ENOSYS:
		return "hypercall-not-enabled";
	case -KVM_EPERM:
		return "not-permitted";
	case -KVM_EINVAL:
		return "invalid";
	default:
		return "unknown";
	}
}

/*
 * KVM's own hypercalls (KVM_HC_*) are small numbers: one of them would do
 * something else than answer, so refuse it.  Confidential guests (SEV-ES,
 * TDX) hand only RAX back from the host: refuse them too.
 */
int gpa_hpa_arch_check_guest(int nr)
{
	if (nr <= KVM_HC_MAP_GPA_RANGE) {
		pr_err("hypercall_nr=%d is one of KVM's own hypercalls (KVM_HC_*): pick another, e.g. 0x4b49\n",
		       nr);
		return -EINVAL;
	}
	if (!kvm_para_available()) {
		pr_err("not running under KVM\n");
		return -ENODEV;
	}
	if (cc_platform_has(CC_ATTR_GUEST_STATE_ENCRYPT) ||
	    boot_cpu_has(X86_FEATURE_TDX_GUEST)) {
		pr_err("confidential guest: the host cannot return RDX and RSI\n");
		return -ENODEV;
	}
	return 0;
}
