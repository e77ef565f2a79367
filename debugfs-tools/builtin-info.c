// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro info PID|DIR: what the guest kernel says of itself in its
 * VMCOREINFO (release, KASLR offset); vmcoreinfo.c reads it.
 */
#include "kvmintro.h"

/* No capture yet: nothing said, kvmintro_vmcoreinfo_load() takes one. */
static int kvmintro_vmcoreinfo_quiet_none(const char *path, int err,
					  const void *context)
{
	(void)path;
	(void)context;
	return err == -ENODATA ? err : 0;
}

/**
 * kvmintro_vmcoreinfo_load() - the VMCOREINFO of a VM's guest kernel
 * @kvmintro: the global options
 * @vm: the VM
 * @text: set to the guest's VMCOREINFO, NUL-terminated; the caller frees it
 *
 * Read it from the VM's core file, which needs registers: a capture, or
 * the VM paused.  A VM that runs and was never captured is captured first
 * (a pause of milliseconds, as `kvmintro dump --live` takes).  On failure
 * say why and return -errno: -ENOENT for a guest that has none (not
 * Linux).
 */
int kvmintro_vmcoreinfo_load(const struct kvmintro *kvmintro,
			     const struct kvmintro_vm *vm, char **text)
{
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
		ret = kvmintro_snapshot_set(kvmintro, vm, "capture", NULL);
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

static int kvmintro_info_print(const struct kvmintro *kvmintro,
			       const struct kvmintro_vm *vm, const char *text)
{
	char *release = kvmintro_vmcoreinfo_value(text, "OSRELEASE");
	char *offset = kvmintro_vmcoreinfo_value(text, "KERNELOFFSET");
	uint64_t kaslr = 0;
	bool has_offset = kvmintro_vmcoreinfo_number(text, "KERNELOFFSET", 16,
						     &kaslr);
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
			end = kvmintro_vmcoreinfo_line_end(line);
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
			printf("KASLR offset  0x%" PRIx64 "\n", kaslr);
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

int kvmintro_cmd_info(struct kvmintro *kvmintro)
{
	char *text;
	int ret;

	ret = kvmintro_vmcoreinfo_load(kvmintro, &kvmintro->vm, &text);
	if (!ret)
		ret = kvmintro_check_output(kvmintro_info_print(kvmintro,
							&kvmintro->vm, text));
	free(text);
	return ret;
}
