// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro: look into the KVM VMs running on this host through the debugfs
 * files of the kvmintro kernel module.
 *
 * kvmintro_main() takes the global options wherever they are on the
 * command line, then runs the command named first among the rest: one
 * builtin-<name>.c per command (builtin-snapshot.c also has pause and
 * resume), each a row of kvmintro_commands[].
 */
#include "kvmintro.h"

#include <ctype.h>

/**
 * struct kvmintro_command - a row of the command table
 * @name: what the user types
 * @run: the builtin; see kvmintro.h
 * @arguments: its arguments, for usage lines ("" if none); they are also
 *	what kvmintro_parse_command_line() checks (kvmintro_count_arguments())
 * @options: the options it takes, KVMINTRO_OPTION()s or'ed
 * @summary: one line for the command list
 * @description: the rest of "kvmintro help <name>"
 */
struct kvmintro_command {
	const char *name;
	int (*run)(struct kvmintro *kvmintro);
	const char *arguments;
	unsigned int options;
	const char *summary;
	const char *description;
};

#define KVMINTRO_OPTION(name) (1u << KVMINTRO_OPTION_##name)

/**
 * struct kvmintro_option_name - how an option is typed
 * @name: like "--vcpu"
 * @alias: another name, or NULL
 * @value: whether it takes a value ("--vcpu 1" or "--vcpu=1")
 */
static const struct kvmintro_option_name {
	const char *name;
	const char *alias;
	bool value;
} kvmintro_options[KVMINTRO_NR_OPTIONS] = {
	[KVMINTRO_OPTION_VCPU] = { "--vcpu", NULL, true },
	[KVMINTRO_OPTION_CR3] = { "--cr3", NULL, true },
	[KVMINTRO_OPTION_TTBR0] = { "--ttbr0", NULL, true },
	[KVMINTRO_OPTION_TTBR1] = { "--ttbr1", NULL, true },
	[KVMINTRO_OPTION_TCR] = { "--tcr", NULL, true },
	[KVMINTRO_OPTION_RAW] = { "--raw", NULL, false },
	[KVMINTRO_OPTION_LIVE] = { "--live", NULL, false },
	[KVMINTRO_OPTION_MAX] = { "--max", NULL, true },
	[KVMINTRO_OPTION_FILE] = { "--file", "-f", true },
};

static int kvmintro_cmd_help(struct kvmintro *kvmintro);

static const struct kvmintro_command kvmintro_commands[] = {
	{
		.name = "list",
		.run = kvmintro_cmd_list,
		.arguments = "",
		.summary = "list the KVM VMs on this host",
		.description =
			"One line per VM: the PID of the process that created it, its\n"
			"directory in kvmintro's debugfs (the name other commands take),\n"
			"its number of vcpus and memslots, and the memory in address\n"
			"space 0, readable and in bytes.\n",
	},
	{
		.name = "memslots",
		.run = kvmintro_cmd_memslots,
		.arguments = "PID|DIR",
		.summary = "show the memory slots of a VM",
		.description =
			"One line per memslot of every address space, sorted by address\n"
			"space and guest physical address: address space, slot id, first\n"
			"guest physical address, pages, size (readable and in bytes), host\n"
			"virtual address in the VMM, and flags.\n"
			"\n"
			"Name the VM by the PID of its process, or by its directory (like\n"
			"1234-1) when the process has several VMs; 'kvmintro list' shows both.\n",
	},
	{
		.name = "pause",
		.run = kvmintro_cmd_pause,
		.arguments = "PID|DIR",
		.summary = "stop every vcpu of a VM",
		.description =
			"Kick every vcpu thread out of the guest and keep it out until\n"
			"'kvmintro resume'. Prints the VM's state and the pause latency: the\n"
			"time from the request until the last vcpu stopped.\n",
	},
	{
		.name = "resume",
		.run = kvmintro_cmd_resume,
		.arguments = "PID|DIR",
		.summary = "let a paused VM run again",
		.description = "Prints the VM's state afterwards.\n",
	},
	{
		.name = "snapshot",
		.run = kvmintro_cmd_snapshot,
		.arguments = "PID|DIR",
		.summary = "capture the registers of every vcpu",
		.description =
			"Pause the VM (unless it is paused), record the registers of every\n"
			"vcpu, and let it run again. Prints the capture: its generation, when\n"
			"it was taken (ISO 8601 UTC, and the raw CLOCK_REALTIME value) and\n"
			"the pause latency. 'kvmintro regs' then shows the registers.\n",
	},
	{
		.name = "regs",
		.run = kvmintro_cmd_regs,
		.arguments = "PID|DIR [--vcpu N]",
		.options = KVMINTRO_OPTION(VCPU),
		.summary = "show the registers of a VM's vcpus",
		.description =
			"The registers of every vcpu, or of vcpu N only (its vcpu id, the N of\n"
			"vcpuN in debugfs): live while the VM is paused, else those of the\n"
			"latest 'kvmintro snapshot'. General-purpose and control registers,\n"
			"segments with their attributes decoded, and MSRs.\n"
			"\n"
			"  --vcpu N         only vcpu N\n",
	},
	{
		.name = "translate",
		.run = kvmintro_cmd_translate,
		.arguments = "PID|DIR GPA...",
		.summary = "translate guest physical addresses",
		.description =
			"For each guest physical address: the host virtual address in the\n"
			"VMM, the host physical address and frame, the size and kind of the\n"
			"host page behind it, or why there is none (no memslot, not backed\n"
			"yet). Nothing is faulted in. GPA is 0x<hex>, decimal, or gfn=<frame\n"
			"number>; at most " KVMINTRO_STRINGIFY(KVMINTRO_TRANSLATE_MAX) " at once.\n",
	},
	{
		.name = "gva",
		.run = kvmintro_cmd_gva,
		.arguments = "PID|DIR GVA [--vcpu N] [--cr3 GPA]",
		.options = KVMINTRO_OPTION(VCPU) | KVMINTRO_OPTION(CR3) |
			   KVMINTRO_OPTION(TTBR0) | KVMINTRO_OPTION(TTBR1) |
			   KVMINTRO_OPTION(TCR),
		.summary = "walk a guest virtual address",
		.description =
			"Walk the guest's own page tables for guest virtual address GVA with\n"
			"the registers of vcpu N (default 0): live while the VM is paused,\n"
			"else those of the latest 'kvmintro snapshot'. Prints the paging mode\n"
			"and CR3, every entry read (level, table, entry address, raw entry\n"
			"and its bits: P present, W writable, U user, NX no-execute, L large\n"
			"page), then the guest physical address, the guest page size and\n"
			"where it lies on the host as for translate; or the level where a\n"
			"non-present entry stopped the walk. Nothing is faulted in.\n"
			"On arm64 the walk is stage 1 with SCTLR_EL1, TCR_EL1 and the TTBR\n"
			"bit 55 selects; each descriptor shows its type, ATTR (MAIR index),\n"
			"AP, AF, PXN and UXN.\n"
			"\n"
			"  --vcpu N         use the registers of vcpu N (its index)\n"
			"  --cr3 GPA        x86: walk the page tables at GPA instead of CR3's\n"
			"  --ttbr0 VALUE, --ttbr1 VALUE, --tcr VALUE\n"
			"                   arm64: walk with these instead of the vcpu's\n",
	},
	{
		.name = "gpa-hpa",
		.run = kvmintro_cmd_gpa_hpa,
		.arguments = "PID|DIR",
		.summary = "map all guest memory to host memory",
		.description =
			"One line per run of guest pages backed alike, in address space 0:\n"
			"guest physical address, pages, size, host virtual and physical\n"
			"address, host page size and kind (base, thp, hugetlb, zero, or none:\n"
			"not backed yet); then how many bytes each kind backs.\n",
	},
	{
		.name = "stage2",
		.run = kvmintro_cmd_stage2,
		.arguments = "PID|DIR [GPA]",
		.summary = "show the NPT/EPT table KVM built for a guest",
		.description =
			"Without GPA: every leaf of the second-stage table (AMD NPT or Intel\n"
			"EPT) of KVM's TDP MMU, as runs of leaves alike: guest physical\n"
			"address, pages, leaf size (4K, 2M, 1G), permissions, EPT memory type;\n"
			"then how much each leaf size maps. With GPA: each level's entry, then\n"
			"the leaf (host address and frame, size, permissions) beside the size\n"
			"and kind of the VMM's page behind it, or the level where the walk\n"
			"stopped. The table is vcpu 0's (the first vcpu that has one); a VM\n"
			"whose vcpus never ran, or that KVM runs on shadow paging, has none.\n"
			"GPA is as for translate.\n",
	},
	{
		.name = "read",
		.run = kvmintro_cmd_read,
		.arguments = "PID|DIR GPA LEN [--raw]",
		.options = KVMINTRO_OPTION(RAW),
		.summary = "dump guest physical memory",
		.description =
			"LEN bytes of guest memory from guest physical address GPA, as a\n"
			"hexdump like xxd's, addressed by GPA. Pages the guest never touched\n"
			"read as zeros. GPA is as for translate; LEN is a number, with an\n"
			"optional K or M suffix, at most 64M.\n"
			"\n"
			"  --raw            write the bytes as they are (to a file or a pipe)\n",
	},
	{
		.name = "info",
		.run = kvmintro_cmd_info,
		.arguments = "PID|DIR",
		.summary = "show the guest kernel's release and KASLR offset",
		.description =
			"What a Linux guest's kernel says of itself in its VMCOREINFO, found in\n"
			"guest memory: its release and KASLR offset (KERNELOFFSET); with\n"
			"--json, every line of it. Needs registers for the core file: a capture\n"
			"('kvmintro snapshot'), or the VM paused. A guest that is not Linux\n"
			"(or whose kernel keeps no VMCOREINFO) gets exit status 1.\n",
	},
	{
		.name = "dmesg",
		.run = kvmintro_cmd_dmesg,
		.arguments = "PID|DIR",
		.summary = "print the guest kernel's log",
		.description =
			"The log of a Linux guest's kernel, read from its printk ring buffer\n"
			"in guest memory with only what its VMCOREINFO says (no debug info,\n"
			"nothing run in the guest, no pause), printed as dmesg prints it: a\n"
			"line \"[seconds.microseconds] text\" per line of each record, bytes\n"
			"that are not printable as \\xNN. With --json, every record: seq,\n"
			"ts_nsec, caller and text. Needs registers for the core file, as info\n"
			"does. A guest that is not Linux (no VMCOREINFO) gets exit status 1.\n",
	},
	{
		.name = "dump",
		.run = kvmintro_cmd_dump,
		.arguments = "PID|DIR FILE [--live]",
		.options = KVMINTRO_OPTION(LIVE),
		.summary = "write the VM's memory to FILE as an ELF core file",
		.description =
			"Copy the VM's core file to FILE: an ELF64 core with one PT_LOAD per\n"
			"memslot of guest RAM, every vcpu's registers (NT_PRSTATUS and QEMU's\n"
			"CPU state) and, for a Linux guest, its VMCOREINFO, as crash, gdb,\n"
			"drgn and makedumpfile read them. FILE is sparse: blocks of zeros,\n"
			"pages the guest never touched included, are holes. The VM is paused\n"
			"while it is copied and resumed after (a VM paused before stays\n"
			"paused); on a terminal, a line shows the progress.\n"
			"\n"
			"  --live           copy it running, with the registers of a capture\n"
			"                   taken first: its memory may change while copied\n"
			"                   (the file's KVMINTRO note says state=running)\n",
	},
	{
		.name = "scan",
		.run = kvmintro_cmd_scan,
		.arguments = "PID|DIR [PATTERN...] [-f FILE] [--max N]",
		.options = KVMINTRO_OPTION(MAX) | KVMINTRO_OPTION(FILE),
		.summary = "search guest memory for patterns",
		.description =
			"Search all guest memory (address space 0) for up to 4096 patterns at\n"
			"once: the guest physical, host virtual and host physical address of\n"
			"each match. PATTERN is str:TEXT (the text as it is), istr:TEXT (ASCII\n"
			"letters in either case) or hex:BYTES (pairs of hex digits or ?? for\n"
			"any byte but the first, blanks allowed between pairs), 1 to 256 bytes.\n"
			"\n"
			"  -f, --file FILE  also the patterns in FILE, one a line ('-': standard\n"
			"                   input); empty lines and lines starting with # skipped\n"
			"  --max N          stop after N matches in all (module default 10000)\n",
	},
	{
		.name = "help",
		.run = kvmintro_cmd_help,
		.arguments = "[COMMAND]",
		.summary = "show the commands, or how to use one",
		.description = "",
	},
};

static const char kvmintro_options_help[] =
	"Options, before or after the command:\n"
	"  --json           print JSON instead of a table\n"
	"  --debugfs DIR    the module's directory (default: $KVMINTRO_DEBUGFS, else\n"
	"                   " KVMINTRO_DEBUGFS_DEFAULT_ROOT ", or " KVMINTRO_PROC_ROOT "\n"
	"                   if the kernel is locked down or debugfs lacks it)\n"
	"  -h, --help       show this help, or the command's\n";

static const char kvmintro_exit_status_help[] =
	"Exit status: 0 done, 1 failed, 2 bad command line, 3 debugfs or the\n"
	"module missing or not root, 4 no such VM or vcpu.\n";

static const struct kvmintro_command *kvmintro_find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kvmintro_commands); i++) {
		if (!strcmp(kvmintro_commands[i].name, name))
			return &kvmintro_commands[i];
	}
	return NULL;
}

/* Return the only command whose name starts with @prefix, or NULL. */
static const struct kvmintro_command *kvmintro_guess_command(const char *prefix)
{
	const struct kvmintro_command *guess = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kvmintro_commands); i++) {
		if (strncmp(kvmintro_commands[i].name, prefix, strlen(prefix)))
			continue;
		if (guess)
			return NULL;
		guess = &kvmintro_commands[i];
	}
	return guess;
}

/* The width of the widest "name arguments" in the command list. */
static int kvmintro_usage_width(void)
{
	size_t i, width = 0;

	for (i = 0; i < ARRAY_SIZE(kvmintro_commands); i++) {
		size_t length = strlen(kvmintro_commands[i].name) + 1 +
				strlen(kvmintro_commands[i].arguments);

		if (length > width)
			width = length;
	}
	return (int)width;
}

static void kvmintro_print_usage(FILE *out)
{
	int width = kvmintro_usage_width();
	size_t i;

	fputs("usage: kvmintro [--json] [--debugfs DIR] COMMAND [ARGUMENTS]\n"
	      "\n"
	      "Look into the KVM VMs running on this host through the debugfs files\n"
	      "of the kvmintro kernel module (root only).\n"
	      "\n"
	      "Commands:\n", out);
	for (i = 0; i < ARRAY_SIZE(kvmintro_commands); i++) {
		const struct kvmintro_command *command = &kvmintro_commands[i];

		fprintf(out, "  %s %-*s  %s\n", command->name,
			width - (int)strlen(command->name) - 1,
			command->arguments, command->summary);
	}
	fprintf(out, "\n%s\n%s", kvmintro_options_help, kvmintro_exit_status_help);
}

static void kvmintro_print_command_help(const struct kvmintro_command *command,
					FILE *out)
{
	fprintf(out, "usage: kvmintro %s%s%s\n\n%c%s.\n", command->name,
		*command->arguments ? " " : "", command->arguments,
		toupper((unsigned char)command->summary[0]), command->summary + 1);
	if (*command->description)
		fprintf(out, "\n%s", command->description);
	fprintf(out, "\n%s\n%s", kvmintro_options_help, kvmintro_exit_status_help);
}

/* Say what is wrong with the command line of @name; return -EINVAL. */
int kvmintro_usage_error(const char *name, const char *problem,
			 const char *argument)
{
	const struct kvmintro_command *command = kvmintro_find_command(name);
	char quoted[KVMINTRO_QUOTE_MAX];

	kvmintro_format_quote(argument, strlen(argument), quoted, sizeof(quoted));
	kvmintro_error("%s%s%s", problem, *argument ? " " : "",
		       *argument ? quoted : "");
	if (command)
		kvmintro_error("usage: kvmintro %s%s%s; see 'kvmintro help %s'",
			       name, *command->arguments ? " " : "",
			       command->arguments, name);
	else
		kvmintro_error("run 'kvmintro --help' to see the options");
	return -EINVAL;
}

/*
 * Parse @text, an argument of @name, as a guest physical address (see
 * kvmintro_parse_address_argument()); say what is wrong with a bad one.
 */
int kvmintro_get_address(const char *name, const char *text, uint64_t *gpa)
{
	int ret = kvmintro_parse_address_argument(text, gpa);

	if (ret == -ERANGE)
		return kvmintro_usage_error(name,
			"beyond the 52 bits of guest physical addresses:",
			text);
	if (ret)
		return kvmintro_usage_error(name,
			"not a guest physical address like 0x1000, 4096 or gfn=0x1:",
			text);
	return 0;
}

/*
 * Take option @argv[*i] of @command into @kvmintro, and its value from the
 * next argument if it is not in "--name=value" form. Return 0 or -EINVAL.
 */
static int kvmintro_take_option(struct kvmintro *kvmintro,
				const struct kvmintro_command *command,
				int argc, char **argv, int *i)
{
	const struct kvmintro_option_name *option;
	const char *argument = argv[*i], *name;
	size_t id, length = 0;

	for (id = 0; id < KVMINTRO_NR_OPTIONS; id++) {
		option = &kvmintro_options[id];
		name = option->alias && !strncmp(argument, option->alias,
						 strlen(option->alias)) ?
		       option->alias : option->name;
		length = strlen(name);
		if ((command->options & 1u << id) &&
		    !strncmp(argument, name, length) &&
		    (!argument[length] ||
		     (argument[length] == '=' && option->value)))
			break;
	}
	if (id == KVMINTRO_NR_OPTIONS)
		return kvmintro_usage_error(command->name, "unknown option",
					    argument);
	kvmintro->options[id] = argument[length] ? argument + length + 1 : "";
	if (option->value && !argument[length]) {
		if (*i + 1 == argc)
			return kvmintro_usage_error(command->name,
				"this option needs a value:", argument);
		kvmintro->options[id] = argv[++*i];
	}
	return 0;
}

/*
 * Count the arguments @usage names after PID|DIR, which @vm says it names
 * first: WORD is one, [WORD] one more at most, WORD... or [WORD...] any
 * number (@max -1); [-OPTION ...] is no argument.
 */
static void kvmintro_count_arguments(const char *usage, bool *vm, int *min,
				     int *max)
{
	size_t length;

	*vm = !strncmp(usage, "PID|DIR", strlen("PID|DIR"));
	*min = *max = 0;
	for (usage += *vm ? strlen("PID|DIR") : 0; *usage; usage += length) {
		usage += strspn(usage, " ");
		length = *usage == '[' ? strcspn(usage, "]") + 1 :
			 strcspn(usage, " ");
		if (!length || !strncmp(usage, "[-", 2))
			continue;
		*min += *usage != '[';
		if (*max >= 0)
			*max = memmem(usage, length, "...", 3) ? -1 : *max + 1;
	}
}

/*
 * Take the options of @command out of @argv, and leave its arguments, in
 * order, at the start of @argv, their number in @argc. Global options are
 * gone already, so any other option is one the command does not know; "--"
 * ends options. Then find the VM its first argument names, and leave the
 * rest in @kvmintro. On a bad command line say what is wrong and return
 * -EINVAL; else fail like kvmintro_vm_lookup().
 */
static int kvmintro_parse_command_line(struct kvmintro *kvmintro,
				       const struct kvmintro_command *command,
				       int argc, char **argv)
{
	int i, kept = 0, ret, min, max;
	bool options_ended = false, vm;

	for (i = 0; i < argc; i++) {
		if (!options_ended && !strcmp(argv[i], "--")) {
			options_ended = true;
		} else if (!options_ended && argv[i][0] == '-' && argv[i][1]) {
			ret = kvmintro_take_option(kvmintro, command, argc,
						   argv, &i);
			if (ret)
				return ret;
		} else {
			argv[kept++] = argv[i];
		}
	}
	kvmintro_count_arguments(command->arguments, &vm, &min, &max);
	if (kept < min + vm)
		return kvmintro_usage_error(command->name, "missing argument", "");
	if (max >= 0 && kept > max + vm)
		return kvmintro_usage_error(command->name,
					    "unexpected argument", argv[max + vm]);
	kvmintro->argv = argv + vm;
	kvmintro->argc = kept - vm;
	return vm ? kvmintro_vm_lookup(kvmintro->debugfs_root, argv[0],
				       &kvmintro->vm) : 0;
}

static int kvmintro_cmd_help(struct kvmintro *kvmintro)
{
	const struct kvmintro_command *command;

	if (!kvmintro->argc) {
		kvmintro_print_usage(stdout);
		return 0;
	}
	command = kvmintro_find_command(kvmintro->argv[0]);
	if (!command)
		return kvmintro_usage_error("help", "no such command",
					    kvmintro->argv[0]);
	kvmintro_print_command_help(command, stdout);
	return 0;
}

/*
 * Take the global options out of @argv, wherever they are, leaving the
 * command and its own arguments in order. Return 0 or -EINVAL.
 */
static int kvmintro_parse_global_options(struct kvmintro *kvmintro,
					 bool *help, int *argc, char **argv)
{
	bool options_ended = false;
	int i, kept = 0;

	for (i = 0; i < *argc; i++) {
		char *argument = argv[i];

		if (options_ended || argument[0] != '-' || !argument[1]) {
			argv[kept++] = argument;
		} else if (!strcmp(argument, "--")) {
			/* Keep it for the command, unless it comes before it. */
			options_ended = true;
			if (kept)
				argv[kept++] = argument;
		} else if (!strcmp(argument, "--json")) {
			kvmintro->json = true;
		} else if (!strcmp(argument, "--help") || !strcmp(argument, "-h")) {
			*help = true;
		} else if (!strcmp(argument, "--debugfs")) {
			if (i + 1 == *argc || !*argv[i + 1])
				return kvmintro_usage_error("", "--debugfs needs a directory", "");
			kvmintro->debugfs_root = argv[++i];
		} else if (!strncmp(argument, "--debugfs=", strlen("--debugfs="))) {
			kvmintro->debugfs_root = argument + strlen("--debugfs=");
			if (!*kvmintro->debugfs_root)
				return kvmintro_usage_error("", "--debugfs needs a directory", "");
		} else {
			/* An option of the command's own. */
			argv[kept++] = argument;
		}
	}
	*argc = kept;
	return 0;
}

static const char *kvmintro_choose_debugfs_root(const char *option)
{
	const char *environment = getenv("KVMINTRO_DEBUGFS");

	if (option)
		return option;
	if (environment && *environment)
		return environment;
	return kvmintro_default_root();
}

static int kvmintro_report_unknown_command(const char *name)
{
	const struct kvmintro_command *guess = kvmintro_guess_command(name);
	char quoted[KVMINTRO_QUOTE_MAX];

	kvmintro_format_quote(name, strlen(name), quoted, sizeof(quoted));
	if (guess)
		kvmintro_error("%s is not a command; did you mean '%s'?", quoted,
			       guess->name);
	else
		kvmintro_error("%s is not a command", quoted);
	kvmintro_error("run 'kvmintro --help' to see the commands");
	return -EINVAL;
}

/* Make sure all output reached stdout; a failed write is a failure. */
static int kvmintro_flush_output(int ret)
{
	if (fflush(stdout) || ferror(stdout)) {
		if (!ret)
			kvmintro_error("cannot write the output: %s",
				       strerror(errno));
		return ret ? ret : -EIO;
	}
	return ret;
}

static int kvmintro_exit_status(int ret)
{
	switch (ret) {
	case 0:
		return KVMINTRO_EXIT_SUCCESS;
	case -EINVAL:
		return KVMINTRO_EXIT_USAGE;
	case -ENODEV:
	case -EACCES:
	case -EPERM:
		return KVMINTRO_EXIT_UNAVAILABLE;
	case -ESRCH:
	case -ENOTUNIQ:
		return KVMINTRO_EXIT_NO_VM;
	default:
		return KVMINTRO_EXIT_FAILURE;
	}
}

/**
 * kvmintro_main() - run the command line @argv
 * @argc: its number of words
 * @argv: its words, the program's name first
 *
 * Return: the exit status.
 */
int kvmintro_main(int argc, char **argv)
{
	struct kvmintro kvmintro = { .debugfs_root = NULL };
	const struct kvmintro_command *command;
	bool help = false;
	int ret;

	/* Drop the program name. */
	argc--;
	argv++;
	ret = kvmintro_parse_global_options(&kvmintro, &help, &argc, argv);
	if (ret)
		return kvmintro_exit_status(ret);
	if (!argc) {
		kvmintro_print_usage(help ? stdout : stderr);
		return kvmintro_exit_status(kvmintro_flush_output(help ? 0 : -EINVAL));
	}
	command = kvmintro_find_command(argv[0]);
	if (!command)
		return kvmintro_exit_status(kvmintro_report_unknown_command(argv[0]));
	if (help) {
		kvmintro_print_command_help(command, stdout);
		return kvmintro_exit_status(kvmintro_flush_output(0));
	}
	kvmintro.debugfs_root = kvmintro_choose_debugfs_root(kvmintro.debugfs_root);
	ret = kvmintro_parse_command_line(&kvmintro, command, argc - 1,
					  argv + 1) ?:
	      command->run(&kvmintro);
	return kvmintro_exit_status(kvmintro_flush_output(ret));
}
