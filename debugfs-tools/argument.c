// SPDX-License-Identifier: GPL-2.0
/*
 * Numbers users type on the command line: addresses, lengths, counts.
 * Friendlier than the module's formats (either case of 0x, a gfn=, K and M
 * suffixes), but as strict: anything else is refused, never half-read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "argument.h"
#include "parse.h"

/*
 * Parse a whole number: decimal, or hex after 0x or 0X. Return -EINVAL if
 * @text is not one, -ERANGE if it does not fit in 64 bits, -ENOMEM.
 */
int kvmintro_parse_number_argument(const char *text, uint64_t *value)
{
	struct kvmintro_span span = kvmintro_span_from_string(text);
	char *lowercase;
	int ret;

	if (span.length < 2 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
		return kvmintro_parse_decimal(span, value);
	if (text[1] == 'x')
		return kvmintro_parse_hex(span, value);
	lowercase = strdup(text);
	if (!lowercase)
		return -ENOMEM;
	lowercase[1] = 'x';
	ret = kvmintro_parse_hex(kvmintro_span_from_string(lowercase), value);
	free(lowercase);
	return ret;
}

/*
 * Parse a guest physical address: a number (see
 * kvmintro_parse_number_argument()), "gpa=" and a number, or "gfn=" and a
 * guest frame number. Return -EINVAL if @text is not one, -ERANGE if it is
 * beyond the 52 bits of guest physical addresses.
 */
int kvmintro_parse_address_argument(const char *text, uint64_t *gpa)
{
	bool frame = !strncmp(text, "gfn=", 4);
	uint64_t value;
	int ret;

	if (frame || !strncmp(text, "gpa=", 4))
		text += 4;
	ret = kvmintro_parse_number_argument(text, &value);
	if (ret)
		return ret;
	if (frame)
		value <<= KVMINTRO_PAGE_SHIFT;
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
