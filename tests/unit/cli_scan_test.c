// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the "scan" file as the CLI uses it: the patterns it takes
 * (as the module does) and refuses (a newline cannot be written), from
 * the command line and from a file, the request it writes, the matches and summary it reads back, what a broken
 * module or a search by someone else in between would leave there, the
 * table and the JSON.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_capture.h"
#include "cli_fixtures.h"
#include "cli_json_check.h"
#include "cli_tap.h"
#include "scan.h"

static const struct kvmintro_vm test_vm = FIXTURE_VM;

/* Start @request with the fixture's two patterns. */
static void fixture_request(struct kvmintro_scan_request *request)
{
	const char *problem;

	memset(request, 0, sizeof(*request));
	if (kvmintro_scan_request_add(request, "str:Linux version", &problem) ||
	    kvmintro_scan_request_add(request, "hex:DE ad\tBE ef", &problem))
		printf("#   fixture patterns refused: %s\n", problem);
}

static void expect_pattern(const char *text, const char *normalized)
{
	struct kvmintro_scan_request request = { .count = 0 };
	const char *problem = "";
	int ret;

	ret = kvmintro_scan_request_add(&request, text, &problem);
	CLI_EXPECT(!ret && request.count == 1 &&
		   !strcmp(request.patterns[0].normalized, normalized) &&
		   request.patterns[0].text == text,
		   "pattern \"%s\" is taken as %s", text, normalized);
	kvmintro_scan_request_release(&request);
}

static void expect_pattern_refused(const char *text, const char *problem,
				   const char *name)
{
	struct kvmintro_scan_request request = { .count = 0 };
	const char *why = "";
	int ret;

	ret = kvmintro_scan_request_add(&request, text, &why);
	if (!CLI_EXPECT(ret == -EINVAL && !request.count && strstr(why, problem),
			"pattern refused: %s", name))
		printf("#   %d: %s\n", ret, why);
}

static void test_patterns(void)
{
	char long_text[300] = "str:";
	char long_hex[600] = "hex:";

	expect_pattern("str:Linux version", "str:Linux version");
	expect_pattern("str: spaces \t kept ", "str: spaces \t kept ");
	expect_pattern("hex:DEADbeef", "hex:deadbeef");
	expect_pattern("hex: de ad\tbe ef ", "hex:deadbeef");
	expect_pattern("hex:00", "hex:00");
	expect_pattern("istr:Linux Version", "istr:Linux Version");
	expect_pattern("hex:4D 5a ?? 00", "hex:4d5a??00");
	expect_pattern("hex:4d????", "hex:4d????");
	memset(long_text + 4, 'x', 256);
	expect_pattern(long_text, long_text);
	memset(long_hex + 4, 'a', 512);
	expect_pattern(long_hex, long_hex);

	expect_pattern_refused("str:two\nlines", "cannot hold a newline",
			       "a newline in str:");
	expect_pattern_refused("hex:de\nad", "cannot hold a newline",
			       "a newline in hex:");
	expect_pattern_refused("Linux", "str:TEXT, istr:TEXT or hex:BYTES",
			       "no prefix");
	expect_pattern_refused("STR:Linux", "str:TEXT, istr:TEXT or hex:BYTES",
			       "prefix in capitals");
	expect_pattern_refused("istr:", "istr:TEXT needs some text",
			       "empty istr:");
	expect_pattern_refused("hex:?? 4d", "cannot start with ??",
			       "hex: starting with ??");
	expect_pattern_refused("hex:4d ?0", "pairs of hex digits or ??",
			       "a half wildcard");
	expect_pattern_refused("hex:4d ?", "pairs of hex digits or ??",
			       "a lone ?");
	expect_pattern_refused("str:", "needs some text", "empty str:");
	expect_pattern_refused("hex:", "pairs of hex digits", "empty hex:");
	expect_pattern_refused("hex: \t ", "pairs of hex digits", "blank hex:");
	expect_pattern_refused("hex:abc", "pairs of hex digits", "odd digits");
	expect_pattern_refused("hex:a bc", "pairs of hex digits",
			       "a blank inside a pair");
	expect_pattern_refused("hex:0xde", "pairs of hex digits", "0x in hex:");
	expect_pattern_refused("hex:zz", "pairs of hex digits", "not hex");
	long_text[4 + 256] = 'x';
	expect_pattern_refused(long_text, "at most 256 bytes", "257 bytes of str:");
	long_hex[4 + 512] = 'a';
	long_hex[4 + 513] = 'a';
	expect_pattern_refused(long_hex, "at most 256 bytes", "257 bytes of hex:");
}

static void test_request(void)
{
	struct kvmintro_scan_request request;
	const char *problem;
	char *text;
	int i;

	fixture_request(&request);
	request.has_max = true;
	request.max = 10;
	CLI_EXPECT(!kvmintro_scan_request_text(&request, &text) &&
		   !strcmp(text, "str:Linux version\nhex:DE ad\tBE ef\nmax=10\n"),
		   "request: patterns as given, one a line, then max");
	free(text);
	request.has_max = false;
	CLI_EXPECT(!kvmintro_scan_request_text(&request, &text) &&
		   !strcmp(text, "str:Linux version\nhex:DE ad\tBE ef\n"),
		   "request: no max, the module's default");
	free(text);
	for (i = 2; i < KVMINTRO_SCAN_PATTERNS_MAX; i++)
		kvmintro_scan_request_add(&request, "str:x", &problem);
	CLI_EXPECT(request.count == 4096 &&
		   kvmintro_scan_request_add(&request, "str:x", &problem) ==
		   -EINVAL && strstr(problem, "at most 4096 patterns"),
		   "request: 4096 patterns, not 4097");
	kvmintro_scan_request_release(&request);
}

/* Add the patterns of a file holding @text; return what was said. */
static int request_from_file(const char *text,
			     struct kvmintro_scan_request *request,
			     char **said)
{
	char path[] = "/tmp/kvmintro-scan-test-XXXXXX";
	struct cli_stderr_capture capture;
	int fd = mkstemp(path), ret;

	memset(request, 0, sizeof(*request));
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
	close(fd);
	cli_stderr_capture_begin(&capture);
	ret = kvmintro_scan_request_add_file(request, path);
	*said = (char *)cli_stderr_capture_end(&capture);
	unlink(path);
	return ret;
}

static void test_file(void)
{
	struct cli_stderr_capture capture;
	struct kvmintro_scan_request request;
	char *said, *big;
	size_t i, n;
	int ret;

	ret = request_from_file("# keys\nstr:BEGIN RSA\n\nistr:mimikatz\nhex:4d 5a ?? 00",
				&request, &said);
	CLI_EXPECT(!ret && request.count == 3 && !*said &&
		   !strcmp(request.patterns[0].text, "str:BEGIN RSA") &&
		   !strcmp(request.patterns[1].normalized, "istr:mimikatz") &&
		   !strcmp(request.patterns[2].normalized, "hex:4d5a??00"),
		   "file: patterns, comments and empty lines skipped, no final newline");
	kvmintro_scan_request_release(&request);
	free(said);

	ret = request_from_file("str:a\n\nhex:zz\nstr:b\n", &request, &said);
	CLI_EXPECT(ret == -EINVAL && strstr(said, ":3: hex:BYTES takes pairs") &&
		   strstr(said, "\"hex:zz\""),
		   "file: a bad line is named by its number");
	kvmintro_scan_request_release(&request);
	free(said);

	ret = request_from_file("str:a\nstr:\n", &request, &said);
	CLI_EXPECT(ret == -EINVAL && strstr(said, ":2: str:TEXT needs some text"),
		   "file: an empty str: on line 2");
	kvmintro_scan_request_release(&request);
	free(said);

	big = malloc(4097 * 16);
	for (i = 0, n = 0; i < 4097; i++)
		n += sprintf(big + n, "hex:%04zx\n", i);
	ret = request_from_file(big, &request, &said);
	CLI_EXPECT(ret == -EINVAL && request.count == 4096 &&
		   strstr(said, ":4097: at most 4096 patterns"),
		   "file: 4097 patterns, refused at line 4097");
	kvmintro_scan_request_release(&request);
	free(said);
	big[n - 10] = '\0';
	ret = request_from_file(big, &request, &said);
	CLI_EXPECT(!ret && request.count == 4096, "file: 4096 patterns");
	kvmintro_scan_request_release(&request);
	free(said);
	free(big);

	memset(&request, 0, sizeof(request));
	cli_stderr_capture_begin(&capture);
	ret = kvmintro_scan_request_add_file(&request, "/nonexistent/patterns");
	said = (char *)cli_stderr_capture_end(&capture);
	CLI_EXPECT(ret == -ENOENT &&
		   strstr(said, "cannot read patterns from /nonexistent/patterns"),
		   "file: a missing file is ENOENT, and said");
	free(said);
	kvmintro_scan_request_release(&request);
}

static int parse_result(const char *text, struct kvmintro_scan_result *result,
			struct kvmintro_parse_error *error)
{
	struct kvmintro_scan_request request;
	int ret;

	fixture_request(&request);
	ret = kvmintro_scan_parse_reply(text, strlen(text), &request, result,
					error);
	kvmintro_scan_request_release(&request);
	return ret;
}

/*
 * 4096 patterns, the last two copies of the first: a match is named by
 * the first pattern written so, whatever the order of the texts.
 */
static void test_replies_many(void)
{
	static const char reply[] =
		"gpa=0x1 hva=0x1 hpa=0x1 pattern=hex:0ffd\n"
		"gpa=0x2 hva=0x2 hpa=0x2 pattern=str:p0\n"
		"gpa=0x3 hva=0x3 hpa=0x3 pattern=str:p4092\n"
		"# matches=3 bytes=1 truncated=no\n";
	static const char foreign[] =
		"gpa=0x1 hva=0x1 hpa=0x1 pattern=hex:00\n"
		"# matches=1 bytes=1 truncated=no\n";
	static char texts[KVMINTRO_SCAN_PATTERNS_MAX][16];
	struct kvmintro_scan_request request;
	struct kvmintro_scan_result result;
	struct kvmintro_parse_error error;
	const char *problem;
	size_t i;
	int ret;

	memset(&request, 0, sizeof(request));
	for (i = 0; i < KVMINTRO_SCAN_PATTERNS_MAX; i++) {
		if (i >= KVMINTRO_SCAN_PATTERNS_MAX - 2)
			snprintf(texts[i], sizeof(texts[i]), "str:p0");
		else if (i % 2)
			snprintf(texts[i], sizeof(texts[i]), "hex:%04zx", i);
		else
			snprintf(texts[i], sizeof(texts[i]), "str:p%zu", i);
		kvmintro_scan_request_add(&request, texts[i], &problem);
	}
	ret = kvmintro_scan_parse_reply(reply, strlen(reply), &request, &result,
					&error);
	CLI_EXPECT(!ret && result.count == 3 && result.matches[0].pattern == 4093 &&
		   !result.matches[1].pattern && result.matches[2].pattern == 4092,
		   "replies: 4096 patterns, duplicates named by the first");
	kvmintro_scan_result_release(&result);
	ret = kvmintro_scan_parse_reply(foreign, strlen(foreign), &request,
					&result, &error);
	CLI_EXPECT(ret == -EAGAIN, "replies: 4096 patterns, a foreign one caught");
	kvmintro_scan_request_release(&request);
}

static void test_replies(void)
{
	struct kvmintro_scan_result result;
	struct kvmintro_parse_error error;

	if (!CLI_EXPECT(!parse_result(FIXTURE_SCAN, &result, &error) &&
			result.count == 3, "replies: matches and summary parse")) {
		printf("#   line %zu: %s\n", error.line, error.message);
		return;
	}
	CLI_EXPECT(result.matches[0].gpa == 0x1000000 &&
		   result.matches[0].hva == 0x7f0001000000 &&
		   result.matches[0].hpa.value == 0x1ad725000 &&
		   result.matches[0].pattern == 0 &&
		   result.matches[1].pattern == 1 &&
		   !result.matches[2].hpa.valid && result.matches[2].pattern == 0,
		   "replies: addresses, patterns by index, hpa \"-\"");
	CLI_EXPECT(result.matched == 3 && result.bytes == 268435456 &&
		   !result.truncated, "replies: the summary");
	kvmintro_scan_result_release(&result);
	CLI_EXPECT(!parse_result("# matches=0 bytes=4096 truncated=no\n", &result,
				 &error) && !result.count,
		   "replies: no match");
	CLI_EXPECT(!parse_result("gpa=0x1 hva=0x1 hpa=0x1 pattern=hex:deadbeef\n"
				 "#matches=5 bytes=1 truncated=yes extra=1\n",
				 &result, &error) && result.count == 1 &&
		   result.matched == 5 && result.truncated,
		   "replies: truncated, fewer lines than matches, unknown key");
	kvmintro_scan_result_release(&result);
}

static void expect_refused(const char *text, size_t line, const char *message,
			   const char *name)
{
	struct kvmintro_scan_result result;
	struct kvmintro_parse_error error;
	int expected = strstr(message, "was not asked for") ? -EAGAIN : -EBADMSG;
	int ret;

	ret = parse_result(text, &result, &error);
	if (!CLI_EXPECT(ret == expected && error.line == line && !result.count &&
			strstr(error.message, message), "replies: %s", name))
		printf("#   %d, line %zu: %s\n", ret, error.line, error.message);
}

static void test_refused(void)
{
	expect_refused("", 0, "no summary line", "empty");
	expect_refused("gpa=0x1 hva=0x1 hpa=0x1 pattern=hex:deadbeef\n", 0,
		       "no summary line", "cut short before the summary");
	expect_refused("gpa=0x1 hva=0x1 hpa=0x1 pattern=str:Linux\n"
		       "# matches=1 bytes=1 truncated=no\n", 1,
		       "pattern \"str:Linux\" was not asked for",
		       "someone else's pattern");
	expect_refused("gpa=0x1 hva=0x1 hpa=0x1 pattern=hex:DEADBEEF\n"
		       "# matches=1 bytes=1 truncated=no\n", 1,
		       "was not asked for", "hex not written back normalized");
	expect_refused("# matches=1 bytes=1 truncated=no\n"
		       "gpa=0x1 hva=0x1 hpa=0x1 pattern=hex:deadbeef\n", 2,
		       "a match after the summary line", "match after summary");
	expect_refused("# matches=0 bytes=1 truncated=no\n"
		       "# matches=0 bytes=1 truncated=no\n", 2,
		       "a second summary line", "two summaries");
	expect_refused("# matches=2 bytes=1 truncated=no\n", 0,
		       "the summary says 2 matches, but there are 0",
		       "summary counting matches not there");
	expect_refused("# matches=0 bytes=1 truncated=maybe\n", 1,
		       "truncated: \"maybe\" is not 'yes' or 'no'",
		       "truncated neither yes nor no");
	expect_refused("# matches=0 truncated=no\n", 1, "key 'bytes' is missing",
		       "summary without bytes");
	expect_refused("gpa=0x1 hva=0x1 pattern=hex:deadbeef\n", 1,
		       "key 'hpa' is missing", "match without hpa");
	expect_refused("gpa=0x1 hva=0x1 hpa=0x1\n", 1, "key 'pattern' is missing",
		       "match without pattern");
	expect_refused("gpa=1 hva=0x1 hpa=0x1 pattern=hex:deadbeef\n", 1,
		       "gpa: \"1\" is not a hex number", "decimal gpa");
}

static char *print_result(const char *reply, bool json)
{
	struct kvmintro_scan_request request;
	struct kvmintro_scan_result result;
	struct kvmintro_parse_error error;
	struct cli_capture capture;
	int ret;

	fixture_request(&request);
	request.has_max = json;
	request.max = 100;
	kvmintro_scan_parse_reply(reply, strlen(reply), &request, &result,
				  &error);
	if (json)
		ret = kvmintro_scan_print_json(&test_vm, &request, &result,
					       cli_capture_begin(&capture));
	else
		ret = kvmintro_scan_print_table(&request, &result,
						cli_capture_begin(&capture));
	if (ret)
		printf("#   printing failed\n");
	cli_capture_end(&capture);
	kvmintro_scan_result_release(&result);
	kvmintro_scan_request_release(&request);
	return capture.text;
}

static void test_output(void)
{
	char *text = print_result(FIXTURE_SCAN, false);

	CLI_EXPECT_STRING(text, FIXTURE_SCAN_TABLE,
			  "scan table: matches, then the summary");
	free(text);
	text = print_result("# matches=0 bytes=4096 truncated=no\n", false);
	CLI_EXPECT_STRING(text, "No match in 4 KiB (4096 bytes) of guest memory.\n",
			  "scan table: no match");
	free(text);
	text = print_result("gpa=0x1 hva=0x2 hpa=0x3 pattern=hex:deadbeef\n"
			    "# matches=1 bytes=4096 truncated=yes\n", false);
	CLI_EXPECT(strstr(text, "\n1 match in 4 KiB (4096 bytes) of guest memory, "
			  "then the search stopped at its limit: raise it with --max.\n"),
		   "scan table: truncated says what to do");
	free(text);
	text = print_result(FIXTURE_SCAN, true);
	cli_json_expect_valid(text, "scan JSON");
	CLI_EXPECT(strstr(text, "  \"patterns\": [\n    \"str:Linux version\",\n"
			  "    \"hex:deadbeef\"\n  ],\n  \"max\": 100,\n") &&
		   strstr(text, "      \"gpa\": 50331648,\n      \"hva\": 139638027059200,\n"
			  "      \"hpa\": null,\n      \"pattern\": \"str:Linux version\"\n") &&
		   strstr(text, "  \"matched\": 3,\n  \"bytes\": 268435456,\n"
			  "  \"truncated\": false\n}\n"),
		   "scan JSON: patterns, matches, summary");
	free(text);
}

static void test_escaped(void)
{
	struct kvmintro_scan_request request = { .count = 0 };
	struct kvmintro_scan_result result;
	struct kvmintro_parse_error error;
	struct cli_capture capture;
	const char *problem;
	static const char reply[] =
		"gpa=0x1 hva=0x2 hpa=0x3 pattern=str:\x1b[2J\x7f\n"
		"# matches=1 bytes=1 truncated=no\n";

	kvmintro_scan_request_add(&request, "str:\x1b[2J\x7f", &problem);
	kvmintro_scan_parse_reply(reply, strlen(reply), &request, &result,
				  &error);
	kvmintro_scan_print_table(&request, &result, cli_capture_begin(&capture));
	cli_capture_end(&capture);
	CLI_EXPECT(strstr(capture.text, "  str:\\x1b[2J\\x7f\n"),
		   "scan table: control characters in a pattern are escaped");
	free(capture.text);
	kvmintro_scan_result_release(&result);
	kvmintro_scan_request_release(&request);
}

int main(void)
{
	test_patterns();
	test_request();
	test_file();
	test_replies();
	test_replies_many();
	test_refused();
	test_output();
	test_escaped();
	return cli_tap_finish();
}
