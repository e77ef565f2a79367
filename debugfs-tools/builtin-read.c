// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro read PID|DIR GPA LEN [--raw]: dump guest physical memory.
 */
#include "kvmintro.h"

/* Parse GPA and LEN; say what is wrong with a bad one. */
static int kvmintro_read_get_range(char **argv, uint64_t *gpa, size_t *length)
{
	uint64_t bytes;
	int ret;

	ret = kvmintro_get_address("read", argv[0], gpa);
	if (ret)
		return ret;
	ret = kvmintro_parse_length_argument(argv[1], &bytes);
	if (ret)
		return kvmintro_usage_error("read",
			"not a length like 256, 0x100, 4K or 1M:", argv[1]);
	if (!bytes || bytes > KVMINTRO_READ_MAX)
		return kvmintro_usage_error("read",
			"the length must be from 1 byte to 64M:", argv[1]);
	*length = (size_t)bytes;
	return 0;
}

static int kvmintro_read_print(const struct kvmintro *kvmintro,
			       const struct kvmintro_vm *vm,
			       const struct kvmintro_memory *memory, bool raw)
{
	if (raw)
		return kvmintro_memory_print_raw(memory, stdout);
	if (kvmintro->json)
		return kvmintro_memory_print_json(vm, memory, stdout);
	return kvmintro_memory_print_hexdump(memory, stdout);
}

int kvmintro_cmd_read(struct kvmintro *kvmintro)
{
	bool raw = kvmintro->options[KVMINTRO_OPTION_RAW];
	const struct kvmintro_vm *vm = &kvmintro->vm;
	struct kvmintro_memory memory;
	size_t length = 0;
	uint64_t gpa = 0;
	int ret;

	if (raw && kvmintro->json)
		return kvmintro_usage_error("read", "--raw and --json do not go together", "");
	ret = kvmintro_read_get_range(kvmintro->argv, &gpa, &length);
	if (ret)
		return ret;
	ret = kvmintro_memory_read(kvmintro->debugfs_root, vm, gpa, length,
				   &memory);
	if (ret)
		return ret;
	if (memory.length)
		ret = kvmintro_check_output(kvmintro_read_print(kvmintro, vm,
								&memory, raw));
	if (!ret && memory.length < memory.requested)
		ret = kvmintro_memory_report_end(vm, &memory);
	kvmintro_memory_release(&memory);
	return ret;
}
