// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro read PID|DIR GPA LEN [--raw]: dump guest physical memory,
 * through the VM's "mem" file, whose file offset is the guest physical
 * address: read with pread(), shown as xxd shows a file.
 *
 * Pages the guest never touched read as zeros, as the guest would read
 * them. Where no memslot is, the module stops the read there: a short read,
 * or EIO when nothing could be read. Both end the memory shown.
 */
#include "kvmintro.h"

static void kvmintro_memory_release(struct kvmintro_memory *memory)
{
	free(memory->bytes);
	memory->bytes = NULL;
	memory->length = 0;
}

/*
 * Read @length bytes (at most %KVMINTRO_READ_MAX) of the guest memory of
 * @vm at guest physical address @gpa into @memory, which the caller
 * releases. Guest memory may end before: see kvmintro_memory_report_end().
 * On failure say why and return -errno.
 */
static int kvmintro_memory_read(const char *root, const struct kvmintro_vm *vm,
				uint64_t gpa, size_t length,
				struct kvmintro_memory *memory)
{
	ssize_t count;
	char *path;
	int fd;

	memset(memory, 0, sizeof(*memory));
	memory->gpa = gpa;
	memory->requested = length;
	memory->bytes = malloc(length ?: 1);
	if (!memory->bytes) {
		kvmintro_error("out of memory");
		return -ENOMEM;
	}
	fd = kvmintro_debugfs_open(root, vm->dir, "mem", NULL, &path);
	count = fd < 0 ? fd : kvmintro_pread(fd, memory->bytes, length, gpa);
	if (fd >= 0)
		close(fd);
	if (fd >= 0 && count < 0)
		count = kvmintro_debugfs_report(root, vm->dir, path, count,
						"read");
	free(path);
	if (count < 0) {
		kvmintro_memory_release(memory);
		return (int)count;
	}
	memory->length = (size_t)count;
	return 0;
}

/*
 * Say where guest memory ended before all of @memory could be read, and
 * return -EIO.
 */
int kvmintro_memory_report_end(const struct kvmintro_vm *vm,
			       const struct kvmintro_memory *memory)
{
	uint64_t end = memory->gpa + memory->length;

	if (memory->length)
		kvmintro_error("guest memory ends at 0x%" PRIx64 ": %zu of %zu bytes shown",
			       end, memory->length, memory->requested);
	else
		kvmintro_error("no guest memory at 0x%" PRIx64 ": no memslot holds it",
			       end);
	kvmintro_error("see 'kvmintro memslots %s' for the guest memory there is",
		       vm->dir);
	return -EIO;
}

/* Print @memory like "xxd -o GPA" prints a file of its bytes. */
int kvmintro_memory_print_hexdump(const struct kvmintro_memory *memory,
				  FILE *out)
{
	char line[KVMINTRO_HEXDUMP_LINE_MAX];
	size_t offset, count;

	for (offset = 0; offset < memory->length;
	     offset += KVMINTRO_HEXDUMP_WIDTH) {
		count = memory->length - offset;
		if (count > KVMINTRO_HEXDUMP_WIDTH)
			count = KVMINTRO_HEXDUMP_WIDTH;
		kvmintro_format_hexdump_line(memory->gpa + offset,
					     memory->bytes + offset, count,
					     line, sizeof(line));
		fputs(line, out);
	}
	return ferror(out) ? -EIO : 0;
}

/* Print @memory as {"vm", "gpa", "len", "hex"}; return 0 or -errno. */
int kvmintro_memory_print_json(const struct kvmintro_vm *vm,
			       const struct kvmintro_memory *memory, FILE *out)
{
	struct kvmintro_json json;

	kvmintro_vm_json_begin(&json, out, vm);
	kvmintro_json_u64(&json, "gpa", memory->gpa);
	kvmintro_json_u64(&json, "len", memory->length);
	kvmintro_json_hex_string(&json, "hex", memory->bytes, memory->length);
	return kvmintro_vm_json_end(&json);
}

/* Write the bytes of @memory as they are; return 0 or -EIO. */
int kvmintro_memory_print_raw(const struct kvmintro_memory *memory,
			      FILE *out)
{
	if (fwrite(memory->bytes, 1, memory->length, out) != memory->length)
		return -EIO;
	return 0;
}

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
