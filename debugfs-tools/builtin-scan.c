// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro scan PID|DIR [PATTERN...] [-f FILE] [--max N]: search guest
 * memory.
 */
#include <errno.h>
#include <stdio.h>

#include "argument.h"
#include "kvmintro.h"
#include "scan.h"

/* Say what is wrong with @pattern, which the scan file cannot take. */
static int kvmintro_scan_report_pattern(const char *pattern,
					const char *problem, int err)
{
	char message[128];

	if (err == -ENOMEM) {
		kvmintro_error("out of memory");
		return err;
	}
	snprintf(message, sizeof(message), "%s:", problem);
	return kvmintro_usage_error("scan", message, pattern);
}

/*
 * Fill @request from the command line and the file of patterns @file, if
 * not NULL; say what is wrong with them.
 */
static int kvmintro_scan_get_request(int argc, char **argv,
				     const char *max_text, const char *file,
				     struct kvmintro_scan_request *request)
{
	const char *problem;
	int i, ret;

	if (max_text && (kvmintro_parse_number_argument(max_text, &request->max) ||
			 !request->max ||
			 request->max > KVMINTRO_SCAN_LIMIT_MAX))
		return kvmintro_usage_error("scan",
			"--max takes a number from 1 to "
			KVMINTRO_STRINGIFY(KVMINTRO_SCAN_LIMIT_MAX) ", not",
			max_text);
	request->has_max = max_text;
	for (i = 0; i < argc; i++) {
		ret = kvmintro_scan_request_add(request, argv[i], &problem);
		if (ret)
			return kvmintro_scan_report_pattern(argv[i], problem, ret);
	}
	if (file) {
		ret = kvmintro_scan_request_add_file(request, file);
		if (ret)
			return ret;
	}
	if (!request->count)
		return kvmintro_usage_error("scan",
			"no pattern: give some, or a file of them with -f FILE",
			"");
	return 0;
}

int kvmintro_cmd_scan(struct kvmintro *kvmintro, int argc, char **argv)
{
	struct kvmintro_scan_request request = { .count = 0 };
	const char *max_text = NULL, *file = NULL;
	bool max_given = false, file_given = false;
	const struct kvmintro_option options[] = {
		{ "--max", &max_text, &max_given },
		{ "-f", &file, &file_given },
		{ "--file", &file, &file_given },
	};
	const struct kvmintro_syntax syntax = {
		.options = options,
		.nr_options = ARRAY_SIZE(options),
		.min_arguments = 1,
		.max_arguments = -1,
	};
	struct kvmintro_scan_result result;
	struct kvmintro_vm vm;
	int ret;

	ret = kvmintro_get_vm(kvmintro, "scan", &syntax, &argc, argv, &vm);
	if (ret)
		return ret;
	ret = kvmintro_scan_get_request(argc - 1, argv + 1, max_text, file,
					&request);
	if (!ret)
		ret = kvmintro_scan(kvmintro->debugfs_root, &vm, &request,
				    &result);
	if (ret)
		goto out_release_request;
	if (kvmintro->json)
		ret = kvmintro_scan_print_json(&vm, &request, &result, stdout);
	else
		ret = kvmintro_scan_print_table(&request, &result, stdout);
	kvmintro_scan_result_release(&result);
	ret = kvmintro_check_output(ret);
out_release_request:
	kvmintro_scan_request_release(&request);
	return ret;
}
