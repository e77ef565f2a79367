// SPDX-License-Identifier: GPL-2.0
/*
 * Hook on kvm_vcpu_ioctl(): every KVM_RUN enters here first, in the thread
 * that runs the vcpu.  The handler records and returns; it never sleeps and
 * never changes what KVM does.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>

#include "../introspect/kvmintro.h"

static int kvmintro_kvm_vcpu_ioctl_pre(struct kprobe *probe,
				       struct pt_regs *regs)
{
	/* kvm_vcpu_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg) */
	struct file *filp = (struct file *)regs_get_kernel_argument(regs, 0);
	unsigned int ioctl = regs_get_kernel_argument(regs, 1);

	if (ioctl == KVM_RUN)
		kvmintro_vcpu_run_enter(filp->private_data);
	return 0;
}
NOKPROBE_SYMBOL(kvmintro_kvm_vcpu_ioctl_pre);

static struct kprobe kvmintro_kvm_vcpu_ioctl_probe = {
	.symbol_name = "kvm_vcpu_ioctl",
	.pre_handler = kvmintro_kvm_vcpu_ioctl_pre,
};

int kvmintro_hook_kvm_vcpu_ioctl_register(void)
{
	int r = register_kprobe(&kvmintro_kvm_vcpu_ioctl_probe);

	if (r)
		pr_err("cannot hook kvm_vcpu_ioctl (%d): is kvm.ko loaded?\n", r);
	return r;
}

void kvmintro_hook_kvm_vcpu_ioctl_unregister(void)
{
	unregister_kprobe(&kvmintro_kvm_vcpu_ioctl_probe);
}
