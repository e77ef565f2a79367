// SPDX-License-Identifier: GPL-2.0
/*
 * gpa_hpa.ko on arm64: the SMCCC vendor-specific hypervisor call
 * 0xc6000000 + hypercall_nr (fast, SMC64) by HVC, from EL1:
 *   in:  X0 = the function ID, X1 = the guest physical address
 *   out: X0 = host physical address (page offset kept) or -KVM_EFAULT,
 *        or SMCCC_RET_NOT_SUPPORTED where the host does not serve it;
 *        X1 = host frame number, X2 = flags, X3 = 0.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/arm-smccc.h>
#include <linux/errno.h>
#include <linux/types.h>	/* before kvm_para.h, which uses bool */
#include <linux/kvm_para.h>
#include <linux/printk.h>

#include "../gpa_hpa.h"

/* The highest number the host's kvmintro takes (its hypercall_nr). */
#define GPA_HPA_FUNC_NR_MAX	0xfeff

/*
 * KVM's vendor hypervisor UID, 28b46fb6-2ec5-11e9-a9ca-4b564d003a74, as
 * the UID call returns it in W0-W3: an ABI constant, kept here because
 * the kernel's own names for these words (ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_*)
 * gave way to a uuid_t in later kernels.
 */
static const u32 gpa_hpa_kvm_uid[4] = {
	0xb66fb428, 0xe911c52e, 0x564bcaa9, 0x743a004d,
};

static u32 gpa_hpa_func_id(int nr)
{
	return ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_64,
				  ARM_SMCCC_OWNER_VENDOR_HYP, nr);
}

void gpa_hpa_arch_call(int nr, u64 gpa, struct gpa_hpa_answer *answer)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_hvc(gpa_hpa_func_id(nr), gpa, &res);
	answer->ret = res.a0;
	answer->pfn = res.a1;
	answer->flags = res.a2;
}

const char *gpa_hpa_arch_error_reason(long ret)
{
	switch (ret) {
	case -KVM_EFAULT:
		return "not-backed";
	case SMCCC_RET_NOT_SUPPORTED:
		return "hypercall-not-enabled";
	default:
		return "unknown";
	}
}

/*
 * Numbers 0-127 are KVM's own vendor hypervisor functions, 0xff00 and up
 * SMCCC's general queries.  The call goes by HVC to a KVM host: SMCCC 1.1
 * with the HVC conduit, and the vendor hypervisor UID KVM answers.
 */
int gpa_hpa_arch_check_guest(int nr)
{
	struct arm_smccc_res res;

	if (nr < ARM_SMCCC_KVM_NUM_FUNCS || nr > GPA_HPA_FUNC_NR_MAX) {
		pr_err("hypercall_nr=%d: pick a function number from 128 to 0xfeff, as on the host, e.g. 0x4b49\n",
		       nr);
		return -EINVAL;
	}
	if (arm_smccc_1_1_get_conduit() != SMCCC_CONDUIT_HVC) {
		pr_err("no SMCCC 1.1 HVC conduit: not running under a hypervisor\n");
		return -ENODEV;
	}
	arm_smccc_1_1_hvc(ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID, &res);
	if (res.a0 != gpa_hpa_kvm_uid[0] || res.a1 != gpa_hpa_kvm_uid[1] ||
	    res.a2 != gpa_hpa_kvm_uid[2] || res.a3 != gpa_hpa_kvm_uid[3]) {
		pr_err("not running under KVM (vendor hypervisor UID is not KVM's)\n");
		return -ENODEV;
	}
	return 0;
}
