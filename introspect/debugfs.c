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
 *   /sys/kernel/debug/kvmintro/<dir>/stage2   KVM's second-stage table
 *
 * (the table kvmintro_files[] below lists them, and creation walks it),
 * and the same tree again under /proc/kvmintro, for hosts where debugfs
 * is not there or refuses writable files: under lockdown (integrity mode
 * and up, as with Secure Boot) debugfs opens read-only files only, which
 * leaves no pause, translate, scan, gva or stage2 (Documentation/
 * security.rst, "Lockdown").  procfs does not lock down; what lockdown
 * does forbid kvmintro checks itself (files.c).  Both trees are always
 * there, since lockdown may be raised after the module loads.
 *
 * Files are root-only (the /proc directory is 0500), and those of a VM
 * are for those who may ptrace its VMM (kvmintro_vm_access_kvm()).  Both
 * file systems guard every operation: once a directory is removed,
 * operations on files still open return -EIO, and removal waits for
 * operations in flight (and, in procfs, releases the files still open),
 * so handlers may use the entry in inode->i_private.  A file that fails
 * to be created costs that file only, never the VM's tracking.
 *
 * Every debugfs file's operations name this module as their owner, so an
 * open one holds a module reference, as a driver's open device does:
 * rmmod fails with EBUSY ("in use") until the last is closed.  procfs
 * holds none: rmmod of a module with /proc files open releases them, and
 * later operations on them get -EIO.  Nothing of the module is left
 * behind once it is gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "kvmintro.h"

static struct kvmintro_files kvmintro_debugfs_files;

/* The files whose operations are a show function's (single_open()). */
DEFINE_SHOW_ATTRIBUTE(kvmintro_vms);
DEFINE_SHOW_ATTRIBUTE(kvmintro_vcpus);
DEFINE_SHOW_ATTRIBUTE(kvmintro_memslots);
DEFINE_SHOW_ATTRIBUTE(kvmintro_regs);

/*
 * Every file of the trees, in the order it is made; the architecture's
 * own, kvmintro_arch_files[], follow.  Those of a VM are for those who may
 * ptrace its VMM (each file's operations check), whatever their mode.
 */
static const struct kvmintro_file kvmintro_files[] = {
	KVMINTRO_FILE(KVMINTRO_FILE_ROOT, "vms", 0400, &kvmintro_vms_fops),
	KVMINTRO_FILE(KVMINTRO_FILE_VM, "memslots", 0400,
		      &kvmintro_memslots_fops),
	KVMINTRO_FILE(KVMINTRO_FILE_VM, "vcpus", 0400, &kvmintro_vcpus_fops),
	KVMINTRO_FILE(KVMINTRO_FILE_VM, "snapshot", 0600,
		      &kvmintro_snapshot_fops),
	KVMINTRO_FILE(KVMINTRO_FILE_VM, "snapshot_gpa_hpa", 0400,
		      &kvmintro_snapshot_gpa_hpa_fops),
	KVMINTRO_FILE(KVMINTRO_FILE_VM, "gpa_hpa", 0400,
		      &kvmintro_gpa_hpa_fops),
	KVMINTRO_FILE(KVMINTRO_FILE_VM, "translate", 0600,
		      &kvmintro_translate_fops),
	{
		.name = "mem",
		.mode = 0600,
		.may_write = kvmintro_mem_may_write,
		.scope = KVMINTRO_FILE_VM,
		.fops = &kvmintro_mem_fops,
	},
	KVMINTRO_FILE(KVMINTRO_FILE_VM, "scan", 0600, &kvmintro_scan_fops),
	KVMINTRO_FILE(KVMINTRO_FILE_VM, "core", 0400, &kvmintro_core_fops),
	KVMINTRO_FILE(KVMINTRO_FILE_VM, "gva", 0600, &kvmintro_gva_fops),
	KVMINTRO_FILE(KVMINTRO_FILE_VM, "stage2", 0600, &kvmintro_stage2_fops),
	KVMINTRO_FILE(KVMINTRO_FILE_VCPU, "regs", 0400, &kvmintro_regs_fops),
};

static void __kvmintro_debugfs_create_files(const struct kvmintro_file *files,
					    unsigned int nr,
					    enum kvmintro_file_scope scope,
					    struct kvmintro_dir *dir,
					    void *data)
{
	const struct kvmintro_file *file;
	umode_t mode;

	for (file = files; file < files + nr; file++) {
		if (file->scope != scope)
			continue;
		mode = file->mode;
		if (file->may_write && !file->may_write())
			mode &= ~0222;
		kvmintro_debugfs_create_file(file->name, mode, dir, data,
					     file->fops);
	}
}

/* The files of the tables whose scope is @scope, in @dir. */
static void kvmintro_debugfs_create_files(enum kvmintro_file_scope scope,
					  struct kvmintro_dir *dir, void *data)
{
	__kvmintro_debugfs_create_files(kvmintro_files,
					ARRAY_SIZE(kvmintro_files), scope,
					dir, data);
	__kvmintro_debugfs_create_files(kvmintro_arch_files,
					kvmintro_arch_nr_files, scope, dir,
					data);
}

/* Make directory @name in @parent's trees, as @dir. */
static void kvmintro_debugfs_create_dir(const char *name,
					const struct kvmintro_dir *parent,
					struct kvmintro_dir *dir)
{
	dir->debugfs = NULL;
	dir->proc = NULL;
	if (!IS_ERR_OR_NULL(parent->debugfs))
		dir->debugfs = debugfs_create_dir(name, parent->debugfs);
	if (parent->proc)
		dir->proc = proc_mkdir_mode(name, 0500, parent->proc);
}

static bool kvmintro_debugfs_dir_exists(const struct kvmintro_dir *dir)
{
	return !IS_ERR_OR_NULL(dir->debugfs) || dir->proc;
}

/* The VM's directory, <dir>/, and its files. */
static void kvmintro_debugfs_create_vm(struct kvmintro_vm *vm)
{
	kvmintro_debugfs_create_dir(vm->name, &kvmintro_debugfs_files.root,
				    &vm->dir);
	if (!kvmintro_debugfs_dir_exists(&vm->dir))
		return;
	kvmintro_debugfs_create_files(KVMINTRO_FILE_VM, &vm->dir, vm);
}

/* vcpu<N>, N the vcpu id, as in KVM's own debugfs. */
static void kvmintro_debugfs_create_vcpu(struct kvmintro_vcpu *state,
					 struct kvm_vcpu *vcpu)
{
	char name[16];

	snprintf(name, sizeof(name), "vcpu%d", vcpu->vcpu_id);
	kvmintro_debugfs_create_dir(name, &state->vm->dir, &state->dir);
	if (!kvmintro_debugfs_dir_exists(&state->dir))
		return;
	kvmintro_debugfs_create_files(KVMINTRO_FILE_VCPU, &state->dir, state);
}

static void kvmintro_debugfs_remove(struct kvmintro_dir *dir)
{
	debugfs_remove_recursive(dir->debugfs);
	proc_remove(dir->proc);
}

static void kvmintro_debugfs_remove_vm(struct kvmintro_vm *vm)
{
	kvmintro_debugfs_remove(&vm->dir);
}

/* The files of each VM and vcpu the registry finds. */
static struct kvmintro_files kvmintro_debugfs_files = {
	.create_vm = kvmintro_debugfs_create_vm,
	.create_vcpu = kvmintro_debugfs_create_vcpu,
	.remove_vm = kvmintro_debugfs_remove_vm,
};

/**
 * kvmintro_debugfs_create_root() - make the roots and their vms files
 *
 * /sys/kernel/debug/kvmintro and /proc/kvmintro; one of them is enough.
 *
 * Return: how to make the files of the VMs found from now on, for
 * kvmintro_registry_init(), its @root the directory; or ERR_PTR().
 */
const struct kvmintro_files *kvmintro_debugfs_create_root(void)
{
	struct kvmintro_dir *root = &kvmintro_debugfs_files.root;

	root->debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	root->proc = proc_mkdir_mode(KBUILD_MODNAME, 0500, NULL);
	if (IS_ERR(root->debugfs))
		pr_warn("no debugfs (CONFIG_DEBUG_FS, debugfs=): files in /proc/%s only\n",
			KBUILD_MODNAME);
	if (!root->proc)
		pr_warn("cannot create /proc/%s: files in debugfs only\n",
			KBUILD_MODNAME);
	if (!kvmintro_debugfs_dir_exists(root))
		return ERR_PTR(-ENOMEM);
	kvmintro_debugfs_create_files(KVMINTRO_FILE_ROOT, root, NULL);
	return &kvmintro_debugfs_files;
}

/* Remove both trees, with every VM's directory still in them. */
void kvmintro_debugfs_remove_root(void)
{
	kvmintro_debugfs_remove(&kvmintro_debugfs_files.root);
}
