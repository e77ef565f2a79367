// SPDX-License-Identifier: GPL-2.0
/*
 * The VMs kvmintro sees: the "vms" file at the root of its debugfs directory,
 * one line per VM, and finding a VM by the name a user gives (PID or dir).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "debugfs.h"
#include "json.h"
#include "table.h"
#include "vm.h"

static const struct kvmintro_field kvmintro_vm_fields[] = {
	KVMINTRO_FIELD(struct kvmintro_vm, pid, "pid", KVMINTRO_FIELD_DECIMAL),
	KVMINTRO_FIELD(struct kvmintro_vm, dir, "dir", KVMINTRO_FIELD_NAME),
	KVMINTRO_FIELD(struct kvmintro_vm, vcpus, "vcpus", KVMINTRO_FIELD_DECIMAL),
	KVMINTRO_FIELD(struct kvmintro_vm, slots, "slots", KVMINTRO_FIELD_DECIMAL),
	KVMINTRO_FIELD(struct kvmintro_vm, mem, "mem", KVMINTRO_FIELD_DECIMAL),
};

static const struct kvmintro_record_format kvmintro_vm_format = {
	.layout = KVMINTRO_LAYOUT_KEY_VALUE,
	.fields = kvmintro_vm_fields,
	.nr_fields = ARRAY_SIZE(kvmintro_vm_fields),
	.record_size = sizeof(struct kvmintro_vm),
};

static const struct kvmintro_column kvmintro_vm_columns[] = {
	{ "PID", KVMINTRO_ALIGN_RIGHT },
	{ "DIR", KVMINTRO_ALIGN_LEFT },
	{ "VCPUS", KVMINTRO_ALIGN_RIGHT },
	{ "SLOTS", KVMINTRO_ALIGN_RIGHT },
	{ "MEMORY", KVMINTRO_ALIGN_RIGHT },
	{ "BYTES", KVMINTRO_ALIGN_RIGHT },
};

static void kvmintro_vm_list_take(struct kvmintro_vm_list *list,
				  struct kvmintro_array *records)
{
	list->vms = records->elements;
	list->count = records->count;
}

/* Parse the contents of a "vms" file; see kvmintro_parse_records(). */
int kvmintro_vm_list_parse(const char *text, size_t length,
			   struct kvmintro_vm_list *list,
			   struct kvmintro_parse_error *error)
{
	struct kvmintro_array records;
	int ret;

	ret = kvmintro_parse_records(&kvmintro_vm_format, text, length,
				     &records, error);
	kvmintro_vm_list_take(list, &records);
	return ret;
}

/* Read and parse "<root>/vms"; on failure say why and return -errno. */
int kvmintro_vm_list_load(const char *root, struct kvmintro_vm_list *list)
{
	struct kvmintro_array records;
	int ret;

	ret = kvmintro_debugfs_load(root, NULL, "vms", &kvmintro_vm_format,
				    &records);
	kvmintro_vm_list_take(list, &records);
	return ret;
}

void kvmintro_vm_list_release(struct kvmintro_vm_list *list)
{
	free(list->vms);
	list->vms = NULL;
	list->count = 0;
}

/*
 * Find the VM a user named: a number is a PID, anything else (or a number no
 * VM has as PID) a directory name like "1234-1". Return 0, -ESRCH if no VM
 * matches, or -ENOTUNIQ if the PID has several VMs.
 */
int kvmintro_vm_list_find(const struct kvmintro_vm_list *list,
			  const char *name, const struct kvmintro_vm **vm)
{
	size_t i, matches = 0;
	uint64_t pid;

	if (!kvmintro_parse_decimal(kvmintro_span_from_string(name), &pid)) {
		for (i = 0; i < list->count; i++) {
			if (list->vms[i].pid != pid)
				continue;
			*vm = &list->vms[i];
			matches++;
		}
		if (matches)
			return matches == 1 ? 0 : -ENOTUNIQ;
	}
	for (i = 0; i < list->count; i++) {
		if (!strcmp(list->vms[i].dir, name)) {
			*vm = &list->vms[i];
			return 0;
		}
	}
	return -ESRCH;
}

/**
 * struct kvmintro_vm_dirs - which VMs' dirs kvmintro_vm_print_dirs() prints
 * @list: the VMs
 * @all: all of them
 * @pid: else those of this PID
 */
struct kvmintro_vm_dirs {
	const struct kvmintro_vm_list *list;
	bool all;
	uint64_t pid;
};

/* Print the dirs @context asks for as "a, b, c". */
static void kvmintro_vm_print_dirs(FILE *out, const void *context)
{
	const struct kvmintro_vm_dirs *dirs = context;
	bool first = true;
	size_t i;

	for (i = 0; i < dirs->list->count; i++) {
		if (!dirs->all && dirs->list->vms[i].pid != dirs->pid)
			continue;
		fprintf(out, "%s%s", first ? "" : ", ", dirs->list->vms[i].dir);
		first = false;
	}
}

static int kvmintro_vm_report_not_found(const struct kvmintro_vm_list *list,
					const char *name, int err)
{
	struct kvmintro_vm_dirs which = {
		.list = list,
		.all = err != -ENOTUNIQ,
	};
	char quoted[KVMINTRO_QUOTE_MAX];
	bool ambiguous = !which.all;
	char *dirs;

	kvmintro_quote(name, strlen(name), quoted, sizeof(quoted));
	if (ambiguous)
		kvmintro_parse_decimal(kvmintro_span_from_string(name),
				       &which.pid);
	dirs = kvmintro_print_to_string(kvmintro_vm_print_dirs, &which);
	if (!dirs) {
		kvmintro_error("out of memory");
		return -ENOMEM;
	}
	if (ambiguous) {
		kvmintro_error("process %" PRIu64 " has several VMs: %s",
			       which.pid, dirs);
		kvmintro_error("name one of them by its directory instead of the PID");
	} else if (!list->count) {
		kvmintro_error("no VM has PID or directory %s: no VMs are running",
			       quoted);
	} else {
		kvmintro_error("no VM has PID or directory %s", quoted);
		kvmintro_error("the VMs running are: %s (see 'kvmintro list')",
			       dirs);
	}
	free(dirs);
	return err;
}

/*
 * Find the VM a user named (see kvmintro_vm_list_find()) in "<root>/vms" and
 * copy it to @vm. On failure say why, listing the VMs there are, and return
 * -errno.
 */
int kvmintro_vm_lookup(const char *root, const char *name,
		       struct kvmintro_vm *vm)
{
	const struct kvmintro_vm *found;
	struct kvmintro_vm_list list;
	int ret;

	ret = kvmintro_vm_list_load(root, &list);
	if (ret)
		return ret;
	ret = kvmintro_vm_list_find(&list, name, &found);
	if (ret)
		ret = kvmintro_vm_report_not_found(&list, name, ret);
	else
		*vm = *found;
	kvmintro_vm_list_release(&list);
	return ret;
}

/* Print @list as a table with a title row; return 0 or -errno. */
int kvmintro_vm_list_print_table(const struct kvmintro_vm_list *list,
				 FILE *out)
{
	struct kvmintro_table table;
	size_t i;

	kvmintro_table_init(&table, kvmintro_vm_columns,
			    ARRAY_SIZE(kvmintro_vm_columns));
	for (i = 0; i < list->count; i++) {
		const struct kvmintro_vm *vm = &list->vms[i];

		kvmintro_table_add(&table, "%" PRIu64, vm->pid);
		kvmintro_table_add(&table, "%s", vm->dir);
		kvmintro_table_add(&table, "%" PRIu64, vm->vcpus);
		kvmintro_table_add(&table, "%" PRIu64, vm->slots);
		kvmintro_table_add_size(&table, vm->mem);
		kvmintro_table_add(&table, "%" PRIu64, vm->mem);
	}
	return kvmintro_table_finish(&table, out);
}

/* Write @vm as a JSON object, a member called @key (NULL in an array). */
void kvmintro_vm_write_json(struct kvmintro_json *json, const char *key,
			    const struct kvmintro_vm *vm)
{
	kvmintro_json_begin_object(json, key);
	kvmintro_json_u64(json, "pid", vm->pid);
	kvmintro_json_string(json, "dir", vm->dir);
	kvmintro_json_u64(json, "vcpus", vm->vcpus);
	kvmintro_json_u64(json, "slots", vm->slots);
	kvmintro_json_u64(json, "mem", vm->mem);
	kvmintro_json_end_object(json);
}

/* Print @list as a JSON array of objects, "[]" if empty; return 0 or -errno. */
int kvmintro_vm_list_print_json(const struct kvmintro_vm_list *list,
				FILE *out)
{
	struct kvmintro_json json;
	size_t i;

	kvmintro_json_init(&json, out);
	kvmintro_json_begin_array(&json, NULL);
	for (i = 0; i < list->count; i++)
		kvmintro_vm_write_json(&json, NULL, &list->vms[i]);
	kvmintro_json_end_array(&json);
	return kvmintro_json_finish(&json);
}

/*
 * Start the JSON object a command about one VM prints, on @out, with the
 * VM's object as its first member, "vm". The command adds its members,
 * then calls kvmintro_vm_json_end().
 */
void kvmintro_vm_json_begin(struct kvmintro_json *json, FILE *out,
			    const struct kvmintro_vm *vm)
{
	kvmintro_json_init(json, out);
	kvmintro_json_begin_object(json, NULL);
	kvmintro_vm_write_json(json, "vm", vm);
}

/* End what kvmintro_vm_json_begin() started; return 0 or -errno. */
int kvmintro_vm_json_end(struct kvmintro_json *json)
{
	kvmintro_json_end_object(json);
	return kvmintro_json_finish(json);
}

/*
 * Print the JSON object of a command about @vm whose result is an array:
 * {"vm": {...}, "<@key>": [...]}, its @count elements of @size bytes at
 * @elements each written by @write. Return 0 or -errno.
 */
int kvmintro_vm_json_print_array(FILE *out, const struct kvmintro_vm *vm,
				 const char *key, const void *elements,
				 size_t count, size_t size,
				 kvmintro_json_element_fn write)
{
	struct kvmintro_json json;
	size_t i;

	kvmintro_vm_json_begin(&json, out, vm);
	kvmintro_json_begin_array(&json, key);
	for (i = 0; i < count; i++)
		write(&json, (const char *)elements + i * size);
	kvmintro_json_end_array(&json);
	return kvmintro_vm_json_end(&json);
}
