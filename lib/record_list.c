// SPDX-License-Identifier: GPL-2.0
/*
 * The records of a whole file, one per line, read with
 * kvmintro_record_parse(): see record_list.h.
 */
#include <stdlib.h>

#include "record_list.h"

/* Append @record, with a copy of its fields, to @list; 0 or -ENOMEM. */
static int kvmintro_record_list_append(struct kvmintro_record_list *list,
				       const struct kvmintro_record *record,
				       size_t *capacity)
{
	struct kvmintro_record *records, *added;

	if (list->count == *capacity) {
		*capacity = *capacity ? 2 * *capacity : 16;
		records = realloc(list->records, *capacity * sizeof(*records));
		if (!records)
			return -ENOMEM;
		list->records = records;
	}
	added = &list->records[list->count];
	*added = *record;
	/* One byte more: a record of no fields still owns an allocation. */
	added->fields = malloc(record->nr_fields * sizeof(*record->fields) + 1);
	if (!added->fields)
		return -ENOMEM;
	memcpy(added->fields, record->fields,
	       record->nr_fields * sizeof(*record->fields));
	list->count++;
	return 0;
}

/**
 * kvmintro_record_list_parse() - read every line of a file as a record
 * @text: the file's contents, need not be NUL-terminated
 * @length: their length; a final newline is allowed, not needed
 * @list: the records, comments left out; empty on failure
 * @line: on failure the number of the line that failed (from 1), else 0
 *
 * Return: 0; -EBADMSG if a line is not a record (an empty line included);
 * -ENOSPC if it has more than %KVMINTRO_RECORD_FIELDS_MAX fields; -ENOMEM.
 */
int kvmintro_record_list_parse(const char *text, size_t length,
			       struct kvmintro_record_list *list, size_t *line)
{
	struct kvmintro_record_field fields[KVMINTRO_RECORD_FIELDS_MAX];
	struct kvmintro_record record;
	const char *start, *end;
	size_t capacity = 0;
	int ret = 0;

	memset(list, 0, sizeof(*list));
	*line = 0;
	list->text = malloc(length + 1);
	if (!list->text)
		return -ENOMEM;
	memcpy(list->text, text, length);
	list->text[length] = '\0';
	for (start = list->text; start < list->text + length; start = end + 1) {
		end = memchr(start, '\n', list->text + length - start);
		if (!end)
			end = list->text + length;
		++*line;
		ret = kvmintro_record_parse(start, end - start, &record, fields,
					    KVMINTRO_RECORD_FIELDS_MAX);
		if (ret) {
			ret = ret == -ENOSPC ? -ENOSPC : -EBADMSG;
			break;
		}
		if (record.comment)
			list->comments++;
		else
			ret = kvmintro_record_list_append(list, &record,
							  &capacity);
		if (ret)
			break;
	}
	if (ret)
		kvmintro_record_list_release(list);
	else
		*line = 0;
	return ret;
}

void kvmintro_record_list_release(struct kvmintro_record_list *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		free(list->records[i].fields);
	free(list->records);
	free(list->text);
	memset(list, 0, sizeof(*list));
}

/* Where @record's line starts: its kind or its first key. */
const char *kvmintro_record_start(const struct kvmintro_record *record)
{
	if (record->kind)
		return record->kind;
	return record->nr_fields ? record->fields[0].key : NULL;
}

/*
 * The number of the line of @list's text that holds @where (from 1), or 0
 * if @where is not in the text.
 */
size_t kvmintro_record_line_number(const struct kvmintro_record_list *list,
				   const char *where)
{
	size_t number = 1;
	const char *p;

	if (!where || !list->text || where < list->text ||
	    where > list->text + strlen(list->text))
		return 0;
	for (p = list->text; p < where; p++)
		number += *p == '\n';
	return number;
}

/* Is @record of kind @kind ("ok", "leaf", ...; NULL: a record without one)? */
bool kvmintro_record_is(const struct kvmintro_record *record, const char *kind)
{
	if (!kind || !record->kind)
		return !kind && !record->kind;
	return record->kind_len == strlen(kind) &&
	       !memcmp(record->kind, kind, record->kind_len);
}
