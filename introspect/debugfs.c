// SPDX-License-Identifier: GPL-2.0
/*
 * The debugfs tree:
 *
 *   /sys/kernel/debug/kvmintro/vms            one line per VM
 *   /sys/kernel/debug/kvmintro/<dir>/memslots memory slots of that VM
 *   /sys/kernel/debug/kvmintro/<dir>/vcpus    vcpus and their threads
 *   /sys/kernel/debug/kvmintro/<dir>/snapshot pause, resume, capture
 *   /sys/kernel/debug/kvmintro/<dir>/vcpu<N>/regs  registers of vcpu N
 *   /sys/kernel/debug/kvmintro/<dir>/gpa_hpa  guest to host physical table
 *   /sys/kernel/debug/kvmintro/<dir>/translate  one address at a time
 *   /sys/kernel/debug/kvmintro/<dir>/mem      guest physical memory
 *   /sys/kernel/debug/kvmintro/<dir>/scan     find patterns in it
 *   /sys/kernel/debug/kvmintro/<dir>/gva      guest virtual address walk
 *   /sys/kernel/debug/kvmintro/<dir>/core     guest memory as an ELF core
 *
 * Files are root-only, and those of a VM are for those who may ptrace its
 * VMM (kvmintro_vm_access_kvm()).  debugfs guards every operation: once a
 * directory is removed, operations on files still open return -EIO, and
 * removal waits for operations in flight, so handlers may use the entry in
 * inode->i_private.  A file that fails to be created costs that file
 * only, never the VM's tracking.
 *
 * Every file's operations name this module as their owner, so an open
 * file holds a module reference, as a driver's open device does: rmmod
 * fails with EBUSY ("in use") until the last kvmintro file is closed, and
 * nothing of the module is left behind once it is gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "kvmintro.h"

/* The VM's directory, <dir>/, and its files. */
static void kvmintro_debugfs_create_vm(struct kvmintro_vm *vm,
				       struct dentry *root)
{
	vm->dir = debugfs_create_dir(vm->name, root);
	if (IS_ERR(vm->dir))
		return;
	kvmintro_debugfs_create_memslots(vm);
	kvmintro_debugfs_create_vcpus(vm);
	kvmintro_debugfs_create_snapshot(vm);
	kvmintro_debugfs_create_gpa_hpa(vm);
	kvmintro_debugfs_create_translate(vm);
	kvmintro_debugfs_create_mem(vm);
	kvmintro_debugfs_create_scan(vm);
	kvmintro_debugfs_create_core(vm);
	kvmintro_debugfs_create_gva(vm);
	kvmintro_arch_debugfs_create_vm(vm);
}

/* vcpu<N>, N the vcpu id, as in KVM's own debugfs. */
static void kvmintro_debugfs_create_vcpu(struct kvmintro_vcpu *state,
					 struct kvm_vcpu *vcpu)
{
	char name[16];

	if (IS_ERR_OR_NULL(state->vm->dir))
		return;
	snprintf(name, sizeof(name), "vcpu%d", vcpu->vcpu_id);
	state->dir = debugfs_create_dir(name, state->vm->dir);
	if (IS_ERR(state->dir))
		return;
	kvmintro_debugfs_create_regs(state);
	kvmintro_arch_debugfs_create_vcpu(state);
}

/* The files of each VM and vcpu the registry finds. */
static struct kvmintro_files kvmintro_debugfs_files = {
	.create_vm = kvmintro_debugfs_create_vm,
	.create_vcpu = kvmintro_debugfs_create_vcpu,
};

/**
 * kvmintro_debugfs_create_root() - make /sys/kernel/debug/kvmintro and vms
 *
 * Return: how to make the files of the VMs found from now on, for
 * kvmintro_registry_init(), its @root the directory; or ERR_PTR().
 */
const struct kvmintro_files *kvmintro_debugfs_create_root(void)
{
	struct dentry *root;

	root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(root))
		return ERR_CAST(root);
	kvmintro_debugfs_create_vms(root);
	kvmintro_debugfs_files.root = root;
	return &kvmintro_debugfs_files;
}
