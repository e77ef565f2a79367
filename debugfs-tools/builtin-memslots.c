// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro memslots PID|DIR: a VM's memory slots, every address space.
 */
#include <inttypes.h>
#include <stdio.h>

#include "kvmintro.h"
#include "memslot.h"
#include "vm.h"

int kvmintro_cmd_memslots(struct kvmintro *kvmintro, int argc, char **argv)
{
	struct kvmintro_record_list list;
	struct kvmintro_vm vm;
	const char *name;
	int ret;

	ret = kvmintro_get_arguments("memslots", argc, argv, &name, 1);
	if (ret)
		return ret;
	ret = kvmintro_vm_lookup(kvmintro->debugfs_root, name, &vm);
	if (ret)
		return ret;
	ret = kvmintro_record_list_load(kvmintro->debugfs_root, vm.dir, "memslots",
					&kvmintro_memslot_schema, &list);
	if (ret)
		return ret;
	if (kvmintro->json)
		ret = kvmintro_memslot_list_print_json(&vm, &list, stdout);
	else if (!list.count)
		printf("VM %s (PID %" PRIu64 ") has no memslots.\n", vm.dir,
		       vm.pid);
	else
		ret = kvmintro_memslot_list_print_table(&list, stdout);
	kvmintro_record_list_release(&list);
	return kvmintro_check_output(ret);
}
