/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kvmintro CLI's one header: what its files share, in the order they
 * build on each other (helpers, parsing, tables, records, debugfs, VMs,
 * views, memory, the commands).  What is not the CLI's own (the records'
 * reader and JSON, formats, a guest's log) is lib/'s, included here.
 */
#ifndef KVMINTRO_H
#define KVMINTRO_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "../lib/format.h"
#include "../lib/json.h"
#include "../lib/parse.h"
#include "../lib/printk.h"
#include "../lib/record.h"
#include "../lib/record_list.h"

struct kvmintro;
struct kvmintro_vm;
struct kvmintro_debugfs_explainer;

#define __printf(format_index, first_argument) \
	__attribute__((format(printf, format_index, first_argument)))

/* Room kvmintro_format_quote() needs at most, quotes and "..." included. */
#define KVMINTRO_QUOTE_MAX 100

/**
 * struct kvmintro_array - a growable array of fixed-size elements
 * @elements: the elements, or NULL while empty
 * @count: elements in use
 * @capacity: elements allocated
 * @element_size: size of one element in bytes
 */
struct kvmintro_array {
	void *elements;
	size_t count;
	size_t capacity;
	size_t element_size;
};

/**
 * struct kvmintro_maybe_u64 - a number, or none (a "-" or "unavailable")
 * @value: the number, 0 if none
 * @valid: whether there is one
 */
struct kvmintro_maybe_u64 {
	uint64_t value;
	bool valid;
};

/**
 * struct kvmintro_time - a CLOCK_REALTIME time as the module writes it
 * @seconds: whole seconds since the epoch
 * @nanoseconds: the rest, below one second
 */
struct kvmintro_time {
	uint64_t seconds;
	uint32_t nanoseconds;
};

void kvmintro_array_init(struct kvmintro_array *array, size_t element_size);
void *kvmintro_array_append(struct kvmintro_array *array);
void kvmintro_array_release(struct kvmintro_array *array);

void kvmintro_error(const char *format, ...) __printf(1, 2);
char *kvmintro_escape(const char *bytes, size_t length);
int kvmintro_check_output(int ret);
int kvmintro_json_fwrite(void *out, const char *text, size_t len);

/* Largest file kvmintro_read_file() reads. */
#define KVMINTRO_READ_FILE_MAX (64 << 20)
int kvmintro_read_file(const char *path, char **contents, size_t *length);
int kvmintro_read_fd(int fd, size_t max, char **contents, size_t *length);
ssize_t kvmintro_pread(int fd, void *buf, size_t size, uint64_t offset);
int kvmintro_pread_all(int fd, void *buf, size_t size, uint64_t offset);

#define KVMINTRO_PARSE_MESSAGE_MAX 256

/**
 * struct kvmintro_span - bytes of a larger buffer, not NUL-terminated
 * @start: first byte
 * @length: number of bytes
 */
struct kvmintro_span {
	const char *start;
	size_t length;
};

/**
 * struct kvmintro_parse_error - why a file was rejected
 * @line: 1-based number of the offending line, 0 for the file as a whole
 * @line_text: the offending line, quoted with kvmintro_format_quote(), or ""
 * @message: what is wrong with it
 */
struct kvmintro_parse_error {
	size_t line;
	char line_text[KVMINTRO_QUOTE_MAX];
	char message[KVMINTRO_PARSE_MESSAGE_MAX];
};

struct kvmintro_span kvmintro_span_from_string(const char *string);
bool kvmintro_span_equals(struct kvmintro_span span, const char *string);
bool kvmintro_is_valid_name(struct kvmintro_span value);

int kvmintro_parse_fail(struct kvmintro_parse_error *error, int err,
			const char *format, ...) __printf(3, 4);

int kvmintro_parse_number_argument(const char *text, uint64_t *value);
int kvmintro_parse_address_argument(const char *text, uint64_t *gpa);
int kvmintro_parse_length_argument(const char *text, uint64_t *bytes);

/* Room for kvmintro_format_time() and kvmintro_format_latency(). */
#define KVMINTRO_TIME_TEXT_MAX 64

enum kvmintro_align {
	KVMINTRO_ALIGN_LEFT,
	KVMINTRO_ALIGN_RIGHT,
};

/* How a column shows the value of its key. */
enum kvmintro_show {
	KVMINTRO_SHOW_VALUE,	/* as the module wrote it; strings escaped */
	KVMINTRO_SHOW_SIZE,	/* bytes, or a page size word, as "2 MiB" */
	KVMINTRO_SHOW_PAGES,	/* 4 KiB pages, as a size: "2 MiB" */
	KVMINTRO_SHOW_FLAG,	/* the column's title if not 0, else "-" */
	KVMINTRO_SHOW_LATENCY,	/* nanoseconds, as "674.985 us" */
	KVMINTRO_SHOW_TIME,	/* <seconds>.<fraction>, in UTC and as written */
};

/**
 * struct kvmintro_column - one column of a table
 * @title: its title, or NULL in a table without titles
 * @align: which side it is aligned to
 * @key: in a table of records (kvmintro_show_table()), the key whose value
 *	it shows; a record without it shows "-"
 * @show: how
 * @otherwise: if not NULL, a record without @key shows "error: " and the
 *	value of this key instead ("reason" of an "err" record)
 */
struct kvmintro_column {
	const char *title;
	enum kvmintro_align align;
	const char *key;
	enum kvmintro_show show;
	const char *otherwise;
};

#define KVMINTRO_SHOW_RIGHT(key, title, show) \
	{ title, KVMINTRO_ALIGN_RIGHT, key, KVMINTRO_SHOW_##show, NULL }
#define KVMINTRO_SHOW_LEFT(key, title, show) \
	{ title, KVMINTRO_ALIGN_LEFT, key, KVMINTRO_SHOW_##show, NULL }
/* A column of a table of cells added by hand. */
#define KVMINTRO_COLUMN(title, align) \
	{ title, KVMINTRO_ALIGN_##align, NULL, KVMINTRO_SHOW_VALUE, NULL }
/* A column of @key, or of "error: " and the value of @otherwise. */
#define KVMINTRO_SHOW_OR(key, title, otherwise) \
	{ title, KVMINTRO_ALIGN_LEFT, key, KVMINTRO_SHOW_VALUE, otherwise }

/**
 * struct kvmintro_table - a text table, printed with aligned columns
 * @columns: title and alignment of each column
 * @nr_columns: number of @columns
 * @cells: the cells (char *), row after row
 * @error: first error met, 0 if none; kvmintro_table_print() returns it
 */
struct kvmintro_table {
	const struct kvmintro_column *columns;
	size_t nr_columns;
	struct kvmintro_array cells;
	int error;
};

void kvmintro_table_init(struct kvmintro_table *table,
			 const struct kvmintro_column *columns,
			 size_t nr_columns);
void kvmintro_table_add(struct kvmintro_table *table, const char *format, ...)
	__printf(2, 3);
void kvmintro_table_add_size(struct kvmintro_table *table, uint64_t bytes);
int kvmintro_table_print(struct kvmintro_table *table, FILE *out);
void kvmintro_table_release(struct kvmintro_table *table);
int kvmintro_table_finish(struct kvmintro_table *table, FILE *out);

void kvmintro_format_time(const struct kvmintro_time *time, char *text,
			  size_t size);

/* Ends the message of a reply that is not to the request just written. */
#define KVMINTRO_RECORD_AGAIN \
	": did another request to this VM come in between? Try again"

/* A mask of the value types a key may have. */
#define KVMINTRO_RECORD_TYPES(type) (1u << KVMINTRO_RECORD_##type)

/**
 * struct kvmintro_record_key - a key the CLI needs in every record of a file
 * @name: the key
 * @types: the types its value may have, KVMINTRO_RECORD_TYPES() or'ed
 * @show: how the command shows it, the command's own (regs: which part of
 *	its table); 0 for commands that do not use it
 */
struct kvmintro_record_key {
	const char *name;
	unsigned int types;
	unsigned int show;
};

/* A key the command only needs, with the types its value may have. */
#define KVMINTRO_SCHEMA_KEY(key, key_types) \
	{ .name = (key), .types = (key_types) }

/**
 * struct kvmintro_record_schema - what the CLI needs of one file's records
 * @keys: the keys every record must have; others are kept, unread
 * @nr_keys: how many
 * @lists: the keys whose word is a comma-separated list, NULL-terminated,
 *	or NULL: --json prints them as arrays of strings, "-" as []
 * @page_sizes: the keys whose word is a page size ("4K", "2M", "1G"),
 *	NULL-terminated, or NULL: checked, and bytes in --json
 * @one_record: the file is one record, spread over its lines (one field a
 *	line): its records are joined into one, which must have @keys
 * @check: if not NULL, called on each record that has every key, to
 *	refuse values that do not go together; 0 or kvmintro_parse_fail()
 * @check_list: if not NULL, called on the whole list once every record is
 *	read, with the context of kvmintro_record_list_request(): a reply to
 *	someone else's request is -EAGAIN; 0 or kvmintro_parse_fail()
 * @write_json: if not NULL, called after a record's fields are written as
 *	a JSON object, to add what the CLI derives from them
 * @select: if not NULL, with @one_record: called on the joined record, to
 *	return the schema it must meet instead of this one (its keys say
 *	which: an arm64 regs file has x0=, x86's rax=), or NULL for this one
 */
struct kvmintro_record_schema {
	const struct kvmintro_record_key *keys;
	size_t nr_keys;
	const char *const *lists;
	const char *const *page_sizes;
	bool one_record;
	int (*check)(const struct kvmintro_record *record,
		     struct kvmintro_parse_error *error);
	int (*check_list)(const struct kvmintro_record_list *list,
			  const void *context,
			  struct kvmintro_parse_error *error);
	void (*write_json)(struct kvmintro_json *json,
			   const struct kvmintro_record *record);
	const struct kvmintro_record_schema *(*select)(
		const struct kvmintro_record *record);
};

int kvmintro_record_schema_parse(const struct kvmintro_record_schema *schema,
				 const char *text, size_t length,
				 struct kvmintro_record_list *list,
				 struct kvmintro_parse_error *error);
int kvmintro_record_list_request(const char *root, const char *dir,
				 const char *name, const char *request,
				 const struct kvmintro_debugfs_explainer *explainer,
				 const struct kvmintro_record_schema *schema,
				 const void *context,
				 struct kvmintro_record_list *list);

uint64_t kvmintro_record_number(const struct kvmintro_record *record,
				const char *key);
struct kvmintro_maybe_u64 kvmintro_record_maybe(const struct kvmintro_record *record,
					       const char *key);
struct kvmintro_span kvmintro_record_text(const struct kvmintro_record *record,
					  const char *key);
bool kvmintro_record_says(const struct kvmintro_record *record,
			  const char *key, const char *word);
void kvmintro_record_write_json_members(struct kvmintro_json *json,
					const struct kvmintro_record *record,
					const struct kvmintro_record_schema *schema);
void kvmintro_record_write_json(struct kvmintro_json *json,
				const struct kvmintro_record *record,
				const struct kvmintro_record_schema *schema);

#define KVMINTRO_DEBUGFS_DEFAULT_ROOT "/sys/kernel/debug/kvmintro"
/* The same files where lockdown does not reach (Documentation/security.rst). */
#define KVMINTRO_PROC_ROOT "/proc/kvmintro"
/* A debugfs file larger than this is not one kvmintro wrote. */
#define KVMINTRO_DEBUGFS_FILE_MAX (16u << 20)

/**
 * struct kvmintro_debugfs_explainer - errors only one file has
 * @explain: if @err means something particular for the file at @path
 *	(like ETIMEDOUT from a pause), say what and return the error to
 *	return; else return 0 for the usual messages
 * @context: passed to @explain
 */
struct kvmintro_debugfs_explainer {
	int (*explain)(const char *path, int err, const void *context);
	const void *context;
};

/* Where modprobe finds modules: "/lib/modules"; the unit tests change it. */
extern const char *kvmintro_modules_directory;

/* Where the kernel says its lockdown mode; the unit tests change it. */
extern const char *kvmintro_lockdown_file;

bool kvmintro_module_installed(const char *modules, const char *release);
const char *kvmintro_lockdown_mode(void);
const char *kvmintro_default_root(void);
int kvmintro_debugfs_report(const char *root, const char *dir,
			    const char *path, int err, const char *action);
int kvmintro_debugfs_open(const char *root, const char *dir, const char *name,
			  const struct kvmintro_debugfs_explainer *explainer,
			  char **path);
int kvmintro_debugfs_write(const char *root, const char *dir, const char *name,
			   const char *text, size_t length,
			   const struct kvmintro_debugfs_explainer *explainer);
int kvmintro_debugfs_read_file(const char *root, const char *dir,
			       const char *name,
			       const struct kvmintro_debugfs_explainer *explainer,
			       char **text, size_t *length, char **path);
void kvmintro_debugfs_report_parse_error(const char *path, int err,
					 const struct kvmintro_parse_error *error);
int kvmintro_debugfs_list_numbered(const char *root, const char *dir,
				   const char *prefix,
				   struct kvmintro_array *numbers);

#define KVMINTRO_VM_DIR_MAX 64
#define KVMINTRO_VM_LINE_MAX 512

/**
 * struct kvmintro_vm - one line of the "vms" file
 * @pid: process that created the VM
 * @dir: the VM's directory under kvmintro's debugfs root
 * @line: its record as the module wrote it, for --json: every field
 *	(vcpus=, slots=, mem= and any other)
 */
struct kvmintro_vm {
	uint64_t pid;
	char dir[KVMINTRO_VM_DIR_MAX];
	char line[KVMINTRO_VM_LINE_MAX];
};

/**
 * struct kvmintro_vm_list - the "vms" file
 * @vms: its VMs
 * @count: how many
 * @records: its records, every field
 */
struct kvmintro_vm_list {
	struct kvmintro_vm *vms;
	size_t count;
	struct kvmintro_record_list records;
};

int kvmintro_vm_list_parse(const char *text, size_t length,
			   struct kvmintro_vm_list *list,
			   struct kvmintro_parse_error *error);
int kvmintro_vm_list_load(const char *root, struct kvmintro_vm_list *list);
void kvmintro_vm_list_release(struct kvmintro_vm_list *list);
int kvmintro_vm_list_find(const struct kvmintro_vm_list *list,
			  const char *name, const struct kvmintro_vm **vm);
int kvmintro_vm_lookup(const char *root, const char *name,
		       struct kvmintro_vm *vm);
int kvmintro_vm_list_print_table(const struct kvmintro_vm_list *list,
				 FILE *out);
void kvmintro_vm_write_json(struct kvmintro_json *json, const char *key,
			    const struct kvmintro_vm *vm);
int kvmintro_vm_list_print_json(const struct kvmintro_vm_list *list,
				FILE *out);

void kvmintro_vm_json_begin(struct kvmintro_json *json, FILE *out,
			    const struct kvmintro_vm *vm);
int kvmintro_vm_json_end(struct kvmintro_json *json);


/**
 * struct kvmintro_view - a command that shows one file of a VM
 * @file: the file's name in the VM's directory
 * @schema: the keys its records must have
 * @json_key: the name of the array of records in --json
 * @columns: its table
 * @nr_columns: how many columns
 * @empty: what to say, after "VM <dir> (PID <pid>) ", when there is no
 *	record, or NULL
 * @print: if not NULL, prints the table instead of @columns
 * @write_json: if not NULL, adds members after the records in --json
 */
struct kvmintro_view {
	const char *file;
	const struct kvmintro_record_schema *schema;
	const char *json_key;
	const struct kvmintro_column *columns;
	size_t nr_columns;
	const char *empty;
	int (*print)(const struct kvmintro_record_list *list);
	void (*write_json)(struct kvmintro_json *json,
			   const struct kvmintro_record_list *list);
};

/* builtin-memslots.c's, which the unit tests check too. */
extern const struct kvmintro_view kvmintro_memslot_view;

int kvmintro_show_view(const struct kvmintro *kvmintro,
		       const struct kvmintro_view *view, const char *request,
		       const struct kvmintro_debugfs_explainer *explainer,
		       const void *context);
/* The bits of an x86-64 page-table entry (a guest's, or AMD NPT's). */
#define KVMINTRO_SHOW_X86_BITS						\
	KVMINTRO_SHOW_LEFT("present", "P", FLAG),			\
	KVMINTRO_SHOW_LEFT("writable", "W", FLAG),			\
	KVMINTRO_SHOW_LEFT("user", "U", FLAG),				\
	KVMINTRO_SHOW_LEFT("nx", "NX", FLAG),				\
	KVMINTRO_SHOW_LEFT("large", "L", FLAG)

void kvmintro_show_add_cell(struct kvmintro_table *table,
			    const struct kvmintro_column *column,
			    const struct kvmintro_record *record);
int kvmintro_show_table(const struct kvmintro_column *columns,
			size_t nr_columns,
			const struct kvmintro_record *records, size_t count,
			FILE *out);
int kvmintro_show_json(const struct kvmintro_vm *vm,
		       const struct kvmintro_view *view,
		       const struct kvmintro_record_list *list, FILE *out);

/* The most guest memory one read command shows. */
#define KVMINTRO_READ_MAX (64u << 20)

/**
 * struct kvmintro_memory - guest memory read from a VM's "mem" file
 * @gpa: guest physical address of the first byte
 * @bytes: the bytes read
 * @length: how many were read: fewer than @requested if guest memory
 *	ended (no memslot) before
 * @requested: how many were asked
 */
struct kvmintro_memory {
	uint64_t gpa;
	unsigned char *bytes;
	size_t length;
	size_t requested;
};

int kvmintro_memory_report_end(const struct kvmintro_vm *vm,
			       const struct kvmintro_memory *memory);
int kvmintro_memory_print_hexdump(const struct kvmintro_memory *memory,
				  FILE *out);
int kvmintro_memory_print_json(const struct kvmintro_vm *vm,
			       const struct kvmintro_memory *memory, FILE *out);
int kvmintro_memory_print_raw(const struct kvmintro_memory *memory,
			      FILE *out);

/* Exit statuses of the kvmintro command; Documentation/cli.rst lists them. */
enum kvmintro_exit_status {
	KVMINTRO_EXIT_SUCCESS = 0,
	KVMINTRO_EXIT_FAILURE = 1,	/* unreadable kernel data, I/O error */
	KVMINTRO_EXIT_USAGE = 2,	/* bad command line */
	KVMINTRO_EXIT_UNAVAILABLE = 3,	/* no debugfs, no module, not root */
	KVMINTRO_EXIT_NO_VM = 4,	/* no such VM or vcpu, a PID with several */
};

/*
 * The options, named (and given to commands) by the option lists of
 * Documentation/cli.rst: see kvmintro.c's kvmintro_options[].
 */
enum kvmintro_option {
	KVMINTRO_OPTION_JSON,
	KVMINTRO_OPTION_DEBUGFS,
	KVMINTRO_OPTION_HELP,
	KVMINTRO_OPTION_VCPU,
	KVMINTRO_OPTION_CR3,
	KVMINTRO_OPTION_TTBR0,
	KVMINTRO_OPTION_TTBR1,
	KVMINTRO_OPTION_TCR,
	KVMINTRO_OPTION_RAW,
	KVMINTRO_OPTION_LIVE,
	KVMINTRO_OPTION_MAX,
	KVMINTRO_OPTION_FILE,
	KVMINTRO_NR_OPTIONS,
};

/**
 * struct kvmintro - the command line, parsed, and the VM it names
 * @debugfs_root: kvmintro's debugfs directory
 * @json: print JSON instead of tables
 * @options: the value of each option given, "" for one that takes none;
 *	NULL if not given
 * @vm: the VM named by PID|DIR, for commands about one VM
 * @argv: the arguments after the command's name and PID|DIR
 * @argc: how many
 */
struct kvmintro {
	const char *debugfs_root;
	bool json;
	const char *options[KVMINTRO_NR_OPTIONS];
	struct kvmintro_vm vm;
	char **argv;
	int argc;
};

int kvmintro_main(int argc, char **argv);
int kvmintro_usage_error(const char *command, const char *problem,
			 const char *argument);
int kvmintro_get_address(const char *name, const char *text, uint64_t *gpa);

int kvmintro_snapshot_explain_none(const char *path, int err,
				   const void *context);
int kvmintro_snapshot_set(const struct kvmintro *kvmintro,
			  const char *command, bool *paused);
/* builtin-info.c: a Linux guest's VMCOREINFO, for info and dmesg. */
int kvmintro_vmcoreinfo_load(const struct kvmintro *kvmintro, char **text);

/*
 * The commands, one builtin-<name>.c each (pause and resume are in
 * builtin-snapshot.c). kvmintro_main() has checked their options and
 * number of arguments and found their VM; they print what went wrong
 * themselves and return 0 or -errno.
 */
int kvmintro_cmd_list(struct kvmintro *kvmintro);
int kvmintro_cmd_memslots(struct kvmintro *kvmintro);
int kvmintro_cmd_pause(struct kvmintro *kvmintro);
int kvmintro_cmd_resume(struct kvmintro *kvmintro);
int kvmintro_cmd_snapshot(struct kvmintro *kvmintro);
int kvmintro_cmd_regs(struct kvmintro *kvmintro);
int kvmintro_cmd_translate(struct kvmintro *kvmintro);
int kvmintro_cmd_gva(struct kvmintro *kvmintro);
int kvmintro_cmd_gpa_hpa(struct kvmintro *kvmintro);
int kvmintro_cmd_read(struct kvmintro *kvmintro);
int kvmintro_cmd_dump(struct kvmintro *kvmintro);
int kvmintro_cmd_info(struct kvmintro *kvmintro);
int kvmintro_cmd_dmesg(struct kvmintro *kvmintro);
int kvmintro_cmd_scan(struct kvmintro *kvmintro);
int kvmintro_cmd_stage2(struct kvmintro *kvmintro);
int kvmintro_cmd_help(struct kvmintro *kvmintro);

#endif /* KVMINTRO_H */
