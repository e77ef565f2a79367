// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's "scan" file: write the patterns, one a line ("str:<text>",
 * "istr:<text>" or "hex:<bytes>"), and "max=<n>", in one write, which
 * returns when the search is done; then read the matches and a summary:
 *
 *   gpa=0x1000000 hva=0x7f0001000000 hpa=0x1ad725000 pattern=str:Linux version
 *   # matches=1 bytes=268435456 truncated=no
 *
 * "pattern=" is the rest of the line, the pattern as written (hex in
 * lowercase, without blanks, "??" for any byte). Each must be one of ours: a search by
 * someone else in between is caught, not shown as ours.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "debugfs.h"
#include "json.h"
#include "scan.h"
#include "table.h"

/**
 * struct kvmintro_scan_line - a match line, as parsed
 * @gpa: guest physical address
 * @hva: host virtual address
 * @hpa: host physical address, or none
 * @pattern: the pattern, in the text parsed
 */
struct kvmintro_scan_line {
	uint64_t gpa;
	uint64_t hva;
	struct kvmintro_maybe_u64 hpa;
	struct kvmintro_span pattern;
};

static const struct kvmintro_field kvmintro_scan_line_fields[] = {
	KVMINTRO_FIELD(struct kvmintro_scan_line, gpa, "gpa", KVMINTRO_FIELD_HEX),
	KVMINTRO_FIELD(struct kvmintro_scan_line, hva, "hva", KVMINTRO_FIELD_HEX),
	KVMINTRO_FIELD(struct kvmintro_scan_line, hpa, "hpa", KVMINTRO_FIELD_HEX,
		       .absent = "-"),
	KVMINTRO_FIELD(struct kvmintro_scan_line, pattern, "pattern",
		       KVMINTRO_FIELD_REST),
};

static const struct kvmintro_record_format kvmintro_scan_line_format = {
	.layout = KVMINTRO_LAYOUT_KEY_VALUE,
	.fields = kvmintro_scan_line_fields,
	.nr_fields = ARRAY_SIZE(kvmintro_scan_line_fields),
	.record_size = sizeof(struct kvmintro_scan_line),
};

/**
 * struct kvmintro_scan_summary - the summary line, as parsed
 * @matches: matches found
 * @bytes: bytes searched
 * @truncated: "yes" or "no"
 */
struct kvmintro_scan_summary {
	uint64_t matches;
	uint64_t bytes;
	char truncated[4];
};

static const char *const kvmintro_yes_no[] = { "yes", "no", NULL };

static const struct kvmintro_field kvmintro_scan_summary_fields[] = {
	KVMINTRO_FIELD(struct kvmintro_scan_summary, matches, "matches",
		       KVMINTRO_FIELD_DECIMAL),
	KVMINTRO_FIELD(struct kvmintro_scan_summary, bytes, "bytes",
		       KVMINTRO_FIELD_DECIMAL),
	KVMINTRO_FIELD(struct kvmintro_scan_summary, truncated, "truncated",
		       KVMINTRO_FIELD_NAME, .choices = kvmintro_yes_no),
};

static const struct kvmintro_record_format kvmintro_scan_summary_format = {
	.layout = KVMINTRO_LAYOUT_KEY_VALUE,
	.fields = kvmintro_scan_summary_fields,
	.nr_fields = ARRAY_SIZE(kvmintro_scan_summary_fields),
	.record_size = sizeof(struct kvmintro_scan_summary),
};

static const struct kvmintro_column kvmintro_scan_columns[] = {
	{ "GPA", KVMINTRO_ALIGN_RIGHT },
	{ "HVA", KVMINTRO_ALIGN_RIGHT },
	{ "HPA", KVMINTRO_ALIGN_RIGHT },
	{ "PATTERN", KVMINTRO_ALIGN_LEFT },
};

/* "str:" and "hex:" are this long, "istr:" one more. */
#define KVMINTRO_SCAN_PREFIX_LENGTH 4

#define KVMINTRO_SCAN_TOO_LONG							\
	"a pattern is at most "							\
	KVMINTRO_STRINGIFY(KVMINTRO_SCAN_PATTERN_BYTES_MAX) " bytes"

/*
 * Normalize the "hex:" pattern @text as the module writes it back: pairs
 * of hex digits or "??", blanks allowed between pairs, 1 to 256 bytes,
 * the first not "??". Return 0 and the normalized pattern in @normalized,
 * allocated, or -EINVAL with @problem set, or -ENOMEM.
 */
static int kvmintro_scan_normalize_hex(const char *text, char **normalized,
				       const char **problem)
{
	const char *digit = text + KVMINTRO_SCAN_PREFIX_LENGTH;
	size_t used = KVMINTRO_SCAN_PREFIX_LENGTH;
	char *pattern = malloc(strlen(text) + 1);

	if (!pattern)
		return -ENOMEM;
	memcpy(pattern, text, used);
	*problem = "hex:BYTES takes pairs of hex digits or ??, blanks allowed between pairs";
	for (; *digit; digit++) {
		if (*digit == ' ' || *digit == '\t')
			continue;
		if (digit[0] == '?' && digit[1] == '?') {
			*problem = "hex:BYTES cannot start with ??: start it at its first known byte";
			if (used == KVMINTRO_SCAN_PREFIX_LENGTH)
				goto out_free;
			*problem = "hex:BYTES takes pairs of hex digits or ??, blanks allowed between pairs";
		} else if (!isxdigit((unsigned char)digit[0]) ||
			   !isxdigit((unsigned char)digit[1])) {
			goto out_free;
		}
		pattern[used++] = (char)tolower((unsigned char)*digit++);
		pattern[used++] = (char)tolower((unsigned char)*digit);
	}
	pattern[used] = '\0';
	if (used == KVMINTRO_SCAN_PREFIX_LENGTH)
		goto out_free;
	*problem = KVMINTRO_SCAN_TOO_LONG;
	if ((used - KVMINTRO_SCAN_PREFIX_LENGTH) / 2 >
	    KVMINTRO_SCAN_PATTERN_BYTES_MAX)
		goto out_free;
	*normalized = pattern;
	return 0;

out_free:
	free(pattern);
	return -EINVAL;
}

/*
 * Check the "str:" or "istr:" pattern @text, its prefix @prefix_length
 * long; see kvmintro_scan_normalize_hex().
 */
static int kvmintro_scan_check_string(const char *text, size_t prefix_length,
				      char **normalized, const char **problem)
{
	size_t length = strlen(text) - prefix_length;

	*problem = length ? KVMINTRO_SCAN_TOO_LONG :
		   prefix_length == KVMINTRO_SCAN_PREFIX_LENGTH ?
		   "str:TEXT needs some text" : "istr:TEXT needs some text";
	if (!length || length > KVMINTRO_SCAN_PATTERN_BYTES_MAX)
		return -EINVAL;
	*normalized = strdup(text);
	return *normalized ? 0 : -ENOMEM;
}

/*
 * Add pattern @text, as the user gave it, to @request. If the module could
 * not take it, return -EINVAL and set @problem to why; -ENOMEM if memory
 * runs out.
 */
int kvmintro_scan_request_add(struct kvmintro_scan_request *request,
			      const char *text, const char **problem)
{
	struct kvmintro_scan_pattern *pattern;
	int ret = -EINVAL;

	*problem = "out of memory";
	if (request->count == KVMINTRO_SCAN_PATTERNS_MAX) {
		*problem = "at most " KVMINTRO_STRINGIFY(KVMINTRO_SCAN_PATTERNS_MAX)
			   " patterns at once";
		return -EINVAL;
	}
	if (strchr(text, '\n')) {
		*problem = "a pattern cannot hold a newline: the scan file takes one pattern a line";
		return -EINVAL;
	}
	pattern = &request->patterns[request->count];
	if (!strncmp(text, "str:", KVMINTRO_SCAN_PREFIX_LENGTH))
		ret = kvmintro_scan_check_string(text, KVMINTRO_SCAN_PREFIX_LENGTH,
						 &pattern->normalized, problem);
	else if (!strncmp(text, "istr:", KVMINTRO_SCAN_PREFIX_LENGTH + 1))
		ret = kvmintro_scan_check_string(text,
						 KVMINTRO_SCAN_PREFIX_LENGTH + 1,
						 &pattern->normalized, problem);
	else if (!strncmp(text, "hex:", KVMINTRO_SCAN_PREFIX_LENGTH))
		ret = kvmintro_scan_normalize_hex(text, &pattern->normalized,
						  problem);
	else
		*problem = "a pattern is str:TEXT, istr:TEXT or hex:BYTES";
	if (ret)
		return ret;
	pattern->text = text;
	request->count++;
	return 0;
}

/*
 * Add the patterns of the file at @path to @request: one a line, as on the
 * command line; empty lines and lines starting with '#' are skipped. Say
 * what is wrong, with the line's number, and return -errno.
 */
int kvmintro_scan_request_add_file(struct kvmintro_scan_request *request,
				   const char *path)
{
	char *line, *end, *newline, quoted[KVMINTRO_QUOTE_MAX];
	const char *problem;
	unsigned int number;
	size_t length;
	int ret;

	ret = kvmintro_read_file(path, &request->file_text, &length);
	if (ret) {
		kvmintro_error("cannot read patterns from %s: %s", path,
			       strerror(-ret));
		return ret;
	}
	if (strlen(request->file_text) != length) {
		kvmintro_error("%s: a NUL byte: the file takes one pattern a line, as text",
			       path);
		return -EINVAL;
	}
	end = request->file_text + length;
	for (line = request->file_text, number = 1; line < end;
	     line = newline + 1, number++) {
		newline = memchr(line, '\n', (size_t)(end - line));
		if (!newline)
			newline = end;
		*newline = '\0';
		if (!*line || *line == '#')
			continue;
		ret = kvmintro_scan_request_add(request, line, &problem);
		if (ret == -ENOMEM) {
			kvmintro_error("out of memory");
			return ret;
		}
		if (ret) {
			kvmintro_quote(line, strlen(line), quoted, sizeof(quoted));
			kvmintro_error("%s:%u: %s: %s", path, number, problem,
				       quoted);
			return ret;
		}
	}
	return 0;
}

void kvmintro_scan_request_release(struct kvmintro_scan_request *request)
{
	size_t i;

	for (i = 0; i < request->count; i++)
		free(request->patterns[i].normalized);
	request->count = 0;
	free(request->file_text);
	request->file_text = NULL;
}

/* Print @context's request: the patterns, one a line, then "max=<n>". */
static void kvmintro_scan_print_request(FILE *out, const void *context)
{
	const struct kvmintro_scan_request *request = context;
	size_t i;

	for (i = 0; i < request->count; i++)
		fprintf(out, "%s\n", request->patterns[i].text);
	if (request->has_max)
		fprintf(out, "max=%" PRIu64 "\n", request->max);
}

/*
 * Write what to write to the scan file for @request into @text, allocated:
 * the patterns as given, one a line, then "max=<n>". Return 0 or -ENOMEM.
 */
int kvmintro_scan_request_text(const struct kvmintro_scan_request *request,
			       char **text)
{
	*text = kvmintro_print_to_string(kvmintro_scan_print_request, request);
	return *text ? 0 : -ENOMEM;
}

/**
 * struct kvmintro_scan_parser - kvmintro_scan_parse_reply() at work
 * @request: the patterns asked for
 * @sorted: their indices, by normalized text, then index
 * @matches: the matches so far
 * @summary: the summary line, once met
 * @has_summary: whether it was
 */
struct kvmintro_scan_parser {
	const struct kvmintro_scan_request *request;
	unsigned short sorted[KVMINTRO_SCAN_PATTERNS_MAX];
	struct kvmintro_array *matches;
	struct kvmintro_scan_summary summary;
	bool has_summary;
};

/* Compare @text with @string as strcmp() would. */
static int kvmintro_scan_compare_span(struct kvmintro_span text,
				      const char *string)
{
	size_t length = strlen(string);
	int ret = memcmp(text.start, string,
			 text.length < length ? text.length : length);

	if (ret)
		return ret;
	return text.length < length ? -1 : text.length > length;
}

static const struct kvmintro_scan_request *kvmintro_scan_sorting;

static int kvmintro_scan_compare_indices(const void *a, const void *b)
{
	const struct kvmintro_scan_pattern *patterns =
		kvmintro_scan_sorting->patterns;
	unsigned short x = *(const unsigned short *)a;
	unsigned short y = *(const unsigned short *)b;
	int ret = strcmp(patterns[x].normalized, patterns[y].normalized);

	return ret ? ret : x - y;
}

/* Sort the patterns of @parser's request by their normalized text. */
static void kvmintro_scan_sort_patterns(struct kvmintro_scan_parser *parser)
{
	size_t i;

	for (i = 0; i < parser->request->count; i++)
		parser->sorted[i] = (unsigned short)i;
	kvmintro_scan_sorting = parser->request;
	qsort(parser->sorted, parser->request->count, sizeof(parser->sorted[0]),
	      kvmintro_scan_compare_indices);
}

/*
 * Return the index in the request of the first pattern written @text, or
 * -1: a binary search, as a scan may return a million matches of 4096
 * patterns.
 */
static int kvmintro_scan_find_pattern(const struct kvmintro_scan_parser *parser,
				      struct kvmintro_span text)
{
	const struct kvmintro_scan_pattern *patterns = parser->request->patterns;
	size_t low = 0, high = parser->request->count, middle;

	/* The first sorted entry not below @text. */
	while (low < high) {
		middle = low + (high - low) / 2;
		if (kvmintro_scan_compare_span(text,
				patterns[parser->sorted[middle]].normalized) > 0)
			low = middle + 1;
		else
			high = middle;
	}
	if (low < parser->request->count &&
	    kvmintro_span_equals(text, patterns[parser->sorted[low]].normalized))
		return parser->sorted[low];
	return -1;
}

static int kvmintro_scan_parse_match(struct kvmintro_scan_parser *parser,
				     struct kvmintro_span line,
				     struct kvmintro_parse_error *error)
{
	struct kvmintro_scan_line parsed = { 0 };
	struct kvmintro_scan_match *match;
	char quoted[KVMINTRO_QUOTE_MAX];
	int ret, pattern;

	ret = kvmintro_parse_words(&kvmintro_scan_line_format, line, &parsed,
				   error);
	if (ret)
		return ret;
	pattern = kvmintro_scan_find_pattern(parser, parsed.pattern);
	if (pattern < 0) {
		kvmintro_quote(parsed.pattern.start, parsed.pattern.length,
			       quoted, sizeof(quoted));
		return kvmintro_parse_fail(error, -EAGAIN,
			"pattern %s was not asked for: did another search of this VM come in between? Try again",
			quoted);
	}
	match = kvmintro_array_append(parser->matches);
	if (!match)
		return kvmintro_parse_fail(error, -ENOMEM, "out of memory");
	match->gpa = parsed.gpa;
	match->hva = parsed.hva;
	match->hpa = parsed.hpa;
	match->pattern = (size_t)pattern;
	return 0;
}

static int kvmintro_scan_parse_line(void *context, struct kvmintro_span line,
				    struct kvmintro_parse_error *error)
{
	struct kvmintro_scan_parser *parser = context;
	struct kvmintro_span rest = line, first;

	kvmintro_span_next_word(&rest, &first);
	if (first.start[0] != '#') {
		if (parser->has_summary)
			return kvmintro_parse_fail(error, -EBADMSG,
						   "a match after the summary line");
		return kvmintro_scan_parse_match(parser, line, error);
	}
	if (parser->has_summary)
		return kvmintro_parse_fail(error, -EBADMSG,
					   "a second summary line");
	parser->has_summary = true;
	line.length -= (size_t)(first.start + 1 - line.start);
	line.start = first.start + 1;
	return kvmintro_parse_words(&kvmintro_scan_summary_format, line,
					 &parser->summary, error);
}

/* The summary must come, and count the matches unless it was cut short. */
static int kvmintro_scan_check_summary(const struct kvmintro_scan_parser *parser,
				       struct kvmintro_parse_error *error)
{
	if (!parser->has_summary)
		return kvmintro_parse_fail(error, -EBADMSG,
			"no summary line ('# matches=...'): the reply is cut short");
	if (!strcmp(parser->summary.truncated, "no") &&
	    parser->summary.matches != parser->matches->count)
		return kvmintro_parse_fail(error, -EBADMSG,
			"the summary says %" PRIu64 " matches, but there are %zu",
			parser->summary.matches, parser->matches->count);
	return 0;
}

/*
 * Parse the contents of a "scan" file after a search for @request into
 * @result, which the caller releases. On failure @result is empty, @error
 * says why and where, and the return value is -EBADMSG, -EAGAIN if the
 * matches are of another search, or -ENOMEM.
 */
int kvmintro_scan_parse_reply(const char *text, size_t length,
			      const struct kvmintro_scan_request *request,
			      struct kvmintro_scan_result *result,
			      struct kvmintro_parse_error *error)
{
	struct kvmintro_array matches;
	struct kvmintro_scan_parser *parser = calloc(1, sizeof(*parser));
	int ret;

	memset(result, 0, sizeof(*result));
	if (!parser)
		return kvmintro_parse_fail(error, -ENOMEM, "out of memory");
	parser->request = request;
	parser->matches = &matches;
	kvmintro_scan_sort_patterns(parser);
	kvmintro_array_init(&matches, sizeof(struct kvmintro_scan_match));
	ret = kvmintro_parse_lines(text, length, kvmintro_scan_parse_line,
				   parser, error);
	if (!ret)
		ret = kvmintro_scan_check_summary(parser, error);
	if (ret) {
		kvmintro_array_release(&matches);
		goto out_free_parser;
	}
	result->matches = matches.elements;
	result->count = matches.count;
	result->matched = parser->summary.matches;
	result->bytes = parser->summary.bytes;
	result->truncated = !strcmp(parser->summary.truncated, "yes");
out_free_parser:
	free(parser);
	return ret;
}

/**
 * struct kvmintro_scan_load - what a load of the scan file parses into
 * @request: the patterns asked for
 * @result: the matches
 */
struct kvmintro_scan_load {
	const struct kvmintro_scan_request *request;
	struct kvmintro_scan_result *result;
};

static int kvmintro_scan_parse_file(void *context, const char *text,
				    size_t length,
				    struct kvmintro_parse_error *error)
{
	struct kvmintro_scan_load *load = context;

	return kvmintro_scan_parse_reply(text, length, load->request,
					 load->result, error);
}

/*
 * Search the guest memory of @vm as @request says, and read what was found
 * into @result, which the caller releases. On failure say why and return
 * -errno.
 */
int kvmintro_scan(const char *root, const struct kvmintro_vm *vm,
		  const struct kvmintro_scan_request *request,
		  struct kvmintro_scan_result *result)
{
	struct kvmintro_scan_load load = {
		.request = request,
		.result = result,
	};
	char *text;
	int ret;

	memset(result, 0, sizeof(*result));
	if (kvmintro_scan_request_text(request, &text)) {
		kvmintro_error("out of memory");
		return -ENOMEM;
	}
	if (strlen(text) > KVMINTRO_SCAN_WRITE_MAX) {
		kvmintro_error("the patterns take %zu bytes written out, more than the 4 MiB the scan file takes: split them, or write hex: without blanks",
			       strlen(text));
		free(text);
		return -EINVAL;
	}
	ret = kvmintro_debugfs_request(root, vm->dir, "scan", text, NULL,
				       kvmintro_scan_parse_file, &load);
	free(text);
	return ret;
}

void kvmintro_scan_result_release(struct kvmintro_scan_result *result)
{
	free(result->matches);
	result->matches = NULL;
	result->count = 0;
}

static void kvmintro_scan_print_summary(const struct kvmintro_scan_result *result,
					FILE *out)
{
	char size[KVMINTRO_SIZE_TEXT_MAX];

	kvmintro_format_size(result->bytes, size, sizeof(size));
	if (!result->matched)
		fprintf(out, "No match");
	else
		fprintf(out, "%" PRIu64 " match%s", result->matched,
			result->matched == 1 ? "" : "es");
	fprintf(out, " in %s (%" PRIu64 " bytes) of guest memory", size,
		result->bytes);
	if (result->truncated)
		fprintf(out, ", then the search stopped at its limit: raise it with --max");
	fputs(".\n", out);
}

/*
 * Print the matches of @result as a table (none if there are none), a
 * blank line, and the summary. Return 0 or -errno.
 */
int kvmintro_scan_print_table(const struct kvmintro_scan_request *request,
			      const struct kvmintro_scan_result *result,
			      FILE *out)
{
	const struct kvmintro_scan_match *match;
	struct kvmintro_table table;
	const char *pattern;
	size_t i;
	int ret;

	if (result->count) {
		kvmintro_table_init(&table, kvmintro_scan_columns,
				    ARRAY_SIZE(kvmintro_scan_columns));
		for (i = 0; i < result->count; i++) {
			match = &result->matches[i];
			pattern = request->patterns[match->pattern].normalized;
			kvmintro_table_add(&table, "0x%" PRIx64, match->gpa);
			kvmintro_table_add(&table, "0x%" PRIx64, match->hva);
			kvmintro_table_add_maybe_hex(&table, match->hpa);
			kvmintro_table_add_escaped(&table, pattern,
						   strlen(pattern));
		}
		ret = kvmintro_table_finish(&table, out);
		if (ret)
			return ret;
		fputc('\n', out);
	}
	kvmintro_scan_print_summary(result, out);
	return ferror(out) ? -EIO : 0;
}

static void kvmintro_scan_write_match_json(struct kvmintro_json *json,
					   const struct kvmintro_scan_request *request,
					   const struct kvmintro_scan_match *match)
{
	kvmintro_json_begin_object(json, NULL);
	kvmintro_json_u64(json, "gpa", match->gpa);
	kvmintro_json_u64(json, "hva", match->hva);
	kvmintro_json_maybe_u64(json, "hpa", match->hpa);
	kvmintro_json_string(json, "pattern",
			     request->patterns[match->pattern].normalized);
	kvmintro_json_end_object(json);
}

/*
 * Print @result as a JSON object: the VM, the patterns (as the module
 * writes them back), "max" (null for the module's default), the matches,
 * and the summary's "matched", "bytes" and "truncated". Return 0 or -errno.
 */
int kvmintro_scan_print_json(const struct kvmintro_vm *vm,
			     const struct kvmintro_scan_request *request,
			     const struct kvmintro_scan_result *result,
			     FILE *out)
{
	struct kvmintro_json json;
	size_t i;

	kvmintro_vm_json_begin(&json, out, vm);
	kvmintro_json_begin_array(&json, "patterns");
	for (i = 0; i < request->count; i++)
		kvmintro_json_string(&json, NULL, request->patterns[i].normalized);
	kvmintro_json_end_array(&json);
	kvmintro_json_maybe_u64(&json, "max", (struct kvmintro_maybe_u64){
		.value = request->max, .valid = request->has_max });
	kvmintro_json_begin_array(&json, "matches");
	for (i = 0; i < result->count; i++)
		kvmintro_scan_write_match_json(&json, request,
					       &result->matches[i]);
	kvmintro_json_end_array(&json);
	kvmintro_json_u64(&json, "matched", result->matched);
	kvmintro_json_u64(&json, "bytes", result->bytes);
	kvmintro_json_bool(&json, "truncated", result->truncated);
	return kvmintro_vm_json_end(&json);
}
