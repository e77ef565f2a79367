// SPDX-License-Identifier: GPL-2.0
/*
 * Hook on the return of kvm_dev_ioctl(), the ioctl handler of /dev/kvm:
 * after a successful KVM_CREATE_VM, have the calling thread pick the new VM
 * up on its way back to user mode, so that its directory exists by the
 * time the VMM has the VM's file descriptor.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>

#include "../introspect/kvmintro.h"

static int kvmintro_kvm_dev_ioctl_entry(struct kretprobe_instance *instance,
					struct pt_regs *regs)
{
	/* kvm_dev_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg) */
	unsigned int ioctl = regs_get_kernel_argument(regs, 1);

	/* Non-zero: do not watch this call's return. */
	return ioctl != KVM_CREATE_VM;
}
NOKPROBE_SYMBOL(kvmintro_kvm_dev_ioctl_entry);

static int kvmintro_kvm_dev_ioctl_return(struct kretprobe_instance *instance,
					 struct pt_regs *regs)
{
	if ((long)regs_return_value(regs) >= 0)
		kvmintro_registry_rescan_before_user();
	return 0;
}
NOKPROBE_SYMBOL(kvmintro_kvm_dev_ioctl_return);

static struct kretprobe kvmintro_kvm_dev_ioctl_probe = {
	.kp.symbol_name = "kvm_dev_ioctl",
	.entry_handler = kvmintro_kvm_dev_ioctl_entry,
	.handler = kvmintro_kvm_dev_ioctl_return,
	/*
	 * Calls watched at once.  /dev/kvm ioctls sleep, so a busy host can
	 * have many in flight; one past this is missed (counted in nmissed)
	 * and its VM is picked up at its first KVM_RUN or the next read of
	 * vms instead.
	 */
	.maxactive = 256,
};

int kvmintro_hook_kvm_dev_ioctl_register(void)
{
	int r = register_kretprobe(&kvmintro_kvm_dev_ioctl_probe);

	if (r)
		pr_err("cannot hook kvm_dev_ioctl (%d)\n", r);
	return r;
}

void kvmintro_hook_kvm_dev_ioctl_unregister(void)
{
	unregister_kretprobe(&kvmintro_kvm_dev_ioctl_probe);
}
