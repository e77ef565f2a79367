// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro: look into the KVM VMs running on this host through the debugfs
 * files of the kvmintro kernel module.
 *
 * kvmintro_main() takes the global options wherever they are on the
 * command line, then runs the command named first among the rest: one
 * builtin-<name>.c per command (builtin-snapshot.c also has pause and
 * resume), each a row of kvmintro_commands[], which the build makes from
 * the command's section in Documentation/cli.rst: its usage, options and
 * help are written there only.
 */
#include "kvmintro.h"

#include <ctype.h>

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

	for (i = 0; i < kvmintro_nr_commands; i++) {
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

	for (i = 0; i < kvmintro_nr_commands; i++) {
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

	for (i = 0; i < kvmintro_nr_commands; i++) {
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
	for (i = 0; i < kvmintro_nr_commands; i++) {
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

int kvmintro_cmd_help(struct kvmintro *kvmintro)
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
