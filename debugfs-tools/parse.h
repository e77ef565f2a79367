/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_PARSE_H
#define KVMINTRO_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/parse.h"
#include "util.h"

#define KVMINTRO_PARSE_MESSAGE_MAX 256

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

struct kvmintro_span kvmintro_span_from_string(const char *string);
bool kvmintro_span_equals(struct kvmintro_span span, const char *string);
bool kvmintro_span_next_token(struct kvmintro_span *rest, char separator,
			      struct kvmintro_span *token);
bool kvmintro_is_valid_name(struct kvmintro_span value);

int kvmintro_parse_decimal(struct kvmintro_span text, uint64_t *value);
int kvmintro_parse_page_size(struct kvmintro_span text, uint64_t *bytes);
int kvmintro_parse_time(struct kvmintro_span text, struct kvmintro_time *time);
int kvmintro_parse_fail(struct kvmintro_parse_error *error, int err,
			const char *format, ...) __printf(3, 4);

int kvmintro_parse_number_argument(const char *text, uint64_t *value);
int kvmintro_parse_address_argument(const char *text, uint64_t *gpa);
int kvmintro_parse_length_argument(const char *text, uint64_t *bytes);

#endif /* KVMINTRO_PARSE_H */
