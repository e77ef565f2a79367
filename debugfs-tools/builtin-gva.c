// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro gva PID|DIR GVA [--vcpu N] [--cr3 GPA]: a guest virtual address
 * through the guest's page tables down to the host page.
 */
#include <stdio.h>

#include "argument.h"
#include "gva.h"
#include "kvmintro.h"

int kvmintro_cmd_gva(struct kvmintro *kvmintro, int argc, char **argv)
{
	const char *vcpu_text = NULL, *cr3_text = NULL;
	struct kvmintro_gva_query request = { .gva = 0 };
	const struct kvmintro_option options[] = {
		{ "--vcpu", &vcpu_text, &request.has_vcpu },
		{ "--cr3", &cr3_text, &request.has_cr3 },
	};
	const struct kvmintro_syntax syntax = {
		.options = options,
		.nr_options = ARRAY_SIZE(options),
		.min_arguments = 2,
		.max_arguments = 2,
	};
	struct kvmintro_gva_walk walk;
	struct kvmintro_vm vm;
	int ret;

	ret = kvmintro_get_vm(kvmintro, "gva", &syntax, &argc, argv, &vm);
	if (ret)
		return ret;
	if (kvmintro_parse_number_argument(argv[1], &request.gva))
		return kvmintro_usage_error("gva",
			"not a guest virtual address like 0xffffffff81000000:",
			argv[1]);
	if (request.has_vcpu &&
	    (kvmintro_parse_number_argument(vcpu_text, &request.vcpu) ||
	     request.vcpu > 0xffffffffULL))
		return kvmintro_usage_error("gva", "--vcpu takes a vcpu index, not",
					    vcpu_text);
	if (request.has_cr3 &&
	    kvmintro_parse_address_argument(cr3_text, &request.cr3))
		return kvmintro_usage_error("gva",
			"--cr3 takes a guest physical address, not", cr3_text);
	ret = kvmintro_gva(kvmintro->debugfs_root, &vm, &request, &walk);
	if (ret)
		return ret;
	if (kvmintro->json)
		ret = kvmintro_gva_print_json(&vm, &walk, stdout);
	else
		ret = kvmintro_gva_print_table(&walk, stdout);
	return kvmintro_check_output(ret);
}
