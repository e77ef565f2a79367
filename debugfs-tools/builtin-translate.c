// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro translate PID|DIR GPA...: guest physical to host addresses.
 */
#include <errno.h>
#include <stdio.h>

#include "argument.h"
#include "kvmintro.h"
#include "translate.h"

/* Parse the GPA arguments into @gpas; say what is wrong with a bad one. */
static int kvmintro_translate_get_addresses(int argc, char **argv,
					    uint64_t *gpas)
{
	int i, ret;

	if (argc > KVMINTRO_TRANSLATE_MAX)
		return kvmintro_usage_error("translate",
			"at most " KVMINTRO_STRINGIFY(KVMINTRO_TRANSLATE_MAX)
			" addresses at once", "");
	for (i = 0; i < argc; i++) {
		ret = kvmintro_get_address("translate", argv[i], &gpas[i]);
		if (ret)
			return ret;
	}
	return 0;
}

int kvmintro_cmd_translate(struct kvmintro *kvmintro, int argc, char **argv)
{
	static const struct kvmintro_syntax syntax = {
		.min_arguments = 2,
		.max_arguments = -1,
	};
	struct kvmintro_translation_list list;
	uint64_t gpas[KVMINTRO_TRANSLATE_MAX];
	struct kvmintro_vm vm;
	int ret;

	ret = kvmintro_get_vm(kvmintro, "translate", &syntax, &argc, argv, &vm);
	if (ret)
		return ret;
	ret = kvmintro_translate_get_addresses(argc - 1, argv + 1, gpas);
	if (ret)
		return ret;
	ret = kvmintro_translate(kvmintro->debugfs_root, &vm, gpas,
				 (size_t)argc - 1, &list);
	if (ret)
		return ret;
	if (kvmintro->json)
		ret = kvmintro_translation_list_print_json(&vm, &list, stdout);
	else
		ret = kvmintro_translation_list_print_table(&list, stdout);
	kvmintro_translation_list_release(&list);
	return kvmintro_check_output(ret);
}
