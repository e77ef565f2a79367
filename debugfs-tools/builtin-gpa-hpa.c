// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro gpa-hpa PID|DIR: where the host holds all of a VM's memory.
 */
#include <inttypes.h>
#include <stdio.h>

#include "gpa_hpa.h"
#include "kvmintro.h"

int kvmintro_cmd_gpa_hpa(struct kvmintro *kvmintro, int argc, char **argv)
{
	struct kvmintro_record_list runs;
	struct kvmintro_vm vm;
	int ret;

	ret = kvmintro_get_vm(kvmintro, "gpa-hpa", NULL, &argc, argv, &vm);
	if (ret)
		return ret;
	ret = kvmintro_record_list_load(kvmintro->debugfs_root, vm.dir, "gpa_hpa",
					&kvmintro_gpa_hpa_schema, &runs);
	if (ret)
		return ret;
	if (kvmintro->json)
		ret = kvmintro_gpa_hpa_print_json(&vm, &runs, stdout);
	else if (!runs.count)
		printf("VM %s (PID %" PRIu64 ") has no memory in address space 0.\n",
		       vm.dir, vm.pid);
	else
		ret = kvmintro_gpa_hpa_print_table(&runs, stdout);
	kvmintro_record_list_release(&runs);
	return kvmintro_check_output(ret);
}
