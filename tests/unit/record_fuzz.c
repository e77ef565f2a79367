// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for lib/record.c.  Every line of the input is parsed
 * from a copy of exactly its length (so that ASan sees a read past it);
 * each record that parses is written again with the writer, which must
 * succeed, and parsed again, which must give the same kind and the same
 * fields: keys, types, numbers, words and the bytes of strings.  The whole
 * input is also written as one string value and must read back as itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/record.h"
#include "fuzz_assert.h"

#define FIELDS_MAX 64

/* @len bytes at @s as a NUL-terminated copy; the caller frees it. */
static char *fuzz_strndup(const char *s, size_t len)
{
	char *copy = malloc(len + 1);

	FUZZ_ASSERT(copy);
	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

/* The decoded bytes of string field @field, in a new buffer. */
static char *fuzz_decode(const struct kvmintro_record_field *field, int *len)
{
	char *bytes = malloc(field->value_len + 1);

	FUZZ_ASSERT(bytes);
	*len = kvmintro_record_decode_string(field, bytes, field->value_len + 1);
	FUZZ_ASSERT(*len >= 0 && (size_t)*len + 2 <= field->value_len);
	return bytes;
}

/* Write @record again into @buf; return its length. */
static int fuzz_rewrite(const struct kvmintro_record *record, char *buf,
			size_t size)
{
	struct kvmintro_record_writer writer;
	char *kind = NULL, *key, *value;
	unsigned int i;
	int len;

	if (record->kind)
		kind = fuzz_strndup(record->kind, record->kind_len);
	kvmintro_record_begin(&writer, buf, size, kind);
	free(kind);
	for (i = 0; i < record->nr_fields; i++) {
		const struct kvmintro_record_field *field = &record->fields[i];

		key = fuzz_strndup(field->key, field->key_len);
		switch (field->type) {
		case KVMINTRO_RECORD_DECIMAL:
			if (field->negative)
				kvmintro_record_s64(&writer, key,
						    (s64)field->number);
			else
				kvmintro_record_u64(&writer, key,
						    field->number);
			break;
		case KVMINTRO_RECORD_HEX:
			kvmintro_record_hex(&writer, key, field->number);
			break;
		case KVMINTRO_RECORD_WORD:
			value = fuzz_strndup(field->value, field->value_len);
			kvmintro_record_word(&writer, key, value);
			free(value);
			break;
		case KVMINTRO_RECORD_NONE:
			kvmintro_record_none(&writer, key);
			break;
		case KVMINTRO_RECORD_STRING:
			value = fuzz_decode(field, &len);
			kvmintro_record_string(&writer, key, value, len);
			free(value);
			break;
		}
		free(key);
	}
	return kvmintro_record_end(&writer);
}

static bool fuzz_same_field(const struct kvmintro_record_field *a,
			    const struct kvmintro_record_field *b)
{
	char *a_bytes, *b_bytes;
	int a_len, b_len;
	bool same;

	if (a->key_len != b->key_len || memcmp(a->key, b->key, a->key_len) ||
	    a->type != b->type || a->number != b->number ||
	    a->negative != b->negative)
		return false;
	if (a->type == KVMINTRO_RECORD_WORD)
		return a->value_len == b->value_len &&
		       !memcmp(a->value, b->value, a->value_len);
	if (a->type != KVMINTRO_RECORD_STRING)
		return true;
	a_bytes = fuzz_decode(a, &a_len);
	b_bytes = fuzz_decode(b, &b_len);
	same = a_len == b_len && !memcmp(a_bytes, b_bytes, a_len);
	free(a_bytes);
	free(b_bytes);
	return same;
}

static void fuzz_line(const char *data, size_t size)
{
	static struct kvmintro_record_field fields[FIELDS_MAX];
	static struct kvmintro_record_field again_fields[FIELDS_MAX];
	struct kvmintro_record record, again;
	char *line = malloc(size ? size : 1), *buf;
	size_t buf_size = size + 2;
	unsigned int i;
	int len, ret;

	FUZZ_ASSERT(line);
	memcpy(line, data, size);
	ret = kvmintro_record_parse(line, size, &record, fields, FIELDS_MAX);
	FUZZ_ASSERT(!ret || ret == -EINVAL || ret == -ENOSPC);
	if (ret || record.comment) {
		free(line);
		return;
	}
	/* The writer's spelling is never longer than any other. */
	buf = malloc(buf_size);
	FUZZ_ASSERT(buf);
	len = fuzz_rewrite(&record, buf, buf_size);
	FUZZ_ASSERT(len > 0 && (size_t)len < buf_size);
	FUZZ_ASSERT(!kvmintro_record_parse(buf, len, &again, again_fields,
					   FIELDS_MAX));
	FUZZ_ASSERT(!again.comment && again.nr_fields == record.nr_fields);
	FUZZ_ASSERT(again.kind_len == record.kind_len &&
		    (!record.kind ||
		     !memcmp(again.kind, record.kind, record.kind_len)));
	for (i = 0; i < record.nr_fields; i++)
		FUZZ_ASSERT(fuzz_same_field(&fields[i], &again_fields[i]));
	free(buf);
	free(line);
}

/* Any bytes, written as a string, read back as themselves. */
static void fuzz_string(const char *data, size_t size)
{
	struct kvmintro_record_field field;
	struct kvmintro_record_writer writer;
	struct kvmintro_record record;
	size_t buf_size = 4 * size + 8;
	char *buf = malloc(buf_size), *bytes;
	int len;

	FUZZ_ASSERT(buf);
	kvmintro_record_begin(&writer, buf, buf_size, NULL);
	kvmintro_record_string(&writer, "s", data, size);
	len = kvmintro_record_end(&writer);
	FUZZ_ASSERT(len > 0);
	FUZZ_ASSERT(!kvmintro_record_parse(buf, len, &record, &field, 1));
	FUZZ_ASSERT(record.nr_fields == 1 &&
		    field.type == KVMINTRO_RECORD_STRING);
	bytes = fuzz_decode(&field, &len);
	FUZZ_ASSERT((size_t)len == size && !memcmp(bytes, data, size));
	free(bytes);
	free(buf);
}

int LLVMFuzzerTestOneInput(const char *data, size_t size)
{
	const char *end = data + size, *newline;

	fuzz_string(data, size);
	while (data < end) {
		newline = memchr(data, '\n', end - data);
		fuzz_line(data, (newline ? newline : end) - data);
		if (!newline)
			break;
		data = newline + 1;
	}
	return 0;
}
