/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_H
#define KVMINTRO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit statuses of the kvmintro command; Documentation/cli.rst lists them. */
enum kvmintro_exit_status {
	KVMINTRO_EXIT_SUCCESS = 0,
	KVMINTRO_EXIT_FAILURE = 1,	/* unreadable kernel data, I/O error */
	KVMINTRO_EXIT_USAGE = 2,	/* bad command line */
	KVMINTRO_EXIT_UNAVAILABLE = 3,	/* no debugfs, no module, not root */
	KVMINTRO_EXIT_NO_VM = 4,	/* no such VM or vcpu, a PID with several */
};

/**
 * struct kvmintro - what the global options asked for
 * @debugfs_root: kvmintro's debugfs directory
 * @json: print JSON instead of tables
 */
struct kvmintro {
	const char *debugfs_root;
	bool json;
};

/**
 * struct kvmintro_option - an option of one command
 * @name: as typed, like "--vcpu"
 * @value: where its value goes ("--vcpu 1" or "--vcpu=1"), or NULL for an
 *	option that takes none
 * @given: set to true if the option is on the command line
 */
struct kvmintro_option {
	const char *name;
	const char **value;
	bool *given;
};

/**
 * struct kvmintro_syntax - what one command takes
 * @options: its own options
 * @nr_options: how many
 * @min_arguments: fewest arguments, PID|DIR included
 * @max_arguments: most arguments, or -1 for any number
 */
struct kvmintro_syntax {
	const struct kvmintro_option *options;
	size_t nr_options;
	int min_arguments;
	int max_arguments;
};

/* The syntax of a command with @options (an array), @min to @max arguments. */
#define KVMINTRO_SYNTAX(options, min, max) \
	{ options, ARRAY_SIZE(options), min, max }

struct kvmintro_vm;

int kvmintro_usage_error(const char *command, const char *problem,
			 const char *argument);
int kvmintro_get_address(const char *name, const char *text, uint64_t *gpa);
int kvmintro_get_arguments(const char *command, int argc, char **argv,
			   const char **arguments, int nr_arguments);
int kvmintro_get_vm(const struct kvmintro *kvmintro, const char *command,
		    const struct kvmintro_syntax *syntax, int *argc,
		    char **argv, struct kvmintro_vm *vm);

/* What a command shows of the snapshot file in a table. */
enum kvmintro_snapshot_view {
	KVMINTRO_SNAPSHOT_VIEW_STATE,	/* the state */
	KVMINTRO_SNAPSHOT_VIEW_PAUSE,	/* the state and the pause latency */
	KVMINTRO_SNAPSHOT_VIEW_CAPTURE,	/* all of it */
};

int kvmintro_snapshot_command(struct kvmintro *kvmintro, const char *name,
			      int argc, char **argv, const char *command,
			      enum kvmintro_snapshot_view view);
int kvmintro_snapshot_explain_none(const char *path, int err,
				   const void *context);
int kvmintro_snapshot_set(const struct kvmintro *kvmintro,
			  const struct kvmintro_vm *vm, const char *command,
			  bool *paused);
/* builtin-info.c: a Linux guest's VMCOREINFO, for info and dmesg. */
int kvmintro_vmcoreinfo_load(const struct kvmintro *kvmintro,
			     const struct kvmintro_vm *vm, char **text);

/*
 * The commands, one builtin-<name>.c each (pause and resume are in
 * builtin-snapshot.c). They get the arguments after the
 * command name, print what went wrong themselves and return 0 or -errno.
 */
int kvmintro_cmd_list(struct kvmintro *kvmintro, int argc, char **argv);
int kvmintro_cmd_memslots(struct kvmintro *kvmintro, int argc, char **argv);
int kvmintro_cmd_pause(struct kvmintro *kvmintro, int argc, char **argv);
int kvmintro_cmd_resume(struct kvmintro *kvmintro, int argc, char **argv);
int kvmintro_cmd_snapshot(struct kvmintro *kvmintro, int argc, char **argv);
int kvmintro_cmd_regs(struct kvmintro *kvmintro, int argc, char **argv);
int kvmintro_cmd_translate(struct kvmintro *kvmintro, int argc, char **argv);
int kvmintro_cmd_gva(struct kvmintro *kvmintro, int argc, char **argv);
int kvmintro_cmd_gpa_hpa(struct kvmintro *kvmintro, int argc, char **argv);
int kvmintro_cmd_read(struct kvmintro *kvmintro, int argc, char **argv);
int kvmintro_cmd_dump(struct kvmintro *kvmintro, int argc, char **argv);
int kvmintro_cmd_info(struct kvmintro *kvmintro, int argc, char **argv);
int kvmintro_cmd_dmesg(struct kvmintro *kvmintro, int argc, char **argv);
int kvmintro_cmd_scan(struct kvmintro *kvmintro, int argc, char **argv);
int kvmintro_cmd_stage2(struct kvmintro *kvmintro, int argc, char **argv);

#endif /* KVMINTRO_H */
