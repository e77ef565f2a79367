// SPDX-License-Identifier: GPL-2.0
/*
 * A small streaming JSON writer. Whatever bytes it is given, it writes valid
 * JSON (RFC 8259): strings are escaped, and bytes that are not UTF-8 become
 * U+FFFD. Misuse (a key inside an array, unbalanced ends) is caught and
 * reported by kvmintro_json_finish() instead of writing broken text.
 */
#include "kvmintro.h"

void kvmintro_json_init(struct kvmintro_json *json, FILE *out)
{
	memset(json, 0, sizeof(*json));
	json->out = out;
}

static void kvmintro_json_indent(struct kvmintro_json *json)
{
	unsigned int i;

	fputc('\n', json->out);
	for (i = 0; i < json->depth; i++)
		fputs("  ", json->out);
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

	if (c < sizeof(short_forms) && short_forms[c])
		fprintf(json->out, "\\%c", short_forms[c]);
	else
		fprintf(json->out, "\\u%04x", c);
}

static void kvmintro_json_write_string(struct kvmintro_json *json,
				       const char *text, size_t length)
{
	const unsigned char *bytes = (const unsigned char *)text;
	size_t i = 0, sequence;

	fputc('"', json->out);
	while (i < length) {
		if (bytes[i] == '"' || bytes[i] == '\\') {
			fputc('\\', json->out);
			fputc(bytes[i++], json->out);
		} else if (bytes[i] < 0x20 || bytes[i] == 0x7f) {
			kvmintro_json_write_control(json, bytes[i++]);
		} else if (bytes[i] < 0x80) {
			fputc(bytes[i++], json->out);
		} else {
			sequence = kvmintro_utf8_sequence_length(bytes + i,
								 length - i);
			if (sequence) {
				fwrite(bytes + i, 1, sequence, json->out);
				i += sequence;
			} else {
				fputs("\\ufffd", json->out);
				i++;
			}
		}
	}
	fputc('"', json->out);
}

/*
 * Write what goes before a value: the comma after the previous member, the
 * indentation and the key. Return false if the value must not be written.
 */
static bool kvmintro_json_begin_value(struct kvmintro_json *json,
				      const char *key)
{
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
		fputc(',', json->out);
	json->has_members[level] = true;
	kvmintro_json_indent(json);
	if (key) {
		kvmintro_json_write_string(json, key, strlen(key));
		fputs(": ", json->out);
	}
	return true;
}

static void kvmintro_json_begin_container(struct kvmintro_json *json,
					  const char *key, bool is_object)
{
	if (!kvmintro_json_begin_value(json, key))
		return;
	if (json->depth == KVMINTRO_JSON_DEPTH_MAX) {
		json->error = -E2BIG;
		return;
	}
	fputc(is_object ? '{' : '[', json->out);
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
	fputc(is_object ? '}' : ']', json->out);
}

void kvmintro_json_begin_object(struct kvmintro_json *json, const char *key)
{
	kvmintro_json_begin_container(json, key, true);
}

void kvmintro_json_end_object(struct kvmintro_json *json)
{
	kvmintro_json_end_container(json, true);
}

void kvmintro_json_begin_array(struct kvmintro_json *json, const char *key)
{
	kvmintro_json_begin_container(json, key, false);
}

void kvmintro_json_end_array(struct kvmintro_json *json)
{
	kvmintro_json_end_container(json, false);
}

void kvmintro_json_string_bytes(struct kvmintro_json *json, const char *key,
				const char *bytes, size_t length)
{
	if (kvmintro_json_begin_value(json, key))
		kvmintro_json_write_string(json, bytes, length);
}

void kvmintro_json_string(struct kvmintro_json *json, const char *key,
			  const char *value)
{
	kvmintro_json_string_bytes(json, key, value, strlen(value));
}

void kvmintro_json_u64(struct kvmintro_json *json, const char *key,
		       uint64_t value)
{
	if (kvmintro_json_begin_value(json, key))
		fprintf(json->out, "%" PRIu64, value);
}

void kvmintro_json_s64(struct kvmintro_json *json, const char *key,
		       int64_t value)
{
	if (kvmintro_json_begin_value(json, key))
		fprintf(json->out, "%" PRId64, value);
}

void kvmintro_json_null(struct kvmintro_json *json, const char *key)
{
	if (kvmintro_json_begin_value(json, key))
		fputs("null", json->out);
}

/* Write @bytes as one string of lowercase hex digits, two per byte. */
void kvmintro_json_hex_string(struct kvmintro_json *json, const char *key,
			      const unsigned char *bytes, size_t length)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	if (!kvmintro_json_begin_value(json, key))
		return;
	fputc('"', json->out);
	for (i = 0; i < length; i++) {
		fputc(digits[bytes[i] >> 4], json->out);
		fputc(digits[bytes[i] & 0xf], json->out);
	}
	fputc('"', json->out);
}

/*
 * End the document with a newline. Return 0, -EINVAL if it is incomplete or
 * was misused, or -EIO if the stream failed.
 */
int kvmintro_json_finish(struct kvmintro_json *json)
{
	if (!json->error && (json->depth || !json->done))
		json->error = -EINVAL;
	if (json->error)
		return json->error;
	fputc('\n', json->out);
	if (ferror(json->out))
		return -EIO;
	return 0;
}
