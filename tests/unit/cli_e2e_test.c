// SPDX-License-Identifier: GPL-2.0
/*
 * The kvmintro CLI run for real, against fake debugfs trees made in a
 * temporary directory: tables, JSON, messages and exit statuses.
 *
 * The program to run comes from $KVMINTRO_CLI (the Makefile builds one with
 * the sanitizers); without it every check is skipped.
 *
 * Commands that write a request and read the reply (pause, resume,
 * snapshot, translate, scan) open the file, write, close, then read it
 * from the start with a fresh open, as the module keeps its replies per
 * VM. On a regular file the write would land on the reply. So a fake
 * command file plays the module: the test holds a write lease on an empty
 * file; the CLI's open for writing breaks it (SIGIO), and before letting
 * the open go on the test renames the reply over the path. The CLI writes
 * into the old file, which the test keeps open to check the request, and
 * its fresh open reads the reply.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../lib/elfcore.h"
#include "../../lib/regs.h"
#include "cli_fixtures.h"
#include "cli_json_check.h"
#include "printk_image.h"
#include "cli_tap.h"

#define FAKE_VMS							\
	"pid=1234 dir=\"1234\" vcpus=2 slots=3 mem=268435456\n"		\
	"pid=1234 dir=\"1234-1\" vcpus=1 slots=0 mem=0\n"			\
	"pid=5678 dir=\"5678\" vcpus=4 slots=2 mem=4294967296\n"		\
	"pid=4321 dir=\"4321\" vcpus=1 slots=0 mem=0\n"

#define FAKE_MEMSLOTS_1234						\
	"as=0 slot=0 gpa=0x0 npages=0xa0 size=0xa0000 hva=0x7f5c2c000000 flags=-\n" \
	"as=0 slot=1 gpa=0x100000000 npages=0x400 size=0x400000 "	\
	"hva=0x7f5c00000000 flags=readonly\n"				\
	"as=1 slot=0 gpa=0x0 npages=0xa0 size=0xa0000 hva=0x7f5c2c000000 " \
	"flags=dirty_log\n"

#define FAKE_MEMSLOTS_5678						\
	"as=0 slot=0 gpa=0x0 npages=0x80000 size=0x80000000 "		\
	"hva=0x7f0000000000 flags=dirty_log,guest_memfd\n"		\
	"as=0 slot=1 gpa=0x100000000 npages=0x80000 size=0x80000000 "	\
	"hva=0x7f0080000000 flags=readonly,unknown_0x100\n"

/* Where the fake trees are, the good one, and the CLI under test. */
static char fake_base[256];
static char good[512];
static char arm64_root[512];
static const char *cli_program;

/**
 * struct cli_run - the outcome of one run of the CLI
 * @status: its exit status, or 128 + the signal that killed it
 * @out: what it wrote on stdout
 * @err: what it wrote on stderr
 */
struct cli_run {
	int status;
	char *out;
	char *err;
};

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Return "<fake_base>/<relative>" in a static buffer, one of a few. */
static const char *fake_path(const char *relative)
{
	static char paths[4][512];
	static unsigned int next;
	char *path = paths[next++ % 4];

	snprintf(path, sizeof(paths[0]), "%s/%s", fake_base, relative);
	return path;
}

static void fake_directory(const char *relative)
{
	if (mkdir(fake_path(relative), 0755))
		die(relative);
}

static void fake_file(const char *relative, const char *contents)
{
	FILE *file = fopen(fake_path(relative), "w");

	if (!file || fputs(contents, file) < 0 || fclose(file))
		die(relative);
}

/* Write @length bytes at @offset of a file of @size bytes, zeros else. */
static void fake_bytes(const char *relative, off_t offset, const char *bytes,
		       size_t length, off_t size)
{
	int fd = open(fake_path(relative), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || ftruncate(fd, size) ||
	    pwrite(fd, bytes, length, offset) != (ssize_t)length || close(fd))
		die(relative);
}

/*
 * A core file as the module writes one (lib/elfcore), of one vcpu and one
 * page, with @vmcoreinfo as the guest's VMCOREINFO note.
 */
static void fake_core(const char *relative, const char *vmcoreinfo)
{
	struct kvmintro_elfcore_load load = { .gpa = 0, .size = 4096 };
	struct kvmintro_regs regs = { 0 };
	struct kvmintro_elfcore core = {
		.loads = &load, .nr_loads = 1, .cpus = &regs, .nr_cpus = 1,
		.vmcoreinfo = vmcoreinfo,
		.vmcoreinfo_size = (u32)strlen(vmcoreinfo),
	};
	char *headers;

	if (kvmintro_elfcore_layout(&core))
		die(relative);
	headers = calloc(1, core.headers_size);
	if (!headers ||
	    kvmintro_elfcore_write_headers(&core, headers, core.headers_size))
		die(relative);
	fake_bytes(relative, 0, headers, core.headers_size, core.file_size);
	free(headers);
}

/* Give VM directory @vm a vcpu<@vcpu>/regs file, the fixture's values. */
static void fake_vcpu(const char *vm, unsigned int vcpu)
{
	const char *fixture = FIXTURE_REGS;
	char relative[256], regs[4096];

	snprintf(relative, sizeof(relative), "%s/vcpu%u", vm, vcpu);
	fake_directory(relative);
	snprintf(regs, sizeof(regs), "vcpu=%u%s", vcpu,
		 fixture + strlen("vcpu=1"));
	snprintf(relative, sizeof(relative), "%s/vcpu%u/regs", vm, vcpu);
	fake_file(relative, regs);
}

/*
 * The files of the introspection commands, for VM 5678 of the good tree:
 * vcpus 0, 1, 2 and 10 (ids need not be dense), gpa_hpa, and 12 KiB of
 * guest memory with some text at 0x1ff8. The command files (snapshot,
 * translate, scan) are made by each run; see struct fake_command. VM
 * 1234-1 has no vcpus, and a directory where its snapshot file should be.
 */
static void fake_introspection_create(void)
{
	static const char text[] = "Hello, world\x01\x02 with more text here..";
	static const unsigned int vcpus[] = { 0, 1, 10, 2 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vcpus); i++)
		fake_vcpu("good/kvmintro/5678", vcpus[i]);
	fake_file("good/kvmintro/5678/gpa_hpa", FIXTURE_GPA_HPA);
	fake_bytes("good/kvmintro/5678/mem", 0x1ff8, text, sizeof(text) - 1,
		   0x3000);
	fake_core("good/kvmintro/5678/core",
		  "OSRELEASE=6.1.0-57-amd64\nPAGESIZE=4096\n"
		  "SYMBOL(init_uts_ns)=ffffffff9a412420\nKERNELOFFSET=18800000\n");
	fake_file("good/kvmintro/1234-1/core", "not an ELF core\n");
	fake_directory("good/kvmintro/1234-1/snapshot");

	/* An arm64 host's VM: its regs file has arm64's registers. */
	fake_directory("arm64");
	fake_directory("arm64/kvmintro");
	fake_file("arm64/kvmintro/vms",
		  "pid=2468 dir=\"2468\" vcpus=1 slots=0 mem=0\n");
	fake_directory("arm64/kvmintro/2468");
	fake_directory("arm64/kvmintro/2468/vcpu0");
	fake_file("arm64/kvmintro/2468/vcpu0/regs", FIXTURE_ARM64_REGS);

	fake_directory("bad-files");
	fake_directory("bad-files/kvmintro");
	fake_file("bad-files/kvmintro/vms", "pid=7 dir=\"7\" vcpus=1 slots=1 mem=4096\n");
	fake_directory("bad-files/kvmintro/7");
	fake_directory("bad-files/kvmintro/7/vcpu0");
	fake_file("bad-files/kvmintro/7/vcpu0/regs", "vcpu=0\nsource=capture\n"
		  "generation=1\nrax=0x0\nrbx=rbx\n");
	fake_core("bad-files/kvmintro/7/core",
		  "OSRELEASE=6.1\033]2;owned\a\nKERNELOFFSET=zz\n");
	fake_file("bad-files/kvmintro/7/gpa_hpa", "# a comment\n"
		  "gpa=0x0 npages=0x1 hva=0x7f0000000000 hpa=- pfn=- "
		  "host_size=- kind=base\n");
}

/* x86-64 page-table entry bits, and where a Linux guest maps itself. */
#define FAKE_PTE_PRESENT	0x1ull
#define FAKE_PTE_WRITABLE	0x2ull
#define FAKE_PTE_LARGE		0x80ull
#define FAKE_PTE_TABLE		(FAKE_PTE_PRESENT | FAKE_PTE_WRITABLE)
#define FAKE_PTE_PAGE		(FAKE_PTE_TABLE | FAKE_PTE_LARGE)
#define FAKE_DIRECT_MAP		0xffff888000000000ull
#define FAKE_PHYS_BASE		0x200000ull

static void fake_u64(int fd, uint64_t gpa, uint64_t value)
{
	if (pwrite(fd, &value, 8, gpa) != 8)
		die("mem");
}

/*
 * A Linux guest for dmesg, VM @vm of the linux tree: its kernel image
 * mapped at __START_KERNEL_map (0xffffffff80000000) from GPA phys_base
 * with a 2 MiB page, the direct map at 0xffff888000000000 over GPA 0 with
 * a 1 GiB page, both from the page tables at init_top_pgt (kernel address
 * 0xffffffff80001000, so GPA 0x201000), as x86-64 Linux has them; a printk
 * ring (printk_image.c) in the direct map, and the pointer "prb" to
 * it in the kernel image, at 0xffffffff80010000.  Its VMCOREINFO says
 * where they are, but gives @prb_symbol for SYMBOL(prb).
 */
static void fake_linux_guest(const char *vm, const char *prb_symbol)
{
	static struct printk_image image;
	const uint64_t pml4 = 0x201000, pdpt = 0x202000, pd = 0x203000;
	const uint64_t direct_pdpt = 0x204000, prb = 0x210000;
	char relative[256], vmcoreinfo[4096], *at;
	int fd;

	printk_image_init(&image, 4, 12);
	printk_image_add(&image, "Linux version 6.1.0-test", 0, 0);
	printk_image_add(&image, "two\nlines", 1500000000, 0x80000001);
	printk_image_add_empty(&image, 2000001000);
	printk_image_add(&image, "a\ttab and a \\ stay", 12345678000, 1);
	printk_image_add(&image, "an escape \033[31m is shown", 12345000000000, 1);

	snprintf(relative, sizeof(relative), "linux/kvmintro/%s", vm);
	fake_directory(relative);
	snprintf(relative, sizeof(relative), "linux/kvmintro/%s/mem", vm);
	fd = open(fake_path(relative), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, PRINTK_IMAGE_BASE - FAKE_DIRECT_MAP +
			      image.size))
		die(relative);
	fake_u64(fd, pml4 + 273 * 8, direct_pdpt | FAKE_PTE_TABLE);
	fake_u64(fd, direct_pdpt, 0 | FAKE_PTE_PAGE);
	fake_u64(fd, pml4 + 511 * 8, pdpt | FAKE_PTE_TABLE);
	fake_u64(fd, pdpt + 510 * 8, pd | FAKE_PTE_TABLE);
	fake_u64(fd, pd, FAKE_PHYS_BASE | FAKE_PTE_PAGE);
	fake_u64(fd, prb, image.rb);
	if (pwrite(fd, image.mem, image.size, PRINTK_IMAGE_BASE - FAKE_DIRECT_MAP) !=
	    (ssize_t)image.size || close(fd))
		die(relative);

	at = vmcoreinfo + printk_image_vmcoreinfo(vmcoreinfo, sizeof(vmcoreinfo),
						  0xffffffff80010000ull);
	snprintf(at, vmcoreinfo + sizeof(vmcoreinfo) - at,
		 "SYMBOL(init_top_pgt)=ffffffff80001000\n"
		 "NUMBER(phys_base)=%llu\nNUMBER(pgtable_l5_enabled)=0\n",
		 FAKE_PHYS_BASE);
	at = strstr(vmcoreinfo, "SYMBOL(prb)=") + strlen("SYMBOL(prb)=");
	memcpy(at, prb_symbol, strlen(prb_symbol));
	snprintf(relative, sizeof(relative), "linux/kvmintro/%s/core", vm);
	fake_core(relative, vmcoreinfo);
	printk_image_release(&image);
}

/*
 * Build the fake trees:
 *   good/kvmintro       four VMs (4321's directory is missing: it exited)
 *   empty/kvmintro      no VMs
 *   bad-vms/kvmintro    a malformed vms file
 *   bad-slots/kvmintro  a malformed memslots file
 *   odd-dir/kvmintro    a VM whose dir needs escaping in JSON
 *   no-vms/kvmintro     a directory without a vms file
 *   unmounted/          an empty directory, as an unmounted debugfs is
 *   a-file              a file where a directory should be
 *   bad-files/kvmintro  a VM whose regs and gpa_hpa files are malformed
 *   linux/kvmintro      Linux guests for dmesg (see fake_linux_guest())
 * and the introspection files of good/kvmintro (see
 * fake_introspection_create()).
 */
static void fake_trees_create(void)
{
	const char *temporary = getenv("TMPDIR");

	snprintf(fake_base, sizeof(fake_base), "%s/kvmintro-cli-test.XXXXXX",
		 temporary && *temporary ? temporary : "/tmp");
	if (!mkdtemp(fake_base))
		die("mkdtemp");
	snprintf(good, sizeof(good), "%s/good/kvmintro", fake_base);
	snprintf(arm64_root, sizeof(arm64_root), "%s/arm64/kvmintro",
		 fake_base);
	fake_directory("good");
	fake_directory("good/kvmintro");
	fake_file("good/kvmintro/vms", FAKE_VMS);
	fake_directory("good/kvmintro/1234");
	fake_file("good/kvmintro/1234/memslots", FAKE_MEMSLOTS_1234);
	fake_directory("good/kvmintro/1234-1");
	fake_file("good/kvmintro/1234-1/memslots", "");
	fake_directory("good/kvmintro/5678");
	fake_file("good/kvmintro/5678/memslots", FAKE_MEMSLOTS_5678);

	fake_directory("empty");
	fake_directory("empty/kvmintro");
	fake_file("empty/kvmintro/vms", "");

	fake_directory("bad-vms");
	fake_directory("bad-vms/kvmintro");
	fake_file("bad-vms/kvmintro/vms", "pid=1 dir=\"1\" vcpus=1 slots=0 mem=0\n"
					  "pid=2 dir=\"2\" vcpus=1 slots=0 mem=12x\n");

	fake_directory("bad-slots");
	fake_directory("bad-slots/kvmintro");
	fake_file("bad-slots/kvmintro/vms", "pid=1 dir=\"1\" vcpus=1 slots=1 mem=0\n");
	fake_directory("bad-slots/kvmintro/1");
	fake_file("bad-slots/kvmintro/1/memslots",
		  "as=0 slot=0 gpa=0x0 npages=0x1 size=0x1000 hva=0x1 flags=-\n"
		  "as=0 slot=1 gpa=0x0\n");

	fake_directory("odd-dir");
	fake_directory("odd-dir/kvmintro");
	fake_file("odd-dir/kvmintro/vms",
		  "pid=1 dir=\"we\\\"ird\\\\\" vcpus=1 slots=0 mem=0\n");

	fake_directory("no-vms");
	fake_directory("no-vms/kvmintro");
	fake_directory("unmounted");
	fake_file("a-file", "");

	fake_directory("linux");
	fake_directory("linux/kvmintro");
	fake_file("linux/kvmintro/vms",
		  "pid=42 dir=\"42\" vcpus=1 slots=1 mem=16777216\n"
		  "pid=43 dir=\"43\" vcpus=1 slots=1 mem=16777216\n");
	fake_linux_guest("42", "ffffffff80010000");
	/* The same length: SYMBOL(prb) where nothing is mapped. */
	fake_linux_guest("43", "ffffffffc0000000");
	fake_introspection_create();
}

static int fake_remove_entry(const char *path, const struct stat *status,
			     int type, struct FTW *walk)
{
	(void)status;
	(void)type;
	(void)walk;
	return remove(path);
}

static void fake_trees_remove(void)
{
	nftw(fake_base, fake_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static char *read_whole_file(const char *path)
{
	char *text = NULL;
	size_t length = 0;
	FILE *file, *stream;
	int c;

	file = fopen(path, "r");
	stream = open_memstream(&text, &length);
	if (!file || !stream)
		die(path);
	while ((c = fgetc(file)) != EOF)
		fputc(c, stream);
	fclose(file);
	fclose(stream);
	return text;
}

/**
 * struct fake_command - a command file that answers like the module
 * @relative: where it is in the fake trees
 * @reply: what a fresh open reads once the CLI has written its request
 * @written: what the CLI wrote, after the run
 * @fd: the file the CLI writes into, leased; -1 if no lease could be had
 * @answered: the CLI opened it and the reply is in place
 */
struct fake_command {
	const char *relative;
	const char *reply;
	char written[4096];
	int fd;
	bool answered;
};

static const char *fake_reply_path(const struct fake_command *command)
{
	static char path[600];

	snprintf(path, sizeof(path), "%s.reply", fake_path(command->relative));
	return path;
}

/*
 * Make @command's file empty, lease it, and put its reply aside. Return
 * false if the file system takes no lease (the caller skips).
 */
static bool fake_command_arm(struct fake_command *command)
{
	FILE *reply;

	fake_file(command->relative, "");
	command->written[0] = '\0';
	command->answered = false;
	command->fd = open(fake_path(command->relative), O_RDONLY);
	if (command->fd < 0)
		die(command->relative);
	if (fcntl(command->fd, F_SETLEASE, F_WRLCK)) {
		close(command->fd);
		command->fd = -1;
		return false;
	}
	reply = fopen(fake_reply_path(command), "w");
	if (!reply || fputs(command->reply, reply) < 0 || fclose(reply))
		die(command->relative);
	return true;
}

/* Forget signals of earlier runs: a child's exit, a lease broken. */
static void fake_signals_drain(void)
{
	struct timespec now = { 0, 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGIO);
	sigaddset(&set, SIGCHLD);
	while (sigtimedwait(&set, NULL, &now) > 0)
		;
}

/*
 * Wait until the CLI opens @command's file (its lease breaks) or exits;
 * on the open, put the reply in the file's place and let the open go on.
 */
static void fake_command_serve(struct fake_command *command)
{
	struct timespec timeout = { 30, 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGIO);
	sigaddset(&set, SIGCHLD);
	if (sigtimedwait(&set, NULL, &timeout) != SIGIO)
		return;
	if (rename(fake_reply_path(command), fake_path(command->relative)))
		die("rename");
	fcntl(command->fd, F_SETLEASE, F_UNLCK);
	command->answered = true;
}

/* After the run: keep what the CLI wrote, let the file go. */
static void fake_command_collect(struct fake_command *command)
{
	ssize_t length;

	length = pread(command->fd, command->written,
		       sizeof(command->written) - 1, 0);
	command->written[length > 0 ? length : 0] = '\0';
	close(command->fd);
	unlink(fake_reply_path(command));
}

static void cli_child(const char *debugfs, const char *stdout_path,
		      const char *stderr_path, char **argv,
		      const char *const *wrapper)
{
	const char *program_argv[32];
	int out, err, i = 0, j;

	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	out = open(stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	err = open(stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(125);
	if (debugfs)
		setenv("KVMINTRO_DEBUGFS", debugfs, 1);
	else
		unsetenv("KVMINTRO_DEBUGFS");
	for (j = 0; wrapper && wrapper[j]; j++)
		program_argv[i++] = wrapper[j];
	program_argv[i++] = cli_program;
	for (j = 0; argv[j] && i < 31; j++)
		program_argv[i++] = argv[j];
	program_argv[i] = NULL;
	execvp(program_argv[0], (char **)program_argv);
	_exit(126);
}

/*
 * Run the CLI with $KVMINTRO_DEBUGFS set to @debugfs (unset if NULL), its
 * stdout going to @stdout_path (a file of our own if NULL), its command
 * line preceded by @wrapper (if not NULL).
 */
static void cli_run_full(struct cli_run *run, const char *debugfs,
			 const char *stdout_path, const char *const *wrapper,
			 struct fake_command *command, char **argv)
{
	char out_path[512], err_path[512];
	int status;
	pid_t pid;

	snprintf(out_path, sizeof(out_path), "%s/stdout", fake_base);
	snprintf(err_path, sizeof(err_path), "%s/stderr", fake_base);
	fflush(stdout);
	fake_signals_drain();
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid)
		cli_child(debugfs, stdout_path ? stdout_path : out_path,
			  err_path, argv, wrapper);
	if (command)
		fake_command_serve(command);
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	if (command)
		fake_command_collect(command);
	run->status = WIFEXITED(status) ? WEXITSTATUS(status) :
					  128 + WTERMSIG(status);
	run->out = stdout_path ? strdup("") : read_whole_file(out_path);
	run->err = read_whole_file(err_path);
	if (strstr(run->err, "Sanitizer") || strstr(run->err, "runtime error"))
		CLI_EXPECT(false, "%s %s: no sanitizer report", argv[0],
			   argv[1] ? argv[1] : "");
}

#define cli_run(run, debugfs, ...)					\
	cli_run_full(run, debugfs, NULL, NULL, NULL,			\
		     (char *[]){ __VA_ARGS__, NULL })

static void cli_run_release(struct cli_run *run)
{
	free(run->out);
	free(run->err);
}

/* Show what a run printed when a check about it failed. */
static void cli_run_show(const struct cli_run *run)
{
	printf("#   exit status %d; stdout:\n", run->status);
	cli_tap_diagnostic(run->out);
	printf("#   stderr:\n");
	cli_tap_diagnostic(run->err);
}

/* Check the exit status of @run and that stderr holds @message. */
static void expect_failure(const struct cli_run *run, int status,
			   const char *message, const char *name)
{
	if (!CLI_EXPECT(run->status == status && strstr(run->err, message) &&
			!*run->out, "%s: exit status %d, says \"%s\"", name,
			status, message))
		cli_run_show(run);
}

static void expect_success(const struct cli_run *run, const char *expected,
			   const char *name)
{
	if (!CLI_EXPECT(run->status == 0 && !*run->err,
			"%s: exit status 0, nothing on stderr", name))
		cli_run_show(run);
	CLI_EXPECT_STRING(run->out, expected, "%s: output", name);
}

static void expect_json(const struct cli_run *run, const char *name)
{
	cli_json_expect_valid(run->out, name);
}

static const char list_table[] =
	" PID  DIR     VCPUS  SLOTS   MEMORY       BYTES\n"
	"1234  1234        2      3  256 MiB   268435456\n"
	"1234  1234-1      1      0      0 B           0\n"
	"5678  5678        4      2    4 GiB  4294967296\n"
	"4321  4321        1      0      0 B           0\n";

static const char list_json[] =
	"[\n"
	"  {\n"
	"    \"pid\": 1234,\n"
	"    \"dir\": \"1234\",\n"
	"    \"vcpus\": 2,\n"
	"    \"slots\": 3,\n"
	"    \"mem\": 268435456\n"
	"  },\n"
	"  {\n"
	"    \"pid\": 1234,\n"
	"    \"dir\": \"1234-1\",\n"
	"    \"vcpus\": 1,\n"
	"    \"slots\": 0,\n"
	"    \"mem\": 0\n"
	"  },\n"
	"  {\n"
	"    \"pid\": 5678,\n"
	"    \"dir\": \"5678\",\n"
	"    \"vcpus\": 4,\n"
	"    \"slots\": 2,\n"
	"    \"mem\": 4294967296\n"
	"  },\n"
	"  {\n"
	"    \"pid\": 4321,\n"
	"    \"dir\": \"4321\",\n"
	"    \"vcpus\": 1,\n"
	"    \"slots\": 0,\n"
	"    \"mem\": 0\n"
	"  }\n"
	"]\n";

static void test_list(void)
{
	char option[600];
	struct cli_run run;

	cli_run(&run, NULL, "--debugfs", (char *)good, "list");
	expect_success(&run, list_table, "list");
	cli_run_release(&run);

	cli_run(&run, NULL, "list", "--json", "--debugfs", (char *)good);
	expect_success(&run, list_json, "list --json");
	expect_json(&run, "list --json");
	cli_run_release(&run);

	cli_run(&run, good, "--json", "list");
	expect_success(&run, list_json,
		       "--json list, directory from KVMINTRO_DEBUGFS");
	cli_run_release(&run);

	snprintf(option, sizeof(option), "--debugfs=%s", good);
	cli_run(&run, "/nonexistent", option, "list");
	expect_success(&run, list_table, "--debugfs=DIR wins over the environment");
	cli_run_release(&run);

	cli_run(&run, fake_path("empty/kvmintro"), "list");
	expect_success(&run, "No KVM VMs are running.\n", "list, no VMs");
	cli_run_release(&run);

	cli_run(&run, fake_path("empty/kvmintro"), "list", "--json");
	expect_success(&run, "[]\n", "list --json, no VMs");
	expect_json(&run, "list --json, no VMs");
	cli_run_release(&run);

	cli_run(&run, fake_path("odd-dir/kvmintro"), "list", "--json");
	expect_json(&run, "list --json, dir with a quote and a backslash");
	CLI_EXPECT(strstr(run.out, "\"dir\": \"we\\\"ird\\\\\""),
		   "list --json, dir with a quote and a backslash: escaped");
	cli_run_release(&run);
}

static void test_memslots(void)
{
	struct cli_run run;

	cli_run(&run, good, "memslots", "5678");
	expect_success(&run,
		       "AS  SLOT          GPA   NPAGES   SIZE       BYTES             HVA  FLAGS\n"
		       " 0     0          0x0  0x80000  2 GiB  0x80000000  0x7f0000000000  dirty_log,guest_memfd\n"
		       " 0     1  0x100000000  0x80000  2 GiB  0x80000000  0x7f0080000000  readonly,unknown_0x100\n",
		       "memslots PID");
	cli_run_release(&run);

	cli_run(&run, good, "memslots", "--json", "1234-1");
	expect_success(&run,
		       "{\n"
		       "  \"vm\": {\n"
		       "    \"pid\": 1234,\n"
		       "    \"dir\": \"1234-1\",\n"
		       "    \"vcpus\": 1,\n"
		       "    \"slots\": 0,\n"
		       "    \"mem\": 0\n"
		       "  },\n"
		       "  \"memslots\": []\n"
		       "}\n", "memslots --json DIR, no memslots");
	expect_json(&run, "memslots --json DIR, no memslots");
	cli_run_release(&run);

	cli_run(&run, good, "memslots", "1234-1");
	expect_success(&run, "VM 1234-1 (PID 1234) has no memslots.\n",
		       "memslots DIR, no memslots");
	cli_run_release(&run);

	cli_run(&run, good, "--json", "memslots", "--", "5678");
	expect_json(&run, "memslots --json -- PID");
	CLI_EXPECT(run.status == 0 &&
		   strstr(run.out, "\"hva\": 139637976727552,\n") &&
		   strstr(run.out, "\"flags\": [\n        \"readonly\",\n        \"unknown_0x100\"\n      ]"),
		   "memslots --json -- PID: numbers and flags");
	cli_run_release(&run);
}

/**
 * struct failure_case - a run the CLI must refuse, and how
 * @name: what the case is about
 * @tree: the fake tree for $KVMINTRO_DEBUGFS, under the base
 * @argv: the CLI's arguments
 * @status: the exit status expected
 * @message: what stderr must hold
 * @also: more that stderr must hold, or NULL
 */
struct failure_case {
	const char *name;
	const char *tree;
	char *argv[8];
	int status;
	const char *message;
	const char *also;
};

static const struct failure_case failure_cases[] = {
	{ "memslots PID with two VMs", "good/kvmintro", { "memslots", "1234" },
	  4, "process 1234 has several VMs: 1234, 1234-1", NULL },
	{ "memslots unknown PID", "good/kvmintro", { "memslots", "999" },
	  4, "the VMs running are: 1234, 1234-1, 5678, 4321", NULL },
	{ "memslots, no VMs", "empty/kvmintro", { "memslots", "1" },
	  4, "no VMs are running", NULL },
	{ "memslots of a VM that exited meanwhile", "good/kvmintro",
	  { "memslots", "4321" }, 4, "/4321 is gone: the VM has exited", NULL },
	{ "list, malformed vms", "bad-vms/kvmintro", { "list" },
	  1, "vms:2: mem: \"12x\" is a word",
	  "the line reads \"pid=2 dir=" },
	{ "memslots, malformed memslots", "bad-slots/kvmintro",
	  { "memslots", "1" }, 1,
	  "memslots:2: no key 'npages'", NULL },
	{ "list, no vms file", "no-vms/kvmintro", { "list" },
	  1, "vms does not exist: the loaded kvmintro module does not provide it",
	  NULL },
	{ "list, root missing", "good/missing", { "list" },
	  3, "is the kvmintro module loaded?", "load the module" },
	{ "list, debugfs not mounted", "unmounted/kvmintro", { "list" },
	  3, "debugfs is not mounted on", "mount -t debugfs none " },
	{ "list, root is a file", "a-file", { "list" },
	  3, "is not a directory", NULL },
	{ "list, root under a file", "a-file/kvmintro", { "list" },
	  3, "Not a directory", NULL },
	{ "unknown command", "good/kvmintro", { "mem", "1" },
	  2, "did you mean 'memslots'?", NULL },
	{ "memslots without a VM", "good/kvmintro", { "memslots" },
	  2, "missing argument", "usage: kvmintro memslots PID|DIR" },
	{ "list with an argument", "good/kvmintro", { "list", "extra" },
	  2, "unexpected argument \"extra\"", NULL },
	{ "list with an unknown option", "good/kvmintro", { "list", "--frob" },
	  2, "unknown option \"--frob\"", NULL },
	{ "--debugfs without a directory", "good/kvmintro",
	  { "list", "--debugfs" }, 2, "--debugfs needs a directory", NULL },
	{ "help for an unknown command", "good/kvmintro", { "help", "nothing" },
	  2, "no such command \"nothing\"", NULL },
};

/* Run each of @count @failures and check how it fails. */
static void run_failure_cases(const struct failure_case *failures,
			      size_t count)
{
	const struct failure_case *failure;
	struct cli_run run;
	size_t i;

	for (i = 0; i < count; i++) {
		failure = &failures[i];
		cli_run_full(&run, fake_path(failure->tree), NULL, NULL, NULL,
			     (char **)failure->argv);
		expect_failure(&run, failure->status, failure->message,
			       failure->name);
		if (failure->also && !CLI_EXPECT(strstr(run.err, failure->also),
						 "%s: says \"%s\"", failure->name,
						 failure->also))
			cli_run_show(&run);
		cli_run_release(&run);
	}
}

static void test_failures(void)
{
	run_failure_cases(failure_cases, ARRAY_SIZE(failure_cases));
}

#define VM_5678 "good/kvmintro/5678/"

#define SNAPSHOT_RESUMED						\
	"state=running\npauses=3\npause_latency_ns=674985\n"		\
	"generation=1\ncaptured=1795332144.297468151\n"			\
	"capture_pause_latency_ns=674985\nvcpus=2\n"

/**
 * struct command_case - a run of a command that writes a request to a
 * command file of VM 5678 and reads the reply
 * @name: what the case is about
 * @argv: the CLI's arguments
 * @file: the command file, in VM 5678's directory
 * @reply: what the file answers
 * @written: the request the CLI must write ("" for none)
 * @status: the exit status expected
 * @out: stdout expected, or NULL for JSON (then checked as JSON)
 * @err: what stderr must hold, or NULL if it must be empty
 * @json_holds: for JSON, what it must hold
 */
struct command_case {
	const char *name;
	char *argv[8];
	const char *file;
	const char *reply;
	const char *written;
	int status;
	const char *out;
	const char *err;
	const char *json_holds;
};

static const struct command_case command_cases[] = {
	{ "pause", { "pause", "5678" }, "snapshot", FIXTURE_SNAPSHOT,
	  "pause\n", 0,
	  "VM             5678 (PID 5678)\n"
	  "state          paused\n"
	  "pauses         3\n"
	  "pause latency  674.985 us\n", NULL, NULL },
	{ "resume", { "resume", "5678" }, "snapshot", SNAPSHOT_RESUMED,
	  "resume\n", 0, "VM     5678 (PID 5678)\nstate  running\n", NULL, NULL },
	{ "snapshot", { "snapshot", "5678" }, "snapshot", FIXTURE_SNAPSHOT,
	  "capture\n", 0, FIXTURE_SNAPSHOT_TABLE, NULL, NULL },
	{ "snapshot, no capture in the reply", { "snapshot", "5678" },
	  "snapshot", FIXTURE_SNAPSHOT_RUNNING, "capture\n", 0,
	  "VM             5678 (PID 5678)\n"
	  "state          running\n"
	  "pauses         0\n"
	  "pause latency  0.000 us\n"
	  "capture        none yet\n", NULL, NULL },
	{ "pause --json", { "pause", "--json", "5678" }, "snapshot",
	  FIXTURE_SNAPSHOT, "pause\n", 0, NULL, NULL,
	  "  \"state\": \"paused\",\n  \"pauses\": 3,\n" },
	{ "snapshot --json", { "--json", "snapshot", "5678" }, "snapshot",
	  FIXTURE_SNAPSHOT, "capture\n", 0, NULL, NULL,
	  "  \"captured\": \"1795332144.297468151\",\n"
	  "  \"capture_pause_latency_ns\": 674985,\n"
	  "  \"vcpus\": 2,\n"
	  "  \"captured_utc\": \"2026-11-22T07:22:24.297468151Z\"\n" },
	{ "snapshot, malformed reply", { "snapshot", "5678" }, "snapshot",
	  "state=frozen\npauses=1\npause_latency_ns=0\ngeneration=0\n",
	  "capture\n", 1, "",
	  "/5678/snapshot: state: \"frozen\" is not 'running' or 'paused'",
	  NULL },
	{ "resume, reply cut short", { "resume", "5678" }, "snapshot",
	  "state=running\npauses=1\n", "resume\n", 1, "",
	  "/5678/snapshot: no key 'pause_latency_ns'", NULL },
	{ "translate", { "translate", "5678", "0x1234", "gfn=0x5000000",
			 "0x200000", "4194304" }, "translate",
	  FIXTURE_TRANSLATE, "0x1234 0x5000000000 0x200000 0x400000\n", 0,
	  FIXTURE_TRANSLATE_TABLE, NULL, NULL },
	{ "translate --json", { "translate", "5678", "--json", "0x1234",
				"0x5000000000", "0x200000", "0x400000" },
	  "translate", FIXTURE_TRANSLATE,
	  "0x1234 0x5000000000 0x200000 0x400000\n", 0, NULL, NULL,
	  "      \"record\": \"err\",\n      \"gpa\": 343597383680,\n"
	  "      \"reason\": \"no-memslot\"\n" },
	{ "translate, someone else's replies", { "translate", "5678", "0x1000" },
	  "translate", "err gpa=0x2000 reason=no-memslot\n", "0x1000\n", 1, "",
	  "/5678/translate:1: reply 1 is for 0x2000, but 0x1000 was asked", NULL },
	{ "translate, too few replies", { "translate", "5678", "0x1234", "0x1" },
	  "translate", "ok phys=0x1ad725234 kind=base gpa=0x1234 hva=0x1 pfn=0x1 size=4K\n",
	  "0x1234 0x1\n", 1, "", "/5678/translate: 1 replies for 2 addresses",
	  NULL },
	{ "translate, a bad address", { "translate", "5678", "0x1234", "0xzz" },
	  "translate", "", "", 2, "",
	  "not a guest physical address like 0x1000, 4096 or gfn=0x1: \"0xzz\"",
	  NULL },
	{ "translate, beyond 52 bits", { "translate", "5678", "gfn=0x10000000000" },
	  "translate", "", "", 2, "",
	  "beyond the 52 bits of guest physical addresses", NULL },
	{ "translate, a frame that shifts past 64 bits",
	  { "translate", "5678", "gfn=0x10000000000000" },
	  "translate", "", "", 2, "",
	  "beyond the 52 bits of guest physical addresses", NULL },
	{ "gva", { "gva", "5678", "0xffffffff81000123", "--vcpu", "0" }, "gva",
	  FIXTURE_GVA_NOT_BACKED, "0xffffffff81000123 vcpu=0\n", 0,
	  FIXTURE_GVA_NOT_BACKED_TABLE, NULL, NULL },
	{ "gva --cr3", { "gva", "5678", "--cr3=0x2000", "4660" }, "gva",
	  FIXTURE_GVA_THP, "0x1234 cr3=0x2000\n", 0, FIXTURE_GVA_THP_TABLE,
	  NULL, NULL },
	{ "gva --json", { "gva", "--json", "5678", "0x7f0000000000" }, "gva",
	  FIXTURE_GVA_STOP, "0x7f0000000000\n", 0, NULL, NULL,
	  "      \"record\": \"stop\",\n      \"level\": 4,\n"
	  "      \"reason\": \"not-present\"\n" },
	{ "gva, an arm64 walk", { "gva", "5678", "0x12345678", "--ttbr0",
				  "0x40010000" }, "gva",
	  FIXTURE_ARM64_GVA, "0x12345678 ttbr0=0x40010000\n", 0,
	  FIXTURE_ARM64_GVA_TABLE, NULL, NULL },
	{ "gva, an arm64 walk that stops", { "gva", "5678", "0x12346000" },
	  "gva", FIXTURE_ARM64_GVA_STOP, "0x12346000\n", 0,
	  FIXTURE_ARM64_GVA_STOP_TABLE, NULL, NULL },
	{ "gva, someone else's walk", { "gva", "5678", "0x1000" }, "gva",
	  FIXTURE_GVA_THP, "0x1000\n", 1, "",
	  "/5678/gva:1: the walk is of 0x1234, but 0x1000 was asked", NULL },
	{ "gva, a walk cut short", { "gva", "5678", "0x7f0000000000" }, "gva",
	  "gva=0x7f0000000000 vcpu=0 mode=4-level cr3=0x2000\n",
	  "0x7f0000000000\n", 1, "",
	  "/5678/gva: the walk ends before a gpa= or stop line", NULL },
	{ "gva, a bad address", { "gva", "5678", "0xzz" }, "gva", "", "", 2, "",
	  "not a guest virtual address like 0xffffffff81000000: \"0xzz\"", NULL },
	{ "gva, a bad vcpu", { "gva", "5678", "0x1000", "--vcpu", "one" }, "gva",
	  "", "", 2, "", "--vcpu takes a vcpu index, not \"one\"", NULL },
	{ "gva, a CR3 beyond 52 bits", { "gva", "5678", "0x1000", "--cr3",
					 "0x10000000000000" }, "gva", "", "", 2,
	  "", "--cr3 takes a guest physical address, not \"0x10000000000000\"",
	  NULL },
	{ "stage2", { "stage2", "5678" }, "stage2",
	  "table vcpu=0 mmu=npt root=0x1d3d000 levels=4 smm=0\n"
	  "run gpa=0x0 npages=0x200 size=2M leaves=0x1 perm=rwx memtype=-\n",
	  "summary\n", 0,
	  "vcpu 0's NPT table, root 0x1d3d000, 4 levels\n"
	  "GPA  PAGES   SIZE   LEAF  LEAVES  PERM  MEMTYPE\n"
	  "0x0  0x200  2 MiB  2 MiB     0x1  rwx   -\n"
	  "Mapped: 0 B in 4K leaves, 2 MiB in 2M leaves, 0 B in 1G leaves\n",
	  NULL, NULL },
	{ "stage2 GPA --json", { "stage2", "5678", "gfn=0x1", "--json" },
	  "stage2", "err gpa=0x1000 reason=no-tdp-mmu why=no-root\n",
	  "0x1000\n", 0, NULL, NULL, "      \"why\": \"no-root\"\n" },
	{ "stage2, someone else's walk", { "stage2", "5678", "0x1000" },
	  "stage2", "err gpa=0x2000 level=4 reason=not-present\n", "0x1000\n",
	  1, "", "/5678/stage2:1: the reply is for 0x2000, but 0x1000 was asked",
	  NULL },
	{ "stage2, a bad address", { "stage2", "5678", "0xzz" }, "stage2", "",
	  "", 2, "",
	  "not a guest physical address like 0x1000, 4096 or gfn=0x1: \"0xzz\"",
	  NULL },
	{ "stage2, two addresses", { "stage2", "5678", "0x1", "0x2" }, "stage2",
	  "", "", 2, "", "unexpected argument \"0x2\"", NULL },
	{ "scan", { "scan", "5678", "str:Linux version", "--max", "10",
		    "hex:DE AD be ef" }, "scan", FIXTURE_SCAN,
	  "str:Linux version\nhex:DE AD be ef\nmax=10\n", 0, FIXTURE_SCAN_TABLE, NULL,
	  NULL },
	{ "scan --json", { "scan", "5678", "--json", "--max=10",
			   "str:Linux version", "hex:deadbeef" }, "scan",
	  FIXTURE_SCAN, "str:Linux version\nhex:deadbeef\nmax=10\n", 0, NULL,
	  NULL, "      \"record\": \"summary\",\n      \"matches\": 3,\n" },
	{ "scan, no summary", { "scan", "5678", "hex:deadbeef" }, "scan",
	  "match gpa=0x1 hva=0x2 hpa=0x3 index=0 pattern=\"hex:deadbeef\"\n",
	  "hex:deadbeef\n", 1, "",
	  "/5678/scan: no summary line ('summary matches=...') last", NULL },
	{ "scan, someone else's pattern", { "scan", "5678", "str:a" }, "scan",
	  "match gpa=0x1 hva=0x2 hpa=0x3 index=0 pattern=\"str:b\"\n"
	  "summary matches=1 bytes=1 truncated=no\n",
	  "str:a\n", 1, "", "/5678/scan:1: pattern 0 \"str:b\" was not asked for",
	  NULL },
	{ "scan, no pattern", { "scan", "5678", "--max", "5" }, "scan", "", "",
	  2, "", "no pattern: give some, or a file of them with -f FILE", NULL },
	{ "scan, istr: and ??", { "scan", "5678", "--json", "istr:LINUX version",
				  "hex:DE ?? be ef" }, "scan",
	  "match gpa=0x1 hva=0x2 hpa=0x3 index=1 pattern=\"hex:de??beef\"\n"
	  "summary matches=1 bytes=1 truncated=no\n",
	  "istr:LINUX version\nhex:DE ?? be ef\n", 0, NULL, NULL,
	  "      \"index\": 1,\n      \"pattern\": \"hex:de??beef\"\n" },
	{ "scan, a newline in a pattern", { "scan", "5678", "str:two\nlines" },
	  "scan", "", "", 2, "",
	  "a pattern cannot hold a newline: the scan file takes one pattern a line: \"str:two\\nlines\"",
	  NULL },
	{ "scan, no prefix", { "scan", "5678", "Linux" }, "scan", "", "", 2, "",
	  "a pattern is str:TEXT, istr:TEXT or hex:BYTES: \"Linux\"", NULL },
	{ "scan, --max 0", { "scan", "5678", "str:x", "--max", "0" }, "scan", "",
	  "", 2, "", "--max takes a number from 1 to 1000000, not \"0\"", NULL },
	{ "scan, --max without a value", { "scan", "5678", "str:x", "--max" },
	  "scan", "", "", 2, "", "this option needs a value: \"--max\"", NULL },
};

static void expect_command_case(const struct command_case *test,
				const struct fake_command *command,
				const struct cli_run *run)
{
	bool quiet = test->err ? !!strstr(run->err, test->err) : !*run->err;

	if (!CLI_EXPECT(run->status == test->status && quiet,
			"%s: exit status %d, %s", test->name, test->status,
			test->err ? test->err : "nothing on stderr"))
		cli_run_show(run);
	CLI_EXPECT_STRING(command->written, test->written,
			  "%s: the request written", test->name);
	if (test->out) {
		CLI_EXPECT_STRING(run->out, test->out, "%s: output", test->name);
		return;
	}
	expect_json(run, test->name);
	if (!CLI_EXPECT(strstr(run->out, test->json_holds),
			"%s: what the JSON holds", test->name)) {
		printf("#   expected to find:\n");
		cli_tap_diagnostic(test->json_holds);
		cli_run_show(run);
	}
}

static void test_commands(void)
{
	const struct command_case *test;
	struct fake_command command;
	char relative[128];
	struct cli_run run;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(command_cases); i++) {
		test = &command_cases[i];
		snprintf(relative, sizeof(relative), VM_5678 "%s", test->file);
		command = (struct fake_command){
			.relative = relative,
			.reply = test->reply,
		};
		if (!fake_command_arm(&command)) {
			cli_tap_skip("no file lease here", "%s", test->name);
			continue;
		}
		cli_run_full(&run, good, NULL, NULL,
			     &command, (char **)test->argv);
		expect_command_case(test, &command, &run);
		cli_run_release(&run);
	}
}

/* scan -f FILE: the file's patterns are written, a bad line is named. */
static void test_scan_file(void)
{
	static const char good_patterns[] =
		"# fixture\nstr:Linux version\n\nhex:DE AD be ef\n";
	char path[512];
	struct command_case test = {
		.name = "scan -f FILE",
		.argv = { "scan", "5678", "--max", "10", "-f", path },
		.file = "scan",
		.reply = FIXTURE_SCAN,
		.written = "str:Linux version\nhex:DE AD be ef\nmax=10\n",
		.out = FIXTURE_SCAN_TABLE,
	};
	struct fake_command command;
	char relative[128];
	struct cli_run run;

	fake_file("patterns", good_patterns);
	snprintf(path, sizeof(path), "%s", fake_path("patterns"));
	snprintf(relative, sizeof(relative), VM_5678 "scan");
	command = (struct fake_command){ .relative = relative,
					 .reply = test.reply };
	if (!fake_command_arm(&command)) {
		cli_tap_skip("no file lease here", "%s", test.name);
		return;
	}
	cli_run_full(&run, good, NULL, NULL, &command, test.argv);
	expect_command_case(&test, &command, &run);
	cli_run_release(&run);

	fake_file("patterns", "str:a\nstr:b\nhex:4d ?0\n");
	test = (struct command_case){
		.name = "scan -f FILE, a bad line 3",
		.argv = { "scan", "5678", "-f", path },
		.file = "scan",
		.reply = "",
		.written = "",
		.status = 2,
		.out = "",
		.err = "/patterns:3: hex:BYTES takes pairs of hex digits or ??, blanks allowed between pairs: \"hex:4d ?0\"",
	};
	command = (struct fake_command){ .relative = relative, .reply = "" };
	if (!fake_command_arm(&command)) {
		cli_tap_skip("no file lease here", "%s", test.name);
		return;
	}
	cli_run_full(&run, good, NULL, NULL, &command, test.argv);
	expect_command_case(&test, &command, &run);
	cli_run_release(&run);
}

/* Return where "vcpu <n> (" starts in @text, or NULL. */
static const char *find_vcpu(const char *text, unsigned int vcpu)
{
	char header[32];

	snprintf(header, sizeof(header), "vcpu %u (", vcpu);
	return strstr(text, header);
}

static void test_regs(void)
{
	struct cli_run run;

	cli_run(&run, good, "regs", "5678", "--vcpu", "1");
	expect_success(&run, FIXTURE_REGS_TABLE, "regs --vcpu 1: that vcpu only");
	cli_run_release(&run);

	cli_run(&run, arm64_root, "regs", "2468");
	expect_success(&run, FIXTURE_ARM64_REGS_TABLE,
		       "regs of an arm64 VM: arm64's registers, known by the file's keys");
	cli_run_release(&run);

	cli_run(&run, arm64_root, "--json", "regs", "2468");
	expect_json(&run, "regs --json of an arm64 VM");
	CLI_EXPECT(run.status == 0 &&
		   strstr(run.out, "\"x19\": 1808504320951916825") &&
		   strstr(run.out, "\"tcr_el1\": 11627672857"),
		   "regs --json of an arm64 VM: every register, as numbers");
	cli_run_release(&run);

	cli_run(&run, good, "regs", "5678");
	CLI_EXPECT(run.status == 0 && find_vcpu(run.out, 0) == run.out &&
		   find_vcpu(run.out, 0) < find_vcpu(run.out, 1) &&
		   find_vcpu(run.out, 1) < find_vcpu(run.out, 2) &&
		   find_vcpu(run.out, 2) < find_vcpu(run.out, 10),
		   "regs: every vcpu, by number (0, 1, 2, 10)");
	cli_run_release(&run);

	cli_run(&run, good, "--json", "regs", "5678");
	expect_json(&run, "regs --json");
	CLI_EXPECT(run.status == 0 &&
		   strstr(run.out, "      \"vcpu\": 2,\n") &&
		   strstr(run.out, "      \"vcpu\": 10,\n") &&
		   strstr(run.out, "      \"tsc\": \"unavailable\"\n"),
		   "regs --json: an object per vcpu, null for unavailable");
	cli_run_release(&run);

	cli_run(&run, good, "regs", "1234-1");
	expect_success(&run, "VM 1234-1 (PID 1234) has no vcpus.\n",
		       "regs of a VM without vcpus");
	cli_run_release(&run);
}

static void test_gpa_hpa(void)
{
	struct cli_run run;

	cli_run(&run, good, "gpa-hpa", "5678");
	CLI_EXPECT(run.status == 0 && !*run.err &&
		   strstr(run.out, "  0x400000     0x10  64 KiB  0x7f5c2c400000            -         -          -  none\n") &&
		   strstr(run.out, "\nKIND     RUNS     SIZE       BYTES\n") &&
		   strstr(run.out, "total       5  1.0 GiB  1075912704\n"),
		   "gpa-hpa: runs, \"-\" where not backed, totals");
	cli_run_release(&run);

	cli_run(&run, good, "gpa-hpa", "5678", "--json");
	expect_json(&run, "gpa-hpa --json");
	CLI_EXPECT(strstr(run.out, "      \"host_size\": 1073741824,\n") &&
		   strstr(run.out, "    \"none\": {\n      \"runs\": 1,\n"),
		   "gpa-hpa --json: runs and totals");
	cli_run_release(&run);
}

/* What xxd prints for @length bytes at @offset of fake file @relative. */
static char *xxd_output(const char *relative, unsigned long offset,
			unsigned long length)
{
	char command[700], *text = NULL;
	size_t size = 0;
	FILE *pipe, *stream;
	int c;

	snprintf(command, sizeof(command), "xxd -s %lu -l %lu '%s'", offset,
		 length, fake_path(relative));
	pipe = popen(command, "r");
	stream = open_memstream(&text, &size);
	if (!pipe || !stream)
		die("xxd");
	while ((c = fgetc(pipe)) != EOF)
		fputc(c, stream);
	fclose(stream);
	if (pclose(pipe)) {
		free(text);
		return NULL;
	}
	return text;
}

/* info reads the VMCOREINFO note of a core file lib/elfcore wrote. */
static void test_info(void)
{
	struct cli_run run;

	cli_run(&run, good, "info", "5678");
	expect_success(&run,
		       "VM            5678 (PID 5678)\n"
		       "guest kernel  6.1.0-57-amd64\n"
		       "KASLR offset  0x18800000\n",
		       "info: the release and KASLR offset of the note");
	cli_run_release(&run);

	cli_run(&run, good, "info", "5678", "--json");
	expect_json(&run, "info --json");
	CLI_EXPECT(strstr(run.out, "\"release\": \"6.1.0-57-amd64\"") &&
		   strstr(run.out, "\"kernel_offset\": 411041792") &&
		   strstr(run.out, "\"SYMBOL(init_uts_ns)\": \"ffffffff9a412420\""),
		   "info --json: release, offset, and every line of the note");
	cli_run_release(&run);
}

/*
 * dmesg of a Linux guest built by hand: through its page tables (kernel
 * image and direct map) to the ring, printed as dmesg prints it.
 */
static void test_dmesg(void)
{
	const char *linux_root = fake_path("linux/kvmintro");
	struct cli_run run;

	cli_run(&run, linux_root, "dmesg", "42");
	expect_success(&run,
		       "[    0.000000] Linux version 6.1.0-test\n"
		       "[    1.500000] two\n"
		       "[    1.500000] lines\n"
		       "[    2.000001] \n"
		       "[   12.345678] a\ttab and a \\ stay\n"
		       "[12345.000000] an escape \\x1b[31m is shown\n",
		       "dmesg: every record through the guest's page tables, a line per line, escapes shown");
	cli_run_release(&run);

	cli_run(&run, linux_root, "dmesg", "42", "--json");
	expect_json(&run, "dmesg --json");
	CLI_EXPECT(strstr(run.out, "\"seq\": 1,") &&
		   strstr(run.out, "\"ts_nsec\": 1500000000,") &&
		   strstr(run.out, "\"caller\": \"C1\"") &&
		   strstr(run.out, "\"text\": \"two\\nlines\"") &&
		   strstr(run.out, "\"caller\": \"T1\""),
		   "dmesg --json: seq, time, caller and text of each record");
	cli_run_release(&run);
}

/* A hostile guest's VMCOREINFO: nothing of it reaches the terminal raw. */
static void test_info_hostile(void)
{
	struct cli_run run;

	cli_run(&run, fake_path("bad-files/kvmintro"), "info", "7");
	expect_success(&run,
		       "VM            7 (PID 7)\n"
		       "guest kernel  6.1?]2;owned?\n"
		       "KASLR offset  not a number: zz\n",
		       "info: escapes of the guest's release become '?', a bad offset is said");
	cli_run_release(&run);
}

static void test_read(void)
{
	struct cli_run run;
	char *xxd;

	cli_run(&run, good, "read", "5678", "0x1ff8", "42");
	expect_success(&run,
		       "00001ff8: 4865 6c6c 6f2c 2077 6f72 6c64 0102 2077  Hello, world.. w\n"
		       "00002008: 6974 6820 6d6f 7265 2074 6578 7420 6865  ith more text he\n"
		       "00002018: 7265 2e2e 0000 0000 0000                 re........\n",
		       "read: a hexdump by GPA");
	xxd = access("/usr/bin/xxd", X_OK) ? NULL :
	      xxd_output(VM_5678 "mem", 0x1ff8, 42);
	if (xxd)
		CLI_EXPECT_STRING(run.out, xxd, "read: what xxd prints too");
	else
		cli_tap_skip("no xxd", "read: what xxd prints too");
	free(xxd);
	cli_run_release(&run);

	cli_run(&run, good, "read", "5678", "gfn=0x2", "--raw", "5");
	expect_success(&run, "orld\x01", "read --raw: the bytes");
	cli_run_release(&run);

	cli_run(&run, good, "read", "5678", "0x1ff8", "4", "--json");
	expect_json(&run, "read --json");
	CLI_EXPECT(strstr(run.out, "  \"gpa\": 8184,\n  \"len\": 4,\n"
			  "  \"hex\": \"48656c6c\"\n}\n"), "read --json: gpa, len, hex");
	cli_run_release(&run);

	cli_run(&run, good, "read", "5678", "0x2ff8", "1K");
	CLI_EXPECT(run.status == 1 &&
		   !strcmp(run.out, "00002ff8: 0000 0000 0000 0000                      ........\n") &&
		   strstr(run.err, "guest memory ends at 0x3000: 8 of 1024 bytes shown"),
		   "read across the end of guest memory: what there is, then why it ends");
	cli_run_release(&run);
}

static const struct failure_case introspection_failures[] = {
	{ "pause, the VM exited meanwhile", "good/kvmintro", { "pause", "4321" },
	  4, "/4321 is gone: the VM has exited", NULL },
	{ "regs, the VM exited meanwhile", "good/kvmintro", { "regs", "4321" },
	  4, "/4321 is gone: the VM has exited", NULL },
	{ "gpa-hpa, the VM exited meanwhile", "good/kvmintro",
	  { "gpa-hpa", "4321" }, 4, "/4321 is gone: the VM has exited", NULL },
	{ "read, the VM exited meanwhile", "good/kvmintro",
	  { "read", "4321", "0", "1" }, 4, "/4321 is gone: the VM has exited",
	  NULL },
	{ "translate, the VM exited meanwhile", "good/kvmintro",
	  { "translate", "4321", "0" }, 4, "/4321 is gone", NULL },
	{ "scan, the VM exited meanwhile", "good/kvmintro",
	  { "scan", "4321", "str:x" }, 4, "/4321 is gone", NULL },
	{ "pause, no such VM", "good/kvmintro", { "pause", "999" },
	  4, "no VM has PID or directory \"999\"", NULL },
	{ "pause, the write fails", "good/kvmintro", { "pause", "1234-1" },
	  1, "cannot write", "/1234-1/snapshot: Is a directory" },
	{ "regs, no such vcpu", "good/kvmintro", { "regs", "5678", "--vcpu", "7" },
	  4, "VM 5678 has no vcpu 7; its vcpus are: 0, 1, 2, 10", NULL },
	{ "regs, a bad vcpu", "good/kvmintro", { "regs", "5678", "--vcpu", "x" },
	  2, "--vcpu takes a vcpu id, not \"x\"", NULL },
	{ "gva, a bad --ttbr0 beside a good --tcr", "good/kvmintro",
	  { "gva", "5678", "0x1000", "--ttbr0", "zz", "--tcr", "0x1" },
	  2, "--ttbr0, --ttbr1 and --tcr take a register value, not \"zz\"",
	  NULL },
	{ "regs, malformed", "bad-files/kvmintro", { "regs", "7" },
	  1, "/7/vcpu0/regs:5: rbx: \"rbx\" is a word",
	  "the line reads \"rbx=rbx\"" },
	{ "gpa-hpa, malformed", "bad-files/kvmintro", { "gpa-hpa", "7" },
	  1, "/7/gpa_hpa:2: kind base, but hpa, pfn and host_size are not all given",
	  NULL },
	{ "regs, not in the module", "bad-files/kvmintro",
	  { "read", "7", "0", "1" }, 1,
	  "/7/mem does not exist: the loaded kvmintro module does not provide it",
	  NULL },
	{ "read, no memory there", "good/kvmintro", { "read", "5678", "0x5000", "16" },
	  1, "no guest memory at 0x5000: no memslot holds it",
	  "see 'kvmintro memslots 5678'" },
	{ "read, too long", "good/kvmintro", { "read", "5678", "0", "65M" },
	  2, "the length must be from 1 byte to 64M: \"65M\"", NULL },
	{ "read, nothing", "good/kvmintro", { "read", "5678", "0", "0" },
	  2, "the length must be from 1 byte to 64M", NULL },
	{ "read, a bad length", "good/kvmintro", { "read", "5678", "0", "4G" },
	  2, "not a length like 256, 0x100, 4K or 1M: \"4G\"", NULL },
	{ "read, --raw and --json", "good/kvmintro",
	  { "read", "5678", "0", "1", "--raw", "--json" },
	  2, "--raw and --json do not go together", NULL },
	{ "read, a missing length", "good/kvmintro", { "read", "5678", "0" },
	  2, "missing argument", "usage: kvmintro read PID|DIR GPA LEN [--raw]" },
	{ "translate, no address", "good/kvmintro", { "translate", "5678" },
	  2, "missing argument", NULL },
	{ "pause, an extra argument", "good/kvmintro", { "pause", "5678", "now" },
	  2, "unexpected argument \"now\"", NULL },
	{ "snapshot, an option it has not", "good/kvmintro",
	  { "snapshot", "5678", "--vcpu", "1" }, 2, "unknown option \"--vcpu\"",
	  NULL },
	{ "info, an extra argument", "good/kvmintro", { "info", "5678", "now" },
	  2, "unexpected argument \"now\"", NULL },
	{ "info, no such VM", "good/kvmintro", { "info", "999" },
	  4, "no VM has PID or directory \"999\"", NULL },
	{ "info, not a core file", "good/kvmintro", { "info", "1234-1" },
	  1, "/1234-1/core: not a core file this kvmintro reads", NULL },
	{ "info, no core file", "good/kvmintro", { "info", "4321" },
	  4, "/4321 is gone: the VM has exited", NULL },
	{ "dmesg, a kernel without the printk ring", "good/kvmintro",
	  { "dmesg", "5678" }, 1,
	  "VM 5678: the guest's VMCOREINFO has no SYMBOL(prb)", NULL },
	{ "dmesg, not a core file", "good/kvmintro", { "dmesg", "1234-1" },
	  1, "/1234-1/core: not a core file this kvmintro reads", NULL },
	{ "dmesg, the ring where nothing is mapped", "linux/kvmintro",
	  { "dmesg", "43" }, 1,
	  "VM 43: the guest's page tables map nothing at 0xffffffffc0000000",
	  NULL },
	{ "dmesg, an extra argument", "linux/kvmintro", { "dmesg", "42", "all" },
	  2, "unexpected argument \"all\"", "usage: kvmintro dmesg PID|DIR" },
	{ "dmesg, no such VM", "linux/kvmintro", { "dmesg", "44" },
	  4, "no VM has PID or directory \"44\"", NULL },
	{ "dump, no file", "good/kvmintro", { "dump", "5678" },
	  2, "missing argument", "usage: kvmintro dump PID|DIR FILE [--live]" },
	{ "dump, an extra argument", "good/kvmintro",
	  { "dump", "5678", "a.core", "b.core" }, 2,
	  "unexpected argument \"b.core\"", NULL },
	{ "dump, an option it has not", "good/kvmintro",
	  { "dump", "5678", "a.core", "--raw" }, 2, "unknown option \"--raw\"",
	  NULL },
	{ "dump, --json", "good/kvmintro", { "dump", "5678", "a.core", "--json" },
	  2, "--json does not go with dump", NULL },
	{ "dump, no such VM", "good/kvmintro", { "dump", "999", "a.core" },
	  4, "no VM has PID or directory \"999\"", NULL },
	{ "dump, the VM exited meanwhile", "good/kvmintro",
	  { "dump", "4321", "a.core" }, 4, "/4321 is gone: the VM has exited",
	  NULL },
};

static void test_introspection_failures(void)
{
	run_failure_cases(introspection_failures,
			  ARRAY_SIZE(introspection_failures));
}

static void test_not_root(void)
{
	static const char *const as_nobody[] = {
		"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
		NULL,
	};
	struct cli_run run;

	if (geteuid() || access("/usr/bin/setpriv", X_OK)) {
		cli_tap_skip("needs root and setpriv", "list and pause as a user");
		return;
	}
	/* mkdtemp() made the base 0700: nobody cannot look inside. */
	cli_run_full(&run, good, NULL, as_nobody, NULL,
		     (char *[]){ "list", NULL });
	expect_failure(&run, 3, "kvmintro needs root", "list as a user");
	cli_run_release(&run);
	cli_run_full(&run, good, NULL, as_nobody, NULL,
		     (char *[]){ "pause", "5678", NULL });
	expect_failure(&run, 3, "kvmintro needs root", "pause as a user");
	cli_run_release(&run);
}

/* The command list of "kvmintro help": each on one line, aligned. */
static const char *const help_lines[] = {
	"\n  pause PID|DIR                                  stop every vcpu of a VM\n",
	"\n  resume PID|DIR                                 let a paused VM run again\n",
	"\n  snapshot PID|DIR                               capture the registers of every vcpu\n",
	"\n  regs PID|DIR [--vcpu N]                        show the registers of a VM's vcpus\n",
	"\n  translate PID|DIR GPA...                       translate guest physical addresses\n",
	"\n  gva PID|DIR GVA [--vcpu N] [--cr3 GPA]         walk a guest virtual address\n",
	"\n  gpa-hpa PID|DIR                                map all guest memory to host memory\n",
	"\n  read PID|DIR GPA LEN [--raw]                   dump guest physical memory\n",
	"\n  scan PID|DIR [PATTERN...] [-f FILE] [--max N]  search guest memory for patterns\n",
};

static void test_usage(void)
{
	struct cli_run run;
	size_t i;

	cli_run_full(&run, good, NULL, NULL, NULL, (char *[]){ NULL });
	CLI_EXPECT(run.status == 2 && strstr(run.err, "usage: kvmintro"),
		   "no command: usage on stderr, exit status 2");
	cli_run_release(&run);

	cli_run(&run, good, "--help");
	CLI_EXPECT(run.status == 0 && strstr(run.out, "  memslots PID|DIR  ") &&
		   strstr(run.out, "  list  "), "--help: lists the commands");
	cli_run_release(&run);

	cli_run(&run, good, "help");
	for (i = 0; i < ARRAY_SIZE(help_lines); i++)
		CLI_EXPECT(run.status == 0 && strstr(run.out, help_lines[i]),
			   "help: lists %.*s", (int)strcspn(help_lines[i] + 3, " "),
			   help_lines[i] + 3);
	cli_run_release(&run);

	cli_run(&run, good, "scan", "--help");
	CLI_EXPECT(run.status == 0 &&
		   strstr(run.out, "usage: kvmintro scan PID|DIR [PATTERN...] [-f FILE] [--max N]\n\n"
			  "Search guest memory for patterns.\n") &&
		   strstr(run.out, "  --max N "),
		   "scan --help: its usage and options");
	cli_run_release(&run);

	cli_run(&run, good, "help", "memslots");
	CLI_EXPECT(run.status == 0 &&
		   strstr(run.out, "usage: kvmintro memslots PID|DIR\n"),
		   "help memslots: its usage");
	cli_run_release(&run);

	cli_run(&run, good, "memslots", "-h");
	CLI_EXPECT(run.status == 0 &&
		   strstr(run.out, "usage: kvmintro memslots PID|DIR\n"),
		   "memslots -h: its usage");
	cli_run_release(&run);
}

static void test_output_failure(void)
{
	struct cli_run run;

	if (access("/dev/full", W_OK)) {
		cli_tap_skip("no /dev/full", "list > /dev/full");
		return;
	}
	cli_run_full(&run, good, "/dev/full", NULL, NULL,
		     (char *[]){ "list", NULL });
	CLI_EXPECT(run.status == 1 && strstr(run.err, "cannot write the output"),
		   "list > /dev/full: exit status 1, says so");
	cli_run_release(&run);
}

int main(void)
{
	sigset_t signals;

	cli_program = getenv("KVMINTRO_CLI");
	if (!cli_program || access(cli_program, X_OK)) {
		cli_tap_skip("set KVMINTRO_CLI to the kvmintro program",
			     "kvmintro end to end");
		return cli_tap_finish();
	}
	sigemptyset(&signals);
	sigaddset(&signals, SIGIO);
	sigaddset(&signals, SIGCHLD);
	sigprocmask(SIG_BLOCK, &signals, NULL);
	fake_trees_create();
	test_list();
	test_memslots();
	test_failures();
	test_commands();
	test_scan_file();
	test_regs();
	test_gpa_hpa();
	test_read();
	test_info();
	test_info_hostile();
	test_dmesg();
	test_introspection_failures();
	test_not_root();
	test_usage();
	test_output_failure();
	fake_trees_remove();
	return cli_tap_finish();
}
