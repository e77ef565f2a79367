// SPDX-License-Identifier: GPL-2.0
/*
 * Resolve the KVM symbols kvmintro needs but KVM does not export.
 *
 * kallsyms_lookup_name() is not exported either; a kprobe registered on it
 * resolves its address for us, the same lookup the kprobe core does for any
 * probe by name.  Nothing here patches or exports anything.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/ptrace.h>

#include "kvmintro.h"

/* KVM's list of VMs, and the mutex that protects it. */
struct list_head *kvmintro_kvm_vm_list;
struct mutex *kvmintro_kvm_lock;
/* KVM's vendor ops (get_cpl, ...), what its static calls point to. */
struct kvm_x86_ops *kvmintro_kvm_x86_ops;
typeof(&task_work_cancel) kvmintro_task_work_cancel;
/* The check /proc/<pid>/mem makes, LSM ptrace policy included. */
typeof(&ptrace_may_access) kvmintro_ptrace_may_access;
/* The vcpu loaded on this CPU, if any (exported to vendor modules only on 7.2). */
typeof(&kvm_get_running_vcpu) kvmintro_kvm_get_running_vcpu;
/* KVM's own KVM_GET_REGS/KVM_GET_SREGS getters: right for any vendor's caching. */
typeof(&kvm_arch_vcpu_ioctl_get_regs) kvmintro_kvm_get_regs;
typeof(&kvm_arch_vcpu_ioctl_get_sregs) kvmintro_kvm_get_sregs;

/*
 * Exported to KVM's vendor modules only on newer kernels
 * (EXPORT_SYMBOL_FOR_KVM_INTERNAL), so resolved by name on every kernel:
 * what the regs file needs to read MSRs as KVM_GET_MSRS does, and what the
 * hypercall needs to find a guest page.  NULL if not found; their users
 * check.
 */
void (*kvmintro_vcpu_load)(struct kvm_vcpu *vcpu);
void (*kvmintro_vcpu_put)(struct kvm_vcpu *vcpu);
kvmintro_kvm_msr_read_t kvmintro_kvm_msr_read;
unsigned long (*kvmintro_kvm_vcpu_gfn_to_hva)(struct kvm_vcpu *vcpu, gfn_t gfn);

/*
 * For the stage2 file, optional: KVM's tdp_enabled (TDP in use at all),
 * its tdp_mmu parameter (6.3+: the TDP MMU for every VM) and the vendor
 * ops (whose name tells NPT from EPT).  NULL if not found.
 */
bool *kvmintro_kvm_tdp_enabled;
bool *kvmintro_kvm_tdp_mmu_param;
struct kvm_x86_ops *kvmintro_kvm_x86_ops;

typedef unsigned long (*kvmintro_kallsyms_lookup_name_t)(const char *name);

static kvmintro_kallsyms_lookup_name_t kvmintro_find_kallsyms_lookup_name(void)
{
	struct kprobe probe = { .symbol_name = "kallsyms_lookup_name" };
	void *addr;

	if (register_kprobe(&probe) < 0)
		return NULL;
	addr = probe.addr;
	unregister_kprobe(&probe);
	return (kvmintro_kallsyms_lookup_name_t)addr;
}

int kvmintro_symbols_resolve(void)
{
	kvmintro_kallsyms_lookup_name_t lookup;

	lookup = kvmintro_find_kallsyms_lookup_name();
	if (!lookup) {
		pr_err("cannot resolve kallsyms_lookup_name: kernel needs CONFIG_KPROBES and CONFIG_KALLSYMS\n");
		return -ENOENT;
	}

	kvmintro_kvm_vm_list = (struct list_head *)lookup("vm_list");
	kvmintro_kvm_lock = (struct mutex *)lookup("kvm_lock");
	if (!kvmintro_kvm_vm_list || !kvmintro_kvm_lock) {
		pr_err("cannot find KVM's vm_list/kvm_lock: is kvm.ko loaded and CONFIG_KALLSYMS_ALL set?\n");
		return -ENOENT;
	}

	/* Checked by the only user, the hypercall hook, when enabled. */
	kvmintro_kvm_x86_ops = (struct kvm_x86_ops *)lookup("kvm_x86_ops");

	kvmintro_task_work_cancel = (void *)lookup("task_work_cancel");
	kvmintro_ptrace_may_access = (void *)lookup("ptrace_may_access");
	kvmintro_kvm_get_running_vcpu = (void *)lookup("kvm_get_running_vcpu");
	kvmintro_kvm_get_regs = (void *)lookup("kvm_arch_vcpu_ioctl_get_regs");
	kvmintro_kvm_get_sregs = (void *)lookup("kvm_arch_vcpu_ioctl_get_sregs");
	if (!kvmintro_task_work_cancel || !kvmintro_ptrace_may_access ||
	    !kvmintro_kvm_get_running_vcpu || !kvmintro_kvm_get_regs ||
	    !kvmintro_kvm_get_sregs) {
		pr_err("cannot find task_work_cancel, ptrace_may_access or KVM's vcpu functions\n");
		return -ENOENT;
	}

	kvmintro_vcpu_load = (void *)lookup("vcpu_load");
	kvmintro_vcpu_put = (void *)lookup("vcpu_put");
	kvmintro_kvm_msr_read = kvmintro_lookup_kvm_msr_read(lookup);
	if (!kvmintro_vcpu_load || !kvmintro_vcpu_put || !kvmintro_kvm_msr_read)
		pr_warn("cannot find vcpu_load, vcpu_put or KVM's MSR reader (__kvm_emulate_msr_read or kvm_get_msr): the regs files will show no MSRs\n");
	kvmintro_kvm_vcpu_gfn_to_hva = (void *)lookup("kvm_vcpu_gfn_to_hva");

	kvmintro_kvm_tdp_enabled = (bool *)lookup("tdp_enabled");
	kvmintro_kvm_tdp_mmu_param = (bool *)lookup("tdp_mmu_enabled");
	kvmintro_kvm_x86_ops = (struct kvm_x86_ops *)lookup("kvm_x86_ops");
	return 0;
}
