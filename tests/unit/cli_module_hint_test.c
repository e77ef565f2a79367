// SPDX-License-Identifier: GPL-2.0
/*
 * What the CLI says when it cannot read kvmintro's files, one case per
 * diagnosis (debugfs.c's kvmintro_diagnoses[]): no debugfs, no module
 * ('modprobe kvmintro' when modprobe would find it for the running kernel,
 * how to install it when not), not root, lockdown, a VM gone. And the
 * modules.dep lookup and lockdown mode under them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cli_capture.h"
#include "cli_tap.h"
#include "kvmintro.h"

static char base[] = "/tmp/kvmintro-diagnosis-XXXXXX";
static struct utsname kernel;

/* Write @text to @name under the base, making its directories. */
static void base_write(const char *name, const char *text)
{
	char path[512], *slash;
	FILE *file;

	snprintf(path, sizeof(path), "%s/%s", base, name);
	for (slash = path + strlen(base) + 1; (slash = strchr(slash, '/'));
	     *slash++ = '/') {
		*slash = '\0';
		mkdir(path, 0755);
	}
	file = fopen(path, "w");
	if (!file) {
		perror(path);
		exit(1);
	}
	fputs(text, file);
	fclose(file);
}

static void test_module_installed(void)
{
	static const struct {
		const char *dep;
		bool installed;
	} cases[] = {
		{ "updates/kvmintro.ko:\n", true },
		{ "kernel/fs/ext4/ext4.ko.xz: kernel/fs/mbcache.ko.xz\n"
		  "updates/dkms/kvmintro.ko.xz:\n", true },
		{ "extra/kvmintro.ko.zst:\n", true },
		{ "kvmintro.ko:\n", true },
		{ "kernel/arch/x86/kvm/kvm.ko.xz: kernel/virt/lib/irqbypass.ko.xz\n", false },
		{ "updates/kvmintro2.ko:\n", false },
		{ "updates/notkvmintro.ko:\n", false },
		{ "updates/kvmintro.kos:\n", false },
		{ "kernel/kvm.ko: updates/kvmintro.ko\n", false },
		{ "", false },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		base_write("6.1.0-57-amd64/modules.dep", cases[i].dep);
		CLI_EXPECT(kvmintro_module_installed(base, "6.1.0-57-amd64") ==
			   cases[i].installed,
			   "modules.dep case %zu: kvmintro %s", i,
			   cases[i].installed ? "installed" : "not installed");
	}
	CLI_EXPECT(!kvmintro_module_installed(base, "7.0.0-no-such"),
		   "a kernel without modules.dep has no kvmintro");
}

/* /sys/kernel/security/lockdown as the kernel writes it, and garbage. */
static void test_lockdown_mode(void)
{
	static const struct {
		const char *text;
		const char *mode;
	} cases[] = {
		{ "[none] integrity confidentiality\n", NULL },
		{ "none [integrity] confidentiality\n", "integrity" },
		{ "none integrity [confidentiality]\n", "confidentiality" },
		{ "none [integrity] confidentiality", "integrity" },
		{ "[integrity]\n", "integrity" },
		{ "none [integrityx] confidentiality\n", NULL },
		{ "none [integrity confidentiality\n", NULL },
		{ "none [] confidentiality\n", NULL },
		{ "none [Integrity] confidentiality\n", NULL },
		{ "[secret]\n", NULL },
		{ "[", NULL },
		{ "", NULL },
	};
	const char *mode;
	size_t i;

	CLI_EXPECT(!kvmintro_lockdown_mode(), "no lockdown file: not locked down");
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		base_write("lockdown", cases[i].text);
		mode = kvmintro_lockdown_mode();
		CLI_EXPECT(mode ? cases[i].mode && !strcmp(mode, cases[i].mode) :
				  !cases[i].mode,
			   "lockdown case %zu: %s", i,
			   cases[i].mode ? cases[i].mode : "not locked down");
	}
}

/**
 * struct diagnosis_case - a failed access, and what the CLI says of it
 * @what: the diagnosis
 * @root: the debugfs root, under the base unless absolute
 * @dir: the VM directory, or NULL
 * @name: the file that failed, in @root (and @dir)
 * @err: how it failed
 * @lockdown: the lockdown file's text, or NULL for none
 * @dep: the running kernel's modules.dep
 * @ret: what kvmintro_debugfs_report() returns
 * @says: what it says, its lines joined with '|', with "%s" for the base
 */
struct diagnosis_case {
	const char *what;
	const char *root;
	const char *dir;
	const char *name;
	int err;
	const char *lockdown;
	const char *dep;
	int ret;
	const char *says;
};

#define NOT_LOADED "/proc/kvmintro-no-such does not exist: the kvmintro module is not loaded|"
#define INSTALLED "updates/dkms/kvmintro.ko.xz:\n"
#define UNLOCKED "[none] integrity confidentiality\n"

static const struct diagnosis_case diagnosis_cases[] = {
	{ "EPERM as root, locked down, outside debugfs", "kvmintro", NULL,
	  "vms", -EPERM, "none [integrity] confidentiality\n", INSTALLED, -EPERM,
	  "cannot write %s/kvmintro/vms: the kernel is locked down (integrity), which forbids it" },
	{ "EPERM as root, not locked down", "kvmintro", NULL, "vms", -EPERM,
	  UNLOCKED, INSTALLED, -EPERM,
	  "write %s/kvmintro/vms is not permitted, even to root|is the kernel locked down? See %s/lockdown" },
	{ "EACCES: not root", "kvmintro", "7", "memslots", -EACCES, NULL,
	  INSTALLED, -EACCES,
	  "kvmintro needs root: cannot write %s/kvmintro/7/memslots: Permission denied|run it as root, for example with sudo" },
	{ "not loaded, installed", "/proc/kvmintro-no-such", NULL, "vms",
	  -ENOENT, NULL, INSTALLED, -ENODEV,
	  NOT_LOADED "load the module with 'modprobe kvmintro', then try again" },
	{ "not loaded, not installed", "/proc/kvmintro-no-such", NULL, "vms",
	  -ENOENT, NULL, "kernel/kvm.ko:\n", -ENODEV,
	  NOT_LOADED "load the module, then try again; it is not installed for this kernel (" },
	{ "debugfs not mounted", "empty/kvmintro", "7", "memslots", -ENOENT,
	  NULL, INSTALLED, -ENODEV,
	  "debugfs is not mounted on %s/empty|mount it with 'mount -t debugfs none %s/empty'|then load the module with 'modprobe kvmintro'" },
	{ "no debugfs mount point", "none/kvmintro", NULL, "vms", -ENOENT, NULL,
	  INSTALLED, -ENODEV,
	  "debugfs is not mounted: %s/none does not exist|mount it with 'mount -t debugfs none /sys/kernel/debug' (needs CONFIG_DEBUG_FS),|or point --debugfs" },
	{ "no root, module loaded?", "missing", NULL, "vms", -ENOENT, NULL,
	  INSTALLED, -ENODEV,
	  "%s/missing does not exist: is the kvmintro module loaded?|load the module with 'modprobe kvmintro'|or, if it is loaded, point --debugfs" },
	{ "no root, not installed", "missing", NULL, "vms", -ENOENT, NULL, "",
	  -ENODEV, "load the module; it is not installed for this kernel (" },
	{ "root is a file", "a-file", NULL, "vms", -ENOTDIR, NULL, INSTALLED,
	  -ENODEV, "%s/a-file is not a directory|point --debugfs" },
	{ "root under a file", "a-file/kvmintro", NULL, "vms", -ENOTDIR, NULL,
	  INSTALLED, -ENODEV,
	  "cannot access %s/a-file/kvmintro: Not a directory" },
	{ "VM gone", "kvmintro", "4321", "memslots", -ENOENT, NULL, INSTALLED,
	  -ESRCH,
	  "%s/kvmintro/4321 is gone: the VM has exited|run 'kvmintro list' to see the VMs running now" },
	{ "VM gone, whatever the error", "kvmintro", "4321", "memslots", -EIO,
	  NULL, INSTALLED, -ESRCH, "%s/kvmintro/4321 is gone" },
	{ "a file the module does not have", "kvmintro", "7", "nothing",
	  -ENOENT, NULL, INSTALLED, -ENOENT,
	  "%s/kvmintro/7/nothing does not exist: the loaded kvmintro module does not provide it|use the kvmintro CLI built with the loaded module" },
	{ "VM exiting", "kvmintro", "7", "memslots", -ENODEV, NULL, INSTALLED,
	  -ESRCH, "cannot write %s/kvmintro/7/memslots: the VM is exiting" },
	{ "too large", "kvmintro", NULL, "vms", -EFBIG, NULL, INSTALLED, -EFBIG,
	  "%s/kvmintro/vms is larger than 16 MiB: it is not a file kvmintro wrote" },
	{ "any other error", "kvmintro", "7", "memslots", -EIO, NULL, INSTALLED,
	  -EIO, "cannot write %s/kvmintro/7/memslots: Input/output error" },
};

static void expect_diagnosis(const struct diagnosis_case *test)
{
	char root[256], path[512], dep[512], says[1024], *line;
	struct cli_stderr_capture capture;
	const char *text;
	bool said = true;
	int ret;

	if (test->err == -EPERM && geteuid()) {
		cli_tap_skip("not root", "%s", test->what);
		return;
	}
	snprintf(root, sizeof(root), "%s%s%s", test->root[0] == '/' ? "" : base,
		 test->root[0] == '/' ? "" : "/", test->root);
	snprintf(path, sizeof(path), "%s/%s%s%s", root, test->dir ?: "",
		 test->dir ? "/" : "", test->name);
	snprintf(dep, sizeof(dep), "%s/modules.dep", kernel.release);
	base_write(dep, test->dep);
	if (test->lockdown)
		base_write("lockdown", test->lockdown);
	else
		unlink(kvmintro_lockdown_file);
	snprintf(says, sizeof(says), test->says, base, base);

	cli_stderr_capture_begin(&capture);
	ret = kvmintro_debugfs_report(root, test->dir, path, test->err,
				      "write");
	text = cli_stderr_capture_end(&capture);
	for (line = strtok(says, "|"); line; line = strtok(NULL, "|"))
		said = said && strstr(text, line);
	if (!CLI_EXPECT(ret == test->ret && said, "%s", test->what))
		printf("#   %d, said:\n%s", ret, text);
	free(capture.text);
}

static void test_diagnoses(void)
{
	struct cli_stderr_capture capture;
	const char *text;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(diagnosis_cases); i++)
		expect_diagnosis(&diagnosis_cases[i]);

	/* A write the kernel refuses (EINVAL), as the module refuses one. */
	cli_stderr_capture_begin(&capture);
	ret = kvmintro_debugfs_write("/proc/self", NULL, "oom_score_adj",
				     "x\n", 2, NULL);
	text = cli_stderr_capture_end(&capture);
	CLI_EXPECT(ret == -EPROTO &&
		   strstr(text, "the module refused what was written to /proc/self/oom_score_adj: \"x") &&
		   strstr(text, "use the kvmintro CLI built with the loaded module"),
		   "a refused write: the request quoted, and the version hint");
	free(capture.text);
}

int main(void)
{
	char command[128], lockdown[128];

	if (!mkdtemp(base) || uname(&kernel)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(lockdown, sizeof(lockdown), "%s/lockdown", base);
	kvmintro_lockdown_file = lockdown;
	kvmintro_modules_directory = base;
	base_write("kvmintro/7/memslots", "");
	base_write("a-file", "");
	snprintf(command, sizeof(command), "%s/empty", base);
	mkdir(command, 0755);
	test_module_installed();
	test_lockdown_mode();
	test_diagnoses();
	snprintf(command, sizeof(command), "rm -rf '%s'", base);
	if (system(command))
		fprintf(stderr, "could not remove %s\n", base);
	return cli_tap_finish();
}
