// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro: inspect running KVM virtual machines from the host.
 *
 * Module init and exit only; see Documentation/ for the interfaces.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "kvmintro.h"

static int __init kvmintro_init(void)
{
	const struct kvmintro_files *files;
	int r;

	/* Before anything else: a refused value leaves nothing behind. */
	r = kvmintro_arch_check_params();
	if (r)
		return r;

	r = kvmintro_lockdown_check_load();
	if (r)
		return r;

	r = kvmintro_symbols_resolve();
	if (r)
		return r;

	files = kvmintro_debugfs_create_root();
	if (IS_ERR(files)) {
		pr_err("cannot create /sys/kernel/debug/%s nor /proc/%s\n",
		       KBUILD_MODNAME, KBUILD_MODNAME);
		return PTR_ERR(files);
	}
	kvmintro_registry_init(files);

	/*
	 * Hooks go live before the first scan: a VM destroyed or created
	 * while scanning must not be missed.  They are safe with an empty
	 * registry.
	 */
	r = kvmintro_hook_kvm_destroy_vm_register();
	if (r)
		goto out_err_no_destroy_hook;
	r = kvmintro_hook_kvm_dev_ioctl_register();
	if (r)
		goto out_err_no_dev_ioctl_hook;
	r = kvmintro_hook_kvm_vcpu_ioctl_register();
	if (r)
		goto out_err_no_vcpu_ioctl_hook;
	r = kvmintro_arch_hooks_register();
	if (r)
		goto out_err_no_arch_hooks;

	kvmintro_registry_rescan();
	return 0;

out_err_no_arch_hooks:
	kvmintro_hook_kvm_vcpu_ioctl_unregister();
out_err_no_vcpu_ioctl_hook:
	kvmintro_hook_kvm_dev_ioctl_unregister();
out_err_no_dev_ioctl_hook:
	kvmintro_hook_kvm_destroy_vm_unregister();
out_err_no_destroy_hook:
	kvmintro_registry_close();
	kvmintro_debugfs_remove_root();
	kvmintro_registry_exit();
	return r;
}

static void __exit kvmintro_exit(void)
{
	/*
	 * No debugfs file is open (each holds a module reference), but
	 * /proc ones may be, an operation in flight: removing the trees
	 * waits for those, with the hooks still in place for a pause in
	 * progress, and releases the files.  Then the hooks, whose
	 * unregistration waits for handlers in flight; then the entries,
	 * and with them every parked vcpu thread.
	 */
	kvmintro_registry_close();
	kvmintro_debugfs_remove_root();
	kvmintro_arch_hooks_unregister();
	kvmintro_hook_kvm_vcpu_ioctl_unregister();
	kvmintro_hook_kvm_dev_ioctl_unregister();
	kvmintro_hook_kvm_destroy_vm_unregister();
	kvmintro_registry_exit();
}

module_init(kvmintro_init);
module_exit(kvmintro_exit);

MODULE_DESCRIPTION("Inspect running KVM virtual machines from the host");
MODULE_LICENSE("GPL");
