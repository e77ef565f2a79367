// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of the text files the kvmintro module exports in debugfs.
 *
 * Every parser here works on bytes with an explicit length, never on a
 * NUL-terminated string, so that any input (NUL bytes, no final newline,
 * megabyte-long lines) is either accepted or rejected with a message naming
 * the line. The module may be newer or older than the CLI, and the parsers
 * are fuzzed: never trust a byte of the input.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../lib/parse.h"
#include "parse.h"

struct kvmintro_span kvmintro_span_from_string(const char *string)
{
	return (struct kvmintro_span){ .start = string, .length = strlen(string) };
}

bool kvmintro_span_equals(struct kvmintro_span span, const char *string)
{
	size_t length = strlen(string);

	if (span.length != length)
		return false;
	return !length || !memcmp(span.start, string, length);
}

static bool kvmintro_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void kvmintro_span_advance(struct kvmintro_span *span, size_t count)
{
	if (!count)
		return;
	span->start += count;
	span->length -= count;
}

/*
 * Split the next word (bytes up to a space or tab) off the front of @rest,
 * skipping the blanks before it. Return false when only blanks are left.
 */
bool kvmintro_span_next_word(struct kvmintro_span *rest,
			     struct kvmintro_span *word)
{
	size_t end;

	while (rest->length && kvmintro_is_blank(rest->start[0]))
		kvmintro_span_advance(rest, 1);
	if (!rest->length)
		return false;
	for (end = 0; end < rest->length; end++) {
		if (kvmintro_is_blank(rest->start[end]))
			break;
	}
	word->start = rest->start;
	word->length = end;
	kvmintro_span_advance(rest, end);
	return true;
}

/*
 * Split the next token up to @separator off the front of @rest and drop the
 * separator. Return false once @rest is empty.
 */
bool kvmintro_span_next_token(struct kvmintro_span *rest, char separator,
			      struct kvmintro_span *token)
{
	const char *found;

	if (!rest->length)
		return false;
	found = memchr(rest->start, separator, rest->length);
	token->start = rest->start;
	token->length = found ? (size_t)(found - rest->start) : rest->length;
	kvmintro_span_advance(rest, found ? token->length + 1 : token->length);
	return true;
}

void kvmintro_line_reader_init(struct kvmintro_line_reader *reader,
			       const char *text, size_t length)
{
	reader->cursor = text;
	reader->remaining = length;
	reader->line = 0;
}

/*
 * Return the next line of the buffer, without its newline. The last line
 * may lack a newline; a newline at the very end does not start a line.
 */
bool kvmintro_line_reader_next(struct kvmintro_line_reader *reader,
			       struct kvmintro_span *line)
{
	struct kvmintro_span rest = {
		.start = reader->cursor,
		.length = reader->remaining,
	};

	if (!kvmintro_span_next_token(&rest, '\n', line))
		return false;
	reader->cursor = rest.start;
	reader->remaining = rest.length;
	reader->line++;
	return true;
}

/* Like kvmintro_line_reader_next(), but skip lines that hold only blanks. */
static bool kvmintro_line_reader_next_filled(struct kvmintro_line_reader *reader,
					     struct kvmintro_span *line)
{
	while (kvmintro_line_reader_next(reader, line)) {
		struct kvmintro_span rest = *line, word;

		if (kvmintro_span_next_word(&rest, &word))
			return true;
	}
	return false;
}

/*
 * Parse a decimal number: digits only, no sign, no blanks. Return -EINVAL if
 * @text is not one, -ERANGE if it does not fit in 64 bits.
 */
int kvmintro_parse_decimal(struct kvmintro_span text, uint64_t *value)
{
	bool overflow = false;
	uint64_t result = 0;
	size_t i;

	if (!text.length)
		return -EINVAL;
	for (i = 0; i < text.length; i++) {
		unsigned int digit = (unsigned char)text.start[i] - '0';

		if (digit > 9)
			return -EINVAL;
		if (result > (UINT64_MAX - digit) / 10)
			overflow = true;
		result = result * 10 + digit;
	}
	if (overflow)
		return -ERANGE;
	*value = result;
	return 0;
}

/*
 * Parse "0x" followed by hex digits. Also take a lone "0": that is how the
 * kernel's "%#llx" prints zero. Return -EINVAL if @text is not a hex number,
 * -ERANGE if it does not fit in 64 bits.
 */
int kvmintro_parse_hex(struct kvmintro_span text, uint64_t *value)
{
	bool overflow = false;
	uint64_t result = 0;
	size_t i;

	if (kvmintro_span_equals(text, "0")) {
		*value = 0;
		return 0;
	}
	if (text.length < 3 || text.start[0] != '0' || text.start[1] != 'x')
		return -EINVAL;
	for (i = 2; i < text.length; i++) {
		int digit = kvmintro_hex_digit(text.start[i]);

		if (digit < 0)
			return -EINVAL;
		if (result >> 60)
			overflow = true;
		result = result << 4 | (uint64_t)digit;
	}
	if (overflow)
		return -ERANGE;
	*value = result;
	return 0;
}

/* Parse decimal digits that end with a unit: "4K", "2M", "1G". */
int kvmintro_parse_page_size(struct kvmintro_span text, uint64_t *bytes)
{
	static const char units[] = "KMG";
	struct kvmintro_span digits = text;
	const char *unit;
	unsigned int shift;
	uint64_t number;
	int ret;

	if (!text.length)
		return -EINVAL;
	unit = memchr(units, text.start[text.length - 1], strlen(units));
	if (!unit)
		return -EINVAL;
	digits.length--;
	ret = kvmintro_parse_decimal(digits, &number);
	if (ret)
		return ret;
	shift = 10 * (unsigned int)(unit - units + 1);
	if (number > UINT64_MAX >> shift)
		return -ERANGE;
	*bytes = number << shift;
	return 0;
}

/*
 * Parse "<seconds>.<fraction>", the fraction 1 to 9 digits (the module
 * writes 9: nanoseconds). Return -EINVAL or -ERANGE like the numbers.
 */
int kvmintro_parse_time(struct kvmintro_span text, struct kvmintro_time *time)
{
	const char *dot = memchr(text.start, '.', text.length);
	struct kvmintro_span seconds, fraction;
	uint64_t whole, part;
	size_t i;
	int ret;

	if (!text.length || !dot)
		return -EINVAL;
	seconds.start = text.start;
	seconds.length = (size_t)(dot - text.start);
	fraction.start = dot + 1;
	fraction.length = text.length - seconds.length - 1;
	if (!fraction.length || fraction.length > 9)
		return -EINVAL;
	ret = kvmintro_parse_decimal(fraction, &part);
	if (!ret)
		ret = kvmintro_parse_decimal(seconds, &whole);
	if (ret)
		return ret;
	for (i = fraction.length; i < 9; i++)
		part *= 10;
	time->seconds = whole;
	time->nanoseconds = (uint32_t)part;
	return 0;
}

/* Say in @error what is wrong, like printf(), and return @err. */
int kvmintro_parse_fail(struct kvmintro_parse_error *error, int err,
			const char *format, ...)
{
	va_list arguments;

	va_start(arguments, format);
	vsnprintf(error->message, sizeof(error->message), format, arguments);
	va_end(arguments);
	return err;
}

/* Fail with a message about the value of @field, quoted. */
static int kvmintro_parse_fail_value(struct kvmintro_parse_error *error,
				     const struct kvmintro_field *field,
				     struct kvmintro_span value,
				     const char *problem)
{
	char quoted[KVMINTRO_QUOTE_MAX];

	kvmintro_quote(value.start, value.length, quoted, sizeof(quoted));
	return kvmintro_parse_fail(error, -EBADMSG, "%s: %s %s", field->name,
				   quoted, problem);
}

static int kvmintro_parse_number(const struct kvmintro_field *field,
				 struct kvmintro_span value, uint64_t *number,
				 struct kvmintro_parse_error *error)
{
	const char *expected;
	int ret;

	switch (field->type) {
	case KVMINTRO_FIELD_HEX:
		ret = kvmintro_parse_hex(value, number);
		expected = "is not a hex number like 0x1f";
		break;
	case KVMINTRO_FIELD_PAGE_SIZE:
		ret = kvmintro_parse_page_size(value, number);
		expected = "is not a size like 4K, 2M or 1G";
		break;
	default:
		ret = kvmintro_parse_decimal(value, number);
		expected = "is not a decimal number";
		break;
	}
	if (ret == -ERANGE)
		return kvmintro_parse_fail_value(error, field, value,
						 "does not fit in 64 bits");
	if (ret)
		return kvmintro_parse_fail_value(error, field, value, expected);
	return 0;
}

/*
 * Store a number field: a uint64_t, or, if the field has a word for "no
 * value", a struct kvmintro_maybe_u64.
 */
static int kvmintro_store_number(const struct kvmintro_field *field,
				 struct kvmintro_span value, void *destination,
				 struct kvmintro_parse_error *error)
{
	struct kvmintro_maybe_u64 maybe = { 0 };
	int ret;

	if (field->size != (field->absent ? sizeof(maybe) : sizeof(uint64_t)))
		return kvmintro_parse_fail(error, -EINVAL,
					   "%s: wrong destination size", field->name);
	if (!field->absent || !kvmintro_span_equals(value, field->absent)) {
		ret = kvmintro_parse_number(field, value, &maybe.value, error);
		if (ret)
			return ret;
		maybe.valid = true;
	}
	if (field->absent)
		memcpy(destination, &maybe, sizeof(maybe));
	else
		memcpy(destination, &maybe.value, sizeof(maybe.value));
	return 0;
}

static int kvmintro_store_time(const struct kvmintro_field *field,
			       struct kvmintro_span value, void *destination,
			       struct kvmintro_parse_error *error)
{
	struct kvmintro_time time;
	int ret;

	if (field->size != sizeof(time))
		return kvmintro_parse_fail(error, -EINVAL,
					   "%s: wrong destination size", field->name);
	ret = kvmintro_parse_time(value, &time);
	if (ret == -ERANGE)
		return kvmintro_parse_fail_value(error, field, value,
						 "does not fit in 64 bits");
	if (ret)
		return kvmintro_parse_fail_value(error, field, value,
			"is not a time like 1795332144.297468151");
	memcpy(destination, &time, sizeof(time));
	return 0;
}

/* A name becomes part of a path: refuse anything that could leave its dir. */
/* A directory name: printable, no blank or '/', not "." or "..". */
bool kvmintro_is_valid_name(struct kvmintro_span value)
{
	size_t i;

	if (kvmintro_span_equals(value, ".") || kvmintro_span_equals(value, ".."))
		return false;
	for (i = 0; i < value.length; i++) {
		unsigned char c = (unsigned char)value.start[i];

		if (c <= ' ' || c > '~' || c == '/')
			return false;
	}
	return value.length > 0;
}

static bool kvmintro_is_choice(const char *const *choices,
			       struct kvmintro_span value)
{
	for (; *choices; choices++) {
		if (kvmintro_span_equals(value, *choices))
			return true;
	}
	return false;
}

/* Fail because @value is none of @field's choices, and list them. */
static int kvmintro_parse_fail_choice(struct kvmintro_parse_error *error,
				      const struct kvmintro_field *field,
				      struct kvmintro_span value)
{
	char problem[KVMINTRO_PARSE_MESSAGE_MAX / 2] = "is not ";
	const char *const *choice;
	size_t used = strlen(problem);

	for (choice = field->choices; *choice && used < sizeof(problem); choice++)
		used += (size_t)snprintf(problem + used, sizeof(problem) - used,
					 "%s'%s'", choice == field->choices ? "" :
					 choice[1] ? ", " : " or ", *choice);
	return kvmintro_parse_fail_value(error, field, value, problem);
}

static int kvmintro_store_text(const struct kvmintro_field *field,
			       struct kvmintro_span value, char *destination,
			       struct kvmintro_parse_error *error)
{
	if (field->type == KVMINTRO_FIELD_NAME && !kvmintro_is_valid_name(value))
		return kvmintro_parse_fail_value(error, field, value,
						 "is not a valid name");
	if (field->choices && !kvmintro_is_choice(field->choices, value))
		return kvmintro_parse_fail_choice(error, field, value);
	if (value.length >= field->size) {
		char problem[64];

		snprintf(problem, sizeof(problem), "is longer than %zu bytes",
			 field->size - 1);
		return kvmintro_parse_fail_value(error, field, value, problem);
	}
	memcpy(destination, value.start, value.length);
	destination[value.length] = '\0';
	return 0;
}

static int kvmintro_store_field(const struct kvmintro_field *field,
				struct kvmintro_span value, void *record,
				struct kvmintro_parse_error *error)
{
	char *destination = (char *)record + field->offset;

	switch (field->type) {
	case KVMINTRO_FIELD_DECIMAL:
	case KVMINTRO_FIELD_HEX:
	case KVMINTRO_FIELD_PAGE_SIZE:
		return kvmintro_store_number(field, value, destination, error);
	case KVMINTRO_FIELD_NAME:
		return kvmintro_store_text(field, value, destination, error);
	case KVMINTRO_FIELD_TIME:
		return kvmintro_store_time(field, value, destination, error);
	case KVMINTRO_FIELD_REST:
		if (field->size != sizeof(value))
			break;
		memcpy(destination, &value, sizeof(value));
		return 0;
	}
	return kvmintro_parse_fail(error, -EINVAL, "%s: bad field type %d",
				   field->name, (int)field->type);
}

/* Return the index of the field called @name, or -1 if there is none. */
static int kvmintro_find_field(const struct kvmintro_record_format *format,
			       struct kvmintro_span name)
{
	size_t i;

	for (i = 0; i < format->nr_fields; i++) {
		if (kvmintro_span_equals(name, format->fields[i].name))
			return (int)i;
	}
	return -1;
}

static bool kvmintro_field_set_has(const struct kvmintro_field_set *set,
				   size_t index)
{
	return set->bits[index / 64] & UINT64_C(1) << (index % 64);
}

/*
 * Record that the field at @index was seen in @seen; fail if it was already,
 * as two values for one field leave no way to tell which is right.
 */
static int kvmintro_mark_field_seen(const struct kvmintro_record_format *format,
				    int index, struct kvmintro_field_set *seen,
				    const char *what,
				    struct kvmintro_parse_error *error)
{
	if (kvmintro_field_set_has(seen, (size_t)index))
		return kvmintro_parse_fail(error, -EBADMSG, "%s '%s' appears twice",
					   what, format->fields[index].name);
	seen->bits[index / 64] |= UINT64_C(1) << (index % 64);
	return 0;
}

/* Fail if a field of @format that is not optional is missing from @seen. */
int kvmintro_check_fields_seen(const struct kvmintro_record_format *format,
			       const struct kvmintro_field_set *seen,
			       const char *what,
			       struct kvmintro_parse_error *error)
{
	size_t i;

	for (i = 0; i < format->nr_fields; i++) {
		if (!format->fields[i].optional &&
		    !kvmintro_field_set_has(seen, i))
			return kvmintro_parse_fail(error, -EBADMSG,
						   "%s '%s' is missing", what,
						   format->fields[i].name);
	}
	return 0;
}

/* Return whether the field of @format called @name is in @seen. */
bool kvmintro_field_seen(const struct kvmintro_record_format *format,
			 const struct kvmintro_field_set *seen,
			 const char *name)
{
	int index = kvmintro_find_field(format, kvmintro_span_from_string(name));

	return index >= 0 && kvmintro_field_set_has(seen, (size_t)index);
}

/*
 * Parse one key=value @word into @record. A %KVMINTRO_FIELD_REST value
 * takes the rest of the line, @rest, too, which is then emptied.
 */
static int kvmintro_parse_key_value_word(const struct kvmintro_record_format *format,
					 struct kvmintro_span word,
					 struct kvmintro_span *rest,
					 void *record,
					 struct kvmintro_field_set *seen,
					 struct kvmintro_parse_error *error)
{
	const char *equals = memchr(word.start, '=', word.length);
	struct kvmintro_span key, value;
	char quoted[KVMINTRO_QUOTE_MAX];
	int index, ret;

	if (!equals || equals == word.start) {
		kvmintro_quote(word.start, word.length, quoted, sizeof(quoted));
		return kvmintro_parse_fail(error, -EBADMSG,
					   "%s is not key=value", quoted);
	}
	key.start = word.start;
	key.length = (size_t)(equals - word.start);
	value.start = equals + 1;
	value.length = word.length - key.length - 1;

	/* A key this CLI does not know comes from a newer module: skip it. */
	index = kvmintro_find_field(format, key);
	if (index < 0)
		return 0;
	ret = kvmintro_mark_field_seen(format, index, seen, "key", error);
	if (ret)
		return ret;
	if (format->fields[index].type == KVMINTRO_FIELD_REST) {
		value.length = (size_t)(rest->start + rest->length - value.start);
		rest->length = 0;
	}
	return kvmintro_store_field(&format->fields[index], value, record, error);
}

/*
 * Parse the key=value words of @words into @record, adding the fields met
 * to @seen. Fail on a field met twice; do not check for missing ones (see
 * kvmintro_check_fields_seen()).
 */
int kvmintro_parse_key_values(const struct kvmintro_record_format *format,
			      struct kvmintro_span words, void *record,
			      struct kvmintro_field_set *seen,
			      struct kvmintro_parse_error *error)
{
	struct kvmintro_span word;
	int ret;

	if (format->nr_fields > KVMINTRO_FIELDS_MAX)
		return kvmintro_parse_fail(error, -EINVAL, "too many fields");
	while (kvmintro_span_next_word(&words, &word)) {
		ret = kvmintro_parse_key_value_word(format, word, &words, record,
						    seen, error);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Parse the key=value words of @words as one whole record of @format into
 * @record: like kvmintro_parse_key_values(), then fail if a key that is not
 * optional is missing.
 */
int kvmintro_parse_words(const struct kvmintro_record_format *format,
			 struct kvmintro_span words, void *record,
			 struct kvmintro_parse_error *error)
{
	struct kvmintro_field_set seen = { { 0 } };
	int ret;

	ret = kvmintro_parse_key_values(format, words, record, &seen, error);
	if (!ret)
		ret = kvmintro_check_fields_seen(format, &seen, "key", error);
	return ret;
}

/*
 * Check that the header names every field exactly once and count its
 * columns. Columns this CLI does not know come from a newer module: their
 * values are skipped in every row.
 */
static int kvmintro_parse_header(const struct kvmintro_record_format *format,
				 struct kvmintro_span header, size_t *nr_columns,
				 struct kvmintro_parse_error *error)
{
	struct kvmintro_field_set seen = { { 0 } };
	struct kvmintro_span title;
	int index, ret;

	*nr_columns = 0;
	while (kvmintro_span_next_word(&header, &title)) {
		(*nr_columns)++;
		index = kvmintro_find_field(format, title);
		if (index < 0)
			continue;
		ret = kvmintro_mark_field_seen(format, index, &seen, "column",
					       error);
		if (ret)
			return ret;
	}
	return kvmintro_check_fields_seen(format, &seen, "column", error);
}

/* Parse one row, walking its words and the header's titles side by side. */
static int kvmintro_parse_row(const struct kvmintro_record_format *format,
			      struct kvmintro_span header, size_t nr_columns,
			      struct kvmintro_span line, void *record,
			      struct kvmintro_parse_error *error)
{
	struct kvmintro_span title, value;
	size_t column = 0;
	int index, ret;

	while (kvmintro_span_next_word(&line, &value)) {
		if (!kvmintro_span_next_word(&header, &title))
			return kvmintro_parse_fail(error, -EBADMSG,
				"more columns than the %zu of the header",
				nr_columns);
		column++;
		index = kvmintro_find_field(format, title);
		if (index < 0)
			continue;
		ret = kvmintro_store_field(&format->fields[index], value,
					   record, error);
		if (ret)
			return ret;
	}
	if (column < nr_columns)
		return kvmintro_parse_fail(error, -EBADMSG,
			"%zu columns, but the header has %zu", column,
			nr_columns);
	return 0;
}

static void kvmintro_parse_error_locate(struct kvmintro_parse_error *error,
					size_t line_number,
					struct kvmintro_span line)
{
	error->line = line_number;
	kvmintro_quote(line.start, line.length, error->line_text,
		       sizeof(error->line_text));
}

/*
 * Call @parse_line on every line of @text that is not blank, in order, and
 * stop at the first failure, which @error then locates at that line.
 * Return 0 or that failure.
 */
int kvmintro_parse_lines(const char *text, size_t length,
			 kvmintro_line_parser_fn parse_line, void *context,
			 struct kvmintro_parse_error *error)
{
	struct kvmintro_line_reader reader;
	struct kvmintro_span line;
	int ret;

	memset(error, 0, sizeof(*error));
	kvmintro_line_reader_init(&reader, text, length);
	while (kvmintro_line_reader_next_filled(&reader, &line)) {
		ret = parse_line(context, line, error);
		if (ret) {
			kvmintro_parse_error_locate(error, reader.line, line);
			return ret;
		}
	}
	return 0;
}

/**
 * struct kvmintro_records_parser - kvmintro_parse_records() at work
 * @format: the file's format
 * @records: the records so far
 * @header: the header line, once met (column files)
 * @nr_columns: its number of columns
 */
struct kvmintro_records_parser {
	const struct kvmintro_record_format *format;
	struct kvmintro_array *records;
	struct kvmintro_span header;
	size_t nr_columns;
};

static int kvmintro_parse_record_line(void *context, struct kvmintro_span line,
				      struct kvmintro_parse_error *error)
{
	struct kvmintro_records_parser *parser = context;
	const struct kvmintro_record_format *format = parser->format;
	void *record;
	int ret;

	if (format->layout == KVMINTRO_LAYOUT_COLUMNS && !parser->header.start) {
		parser->header = line;
		return kvmintro_parse_header(format, line, &parser->nr_columns,
					     error);
	}
	record = kvmintro_array_append(parser->records);
	if (!record)
		return kvmintro_parse_fail(error, -ENOMEM, "out of memory");
	if (format->layout == KVMINTRO_LAYOUT_COLUMNS)
		ret = kvmintro_parse_row(format, parser->header,
					 parser->nr_columns, line, record, error);
	else
		ret = kvmintro_parse_words(format, line, record, error);
	if (!ret && format->check)
		ret = format->check(record, error);
	return ret;
}

/*
 * Parse the records of one debugfs file in @text into @records, an array
 * of @format->record_size elements the caller releases: one per line, or,
 * in a column file, one per line after the header. Blank lines are
 * skipped. On failure @records is left empty, @error says why and where,
 * and the return value is -EBADMSG (bad input), -ENOMEM or -EINVAL (bad
 * @format).
 */
int kvmintro_parse_records(const struct kvmintro_record_format *format,
			   const char *text, size_t length,
			   struct kvmintro_array *records,
			   struct kvmintro_parse_error *error)
{
	struct kvmintro_records_parser parser = {
		.format = format,
		.records = records,
	};
	int ret;

	kvmintro_array_init(records, format->record_size);
	if (format->nr_fields > KVMINTRO_FIELDS_MAX) {
		memset(error, 0, sizeof(*error));
		return kvmintro_parse_fail(error, -EINVAL, "too many fields");
	}
	ret = kvmintro_parse_lines(text, length, kvmintro_parse_record_line,
				   &parser, error);
	if (!ret && format->layout == KVMINTRO_LAYOUT_COLUMNS &&
	    !parser.header.start)
		ret = kvmintro_parse_fail(error, -EBADMSG,
			"the file is empty, but should start with a header line");
	if (ret)
		kvmintro_array_release(records);
	return ret;
}

/**
 * struct kvmintro_single_record_parser - kvmintro_parse_record() at work
 * @format: the file's format
 * @record: where the fields go
 * @seen: the fields met so far
 */
struct kvmintro_single_record_parser {
	const struct kvmintro_record_format *format;
	void *record;
	struct kvmintro_field_set *seen;
};

static int kvmintro_parse_single_record_line(void *context,
					     struct kvmintro_span line,
					     struct kvmintro_parse_error *error)
{
	struct kvmintro_single_record_parser *parser = context;

	return kvmintro_parse_key_values(parser->format, line, parser->record,
					 parser->seen, error);
}

/*
 * Parse a key=value file that holds one record over all its lines (any
 * number of words a line), zeroing @record first. @seen says which fields
 * were there, so that the caller can tell an optional field's absence.
 * Fail like kvmintro_parse_records(); a missing key is a failure of the
 * file as a whole (line 0).
 */
int kvmintro_parse_record(const struct kvmintro_record_format *format,
			  const char *text, size_t length, void *record,
			  struct kvmintro_field_set *seen,
			  struct kvmintro_parse_error *error)
{
	struct kvmintro_single_record_parser parser = {
		.format = format,
		.record = record,
		.seen = seen,
	};
	int ret;

	memset(record, 0, format->record_size);
	memset(seen, 0, sizeof(*seen));
	ret = kvmintro_parse_lines(text, length,
				   kvmintro_parse_single_record_line, &parser,
				   error);
	if (!ret)
		ret = kvmintro_check_fields_seen(format, seen, "key", error);
	if (!ret && format->check)
		ret = format->check(record, error);
	return ret;
}
