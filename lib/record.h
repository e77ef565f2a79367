/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The record grammar of the kvmintro debugfs files: one record per line, an
 * optional kind word, then key=value fields.  Documentation/debugfs.rst,
 * "Record format", defines it; the module writes records with the writer
 * here, and the CLI and the tests read them with the reader here.
 */
#ifndef KVMINTRO_LIB_RECORD_H
#define KVMINTRO_LIB_RECORD_H

#include "portable.h"

enum kvmintro_record_type {
	KVMINTRO_RECORD_DECIMAL,	/* 4096 */
	KVMINTRO_RECORD_HEX,		/* 0x1000 */
	KVMINTRO_RECORD_WORD,		/* 4-level */
	KVMINTRO_RECORD_NONE,		/* - */
	KVMINTRO_RECORD_STRING,		/* "Linux version\x00" */
};

/**
 * struct kvmintro_record_field - one key=value field of a parsed record
 * @key:	the key, not NUL-terminated, in the parsed line
 * @key_len:	its length
 * @value:	the value as written (a string with its quotes and escapes),
 *		not NUL-terminated, in the parsed line
 * @value_len:	its length
 * @type:	what @value is
 * @number:	the value of a %KVMINTRO_RECORD_DECIMAL or %KVMINTRO_RECORD_HEX
 *		field, else 0
 * @negative:	a %KVMINTRO_RECORD_DECIMAL written with a leading '-':
 *		@number is then the value as an s64 (two's complement)
 */
struct kvmintro_record_field {
	const char *key;
	size_t key_len;
	const char *value;
	size_t value_len;
	enum kvmintro_record_type type;
	u64 number;
	bool negative;
};

/**
 * struct kvmintro_record - one parsed line
 * @comment:	the line is a comment: no kind and no fields
 * @kind:	the kind word, or NULL if the record has none
 * @kind_len:	its length
 * @fields:	the fields, in the order of the line (the caller's array)
 * @nr_fields:	how many
 *
 * Everything points into the parsed line, which must outlive the record.
 */
struct kvmintro_record {
	bool comment;
	const char *kind;
	size_t kind_len;
	struct kvmintro_record_field *fields;
	unsigned int nr_fields;
};

int kvmintro_record_parse(const char *line, size_t len,
			  struct kvmintro_record *record,
			  struct kvmintro_record_field *fields,
			  unsigned int max_fields);
const struct kvmintro_record_field *
kvmintro_record_find(const struct kvmintro_record *record, const char *key);
char kvmintro_record_string_byte(const char *s, size_t *pos);
int kvmintro_record_decode_string(const struct kvmintro_record_field *field,
				  char *buf, size_t size);

/**
 * struct kvmintro_record_writer - a record being written into a buffer
 * @buf:	where it goes
 * @size:	room in @buf, the terminating NUL included
 * @len:	bytes written so far
 * @error:	0, or the first failure: -ENOSPC (no room) or -EINVAL (a key,
 *		kind or word the grammar does not allow)
 */
struct kvmintro_record_writer {
	char *buf;
	size_t size;
	size_t len;
	int error;
};

void kvmintro_record_begin(struct kvmintro_record_writer *writer, char *buf,
			   size_t size, const char *kind);
void kvmintro_record_u64(struct kvmintro_record_writer *writer,
			 const char *key, u64 value);
void kvmintro_record_s64(struct kvmintro_record_writer *writer,
			 const char *key, s64 value);
void kvmintro_record_hex(struct kvmintro_record_writer *writer,
			 const char *key, u64 value);
void kvmintro_record_size_word(struct kvmintro_record_writer *writer,
			       const char *key, unsigned int shift);
void kvmintro_record_word(struct kvmintro_record_writer *writer,
			  const char *key, const char *word);
void kvmintro_record_none(struct kvmintro_record_writer *writer,
			  const char *key);
void kvmintro_record_string(struct kvmintro_record_writer *writer,
			    const char *key, const void *bytes, size_t len);
int kvmintro_record_end(struct kvmintro_record_writer *writer);

/*
 * The fast path, for records written by the thousand (gpa_hpa: one per
 * 4 KiB page of shared memory): keys and words spelt once, when the code
 * is compiled, with their length, and copied whole, a fixed number of
 * bytes, without being measured or checked again.  Inline, and without a
 * writer: a field is written at a cursor, which it returns moved past the
 * field and a space, and the caller checks the room for the whole record
 * once, %KVMINTRO_RECORD_FAST_FIELD_MAX bytes a field and the NUL, before
 * the first.  What these write is what the functions above write for the
 * same key and value.  Nothing checks a token when a record is written:
 * every table of them is checked once, by a unit test that writes its
 * records and reads them back with kvmintro_record_parse() (or checks
 * each token with kvmintro_record_token_is_key() or _is_word()).
 */
#define KVMINTRO_RECORD_TOKEN_SIZE	16

/**
 * struct kvmintro_record_token - a key or a word known when compiling
 * @text:	the key and its '=' (KVMINTRO_RECORD_KEY()), or the word
 *		(KVMINTRO_RECORD_WORD()), padded with NULs
 * @len:	bytes of @text written: 1 to %KVMINTRO_RECORD_TOKEN_SIZE - 1
 */
struct kvmintro_record_token {
	char text[KVMINTRO_RECORD_TOKEN_SIZE];
	u8 len;
};

/*
 * A key of up to 14 bytes, a word of up to 15: kvmintro_record_token_is_key()
 * and _is_word() refuse longer ones (and the compiler those that overflow).
 */
#define KVMINTRO_RECORD_KEY(key)	{ .text = key "=", .len = sizeof(key) }
#define KVMINTRO_RECORD_WORD(word)	{ .text = word, .len = sizeof(word) - 1 }

/*
 * The most bytes one field of the fast path writes, some past its end
 * (overwritten by the next field, or by the newline and the NUL): the key
 * and "0x" and 16 digits and the space, or the key and a word, each token
 * copied whole.
 */
#define KVMINTRO_RECORD_FAST_FIELD_MAX	(2 * KVMINTRO_RECORD_TOKEN_SIZE + 3)

bool kvmintro_record_token_is_key(const struct kvmintro_record_token *token);
bool kvmintro_record_token_is_word(const struct kvmintro_record_token *token);

/* "00" to "ff": numbers are written two digits a step. */
extern const char kvmintro_record_hex_pairs[513];

/* How many hex digits @value has: 1 to 16. */
static __always_inline unsigned int kvmintro_record_hex_digits(u64 value)
{
	return (64 - __builtin_clzll(value | 1) + 3) / 4;
}

/* Byte @n of @value as its two hex digits, the n-th pair before @end. */
#define KVMINTRO_RECORD_HEX_PAIR(end, value, n)				\
	__builtin_memcpy((end) - 2 * (n) - 2,				\
			 &kvmintro_record_hex_pairs[2 * (((value) >> (8 * (n))) & 0xff)], 2)

/*
 * Write the @digits hex digits (1 to 16) of @value before @end: the pairs
 * of its low bytes, entered at the highest one it has: a loop unrolled,
 * with no count to keep (natively, an eighth of a gpa_hpa record's
 * instructions fewer), then an odd leading digit.
 */
static __always_inline void kvmintro_record_hex_digits_at(char *end,
							  unsigned int digits,
							  u64 value)
{
	switch (digits / 2) {
	case 8:
		KVMINTRO_RECORD_HEX_PAIR(end, value, 7);
		fallthrough;
	case 7:
		KVMINTRO_RECORD_HEX_PAIR(end, value, 6);
		fallthrough;
	case 6:
		KVMINTRO_RECORD_HEX_PAIR(end, value, 5);
		fallthrough;
	case 5:
		KVMINTRO_RECORD_HEX_PAIR(end, value, 4);
		fallthrough;
	case 4:
		KVMINTRO_RECORD_HEX_PAIR(end, value, 3);
		fallthrough;
	case 3:
		KVMINTRO_RECORD_HEX_PAIR(end, value, 2);
		fallthrough;
	case 2:
		KVMINTRO_RECORD_HEX_PAIR(end, value, 1);
		fallthrough;
	case 1:
		KVMINTRO_RECORD_HEX_PAIR(end, value, 0);
		fallthrough;
	default:
		break;
	}
	if (digits & 1)
		end[-(int)digits] = kvmintro_record_hex_pairs[
			2 * ((value >> (4 * (digits - 1))) & 0xf) + 1];
}
#undef KVMINTRO_RECORD_HEX_PAIR

/* @token copied whole at @p; where it ends. */
static __always_inline char *
kvmintro_record_fast_token(char *p, const struct kvmintro_record_token *token)
{
	__builtin_memcpy(p, token->text, sizeof(token->text));
	return p + token->len;
}

/* Add @key=@value in hex, with 0x, as kvmintro_record_hex() does. */
static __always_inline char *
kvmintro_record_fast_hex(char *p, const struct kvmintro_record_token *key,
			 u64 value)
{
	unsigned int digits = kvmintro_record_hex_digits(value);

	p = kvmintro_record_fast_token(p, key);
	p[0] = '0';
	p[1] = 'x';
	p += 2 + digits;
	kvmintro_record_hex_digits_at(p, digits, value);
	*p = ' ';
	return p + 1;
}

/* Add @key=- , as kvmintro_record_none() does. */
static __always_inline char *
kvmintro_record_fast_none(char *p, const struct kvmintro_record_token *key)
{
	p = kvmintro_record_fast_token(p, key);
	p[0] = '-';
	p[1] = ' ';
	return p + 2;
}

/* Add @key=@word, as kvmintro_record_word() does. */
static __always_inline char *
kvmintro_record_fast_word(char *p, const struct kvmintro_record_token *key,
			  const struct kvmintro_record_token *word)
{
	p = kvmintro_record_fast_token(p, key);
	p = kvmintro_record_fast_token(p, word);
	*p = ' ';
	return p + 1;
}

/* The words of the page sizes, 2^10 to 2^61 bytes: "1K" to "2147483648G". */
extern const struct kvmintro_record_token kvmintro_record_size_words[52];

/*
 * Add @key=<a page of 2^@shift bytes, 10 to 61>, as
 * kvmintro_record_size_word() does.
 */
static __always_inline char *
kvmintro_record_fast_size_word(char *p,
			       const struct kvmintro_record_token *key,
			       unsigned int shift)
{
	return kvmintro_record_fast_word(p, key,
					 &kvmintro_record_size_words[shift - 10]);
}

/*
 * End the record whose fields end at @p (each with a space after it) and
 * that started at @buf; its length, newline included.
 */
static __always_inline int kvmintro_record_fast_end(char *buf, char *p)
{
	p[-1] = '\n';
	p[0] = '\0';
	return p - buf;
}

#endif /* KVMINTRO_LIB_RECORD_H */
