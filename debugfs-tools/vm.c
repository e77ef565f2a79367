// SPDX-License-Identifier: GPL-2.0
/*
 * The VMs kvmintro sees: the "vms" file at the root of its debugfs directory,
 * one record per VM, and finding a VM by the name a user gives (PID or dir).
 */
#include "kvmintro.h"

static const struct kvmintro_record_key kvmintro_vm_keys[] = {
	KVMINTRO_SCHEMA_KEY("pid", KVMINTRO_RECORD_TYPES(DECIMAL)),
	KVMINTRO_SCHEMA_KEY("dir", KVMINTRO_RECORD_TYPES(STRING)),
	KVMINTRO_SCHEMA_KEY("vcpus", KVMINTRO_RECORD_TYPES(DECIMAL)),
	KVMINTRO_SCHEMA_KEY("slots", KVMINTRO_RECORD_TYPES(DECIMAL)),
	KVMINTRO_SCHEMA_KEY("mem", KVMINTRO_RECORD_TYPES(DECIMAL)),
};

/* Decode @record's dir into @dir; -EBADMSG if it is no directory name. */
static int kvmintro_vm_dir(const struct kvmintro_record *record, char *dir,
			   struct kvmintro_parse_error *error)
{
	const struct kvmintro_record_field *field;
	char quoted[KVMINTRO_QUOTE_MAX];
	int length;

	field = kvmintro_record_find(record, "dir");
	length = kvmintro_record_decode_string(field, dir, KVMINTRO_VM_DIR_MAX);
	if (length < 0 || memchr(dir, '\0', length) ||
	    !kvmintro_is_valid_name((struct kvmintro_span){ dir, length })) {
		kvmintro_format_quote(field->value, field->value_len, quoted,
				      sizeof(quoted));
		return kvmintro_parse_fail(error, -EBADMSG,
					   "dir: %s is not a valid name",
					   quoted);
	}
	return 0;
}

static int kvmintro_vm_check(const struct kvmintro_record *record,
			     struct kvmintro_parse_error *error)
{
	char dir[KVMINTRO_VM_DIR_MAX];

	return kvmintro_vm_dir(record, dir, error);
}

static const struct kvmintro_record_schema kvmintro_vm_schema = {
	.keys = kvmintro_vm_keys,
	.nr_keys = ARRAY_SIZE(kvmintro_vm_keys),
	.check = kvmintro_vm_check,
};

static const struct kvmintro_column kvmintro_vm_columns[] = {
	KVMINTRO_SHOW_RIGHT("pid", "PID", VALUE),
	KVMINTRO_SHOW_LEFT("dir", "DIR", VALUE),
	KVMINTRO_SHOW_RIGHT("vcpus", "VCPUS", VALUE),
	KVMINTRO_SHOW_RIGHT("slots", "SLOTS", VALUE),
	KVMINTRO_SHOW_RIGHT("mem", "MEMORY", SIZE),
	KVMINTRO_SHOW_RIGHT("mem", "BYTES", VALUE),
};

/* Make @list's VMs of its records; -ENOMEM (the records released) or 0. */
static int kvmintro_vm_list_fill(struct kvmintro_vm_list *list)
{
	const struct kvmintro_record *record;
	struct kvmintro_parse_error error;
	struct kvmintro_vm *vm;
	size_t i, line;

	list->vms = calloc(list->records.count ?: 1, sizeof(*list->vms));
	if (!list->vms) {
		kvmintro_record_list_release(&list->records);
		return -ENOMEM;
	}
	for (i = 0; i < list->records.count; i++) {
		record = &list->records.records[i];
		vm = &list->vms[i];
		vm->pid = kvmintro_record_number(record, "pid");
		kvmintro_vm_dir(record, vm->dir, &error);
		line = strcspn(record->fields[0].key, "\n");
		if (line < sizeof(vm->line))
			memcpy(vm->line, record->fields[0].key, line);
	}
	list->count = list->records.count;
	return 0;
}

/* Parse the contents of a "vms" file, one record per VM. */
int kvmintro_vm_list_parse(const char *text, size_t length,
			   struct kvmintro_vm_list *list,
			   struct kvmintro_parse_error *error)
{
	memset(list, 0, sizeof(*list));
	return kvmintro_record_schema_parse(&kvmintro_vm_schema, text, length,
					    &list->records, error) ?:
	       (kvmintro_vm_list_fill(list) ?
		kvmintro_parse_fail(error, -ENOMEM, "out of memory") : 0);
}

/* Read and parse "<root>/vms"; on failure say why and return -errno. */
int kvmintro_vm_list_load(const char *root, struct kvmintro_vm_list *list)
{
	int ret;

	memset(list, 0, sizeof(*list));
	ret = kvmintro_record_list_request(root, NULL, "vms", NULL, NULL,
					   &kvmintro_vm_schema, NULL,
					   &list->records);
	if (!ret && kvmintro_vm_list_fill(list)) {
		kvmintro_error("out of memory");
		ret = -ENOMEM;
	}
	return ret;
}

void kvmintro_vm_list_release(struct kvmintro_vm_list *list)
{
	free(list->vms);
	list->vms = NULL;
	list->count = 0;
	kvmintro_record_list_release(&list->records);
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

	if (!kvmintro_parse_digits(name, strlen(name), 10, &pid)) {
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

/*
 * Find the VM a user named (see kvmintro_vm_list_find()) in "<root>/vms" and
 * copy it to @vm. On failure say why, listing the VMs there are (those of
 * the PID if it has several), and return -errno.
 */
int kvmintro_vm_lookup(const char *root, const char *name,
		       struct kvmintro_vm *vm)
{
	char quoted[KVMINTRO_QUOTE_MAX], *dirs = NULL;
	const struct kvmintro_vm *found;
	struct kvmintro_vm_list list;
	bool ambiguous;
	uint64_t pid = 0;
	size_t i, length;
	FILE *out;
	int ret;

	ret = kvmintro_vm_list_load(root, &list);
	if (ret)
		return ret;
	ret = kvmintro_vm_list_find(&list, name, &found);
	ambiguous = ret == -ENOTUNIQ;
	if (ambiguous)
		kvmintro_parse_digits(name, strlen(name), 10, &pid);
	/* The dirs of the VMs of that PID, or of all, as "a, b, c". */
	out = ret ? open_memstream(&dirs, &length) : NULL;
	for (i = 0; out && i < list.count; i++)
		if (!ambiguous || list.vms[i].pid == pid)
			fprintf(out, "%s%s", ftell(out) ? ", " : "",
				list.vms[i].dir);
	kvmintro_format_quote(name, strlen(name), quoted, sizeof(quoted));
	if (!ret) {
		*vm = *found;
	} else if (!out || fclose(out)) {
		kvmintro_error("out of memory");
		ret = -ENOMEM;
	} else if (ambiguous) {
		kvmintro_error("process %" PRIu64 " has several VMs: %s", pid,
			       dirs);
		kvmintro_error("name one of them by its directory instead of the PID");
	} else if (!list.count) {
		kvmintro_error("no VM has PID or directory %s: no VMs are running",
			       quoted);
	} else {
		kvmintro_error("no VM has PID or directory %s", quoted);
		kvmintro_error("the VMs running are: %s (see 'kvmintro list')",
			       dirs);
	}
	free(dirs);
	kvmintro_vm_list_release(&list);
	return ret;
}

/* Print @list as a table with a title row; return 0 or -errno. */
int kvmintro_vm_list_print_table(const struct kvmintro_vm_list *list,
				 FILE *out)
{
	return kvmintro_show_table(kvmintro_vm_columns,
				   ARRAY_SIZE(kvmintro_vm_columns),
				   list->records.records, list->records.count,
				   out);
}

/* Write @vm as a JSON object, a member called @key (NULL in an array). */
void kvmintro_vm_write_json(struct kvmintro_json *json, const char *key,
			    const struct kvmintro_vm *vm)
{
	struct kvmintro_record_field fields[KVMINTRO_RECORD_FIELDS_MAX];
	struct kvmintro_record record;

	kvmintro_json_begin_object(json, key);
	/* Every field of its record; the PID and dir if it is not there. */
	if (!kvmintro_record_parse(vm->line, strlen(vm->line), &record, fields,
				   ARRAY_SIZE(fields)) && record.nr_fields) {
		kvmintro_record_write_json_members(json, &record,
						   &kvmintro_vm_schema);
	} else {
		kvmintro_json_u64(json, "pid", vm->pid);
		kvmintro_json_string(json, "dir", vm->dir);
	}
	kvmintro_json_end_object(json);
}

/* Print @list as a JSON array of objects, "[]" if empty; return 0 or -errno. */
int kvmintro_vm_list_print_json(const struct kvmintro_vm_list *list,
				FILE *out)
{
	struct kvmintro_json json;
	size_t i;

	kvmintro_json_init(&json, kvmintro_json_fwrite, out);
	kvmintro_json_begin_array(&json, NULL);
	for (i = 0; i < list->records.count; i++)
		kvmintro_record_write_json(&json, &list->records.records[i],
					   &kvmintro_vm_schema);
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
	kvmintro_json_init(json, kvmintro_json_fwrite, out);
	kvmintro_json_begin_object(json, NULL);
	kvmintro_vm_write_json(json, "vm", vm);
}

/* End what kvmintro_vm_json_begin() started; return 0 or -errno. */
int kvmintro_vm_json_end(struct kvmintro_json *json)
{
	kvmintro_json_end_object(json);
	return kvmintro_json_finish(json);
}

