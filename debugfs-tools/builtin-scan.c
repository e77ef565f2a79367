// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro scan PID|DIR [PATTERN...] [-f FILE] [--max N]: search guest
 * memory. The patterns go to the VM's scan file, one a line, with
 * "max=<n>", in one write, which returns when the search is done; then it
 * replies with the matches and a summary (Documentation/debugfs.rst,
 * "scan"). Each pattern is checked first with the module's own parser
 * (lib/scan.c), so that one it would refuse is refused here, saying why.
 */
#include "kvmintro.h"

#include "../lib/scan.h"

/**
 * struct kvmintro_scan_request - the patterns asked, and the limit
 * @text: what is written to the scan file
 * @length: its length
 * @written: each pattern as the module writes it back, in order
 * @count: how many patterns
 * @spec: for the module's parser
 */
struct kvmintro_scan_request {
	char *text;
	size_t length;
	char *written[KVMINTRO_SCAN_MAX_PATTERNS];
	size_t count;
	struct kvmintro_scan_spec spec;
};

/*
 * Add pattern @pattern to @request if the module's parser takes it, with
 * the name the module writes back for it (kvmintro_scan_pattern_name(),
 * the module's own); else say why in @problem. Return 0,
 * -EINVAL or -ENOMEM.
 */
static int kvmintro_scan_add(struct kvmintro_scan_request *request,
			     const char *pattern, const char **problem)
{
	size_t length = strlen(pattern);
	bool hex = !strncmp(pattern, "hex:", 4);
	char *written, *text;

	*problem = "at most 4096 patterns at once";
	if (request->count == KVMINTRO_SCAN_MAX_PATTERNS)
		return -EINVAL;
	*problem = "a pattern cannot hold a newline: the scan file takes one pattern a line";
	if (strchr(pattern, '\n'))
		return -EINVAL;
	if (kvmintro_scan_parse(&request->spec, pattern, length)) {
		if (strncmp(pattern, "str:", 4) && strncmp(pattern, "istr:", 5) && !hex)
			*problem = "a pattern is str:TEXT, istr:TEXT or hex:BYTES";
		else if (!pattern[hex ? 4 : strcspn(pattern, ":") + 1])
			*problem = hex ? "hex:BYTES needs some bytes" :
			           "str:TEXT and istr:TEXT need some text";
		else if (hex && !strncmp(pattern + 4 + strspn(pattern + 4, " \t"), "??", 2))
			*problem = "hex:BYTES cannot start with ??: start it at its first known byte";
		else if (length - 4 > (hex ? 3 : 1) * KVMINTRO_SCAN_PATTERN_MAX)
			*problem = "a pattern is at most 256 bytes";
		else
			*problem = hex ? "hex:BYTES takes pairs of hex digits or ??, blanks allowed between pairs" :
				   "a pattern is at most 256 bytes";
		return -EINVAL;
	}
	written = malloc(KVMINTRO_SCAN_NAME_MAX + 1);
	text = realloc(request->text, request->length + length + 2);
	if (!written || !text) {
		free(written);
		*problem = "out of memory";
		return -ENOMEM;
	}
	request->text = text;
	request->length += sprintf(text + request->length, "%s\n", pattern);
	written[kvmintro_scan_pattern_name(written, &request->spec, 0)] = '\0';
	request->written[request->count++] = written;
	return 0;
}

/*
 * Add the patterns of the file at @path to @request: one a line, as on the
 * command line; empty lines and lines starting with '#' are skipped. Say
 * what is wrong, with the line's number, and return -errno.
 */
static int kvmintro_scan_add_file(struct kvmintro_scan_request *request,
				  const char *path)
{
	char *text, *line, *end, *newline, quoted[KVMINTRO_QUOTE_MAX];
	const char *problem;
	unsigned int number;
	size_t length;
	int ret;

	ret = kvmintro_read_file(path, &text, &length);
	if (ret) {
		kvmintro_error("cannot read patterns from %s: %s", path,
			       strerror(-ret));
		return ret;
	}
	if (strlen(text) != length) {
		kvmintro_error("%s: a NUL byte: the file takes one pattern a line, as text",
			       path);
		free(text);
		return -EINVAL;
	}
	end = text + length;
	for (line = text, number = 1; line < end && !ret;
	     line = newline + 1, number++) {
		newline = memchr(line, '\n', (size_t)(end - line)) ?: end;
		*newline = '\0';
		if (!*line || *line == '#')
			continue;
		ret = kvmintro_scan_add(request, line, &problem);
		kvmintro_format_quote(line, strlen(line), quoted, sizeof(quoted));
		if (ret)
			kvmintro_error("%s:%u: %s: %s", path, number, problem,
				       quoted);
	}
	free(text);
	return ret;
}

/* Each match is of a pattern asked; the summary comes last, once. */
static int kvmintro_scan_check_list(const struct kvmintro_record_list *reply,
				    const void *context,
				    struct kvmintro_parse_error *error)
{
	const struct kvmintro_scan_request *request = context;
	const struct kvmintro_record *record;
	char pattern[2 * KVMINTRO_SCAN_PATTERN_MAX + 8];
	struct kvmintro_maybe_u64 index;
	size_t i;
	int length;

	for (i = 0; i < reply->count; i++) {
		record = &reply->records[i];
		if (kvmintro_record_is(record, "summary") &&
		    i + 1 == reply->count && kvmintro_record_find(record, "matches"))
			return 0;
		index = kvmintro_record_maybe(record, "index");
		length = kvmintro_record_find(record, "pattern") ?
			 kvmintro_record_decode_string(kvmintro_record_find(record,
					"pattern"), pattern, sizeof(pattern) - 1) : -1;
		if (length < 0 || !index.valid)
			break;
		pattern[length] = '\0';
		if (index.value >= request->count ||
		    strcmp(pattern, request->written[index.value])) {
			error->line = i + 1;
			return kvmintro_parse_fail(error, -EAGAIN,
				"pattern %" PRIu64 " \"%s\" was not asked for" KVMINTRO_RECORD_AGAIN,
				index.value, pattern);
		}
	}
	error->line = i < reply->count ? i + 1 : 0;
	return kvmintro_parse_fail(error, -EBADMSG,
		i < reply->count ? "not a match with index= and pattern=" :
		"no summary line ('summary matches=...') last");
}

static const struct kvmintro_record_schema kvmintro_scan_schema = {
	.check_list = kvmintro_scan_check_list,
};

static const struct kvmintro_column kvmintro_scan_columns[] = {
	KVMINTRO_SHOW_RIGHT("gpa", "GPA", VALUE),
	KVMINTRO_SHOW_RIGHT("hva", "HVA", VALUE),
	KVMINTRO_SHOW_RIGHT("hpa", "HPA", VALUE),
	KVMINTRO_SHOW_LEFT("pattern", "PATTERN", VALUE),
};

/* The matches (none if there are none), a blank line, the summary. */
static int kvmintro_scan_print(const struct kvmintro_record_list *reply)
{
	const struct kvmintro_record *summary = &reply->records[reply->count - 1];
	uint64_t matches = kvmintro_record_number(summary, "matches");
	uint64_t bytes = kvmintro_record_number(summary, "bytes");
	char size[KVMINTRO_SIZE_TEXT_MAX];
	int ret;

	if (reply->count > 1) {
		ret = kvmintro_show_table(kvmintro_scan_columns,
					  ARRAY_SIZE(kvmintro_scan_columns),
					  reply->records, reply->count - 1,
					  stdout);
		if (ret)
			return ret;
		putchar('\n');
	}
	kvmintro_format_size(bytes, size, sizeof(size));
	if (!matches)
		printf("No match");
	else
		printf("%" PRIu64 " match%s", matches, matches == 1 ? "" : "es");
	printf(" in %s (%" PRIu64 " bytes) of guest memory%s.\n", size, bytes,
	       kvmintro_record_says(summary, "truncated", "yes") ?
	       ", then the search stopped at its limit: raise it with --max" : "");
	return 0;
}

static const struct kvmintro_view kvmintro_scan_view = {
	.file = "scan",
	.schema = &kvmintro_scan_schema,
	.json_key = "results",
	.print = kvmintro_scan_print,
};

/* Fill @request from the command line and the file of patterns @file. */
static int kvmintro_scan_get_request(int argc, char **argv,
				     const char *max_text, const char *file,
				     struct kvmintro_scan_request *request)
{
	char message[160], max[32];
	const char *problem;
	uint64_t limit = 0;
	int i, ret;

	if (max_text && (kvmintro_parse_number_argument(max_text, &limit) ||
			 !limit || limit > KVMINTRO_SCAN_MAX_LIMIT))
		return kvmintro_usage_error("scan",
			"--max takes a number from 1 to 1000000, not", max_text);
	for (i = 0; i < argc; i++) {
		ret = kvmintro_scan_add(request, argv[i], &problem);
		if (ret == -ENOMEM)
			kvmintro_error("out of memory");
		if (ret == -ENOMEM)
			return ret;
		snprintf(message, sizeof(message), "%s:", problem);
		if (ret)
			return kvmintro_usage_error("scan", message, argv[i]);
	}
	ret = file ? kvmintro_scan_add_file(request, file) : 0;
	if (ret)
		return ret;
	if (!request->count)
		return kvmintro_usage_error("scan",
			"no pattern: give some, or a file of them with -f FILE",
			"");
	snprintf(max, sizeof(max), "max=%" PRIu64 "\n", limit);
	request->text = realloc(request->text, request->length + sizeof(max));
	if (max_text && request->text)
		strcpy(request->text + request->length, max);
	if (request->text && strlen(request->text) > KVMINTRO_SCAN_INPUT_MAX) {
		kvmintro_error("the patterns take %zu bytes written out, more than the 4 MiB the scan file takes: split them, or write hex: without blanks",
			       strlen(request->text));
		return -EINVAL;
	}
	return request->text ? 0 : -ENOMEM;
}

int kvmintro_cmd_scan(struct kvmintro *kvmintro)
{
	struct kvmintro_scan_request *request;
	size_t i;
	int ret;

	request = calloc(1, sizeof(*request));
	if (!request)
		return -ENOMEM;
	ret = kvmintro_scan_get_request(kvmintro->argc, kvmintro->argv,
					kvmintro->options[KVMINTRO_OPTION_MAX],
					kvmintro->options[KVMINTRO_OPTION_FILE],
					request);
	if (!ret)
		ret = kvmintro_show_view(kvmintro, &kvmintro_scan_view,
					 request->text, NULL, request);
	for (i = 0; i < request->count; i++)
		free(request->written[i]);
	free(request->text);
	free(request);
	return ret;
}
