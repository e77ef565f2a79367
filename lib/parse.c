// SPDX-License-Identifier: GPL-2.0
/*
 * Parsers of user input.  Input is a byte buffer that need not be NUL
 * terminated and may hold anything.
 */
#include "parse.h"

static bool kvmintro_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* Trim leading and trailing blanks of [*buf, *buf + *len). */
static void kvmintro_trim(const char **buf, size_t *len)
{
	while (*len && kvmintro_is_space(**buf)) {
		(*buf)++;
		(*len)--;
	}
	while (*len && kvmintro_is_space((*buf)[*len - 1]))
		(*len)--;
}

/**
 * kvmintro_parse_snapshot_command() - parse a write to the snapshot file
 * @buf: the bytes written
 * @len: how many
 *
 * Return: one enum kvmintro_snapshot_command for exactly "pause", "resume"
 * or "capture" (blanks around allowed), else -EINVAL.
 */
int kvmintro_parse_snapshot_command(const char *buf, size_t len)
{
	static const char *const words[] = {
		[KVMINTRO_SNAPSHOT_PAUSE] = "pause",
		[KVMINTRO_SNAPSHOT_RESUME] = "resume",
		[KVMINTRO_SNAPSHOT_CAPTURE] = "capture",
	};
	size_t i;

	if (len >= KVMINTRO_COMMAND_MAX)
		return -EINVAL;
	kvmintro_trim(&buf, &len);
	for (i = 0; i < ARRAY_SIZE(words); i++) {
		if (len == strlen(words[i]) && !memcmp(buf, words[i], len))
			return i;
	}
	return -EINVAL;
}

/* The value of hex digit @c, or -1. */
int kvmintro_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/**
 * kvmintro_parse_digits() - parse a whole number of a given base
 * @buf: the digits, exactly (no blanks, no prefix)
 * @len: how many bytes
 * @base: 10 or 16 (hex digits in either case)
 * @value: the number
 *
 * Return: 0; -ERANGE for digits whose number does not fit in 64 bits;
 * -EINVAL for anything else, no digit included.
 */
int kvmintro_parse_digits(const char *buf, size_t len, unsigned int base,
			  u64 *value)
{
	bool overflow = false;
	int digit;
	u64 v = 0;
	size_t i;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		digit = kvmintro_hex_digit(buf[i]);
		if (digit < 0 || (unsigned int)digit >= base)
			return -EINVAL;
		if (v > (~(u64)0 - digit) / base)
			overflow = true;
		v = v * base + digit;
	}
	if (overflow)
		return -ERANGE;
	*value = v;
	return 0;
}

/**
 * kvmintro_parse_u64() - parse a whole number: decimal, or hex with 0x
 * @buf: the digits, exactly (no blanks)
 * @len: how many bytes
 * @value: the number
 *
 * Return: 0; -ERANGE for digits whose number does not fit in 64 bits;
 * -EINVAL for anything else.
 */
int kvmintro_parse_u64(const char *buf, size_t len, u64 *value)
{
	if (len > 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X'))
		return kvmintro_parse_digits(buf + 2, len - 2, 16, value);
	return kvmintro_parse_digits(buf, len, 10, value);
}

/**
 * kvmintro_parse_page_size() - parse a page size word, as the records have it
 * @buf: the word, like "4K", "2M", "1G" or "64K": a decimal number of KiB,
 *	MiB or GiB (kvmintro_record_size_word() writes them)
 * @len: its length
 * @bytes: the size in bytes
 *
 * Return: 0; -ERANGE if it does not fit in 64 bits; -EINVAL for anything
 * else.
 */
int kvmintro_parse_page_size(const char *buf, size_t len, u64 *bytes)
{
	static const char units[] = "KMG";
	const char *unit;
	unsigned int shift;
	u64 number;
	int ret;

	if (!len)
		return -EINVAL;
	unit = memchr(units, buf[len - 1], strlen(units));
	if (!unit)
		return -EINVAL;
	ret = kvmintro_parse_digits(buf, len - 1, 10, &number);
	if (ret)
		return ret;
	shift = 10 * (unsigned int)(unit - units + 1);
	if (number > ~(u64)0 >> shift)
		return -ERANGE;
	*bytes = number << shift;
	return 0;
}

/**
 * kvmintro_parse_time() - parse a time as the snapshot file writes it
 * @buf: "<seconds>.<fraction>", the fraction 1 to 9 digits
 * @len: its length
 * @seconds: the whole seconds
 * @nanoseconds: the fraction, in nanoseconds
 *
 * Return: 0; -ERANGE if the seconds do not fit in 64 bits; -EINVAL for
 * anything else.
 */
int kvmintro_parse_time(const char *buf, size_t len, u64 *seconds,
			u32 *nanoseconds)
{
	const char *dot = memchr(buf, '.', len);
	size_t whole_len, fraction_len, i;
	u64 whole, part;
	int ret;

	if (!dot)
		return -EINVAL;
	whole_len = dot - buf;
	fraction_len = len - whole_len - 1;
	if (!whole_len || !fraction_len || fraction_len > 9)
		return -EINVAL;
	ret = kvmintro_parse_digits(dot + 1, fraction_len, 10, &part) ?:
	      kvmintro_parse_digits(buf, whole_len, 10, &whole);
	if (ret)
		return ret;
	for (i = fraction_len; i < 9; i++)
		part *= 10;
	*seconds = whole;
	*nanoseconds = part;
	return 0;
}

/*
 * The next blank-separated token of [buf, buf + len) from *@pos: set @tok
 * and @n and advance *@pos past it.  Return: false at the end.
 */
static bool kvmintro_next_token(const char *buf, size_t len, size_t *pos,
				const char **tok, size_t *n)
{
	size_t start = *pos, end;

	while (start < len && kvmintro_is_space(buf[start]))
		start++;
	if (start == len)
		return false;
	end = start;
	while (end < len && !kvmintro_is_space(buf[end]))
		end++;
	*tok = buf + start;
	*n = end - start;
	*pos = end;
	return true;
}

/**
 * kvmintro_parse_address() - parse one guest physical address
 * @buf: "0x1234", "4660", "gpa=0x1234" or "gfn=0x1" (a guest frame number),
 *	exactly (no blanks)
 * @len: how many bytes
 * @gpa: the address
 *
 * Return: 0; -ERANGE for a number beyond 64 bits or a frame beyond the
 * 52 bits of a guest physical address; -EINVAL for anything else.
 */
int kvmintro_parse_address(const char *buf, size_t len, u64 *gpa)
{
	bool gfn = false;
	u64 v;
	int ret;

	if (len > 4 && !memcmp(buf, "gfn=", 4)) {
		gfn = true;
		buf += 4;
		len -= 4;
	} else if (len > 4 && !memcmp(buf, "gpa=", 4)) {
		buf += 4;
		len -= 4;
	}
	ret = kvmintro_parse_u64(buf, len, &v);
	if (ret)
		return ret;
	/* Check before the shift, which would drop the bits beyond. */
	if (gfn && v >> (KVMINTRO_GPA_BITS - KVMINTRO_PAGE_SHIFT))
		return -ERANGE;
	*gpa = gfn ? v << KVMINTRO_PAGE_SHIFT : v;
	return 0;
}

/**
 * kvmintro_parse_addresses() - parse a write to the translate file
 * @buf: the bytes written
 * @len: how many
 * @gpas: the guest physical addresses, in order
 * @max: room in @gpas
 *
 * Return: how many addresses (at least one), or -EINVAL.
 */
int kvmintro_parse_addresses(const char *buf, size_t len, u64 *gpas, int max)
{
	size_t pos = 0, tok_len;
	const char *tok;
	int n = 0;

	if (len > KVMINTRO_TRANSLATE_INPUT_MAX)
		return -EINVAL;
	while (kvmintro_next_token(buf, len, &pos, &tok, &tok_len)) {
		if (n == max || kvmintro_parse_address(tok, tok_len, &gpas[n]))
			return -EINVAL;
		n++;
	}
	return n ? n : -EINVAL;
}

/**
 * kvmintro_parse_stage2_request() - parse a write to the stage2 file
 * @buf: the bytes written
 * @len: how many
 * @gpas: the guest physical addresses, in order
 * @max: room in @gpas
 *
 * Addresses as the translate file takes them, or the single word
 * "summary" (back to the summary of all leaves).
 *
 * Return: how many addresses, 0 for "summary", or -EINVAL.
 */
int kvmintro_parse_stage2_request(const char *buf, size_t len, u64 *gpas,
				  int max)
{
	const char *tok;
	size_t pos = 0, n;

	if (kvmintro_next_token(buf, len, &pos, &tok, &n) && n == 7 &&
	    !memcmp(tok, "summary", 7))
		return kvmintro_next_token(buf, len, &pos, &tok, &n) ?
		       -EINVAL : 0;
	return kvmintro_parse_addresses(buf, len, gpas, max);
}

/* The override of @overrides whose "key=" starts @tok, or -1. */
static int kvmintro_gva_override_find(const char *tok, size_t n,
				      const struct kvmintro_gva_override *overrides,
				      unsigned int nr_overrides)
{
	unsigned int i;
	size_t key_len;

	for (i = 0; i < nr_overrides; i++) {
		key_len = strlen(overrides[i].key);
		if (n > key_len + 1 && !memcmp(tok, overrides[i].key, key_len) &&
		    tok[key_len] == '=')
			return i;
	}
	return -1;
}

/**
 * kvmintro_parse_gva_request() - parse "<gva> [vcpu=<n>] [<key>=<value>]..."
 * @buf: the bytes written
 * @len: how many
 * @overrides: the registers the architecture lets a request override
 *	(x86: cr3; arm64: ttbr0, ttbr1, tcr)
 * @nr_overrides: how many, at most KVMINTRO_GVA_MAX_OVERRIDES
 * @request: the result
 *
 * Return: 0, or -EINVAL (each option at most once, nothing else; a vcpu
 * index beyond 32 bits, the width KVM's indexes have; an override's value
 * beyond its bits, e.g. a cr3 beyond the 52 bits of a guest physical
 * address).
 */
int kvmintro_parse_gva_request(const char *buf, size_t len,
			       const struct kvmintro_gva_override *overrides,
			       unsigned int nr_overrides,
			       struct kvmintro_gva_request *request)
{
	bool has_gva = false, has_vcpu = false;
	unsigned int bits;
	size_t pos = 0, n, key_len;
	const char *tok;
	int i;

	if (len >= KVMINTRO_GVA_REQUEST_MAX ||
	    nr_overrides > KVMINTRO_GVA_MAX_OVERRIDES)
		return -EINVAL;
	memset(request, 0, sizeof(*request));
	while (kvmintro_next_token(buf, len, &pos, &tok, &n)) {
		i = kvmintro_gva_override_find(tok, n, overrides, nr_overrides);
		if (n > 5 && !memcmp(tok, "vcpu=", 5) && !has_vcpu) {
			has_vcpu = true;
			if (kvmintro_parse_u64(tok + 5, n - 5, &request->vcpu) ||
			    request->vcpu > KVMINTRO_VCPU_INDEX_MAX)
				return -EINVAL;
		} else if (i >= 0 && !(request->given & (1U << i))) {
			request->given |= 1U << i;
			key_len = strlen(overrides[i].key) + 1;
			bits = overrides[i].bits;
			if (kvmintro_parse_u64(tok + key_len, n - key_len,
					       &request->value[i]) ||
			    (bits < 64 && request->value[i] >> bits))
				return -EINVAL;
		} else if (!has_gva) {
			has_gva = true;
			if (kvmintro_parse_u64(tok, n, &request->gva))
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}
	return has_gva ? 0 : -EINVAL;
}
