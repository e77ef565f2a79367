// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro: look into the KVM VMs running on this host through the debugfs
 * files of the kvmintro kernel module.
 *
 * kvmintro_main() takes the options wherever they are on the command
 * line, then runs the command named first among the rest: one
 * builtin-<name>.c per command (builtin-snapshot.c also has pause and
 * resume), each a row of kvmintro_commands[].  A command's usage, options
 * and help are written in its section of Documentation/cli.rst only.
 */
#include "kvmintro.h"

#define KVMINTRO_OPTION_BIT(id) (1u << (id))
#define KVMINTRO_OPTION(name) KVMINTRO_OPTION_BIT(KVMINTRO_OPTION_##name)

/**
 * struct kvmintro_option_name - how an option is typed
 * @name: like "--vcpu"
 * @alias: another name, or NULL
 * @value: whether it takes a value ("--vcpu 1" or "--vcpu=1")
 */
struct kvmintro_option_name {
	const char *name;
	const char *alias;
	bool value;
};

/**
 * struct kvmintro_command - a row of the command table
 * @name: what the user types
 * @run: the builtin, kvmintro_cmd_<name>()
 * @arguments: its arguments, for usage lines ("" if none)
 * @vm: whether they start with PID|DIR, a VM
 * @min: how many arguments it needs after PID|DIR
 * @max: how many it takes at most, -1 for any number
 * @options: the options it takes but the global ones, KVMINTRO_OPTION()s
 *	or'ed
 * @help: "kvmintro help <name>" but the global options and exit statuses
 */
struct kvmintro_command {
	const char *name;
	int (*run)(struct kvmintro *kvmintro);
	const char *arguments;
	bool vm;
	int min;
	int max;
	unsigned int options;
	const char *help;
};

/*
 * kvmintro_options[], kvmintro_global_options (a KVMINTRO_OPTION() mask),
 * kvmintro_commands[] and the text of "kvmintro help", made at build time
 * from Documentation/cli.rst by Documentation/man/cli-commands.awk.
 */
#include "kvmintro-commands.h"

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

/* Print "kvmintro help", or "kvmintro help <name>" of @command if not NULL. */
static void kvmintro_print_help(const struct kvmintro_command *command,
				FILE *out)
{
	if (command)
		fputs(command->help, out);
	else
		fprintf(out, "usage: kvmintro [--json] [--debugfs DIR] COMMAND [ARGUMENTS]\n"
			"\n"
			"Look into the KVM VMs running on this host through the debugfs files\n"
			"of the kvmintro kernel module (root only).\n"
			"\n"
			"Commands:\n%s", kvmintro_commands_help);
	fprintf(out, "\n%s\n%s", kvmintro_global_options_help,
		kvmintro_exit_status_help);
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

/* Whether @argument is option @name, alone or "@name=value" if it takes @value. */
static bool kvmintro_option_is(const char *argument, const char *name,
			       bool value, size_t *length)
{
	*length = name ? strlen(name) : 0;
	return name && !strncmp(argument, name, *length) &&
	       (!argument[*length] || (argument[*length] == '=' && value));
}

/*
 * Return the number of the option @argument is, in kvmintro_options[], and
 * the length of its name in @length; or -1 if it is none.
 */
static int kvmintro_find_option(const char *argument, size_t *length)
{
	const struct kvmintro_option_name *option;
	int id;

	for (id = 0; id < KVMINTRO_NR_OPTIONS; id++) {
		option = &kvmintro_options[id];
		if (kvmintro_option_is(argument, option->name, option->value,
				       length) ||
		    kvmintro_option_is(argument, option->alias, option->value,
				       length))
			return id;
	}
	return -1;
}

/*
 * Take the options out of @argv, wherever they are, into @kvmintro->options
 * (and each as it was typed into @given), and leave the command's name and
 * arguments at the start of @argv, in order, their number in @argc; "--"
 * ends the options.  The first argument that is no option at all is left in
 * @unknown.  Return 0, or -EINVAL if an option lacks its value.
 */
static int kvmintro_take_options(struct kvmintro *kvmintro, int *argc,
				 char **argv, const char **given,
				 const char **unknown)
{
	bool ended = false;
	int i, id, kept = 0;
	size_t length;

	for (i = 0; i < *argc; i++) {
		const char *argument = argv[i];

		if (ended || argument[0] != '-' || !argument[1]) {
			argv[kept++] = argv[i];
			continue;
		}
		if (!strcmp(argument, "--")) {
			ended = true;
			continue;
		}
		id = kvmintro_find_option(argument, &length);
		if (id < 0) {
			*unknown = *unknown ?: argument;
			continue;
		}
		given[id] = argument;
		if (argument[length])
			kvmintro->options[id] = argument + length + 1;
		else if (!kvmintro_options[id].value)
			kvmintro->options[id] = "";
		else if (i + 1 < *argc)
			kvmintro->options[id] = argv[++i];
		else if (id == KVMINTRO_OPTION_DEBUGFS)
			kvmintro->options[id] = "";
		else
			return kvmintro_usage_error(kept ? argv[0] : "",
				"this option needs a value:", argument);
	}
	*argc = kept;
	return 0;
}

/*
 * Check the options and arguments @argv leaves to @command, and find the VM
 * its first argument names; leave the rest in @kvmintro.  On a bad command
 * line say what is wrong and return -EINVAL; else fail like
 * kvmintro_vm_lookup().
 */
static int kvmintro_parse_command_line(struct kvmintro *kvmintro,
				       const struct kvmintro_command *command,
				       const char **given, int argc,
				       char **argv)
{
	int id, vm = command->vm;

	for (id = 0; id < KVMINTRO_NR_OPTIONS; id++) {
		if (given[id] && !((command->options | kvmintro_global_options) &
				   KVMINTRO_OPTION_BIT(id)))
			return kvmintro_usage_error(command->name,
						    "unknown option", given[id]);
	}
	if (argc < command->min + vm)
		return kvmintro_usage_error(command->name, "missing argument", "");
	if (command->max >= 0 && argc > command->max + vm)
		return kvmintro_usage_error(command->name, "unexpected argument",
					    argv[command->max + vm]);
	kvmintro->argv = argv + vm;
	kvmintro->argc = argc - vm;
	return vm ? kvmintro_vm_lookup(kvmintro->debugfs_root, argv[0],
				       &kvmintro->vm) : 0;
}

int kvmintro_cmd_help(struct kvmintro *kvmintro)
{
	const struct kvmintro_command *command = NULL;

	if (kvmintro->argc) {
		command = kvmintro_find_command(kvmintro->argv[0]);
		if (!command)
			return kvmintro_usage_error("help", "no such command",
						    kvmintro->argv[0]);
	}
	kvmintro_print_help(command, stdout);
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
	const char *given[KVMINTRO_NR_OPTIONS] = { NULL }, *unknown = NULL;
	struct kvmintro kvmintro = { .debugfs_root = NULL };
	const struct kvmintro_command *command = NULL;
	const char **options = kvmintro.options;
	int ret;

	/* Drop the program name. */
	argc--;
	argv++;
	ret = kvmintro_take_options(&kvmintro, &argc, argv, given, &unknown);
	if (!ret && argc) {
		command = kvmintro_find_command(argv[0]);
		if (!command)
			ret = kvmintro_report_unknown_command(argv[0]);
	}
	if (ret)
		return kvmintro_exit_status(ret);
	if (options[KVMINTRO_OPTION_HELP]) {
		kvmintro_print_help(command, stdout);
		return kvmintro_exit_status(kvmintro_flush_output(0));
	}
	if (unknown)
		return kvmintro_exit_status(kvmintro_usage_error(
			command ? command->name : "", "unknown option", unknown));
	if (options[KVMINTRO_OPTION_DEBUGFS] && !*options[KVMINTRO_OPTION_DEBUGFS])
		return kvmintro_exit_status(kvmintro_usage_error("",
			"--debugfs needs a directory", ""));
	if (!command) {
		kvmintro_print_help(NULL, stderr);
		return kvmintro_exit_status(kvmintro_flush_output(-EINVAL));
	}
	kvmintro.json = options[KVMINTRO_OPTION_JSON];
	kvmintro.debugfs_root =
		kvmintro_choose_debugfs_root(options[KVMINTRO_OPTION_DEBUGFS]);
	ret = kvmintro_parse_command_line(&kvmintro, command, given, argc - 1,
					  argv + 1) ?:
	      command->run(&kvmintro);
	return kvmintro_exit_status(kvmintro_flush_output(ret));
}
