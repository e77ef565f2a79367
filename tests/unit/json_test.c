// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lib/json.c: the structure and indentation of what the
 * writer writes, its escaping of any bytes into valid UTF-8 JSON, misuse
 * caught, and the JSON of records, every field typed by the grammar.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/json.h"
#include "cli_capture.h"
#include "cli_json_check.h"
#include "cli_tap.h"

/* kvmintro_json_write_fn: into a capture's stream. */
static int capture_write(void *out, const char *text, size_t len)
{
	return fwrite(text, 1, len, out) == len ? 0 : -EIO;
}

static void test_json_structure(void)
{
	struct kvmintro_json json;
	struct cli_capture capture;

	kvmintro_json_init(&json, capture_write, cli_capture_begin(&capture));
	kvmintro_json_begin_array(&json, NULL);
	kvmintro_json_end_array(&json);
	CLI_EXPECT(!kvmintro_json_finish(&json), "json: empty array finishes");
	CLI_EXPECT_STRING(cli_capture_end(&capture), "[]\n", "json: empty array");
	free(capture.text);

	kvmintro_json_init(&json, capture_write, cli_capture_begin(&capture));
	kvmintro_json_begin_object(&json, NULL);
	kvmintro_json_u64(&json, "zero", 0);
	kvmintro_json_u64(&json, "max", UINT64_MAX);
	kvmintro_json_begin_array(&json, "list");
	kvmintro_json_string(&json, NULL, "a");
	kvmintro_json_begin_object(&json, NULL);
	kvmintro_json_end_object(&json);
	kvmintro_json_end_array(&json);
	kvmintro_json_end_object(&json);
	CLI_EXPECT(!kvmintro_json_finish(&json), "json: nested finishes");
	CLI_EXPECT_STRING(cli_capture_end(&capture),
			  "{\n"
			  "  \"zero\": 0,\n"
			  "  \"max\": 18446744073709551615,\n"
			  "  \"list\": [\n"
			  "    \"a\",\n"
			  "    {}\n"
			  "  ]\n"
			  "}\n", "json: nested, indented");
	cli_json_expect_valid(capture.text, "json: nested");
	free(capture.text);
}

/* Write @length bytes as one JSON string; return the text. */
static char *json_string_text(const char *bytes, size_t length)
{
	struct kvmintro_json json;
	struct cli_capture capture;

	kvmintro_json_init(&json, capture_write, cli_capture_begin(&capture));
	kvmintro_json_string_bytes(&json, NULL, bytes, length);
	if (kvmintro_json_finish(&json))
		printf("#   kvmintro_json_finish() failed\n");
	cli_capture_end(&capture);
	return capture.text;
}

static void expect_json_string(const char *bytes, size_t length,
			       const char *expected, const char *name)
{
	char *text = json_string_text(bytes, length);

	CLI_EXPECT_STRING(text, expected, "json string: %s", name);
	cli_json_expect_valid(text, name);
	free(text);
}

static void test_json_strings(void)
{
	static const char all_bytes_name[] = "json string: every byte value";
	char all_bytes[256];
	char *text;
	int i;

	expect_json_string("plain", 5, "\"plain\"\n", "plain");
	expect_json_string("a\"b\\c/", 6, "\"a\\\"b\\\\c/\"\n",
			   "quote and backslash");
	expect_json_string("\n\t\r\b\f", 5, "\"\\n\\t\\r\\b\\f\"\n",
			   "short escapes");
	expect_json_string("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\\u007f\"\n",
			   "other control characters");
	expect_json_string("a\0b", 3, "\"a\\u0000b\"\n", "NUL byte");
	expect_json_string("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9,
			   "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"\n",
			   "valid UTF-8 kept");
	expect_json_string("\xff", 1, "\"\\ufffd\"\n", "invalid byte");
	expect_json_string("\xc3", 1, "\"\\ufffd\"\n", "truncated sequence");
	expect_json_string("\xc0\xaf", 2, "\"\\ufffd\\ufffd\"\n",
			   "overlong encoding");
	expect_json_string("\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"\n",
			   "encoded surrogate");
	expect_json_string("\xf4\x90\x80\x80", 4,
			   "\"\\ufffd\\ufffd\\ufffd\\ufffd\"\n",
			   "beyond U+10FFFF");

	for (i = 0; i < 256; i++)
		all_bytes[i] = (char)i;
	text = json_string_text(all_bytes, sizeof(all_bytes));
	cli_json_expect_valid(text, all_bytes_name);
	free(text);
}

static void expect_json_misuse(struct kvmintro_json *json,
			       struct cli_capture *capture, int error,
			       const char *name)
{
	CLI_EXPECT(kvmintro_json_finish(json) == error, "json misuse: %s", name);
	cli_capture_end(capture);
	free(capture->text);
}

static void test_json_misuse(void)
{
	struct kvmintro_json json;
	struct cli_capture capture;
	int i;

	kvmintro_json_init(&json, capture_write, cli_capture_begin(&capture));
	expect_json_misuse(&json, &capture, -EINVAL, "nothing written");

	kvmintro_json_init(&json, capture_write, cli_capture_begin(&capture));
	kvmintro_json_begin_array(&json, NULL);
	kvmintro_json_u64(&json, "key", 1);
	kvmintro_json_end_array(&json);
	expect_json_misuse(&json, &capture, -EINVAL, "key inside an array");

	kvmintro_json_init(&json, capture_write, cli_capture_begin(&capture));
	kvmintro_json_begin_object(&json, NULL);
	kvmintro_json_u64(&json, NULL, 1);
	kvmintro_json_end_object(&json);
	expect_json_misuse(&json, &capture, -EINVAL, "no key inside an object");

	kvmintro_json_init(&json, capture_write, cli_capture_begin(&capture));
	kvmintro_json_begin_object(&json, NULL);
	expect_json_misuse(&json, &capture, -EINVAL, "object left open");

	kvmintro_json_init(&json, capture_write, cli_capture_begin(&capture));
	kvmintro_json_begin_object(&json, NULL);
	kvmintro_json_end_array(&json);
	expect_json_misuse(&json, &capture, -EINVAL, "object closed as array");

	kvmintro_json_init(&json, capture_write, cli_capture_begin(&capture));
	kvmintro_json_u64(&json, NULL, 1);
	kvmintro_json_u64(&json, NULL, 2);
	expect_json_misuse(&json, &capture, -EINVAL, "two top-level values");

	kvmintro_json_init(&json, capture_write, cli_capture_begin(&capture));
	for (i = 0; i <= KVMINTRO_JSON_DEPTH_MAX; i++)
		kvmintro_json_begin_array(&json, NULL);
	expect_json_misuse(&json, &capture, -E2BIG, "nested too deep");
}

/* The JSON of the record @line, with @lists and @page_sizes. */
static void expect_record_json(const char *line, const char *const *lists,
			       const char *const *page_sizes,
			       const char *expected, const char *name)
{
	struct kvmintro_record_field fields[16];
	struct kvmintro_record record;
	struct kvmintro_json json;
	struct cli_capture capture;

	if (kvmintro_record_parse(line, strlen(line), &record, fields, 16)) {
		CLI_EXPECT(false, "record json: %s: the line parses", name);
		return;
	}
	kvmintro_json_init(&json, capture_write, cli_capture_begin(&capture));
	kvmintro_json_begin_object(&json, NULL);
	kvmintro_json_record_members(&json, &record, lists, page_sizes);
	kvmintro_json_end_object(&json);
	CLI_EXPECT(!kvmintro_json_finish(&json), "record json: %s: finishes",
		   name);
	CLI_EXPECT_STRING(cli_capture_end(&capture), expected,
			  "record json: %s", name);
	cli_json_expect_valid(capture.text, name);
	free(capture.text);
}

static void test_record_json(void)
{
	static const char *const lists[] = { "flags", NULL };
	static const char *const page_sizes[] = { "size", NULL };

	expect_record_json("ok gpa=0x1000 n=42 neg=-5 kind=thp none=-",
			   NULL, NULL,
			   "{\n"
			   "  \"record\": \"ok\",\n"
			   "  \"gpa\": 4096,\n"
			   "  \"n\": 42,\n"
			   "  \"neg\": -5,\n"
			   "  \"kind\": \"thp\",\n"
			   "  \"none\": null\n"
			   "}\n", "every type, the kind as \"record\"");
	expect_record_json("p=\"a\\\"b\\\\c\\n\\t\\x00\\xc3\\xa9\\xff\"",
			   NULL, NULL,
			   "{\n"
			   "  \"p\": \"a\\\"b\\\\c\\n\\t\\u0000\xc3\xa9\\ufffd\"\n"
			   "}\n", "a string's bytes decoded, then escaped for JSON");
	expect_record_json("flags=readonly,dirty_log other=a,b", lists, NULL,
			   "{\n"
			   "  \"flags\": [\n"
			   "    \"readonly\",\n"
			   "    \"dirty_log\"\n"
			   "  ],\n"
			   "  \"other\": \"a,b\"\n"
			   "}\n", "a list is an array, only under its key");
	expect_record_json("flags=-", lists, NULL,
			   "{\n"
			   "  \"flags\": []\n"
			   "}\n", "no list: []");
	expect_record_json("size=2M leaf=2M", NULL, page_sizes,
			   "{\n"
			   "  \"size\": 2097152,\n"
			   "  \"leaf\": \"2M\"\n"
			   "}\n", "a page size is bytes, only under its key");
}

int main(void)
{
	test_json_structure();
	test_json_strings();
	test_json_misuse();
	test_record_json();
	return cli_tap_finish();
}
