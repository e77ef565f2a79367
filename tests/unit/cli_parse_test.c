// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the CLI's generic reader (records.c over lib/record.c):
 * the "vms" and "memslots" files of the contract, and what a broken or
 * newer module could write instead; files of one record over their lines;
 * a schema's checks; records of more than 64 fields; every field in JSON,
 * typed by the grammar; and the words the CLI reads in values: page
 * sizes, times, directory names; finding a VM by name.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_capture.h"
#include "cli_tap.h"
#include "kvmintro.h"

#define CONTRACT_VMS "pid=1234 dir=\"1234\" vcpus=2 slots=3 mem=268435456\n"
#define CONTRACT_MEMSLOTS						\
	"as=0 slot=0 gpa=0x0 npages=0xa0 size=0xa0000 hva=0x7f5c2c000000 flags=-\n" \
	"as=0 slot=1 gpa=0x100000000 npages=0x400 size=0x400000 "	\
	"hva=0x7f5c00000000 flags=readonly\n"				\
	"as=1 slot=0 gpa=0x0 npages=0xa0 size=0xa0000 hva=0x7f5c2c000000 " \
	"flags=dirty_log\n"

/* Parse @text as a "vms" file; return the result, keeping the list. */
static int parse_vms(const char *text, size_t length,
		     struct kvmintro_vm_list *list,
		     struct kvmintro_parse_error *error)
{
	return kvmintro_vm_list_parse(text, length, list, error);
}

/* The number @key of VM @i of @list, as its record has it. */
static uint64_t vm_number(const struct kvmintro_vm_list *list, size_t i,
			  const char *key)
{
	return kvmintro_record_number(&list->records.records[i], key);
}

/* Expect "vms" contents @text to be refused at @line, with @message in it. */
static void expect_vms_refused(const char *text, size_t line,
			       const char *message, const char *name)
{
	struct kvmintro_parse_error error;
	struct kvmintro_vm_list list;
	int ret;

	ret = parse_vms(text, strlen(text), &list, &error);
	CLI_EXPECT(ret == -EBADMSG && !list.vms && !list.count &&
		   error.line == line && strstr(error.message, message),
		   "vms: %s", name);
	if (ret != -EBADMSG || !strstr(error.message, message))
		printf("#   line %zu: %s\n", error.line, error.message);
	kvmintro_vm_list_release(&list);
}

static void test_vms_contract(void)
{
	static const char text[] =
		CONTRACT_VMS
		"pid=1234 dir=\"1234-1\" vcpus=1 slots=1 mem=2097152\n";
	struct kvmintro_parse_error error;
	struct kvmintro_vm_list list;
	int ret;

	ret = parse_vms(text, strlen(text), &list, &error);
	CLI_EXPECT(!ret && list.count == 2, "vms: contract example parses");
	if (ret)
		return;
	CLI_EXPECT(list.vms[0].pid == 1234 && !strcmp(list.vms[0].dir, "1234") &&
		   vm_number(&list, 0, "vcpus") == 2 &&
		   vm_number(&list, 0, "slots") == 3 &&
		   vm_number(&list, 0, "mem") == 268435456,
		   "vms: first VM's values");
	CLI_EXPECT(!strcmp(list.vms[1].dir, "1234-1") &&
		   vm_number(&list, 1, "mem") == 2097152,
		   "vms: second VM's values");
	kvmintro_vm_list_release(&list);
}

static void expect_vms_count(const char *text, size_t length, size_t count,
			     const char *name)
{
	struct kvmintro_parse_error error;
	struct kvmintro_vm_list list;
	int ret;

	ret = parse_vms(text, length, &list, &error);
	CLI_EXPECT(!ret && list.count == count, "vms: %s", name);
	if (ret)
		printf("#   line %zu: %s\n", error.line, error.message);
	kvmintro_vm_list_release(&list);
}

static void test_vms_accepted(void)
{
	static const char no_newline[] = "pid=1 dir=\"1\" vcpus=1 slots=0 mem=0";
	static const char comment[] =
		"# a comment\npid=1 dir=\"1\" vcpus=1 slots=0 mem=0\n";
	static const char reordered[] = "mem=0 slots=0 vcpus=1 dir=\"1\" pid=1\n";
	static const char huge[] =
		"pid=4294967296 dir=\"4294967296\" vcpus=18446744073709551615 "
		"slots=0 mem=18446744073709551615\n";

	expect_vms_count("", 0, 0, "empty file: no VMs");
	expect_vms_count(no_newline, strlen(no_newline), 1,
			 "last line without newline");
	expect_vms_count(comment, strlen(comment), 1, "a comment line");
	expect_vms_count(reordered, strlen(reordered), 1, "keys in any order");
	expect_vms_count(huge, strlen(huge), 1, "64-bit numbers");
}

static void test_vms_unknown_keys(void)
{
	static const char text[] =
		"pid=7 dir=\"7\" colour=blue vcpus=1 slots=2 mem=3 a=-\n";
	struct kvmintro_parse_error error;
	struct kvmintro_vm_list list;
	struct cli_capture capture;
	struct kvmintro_json json;

	CLI_EXPECT(!parse_vms(text, strlen(text), &list, &error) &&
		   list.count == 1 && list.vms[0].pid == 7 &&
		   vm_number(&list, 0, "mem") == 3,
		   "vms: unknown keys are kept, unread");
	kvmintro_json_init(&json, kvmintro_json_fwrite, cli_capture_begin(&capture));
	kvmintro_vm_write_json(&json, NULL, &list.vms[0]);
	CLI_EXPECT(!kvmintro_json_finish(&json), "vms: the VM's JSON written");
	CLI_EXPECT_STRING(cli_capture_end(&capture),
			  "{\n  \"pid\": 7,\n  \"dir\": \"7\",\n"
			  "  \"colour\": \"blue\",\n  \"vcpus\": 1,\n"
			  "  \"slots\": 2,\n  \"mem\": 3,\n  \"a\": null\n}\n",
			  "vms: a VM's JSON has every field of its record");
	free(capture.text);
	kvmintro_vm_list_release(&list);
}

static void test_vms_refused(void)
{
	expect_vms_refused(CONTRACT_VMS "pid=1 dir=\"1\" vcpus=1 slots=1\n", 2,
			   "no key 'mem'", "missing key");
	expect_vms_refused(CONTRACT_VMS "pid=1 dir=\"1\" vcpus=1 slots=1 mem\n", 2,
			   "not a record", "word without =");
	expect_vms_refused("pid=1 =1 dir=\"1\" vcpus=1 slots=1 mem=1\n", 1,
			   "not a record", "empty key");
	expect_vms_refused("pid=1 pid=2 dir=\"1\" vcpus=1 slots=1 mem=1\n", 1,
			   "not a record", "duplicate key");
	expect_vms_refused("pid=1 dir=\"1\" vcpus=2x slots=1 mem=1\n", 1,
			   "vcpus: \"2x\" is a word", "non-decimal value");
	expect_vms_refused("pid=1 dir=\"1\" vcpus=1 slots=1 mem=0x10\n", 1,
			   "mem: \"0x10\" is a hex number",
			   "hex where decimal is due");
	expect_vms_refused("pid=1 dir=\"1\" vcpus=1 slots=1 mem=\n", 1,
			   "not a record", "empty value");
	expect_vms_refused("pid=1 dir=\"1\" vcpus=1 slots=1 mem=18446744073709551616\n",
			   1, "not a record", "number too large");
	expect_vms_refused(CONTRACT_VMS CONTRACT_VMS "pid=1 dir=\"1\" vcp", 3,
			   "not a record", "truncated last line without newline");
	expect_vms_refused("pid=1 dir=\"1\" vcpus=1 slots=1 mem=1\r\n", 1,
			   "not a record", "CRLF line end");
	expect_vms_refused("  pid=1 dir=\"1\" vcpus=1 slots=1 mem=1\n", 1,
			   "not a record", "leading blanks");
	expect_vms_refused(CONTRACT_VMS "\n", 2, "not a record", "blank line");
	expect_vms_refused("pid=1 dir=1 vcpus=1 slots=1 mem=1\n", 1,
			   "dir: \"1\" is a decimal number", "dir not a string");
	expect_vms_refused("pid=1 dir=\"../x\" vcpus=1 slots=1 mem=1\n", 1,
			   "is not a valid name", "dir with a slash");
	expect_vms_refused("pid=1 dir=\"..\" vcpus=1 slots=1 mem=1\n", 1,
			   "is not a valid name", "dir ..");
	expect_vms_refused("pid=1 dir=\"\\x01\" vcpus=1 slots=1 mem=1\n", 1,
			   "is not a valid name", "dir with a control character");
	expect_vms_refused("pid=1 dir=\"\\x00\" vcpus=1 slots=1 mem=1\n", 1,
			   "is not a valid name", "dir with a NUL");
	expect_vms_refused("pid=1 dir=\"" "0123456789012345678901234567890123456789"
			   "012345678901234567890123\" vcpus=1 slots=1 mem=1\n", 1,
			   "is not a valid name", "dir too long");
}

static void test_vms_nul_byte(void)
{
	static const char text[] = "pid=1 dir=\"1\" vcpus=1\0 slots=1 mem=1\n";
	struct kvmintro_parse_error error;
	struct kvmintro_vm_list list;

	CLI_EXPECT(parse_vms(text, sizeof(text) - 1, &list, &error) == -EBADMSG &&
		   strstr(error.line_text, "\\x00") &&
		   strstr(error.message, "not a record"),
		   "vms: NUL byte is refused and shown escaped");
	kvmintro_vm_list_release(&list);
}

static void test_vms_long_lines(void)
{
	const size_t length = 1 << 20;
	struct kvmintro_parse_error error;
	struct kvmintro_vm_list list;
	char *text = malloc(length + 64);
	size_t used;
	int ret;

	if (!CLI_EXPECT(text != NULL, "vms: memory for long lines"))
		return;
	memset(text, 'x', length);
	ret = parse_vms(text, length, &list, &error);
	CLI_EXPECT(ret == -EBADMSG && error.line == 1 &&
		   strlen(error.line_text) < KVMINTRO_QUOTE_MAX &&
		   strstr(error.line_text, "...") &&
		   strlen(error.message) < KVMINTRO_PARSE_MESSAGE_MAX,
		   "vms: megabyte line of garbage is refused, quoted short");
	kvmintro_vm_list_release(&list);

	/* A long but valid line: the keys, then an unknown long string. */
	used = (size_t)sprintf(text, "pid=1 dir=\"1\" vcpus=1 slots=1 mem=1 k=\"");
	memset(text + used, 'v', length - used - 1);
	used = length;
	text[used - 1] = '"';
	ret = parse_vms(text, used, &list, &error);
	CLI_EXPECT(!ret && list.count == 1,
		   "vms: megabyte line with an unknown string is accepted");
	kvmintro_vm_list_release(&list);
	free(text);
}

static int parse_memslots(const char *text, struct kvmintro_record_list *list,
			  struct kvmintro_parse_error *error)
{
	return kvmintro_record_schema_parse(kvmintro_memslot_view.schema, text,
					    strlen(text), list, error);
}

static bool memslot_flags_are(const struct kvmintro_record *record,
			      const char *flags)
{
	return kvmintro_span_equals(kvmintro_record_text(record, "flags"),
				    flags);
}

static void test_memslots_contract(void)
{
	struct kvmintro_parse_error error;
	struct kvmintro_record_list list;
	const struct kvmintro_record *slot;

	if (!CLI_EXPECT(!parse_memslots(CONTRACT_MEMSLOTS, &list, &error) &&
			list.count == 3, "memslots: contract example parses"))
		return;
	slot = &list.records[1];
	CLI_EXPECT(kvmintro_record_number(slot, "as") == 0 &&
		   kvmintro_record_number(slot, "slot") == 1 &&
		   kvmintro_record_number(slot, "gpa") == 0x100000000 &&
		   kvmintro_record_number(slot, "npages") == 0x400 &&
		   kvmintro_record_number(slot, "size") == 0x400000 &&
		   kvmintro_record_number(slot, "hva") == 0x7f5c00000000 &&
		   memslot_flags_are(slot, "readonly"), "memslots: record values");
	CLI_EXPECT(kvmintro_record_number(&list.records[2], "as") == 1 &&
		   memslot_flags_are(&list.records[2], "dirty_log") &&
		   memslot_flags_are(&list.records[0], "-"),
		   "memslots: address space and flags of other records");
	kvmintro_record_list_release(&list);
}

static void expect_memslots_count(const char *text, size_t count,
				  const char *name)
{
	struct kvmintro_parse_error error;
	struct kvmintro_record_list list;
	int ret;

	ret = parse_memslots(text, &list, &error);
	CLI_EXPECT(!ret && list.count == count, "memslots: %s", name);
	if (ret)
		printf("#   line %zu: %s\n", error.line, error.message);
	kvmintro_record_list_release(&list);
}

static void expect_memslots_refused(const char *text, size_t line,
				    const char *message, const char *name)
{
	struct kvmintro_parse_error error;
	struct kvmintro_record_list list;
	int ret;

	ret = parse_memslots(text, &list, &error);
	CLI_EXPECT(ret == -EBADMSG && !list.records && error.line == line &&
		   strstr(error.message, message), "memslots: %s", name);
	if (ret != -EBADMSG || !strstr(error.message, message))
		printf("#   line %zu: %s\n", error.line, error.message);
	kvmintro_record_list_release(&list);
}

#define MEMSLOT_START "as=0 slot=0 gpa=0x0 npages=0x1 size=0x1000 hva=0x1 "

static void test_memslots_accepted(void)
{
	expect_memslots_count("", 0, "empty file: no slots");
	expect_memslots_count("# as slot gpa\n", 0, "a comment only");
	expect_memslots_count(MEMSLOT_START "flags=-", 1,
			      "record without newline");
	expect_memslots_count("flags=- hva=0x1 size=0x1000 npages=0x1 gpa=0x0 "
			      "slot=3 as=0\n", 1, "keys in any order");
	expect_memslots_count(MEMSLOT_START "colour=blue flags=-\n", 1,
			      "unknown key is kept");
	expect_memslots_count("as=65535 slot=32767 gpa=0xffffffffffffffff "
			      "npages=0xfffffffffffff size=0xfffffffffffff000 "
			      "hva=0xffffffffffffffff "
			      "flags=readonly,dirty_log,guest_memfd,internal,unknown_0x80000000\n",
			      1, "huge numbers and every flag");
}

static void test_memslots_reordered_values(void)
{
	struct kvmintro_parse_error error;
	struct kvmintro_record_list list;

	if (!CLI_EXPECT(!parse_memslots("flags=readonly hva=0x1 size=0x1000 "
					"npages=0x1 gpa=0x2000 slot=3 as=1\n",
					&list, &error),
			"memslots: reordered keys parse"))
		return;
	CLI_EXPECT(kvmintro_record_number(&list.records[0], "as") == 1 &&
		   kvmintro_record_number(&list.records[0], "slot") == 3 &&
		   kvmintro_record_number(&list.records[0], "gpa") == 0x2000 &&
		   memslot_flags_are(&list.records[0], "readonly"),
		   "memslots: values follow their keys");
	kvmintro_record_list_release(&list);
}

static void test_memslots_refused(void)
{
	expect_memslots_refused("\n", 1, "not a record", "blank line");
	expect_memslots_refused("as slot gpa npages size hva flags\n", 1,
				"not a record", "an old header");
	expect_memslots_refused("as=0 slot=0 gpa=0x0 npages=0x1 size=0x1000 "
				"flags=-\n", 1, "no key 'hva'",
				"record missing a key");
	expect_memslots_refused(MEMSLOT_START "gpa=0x0 flags=-\n", 1,
				"not a record", "record with a key twice");
	expect_memslots_refused(CONTRACT_MEMSLOTS
				"0 2 0x0 0xa0 0xa0000 0x7f5c2c000000 -\n", 4,
				"not a record", "a column line");
	expect_memslots_refused(MEMSLOT_START " flags=-\n", 1, "not a record",
				"two spaces");
	expect_memslots_refused("as=0 slot=0 gpa=0xzz npages=0x1 size=0x1000 "
				"hva=0x1 flags=-\n", 1, "not a record",
				"non-hex garbage");
	expect_memslots_refused("as=0 slot=0 gpa=4096 npages=0x1 size=0x1000 "
				"hva=0x1 flags=-\n", 1,
				"gpa: \"4096\" is a decimal number",
				"decimal where hex is due");
	expect_memslots_refused("as=0x0 slot=0 gpa=0x0 npages=0x1 size=0x1000 "
				"hva=0x1 flags=-\n", 1,
				"as: \"0x0\" is a hex number",
				"hex where decimal is due");
	expect_memslots_refused("as=0 slot=0 gpa=0x10000000000000000 npages=0x1 "
				"size=0x1000 hva=0x1 flags=-\n", 1,
				"not a record", "hex too large");
	expect_memslots_refused(MEMSLOT_START "flags=readonly,\n", 1,
				"is not '-' or a comma-separated list",
				"flags with a trailing comma");
	expect_memslots_refused(MEMSLOT_START "flags=,readonly\n", 1,
				"is not '-' or a comma-separated list",
				"flags with a leading comma");
	expect_memslots_refused(MEMSLOT_START "flags=read;only\n", 1,
				"not a record", "flags with a bad character");
	expect_memslots_refused(MEMSLOT_START "flags=-,readonly\n", 1,
				"not a record", "flags mixing - and names");
	expect_memslots_refused(MEMSLOT_START "flags=\"readonly\"\n", 1,
				"flags: \"\\\"readonly\\\"\" is a string",
				"flags as a string");
}

static void test_vm_find(void)
{
	struct kvmintro_vm vms[] = {
		{ .pid = 1234, .dir = "1234" },
		{ .pid = 1234, .dir = "1234-1" },
		{ .pid = 5678, .dir = "5678-1" },
	};
	struct kvmintro_vm_list list = { .vms = vms, .count = 3 };
	struct kvmintro_vm_list empty = { 0 };
	const struct kvmintro_vm *vm = NULL;

	CLI_EXPECT(!kvmintro_vm_list_find(&list, "5678", &vm) && vm == &vms[2],
		   "find: a PID with one VM gives its dir, whatever its name");
	CLI_EXPECT(!kvmintro_vm_list_find(&list, "1234-1", &vm) && vm == &vms[1],
		   "find: a dir as is");
	CLI_EXPECT(kvmintro_vm_list_find(&list, "1234", &vm) == -ENOTUNIQ,
		   "find: a PID with several VMs is ambiguous");
	CLI_EXPECT(!kvmintro_vm_list_find(&list, "005678", &vm) && vm == &vms[2],
		   "find: a PID with leading zeros");
	CLI_EXPECT(kvmintro_vm_list_find(&list, "999", &vm) == -ESRCH,
		   "find: unknown PID");
	CLI_EXPECT(kvmintro_vm_list_find(&list, "5678-2", &vm) == -ESRCH,
		   "find: unknown dir");
	CLI_EXPECT(kvmintro_vm_list_find(&list, "", &vm) == -ESRCH,
		   "find: empty name");
	CLI_EXPECT(kvmintro_vm_list_find(&list, "99999999999999999999999", &vm) ==
		   -ESRCH, "find: PID too large for 64 bits");
	CLI_EXPECT(kvmintro_vm_list_find(&empty, "1", &vm) == -ESRCH,
		   "find: no VMs at all");
}


/* One record over its lines, as snapshot and regs are. */
static const struct kvmintro_record_key one_keys[] = {
	KVMINTRO_SCHEMA_KEY("number", KVMINTRO_RECORD_TYPES(HEX)),
	KVMINTRO_SCHEMA_KEY("maybe", KVMINTRO_RECORD_TYPES(HEX) | KVMINTRO_RECORD_TYPES(NONE)),
};

static const struct kvmintro_record_schema one_schema = {
	.keys = one_keys,
	.nr_keys = ARRAY_SIZE(one_keys),
	.one_record = true,
};

static int parse_one(const char *text, struct kvmintro_record_list *list,
		     struct kvmintro_parse_error *error)
{
	return kvmintro_record_schema_parse(&one_schema, text, strlen(text),
					    list, error);
}

static void test_one_record(void)
{
	struct kvmintro_parse_error error;
	struct kvmintro_record_list list;

	CLI_EXPECT(!parse_one("number=0x10\n# a comment\nmaybe=-\nword=yes\n",
			      &list, &error) && list.count == 1 &&
		   list.records[0].nr_fields == 3 &&
		   kvmintro_record_number(list.records, "number") == 0x10 &&
		   !kvmintro_record_maybe(list.records, "maybe").valid &&
		   kvmintro_span_equals(kvmintro_record_text(list.records, "word"),
					"yes"),
		   "one record: its lines joined, comments left out");
	kvmintro_record_list_release(&list);
	CLI_EXPECT(parse_one("number=0x10\n", &list, &error) == -EBADMSG &&
		   !list.count && strstr(error.message, "no key 'maybe'"),
		   "one record: a key missing from every line");
	CLI_EXPECT(parse_one("number=0x10\nmaybe=-\nnumber=0x1\n", &list,
			     &error) == -EBADMSG && error.line == 3 &&
		   strstr(error.message, "a key given twice"),
		   "one record: a key on two lines, named at the second");
	CLI_EXPECT(parse_one("number=0x10\nok maybe=-\n", &list,
			     &error) == -EBADMSG && error.line == 2,
		   "one record: no kind word");
	CLI_EXPECT(parse_one("maybe=-\nnumber=ten\n", &list, &error) == -EBADMSG &&
		   error.line == 2 && strstr(error.message, "number: \"ten\" is a word") &&
		   strstr(error.line_text, "number=ten"),
		   "one record: a value of the wrong type, named at its line");
}

/* Refuse odd numbers: the per-record check. */
static int check_even(const struct kvmintro_record *record,
		      struct kvmintro_parse_error *error)
{
	if (kvmintro_record_number(record, "number") % 2)
		return kvmintro_parse_fail(error, -EBADMSG, "number is odd");
	return 0;
}

/* Two records, no more: the check of the whole list. */
static int check_two(const struct kvmintro_record_list *list,
		     const void *context, struct kvmintro_parse_error *error)
{
	(void)context;
	return list->count == 2 ? 0 :
	       kvmintro_parse_fail(error, -EAGAIN, "%zu records", list->count);
}

static void test_record_checks(void)
{
	struct kvmintro_record_schema schema = {
		.keys = one_keys,
		.nr_keys = 1,
		.check = check_even,
		.check_list = check_two,
	};
	static const char text[] = "number=0x2\nnumber=0x3\n";
	struct kvmintro_parse_error error;
	struct kvmintro_record_list list;
	int ret;

	ret = kvmintro_record_schema_parse(&schema, text, strlen(text), &list,
					   &error);
	CLI_EXPECT(ret == -EBADMSG && error.line == 2 && !list.count &&
		   strstr(error.message, "number is odd") &&
		   strstr(error.line_text, "number=0x3"),
		   "records: the schema's check refuses a record, at its line");
	CLI_EXPECT(!kvmintro_record_schema_parse(&schema, "number=0x2\n", 11,
						 &list, &error) && list.count == 1,
		   "records: check_list is not the parser's (the loader runs it)");
	kvmintro_record_list_release(&list);
}

/* More fields than one 64-bit mask holds, as the regs file has. */
static void test_wide_record(void)
{
	static const struct kvmintro_record_schema schema = {
		.one_record = true,
	};
	struct kvmintro_parse_error error;
	struct kvmintro_record_list list;
	char text[2048], key[8];
	size_t used = 0;
	int i, ret;

	for (i = 0; i < 100; i++)
		used += snprintf(text + used, sizeof(text) - used, "k%d=%d\n", i, i);
	ret = kvmintro_record_schema_parse(&schema, text, used, &list, &error);
	snprintf(key, sizeof(key), "k99");
	CLI_EXPECT(!ret && list.records[0].nr_fields == 100 &&
		   kvmintro_record_number(list.records, "k64") == 64 &&
		   kvmintro_record_number(list.records, key) == 99,
		   "wide record: 100 fields over 100 lines");
	kvmintro_record_list_release(&list);
}

/* Every field in JSON, typed by the grammar; the kind as "record". */
static void test_record_json(void)
{
	static const char *const lists[] = { "flags", NULL };
	static const char *const page_sizes[] = { "size", NULL };
	static const struct kvmintro_record_schema schema = {
		.lists = lists,
		.page_sizes = page_sizes,
	};
	static const char text[] =
		"ok n=7 h=0x10 w=4-level none=- s=\"a\\x00\\\"b\" size=2M flags=a,b\n";
	struct kvmintro_parse_error error;
	struct kvmintro_record_list list;
	struct cli_capture capture;
	struct kvmintro_json json;

	if (!CLI_EXPECT(!kvmintro_record_schema_parse(&schema, text, strlen(text),
						      &list, &error),
			"json: the record parses"))
		return;
	kvmintro_json_init(&json, kvmintro_json_fwrite, cli_capture_begin(&capture));
	kvmintro_record_write_json(&json, list.records, &schema);
	CLI_EXPECT(!kvmintro_json_finish(&json), "json: written");
	CLI_EXPECT_STRING(cli_capture_end(&capture),
			  "{\n"
			  "  \"record\": \"ok\",\n"
			  "  \"n\": 7,\n"
			  "  \"h\": 16,\n"
			  "  \"w\": \"4-level\",\n"
			  "  \"none\": null,\n"
			  "  \"s\": \"a\\u0000\\\"b\",\n"
			  "  \"size\": 2097152,\n"
			  "  \"flags\": [\n"
			  "    \"a\",\n"
			  "    \"b\"\n"
			  "  ]\n"
			  "}\n", "json: numbers, words, null, strings, lists, sizes");
	free(capture.text);
	kvmintro_record_list_release(&list);
}

int main(void)
{
	test_vms_contract();
	test_vms_accepted();
	test_vms_unknown_keys();
	test_vms_refused();
	test_vms_nul_byte();
	test_vms_long_lines();
	test_memslots_contract();
	test_memslots_accepted();
	test_memslots_reordered_values();
	test_memslots_refused();
	test_vm_find();
	test_one_record();
	test_record_checks();
	test_wide_record();
	test_record_json();
	return cli_tap_finish();
}
