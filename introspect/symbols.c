// SPDX-License-Identifier: GPL-2.0
/*
 * Resolve the KVM symbols kvmintro needs but KVM does not export.
 *
 * kallsyms_lookup_name() is not exported either; a kprobe registered on it
 * resolves its address for us, the same lookup the kprobe core does for any
 * probe by name.  Nothing here patches or exports anything.  Functions
 * resolved here that the kernel does not export are called with
 * kvmintro_call_unexported() (compat.h): an IBT kernel seals them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/ptrace.h>

#include "compat.h"
#include "kvmintro.h"

typeof(&task_work_cancel) kvmintro_task_work_cancel;
/* The check /proc/<pid>/mem makes, LSM ptrace policy included. */
typeof(&ptrace_may_access) kvmintro_ptrace_may_access;
/* The vcpu loaded on this CPU, if any (exported to vendor modules only on 7.2). */
typeof(&kvm_get_running_vcpu) kvmintro_kvm_get_running_vcpu;
/*
 * What the translation hypercall finds a guest page with; exported to
 * KVM's vendor modules only on newer kernels, so resolved by name.
 */
unsigned long (*kvmintro_kvm_vcpu_gfn_to_hva)(struct kvm_vcpu *vcpu, gfn_t gfn);

static kvmintro_lookup_t kvmintro_find_kallsyms_lookup_name(void)
{
	struct kprobe probe = { .symbol_name = "kallsyms_lookup_name" };
	void *addr;

	if (register_kprobe(&probe) < 0)
		return NULL;
	addr = probe.addr;
	unregister_kprobe(&probe);
	return (kvmintro_lookup_t)addr;
}

static kvmintro_lookup_t kvmintro_kallsyms_lookup_name;

/* kallsyms_lookup_name(), not exported: see kvmintro_call_unexported(). */
static unsigned long kvmintro_lookup_name(const char *name)
{
	return kvmintro_call_unexported(kvmintro_kallsyms_lookup_name, name);
}

int kvmintro_symbols_resolve(void)
{
	kvmintro_lookup_t lookup = kvmintro_lookup_name;
	int r;

	kvmintro_kallsyms_lookup_name = kvmintro_find_kallsyms_lookup_name();
	if (!kvmintro_kallsyms_lookup_name) {
		pr_err("cannot resolve kallsyms_lookup_name: kernel needs CONFIG_KPROBES and CONFIG_KALLSYMS\n");
		return -ENOENT;
	}

	r = kvmintro_kvms_resolve(lookup);
	if (r)
		return r;

	kvmintro_task_work_cancel = (void *)lookup("task_work_cancel");
	kvmintro_ptrace_may_access = (void *)lookup("ptrace_may_access");
	kvmintro_kvm_get_running_vcpu = (void *)lookup("kvm_get_running_vcpu");
	if (!kvmintro_task_work_cancel || !kvmintro_ptrace_may_access ||
	    !kvmintro_kvm_get_running_vcpu) {
		pr_err("cannot find task_work_cancel, ptrace_may_access or kvm_get_running_vcpu\n");
		return -ENOENT;
	}
	kvmintro_kvm_vcpu_gfn_to_hva = (void *)lookup("kvm_vcpu_gfn_to_hva");
	return kvmintro_arch_resolve_symbols(lookup);
}
