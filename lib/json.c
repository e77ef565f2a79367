// SPDX-License-Identifier: GPL-2.0
/*
 * A small streaming JSON writer, and the JSON of a record.  See json.h.
 */
#include "json.h"
#include "parse.h"

void kvmintro_json_init(struct kvmintro_json *json,
			kvmintro_json_write_fn write, void *out)
{
	memset(json, 0, sizeof(*json));
	json->write = write;
	json->out = out;
}

static void kvmintro_json_put(struct kvmintro_json *json, const char *text,
			      size_t len)
{
	if (!json->error)
		json->error = json->write(json->out, text, len);
}

static void kvmintro_json_puts(struct kvmintro_json *json, const char *text)
{
	kvmintro_json_put(json, text, strlen(text));
}

static void kvmintro_json_indent(struct kvmintro_json *json)
{
	unsigned int i;

	kvmintro_json_puts(json, "\n");
	for (i = 0; i < json->depth; i++)
		kvmintro_json_puts(json, "  ");
}

/**
 * struct kvmintro_json_bytes - the bytes of a string being written
 * @s: the bytes, or a record's string value (its quotes included)
 * @len: where they end in @s (before the closing quote of a value)
 * @pos: the next byte's position in @s
 * @encoded: @s is a record's string value, its escapes to decode
 */
struct kvmintro_json_bytes {
	const char *s;
	size_t len;
	size_t pos;
	bool encoded;
};

/* The next byte, or -1 at the end. */
static int kvmintro_json_next_byte(struct kvmintro_json_bytes *bytes)
{
	if (bytes->pos >= bytes->len)
		return -1;
	if (bytes->encoded)
		return (unsigned char)kvmintro_record_string_byte(bytes->s,
								  &bytes->pos);
	return (unsigned char)bytes->s[bytes->pos++];
}

/*
 * Return the length of the valid UTF-8 sequence at the start of @bytes, or 0
 * if there is none there (overlong forms and surrogates are not valid).
 */
static size_t kvmintro_utf8_sequence_length(const unsigned char *bytes,
					    size_t length)
{
	unsigned char low = 0x80, high = 0xbf;
	size_t needed, i;

	if (bytes[0] >= 0xc2 && bytes[0] <= 0xdf) {
		needed = 2;
	} else if (bytes[0] >= 0xe0 && bytes[0] <= 0xef) {
		needed = 3;
		if (bytes[0] == 0xe0)
			low = 0xa0;
		if (bytes[0] == 0xed)
			high = 0x9f;
	} else if (bytes[0] >= 0xf0 && bytes[0] <= 0xf4) {
		needed = 4;
		if (bytes[0] == 0xf0)
			low = 0x90;
		if (bytes[0] == 0xf4)
			high = 0x8f;
	} else {
		return 0;
	}
	if (length < needed || bytes[1] < low || bytes[1] > high)
		return 0;
	for (i = 2; i < needed; i++) {
		if (bytes[i] < 0x80 || bytes[i] > 0xbf)
			return 0;
	}
	return needed;
}

/* Write a control character, in its short form if JSON has one. */
static void kvmintro_json_write_control(struct kvmintro_json *json,
					unsigned char c)
{
	static const char short_forms[0x20] = {
		['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't',
	};
	char text[8];

	if (c < sizeof(short_forms) && short_forms[c])
		snprintf(text, sizeof(text), "\\%c", short_forms[c]);
	else
		snprintf(text, sizeof(text), "\\u%04x", c);
	kvmintro_json_puts(json, text);
}

static void kvmintro_json_write_string(struct kvmintro_json *json,
				       struct kvmintro_json_bytes *bytes)
{
	struct kvmintro_json_bytes ahead;
	unsigned char sequence[4];
	size_t n, valid;
	int c;

	kvmintro_json_puts(json, "\"");
	while ((c = kvmintro_json_next_byte(bytes)) >= 0) {
		sequence[0] = c;
		if (c == '"' || c == '\\') {
			kvmintro_json_puts(json, "\\");
			kvmintro_json_put(json, (char *)sequence, 1);
		} else if (c < 0x20 || c == 0x7f) {
			kvmintro_json_write_control(json, c);
		} else if (c < 0x80) {
			kvmintro_json_put(json, (char *)sequence, 1);
		} else {
			/* A UTF-8 sequence: the bytes after this one. */
			ahead = *bytes;
			for (n = 1; n < sizeof(sequence) &&
			     (c = kvmintro_json_next_byte(&ahead)) >= 0; n++)
				sequence[n] = c;
			valid = kvmintro_utf8_sequence_length(sequence, n);
			if (valid)
				kvmintro_json_put(json, (char *)sequence, valid);
			else
				kvmintro_json_puts(json, "\\ufffd");
			while (valid-- > 1)
				kvmintro_json_next_byte(bytes);
		}
	}
	kvmintro_json_puts(json, "\"");
}

/*
 * Write what goes before a value: the comma after the previous member, the
 * indentation and the key (@key_len bytes; NULL in an array). Return false
 * if the value must not be written.
 */
static bool kvmintro_json_begin_value(struct kvmintro_json *json,
				      const char *key, size_t key_len)
{
	struct kvmintro_json_bytes bytes = { key, key_len, 0, false };
	unsigned int level;

	if (json->error)
		return false;
	if (!json->depth) {
		if (key || json->done) {
			json->error = -EINVAL;
			return false;
		}
		json->done = true;
		return true;
	}
	level = json->depth - 1;
	if (json->in_object[level] != !!key) {
		json->error = -EINVAL;
		return false;
	}
	if (json->has_members[level])
		kvmintro_json_puts(json, ",");
	json->has_members[level] = true;
	kvmintro_json_indent(json);
	if (key) {
		kvmintro_json_write_string(json, &bytes);
		kvmintro_json_puts(json, ": ");
	}
	return !json->error;
}

static bool kvmintro_json_begin(struct kvmintro_json *json, const char *key)
{
	return kvmintro_json_begin_value(json, key, key ? strlen(key) : 0);
}

static void kvmintro_json_begin_container(struct kvmintro_json *json,
					  const char *key, size_t key_len,
					  bool is_object)
{
	if (!kvmintro_json_begin_value(json, key, key_len))
		return;
	if (json->depth == KVMINTRO_JSON_DEPTH_MAX) {
		json->error = -E2BIG;
		return;
	}
	kvmintro_json_puts(json, is_object ? "{" : "[");
	json->in_object[json->depth] = is_object;
	json->has_members[json->depth] = false;
	json->depth++;
}

static void kvmintro_json_end_container(struct kvmintro_json *json,
					bool is_object)
{
	bool had_members;

	if (json->error)
		return;
	if (!json->depth || json->in_object[json->depth - 1] != is_object) {
		json->error = -EINVAL;
		return;
	}
	had_members = json->has_members[json->depth - 1];
	json->depth--;
	if (had_members)
		kvmintro_json_indent(json);
	kvmintro_json_puts(json, is_object ? "}" : "]");
}

void kvmintro_json_begin_object(struct kvmintro_json *json, const char *key)
{
	kvmintro_json_begin_container(json, key, key ? strlen(key) : 0, true);
}

void kvmintro_json_end_object(struct kvmintro_json *json)
{
	kvmintro_json_end_container(json, true);
}

void kvmintro_json_begin_array(struct kvmintro_json *json, const char *key)
{
	kvmintro_json_begin_container(json, key, key ? strlen(key) : 0, false);
}

void kvmintro_json_end_array(struct kvmintro_json *json)
{
	kvmintro_json_end_container(json, false);
}

void kvmintro_json_string_bytes(struct kvmintro_json *json, const char *key,
				const char *text, size_t length)
{
	struct kvmintro_json_bytes bytes = { text, length, 0, false };

	if (kvmintro_json_begin(json, key))
		kvmintro_json_write_string(json, &bytes);
}

void kvmintro_json_string(struct kvmintro_json *json, const char *key,
			  const char *value)
{
	kvmintro_json_string_bytes(json, key, value, strlen(value));
}

/* Write @value, negative if @negative (an s64 then), as a JSON number. */
static void kvmintro_json_number(struct kvmintro_json *json, u64 value,
				 bool negative)
{
	char text[24];

	if (negative)
		snprintf(text, sizeof(text), "%lld", (long long)value);
	else
		snprintf(text, sizeof(text), "%llu", (unsigned long long)value);
	kvmintro_json_puts(json, text);
}

void kvmintro_json_u64(struct kvmintro_json *json, const char *key,
		       u64 value)
{
	if (kvmintro_json_begin(json, key))
		kvmintro_json_number(json, value, false);
}

void kvmintro_json_s64(struct kvmintro_json *json, const char *key,
		       s64 value)
{
	if (kvmintro_json_begin(json, key))
		kvmintro_json_number(json, value, value < 0);
}

void kvmintro_json_null(struct kvmintro_json *json, const char *key)
{
	if (kvmintro_json_begin(json, key))
		kvmintro_json_puts(json, "null");
}

/* Write @bytes as one string of lowercase hex digits, two per byte. */
void kvmintro_json_hex_string(struct kvmintro_json *json, const char *key,
			      const unsigned char *bytes, size_t length)
{
	static const char digits[] = "0123456789abcdef";
	char text[128];
	size_t i, n = 0;

	if (!kvmintro_json_begin(json, key))
		return;
	kvmintro_json_puts(json, "\"");
	for (i = 0; i < length; i++) {
		text[n++] = digits[bytes[i] >> 4];
		text[n++] = digits[bytes[i] & 0xf];
		if (n == sizeof(text) || i + 1 == length) {
			kvmintro_json_put(json, text, n);
			n = 0;
		}
	}
	kvmintro_json_puts(json, "\"");
}

/**
 * kvmintro_json_finish() - end the document with a newline
 * @json: the writer
 *
 * Return: 0; -EINVAL if the document is incomplete or the writer was
 * misused; -E2BIG if it nests deeper than %KVMINTRO_JSON_DEPTH_MAX; or
 * the error of the function that takes the text.
 */
int kvmintro_json_finish(struct kvmintro_json *json)
{
	if (!json->error && (json->depth || !json->done))
		json->error = -EINVAL;
	kvmintro_json_puts(json, "\n");
	return json->error;
}

/* Whether @key, @key_len bytes, is in @keys, a NULL-terminated list or NULL. */
static bool kvmintro_json_key_in(const char *const *keys, const char *key,
				 size_t key_len)
{
	for (; keys && *keys; keys++) {
		if (strlen(*keys) == key_len && !memcmp(*keys, key, key_len))
			return true;
	}
	return false;
}

/* Write @field as a member of the object being written. */
static void kvmintro_json_field(struct kvmintro_json *json,
				const struct kvmintro_record_field *field,
				const char *const *lists,
				const char *const *page_sizes)
{
	struct kvmintro_json_bytes bytes = { field->value, field->value_len, 0,
					     false };
	size_t end;
	u64 size;

	if (kvmintro_json_key_in(page_sizes, field->key, field->key_len) &&
	    field->type == KVMINTRO_RECORD_WORD &&
	    !kvmintro_parse_page_size(field->value, field->value_len, &size)) {
		if (kvmintro_json_begin_value(json, field->key, field->key_len))
			kvmintro_json_number(json, size, false);
		return;
	}
	if (kvmintro_json_key_in(lists, field->key, field->key_len) &&
	    field->type != KVMINTRO_RECORD_STRING) {
		/* Words joined by commas: an array of strings; "-" is []. */
		kvmintro_json_begin_container(json, field->key, field->key_len,
					      false);
		while (field->type == KVMINTRO_RECORD_WORD &&
		       bytes.pos < field->value_len) {
			for (end = bytes.pos; end < field->value_len &&
			     field->value[end] != ','; end++)
				;
			kvmintro_json_string_bytes(json, NULL,
						   field->value + bytes.pos,
						   end - bytes.pos);
			bytes.pos = end + 1;
		}
		kvmintro_json_end_array(json);
		return;
	}
	if (!kvmintro_json_begin_value(json, field->key, field->key_len))
		return;
	switch (field->type) {
	case KVMINTRO_RECORD_DECIMAL:
	case KVMINTRO_RECORD_HEX:
		kvmintro_json_number(json, field->number, field->negative);
		break;
	case KVMINTRO_RECORD_NONE:
		kvmintro_json_puts(json, "null");
		break;
	case KVMINTRO_RECORD_STRING:
		/* Its bytes, decoded between its quotes. */
		bytes = (struct kvmintro_json_bytes){ field->value,
						      field->value_len - 1, 1,
						      true };
		kvmintro_json_write_string(json, &bytes);
		break;
	case KVMINTRO_RECORD_WORD:
		kvmintro_json_write_string(json, &bytes);
		break;
	}
}

/**
 * kvmintro_json_record_members() - write a record's fields as members
 * @json: the writer, in an object
 * @record: a record from kvmintro_record_parse()
 * @lists: keys whose word is a comma-separated list, NULL-terminated, or
 *	NULL: written as arrays of strings, "-" as []
 * @page_sizes: keys whose word is a page size ("4K", "2M", "1G"),
 *	NULL-terminated, or NULL: written as bytes
 *
 * The record's kind word, if it has one, is "record"; then every field,
 * in the order of the line, under its key: numbers as numbers (in
 * decimal, whatever base the line uses), words and strings as strings
 * (a string's bytes decoded), "-" as null.
 */
void kvmintro_json_record_members(struct kvmintro_json *json,
				  const struct kvmintro_record *record,
				  const char *const *lists,
				  const char *const *page_sizes)
{
	unsigned int i;

	if (record->kind)
		kvmintro_json_string_bytes(json, "record", record->kind,
					   record->kind_len);
	for (i = 0; i < record->nr_fields; i++)
		kvmintro_json_field(json, &record->fields[i], lists, page_sizes);
}
