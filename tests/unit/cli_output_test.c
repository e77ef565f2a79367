// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the CLI's output: aligned tables, the "list"
 * and "memslots" tables and JSON, and the JSON checker the other tests
 * trust.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_capture.h"
#include "cli_json_check.h"
#include "cli_tap.h"
#include "kvmintro.h"

static const struct kvmintro_column test_columns[] = {
	KVMINTRO_COLUMN("NUMBER", RIGHT),
	KVMINTRO_COLUMN("NAME", LEFT),
	KVMINTRO_COLUMN("LAST", LEFT),
};

static void test_table(void)
{
	struct kvmintro_table table;
	struct cli_capture capture;
	int ret;

	kvmintro_table_init(&table, test_columns, 3);
	kvmintro_table_add(&table, "%d", 7);
	kvmintro_table_add(&table, "%s", "a-long-name");
	kvmintro_table_add(&table, "x");
	kvmintro_table_add(&table, "%d", 123456789);
	kvmintro_table_add(&table, "b");
	kvmintro_table_add(&table, "longer than its title");
	ret = kvmintro_table_print(&table, cli_capture_begin(&capture));
	CLI_EXPECT(!ret, "table: prints");
	CLI_EXPECT_STRING(cli_capture_end(&capture),
			  "   NUMBER  NAME         LAST\n"
			  "        7  a-long-name  x\n"
			  "123456789  b            longer than its title\n",
			  "table: columns aligned, last one not padded");
	free(capture.text);
	kvmintro_table_release(&table);

	kvmintro_table_init(&table, test_columns, 3);
	ret = kvmintro_table_print(&table, cli_capture_begin(&capture));
	CLI_EXPECT_STRING(cli_capture_end(&capture), "NUMBER  NAME  LAST\n",
			  "table: no rows, titles only");
	free(capture.text);
	kvmintro_table_release(&table);

	kvmintro_table_init(&table, test_columns, 3);
	kvmintro_table_add(&table, "1");
	ret = kvmintro_table_print(&table, cli_capture_begin(&capture));
	CLI_EXPECT(ret == -EINVAL, "table: an unfinished row is an error");
	CLI_EXPECT_STRING(cli_capture_end(&capture), "",
			  "table: an unfinished row prints nothing");
	free(capture.text);
	kvmintro_table_release(&table);
}

static const char contract_vms[] =
	"pid=1234 dir=\"1234\" vcpus=2 slots=3 mem=268435456\n"
	"pid=1234 dir=\"1234-1\" vcpus=1 slots=1 mem=2097152\n";

static const char contract_memslots[] =
	"as=0 slot=0 gpa=0x0 npages=0xa0 size=0xa0000 hva=0x7f5c2c000000 flags=-\n"
	"as=0 slot=1 gpa=0x100000000 npages=0x400 size=0x400000 "
	"hva=0x7f5c00000000 flags=readonly\n"
	"as=1 slot=0 gpa=0x0 npages=0xa0 size=0xa0000 hva=0x7f5c2c000000 "
	"flags=dirty_log,unknown_0x100\n";

static void test_vm_list_output(void)
{
	struct kvmintro_parse_error error;
	struct kvmintro_vm_list list;
	struct cli_capture capture;
	int ret;

	ret = kvmintro_vm_list_parse(contract_vms, strlen(contract_vms), &list,
				     &error);
	if (!CLI_EXPECT(!ret, "list output: sample parses"))
		return;
	CLI_EXPECT(!kvmintro_vm_list_print_table(&list, cli_capture_begin(&capture)),
		   "list output: table prints");
	CLI_EXPECT_STRING(cli_capture_end(&capture),
			  " PID  DIR     VCPUS  SLOTS   MEMORY      BYTES\n"
			  "1234  1234        2      3  256 MiB  268435456\n"
			  "1234  1234-1      1      1    2 MiB    2097152\n",
			  "list output: table");
	free(capture.text);

	CLI_EXPECT(!kvmintro_vm_list_print_json(&list, cli_capture_begin(&capture)),
		   "list output: JSON prints");
	cli_capture_end(&capture);
	cli_json_expect_valid(capture.text, "list output");
	CLI_EXPECT(strstr(capture.text, "\"dir\": \"1234-1\",\n") &&
		   strstr(capture.text, "\"mem\": 268435456\n"),
		   "list output: JSON has strings and numbers");
	free(capture.text);
	kvmintro_vm_list_release(&list);

	CLI_EXPECT(!kvmintro_vm_list_print_json(&list, cli_capture_begin(&capture)),
		   "list output: JSON of no VMs prints");
	CLI_EXPECT_STRING(cli_capture_end(&capture), "[]\n",
			  "list output: JSON of no VMs is []");
	free(capture.text);
}

/* The generic table and JSON of records, on the memslots of the contract. */
static void test_memslot_list_output(void)
{
	struct kvmintro_vm vm = {
		.pid = 1234, .dir = "1234",
		.line = "pid=1234 dir=\"1234\" vcpus=2 slots=3 mem=4849664",
	};
	struct kvmintro_parse_error error;
	struct kvmintro_record_list list;
	struct cli_capture capture;
	int ret;

	ret = kvmintro_record_schema_parse(kvmintro_memslot_view.schema,
					   contract_memslots,
					   strlen(contract_memslots), &list,
					   &error);
	if (!CLI_EXPECT(!ret, "memslots output: sample parses"))
		return;
	CLI_EXPECT(!kvmintro_show_table(kvmintro_memslot_view.columns,
					kvmintro_memslot_view.nr_columns,
					list.records, list.count,
					cli_capture_begin(&capture)),
		   "memslots output: table prints");
	CLI_EXPECT_STRING(cli_capture_end(&capture),
			  "AS  SLOT          GPA  NPAGES     SIZE     BYTES             HVA  FLAGS\n"
			  " 0     0          0x0    0xa0  640 KiB   0xa0000  0x7f5c2c000000  -\n"
			  " 0     1  0x100000000   0x400    4 MiB  0x400000  0x7f5c00000000  readonly\n"
			  " 1     0          0x0    0xa0  640 KiB   0xa0000  0x7f5c2c000000  dirty_log,unknown_0x100\n",
			  "memslots output: table");
	free(capture.text);

	CLI_EXPECT(!kvmintro_show_json(&vm, &kvmintro_memslot_view, &list,
				       cli_capture_begin(&capture)),
		   "memslots output: JSON prints");
	cli_capture_end(&capture);
	cli_json_expect_valid(capture.text, "memslots output");
	CLI_EXPECT(strstr(capture.text, "\"gpa\": 4294967296,\n") &&
		   strstr(capture.text, "\"flags\": []\n") &&
		   strstr(capture.text, "\"flags\": [\n        \"readonly\"\n      ]") &&
		   strstr(capture.text, "\"dirty_log\",\n        \"unknown_0x100\"\n"),
		   "memslots output: JSON numbers and flag arrays");
	free(capture.text);
	kvmintro_record_list_release(&list);
}

static void expect_checker(const char *text, bool valid, const char *name)
{
	char why[128];

	CLI_EXPECT(cli_json_check(text, strlen(text), why, sizeof(why)) == valid,
		   "json checker: %s %s", valid ? "accepts" : "refuses", name);
}

/* Check @depth arrays nested in each other. */
static void expect_nested_arrays(int depth, bool valid)
{
	char text[2 * 100 + 1] = "";
	char name[64];
	int i;

	for (i = 0; i < depth; i++) {
		text[i] = '[';
		text[2 * depth - 1 - i] = ']';
	}
	text[2 * depth] = '\0';
	snprintf(name, sizeof(name), "arrays nested %d deep", depth);
	expect_checker(text, valid, name);
}

static void test_json_checker(void)
{
	expect_checker("[]", true, "[]");
	expect_checker(" {\"a\": [1, -2.5e+3, true, false, null, \"\\u00e9\"]} ",
		       true, "a mixed object");
	expect_checker("\"\\ud83d\\ude00\"", true, "a surrogate pair");
	expect_checker("", false, "nothing");
	expect_checker("[1,]", false, "a trailing comma");
	expect_checker("{\"a\" 1}", false, "a missing colon");
	expect_checker("[01]", false, "a leading zero");
	expect_checker("\"a\nb\"", false, "a raw newline in a string");
	expect_checker("\"\\x41\"", false, "a \\x escape");
	expect_checker("\"\\ud83d\"", false, "a lone surrogate");
	expect_checker("\"\xff\"", false, "invalid UTF-8");
	expect_checker("[] []", false, "two values");
	expect_nested_arrays(64, true);
	expect_nested_arrays(65, false);
}

int main(void)
{
	test_json_checker();
	test_table();
	test_vm_list_output();
	test_memslot_list_output();
	return cli_tap_finish();
}
