// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro list: the VMs kvmintro sees on this host.
 */
#include "kvmintro.h"

int kvmintro_cmd_list(struct kvmintro *kvmintro)
{
	struct kvmintro_vm_list list;
	int ret;

	ret = kvmintro_vm_list_load(kvmintro->debugfs_root, &list);
	if (ret)
		return ret;
	if (kvmintro->json)
		ret = kvmintro_vm_list_print_json(&list, stdout);
	else if (!list.count)
		printf("No KVM VMs are running.\n");
	else
		ret = kvmintro_vm_list_print_table(&list, stdout);
	kvmintro_vm_list_release(&list);
	return kvmintro_check_output(ret);
}
