// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lib/record.c: what the writer writes, that the reader reads
 * it back (every type, every escape, every byte), the writer's limits, and
 * that the reader refuses every malformed line.  Each line is parsed from a
 * copy of exactly its length, so that ASan catches a read past its end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksft.h"

#include "../../lib/record.h"

#define FIELDS_MAX 16


static void check(const char *name, bool ok)
{
	ksft_test_result(ok, "%s", name);
}

static char *copy;
static struct kvmintro_record_field fields[FIELDS_MAX];

/* Parse @len bytes of @line from a copy of exactly that length. */
static int parse(const char *line, size_t len, struct kvmintro_record *record)
{
	free(copy);
	copy = malloc(len ? len : 1);
	memcpy(copy, line, len);
	return kvmintro_record_parse(copy, len, record, fields, FIELDS_MAX);
}

static int parse_string(const char *line, struct kvmintro_record *record)
{
	return parse(line, strlen(line), record);
}

static bool field_is(const struct kvmintro_record_field *field,
		     const char *key, enum kvmintro_record_type type,
		     const char *value)
{
	return field && field->key_len == strlen(key) &&
	       !memcmp(field->key, key, field->key_len) &&
	       field->type == type && field->value_len == strlen(value) &&
	       !memcmp(field->value, value, field->value_len);
}

/* Write @len bytes as a string, read them back: the same bytes? */
static bool string_round_trips(const char *bytes, size_t len)
{
	char buf[4 * 256 + 16], decoded[257];
	struct kvmintro_record_writer writer;
	struct kvmintro_record record;
	int written, ret;

	kvmintro_record_begin(&writer, buf, sizeof(buf), NULL);
	kvmintro_record_string(&writer, "s", bytes, len);
	written = kvmintro_record_end(&writer);
	if (written < 0 || parse(buf, written, &record) ||
	    record.nr_fields != 1 ||
	    fields[0].type != KVMINTRO_RECORD_STRING)
		return false;
	ret = kvmintro_record_decode_string(&fields[0], decoded,
					    sizeof(decoded));
	return ret == (int)len && !memcmp(decoded, bytes, len) &&
	       decoded[len] == '\0';
}

static void test_writer(void)
{
	struct kvmintro_record_writer writer;
	char buf[256];
	int len;

	kvmintro_record_begin(&writer, buf, sizeof(buf), "ok");
	kvmintro_record_u64(&writer, "pid", 1234);
	kvmintro_record_hex(&writer, "gpa", 0x1000);
	kvmintro_record_word(&writer, "size", "4K");
	kvmintro_record_none(&writer, "hpa");
	kvmintro_record_string(&writer, "pattern", "Linux version", 13);
	len = kvmintro_record_end(&writer);
	check("writer: kind, then one field of each type",
	      len == (int)strlen(buf) &&
	      !strcmp(buf, "ok pid=1234 gpa=0x1000 size=4K hpa=- pattern=\"Linux version\"\n"));

	kvmintro_record_begin(&writer, buf, sizeof(buf), NULL);
	kvmintro_record_u64(&writer, "max", ~0ULL);
	kvmintro_record_hex(&writer, "zero", 0);
	kvmintro_record_hex(&writer, "all", ~0ULL);
	kvmintro_record_u64(&writer, "nil", 0);
	len = kvmintro_record_end(&writer);
	check("writer: no kind; 0 and the largest numbers",
	      len > 0 && !strcmp(buf, "max=18446744073709551615 zero=0x0 all=0xffffffffffffffff nil=0\n"));

	kvmintro_record_begin(&writer, buf, sizeof(buf), "stop");
	check("writer: a kind alone is a record",
	      kvmintro_record_end(&writer) == 5 && !strcmp(buf, "stop\n"));

	kvmintro_record_begin(&writer, buf, sizeof(buf), NULL);
	check("writer: no kind and no field is no record",
	      kvmintro_record_end(&writer) == -EINVAL);
}

/* Write @value in decimal and in hex: what snprintf() writes? */
static bool number_matches_snprintf(unsigned long long value)
{
	struct kvmintro_record_writer writer;
	char buf[96], expected[96];
	int len;

	kvmintro_record_begin(&writer, buf, sizeof(buf), NULL);
	kvmintro_record_u64(&writer, "n", value);
	kvmintro_record_hex(&writer, "h", value);
	len = kvmintro_record_end(&writer);
	snprintf(expected, sizeof(expected), "n=%llu h=0x%llx\n", value, value);
	return len == (int)strlen(expected) && !strcmp(buf, expected);
}

/*
 * Numbers are written by hand, two digits a step: against snprintf() for
 * 0, the largest, every power of 2 and of 10 and their neighbours (every
 * count of digits, odd and even), and pseudo-random values.
 */
static void test_numbers(void)
{
	unsigned long long value, x = 0x9e3779b97f4a7c15ULL;
	bool all = number_matches_snprintf(0) &&
		   number_matches_snprintf(~0ULL) &&
		   number_matches_snprintf(~0ULL - 1);
	unsigned int i;

	for (i = 0; i < 64; i++) {
		value = 1ULL << i;
		all &= number_matches_snprintf(value) &&
		       number_matches_snprintf(value - 1) &&
		       number_matches_snprintf(value + 1) &&
		       number_matches_snprintf(value | (value - 1));
	}
	for (value = 1; value <= 10000000000000000000ULL; value *= 10) {
		all &= number_matches_snprintf(value) &&
		       number_matches_snprintf(value - 1) &&
		       number_matches_snprintf(value + 1);
		if (value == 10000000000000000000ULL)
			break;
	}
	for (i = 0; i < 100000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* Every length: shift the value right by 0 to 63 bits. */
		all &= number_matches_snprintf(x >> (i % 64));
	}
	check("writer: numbers as snprintf() writes them, 0 to the largest",
	      all);
}

/* Write @value as a signed decimal: what snprintf() writes, read back? */
static bool signed_matches_snprintf(long long value)
{
	struct kvmintro_record_writer writer;
	struct kvmintro_record record;
	char buf[64], expected[64];
	int len;

	kvmintro_record_begin(&writer, buf, sizeof(buf), NULL);
	kvmintro_record_s64(&writer, "n", value);
	len = kvmintro_record_end(&writer);
	snprintf(expected, sizeof(expected), "n=%lld\n", value);
	return len == (int)strlen(expected) && !strcmp(buf, expected) &&
	       !parse(buf, len, &record) &&
	       fields[0].type == KVMINTRO_RECORD_DECIMAL &&
	       fields[0].negative == (value < 0) &&
	       (long long)fields[0].number == value;
}

/*
 * Signed decimals (arm64's level -1): against snprintf() and back through
 * the reader, from the most negative s64 to the largest, every power of
 * 10 and its neighbours on both sides of 0.
 */
static void test_signed_numbers(void)
{
	bool all = signed_matches_snprintf(0) &&
		   signed_matches_snprintf(-1) &&
		   signed_matches_snprintf(INT64_MIN) &&
		   signed_matches_snprintf(INT64_MIN + 1) &&
		   signed_matches_snprintf(INT64_MAX);
	long long value;

	for (value = 1;; value *= 10) {
		all &= signed_matches_snprintf(-value) &&
		       signed_matches_snprintf(-value + 1) &&
		       signed_matches_snprintf(-value - 1) &&
		       signed_matches_snprintf(value);
		if (value == 1000000000000000000LL)
			break;
	}
	check("writer: signed decimals as snprintf() writes them, read back",
	      all);
}

/* Page sizes as words: "<n>K", "<n>M" or "<n>G", as snprintf() writes. */
static void test_size_words(void)
{
	struct kvmintro_record_writer writer;
	char buf[64], expected[64];
	unsigned int shift, unit;
	bool all = true;
	int len;

	for (shift = 10; shift <= 61; shift++) {
		unit = shift >= 30 ? 30 : shift >= 20 ? 20 : 10;
		snprintf(expected, sizeof(expected), "size=%llu%c\n",
			 1ULL << (shift - unit), "KMG"[unit / 10 - 1]);
		kvmintro_record_begin(&writer, buf, sizeof(buf), NULL);
		kvmintro_record_size_word(&writer, "size", shift);
		len = kvmintro_record_end(&writer);
		all &= len == (int)strlen(expected) && !strcmp(buf, expected);
	}
	check("writer: page sizes 2^10 to 2^61 as words", all);
}

/* A hex field in a buffer of every size: whole, or -ENOSPC within it. */
static void test_number_limits(void)
{
	static const char expected[] = "hva=0x7fffffffe000 sz=2M\n";
	struct kvmintro_record_writer writer;
	size_t size, full = sizeof(expected);
	bool all = true;
	char *buf;
	int len;

	for (size = 0; size <= full; size++) {
		buf = malloc(size ? size : 1);
		kvmintro_record_begin(&writer, size ? buf : NULL, size, NULL);
		kvmintro_record_hex(&writer, "hva", 0x7fffffffe000ULL);
		kvmintro_record_size_word(&writer, "sz", 21);
		len = kvmintro_record_end(&writer);
		if (size == full)
			all &= len == (int)full - 1 && !strcmp(buf, expected);
		else
			all &= len == -ENOSPC && (!size || strlen(buf) < size);
		free(buf);
	}
	check("limits: numbers and sizes never overflow, fit exactly", all);
}

static void test_writer_refuses(void)
{
	static const char *const bad_keys[] = {
		"", "A", "1a", "a b", "a=b", "_a", "a-b", "a/b", "é",
	};
	static const char *const bad_kinds[] = { "", "OK", "1ok", "o k", "ok=" };
	static const char *const bad_words[] = {
		"", "-", "123", "0x1", "0X1", "0xg", "a b", "a=b", "\"a\"",
		"-a", "+1", "a#b", "a\\b", "a\tb",
	};
	struct kvmintro_record_writer writer;
	bool all = true;
	char buf[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_keys); i++) {
		kvmintro_record_begin(&writer, buf, sizeof(buf), NULL);
		kvmintro_record_u64(&writer, bad_keys[i], 1);
		all &= kvmintro_record_end(&writer) == -EINVAL;
	}
	check("writer: keys outside [a-z][a-z0-9_.]* are refused", all);

	all = true;
	for (i = 0; i < ARRAY_SIZE(bad_kinds); i++) {
		kvmintro_record_begin(&writer, buf, sizeof(buf), bad_kinds[i]);
		kvmintro_record_u64(&writer, "a", 1);
		all &= kvmintro_record_end(&writer) == -EINVAL;
	}
	check("writer: kinds outside [a-z][a-z0-9_-]* are refused", all);

	all = true;
	for (i = 0; i < ARRAY_SIZE(bad_words); i++) {
		kvmintro_record_begin(&writer, buf, sizeof(buf), NULL);
		kvmintro_record_word(&writer, "a", bad_words[i]);
		all &= kvmintro_record_end(&writer) == -EINVAL;
	}
	check("writer: words that are not words, or read back as another type, are refused",
	      all);
}

static void test_round_trip(void)
{
	struct kvmintro_record_writer writer;
	struct kvmintro_record record;
	char buf[256], decoded[32];
	int len;

	kvmintro_record_begin(&writer, buf, sizeof(buf), "leaf");
	kvmintro_record_u64(&writer, "level", 18446744073709551615ULL);
	kvmintro_record_hex(&writer, "entry", 0x8000000012345067ULL);
	kvmintro_record_word(&writer, "mode", "4-level");
	kvmintro_record_word(&writer, "path", "/a_b.c:d+e,f-G");
	kvmintro_record_none(&writer, "hpa");
	kvmintro_record_string(&writer, "reason", "a \"b\"", 5);
	kvmintro_record_u64(&writer, "gdt.base", 7);
	len = kvmintro_record_end(&writer);
	check("round trip: every type reads back as written",
	      len > 0 && !parse(buf, len, &record) && !record.comment &&
	      record.kind_len == 4 && !memcmp(record.kind, "leaf", 4) &&
	      record.nr_fields == 7 &&
	      field_is(&fields[0], "level", KVMINTRO_RECORD_DECIMAL,
		       "18446744073709551615") &&
	      fields[0].number == 18446744073709551615ULL &&
	      field_is(&fields[1], "entry", KVMINTRO_RECORD_HEX,
		       "0x8000000012345067") &&
	      fields[1].number == 0x8000000012345067ULL &&
	      field_is(&fields[2], "mode", KVMINTRO_RECORD_WORD, "4-level") &&
	      field_is(&fields[3], "path", KVMINTRO_RECORD_WORD,
		       "/a_b.c:d+e,f-G") &&
	      field_is(&fields[4], "hpa", KVMINTRO_RECORD_NONE, "-") &&
	      field_is(&fields[5], "reason", KVMINTRO_RECORD_STRING,
		       "\"a \\\"b\\\"\"") &&
	      kvmintro_record_decode_string(&fields[5], decoded,
					    sizeof(decoded)) == 5 &&
	      !strcmp(decoded, "a \"b\"") &&
	      field_is(&fields[6], "gdt.base", KVMINTRO_RECORD_DECIMAL, "7"));

	check("find: a field by key, NULL for no such key",
	      kvmintro_record_find(&record, "hpa") == &fields[4] &&
	      !kvmintro_record_find(&record, "hp") &&
	      !kvmintro_record_find(&record, "leaf"));
	check("decode: only a string; the bytes and the NUL must fit",
	      kvmintro_record_decode_string(&fields[0], decoded,
					    sizeof(decoded)) == -EINVAL &&
	      kvmintro_record_decode_string(&fields[5], decoded, 5) == -ENOSPC &&
	      kvmintro_record_decode_string(&fields[5], decoded, 0) == -ENOSPC &&
	      kvmintro_record_decode_string(&fields[5], decoded, 6) == 5);
}

static void test_escapes(void)
{
	static const struct {
		const char *bytes;
		size_t len;
		const char *written;
	} escapes[] = {
		{ "\\", 1, "s=\"\\\\\"\n" },
		{ "\"", 1, "s=\"\\\"\"\n" },
		{ "\n", 1, "s=\"\\n\"\n" },
		{ "\t", 1, "s=\"\\t\"\n" },
		{ "\0", 1, "s=\"\\x00\"\n" },
		{ "\r", 1, "s=\"\\x0d\"\n" },
		{ "\x7f", 1, "s=\"\\x7f\"\n" },
		{ "\xff", 1, "s=\"\\xff\"\n" },
		{ " ", 1, "s=\" \"\n" },
		{ "", 0, "s=\"\"\n" },
		{ "a=b #c", 6, "s=\"a=b #c\"\n" },
	};
	struct kvmintro_record_writer writer;
	struct kvmintro_record record;
	char buf[64], decoded[8];
	bool all = true;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(escapes); i++) {
		kvmintro_record_begin(&writer, buf, sizeof(buf), NULL);
		kvmintro_record_string(&writer, "s", escapes[i].bytes,
				       escapes[i].len);
		all &= kvmintro_record_end(&writer) > 0 &&
		       !strcmp(buf, escapes[i].written) &&
		       string_round_trips(escapes[i].bytes, escapes[i].len);
	}
	check("strings: each escape written as documented, and read back", all);

	check("strings: \\xHH may stand for any byte, printable too",
	      !parse_string("s=\"\\x41\\x5c\\x22\\x0a\"", &record) &&
	      kvmintro_record_decode_string(&fields[0], decoded,
					    sizeof(decoded)) == 4 &&
	      !memcmp(decoded, "A\\\"\n", 4));
}

static void test_all_bytes(void)
{
	char bytes[256];
	bool each = true;
	int i;

	for (i = 0; i < 256; i++) {
		bytes[i] = (char)i;
		each &= string_round_trips(&bytes[i], 1);
	}
	check("strings: each of the 256 byte values round-trips alone", each);
	check("strings: all 256 byte values round-trip in one string",
	      string_round_trips(bytes, sizeof(bytes)));
}

static void test_limits(void)
{
	static const char expected[] = "ok a=1 s=\"\\n\"\n";
	struct kvmintro_record_writer writer;
	size_t size, full = sizeof(expected);
	char *buf;
	int len;
	bool all_short = true;

	/* Exactly the record and its NUL: written whole. */
	buf = malloc(full);
	kvmintro_record_begin(&writer, buf, full, "ok");
	kvmintro_record_u64(&writer, "a", 1);
	kvmintro_record_string(&writer, "s", "\n", 1);
	len = kvmintro_record_end(&writer);
	check("limits: a buffer exactly full takes the record and its NUL",
	      len == (int)full - 1 && !strcmp(buf, expected));
	free(buf);

	/* Any less, down to nothing: -ENOSPC, and not a byte past @size. */
	for (size = 0; size < full; size++) {
		buf = malloc(size ? size : 1);
		kvmintro_record_begin(&writer, size ? buf : NULL, size, "ok");
		kvmintro_record_u64(&writer, "a", 1);
		kvmintro_record_string(&writer, "s", "\n", 1);
		all_short &= kvmintro_record_end(&writer) == -ENOSPC &&
			     (!size || strlen(buf) < size);
		free(buf);
	}
	check("limits: one byte short or less reports -ENOSPC, never overflows",
	      all_short);
}

static void test_reader_accepts(void)
{
	struct kvmintro_record record;
	char many[FIELDS_MAX * 8 + 8];
	size_t i, len = 0;

	check("reader: a final newline is allowed",
	      !parse_string("ok a=1\n", &record) && record.nr_fields == 1 &&
	      field_is(&fields[0], "a", KVMINTRO_RECORD_DECIMAL, "1"));
	check("reader: a comment carries nothing",
	      !parse_string("# as slot gpa=0x1", &record) && record.comment &&
	      !record.kind && !record.nr_fields &&
	      !parse_string("#", &record) && record.comment &&
	      !parse(&"#\n"[0], 2, &record) && record.comment);
	check("reader: leading zeros are the same number",
	      !parse_string("a=007 b=0x000f", &record) &&
	      fields[0].type == KVMINTRO_RECORD_DECIMAL &&
	      fields[0].number == 7 &&
	      fields[1].type == KVMINTRO_RECORD_HEX && fields[1].number == 15);
	check("reader: words with digits, dashes and other word bytes",
	      !parse_string("mode=32-bit size=4K dir=1234-5 f=a,b:c/d.e+F_",
			    &record) &&
	      record.nr_fields == 4 && fields[0].type == KVMINTRO_RECORD_WORD &&
	      fields[1].type == KVMINTRO_RECORD_WORD &&
	      fields[2].type == KVMINTRO_RECORD_WORD &&
	      fields[3].type == KVMINTRO_RECORD_WORD);
	check("reader: a string may hold spaces, '=' and '#'",
	      !parse_string("err reason=\"a b=c #d\" gpa=0x1", &record) &&
	      record.nr_fields == 2 &&
	      field_is(&fields[0], "reason", KVMINTRO_RECORD_STRING,
		       "\"a b=c #d\""));

	for (i = 0; i < FIELDS_MAX; i++)
		len += sprintf(many + len, "%sk%zu=%zu", i ? " " : "", i, i);
	check("reader: as many fields as the caller has room for",
	      !parse(many, len, &record) && record.nr_fields == FIELDS_MAX);
	len += sprintf(many + len, " k=1");
	check("reader: one more is -ENOSPC",
	      parse(many, len, &record) == -ENOSPC);
}

static void test_reader_refuses(void)
{
	static const char *const bad[] = {
		/* No record, or blanks out of place */
		"", "\n", " ", "ok ", " ok", "ok  a=1", "a=1 ", "ok\ta=1",
		"a=1\n\n", "a=1\nb=2", "ok\r",
		/* Kinds and keys */
		"OK a=1", "1ok", "ok a=1 ok", "a=1 ok", "ok err", "A=1",
		"=1", "a-b=1", "_a=1", "a/b=1", "a=1 a=2", "ok a=1 b=2 a=3",
		/* Values */
		"a=", "a= b=1", "a=x=y", "a=+5", "a=--", "a=0x", "a=-0",
		"a=-05", "a=-9223372036854775809", "a=-18446744073709551616",
		"a=-0x5", "a=-5a", "a=--5",
		"a=0X1", "a=0xG", "a=0xAB", "a=0x1g", "a=18446744073709551616",
		"a=0x10000000000000000", "a=99999999999999999999", "a=a#b",
		"a=a\\b", "a=b\"c", "a=\xc3\xa9",
		/* Strings */
		"a=\"", "a=\"x", "a=\"\\\"", "a=\"\\q\"", "a=\"\\x4\"",
		"a=\"\\x4g\"", "a=\"\\xAB\"", "a=\"\\X41\"", "a=\"\x01\"",
		"a=\"\t\"", "a=\"\x7f\"", "a=\"\xc3\xa9\"", "a=\"a\"b",
		"a=\"a\"\"", "a=\"a\"  b=1", "a=\"a\"=1",
	};
	struct kvmintro_record record;
	bool all = true;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (parse_string(bad[i], &record) != -EINVAL) {
			printf("# accepted: '%s'\n", bad[i]);
			all = false;
		}
	}
	check("reader: malformed lines are -EINVAL", all);
	check("reader: a NUL is refused, in a value or a string",
	      parse("a=1\0", 4, &record) == -EINVAL &&
	      parse("a=\"\0\"", 5, &record) == -EINVAL &&
	      parse("ok\0a=1", 6, &record) == -EINVAL);
	check("reader: a string cut short at the end of the length is refused",
	      parse("a=\"abc\"", 6, &record) == -EINVAL &&
	      parse("a=\"\\x41\"", 6, &record) == -EINVAL &&
	      parse("a=\"\\x41\"", 5, &record) == -EINVAL);
}

/* A value that exercises every digit count: random, or an edge. */
static u64 fast_value(unsigned int i, u64 *seed)
{
	unsigned int digits = i % 17;

	*seed ^= *seed << 13;
	*seed ^= *seed >> 7;
	*seed ^= *seed << 17;
	switch (i % 4) {
	case 0:	/* the smallest of @digits hex digits */
		return digits ? 1ULL << (4 * (digits - 1)) : 0;
	case 1:	/* the largest */
		return digits == 16 ? ~0ULL :
		       (1ULL << (4 * digits)) - 1;
	case 2:	/* random with @digits hex digits */
		return digits == 16 ? *seed | 1ULL << 63 :
		       digits ? (*seed & ((1ULL << (4 * digits)) - 1)) |
				1ULL << (4 * (digits - 1)) : 0;
	default:
		return *seed >> (*seed & 63);
	}
}

static const struct kvmintro_record_token fast_keys[] = {
	KVMINTRO_RECORD_KEY("a"),
	KVMINTRO_RECORD_KEY("gpa"),
	KVMINTRO_RECORD_KEY("host_size"),
	KVMINTRO_RECORD_KEY("a.b_9"),
	KVMINTRO_RECORD_KEY("abcdefghijklmn"),
};

/* Keys of the fields around: none of fast_keys[]. */
static const struct kvmintro_record_token fixed_keys[] = {
	KVMINTRO_RECORD_KEY("first"),
	KVMINTRO_RECORD_KEY("none"),
	KVMINTRO_RECORD_KEY("size"),
	KVMINTRO_RECORD_KEY("word"),
};

static const struct kvmintro_record_token fast_words[] = {
	KVMINTRO_RECORD_WORD("base"),
	KVMINTRO_RECORD_WORD("4-level"),
	KVMINTRO_RECORD_WORD("x"),
	KVMINTRO_RECORD_WORD("a:b/c+d,e_f.g"),
	KVMINTRO_RECORD_WORD("abcdefghijklmno"),
};

/*
 * One record of every fast field, and its twin written by the general
 * path: the same bytes, the same length, and the reader takes them.
 */
static bool fast_matches_general(unsigned int i, u64 *seed)
{
	const struct kvmintro_record_token *key = &fast_keys[i % 5];
	const struct kvmintro_record_token *word = &fast_words[i % 5];
	struct kvmintro_record_writer general;
	char fast_buf[512], general_buf[512];
	struct kvmintro_record record;
	unsigned int shift = 10 + i % 52;
	u64 a = fast_value(i, seed), b = fast_value(i + 1, seed);
	char key_name[KVMINTRO_RECORD_TOKEN_SIZE];
	int fast_len, general_len;
	char *p = fast_buf;

	memcpy(key_name, key->text, key->len - 1);
	key_name[key->len - 1] = '\0';

	p = kvmintro_record_fast_hex(p, &fixed_keys[0], a);
	p = kvmintro_record_fast_hex(p, key, b);
	p = kvmintro_record_fast_none(p, &fixed_keys[1]);
	p = kvmintro_record_fast_size_word(p, &fixed_keys[2], shift);
	p = kvmintro_record_fast_word(p, &fixed_keys[3], word);
	fast_len = kvmintro_record_fast_end(fast_buf, p);

	kvmintro_record_begin(&general, general_buf, sizeof(general_buf), NULL);
	kvmintro_record_hex(&general, "first", a);
	kvmintro_record_hex(&general, key_name, b);
	kvmintro_record_none(&general, "none");
	kvmintro_record_size_word(&general, "size", shift);
	kvmintro_record_word(&general, "word", word->text);
	general_len = kvmintro_record_end(&general);

	return fast_len == general_len && fast_len > 0 &&
	       !strcmp(fast_buf, general_buf) &&
	       !parse(fast_buf, fast_len, &record) && record.nr_fields == 5 &&
	       record.fields[0].type == KVMINTRO_RECORD_HEX &&
	       record.fields[0].number == a &&
	       record.fields[1].number == b &&
	       record.fields[2].type == KVMINTRO_RECORD_NONE &&
	       record.fields[3].type == KVMINTRO_RECORD_WORD &&
	       record.fields[4].type == KVMINTRO_RECORD_WORD;
}

/*
 * Fields of the most bytes the fast path writes (the longest key, 16 hex
 * digits, the longest word), one of each, stay inside
 * KVMINTRO_RECORD_FAST_FIELD_MAX bytes a field and the NUL.
 */
static bool fast_stays_inside(void)
{
	static const struct kvmintro_record_token key =
		KVMINTRO_RECORD_KEY("abcdefghijklmn");
	static const struct kvmintro_record_token word =
		KVMINTRO_RECORD_WORD("abcdefghijklmno");
	char buf[4 * KVMINTRO_RECORD_FAST_FIELD_MAX + 64];
	size_t room = 4 * KVMINTRO_RECORD_FAST_FIELD_MAX + 1, i;
	char *p = buf;

	memset(buf, '#', sizeof(buf));
	p = kvmintro_record_fast_hex(p, &key, ~0ULL);
	p = kvmintro_record_fast_none(p, &key);
	p = kvmintro_record_fast_size_word(p, &key, 61);
	p = kvmintro_record_fast_word(p, &key, &word);
	if (kvmintro_record_fast_end(buf, p) != (int)strlen(buf))
		return false;
	for (i = room; i < sizeof(buf); i++)
		if (buf[i] != '#')
			return false;
	return true;
}

/* The fast path writes what the general one does, and the reader reads it. */
static void test_fast_path(void)
{
	u64 seed = 0x9e3779b97f4a7c15ULL;
	bool all = true;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fast_keys); i++)
		all &= kvmintro_record_token_is_key(&fast_keys[i]);
	for (i = 0; i < ARRAY_SIZE(fixed_keys); i++)
		all &= kvmintro_record_token_is_key(&fixed_keys[i]);
	for (i = 0; i < ARRAY_SIZE(fast_words); i++)
		all &= kvmintro_record_token_is_word(&fast_words[i]);
	check("fast path: the tests' keys and words are keys and words", all);

	all = true;
	for (i = 0; i < 100000; i++)
		all &= fast_matches_general(i, &seed);
	check("fast path: hex, none, size and word fields as the general path's, 0 to 2^64-1, every digit count",
	      all);

	all = true;
	for (i = 0; i < ARRAY_SIZE(kvmintro_record_size_words); i++)
		all &= kvmintro_record_token_is_word(&kvmintro_record_size_words[i]);
	check("fast path: every page size word, 1K to 2147483648G, is a word",
	      all);

	check("fast path: the longest fields stay inside KVMINTRO_RECORD_FAST_FIELD_MAX bytes each",
	      fast_stays_inside());
}

/* Tokens the reader would refuse are not keys or words. */
static void test_bad_tokens(void)
{
	static const struct kvmintro_record_token bad_keys[] = {
		KVMINTRO_RECORD_KEY(""), KVMINTRO_RECORD_KEY("A"),
		KVMINTRO_RECORD_KEY("1a"), KVMINTRO_RECORD_KEY("a b"),
		KVMINTRO_RECORD_KEY("_a"), KVMINTRO_RECORD_KEY("a-b"),
		KVMINTRO_RECORD_WORD("ab"), { .text = "a=", .len = 1 },
		{ .text = "a=b=", .len = 2 },
	};
	static const struct kvmintro_record_token bad_words[] = {
		KVMINTRO_RECORD_WORD(""), KVMINTRO_RECORD_WORD("-"),
		KVMINTRO_RECORD_WORD("123"), KVMINTRO_RECORD_WORD("0x1"),
		KVMINTRO_RECORD_WORD("a b"), KVMINTRO_RECORD_WORD("-a"),
		KVMINTRO_RECORD_WORD("+1"), KVMINTRO_RECORD_WORD("a=b"),
		{ .text = "ab", .len = 1 }, { .text = "a", .len = 2 },
	};
	bool all = true;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_keys); i++)
		all &= !kvmintro_record_token_is_key(&bad_keys[i]);
	check("fast path: keys the reader refuses are not keys", all);
	all = true;
	for (i = 0; i < ARRAY_SIZE(bad_words); i++)
		all &= !kvmintro_record_token_is_word(&bad_words[i]);
	check("fast path: words the reader refuses are not words", all);
}

int main(void)
{
	test_writer();
	test_numbers();
	test_signed_numbers();
	test_size_words();
	test_number_limits();
	test_writer_refuses();
	test_round_trip();
	test_escapes();
	test_all_bytes();
	test_limits();
	test_reader_accepts();
	test_reader_refuses();
	test_fast_path();
	test_bad_tokens();
	free(copy);
	ksft_finished();
}
