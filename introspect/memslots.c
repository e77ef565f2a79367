// SPDX-License-Identifier: GPL-2.0
/*
 * The memslots file: every memory slot of every address space of a VM,
 * sorted by address space then guest physical address.
 */
#include <linux/debugfs.h>
#include <linux/rbtree.h>
#include <linux/seq_file.h>

#include "../lib/format.h"
#include "compat.h"
#include "guest_memory.h"
#include "kvmintro.h"

static void kvmintro_memslot_info(const struct kvm_memory_slot *slot,
				  int as_id, struct kvmintro_memslot_info *info)
{
	info->as_id = as_id;
	info->id = slot->id;
	info->internal = slot->id >= KVM_USER_MEM_SLOTS;
	info->guest_memfd_only = kvmintro_memslot_gmem_only(slot);
	info->flags = kvmintro_memslot_uapi_flags(slot);
	info->base_gfn = slot->base_gfn;
	info->npages = slot->npages;
	info->hva = slot->userspace_addr;
}

int kvmintro_memslots_show(struct seq_file *m, void *unused)
{
	struct kvmintro_vm *vm = m->private;
	struct kvmintro_memslot_info info;
	struct kvm_memory_slot *slot;
	struct kvm_memslots *slots;
	struct rb_node *node;
	int as_id, idx, len, r = 0;
	struct kvm *kvm;
	char line[KVMINTRO_MEMSLOT_RECORD_MAX];

	kvm = kvmintro_vm_access_kvm(vm);
	if (IS_ERR(kvm))
		return PTR_ERR(kvm);

	idx = srcu_read_lock(&kvm->srcu);
	for (as_id = 0; as_id < kvmintro_nr_address_spaces(kvm) && !r; as_id++) {
		slots = __kvm_memslots(kvm, as_id);
		kvmintro_for_each_memslot_by_gpa(slot, node, slots) {
			kvmintro_memslot_info(slot, as_id, &info);
			len = kvmintro_format_memslot(line, sizeof(line), &info);
			r = kvmintro_seq_put_line(m, line, len);
			if (r)
				break;
		}
	}
	srcu_read_unlock(&kvm->srcu, idx);
	kvm_put_kvm(kvm);
	return r;
}
