// SPDX-License-Identifier: GPL-2.0
/*
 * A strict JSON checker (RFC 8259) for the tests: one value, optional
 * white space around it, strings of valid UTF-8 with valid escapes and no
 * lone surrogates, numbers in JSON's own syntax. Written apart from the
 * CLI's writer so that it does not share its mistakes.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli_json_check.h"
#include "cli_tap.h"

#define CLI_JSON_DEPTH_MAX 64

struct cli_json_reader {
	const unsigned char *text;
	size_t length;
	size_t position;
	unsigned int depth;
	const char *error;
};

static bool cli_json_value(struct cli_json_reader *reader);

static bool cli_json_fail(struct cli_json_reader *reader, const char *error)
{
	if (!reader->error)
		reader->error = error;
	return false;
}

static int cli_json_peek(const struct cli_json_reader *reader)
{
	return reader->position < reader->length ?
		       reader->text[reader->position] : -1;
}

static void cli_json_skip_space(struct cli_json_reader *reader)
{
	int c;

	while ((c = cli_json_peek(reader)) == ' ' || c == '\t' || c == '\n' ||
	       c == '\r')
		reader->position++;
}

static bool cli_json_expect(struct cli_json_reader *reader, char expected)
{
	if (cli_json_peek(reader) != (unsigned char)expected)
		return cli_json_fail(reader, "unexpected character");
	reader->position++;
	return true;
}

static bool cli_json_literal(struct cli_json_reader *reader, const char *word)
{
	size_t length = strlen(word);

	if (reader->length - reader->position < length ||
	    memcmp(reader->text + reader->position, word, length))
		return cli_json_fail(reader, "bad literal");
	reader->position += length;
	return true;
}

static bool cli_json_digits(struct cli_json_reader *reader)
{
	size_t start = reader->position;
	int c;

	while ((c = cli_json_peek(reader)) >= '0' && c <= '9')
		reader->position++;
	return reader->position > start ||
	       cli_json_fail(reader, "digit expected");
}

static bool cli_json_number(struct cli_json_reader *reader)
{
	int c;

	if (cli_json_peek(reader) == '-')
		reader->position++;
	if (cli_json_peek(reader) == '0')
		reader->position++;
	else if (!cli_json_digits(reader))
		return false;
	if (cli_json_peek(reader) == '.') {
		reader->position++;
		if (!cli_json_digits(reader))
			return false;
	}
	c = cli_json_peek(reader);
	if (c == 'e' || c == 'E') {
		reader->position++;
		c = cli_json_peek(reader);
		if (c == '+' || c == '-')
			reader->position++;
		if (!cli_json_digits(reader))
			return false;
	}
	return true;
}

/* Read the four hex digits of a \u escape. */
static bool cli_json_hex4(struct cli_json_reader *reader, unsigned int *value)
{
	unsigned int i;

	*value = 0;
	for (i = 0; i < 4; i++) {
		int c = cli_json_peek(reader);
		unsigned int digit;

		if (c >= '0' && c <= '9')
			digit = c - '0';
		else if (c >= 'a' && c <= 'f')
			digit = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			digit = c - 'A' + 10;
		else
			return cli_json_fail(reader, "bad \\u escape");
		*value = *value << 4 | digit;
		reader->position++;
	}
	return true;
}

static bool cli_json_unicode_escape(struct cli_json_reader *reader)
{
	unsigned int unit, low;

	if (!cli_json_hex4(reader, &unit))
		return false;
	if (unit >= 0xdc00 && unit <= 0xdfff)
		return cli_json_fail(reader, "lone low surrogate");
	if (unit < 0xd800 || unit > 0xdbff)
		return true;
	if (!cli_json_expect(reader, '\\') || !cli_json_expect(reader, 'u') ||
	    !cli_json_hex4(reader, &low))
		return cli_json_fail(reader, "lone high surrogate");
	if (low < 0xdc00 || low > 0xdfff)
		return cli_json_fail(reader, "lone high surrogate");
	return true;
}

static bool cli_json_escape(struct cli_json_reader *reader)
{
	int c = cli_json_peek(reader);

	reader->position++;
	if (c == 'u')
		return cli_json_unicode_escape(reader);
	if (c < 0 || !strchr("\"\\/bfnrt", c))
		return cli_json_fail(reader, "bad escape");
	return true;
}

/* Skip one UTF-8 encoded character that is not ASCII. */
static bool cli_json_utf8(struct cli_json_reader *reader)
{
	const unsigned char *bytes = reader->text + reader->position;
	size_t left = reader->length - reader->position;
	uint32_t code_point;
	size_t needed, i;

	if (bytes[0] >= 0xc0 && bytes[0] <= 0xdf)
		needed = 2, code_point = bytes[0] & 0x1f;
	else if (bytes[0] >= 0xe0 && bytes[0] <= 0xef)
		needed = 3, code_point = bytes[0] & 0x0f;
	else if (bytes[0] >= 0xf0 && bytes[0] <= 0xf7)
		needed = 4, code_point = bytes[0] & 0x07;
	else
		return cli_json_fail(reader, "bad UTF-8 lead byte");
	if (left < needed)
		return cli_json_fail(reader, "truncated UTF-8");
	for (i = 1; i < needed; i++) {
		if ((bytes[i] & 0xc0) != 0x80)
			return cli_json_fail(reader, "bad UTF-8 continuation");
		code_point = code_point << 6 | (bytes[i] & 0x3f);
	}
	if ((needed == 2 && code_point < 0x80) ||
	    (needed == 3 && code_point < 0x800) ||
	    (needed == 4 && code_point < 0x10000) || code_point > 0x10ffff ||
	    (code_point >= 0xd800 && code_point <= 0xdfff))
		return cli_json_fail(reader, "overlong or invalid UTF-8");
	reader->position += needed;
	return true;
}

static bool cli_json_string(struct cli_json_reader *reader)
{
	int c;

	if (!cli_json_expect(reader, '"'))
		return false;
	for (;;) {
		c = cli_json_peek(reader);
		if (c < 0)
			return cli_json_fail(reader, "unterminated string");
		if (c == '"') {
			reader->position++;
			return true;
		}
		if (c < 0x20)
			return cli_json_fail(reader, "control character in string");
		if (c == '\\') {
			reader->position++;
			if (!cli_json_escape(reader))
				return false;
		} else if (c >= 0x80) {
			if (!cli_json_utf8(reader))
				return false;
		} else {
			reader->position++;
		}
	}
}

/* Read the members of an object or array, up to @close. */
static bool cli_json_members(struct cli_json_reader *reader, char close,
			     bool keyed)
{
	cli_json_skip_space(reader);
	if (cli_json_peek(reader) == close) {
		reader->position++;
		return true;
	}
	for (;;) {
		cli_json_skip_space(reader);
		if (keyed) {
			if (!cli_json_string(reader))
				return false;
			cli_json_skip_space(reader);
			if (!cli_json_expect(reader, ':'))
				return false;
		}
		if (!cli_json_value(reader))
			return false;
		cli_json_skip_space(reader);
		if (cli_json_peek(reader) == close) {
			reader->position++;
			return true;
		}
		if (!cli_json_expect(reader, ','))
			return false;
	}
}

static bool cli_json_container(struct cli_json_reader *reader, char close,
			       bool keyed)
{
	bool valid;

	if (++reader->depth > CLI_JSON_DEPTH_MAX)
		return cli_json_fail(reader, "nested too deep");
	reader->position++;
	valid = cli_json_members(reader, close, keyed);
	reader->depth--;
	return valid;
}

static bool cli_json_value(struct cli_json_reader *reader)
{
	int c;

	cli_json_skip_space(reader);
	c = cli_json_peek(reader);
	switch (c) {
	case '{':
		return cli_json_container(reader, '}', true);
	case '[':
		return cli_json_container(reader, ']', false);
	case '"':
		return cli_json_string(reader);
	case 't':
		return cli_json_literal(reader, "true");
	case 'f':
		return cli_json_literal(reader, "false");
	case 'n':
		return cli_json_literal(reader, "null");
	}
	if (c == '-' || (c >= '0' && c <= '9'))
		return cli_json_number(reader);
	return cli_json_fail(reader, "value expected");
}

/*
 * Return whether @text is one valid JSON value. If not, write why and at
 * which byte into @why.
 */
bool cli_json_check(const char *text, size_t length, char *why,
		    size_t why_size)
{
	struct cli_json_reader reader = {
		.text = (const unsigned char *)text,
		.length = length,
	};

	if (cli_json_value(&reader)) {
		cli_json_skip_space(&reader);
		if (reader.position == reader.length)
			return true;
		cli_json_fail(&reader, "text after the value");
	}
	snprintf(why, why_size, "%s at byte %zu", reader.error,
		 reader.position);
	return false;
}

/* Report, as the check named @name, whether @text is valid JSON. */
bool cli_json_expect_valid(const char *text, const char *name)
{
	char why[128] = "";
	bool valid = text && cli_json_check(text, strlen(text), why,
					    sizeof(why));

	CLI_EXPECT(valid, "%s: valid JSON", name);
	if (!valid)
		printf("#   %s\n", why);
	return valid;
}
