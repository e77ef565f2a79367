// SPDX-License-Identifier: GPL-2.0
/*
 * The vms file: every VM on the host, one record each.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "../lib/format.h"
#include "guest_memory.h"
#include "kvmintro.h"

int kvmintro_vms_show(struct seq_file *m, void *unused)
{
	struct kvmintro_vm_info info;
	unsigned int nr = 0, i;
	struct kvmintro_vm *vm;
	struct kvm **held;
	struct kvm *kvm;
	char line[128];
	int len, r = 0;

	/* Reading vms is the authoritative view: pick up any VM not seen yet. */
	kvmintro_registry_rescan();
	mutex_lock(&kvmintro_registry_mutex);
	list_for_each_entry(vm, &kvmintro_vm_list, list_node)
		nr++;
	/*
	 * The references are dropped once the mutex is released: a VM that
	 * died meanwhile is destroyed by the last one (see the rescan).
	 */
	held = kvmalloc_array(nr ?: 1, sizeof(*held), GFP_KERNEL);
	if (!held) {
		mutex_unlock(&kvmintro_registry_mutex);
		return -ENOMEM;
	}
	nr = 0;
	list_for_each_entry(vm, &kvmintro_vm_list, list_node) {
		kvm = kvmintro_vm_get_kvm(vm);
		if (!kvm)
			continue;
		held[nr++] = kvm;
		info.pid = vm->pid;
		info.dir = vm->name;
		info.vcpus = atomic_read(&kvm->online_vcpus);
		info.slots = kvmintro_memslots_count(kvm, &info.mem_bytes);

		len = kvmintro_format_vm(line, sizeof(line), &info);
		r = kvmintro_seq_put_line(m, line, len);
		if (r)
			break;
	}
	mutex_unlock(&kvmintro_registry_mutex);
	for (i = 0; i < nr; i++)
		kvm_put_kvm(held[i]);
	kvfree(held);
	return r;
}
