// SPDX-License-Identifier: GPL-2.0
/*
 * Hook on kvm_vcpu_ioctl(): every KVM_RUN enters here first, in the thread
 * that runs the vcpu.  The handler records and returns; it never sleeps and
 * never changes what KVM does.
 *
 * An ftrace_ops of its own on the function's fentry call rather than a
 * kprobe: the trampoline saves only the argument registers and calls the
 * handler directly, without the kprobe's full register save and dispatch,
 * as this runs on every KVM_RUN of every VM of the host.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>

#include "../introspect/compat.h"
#include "../introspect/kvmintro.h"

static void notrace kvmintro_kvm_vcpu_ioctl_entry(unsigned long ip,
						   unsigned long parent_ip,
						   struct ftrace_ops *ops,
						   struct ftrace_regs *fregs)
{
	/* kvm_vcpu_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg) */
	struct file *filp;
	int bit;

	if ((unsigned int)kvmintro_ftrace_argument(fregs, 1) != KVM_RUN)
		return;
	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (bit < 0)
		return;
	filp = (struct file *)kvmintro_ftrace_argument(fregs, 0);
	kvmintro_vcpu_run_enter(filp->private_data);
	ftrace_test_recursion_unlock(bit);
}

static struct ftrace_ops kvmintro_kvm_vcpu_ioctl_ops = {
	.func = kvmintro_kvm_vcpu_ioctl_entry,
};

int kvmintro_hook_kvm_vcpu_ioctl_register(void)
{
	static unsigned char name[] = "kvm_vcpu_ioctl";
	int r;

	r = ftrace_set_filter(&kvmintro_kvm_vcpu_ioctl_ops, name,
			      strlen(name), 1);
	if (!r)
		r = register_ftrace_function(&kvmintro_kvm_vcpu_ioctl_ops);
	if (r) {
		ftrace_free_filter(&kvmintro_kvm_vcpu_ioctl_ops);
		pr_err("cannot hook kvm_vcpu_ioctl (%d): is kvm.ko loaded?\n", r);
	}
	return r;
}

void kvmintro_hook_kvm_vcpu_ioctl_unregister(void)
{
	unregister_ftrace_function(&kvmintro_kvm_vcpu_ioctl_ops);
	ftrace_free_filter(&kvmintro_kvm_vcpu_ioctl_ops);
}
