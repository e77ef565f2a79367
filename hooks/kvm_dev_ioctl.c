// SPDX-License-Identifier: GPL-2.0
/*
 * Hook on kvm_dev_ioctl(), the ioctl handler of /dev/kvm: on KVM_CREATE_VM,
 * have the calling thread rescan KVM's VMs on its way back to user mode,
 * after the ioctl has returned and before the VMM can use what it returned,
 * so that the new VM's directory exists by the time the VMM has its file
 * descriptor.
 *
 * A plain kprobe on the entry rather than a kretprobe on the return: a
 * kretprobe watches a bounded number of calls at once (maxactive) and
 * misses the rest, and /dev/kvm ioctls sleep, so a busy host can have many
 * in flight.  A kprobe drops a hit only when it nests in another kprobe
 * handler on the same CPU, which an ioctl never does.  A KVM_CREATE_VM that
 * fails costs a rescan that finds nothing new.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>

#include "../introspect/kvmintro.h"

static int kvmintro_kvm_dev_ioctl_pre(struct kprobe *probe,
				      struct pt_regs *regs)
{
	/* kvm_dev_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg) */
	if ((unsigned int)regs_get_kernel_argument(regs, 1) == KVM_CREATE_VM)
		kvmintro_registry_rescan_before_user();
	return 0;
}
NOKPROBE_SYMBOL(kvmintro_kvm_dev_ioctl_pre);

static struct kprobe kvmintro_kvm_dev_ioctl_probe = {
	.symbol_name = "kvm_dev_ioctl",
	.pre_handler = kvmintro_kvm_dev_ioctl_pre,
};

int kvmintro_hook_kvm_dev_ioctl_register(void)
{
	int r = register_kprobe(&kvmintro_kvm_dev_ioctl_probe);

	if (r)
		pr_err("cannot hook kvm_dev_ioctl (%d)\n", r);
	return r;
}

void kvmintro_hook_kvm_dev_ioctl_unregister(void)
{
	unregister_kprobe(&kvmintro_kvm_dev_ioctl_probe);
}
