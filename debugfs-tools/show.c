// SPDX-License-Identifier: GPL-2.0
/*
 * What every command that reads a file prints: a table whose columns name
 * the keys they show (struct kvmintro_show_column), or, with --json, every
 * record as an object holding every field the module wrote.
 */
#include "kvmintro.h"

/* Add the cell of @column for @record to @table. */
static void kvmintro_show_add_cell(struct kvmintro_table *table,
				   const struct kvmintro_show_column *column,
				   const struct kvmintro_record *record)
{
	const struct kvmintro_record_field *field;
	struct kvmintro_maybe_u64 number;
	char *bytes, *escaped;
	int length;

	field = kvmintro_record_find(record, column->key);
	if (!field && column->otherwise &&
	    (field = kvmintro_record_find(record, column->otherwise))) {
		kvmintro_table_add(table, "error: %.*s", (int)field->value_len,
				   field->value);
		return;
	}
	number = kvmintro_record_maybe(record, column->key);
	if (!field || field->type == KVMINTRO_RECORD_NONE) {
		kvmintro_table_add(table, "-");
	} else if (column->show == KVMINTRO_SHOW_FLAG) {
		kvmintro_table_add(table, "%s", number.value ? column->title : "-");
	} else if (column->show != KVMINTRO_SHOW_VALUE && number.valid) {
		if (column->show == KVMINTRO_SHOW_PAGES)
			number.value <<= KVMINTRO_PAGE_SHIFT;
		kvmintro_table_add_size(table, number.value);
	} else if (field->type == KVMINTRO_RECORD_STRING) {
		/* Untrusted bytes, escaped where not printable. */
		bytes = malloc(field->value_len);
		length = bytes ? kvmintro_record_decode_string(field, bytes,
							       field->value_len) : -1;
		escaped = length >= 0 ? kvmintro_escape(bytes, length) : NULL;
		if (escaped)
			kvmintro_table_add(table, "%s", escaped);
		else
			table->error = table->error ?: -ENOMEM;
		free(escaped);
		free(bytes);
	} else {
		kvmintro_table_add(table, "%.*s", (int)field->value_len,
				   field->value);
	}
}

/*
 * Print @count @records as a table of @columns, with their titles. Return
 * 0 or -errno.
 */
int kvmintro_show_table(const struct kvmintro_show_column *columns,
			size_t nr_columns,
			const struct kvmintro_record *records, size_t count,
			FILE *out)
{
	struct kvmintro_column *titles = calloc(nr_columns, sizeof(*titles));
	struct kvmintro_table table;
	size_t i, column;
	int ret;

	if (!titles)
		return -ENOMEM;
	for (column = 0; column < nr_columns; column++) {
		titles[column].title = columns[column].title;
		titles[column].align = columns[column].align;
	}
	kvmintro_table_init(&table, titles, nr_columns);
	for (i = 0; i < count; i++)
		for (column = 0; column < nr_columns; column++)
			kvmintro_show_add_cell(&table, &columns[column],
					       &records[i]);
	ret = kvmintro_table_finish(&table, out);
	free(titles);
	return ret;
}

/* Write the records of @list as an array, a member called @key. */
static void kvmintro_show_write_records(struct kvmintro_json *json,
					const char *key,
					const struct kvmintro_record_list *list,
					const struct kvmintro_record_schema *schema)
{
	size_t i;

	kvmintro_json_begin_array(json, key);
	for (i = 0; i < list->count; i++)
		kvmintro_record_write_json(json, &list->records[i], schema);
	kvmintro_json_end_array(json);
}

/*
 * Print {"vm": {...}, "<@key>": [...]}, every record of @list an object
 * (see kvmintro_record_write_json()), then what @write_json adds, if not
 * NULL. Return 0 or -errno.
 */
static int kvmintro_show_json_more(const struct kvmintro_vm *vm,
				   const char *key,
				   const struct kvmintro_record_list *list,
				   const struct kvmintro_record_schema *schema,
				   FILE *out,
				   void (*write_json)(struct kvmintro_json *json,
						      const struct kvmintro_record_list *list))
{
	struct kvmintro_json json;

	kvmintro_vm_json_begin(&json, out, vm);
	kvmintro_show_write_records(&json, key, list, schema);
	if (write_json)
		write_json(&json, list);
	return kvmintro_vm_json_end(&json);
}

int kvmintro_show_json(const struct kvmintro_vm *vm, const char *key,
		       const struct kvmintro_record_list *list,
		       const struct kvmintro_record_schema *schema, FILE *out)
{
	return kvmintro_show_json_more(vm, key, list, schema, out, NULL);
}

/*
 * Write @request (NULL: none) to @view's file of the VM, with @explainer and
 * @context as kvmintro_record_list_request() takes them, read the file and
 * print it, as a table or as JSON. On failure say why and return -errno.
 */
int kvmintro_show_view(const struct kvmintro *kvmintro,
		       const struct kvmintro_view *view, const char *request,
		       const struct kvmintro_debugfs_explainer *explainer,
		       const void *context)
{
	const struct kvmintro_vm *vm = &kvmintro->vm;
	struct kvmintro_record_list list;
	int ret;

	ret = kvmintro_record_list_request(kvmintro->debugfs_root, vm->dir,
					   view->file, request, explainer,
					   view->schema, context, &list);
	if (ret)
		return ret;
	if (kvmintro->json)
		ret = kvmintro_show_json_more(vm, view->json_key, &list,
					      view->schema, stdout,
					      view->write_json);
	else if (!list.count && view->empty)
		printf("VM %s (PID %" PRIu64 ") %s\n", vm->dir, vm->pid,
		       view->empty);
	else if (view->print)
		ret = view->print(&list);
	else
		ret = kvmintro_show_table(view->columns, view->nr_columns,
					  list.records, list.count, stdout);
	kvmintro_record_list_release(&list);
	return kvmintro_check_output(ret);
}
