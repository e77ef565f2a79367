// SPDX-License-Identifier: GPL-2.0
/*
 * Text tables for people: a title row, then cells padded so that columns
 * line up, two spaces apart, numbers aligned right; cells are added row
 * after row, errors kept in the table and reported once, when it is
 * printed.  What every command that reads a file prints: a table whose
 * columns name the keys they show (struct kvmintro_column), or, with
 * --json, every record as an object holding every field the module wrote.
 */
#include "kvmintro.h"

#include <stdarg.h>
#include <time.h>

#define KVMINTRO_COLUMN_GAP "  "

void kvmintro_table_init(struct kvmintro_table *table,
			 const struct kvmintro_column *columns,
			 size_t nr_columns)
{
	table->columns = columns;
	table->nr_columns = nr_columns;
	kvmintro_array_init(&table->cells, sizeof(char *));
	table->error = 0;
}

/* Add the next cell, formatted like printf(). */
void kvmintro_table_add(struct kvmintro_table *table, const char *format, ...)
{
	va_list arguments;
	char **cell;
	int ret;

	if (table->error)
		return;
	cell = kvmintro_array_append(&table->cells);
	if (!cell) {
		table->error = -ENOMEM;
		return;
	}
	va_start(arguments, format);
	ret = vasprintf(cell, format, arguments);
	va_end(arguments);
	if (ret < 0) {
		*cell = NULL;
		table->error = -ENOMEM;
	}
}

/* Add the next cell: @bytes as a size people read, like "2 MiB". */
void kvmintro_table_add_size(struct kvmintro_table *table, uint64_t bytes)
{
	char text[KVMINTRO_SIZE_TEXT_MAX];

	kvmintro_format_size(bytes, text, sizeof(text));
	kvmintro_table_add(table, "%s", text);
}

static const char *kvmintro_table_cell(const struct kvmintro_table *table,
				       size_t index)
{
	return ((char **)table->cells.elements)[index];
}

/*
 * Print one row; pad its last cell only if it is aligned right, and leave
 * out the empty left-aligned cells that end it, so no line ends in blanks.
 */
static void kvmintro_table_print_row(const struct kvmintro_table *table,
				     const char *const *cells,
				     const size_t *widths, FILE *out)
{
	size_t column, nr_columns = table->nr_columns;

	while (nr_columns > 1 && !*cells[nr_columns - 1] &&
	       table->columns[nr_columns - 1].align == KVMINTRO_ALIGN_LEFT)
		nr_columns--;
	for (column = 0; column < nr_columns; column++) {
		const char *cell = cells[column];
		int width = (int)widths[column];
		bool last = column + 1 == nr_columns;

		if (table->columns[column].align == KVMINTRO_ALIGN_RIGHT)
			fprintf(out, "%*s", width, cell);
		else if (last)
			fputs(cell, out);
		else
			fprintf(out, "%-*s", width, cell);
		fputs(last ? "\n" : KVMINTRO_COLUMN_GAP, out);
	}
}

/*
 * Print the titles, unless the columns have none (NULL), and every row.
 * Return the table's error, or -EIO.
 */
int kvmintro_table_print(struct kvmintro_table *table, FILE *out)
{
	bool titled = table->columns[0].title;
	size_t column, row, nr_rows, *widths;
	const char **titles;

	if (!table->error && table->cells.count % table->nr_columns)
		table->error = -EINVAL;
	if (table->error)
		return table->error;
	widths = calloc(table->nr_columns, sizeof(*widths));
	titles = calloc(table->nr_columns, sizeof(*titles));
	if (!widths || !titles) {
		table->error = -ENOMEM;
		goto out_free;
	}
	nr_rows = table->cells.count / table->nr_columns;
	for (column = 0; column < table->nr_columns; column++) {
		titles[column] = titled ? table->columns[column].title : "";
		widths[column] = strlen(titles[column]);
		for (row = 0; row < nr_rows; row++) {
			size_t length = strlen(kvmintro_table_cell(table,
					row * table->nr_columns + column));

			if (length > widths[column])
				widths[column] = length;
		}
	}
	if (titled)
		kvmintro_table_print_row(table, titles, widths, out);
	for (row = 0; row < nr_rows; row++) {
		const char *const *cells = table->cells.elements;

		kvmintro_table_print_row(table, cells + row * table->nr_columns,
					 widths, out);
	}
	if (ferror(out))
		table->error = -EIO;
out_free:
	free(titles);
	free(widths);
	return table->error;
}

void kvmintro_table_release(struct kvmintro_table *table)
{
	size_t i;

	for (i = 0; i < table->cells.count; i++)
		free(((char **)table->cells.elements)[i]);
	kvmintro_array_release(&table->cells);
}

/* Print @table (see kvmintro_table_print()), then release it. */
int kvmintro_table_finish(struct kvmintro_table *table, FILE *out)
{
	int ret = kvmintro_table_print(table, out);

	kvmintro_table_release(table);
	return ret;
}

/*
 * Write @time as ISO 8601 in UTC, to the nanosecond, like
 * "2026-11-22T07:22:24.297468151Z"; "(out of range)" if the C library
 * cannot break it down.
 */
void kvmintro_format_time(const struct kvmintro_time *time, char *text,
			  size_t size)
{
	time_t seconds = (time_t)time->seconds;
	struct tm broken_down;
	size_t length = 0;

	if (time->seconds <= INT64_MAX && gmtime_r(&seconds, &broken_down))
		length = strftime(text, size, "%Y-%m-%dT%H:%M:%S", &broken_down);
	if (!length) {
		snprintf(text, size, "(out of range)");
		return;
	}
	snprintf(text + length, size - length, ".%09uZ",
		 (unsigned int)time->nanoseconds);
}

/* Add the cell of @column for @record to @table. */
void kvmintro_show_add_cell(struct kvmintro_table *table,
			    const struct kvmintro_column *column,
			    const struct kvmintro_record *record)
{
	const struct kvmintro_record_field *field;
	char *bytes, *escaped, text[KVMINTRO_TIME_TEXT_MAX];
	struct kvmintro_maybe_u64 number;
	struct kvmintro_time time;
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
	} else if (column->show == KVMINTRO_SHOW_LATENCY && number.valid) {
		kvmintro_format_latency(number.value, text, sizeof(text));
		kvmintro_table_add(table, "%s", text);
	} else if (column->show == KVMINTRO_SHOW_TIME &&
		   !kvmintro_parse_time(field->value, field->value_len,
					&time.seconds, &time.nanoseconds)) {
		kvmintro_format_time(&time, text, sizeof(text));
		kvmintro_table_add(table, "%s (%.*s)", text,
				   (int)field->value_len, field->value);
	} else if ((column->show == KVMINTRO_SHOW_SIZE ||
		    column->show == KVMINTRO_SHOW_PAGES) && number.valid) {
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
int kvmintro_show_table(const struct kvmintro_column *columns,
			size_t nr_columns,
			const struct kvmintro_record *records, size_t count,
			FILE *out)
{
	struct kvmintro_table table;
	size_t i, column;

	kvmintro_table_init(&table, columns, nr_columns);
	for (i = 0; i < count; i++)
		for (column = 0; column < nr_columns; column++)
			kvmintro_show_add_cell(&table, &columns[column],
					       &records[i]);
	return kvmintro_table_finish(&table, out);
}

/*
 * Print {"vm": {...}, "<json_key>": [...]}, every record of @list an
 * object (see kvmintro_record_write_json()), then what @view's
 * write_json() adds, if any. Return 0 or -errno.
 */
int kvmintro_show_json(const struct kvmintro_vm *vm,
		       const struct kvmintro_view *view,
		       const struct kvmintro_record_list *list, FILE *out)
{
	struct kvmintro_json json;
	size_t i;

	kvmintro_vm_json_begin(&json, out, vm);
	kvmintro_json_begin_array(&json, view->json_key);
	for (i = 0; i < list->count; i++)
		kvmintro_record_write_json(&json, &list->records[i],
					   view->schema);
	kvmintro_json_end_array(&json);
	if (view->write_json)
		view->write_json(&json, list);
	return kvmintro_vm_json_end(&json);
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
		ret = kvmintro_show_json(vm, view, &list, stdout);
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
