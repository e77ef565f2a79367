// SPDX-License-Identifier: GPL-2.0
/*
 * What the CLI reads in the values of records that the grammar leaves as
 * words: page sizes ("2M"), times ("<seconds>.<fraction>"), directory
 * names; numbers themselves are read by lib/parse.c, as the module reads
 * them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../lib/parse.h"
#include "parse.h"

struct kvmintro_span kvmintro_span_from_string(const char *string)
{
	return (struct kvmintro_span){ string, strlen(string) };
}

bool kvmintro_span_equals(struct kvmintro_span span, const char *string)
{
	return span.length == strlen(string) &&
	       !memcmp(span.start, string, span.length);
}

/* Take the text up to @separator (or the end) off @rest into @token. */
bool kvmintro_span_next_token(struct kvmintro_span *rest, char separator,
			      struct kvmintro_span *token)
{
	const char *found;

	if (!rest->length)
		return false;
	found = memchr(rest->start, separator, rest->length);
	token->start = rest->start;
	token->length = found ? (size_t)(found - rest->start) : rest->length;
	rest->start += found ? token->length + 1 : token->length;
	rest->length -= found ? token->length + 1 : token->length;
	return true;
}

/* A directory name: printable, no blank or '/', not "." or "..". */
bool kvmintro_is_valid_name(struct kvmintro_span value)
{
	size_t i;

	if (kvmintro_span_equals(value, ".") || kvmintro_span_equals(value, ".."))
		return false;
	for (i = 0; i < value.length; i++) {
		if (value.start[i] <= ' ' || value.start[i] > '~' ||
		    value.start[i] == '/')
			return false;
	}
	return value.length > 0;
}

/* Digits only, read by lib/parse.c; -EINVAL, or -ERANGE past 64 bits. */
int kvmintro_parse_decimal(struct kvmintro_span text, uint64_t *value)
{
	size_t i;

	for (i = 0; i < text.length; i++)
		if (text.start[i] < '0' || text.start[i] > '9')
			return -EINVAL;
	return kvmintro_parse_u64(text.start, text.length, value);
}

/* "4K", "2M", "1G", "64K": a decimal number of KiB, MiB or GiB. */
int kvmintro_parse_page_size(struct kvmintro_span text, uint64_t *bytes)
{
	static const char units[] = "KMG";
	const char *unit;
	unsigned int shift;
	uint64_t number;
	int ret;

	if (!text.length)
		return -EINVAL;
	unit = memchr(units, text.start[text.length - 1], strlen(units));
	if (!unit)
		return -EINVAL;
	text.length--;
	ret = kvmintro_parse_decimal(text, &number);
	if (ret)
		return ret;
	shift = 10 * (unsigned int)(unit - units + 1);
	if (number > UINT64_MAX >> shift)
		return -ERANGE;
	*bytes = number << shift;
	return 0;
}

/* "<seconds>.<fraction>", the fraction 1 to 9 digits. */
int kvmintro_parse_time(struct kvmintro_span text, struct kvmintro_time *time)
{
	const char *dot = memchr(text.start, '.', text.length);
	struct kvmintro_span seconds, fraction;
	uint64_t whole, part;
	size_t i;
	int ret;

	if (!dot)
		return -EINVAL;
	seconds = (struct kvmintro_span){ text.start, dot - text.start };
	fraction = (struct kvmintro_span){ dot + 1,
					   text.length - seconds.length - 1 };
	if (!seconds.length || !fraction.length || fraction.length > 9)
		return -EINVAL;
	ret = kvmintro_parse_decimal(fraction, &part) ?:
	      kvmintro_parse_decimal(seconds, &whole);
	if (ret)
		return ret;
	for (i = fraction.length; i < 9; i++)
		part *= 10;
	time->seconds = whole;
	time->nanoseconds = (uint32_t)part;
	return 0;
}

/* Say in @error what is wrong, like printf(); return @err. */
int kvmintro_parse_fail(struct kvmintro_parse_error *error, int err,
			const char *format, ...)
{
	va_list arguments;

	va_start(arguments, format);
	vsnprintf(error->message, sizeof(error->message), format, arguments);
	va_end(arguments);
	return err;
}
