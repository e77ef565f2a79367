// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the CLI's reader and output: every input is read as
 * a debugfs file by the generic reader (records.c over lib/record.c), as
 * records and as one record over its lines, and shown through columns and
 * as JSON; as the "vms" file and a VM's name; as numbers and command line
 * arguments (addresses, lengths); and as a JSON string, escaped text and a
 * hexdump. Besides the sanitizers' checks, it aborts when
 *   - a refused input leaves a message that is not a short C string,
 *   - an accepted input prints JSON that cli_json_check() refuses,
 *   - a number parses but does not print back as its input,
 *   - a file of one record is not one record.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_capture.h"
#include "cli_json_check.h"
#include "fuzz_assert.h"
#include "kvmintro.h"

/* End @output, abort unless it is valid JSON, and free it. */
static void fuzz_output_check_json(struct cli_capture *output, int ret)
{
	char why[128];

	cli_capture_end(output);
	FUZZ_ASSERT(!ret);
	if (!cli_json_check(output->text, output->length, why, sizeof(why))) {
		fprintf(stderr, "invalid JSON (%s):\n%s\n", why, output->text);
		abort();
	}
	free(output->text);
}

static void fuzz_output_discard(struct cli_capture *output, int ret)
{
	cli_capture_end(output);
	FUZZ_ASSERT(!ret);
	free(output->text);
}

static void fuzz_check_error(const struct kvmintro_parse_error *error)
{
	FUZZ_ASSERT(memchr(error->message, '\0', sizeof(error->message)));
	FUZZ_ASSERT(error->message[0]);
	FUZZ_ASSERT(memchr(error->line_text, '\0', sizeof(error->line_text)));
}

/* Look up every VM by its dir, and the input itself as a name. */
static void fuzz_find_vms(const struct kvmintro_vm_list *list,
			  const char *text, size_t length)
{
	const struct kvmintro_vm *vm;
	char name[64];
	size_t i;

	for (i = 0; i < list->count; i++) {
		int ret = kvmintro_vm_list_find(list, list->vms[i].dir, &vm);

		FUZZ_ASSERT(ret == 0 || ret == -ENOTUNIQ);
	}
	if (length >= sizeof(name))
		length = sizeof(name) - 1;
	memcpy(name, text, length);
	name[length] = '\0';
	kvmintro_vm_list_find(list, name, &vm);
}

static const struct kvmintro_vm fuzz_vm = { .pid = 1, .dir = "1" };

static void fuzz_vm_list(const char *text, size_t length)
{
	struct kvmintro_parse_error error;
	struct kvmintro_vm_list list;
	struct cli_capture output;
	int ret;

	if (kvmintro_vm_list_parse(text, length, &list, &error)) {
		FUZZ_ASSERT(!list.vms && !list.count);
		fuzz_check_error(&error);
		return;
	}
	ret = kvmintro_vm_list_print_json(&list, cli_capture_begin(&output));
	fuzz_output_check_json(&output, ret);
	ret = kvmintro_vm_list_print_table(&list, cli_capture_begin(&output));
	fuzz_output_discard(&output, ret);
	fuzz_find_vms(&list, text, length);
	kvmintro_vm_list_release(&list);
}

static const struct kvmintro_column fuzz_columns[] = {
	KVMINTRO_SHOW_RIGHT("gpa", "GPA", VALUE),
	KVMINTRO_SHOW_RIGHT("npages", "SIZE", PAGES),
	KVMINTRO_SHOW_RIGHT("size", "BYTES", SIZE),
	KVMINTRO_SHOW_LEFT("dir", "DIR", VALUE),
	KVMINTRO_SHOW_OR("kind", "KIND", "reason"),
};

/* Any file, read with no key required: every record in JSON and a table. */
static void fuzz_records(const char *text, size_t length, bool one_record)
{
	static const char *const lists[] = { "flags", NULL };
	static const char *const page_sizes[] = { "size", NULL };
	const struct kvmintro_record_schema schema = {
		.lists = lists,
		.page_sizes = page_sizes,
		.one_record = one_record,
	};
	const struct kvmintro_view view = {
		.schema = &schema,
		.json_key = "records",
	};
	struct kvmintro_record_list list;
	struct kvmintro_parse_error error;
	struct cli_capture output;
	int ret;

	if (kvmintro_record_schema_parse(&schema, text, length, &list, &error)) {
		FUZZ_ASSERT(!list.records && !list.count);
		fuzz_check_error(&error);
		return;
	}
	FUZZ_ASSERT(!one_record || list.count == 1);
	ret = kvmintro_show_json(&fuzz_vm, &view, &list,
				 cli_capture_begin(&output));
	fuzz_output_check_json(&output, ret);
	ret = kvmintro_show_table(fuzz_columns, ARRAY_SIZE(fuzz_columns),
				  list.records, list.count,
				  cli_capture_begin(&output));
	fuzz_output_discard(&output, ret);
	kvmintro_record_list_release(&list);
}

/* Return @text without leading zeros (but one, if all are zeros). */
static struct kvmintro_span fuzz_strip_zeros(struct kvmintro_span text)
{
	while (text.length > 1 && text.start[0] == '0') {
		text.start++;
		text.length--;
	}
	return text;
}

/* A number that parses prints back as its input, less leading zeros. */
static void fuzz_numbers(const char *text, size_t length)
{
	struct kvmintro_span span = { text, length };
	char printed[32];
	uint64_t value;

	if (!kvmintro_parse_digits(text, length, 10, &value)) {
		snprintf(printed, sizeof(printed), "%" PRIu64, value);
		FUZZ_ASSERT(kvmintro_span_equals(fuzz_strip_zeros(span), printed));
	}
}

static void fuzz_json_string(const char *text, size_t length)
{
	struct kvmintro_json json;
	struct cli_capture output;

	kvmintro_json_init(&json, kvmintro_json_fwrite, cli_capture_begin(&output));
	kvmintro_json_begin_object(&json, NULL);
	kvmintro_json_string_bytes(&json, "bytes", text, length);
	kvmintro_json_end_object(&json);
	fuzz_output_check_json(&output, kvmintro_json_finish(&json));
}

static void fuzz_quote_and_size(const char *text, size_t length)
{
	char quoted[KVMINTRO_QUOTE_MAX];
	char size[KVMINTRO_SIZE_TEXT_MAX];
	uint64_t bytes = 0;

	kvmintro_format_quote(text, length, quoted, sizeof(quoted));
	FUZZ_ASSERT(strlen(quoted) < sizeof(quoted));
	memcpy(&bytes, text, length < sizeof(bytes) ? length : sizeof(bytes));
	kvmintro_format_size(bytes, size, sizeof(size));
	FUZZ_ASSERT(strlen(size) + 1 < sizeof(size));
}








/* The input, up to its first NUL, as a command line argument. */
static void fuzz_arguments(const char *text, size_t length)
{
	char argument[600];
	uint64_t value;

	if (length >= sizeof(argument))
		length = sizeof(argument) - 1;
	memcpy(argument, text, length);
	argument[length] = '\0';
	kvmintro_parse_number_argument(argument, &value);
	kvmintro_parse_length_argument(argument, &value);
	if (!kvmintro_parse_address_argument(argument, &value))
		FUZZ_ASSERT(value < UINT64_C(1) << 52);
}

/* Escaped text is printable; a hexdump has a line per 16 bytes. */
static void fuzz_escape_and_hexdump(const char *text, size_t length)
{
	struct kvmintro_memory memory = {
		.bytes = (unsigned char *)text,
		.length = length,
		.requested = length,
	};
	struct cli_capture output;
	char *escaped;
	size_t i, lines = 0;
	int ret;

	escaped = kvmintro_escape(text, length);
	FUZZ_ASSERT(escaped);
	for (i = 0; escaped[i]; i++)
		FUZZ_ASSERT(escaped[i] >= 0x20 && escaped[i] < 0x7f);
	free(escaped);
	memcpy(&memory.gpa, text, length < 8 ? length : 8);
	memory.gpa >>= 12;
	ret = kvmintro_memory_print_hexdump(&memory, cli_capture_begin(&output));
	cli_capture_end(&output);
	FUZZ_ASSERT(!ret);
	for (i = 0; i < output.length; i++)
		lines += output.text[i] == '\n';
	FUZZ_ASSERT(lines == (length + 15) / 16);
	free(output.text);
	ret = kvmintro_memory_print_json(&fuzz_vm, &memory,
					 cli_capture_begin(&output));
	fuzz_output_check_json(&output, ret);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;

	fuzz_vm_list(text, size);
	fuzz_records(text, size, false);
	fuzz_records(text, size, true);
	fuzz_numbers(text, size);
	fuzz_arguments(text, size);
	fuzz_json_string(text, size);
	fuzz_quote_and_size(text, size);
	fuzz_escape_and_hexdump(text, size);
	return 0;
}
