/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_PARSE_H
#define KVMINTRO_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define KVMINTRO_PARSE_MESSAGE_MAX 256
/* A record format has at most this many fields (one bit each in a set). */
#define KVMINTRO_FIELDS_MAX 128

/**
 * struct kvmintro_span - bytes of a larger buffer, not NUL-terminated
 * @start: first byte
 * @length: number of bytes
 */
struct kvmintro_span {
	const char *start;
	size_t length;
};

/**
 * struct kvmintro_parse_error - why a file was rejected
 * @line: 1-based number of the offending line, 0 for the file as a whole
 * @line_text: the offending line, quoted with kvmintro_quote(), or ""
 * @message: what is wrong with it
 */
struct kvmintro_parse_error {
	size_t line;
	char line_text[KVMINTRO_QUOTE_MAX];
	char message[KVMINTRO_PARSE_MESSAGE_MAX];
};

enum kvmintro_field_type {
	KVMINTRO_FIELD_DECIMAL,	/* uint64_t written in decimal */
	KVMINTRO_FIELD_HEX,	/* uint64_t written as 0x<hex> */
	KVMINTRO_FIELD_NAME,	/* char[]: printable, no '/', not "." or ".." */
	KVMINTRO_FIELD_PAGE_SIZE, /* uint64_t bytes, written "4K", "2M", "1G" */
	KVMINTRO_FIELD_TIME,	/* struct kvmintro_time: "<seconds>.<fraction>" */
	KVMINTRO_FIELD_REST,	/* struct kvmintro_span: the rest of the line */
};

/**
 * struct kvmintro_field - one key or column of a debugfs file
 * @name: the key (key=value files) or column title (column files)
 * @type: how the value is written, and so how it is stored
 * @offset: where the value goes in the record
 * @size: size of the destination in the record
 * @absent: for number types, a word that stands for "no value" (like "-");
 *	the destination is then a struct kvmintro_maybe_u64
 * @choices: for %KVMINTRO_FIELD_NAME, the only values allowed, NULL-ended
 * @optional: the key may be missing (key=value files only)
 *
 * A %KVMINTRO_FIELD_REST value points into the text parsed: it is valid as
 * long as that text is.
 */
struct kvmintro_field {
	const char *name;
	enum kvmintro_field_type type;
	size_t offset;
	size_t size;
	const char *absent;
	const char *const *choices;
	bool optional;
};

/* A field; what follows the type sets @absent, @choices or @optional. */
#define KVMINTRO_FIELD(record, member, field_name, field_type, ...)	\
	{								\
		.name = field_name,					\
		.type = field_type,					\
		.offset = offsetof(record, member),			\
		.size = sizeof(((record *)0)->member),			\
		__VA_ARGS__						\
	}

/**
 * struct kvmintro_field_set - which fields of a format a record had
 * @bits: one bit per field, by index in the format's @fields
 */
struct kvmintro_field_set {
	uint64_t bits[KVMINTRO_FIELDS_MAX / 64];
};

enum kvmintro_layout {
	/* One record per line, "key=value" words; unknown keys are ignored. */
	KVMINTRO_LAYOUT_KEY_VALUE,
	/* A header line of column titles, then one record per line. */
	KVMINTRO_LAYOUT_COLUMNS,
};

/**
 * struct kvmintro_record_format - how the records of one debugfs file look
 * @layout: key=value lines or header and columns
 * @fields: every key or column a record has
 * @nr_fields: number of @fields, at most %KVMINTRO_FIELDS_MAX
 * @record_size: size of the structure the fields are stored into
 * @check: if not NULL, called on each record parsed, to refuse values that
 *	do not go together; returns 0 or kvmintro_parse_fail()'s value
 */
struct kvmintro_record_format {
	enum kvmintro_layout layout;
	const struct kvmintro_field *fields;
	size_t nr_fields;
	size_t record_size;
	int (*check)(const void *record, struct kvmintro_parse_error *error);
};

/*
 * Called by kvmintro_parse_lines() on each line that is not blank; a
 * failure is located at that line.
 */
typedef int (*kvmintro_line_parser_fn)(void *context,
				       struct kvmintro_span line,
				       struct kvmintro_parse_error *error);

/**
 * struct kvmintro_line_reader - walks the lines of a buffer
 * @cursor: start of the next line
 * @remaining: bytes from @cursor to the end of the buffer
 * @line: 1-based number of the line returned last
 */
struct kvmintro_line_reader {
	const char *cursor;
	size_t remaining;
	size_t line;
};

struct kvmintro_span kvmintro_span_from_string(const char *string);
bool kvmintro_span_equals(struct kvmintro_span span, const char *string);
bool kvmintro_span_next_word(struct kvmintro_span *rest,
			     struct kvmintro_span *word);
bool kvmintro_span_next_token(struct kvmintro_span *rest, char separator,
			      struct kvmintro_span *token);

void kvmintro_line_reader_init(struct kvmintro_line_reader *reader,
			       const char *text, size_t length);
bool kvmintro_line_reader_next(struct kvmintro_line_reader *reader,
			       struct kvmintro_span *line);

bool kvmintro_is_valid_name(struct kvmintro_span value);

int kvmintro_parse_decimal(struct kvmintro_span text, uint64_t *value);
int kvmintro_parse_hex(struct kvmintro_span text, uint64_t *value);
int kvmintro_parse_page_size(struct kvmintro_span text, uint64_t *bytes);
int kvmintro_parse_time(struct kvmintro_span text, struct kvmintro_time *time);

int kvmintro_parse_fail(struct kvmintro_parse_error *error, int err,
			const char *format, ...) __printf(3, 4);
int kvmintro_parse_lines(const char *text, size_t length,
			 kvmintro_line_parser_fn parse_line, void *context,
			 struct kvmintro_parse_error *error);
int kvmintro_parse_key_values(const struct kvmintro_record_format *format,
			      struct kvmintro_span words, void *record,
			      struct kvmintro_field_set *seen,
			      struct kvmintro_parse_error *error);
int kvmintro_parse_words(const struct kvmintro_record_format *format,
			 struct kvmintro_span words, void *record,
			 struct kvmintro_parse_error *error);
int kvmintro_check_fields_seen(const struct kvmintro_record_format *format,
			       const struct kvmintro_field_set *seen,
			       const char *what,
			       struct kvmintro_parse_error *error);
bool kvmintro_field_seen(const struct kvmintro_record_format *format,
			 const struct kvmintro_field_set *seen,
			 const char *name);

int kvmintro_parse_records(const struct kvmintro_record_format *format,
			   const char *text, size_t length,
			   struct kvmintro_array *records,
			   struct kvmintro_parse_error *error);
int kvmintro_parse_record(const struct kvmintro_record_format *format,
			  const char *text, size_t length, void *record,
			  struct kvmintro_field_set *seen,
			  struct kvmintro_parse_error *error);

#endif /* KVMINTRO_PARSE_H */
