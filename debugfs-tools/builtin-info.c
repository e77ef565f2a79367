// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro info PID|DIR: what the guest kernel says of itself in its
 * VMCOREINFO (release, KASLR offset), read from the VMCOREINFO note of the
 * VM's core file.  The note is the guest's page as it is: guest data,
 * parsed here, in user space, and bounds-checked as such.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/elfcore.h"
#include "debugfs.h"
#include "json.h"
#include "kvmintro.h"
#include "util.h"
#include "vm.h"

/* The most of the core's headers and notes read: far more than vcpus need. */
#define KVMINTRO_INFO_HEADERS_MAX	(16u << 20)

static int kvmintro_info_pread(int fd, void *buf, size_t size, uint64_t offset)
{
	ssize_t n = pread(fd, buf, size, offset);

	if (n < 0)
		return -errno;
	return (size_t)n == size ? 0 : -EIO;
}

/*
 * The VMCOREINFO note of the core open at @fd, copied to a NUL-terminated
 * *@text (the caller frees it), or NULL if it has none.  0 or -errno
 * (-EBADMSG: not a core file kvmintro wrote).
 */
static int kvmintro_info_vmcoreinfo(int fd, char **text)
{
	static const char name[] = "VMCOREINFO";
	struct kvmintro_elf64_ehdr ehdr;
	struct kvmintro_elf64_phdr phdr;
	struct kvmintro_elf64_nhdr nhdr;
	uint64_t at, namesz, descsz;
	unsigned int i;
	char *notes;
	int ret;

	*text = NULL;
	ret = kvmintro_info_pread(fd, &ehdr, sizeof(ehdr), 0);
	if (ret)
		return ret == -EIO ? -EBADMSG : ret;	/* shorter than one */
	if (memcmp(ehdr.e_ident, "\177ELF\2\1", 6) ||
	    ehdr.e_type != KVMINTRO_ELF_ET_CORE ||
	    ehdr.e_phentsize != sizeof(phdr))
		return -EBADMSG;
	for (i = 0; i < ehdr.e_phnum; i++) {
		ret = kvmintro_info_pread(fd, &phdr, sizeof(phdr),
					  ehdr.e_phoff + (uint64_t)i * sizeof(phdr));
		if (ret)
			return ret;
		if (phdr.p_type == KVMINTRO_ELF_PT_NOTE)
			break;
	}
	if (i == ehdr.e_phnum)
		return 0;
	if (phdr.p_filesz > KVMINTRO_INFO_HEADERS_MAX)
		return -EBADMSG;
	notes = malloc(phdr.p_filesz + 1);
	if (!notes)
		return -ENOMEM;
	ret = kvmintro_info_pread(fd, notes, phdr.p_filesz, phdr.p_offset);
	for (at = 0; !ret && at + sizeof(nhdr) <= phdr.p_filesz;) {
		memcpy(&nhdr, notes + at, sizeof(nhdr));
		namesz = (nhdr.n_namesz + 3ull) & ~3ull;
		descsz = (nhdr.n_descsz + 3ull) & ~3ull;
		at += sizeof(nhdr);
		if (namesz > phdr.p_filesz - at ||
		    descsz > phdr.p_filesz - at - namesz) {
			ret = -EBADMSG;
			break;
		}
		if (nhdr.n_namesz == sizeof(name) &&
		    !memcmp(notes + at, name, sizeof(name))) {
			*text = strndup(notes + at + namesz, nhdr.n_descsz);
			if (!*text)
				ret = -ENOMEM;
			break;
		}
		at += namesz + descsz;
	}
	free(notes);
	return ret;
}

/* The end of the line at @line: its newline, or the end of the text. */
static const char *kvmintro_info_line_end(const char *line)
{
	const char *newline = strchr(line, '\n');

	return newline ? newline : line + strlen(line);
}

/* The value of "@key=" in vmcoreinfo @text, up to its newline, or NULL. */
static char *kvmintro_info_value(const char *text, const char *key)
{
	size_t length = strlen(key);
	const char *line, *end;

	for (line = text; *line; line = end + (*end == '\n')) {
		end = kvmintro_info_line_end(line);
		if ((size_t)(end - line) > length && line[length] == '=' &&
		    !memcmp(line, key, length))
			return strndup(line + length + 1, end - line - length - 1);
	}
	return NULL;
}

/*
 * Make guest text @s safe for a terminal: every byte but printable ASCII
 * becomes '?', so that no escape sequence reaches it.
 */
static char *kvmintro_info_printable(char *s)
{
	char *c;

	for (c = s; c && *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			*c = '?';
	return s;
}

/* KERNELOFFSET's value, hex without 0x; false if it is not one. */
static bool kvmintro_info_offset(const char *text, unsigned long long *offset)
{
	char *end;

	if (!text || !isxdigit((unsigned char)text[0]))
		return false;
	errno = 0;
	*offset = strtoull(text, &end, 16);
	return !errno && !*end;
}

static int kvmintro_info_print(const struct kvmintro *kvmintro,
			       const struct kvmintro_vm *vm, const char *text)
{
	char *release = kvmintro_info_value(text, "OSRELEASE");
	char *offset = kvmintro_info_value(text, "KERNELOFFSET");
	unsigned long long kaslr = 0;
	bool has_offset = kvmintro_info_offset(offset, &kaslr);
	struct kvmintro_json json;
	const char *line, *end, *eq;
	int ret = 0;

	if (kvmintro->json) {
		kvmintro_vm_json_begin(&json, stdout, vm);
		kvmintro_json_string(&json, "release", release ? release : "");
		if (has_offset)
			kvmintro_json_u64(&json, "kernel_offset", kaslr);
		else
			kvmintro_json_null(&json, "kernel_offset");
		/* Every KEY=VALUE line, as the guest wrote it. */
		kvmintro_json_begin_object(&json, "vmcoreinfo");
		for (line = text; *line; line = end + (*end == '\n')) {
			end = kvmintro_info_line_end(line);
			eq = memchr(line, '=', end - line);
			if (!eq || eq == line)
				continue;
			char *key = strndup(line, eq - line);

			if (!key) {
				ret = -ENOMEM;
				break;
			}
			kvmintro_json_string_bytes(&json, key, eq + 1, end - eq - 1);
			free(key);
		}
		kvmintro_json_end_object(&json);
		ret = kvmintro_vm_json_end(&json) ?: ret;
	} else {
		printf("VM            %s (PID %" PRIu64 ")\n", vm->dir, vm->pid);
		printf("guest kernel  %s\n",
		       release ? kvmintro_info_printable(release) : "?");
		if (has_offset)
			printf("KASLR offset  0x%llx\n", kaslr);
		else if (offset)
			printf("KASLR offset  not a number: %s\n",
			       kvmintro_info_printable(offset));
		else
			printf("KASLR offset  none given\n");
	}
	free(release);
	free(offset);
	return ret;
}

int kvmintro_cmd_info(struct kvmintro *kvmintro, int argc, char **argv)
{
	struct kvmintro_debugfs_explainer explainer = {
		.explain = kvmintro_snapshot_explain_none,
	};
	struct kvmintro_debugfs_file core;
	struct kvmintro_vm vm;
	char *text = NULL;
	int fd, ret;

	ret = kvmintro_get_vm(kvmintro, "info", NULL, &argc, argv, &vm);
	if (ret)
		return ret;
	explainer.context = vm.dir;
	fd = kvmintro_debugfs_open_explained(kvmintro->debugfs_root, vm.dir,
					     "core", &explainer, &core);
	if (fd < 0) {
		kvmintro_debugfs_release(&core);
		return fd;
	}
	ret = kvmintro_info_vmcoreinfo(fd, &text);
	close(fd);
	if (ret)
		kvmintro_error("%s: %s", core.path, ret == -EBADMSG ?
			       "not a core file this kvmintro reads" : strerror(-ret));
	else if (!text) {
		kvmintro_error("VM %s: no VMCOREINFO in guest memory: not a Linux guest, or one whose kernel keeps none",
			       vm.dir);
		ret = -ENOENT;
	} else {
		ret = kvmintro_check_output(kvmintro_info_print(kvmintro, &vm, text));
	}
	free(text);
	kvmintro_debugfs_release(&core);
	return ret;
}
