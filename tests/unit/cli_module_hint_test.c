// SPDX-License-Identifier: GPL-2.0
/*
 * What the CLI says when the module is not loaded: 'modprobe kvmintro' when
 * modprobe would find it for the running kernel, how to install it when not;
 * and how it reads the kernel's lockdown mode and what it says under it.
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

static char modules[] = "/tmp/kvmintro-modules-XXXXXX";

/* Write @text as the modules.dep of @release under the fake modules tree. */
static void modules_dep_write(const char *release, const char *text)
{
	char path[512];
	FILE *file;

	snprintf(path, sizeof(path), "%s/%s", modules, release);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/modules.dep", modules, release);
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
		modules_dep_write("6.1.0-57-amd64", cases[i].dep);
		CLI_EXPECT(kvmintro_module_installed(modules, "6.1.0-57-amd64") ==
			   cases[i].installed,
			   "modules.dep case %zu: kvmintro %s", i,
			   cases[i].installed ? "installed" : "not installed");
	}
	CLI_EXPECT(!kvmintro_module_installed(modules, "7.0.0-no-such"),
		   "a kernel without modules.dep has no kvmintro");
}

/* The messages for a debugfs root whose module is not loaded. */
static void test_hint(void)
{
	struct cli_stderr_capture capture;
	struct utsname kernel;
	char root[512];
	const char *text;

	if (uname(&kernel)) {
		cli_tap_skip("uname() failed", "the module hints");
		return;
	}
	kvmintro_modules_directory = modules;
	/* A directory that is not empty and not debugfs, without kvmintro. */
	snprintf(root, sizeof(root), "%s/kvmintro", modules);

	modules_dep_write(kernel.release, "updates/dkms/kvmintro.ko.xz:\n");
	cli_stderr_capture_begin(&capture);
	CLI_EXPECT(kvmintro_debugfs_check_root(root) == -ENODEV,
		   "a missing module is ENODEV");
	text = cli_stderr_capture_end(&capture);
	CLI_EXPECT(strstr(text, "load the module with 'modprobe kvmintro'\n") &&
		   !strstr(text, "not installed"),
		   "installed for the running kernel: modprobe, nothing else");
	free(capture.text);

	modules_dep_write(kernel.release, "kernel/kvm.ko:\n");
	cli_stderr_capture_begin(&capture);
	CLI_EXPECT(kvmintro_debugfs_check_root(root) == -ENODEV,
		   "a missing module is ENODEV");
	text = cli_stderr_capture_end(&capture);
	CLI_EXPECT(strstr(text, "it is not installed for this kernel") &&
		   strstr(text, kernel.release) &&
		   strstr(text, "kvmintro-dkms") &&
		   strstr(text, "make install"),
		   "not installed: says so and how to install it");
	free(capture.text);
	kvmintro_modules_directory = "/lib/modules";
}

/* Write @text as the fake lockdown file. */
static void lockdown_write(const char *path, const char *text)
{
	FILE *file = fopen(path, "w");

	if (!file) {
		perror(path);
		exit(1);
	}
	fputs(text, file);
	fclose(file);
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
	struct cli_stderr_capture capture;
	char path[512];
	const char *text;
	size_t i;

	snprintf(path, sizeof(path), "%s/lockdown", modules);
	kvmintro_lockdown_file = path;
	CLI_EXPECT(!kvmintro_lockdown_mode(), "no lockdown file: not locked down");
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *mode;

		lockdown_write(path, cases[i].text);
		mode = kvmintro_lockdown_mode();
		CLI_EXPECT(mode ? cases[i].mode && !strcmp(mode, cases[i].mode) :
				  !cases[i].mode,
			   "lockdown case %zu: %s", i,
			   cases[i].mode ? cases[i].mode : "not locked down");
	}

	/* EPERM on a file outside debugfs while locked down: said so. */
	if (geteuid()) {
		cli_tap_skip("not root", "the lockdown message");
	} else {
		lockdown_write(path, "none [integrity] confidentiality\n");
		cli_stderr_capture_begin(&capture);
		CLI_EXPECT(kvmintro_debugfs_report(modules, NULL, path, -EPERM,
						   "write") == -EPERM,
			   "EPERM under lockdown stays EPERM");
		text = cli_stderr_capture_end(&capture);
		CLI_EXPECT(strstr(text, "the kernel is locked down (integrity)") &&
			   !strstr(text, "needs root"),
			   "EPERM under lockdown: the lockdown named, not root");
		free(capture.text);
	}
	kvmintro_lockdown_file = "/sys/kernel/security/lockdown";
}

int main(void)
{
	char command[128];

	if (!mkdtemp(modules)) {
		perror("mkdtemp");
		return 1;
	}
	test_module_installed();
	test_hint();
	test_lockdown_mode();
	snprintf(command, sizeof(command), "rm -rf '%s'", modules);
	if (system(command))
		fprintf(stderr, "could not remove %s\n", modules);
	return cli_tap_finish();
}
