// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro regs PID|DIR [--vcpu N]: the registers of a VM's vcpus.
 */
#include <inttypes.h>
#include <stdio.h>

#include "argument.h"
#include "kvmintro.h"
#include "regs.h"

int kvmintro_cmd_regs(struct kvmintro *kvmintro, int argc, char **argv)
{
	const char *vcpu_text = NULL;
	struct kvmintro_regs_list list;
	bool vcpu_given = false;
	const struct kvmintro_option options[] = {
		{ "--vcpu", &vcpu_text, &vcpu_given },
	};
	const struct kvmintro_syntax syntax = {
		.options = options,
		.nr_options = ARRAY_SIZE(options),
		.min_arguments = 1,
		.max_arguments = 1,
	};
	struct kvmintro_vm vm;
	uint64_t vcpu;
	int ret;

	ret = kvmintro_get_vm(kvmintro, "regs", &syntax, &argc, argv, &vm);
	if (ret)
		return ret;
	if (vcpu_given && kvmintro_parse_number_argument(vcpu_text, &vcpu))
		return kvmintro_usage_error("regs", "--vcpu takes a vcpu id, not",
					    vcpu_text);
	ret = kvmintro_regs_list_load(kvmintro->debugfs_root, &vm,
				      vcpu_given ? &vcpu : NULL, &list);
	if (ret)
		return ret;
	if (kvmintro->json)
		ret = kvmintro_regs_list_print_json(&vm, &list, stdout);
	else if (!list.count)
		printf("VM %s (PID %" PRIu64 ") has no vcpus.\n", vm.dir, vm.pid);
	else
		ret = kvmintro_regs_list_print_table(&list, stdout);
	kvmintro_regs_list_release(&list);
	return kvmintro_check_output(ret);
}
