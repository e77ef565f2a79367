// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro stage2 PID|DIR [GPA]: the NPT/EPT table KVM built for a guest.
 */
#include <stdio.h>

#include "kvmintro.h"
#include "stage2.h"

static int kvmintro_stage2_walk_command(struct kvmintro *kvmintro,
					const struct kvmintro_vm *vm,
					const char *argument)
{
	struct kvmintro_stage2_reply walk;
	uint64_t gpa;
	int ret;

	ret = kvmintro_get_address("stage2", argument, &gpa);
	if (ret)
		return ret;
	ret = kvmintro_stage2_walk_load(kvmintro->debugfs_root, vm, gpa, &walk);
	if (ret)
		return ret;
	if (kvmintro->json)
		ret = kvmintro_stage2_walk_print_json(vm, &walk, stdout);
	else
		ret = kvmintro_stage2_walk_print_table(&walk, stdout);
	return kvmintro_check_output(ret);
}

int kvmintro_cmd_stage2(struct kvmintro *kvmintro, int argc, char **argv)
{
	static const struct kvmintro_syntax syntax = {
		.min_arguments = 1,
		.max_arguments = 2,
	};
	struct kvmintro_stage2_summary summary;
	struct kvmintro_vm vm;
	int ret;

	ret = kvmintro_get_vm(kvmintro, "stage2", &syntax, &argc, argv, &vm);
	if (ret)
		return ret;
	if (argc == 2)
		return kvmintro_stage2_walk_command(kvmintro, &vm, argv[1]);
	ret = kvmintro_stage2_summary_load(kvmintro->debugfs_root, &vm,
					   &summary);
	if (ret)
		return ret;
	if (kvmintro->json)
		ret = kvmintro_stage2_summary_print_json(&vm, &summary, stdout);
	else
		ret = kvmintro_stage2_summary_print_table(&summary, stdout);
	kvmintro_stage2_summary_release(&summary);
	return kvmintro_check_output(ret);
}
