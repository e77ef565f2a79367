// SPDX-License-Identifier: GPL-2.0
/*
 * What the CLI reads in the values of records that the grammar leaves as
 * words: page sizes ("2M"), times ("<seconds>.<fraction>"), directory
 * names; and the numbers users type on the command line: addresses,
 * lengths, counts.  Numbers and addresses are read by lib/parse.c, as the
 * module reads them; lengths may also end in K or M.  Anything else is
 * refused, never half-read.
 */
#include "kvmintro.h"

#include <stdarg.h>

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

/*
 * Parse a whole number: decimal, or hex after 0x or 0X, as the module's
 * files take it (kvmintro_parse_u64()). Return -EINVAL if @text is not
 * one, -ERANGE if it does not fit in 64 bits.
 */
int kvmintro_parse_number_argument(const char *text, uint64_t *value)
{
	return kvmintro_parse_u64(text, strlen(text), value);
}

/*
 * Parse a guest physical address as the module's translate file takes it
 * (kvmintro_parse_address()): a number, "gpa=" and a number, or "gfn="
 * and a guest frame number. Return -EINVAL if @text is not one, -ERANGE if
 * it is beyond the 52 bits of guest physical addresses; the module would
 * take a gpa= beyond them, to answer that no memslot holds it.
 */
int kvmintro_parse_address_argument(const char *text, uint64_t *gpa)
{
	uint64_t value;
	int ret;

	ret = kvmintro_parse_address(text, strlen(text), &value);
	if (ret)
		return ret;
	if (value >> KVMINTRO_GPA_BITS)
		return -ERANGE;
	*gpa = value;
	return 0;
}

/*
 * Parse a length in bytes: a number (see kvmintro_parse_number_argument()),
 * optionally followed by K or M (KiB, MiB; either case). Return -EINVAL or
 * -ERANGE like the numbers.
 */
int kvmintro_parse_length_argument(const char *text, uint64_t *bytes)
{
	size_t length = strlen(text);
	unsigned int shift = 0;
	char number[64];
	uint64_t value;
	int ret;

	if (length && strchr("kK", text[length - 1]))
		shift = 10;
	else if (length && strchr("mM", text[length - 1]))
		shift = 20;
	if (shift)
		length--;
	if (length >= sizeof(number))
		return -ERANGE;
	memcpy(number, text, length);
	number[length] = '\0';
	ret = kvmintro_parse_number_argument(number, &value);
	if (ret)
		return ret;
	if (value > UINT64_MAX >> shift)
		return -ERANGE;
	*bytes = value << shift;
	return 0;
}
