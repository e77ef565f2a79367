// SPDX-License-Identifier: GPL-2.0
/*
 * Records: one line each, "[kind] key=value key=value ...".  The reader
 * takes bytes with a length, need not find a NUL and trusts none of them;
 * the writer never writes what the reader would refuse.  The grammar is
 * Documentation/debugfs.rst, "Record format".
 */
#include "parse.h"
#include "record.h"

/*
 * What each byte may be in the grammar, looked up rather than tested: the
 * writer checks every key and word it writes, and tables of many records
 * (gpa_hpa) spend most of their time in the writer.
 */
enum {
	KVMINTRO_RECORD_LOWER	= 1 << 0,	/* a-z */
	KVMINTRO_RECORD_DIGIT	= 1 << 1,	/* 0-9 */
	KVMINTRO_RECORD_UPPER	= 1 << 2,	/* A-Z */
	KVMINTRO_RECORD_IN_KEY	= 1 << 3,	/* _ . after a key's first */
	KVMINTRO_RECORD_IN_KIND	= 1 << 4,	/* _ - after a kind's first */
	KVMINTRO_RECORD_IN_WORD	= 1 << 5,	/* _ . : / + , - */
};

#define KVMINTRO_RECORD_ALNUM \
	(KVMINTRO_RECORD_LOWER | KVMINTRO_RECORD_DIGIT | KVMINTRO_RECORD_UPPER)

static const unsigned char kvmintro_record_class[256] = {
	['a' ... 'z'] = KVMINTRO_RECORD_LOWER,
	['0' ... '9'] = KVMINTRO_RECORD_DIGIT,
	['A' ... 'Z'] = KVMINTRO_RECORD_UPPER,
	['_'] = KVMINTRO_RECORD_IN_KEY | KVMINTRO_RECORD_IN_KIND |
		KVMINTRO_RECORD_IN_WORD,
	['.'] = KVMINTRO_RECORD_IN_KEY | KVMINTRO_RECORD_IN_WORD,
	['-'] = KVMINTRO_RECORD_IN_KIND | KVMINTRO_RECORD_IN_WORD,
	[':'] = KVMINTRO_RECORD_IN_WORD,
	['/'] = KVMINTRO_RECORD_IN_WORD,
	['+'] = KVMINTRO_RECORD_IN_WORD,
	[','] = KVMINTRO_RECORD_IN_WORD,
};

static bool kvmintro_record_is(char c, unsigned int class)
{
	return kvmintro_record_class[(unsigned char)c] & class;
}

static bool kvmintro_record_is_digit(char c)
{
	return kvmintro_record_is(c, KVMINTRO_RECORD_DIGIT);
}

/* A name: a lowercase letter, then letters, digits and @punct bytes. */
static bool kvmintro_record_is_name(const char *s, size_t len,
				    unsigned int punct)
{
	unsigned int rest = KVMINTRO_RECORD_LOWER | KVMINTRO_RECORD_DIGIT |
			    punct;
	size_t i;

	if (!len || !kvmintro_record_is(s[0], KVMINTRO_RECORD_LOWER))
		return false;
	for (i = 1; i < len; i++) {
		if (!kvmintro_record_is(s[i], rest))
			return false;
	}
	return true;
}

/* A kind: [a-z][a-z0-9_-]*. */
static bool kvmintro_record_is_kind(const char *s, size_t len)
{
	return kvmintro_record_is_name(s, len, KVMINTRO_RECORD_IN_KIND);
}

/* A key: [a-z][a-z0-9_.]*. */
static bool kvmintro_record_is_key(const char *s, size_t len)
{
	return kvmintro_record_is_name(s, len, KVMINTRO_RECORD_IN_KEY);
}

/* A byte of a word: [A-Za-z0-9_.:/+,-]. */
static bool kvmintro_record_is_word_char(char c)
{
	return kvmintro_record_is(c, KVMINTRO_RECORD_ALNUM |
				     KVMINTRO_RECORD_IN_WORD);
}

/* A lowercase hex digit's value, or -1: the grammar has one spelling. */
static int kvmintro_record_hex_digit(char c)
{
	return (c >= 'A' && c <= 'F') ? -1 : kvmintro_hex_digit(c);
}

/*
 * Find the end of the string value at @s, which runs to at most @len bytes:
 * set *@end just past its closing quote.  Return 0, or -EINVAL if @s does
 * not start with a valid string.
 */
static int kvmintro_record_string_end(const char *s, size_t len, size_t *end)
{
	size_t i = 1;
	unsigned char c;

	if (!len || s[0] != '"')
		return -EINVAL;
	while (i < len) {
		c = s[i];
		if (c == '"') {
			*end = i + 1;
			return 0;
		}
		if (c < 0x20 || c > 0x7e)
			return -EINVAL;
		if (c != '\\') {
			i++;
			continue;
		}
		if (i + 1 < len && s[i + 1] && strchr("\\\"nt", s[i + 1])) {
			i += 2;
		} else if (i + 3 < len && s[i + 1] == 'x' &&
			   kvmintro_record_hex_digit(s[i + 2]) >= 0 &&
			   kvmintro_record_hex_digit(s[i + 3]) >= 0) {
			i += 4;
		} else {
			return -EINVAL;
		}
	}
	return -EINVAL;
}

/* Parse @len digits of @base at @s into @number; -EINVAL on overflow. */
static int kvmintro_record_parse_number(const char *s, size_t len,
					unsigned int base, u64 *number)
{
	u64 value = 0;
	size_t i;
	int digit;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		digit = base == 16 ? kvmintro_record_hex_digit(s[i]) :
			kvmintro_record_is_digit(s[i]) ? s[i] - '0' : -1;
		if (digit < 0 || value > (~(u64)0 - digit) / base)
			return -EINVAL;
		value = value * base + digit;
	}
	*number = value;
	return 0;
}

/*
 * Type the value [@s, @s + @len), which holds no blank unless it is a
 * string, and set @field's type and number.  Return 0 or -EINVAL.
 */
static int kvmintro_record_type_value(const char *s, size_t len,
				      struct kvmintro_record_field *field)
{
	size_t i, digits = 0;

	field->number = 0;
	field->negative = false;
	if (!len)
		return -EINVAL;
	if (s[0] == '"') {
		field->type = KVMINTRO_RECORD_STRING;
		if (kvmintro_record_string_end(s, len, &i) || i != len)
			return -EINVAL;
		return 0;
	}
	if (len == 1 && s[0] == '-') {
		field->type = KVMINTRO_RECORD_NONE;
		return 0;
	}
	/* "0x" or "0X" always starts a number, never a word. */
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		field->type = KVMINTRO_RECORD_HEX;
		if (s[1] != 'x')
			return -EINVAL;
		return kvmintro_record_parse_number(s + 2, len - 2, 16,
						    &field->number);
	}
	for (i = 0; i < len; i++) {
		if (!kvmintro_record_is_word_char(s[i]))
			return -EINVAL;
		digits += kvmintro_record_is_digit(s[i]);
	}
	if (digits == len) {
		field->type = KVMINTRO_RECORD_DECIMAL;
		return kvmintro_record_parse_number(s, len, 10, &field->number);
	}
	/* A negative decimal: '-', then digits not led by 0, down to -2^63. */
	if (s[0] == '-' && digits == len - 1 && len > 1 && s[1] != '0') {
		field->type = KVMINTRO_RECORD_DECIMAL;
		field->negative = true;
		if (kvmintro_record_parse_number(s + 1, len - 1, 10,
						 &field->number) ||
		    field->number > 1ULL << 63)
			return -EINVAL;
		field->number = 0 - field->number;
		return 0;
	}
	/* A word never starts like a none or a signed number. */
	field->type = KVMINTRO_RECORD_WORD;
	return s[0] == '-' || s[0] == '+' ? -EINVAL : 0;
}

/* The end of the value that starts at @line[@pos]: a string, or to a blank. */
static size_t kvmintro_record_value_end(const char *line, size_t len,
					size_t pos)
{
	size_t string_end;

	if (line[pos] == '"')
		return kvmintro_record_string_end(line + pos, len - pos,
						  &string_end) ?
		       len : pos + string_end;
	while (pos < len && line[pos] != ' ')
		pos++;
	return pos;
}

/*
 * Parse the field whose key is [@line + @start, @line + *@pos), *@pos at
 * its '=', and set *@pos past its value.  Return 0, -EINVAL or -ENOSPC.
 */
static int kvmintro_record_parse_field(struct kvmintro_record *record,
				       unsigned int max_fields,
				       const char *line, size_t len,
				       size_t start, size_t *pos)
{
	struct kvmintro_record_field *field;
	size_t key_len = *pos - start, value;
	unsigned int i;

	if (!kvmintro_record_is_key(line + start, key_len))
		return -EINVAL;
	for (i = 0; i < record->nr_fields; i++) {
		if (record->fields[i].key_len == key_len &&
		    !memcmp(record->fields[i].key, line + start, key_len))
			return -EINVAL;
	}
	if (record->nr_fields == max_fields)
		return -ENOSPC;
	field = &record->fields[record->nr_fields];
	field->key = line + start;
	field->key_len = key_len;
	value = *pos + 1;
	*pos = value < len ? kvmintro_record_value_end(line, len, value) : value;
	field->value = line + value;
	field->value_len = *pos - value;
	if (kvmintro_record_type_value(field->value, field->value_len, field))
		return -EINVAL;
	record->nr_fields++;
	return 0;
}

/**
 * kvmintro_record_parse() - parse one record
 * @line: the line, need not be NUL-terminated; a final newline is allowed
 * @len: its length
 * @record: the result, pointing into @line and @fields
 * @fields: room for the fields
 * @max_fields: how many @fields has
 *
 * Tokens are separated by exactly one space, with none before the first or
 * after the last.  A line that starts with '#' is a comment.
 *
 * Return: 0; -EINVAL if @line is not a record (a key twice included);
 * -ENOSPC if it has more than @max_fields fields.  On failure, @record
 * says nothing.
 */
int kvmintro_record_parse(const char *line, size_t len,
			  struct kvmintro_record *record,
			  struct kvmintro_record_field *fields,
			  unsigned int max_fields)
{
	size_t pos = 0, start;
	int ret;

	memset(record, 0, sizeof(*record));
	record->fields = fields;
	if (len && line[len - 1] == '\n')
		len--;
	if (len && line[0] == '#') {
		record->comment = true;
		return memchr(line, '\n', len) ? -EINVAL : 0;
	}
	if (!len)
		return -EINVAL;
	while (pos < len) {
		start = pos;
		while (pos < len && line[pos] != ' ' && line[pos] != '=')
			pos++;
		if (pos < len && line[pos] == '=') {
			ret = kvmintro_record_parse_field(record, max_fields,
							  line, len, start,
							  &pos);
			if (ret)
				return ret;
		} else {
			/* A token without '=': the kind, first or not at all. */
			if (start || !kvmintro_record_is_kind(line, pos))
				return -EINVAL;
			record->kind = line;
			record->kind_len = pos;
		}
		if (pos == len)
			break;
		/* One space, then another token. */
		if (line[pos] != ' ' || ++pos == len)
			return -EINVAL;
	}
	return 0;
}

/* Return: the field of @record called @key, or NULL. */
const struct kvmintro_record_field *
kvmintro_record_find(const struct kvmintro_record *record, const char *key)
{
	size_t key_len = strlen(key);
	unsigned int i;

	for (i = 0; i < record->nr_fields; i++) {
		if (record->fields[i].key_len == key_len &&
		    !memcmp(record->fields[i].key, key, key_len))
			return &record->fields[i];
	}
	return NULL;
}

/**
 * kvmintro_record_string_byte() - one byte of a string value
 * @s: the value of a field of type %KVMINTRO_RECORD_STRING, as written
 * @pos: where its next byte is written in @s: 1 for the first (after the
 *	opening quote); moved past it
 *
 * The value must be one kvmintro_record_parse() took, and @pos before its
 * closing quote.
 *
 * Return: the byte, its escape decoded.
 */
char kvmintro_record_string_byte(const char *s, size_t *pos)
{
	char c = s[(*pos)++];

	if (c != '\\')
		return c;
	c = s[(*pos)++];
	if (c == 'n')
		return '\n';
	if (c == 't')
		return '\t';
	if (c != 'x')
		return c;
	*pos += 2;
	return kvmintro_record_hex_digit(s[*pos - 2]) << 4 |
	       kvmintro_record_hex_digit(s[*pos - 1]);
}

/**
 * kvmintro_record_decode_string() - the bytes a string value stands for
 * @field: a field of type %KVMINTRO_RECORD_STRING, from kvmintro_record_parse()
 * @buf: where the bytes go, followed by a NUL (they may hold NULs too)
 * @size: room in @buf
 *
 * Return: how many bytes, the NUL not counted; -EINVAL if @field is not a
 * string; -ENOSPC if they and the NUL do not fit in @size.
 */
int kvmintro_record_decode_string(const struct kvmintro_record_field *field,
				  char *buf, size_t size)
{
	size_t i = 1, n = 0;

	if (field->type != KVMINTRO_RECORD_STRING || field->value_len < 2)
		return -EINVAL;
	while (i + 1 < field->value_len) {
		if (n + 1 >= size)
			return -ENOSPC;
		buf[n++] = kvmintro_record_string_byte(field->value, &i);
	}
	if (!size)
		return -ENOSPC;
	buf[n] = '\0';
	return n;
}

/*
 * Room for @len more bytes and the NUL after them?  If not, fail the
 * record with -ENOSPC.  False too once the record has failed.
 */
static bool kvmintro_record_room(struct kvmintro_record_writer *writer,
				 size_t len)
{
	if (writer->error)
		return false;
	if (len < writer->size - writer->len)
		return true;
	writer->error = -ENOSPC;
	return false;
}

/*
 * Copy @len bytes to @to.  By hand: the keys, words and digits of a record
 * are a few bytes each, shorter than the call to memcpy() would be.
 */
static void kvmintro_record_copy(char *to, const char *from, size_t len)
{
	while (len--)
		*to++ = *from++;
}

/* Append @len bytes; on a shortage, fail the record and leave @buf a string. */
static void kvmintro_record_put(struct kvmintro_record_writer *writer,
				const char *bytes, size_t len)
{
	if (!kvmintro_record_room(writer, len))
		return;
	kvmintro_record_copy(writer->buf + writer->len, bytes, len);
	writer->len += len;
	writer->buf[writer->len] = '\0';
}

static void kvmintro_record_fail(struct kvmintro_record_writer *writer,
				 int error)
{
	if (!writer->error)
		writer->error = error;
}

/**
 * kvmintro_record_begin() - start a record
 * @writer: the writer
 * @buf: where the record goes, NUL-terminated as it grows
 * @size: room in @buf
 * @kind: the kind word, or NULL for a record without one
 *
 * Add fields with kvmintro_record_u64() and the others, then finish with
 * kvmintro_record_end(), which says whether all of it fit.
 */
void kvmintro_record_begin(struct kvmintro_record_writer *writer, char *buf,
			   size_t size, const char *kind)
{
	writer->buf = buf;
	writer->size = size;
	writer->len = 0;
	writer->error = size ? 0 : -ENOSPC;
	if (size)
		buf[0] = '\0';
	if (!kind)
		return;
	if (!kvmintro_record_is_kind(kind, strlen(kind)))
		kvmintro_record_fail(writer, -EINVAL);
	kvmintro_record_put(writer, kind, strlen(kind));
}

/*
 * The length of @key, or 0 if the grammar refuses it ([a-z][a-z0-9_.]*):
 * kvmintro_record_is_key() and strlen() in one pass.
 */
static size_t kvmintro_record_key_len(const char *key)
{
	const unsigned int rest = KVMINTRO_RECORD_LOWER |
				  KVMINTRO_RECORD_DIGIT |
				  KVMINTRO_RECORD_IN_KEY;
	size_t len;

	if (!kvmintro_record_is(key[0], KVMINTRO_RECORD_LOWER))
		return 0;
	for (len = 1; key[len]; len++) {
		if (!kvmintro_record_is(key[len], rest))
			return 0;
	}
	return len;
}

/*
 * Start the field @key, with room after it for a value of @value_len
 * bytes: the space before it, the key and '='.  Return where the value
 * goes (the caller writes exactly @value_len bytes there: the record's
 * length and its NUL already count them), or NULL if the record failed.
 */
static char *kvmintro_record_key(struct kvmintro_record_writer *writer,
				 const char *key, size_t value_len)
{
	size_t len = kvmintro_record_key_len(key);
	size_t at = writer->len;
	char *p;

	if (!len)
		kvmintro_record_fail(writer, -EINVAL);
	/* The space, the key, '=' and the value; the NUL is counted apart. */
	if (!kvmintro_record_room(writer, (at ? 1 : 0) + len + 1 + value_len))
		return NULL;
	p = writer->buf + at;
	if (at)
		*p++ = ' ';
	kvmintro_record_copy(p, key, len);
	p += len;
	*p++ = '=';
	p[value_len] = '\0';
	writer->len = p + value_len - writer->buf;
	return p;
}

/* "00" to "ff" and "00" to "99": numbers are written two digits a step. */
const char kvmintro_record_hex_pairs[513] =
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
	"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
	"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
	"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
	"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
	"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
static const char kvmintro_record_decimal_pairs[] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* How many decimal digits @value has: 1 to 20. */
static size_t kvmintro_record_decimal_digits(u64 value)
{
	size_t digits = 1;

	for (; value >= 10000; value /= 10000)
		digits += 4;
	return digits + (value >= 10) + (value >= 100) + (value >= 1000);
}

/* Write the @digits decimal digits of @value before @end. */
static void kvmintro_record_decimal_digits_at(char *end, size_t digits,
					      u64 value)
{
	const char *pair;

	for (; digits >= 2; digits -= 2, value /= 100) {
		pair = kvmintro_record_decimal_pairs + 2 * (value % 100);
		end -= 2;
		memcpy(end, pair, 2);
	}
	if (digits)
		*--end = (char)('0' + value % 10);
}

/*
 * Add @key=@value, in hex with 0x if @hex, else in decimal.  By hand, not
 * with snprintf(), and straight into the record, its length known first:
 * tables of many records (gpa_hpa) spend most of their time here.
 */
static void kvmintro_record_number(struct kvmintro_record_writer *writer,
				   const char *key, u64 value, bool hex)
{
	size_t digits = hex ? kvmintro_record_hex_digits(value) :
			kvmintro_record_decimal_digits(value);
	size_t len = digits + (hex ? 2 : 0);
	char *p = kvmintro_record_key(writer, key, len);

	if (!p)
		return;
	if (hex) {
		p[0] = '0';
		p[1] = 'x';
		kvmintro_record_hex_digits_at(p + len, digits, value);
	} else {
		kvmintro_record_decimal_digits_at(p + len, digits, value);
	}
}

/* Add @key=@value in decimal. */
void kvmintro_record_u64(struct kvmintro_record_writer *writer,
			 const char *key, u64 value)
{
	kvmintro_record_number(writer, key, value, false);
}

/* Add @key=@value in decimal, with a '-' if it is negative. */
void kvmintro_record_s64(struct kvmintro_record_writer *writer,
			 const char *key, s64 value)
{
	u64 magnitude = 0 - (u64)value;
	size_t digits;
	char *p;

	if (value >= 0) {
		kvmintro_record_number(writer, key, value, false);
		return;
	}
	digits = kvmintro_record_decimal_digits(magnitude);
	p = kvmintro_record_key(writer, key, digits + 1);
	if (!p)
		return;
	p[0] = '-';
	kvmintro_record_decimal_digits_at(p + 1 + digits, digits, magnitude);
}

/* Add @key=@value in hex, with 0x. */
void kvmintro_record_hex(struct kvmintro_record_writer *writer,
			 const char *key, u64 value)
{
	kvmintro_record_number(writer, key, value, true);
}

#define KVMINTRO_RECORD_SIZES(unit)					\
	KVMINTRO_RECORD_WORD("1" unit), KVMINTRO_RECORD_WORD("2" unit),	\
	KVMINTRO_RECORD_WORD("4" unit), KVMINTRO_RECORD_WORD("8" unit),	\
	KVMINTRO_RECORD_WORD("16" unit), KVMINTRO_RECORD_WORD("32" unit), \
	KVMINTRO_RECORD_WORD("64" unit), KVMINTRO_RECORD_WORD("128" unit), \
	KVMINTRO_RECORD_WORD("256" unit), KVMINTRO_RECORD_WORD("512" unit)

/*
 * The words of the page sizes, 2^10 to 2^61 bytes: a number of K, M or G,
 * spelt once for both paths.
 */
const struct kvmintro_record_token kvmintro_record_size_words[52] = {
	KVMINTRO_RECORD_SIZES("K"),
	KVMINTRO_RECORD_SIZES("M"),
	KVMINTRO_RECORD_SIZES("G"),
	KVMINTRO_RECORD_WORD("1024G"), KVMINTRO_RECORD_WORD("2048G"),
	KVMINTRO_RECORD_WORD("4096G"), KVMINTRO_RECORD_WORD("8192G"),
	KVMINTRO_RECORD_WORD("16384G"), KVMINTRO_RECORD_WORD("32768G"),
	KVMINTRO_RECORD_WORD("65536G"), KVMINTRO_RECORD_WORD("131072G"),
	KVMINTRO_RECORD_WORD("262144G"), KVMINTRO_RECORD_WORD("524288G"),
	KVMINTRO_RECORD_WORD("1048576G"), KVMINTRO_RECORD_WORD("2097152G"),
	KVMINTRO_RECORD_WORD("4194304G"), KVMINTRO_RECORD_WORD("8388608G"),
	KVMINTRO_RECORD_WORD("16777216G"), KVMINTRO_RECORD_WORD("33554432G"),
	KVMINTRO_RECORD_WORD("67108864G"), KVMINTRO_RECORD_WORD("134217728G"),
	KVMINTRO_RECORD_WORD("268435456G"), KVMINTRO_RECORD_WORD("536870912G"),
	KVMINTRO_RECORD_WORD("1073741824G"), KVMINTRO_RECORD_WORD("2147483648G"),
};

/**
 * kvmintro_record_size_word() - add @key=<a page size> as a word
 * @writer: the writer
 * @key: the key
 * @shift: the page is 2^@shift bytes, 10 to 61
 *
 * "4K", "2M", "1G" (or "64K" for a smaller multi-page folio), from
 * kvmintro_record_size_words[].
 */
void kvmintro_record_size_word(struct kvmintro_record_writer *writer,
			       const char *key, unsigned int shift)
{
	const struct kvmintro_record_token *word =
		&kvmintro_record_size_words[shift - 10];
	char *p = kvmintro_record_key(writer, key, word->len);

	if (p)
		kvmintro_record_copy(p, word->text, word->len);
}

/* Add @key=@word; a @word that would read back as another type fails. */
void kvmintro_record_word(struct kvmintro_record_writer *writer,
			  const char *key, const char *word)
{
	struct kvmintro_record_field field;
	size_t len = strlen(word);
	char *p;

	if (kvmintro_record_type_value(word, len, &field) ||
	    field.type != KVMINTRO_RECORD_WORD)
		kvmintro_record_fail(writer, -EINVAL);
	p = kvmintro_record_key(writer, key, len);
	if (p)
		kvmintro_record_copy(p, word, len);
}

/* Add @key=- : the field has no value. */
void kvmintro_record_none(struct kvmintro_record_writer *writer,
			  const char *key)
{
	char *p = kvmintro_record_key(writer, key, 1);

	if (p)
		*p = '-';
}

/* Add @key="...": any @len bytes, escaped. */
void kvmintro_record_string(struct kvmintro_record_writer *writer,
			    const char *key, const void *bytes, size_t len)
{
	const unsigned char *s = bytes;
	char escape[5];
	size_t i;

	kvmintro_record_key(writer, key, 0);
	kvmintro_record_put(writer, "\"", 1);
	for (i = 0; i < len && !writer->error; i++) {
		if (s[i] == '\\' || s[i] == '"') {
			escape[0] = '\\';
			escape[1] = s[i];
			kvmintro_record_put(writer, escape, 2);
		} else if (s[i] == '\n' || s[i] == '\t') {
			kvmintro_record_put(writer, s[i] == '\n' ? "\\n" : "\\t",
					    2);
		} else if (s[i] < 0x20 || s[i] > 0x7e) {
			snprintf(escape, sizeof(escape), "\\x%02x", s[i]);
			kvmintro_record_put(writer, escape, 4);
		} else {
			kvmintro_record_put(writer, (const char *)&s[i], 1);
		}
	}
	kvmintro_record_put(writer, "\"", 1);
}

/**
 * kvmintro_record_end() - finish a record with its newline
 * @writer: the writer
 *
 * Return: the record's length, newline included (the NUL after it not); or
 * -ENOSPC if it did not fit, the NUL included; or -EINVAL for a kind, key
 * or word the grammar refuses, or a record with no kind and no field.  On
 * failure the buffer holds a part of a record, which must not be used.
 */
int kvmintro_record_end(struct kvmintro_record_writer *writer)
{
	if (!writer->len)
		kvmintro_record_fail(writer, -EINVAL);
	kvmintro_record_put(writer, "\n", 1);
	return writer->error ? writer->error : (int)writer->len;
}

/**
 * kvmintro_record_token_is_key() - is @token a key the reader takes?
 * @token: a key made by KVMINTRO_RECORD_KEY()
 *
 * Return: true if @token is a key ([a-z][a-z0-9_.]*), its '=' and NULs.
 */
bool kvmintro_record_token_is_key(const struct kvmintro_record_token *token)
{
	size_t len = token->len;

	return len >= 2 && len < sizeof(token->text) &&
	       strnlen(token->text, sizeof(token->text)) == len &&
	       token->text[len - 1] == '=' &&
	       kvmintro_record_is_key(token->text, len - 1);
}

/**
 * kvmintro_record_token_is_word() - is @token a word the reader takes?
 * @token: a word made by KVMINTRO_RECORD_WORD()
 *
 * Return: true if @token reads back as a word, and is followed by NULs.
 */
bool kvmintro_record_token_is_word(const struct kvmintro_record_token *token)
{
	struct kvmintro_record_field field;
	size_t len = token->len;

	return len >= 1 && len < sizeof(token->text) &&
	       strnlen(token->text, sizeof(token->text)) == len &&
	       !kvmintro_record_type_value(token->text, len, &field) &&
	       field.type == KVMINTRO_RECORD_WORD;
}
