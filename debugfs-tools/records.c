// SPDX-License-Identifier: GPL-2.0
/*
 * The records of a debugfs file, read with lib/record.c's reader: one per
 * line, in the grammar of Documentation/debugfs.rst, "Record format".  A
 * file's schema names the keys the CLI needs; --json prints every field the
 * module wrote, needed or not.
 */
#include "kvmintro.h"

static const char *const kvmintro_record_type_names[] = {
	[KVMINTRO_RECORD_DECIMAL] = "a decimal number",
	[KVMINTRO_RECORD_HEX] = "a hex number",
	[KVMINTRO_RECORD_WORD] = "a word",
	[KVMINTRO_RECORD_NONE] = "-",
	[KVMINTRO_RECORD_STRING] = "a string",
};

/* A list: names of [a-z0-9_] joined by single commas. */
static bool kvmintro_record_is_list_word(const struct kvmintro_record_field *field)
{
	bool name = false;
	size_t i;
	char c;

	for (i = 0; i < field->value_len; i++) {
		c = field->value[i];
		if (c == ',' && name) {
			name = false;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return false;
		name = true;
	}
	return name;
}

/*
 * Say in @error that the value of @field, the field @key of a record, is
 * @what; point @where at it, to name its line; return -EBADMSG.
 */
static int kvmintro_record_refuse(const struct kvmintro_record_field *field,
				  const char *key, const char *what,
				  struct kvmintro_parse_error *error,
				  const char **where)
{
	char quoted[KVMINTRO_QUOTE_MAX];

	kvmintro_format_quote(field->value, field->value_len, quoted,
			      sizeof(quoted));
	*where = field->key;
	return kvmintro_parse_fail(error, -EBADMSG, "%s: %s is %s", key, quoted,
				   what);
}

/*
 * Check that @record has every key of @schema, with a type it allows, and
 * that its lists and page sizes are words of the kind.
 */
static int kvmintro_record_check(const struct kvmintro_record_schema *schema,
				 const struct kvmintro_record *record,
				 struct kvmintro_parse_error *error,
				 const char **where)
{
	const struct kvmintro_record_field *field;
	const char *const *key;
	u64 bytes;
	size_t i;

	*where = NULL;
	for (i = 0; i < schema->nr_keys; i++) {
		field = kvmintro_record_find(record, schema->keys[i].name);
		if (!field)
			return kvmintro_parse_fail(error, -EBADMSG,
						   "no key '%s'",
						   schema->keys[i].name);
		if (!(schema->keys[i].types & (1u << field->type)))
			return kvmintro_record_refuse(field, schema->keys[i].name,
				kvmintro_record_type_names[field->type],
				error, where);
	}
	for (key = schema->lists; key && *key; key++) {
		field = kvmintro_record_find(record, *key);
		if (field && field->type == KVMINTRO_RECORD_WORD &&
		    !kvmintro_record_is_list_word(field))
			return kvmintro_record_refuse(field, *key,
				"not '-' or a comma-separated list", error,
				where);
	}
	for (key = schema->page_sizes; key && *key; key++) {
		field = kvmintro_record_find(record, *key);
		if (field && field->type == KVMINTRO_RECORD_WORD &&
		    kvmintro_parse_page_size(field->value, field->value_len,
					     &bytes))
			return kvmintro_record_refuse(field, *key,
				"not a page size like 4K, 2M or 1G", error,
				where);
	}
	return schema->check ? schema->check(record, error) : 0;
}

/*
 * Join the records of @list, a file of one record, into one: every field
 * of every line, no kind, no key twice. Return 0 or kvmintro_parse_fail().
 */
static int kvmintro_record_list_join(struct kvmintro_record_list *list,
				     struct kvmintro_parse_error *error)
{
	struct kvmintro_record joined = { .nr_fields = 0 };
	const struct kvmintro_record_field *field;
	size_t i, j, k, count = 0;

	for (i = 0; i < list->count; i++)
		count += list->records[i].nr_fields;
	joined.fields = calloc(count + 1, sizeof(*joined.fields));
	if (!joined.fields)
		return kvmintro_parse_fail(error, -ENOMEM, "out of memory");
	for (i = 0; i < list->count; i++) {
		for (j = 0; j < list->records[i].nr_fields; j++) {
			field = &list->records[i].fields[j];
			for (k = 0; k < joined.nr_fields; k++)
				if (joined.fields[k].key_len == field->key_len &&
				    !memcmp(joined.fields[k].key, field->key,
					    field->key_len))
					break;
			if (list->records[i].kind || k < joined.nr_fields) {
				free(joined.fields);
				error->line = i + 1;
				return kvmintro_parse_fail(error, -EBADMSG,
					"a kind, or a key given twice, in a file of one record");
			}
			joined.fields[joined.nr_fields++] = *field;
		}
	}
	for (i = 0; i < list->count; i++)
		free(list->records[i].fields);
	list->records = realloc(list->records, sizeof(joined)) ?: list->records;
	list->records[0] = joined;
	list->count = 1;
	return 0;
}

/* Set @error's line to @number (from 1) of @text, @length bytes, quoted. */
static void kvmintro_record_schema_name_line(const char *text, size_t length,
					     size_t number,
					     struct kvmintro_parse_error *error)
{
	const char *end = text + length, *nl;
	size_t i;

	for (i = 1; i < number && (nl = memchr(text, '\n', end - text)); i++)
		text = nl + 1;
	nl = memchr(text, '\n', end - text);
	error->line = number;
	kvmintro_format_quote(text, (nl ?: end) - text, error->line_text,
			      sizeof(error->line_text));
}

/* Name in @error the line of @list's text that holds @where. */
static void kvmintro_record_schema_name_where(const struct kvmintro_record_list *list,
					      const char *where,
					      struct kvmintro_parse_error *error)
{
	size_t number = kvmintro_record_line_number(list, where);

	if (number)
		kvmintro_record_schema_name_line(list->text,
						 strlen(list->text), number,
						 error);
}

/**
 * kvmintro_record_schema_parse() - read a debugfs file's records, as @schema says
 * @schema: the keys every record must have
 * @text: the file's contents
 * @length: their length
 * @list: the records; empty on failure
 * @error: on failure, why and where
 *
 * Return: 0; -EBADMSG if a line is not a record or lacks a key of @schema;
 * -ENOMEM.
 */
int kvmintro_record_schema_parse(const struct kvmintro_record_schema *schema,
				 const char *text, size_t length,
				 struct kvmintro_record_list *list,
				 struct kvmintro_parse_error *error)
{
	const char *where = NULL;
	size_t i, line;
	int ret;

	memset(error, 0, sizeof(*error));
	ret = kvmintro_record_list_parse(text, length, list, &line);
	if (ret) {
		kvmintro_record_schema_name_line(text, length, line, error);
		if (ret == -ENOMEM)
			return kvmintro_parse_fail(error, -ENOMEM,
						   "out of memory");
		if (ret == -ENOSPC)
			return kvmintro_parse_fail(error, -EBADMSG,
						   "more than %d fields",
						   KVMINTRO_RECORD_FIELDS_MAX);
		return kvmintro_parse_fail(error, -EBADMSG,
					   "not a record (see 'Record format' in Documentation/debugfs.rst)");
	}
	if (schema->one_record) {
		ret = kvmintro_record_list_join(list, error);
		if (!ret && schema->select)
			schema = schema->select(list->records) ?: schema;
		if (!ret)
			ret = kvmintro_record_check(schema, list->records,
						    error, &where);
		/* A field of the wrong type: name its line. */
		if (ret && !error->line && where)
			kvmintro_record_schema_name_where(list, where, error);
	} else {
		for (i = 0; i < list->count && !ret; i++) {
			ret = kvmintro_record_check(schema, &list->records[i],
						    error, &where);
			if (ret)
				kvmintro_record_schema_name_where(list,
					kvmintro_record_start(&list->records[i]),
					error);
		}
	}
	if (ret)
		kvmintro_record_list_release(list);
	return ret;
}

/*
 * Write @request to "<root>/<dir>/<name>" (unless it is NULL), then read
 * the file, from the start of a fresh open, and parse it, with @context
 * for the schema's check_list(). The explainer explains the write, or the
 * read if there is no @request. On failure say why and return -errno
 * (-EBADMSG for contents this CLI does not read, -EAGAIN for a reply to
 * someone else's request).
 */
int kvmintro_record_list_request(const char *root, const char *dir,
				 const char *name, const char *request,
				 const struct kvmintro_debugfs_explainer *explainer,
				 const struct kvmintro_record_schema *schema,
				 const void *context,
				 struct kvmintro_record_list *list)
{
	struct kvmintro_parse_error error;
	char *path, *text;
	size_t length;
	int ret;

	memset(list, 0, sizeof(*list));
	if (request) {
		ret = kvmintro_debugfs_write(root, dir, name, request,
					     strlen(request), explainer);
		if (ret)
			return ret;
		explainer = NULL;
	}
	ret = kvmintro_debugfs_read_file(root, dir, name, explainer, &text,
					 &length, &path);
	if (ret)
		return ret;
	ret = kvmintro_record_schema_parse(schema, text, length, list, &error);
	if (!ret && schema->check_list) {
		ret = schema->check_list(list, context, &error);
		if (ret)
			kvmintro_record_list_release(list);
	}
	if (ret)
		kvmintro_debugfs_report_parse_error(path, ret, &error);
	free(text);
	free(path);
	return ret;
}

/* The number of @record's field @key, which its schema says it has. */
uint64_t kvmintro_record_number(const struct kvmintro_record *record,
				const char *key)
{
	const struct kvmintro_record_field *field;

	field = kvmintro_record_find(record, key);
	return field ? field->number : 0;
}

/* The number of @record's field @key, or none if it is "-" or missing. */
struct kvmintro_maybe_u64 kvmintro_record_maybe(const struct kvmintro_record *record,
					       const char *key)
{
	const struct kvmintro_record_field *field;
	struct kvmintro_maybe_u64 maybe = { 0, false };

	field = kvmintro_record_find(record, key);
	if (field && (field->type == KVMINTRO_RECORD_DECIMAL ||
		      field->type == KVMINTRO_RECORD_HEX)) {
		maybe.value = field->number;
		maybe.valid = true;
	} else if (field && field->type == KVMINTRO_RECORD_WORD &&
		   !kvmintro_parse_page_size(field->value, field->value_len,
					     &maybe.value)) {
		maybe.valid = true;
	}
	return maybe;
}

/* The value of @record's field @key as written; empty if it has none. */
struct kvmintro_span kvmintro_record_text(const struct kvmintro_record *record,
					  const char *key)
{
	const struct kvmintro_record_field *field;
	struct kvmintro_span text = { "", 0 };

	field = kvmintro_record_find(record, key);
	if (field) {
		text.start = field->value;
		text.length = field->value_len;
	}
	return text;
}

/* Is the value of @record's field @key the word @word? */
bool kvmintro_record_says(const struct kvmintro_record *record,
			  const char *key, const char *word)
{
	return kvmintro_span_equals(kvmintro_record_text(record, key), word);
}

/*
 * Write the fields of @record as members of the object being written (see
 * kvmintro_json_record_members()), @schema's lists as arrays and its page
 * sizes as bytes; then what @schema's write_json() adds.
 */
void kvmintro_record_write_json_members(struct kvmintro_json *json,
					const struct kvmintro_record *record,
					const struct kvmintro_record_schema *schema)
{
	kvmintro_json_record_members(json, record, schema->lists,
				     schema->page_sizes);
	if (schema->write_json)
		schema->write_json(json, record);
}

/* Write @record as a JSON object, an element of the array being written. */
void kvmintro_record_write_json(struct kvmintro_json *json,
				const struct kvmintro_record *record,
				const struct kvmintro_record_schema *schema)
{
	kvmintro_json_begin_object(json, NULL);
	kvmintro_record_write_json_members(json, record, schema);
	kvmintro_json_end_object(json);
}
