// SPDX-License-Identifier: GPL-2.0
/*
 * Hook on kvm_destroy_vm(): KVM calls it when the last reference on a VM is
 * dropped, before it frees anything.  kvmintro forgets the VM there, so it
 * never touches a struct kvm that is being or has been freed.
 *
 * The handler cannot be skipped: kprobes drop a hit only when it nests in
 * another kprobe handler on the same CPU, and kvm_destroy_vm() is never
 * called from one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>

#include "../introspect/kvmintro.h"

static int kvmintro_kvm_destroy_vm_pre(struct kprobe *probe,
				       struct pt_regs *regs)
{
	/* kvm_destroy_vm(struct kvm *kvm) */
	kvmintro_vm_destroyed((struct kvm *)regs_get_kernel_argument(regs, 0));
	return 0;
}
NOKPROBE_SYMBOL(kvmintro_kvm_destroy_vm_pre);

static struct kprobe kvmintro_kvm_destroy_vm_probe = {
	.symbol_name = "kvm_destroy_vm",
	.pre_handler = kvmintro_kvm_destroy_vm_pre,
};

int kvmintro_hook_kvm_destroy_vm_register(void)
{
	int r = register_kprobe(&kvmintro_kvm_destroy_vm_probe);

	if (r)
		pr_err("cannot hook kvm_destroy_vm (%d)\n", r);
	return r;
}

void kvmintro_hook_kvm_destroy_vm_unregister(void)
{
	unregister_kprobe(&kvmintro_kvm_destroy_vm_probe);
}
