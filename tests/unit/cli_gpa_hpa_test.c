// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the "gpa_hpa" file as the CLI reads it: runs of every
 * kind, "-" where a run is not backed, what a broken module could write;
 * the totals by kind, the table and the JSON.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_capture.h"
#include "cli_fixtures.h"
#include "cli_json_check.h"
#include "cli_tap.h"
#include "gpa_hpa.h"

static const struct kvmintro_vm test_vm = FIXTURE_VM;

static int parse_runs(const char *text, struct kvmintro_record_list *runs,
		      struct kvmintro_parse_error *error)
{
	return kvmintro_record_list_parse(&kvmintro_gpa_hpa_schema, text,
					  strlen(text), runs, error);
}

static bool kind_is(const struct kvmintro_record *run, const char *kind)
{
	return kvmintro_span_equals(kvmintro_record_text(run, "kind"), kind);
}

static bool total_is(const struct kvmintro_gpa_hpa_total *total,
		     const char *kind)
{
	return total->kind_length == strlen(kind) &&
	       !memcmp(total->kind, kind, total->kind_length);
}

static void test_fixture(void)
{
	struct kvmintro_record_list runs;
	struct kvmintro_parse_error error;
	const struct kvmintro_record *run;

	if (!CLI_EXPECT(!parse_runs(FIXTURE_GPA_HPA, &runs, &error) &&
			runs.count == 5, "gpa_hpa: every kind parses")) {
		printf("#   line %zu: %s\n", error.line, error.message);
		return;
	}
	run = &runs.records[2];
	CLI_EXPECT(kvmintro_record_number(run, "gpa") == 0x200000 &&
		   kvmintro_record_number(run, "npages") == 0x200 &&
		   kvmintro_record_number(run, "hva") == 0x7f5c2c200000 &&
		   kvmintro_record_maybe(run, "hpa").valid &&
		   kvmintro_record_maybe(run, "hpa").value == 0x5a400000 &&
		   kvmintro_record_maybe(run, "pfn").value == 0x5a400 &&
		   kvmintro_record_maybe(run, "host_size").value == 2 << 20 &&
		   kind_is(run, "thp"), "gpa_hpa: a huge page run");
	run = &runs.records[3];
	CLI_EXPECT(!kvmintro_record_maybe(run, "hpa").valid &&
		   !kvmintro_record_maybe(run, "pfn").valid &&
		   !kvmintro_record_maybe(run, "host_size").valid &&
		   kind_is(run, "none"), "gpa_hpa: \"-\" values");
	CLI_EXPECT(kvmintro_record_maybe(&runs.records[4], "host_size").value ==
		   1 << 30, "gpa_hpa: a 1G hugetlb page");
	kvmintro_record_list_release(&runs);
	CLI_EXPECT(!parse_runs("", &runs, &error) && !runs.count,
		   "gpa_hpa: no memory, no record");
	kvmintro_record_list_release(&runs);
	CLI_EXPECT(!parse_runs("kind=base hpa=0x1000 gpa=0x0 npages=0x1 pfn=0x1 "
			       "hva=0x7f00 host_size=64K colour=blue\n",
			       &runs, &error) && runs.count == 1 &&
		   kvmintro_record_maybe(&runs.records[0], "host_size").value ==
		   65536,
		   "gpa_hpa: keys in any order, a 64K folio, unknown key");
	kvmintro_record_list_release(&runs);
}

#define RUN_START "gpa=0x0 npages=0x1 hva=0x1 "

static void expect_refused(const char *record, const char *message,
			   const char *name)
{
	struct kvmintro_record_list runs;
	struct kvmintro_parse_error error;
	char text[1024];
	int ret;

	snprintf(text, sizeof(text), "%s%s", FIXTURE_GPA_HPA, record);
	ret = parse_runs(text, &runs, &error);
	if (!CLI_EXPECT(ret == -EBADMSG && error.line == 6 && !runs.count &&
			strstr(error.message, message), "gpa_hpa: %s", name))
		printf("#   %d, line %zu: %s\n", ret, error.line, error.message);
	kvmintro_record_list_release(&runs);
}

static void test_refused(void)
{
	expect_refused(RUN_START "hpa=0x1000 pfn=0x1 host_size=4K kind=none\n",
		       "kind none, but hpa, pfn and host_size are not all '-'",
		       "a run not backed with a host page");
	expect_refused(RUN_START "hpa=- pfn=- host_size=- kind=base\n",
		       "kind base, but hpa, pfn and host_size are not all given",
		       "a backed run without a host page");
	expect_refused(RUN_START "hpa=0x1000 pfn=- host_size=4K kind=base\n",
		       "not all given", "a backed run without its pfn");
	expect_refused("gpa=- npages=0x1 hva=0x1 hpa=- pfn=- host_size=- kind=none\n",
		       "gpa: \"-\" is -", "\"-\" where a value must be");
	expect_refused(RUN_START "hpa=0x1000 pfn=0x1 host_size=4096 kind=base\n",
		       "host_size: \"4096\" is a decimal number",
		       "size without a unit");
	expect_refused(RUN_START "hpa=0x1000 pfn=0x1 host_size=4X kind=base\n",
		       "host_size: \"4X\" is not a page size",
		       "size with a unit that is none");
	expect_refused("gpa=0x0 npages=0x10000000000 hva=0x1 hpa=- pfn=- "
		       "host_size=- kind=none\n",
		       "npages 0x10000000000 is more than guest memory can hold",
		       "more pages than guest memory");
	expect_refused(RUN_START "hpa=- pfn=- host_size=-\n", "no key 'kind'",
		       "a key short");
	expect_refused("0x0 0x1 0x1 - - - none\n", "not a record",
		       "a line of the old table");
}

static void test_totals(void)
{
	struct kvmintro_gpa_hpa_totals totals;
	struct kvmintro_record_list runs;
	struct kvmintro_parse_error error;
	char text[4096] = "";
	int i;

	parse_runs(FIXTURE_GPA_HPA "gpa=0x500000 npages=0x2 hva=0x1 hpa=0x1 "
		   "pfn=0x1 host_size=4K kind=ksm\n", &runs, &error);
	kvmintro_gpa_hpa_sum(&runs, &totals);
	CLI_EXPECT(totals.count == 6 && total_is(&totals.kinds[0], "base") &&
		   totals.kinds[0].bytes == 4096 &&
		   totals.kinds[1].bytes == 2 << 20 &&
		   totals.kinds[2].bytes == 1 << 30 &&
		   totals.kinds[3].bytes == 4096 &&
		   totals.kinds[4].bytes == 65536 &&
		   total_is(&totals.kinds[5], "ksm") &&
		   totals.kinds[5].bytes == 8192 && totals.all.runs == 6 &&
		   totals.all.bytes == 4096 + (2 << 20) + (1 << 30) + 4096 +
				       65536 + 8192,
		   "totals: known kinds in order, a new kind after them");
	kvmintro_record_list_release(&runs);

	for (i = 0; i < 20; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 RUN_START "hpa=0x1 pfn=0x1 host_size=4K kind=kind%d\n",
			 i);
	parse_runs(text, &runs, &error);
	kvmintro_gpa_hpa_sum(&runs, &totals);
	CLI_EXPECT(totals.count == KVMINTRO_GPA_HPA_KINDS_MAX &&
		   total_is(&totals.kinds[KVMINTRO_GPA_HPA_KINDS_MAX - 1],
			    "other") &&
		   totals.kinds[KVMINTRO_GPA_HPA_KINDS_MAX - 1].runs == 10 &&
		   totals.all.runs == 20,
		   "totals: too many kinds end in \"other\"");
	kvmintro_record_list_release(&runs);
}

static char *print_runs(bool json)
{
	struct kvmintro_record_list runs;
	struct kvmintro_parse_error error;
	struct cli_capture capture;
	int ret;

	parse_runs(FIXTURE_GPA_HPA, &runs, &error);
	if (json)
		ret = kvmintro_gpa_hpa_print_json(&test_vm, &runs,
						  cli_capture_begin(&capture));
	else
		ret = kvmintro_gpa_hpa_print_table(&runs,
						   cli_capture_begin(&capture));
	if (ret)
		printf("#   printing failed\n");
	cli_capture_end(&capture);
	kvmintro_record_list_release(&runs);
	return capture.text;
}

static void test_output(void)
{
	char *text = print_runs(false);

	CLI_EXPECT_STRING(text,
			  "       GPA   NPAGES    SIZE             HVA          HPA       PFN  HOST PAGE  KIND\n"
			  "       0x0      0x1   4 KiB  0x7f5c2c000000  0x1ad725000  0x1ad725      4 KiB  base\n"
			  "    0x1000      0x1   4 KiB  0x7f5c2c001000      0x2b000      0x2b      4 KiB  zero\n"
			  "  0x200000    0x200   2 MiB  0x7f5c2c200000   0x5a400000   0x5a400      2 MiB  thp\n"
			  "  0x400000     0x10  64 KiB  0x7f5c2c400000            -         -          -  none\n"
			  "0x40000000  0x40000   1 GiB  0x7f0040000000  0x140000000  0x140000      1 GiB  hugetlb\n"
			  "\n"
			  "KIND     RUNS     SIZE       BYTES\n"
			  "base        1    4 KiB        4096\n"
			  "thp         1    2 MiB     2097152\n"
			  "hugetlb     1    1 GiB  1073741824\n"
			  "zero        1    4 KiB        4096\n"
			  "none        1   64 KiB       65536\n"
			  "total       5  1.0 GiB  1075912704\n",
			  "gpa_hpa table: runs, then the totals by kind");
	free(text);
	text = print_runs(true);
	cli_json_expect_valid(text, "gpa_hpa JSON");
	CLI_EXPECT(strstr(text, "      \"gpa\": 4194304,\n      \"npages\": 16,\n"
			  "      \"hva\": 140033856110592,\n"
			  "      \"hpa\": null,\n      \"pfn\": null,\n"
			  "      \"host_size\": null,\n      \"kind\": \"none\",\n"
			  "      \"size\": 65536\n"),
		   "gpa_hpa JSON: a run not backed, null");
	CLI_EXPECT(strstr(text, "  \"totals\": {\n    \"base\": {\n"
			  "      \"runs\": 1,\n      \"bytes\": 4096\n    },\n") &&
		   strstr(text, "    }\n  },\n  \"total\": {\n    \"runs\": 5,\n"
			  "    \"bytes\": 1075912704\n  }\n}\n"),
		   "gpa_hpa JSON: totals by kind");
	free(text);
}

int main(void)
{
	test_fixture();
	test_refused();
	test_totals();
	test_output();
	return cli_tap_finish();
}
