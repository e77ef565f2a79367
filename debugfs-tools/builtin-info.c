// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro info PID|DIR: what a Linux guest's kernel says of itself in its
 * VMCOREINFO, for dump readers (release, KASLR offset, symbols, structure
 * offsets), read from the VMCOREINFO note of the VM's core file.  The note
 * is the guest's page as it is: guest data, parsed here, in user space,
 * and bounds-checked as such.  kvmintro dmesg finds the guest's log
 * through it too.
 */
#include "kvmintro.h"

#include "../lib/elfcore.h"

/* The most of the core's headers and notes read: far more than vcpus need. */
#define KVMINTRO_VMCOREINFO_HEADERS_MAX	(16u << 20)

/**
 * kvmintro_vmcoreinfo_read_core() - the VMCOREINFO note of a core file
 * @fd: the core file, open
 * @text: set to the note, copied and NUL-terminated (the caller frees
 *	it), or NULL if the core has none
 *
 * Return: 0 or -errno (-EBADMSG: not a core file kvmintro wrote).
 */
static int kvmintro_vmcoreinfo_read_core(int fd, char **text)
{
	struct kvmintro_elf64_ehdr ehdr;
	struct kvmintro_elf64_phdr phdr;
	const void *desc;
	unsigned int i;
	char *notes;
	u32 descsz;
	int ret;

	*text = NULL;
	ret = kvmintro_pread_all(fd, &ehdr, sizeof(ehdr), 0);
	if (ret)
		return ret == -EIO ? -EBADMSG : ret;	/* shorter than one */
	if (memcmp(ehdr.e_ident, "\177ELF\2\1", 6) ||
	    ehdr.e_type != KVMINTRO_ELF_ET_CORE ||
	    ehdr.e_phentsize != sizeof(phdr))
		return -EBADMSG;
	for (i = 0; i < ehdr.e_phnum; i++) {
		ret = kvmintro_pread_all(fd, &phdr, sizeof(phdr), ehdr.e_phoff +
					 (uint64_t)i * sizeof(phdr));
		if (ret)
			return ret;
		if (phdr.p_type == KVMINTRO_ELF_PT_NOTE)
			break;
	}
	if (i == ehdr.e_phnum)
		return 0;
	if (phdr.p_filesz > KVMINTRO_VMCOREINFO_HEADERS_MAX)
		return -EBADMSG;
	notes = malloc(phdr.p_filesz + 1);
	if (!notes)
		return -ENOMEM;
	ret = kvmintro_pread_all(fd, notes, phdr.p_filesz, phdr.p_offset) ?:
	      kvmintro_elf_find_note(notes, phdr.p_filesz, "VMCOREINFO", &desc,
				     &descsz);
	if (!ret) {
		*text = strndup(desc, descsz);
		ret = *text ? 0 : -ENOMEM;
	}
	free(notes);
	return ret == -ENOENT ? 0 : ret;
}

/* No capture yet: nothing said, kvmintro_vmcoreinfo_load() takes one. */
static int kvmintro_vmcoreinfo_quiet_none(const char *path, int err,
					  const void *context)
{
	(void)path;
	(void)context;
	return err == -ENODATA ? err : 0;
}

/**
 * kvmintro_vmcoreinfo_load() - the VMCOREINFO of the VM's guest kernel
 * @kvmintro: the command line, and the VM
 * @text: set to the guest's VMCOREINFO, NUL-terminated; the caller frees it
 *
 * Read it from the VM's core file, which needs registers: a capture, or
 * the VM paused.  A VM that runs and was never captured is captured first
 * (a pause of milliseconds, as `kvmintro dump --live` takes).  On failure
 * say why and return -errno: -ENOENT for a guest that has none (not
 * Linux).
 */
int kvmintro_vmcoreinfo_load(const struct kvmintro *kvmintro, char **text)
{
	const struct kvmintro_vm *vm = &kvmintro->vm;
	const struct kvmintro_debugfs_explainer quiet = {
		.explain = kvmintro_vmcoreinfo_quiet_none,
	};
	const struct kvmintro_debugfs_explainer explainer = {
		.explain = kvmintro_snapshot_explain_none,
		.context = vm->dir,
	};
	const char *root = kvmintro->debugfs_root;
	char *core;
	int fd, ret;

	*text = NULL;
	fd = kvmintro_debugfs_open(root, vm->dir, "core", &quiet, &core);
	if (fd == -ENODATA) {
		ret = kvmintro_snapshot_set(kvmintro, "capture", NULL);
		if (ret)
			return ret;
		fd = kvmintro_debugfs_open(root, vm->dir, "core", &explainer,
					   &core);
	}
	if (fd < 0)
		return fd;
	ret = kvmintro_vmcoreinfo_read_core(fd, text);
	close(fd);
	if (ret) {
		kvmintro_error("%s: %s", core, ret == -EBADMSG ?
			       "not a core file this kvmintro reads" : strerror(-ret));
	} else if (!*text) {
		kvmintro_error("VM %s: no VMCOREINFO in guest memory: not a Linux guest, or one whose kernel keeps none",
			       vm->dir);
		ret = -ENOENT;
	}
	free(core);
	return ret;
}

/*
 * Print @title, then the guest's @len bytes at @text made safe for a
 * terminal: every byte but printable ASCII becomes '?', so that no escape
 * sequence reaches it.
 */
static void kvmintro_info_print_text(const char *title, const char *text,
				     size_t len)
{
	size_t i;

	fputs(title, stdout);
	for (i = 0; i < len; i++)
		putchar(text[i] < 0x20 || text[i] > 0x7e ? '?' : text[i]);
	putchar('\n');
}

static int kvmintro_info_print(const struct kvmintro *kvmintro,
			       const struct kvmintro_vm *vm, const char *text)
{
	size_t release_len = 0, offset_len = 0;
	const char *release = kvmintro_vmcoreinfo_value(text, "OSRELEASE",
							&release_len);
	const char *offset = kvmintro_vmcoreinfo_value(text, "KERNELOFFSET",
						       &offset_len);
	u64 kaslr = 0;
	bool has_offset = kvmintro_vmcoreinfo_number(text, "KERNELOFFSET", 16,
						     &kaslr);
	struct kvmintro_json json;
	const char *line, *end, *eq;
	char *key;
	int ret = 0;

	if (!kvmintro->json) {
		printf("VM            %s (PID %" PRIu64 ")\n", vm->dir, vm->pid);
		kvmintro_info_print_text("guest kernel  ", release ?: "?",
					 release ? release_len : 1);
		if (has_offset)
			printf("KASLR offset  0x%" PRIx64 "\n", kaslr);
		else if (offset)
			kvmintro_info_print_text("KASLR offset  not a number: ",
						 offset, offset_len);
		else
			printf("KASLR offset  none given\n");
		return 0;
	}
	kvmintro_vm_json_begin(&json, stdout, vm);
	kvmintro_json_string_bytes(&json, "release", release ?: "", release_len);
	if (has_offset)
		kvmintro_json_u64(&json, "kernel_offset", kaslr);
	else
		kvmintro_json_null(&json, "kernel_offset");
	/* Every KEY=VALUE line, as the guest wrote it. */
	kvmintro_json_begin_object(&json, "vmcoreinfo");
	for (line = text; *line; line = end + (*end == '\n')) {
		end = strchr(line, '\n') ?: line + strlen(line);
		eq = memchr(line, '=', end - line);
		if (!eq || eq == line)
			continue;
		key = strndup(line, eq - line);
		if (!key) {
			ret = -ENOMEM;
			break;
		}
		kvmintro_json_string_bytes(&json, key, eq + 1, end - eq - 1);
		free(key);
	}
	kvmintro_json_end_object(&json);
	return kvmintro_vm_json_end(&json) ?: ret;
}

int kvmintro_cmd_info(struct kvmintro *kvmintro)
{
	char *text;
	int ret;

	ret = kvmintro_vmcoreinfo_load(kvmintro, &text);
	if (!ret)
		ret = kvmintro_check_output(kvmintro_info_print(kvmintro,
							&kvmintro->vm, text));
	free(text);
	return ret;
}
