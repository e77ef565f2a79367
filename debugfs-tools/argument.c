// SPDX-License-Identifier: GPL-2.0
/*
 * Numbers users type on the command line: addresses, lengths, counts.
 * Numbers and addresses are read by lib/parse.c, as the module reads them;
 * lengths may also end in K or M.  Anything else is refused, never
 * half-read.
 */
#include <errno.h>
#include <string.h>

#include "argument.h"

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
