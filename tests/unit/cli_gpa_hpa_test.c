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

static int parse_runs(const char *text, struct kvmintro_array *runs,
		      struct kvmintro_parse_error *error)
{
	return kvmintro_gpa_hpa_parse(text, strlen(text), runs, error);
}

static const struct kvmintro_gpa_hpa_run *run_at(const struct kvmintro_array *runs,
						 size_t index)
{
	return (const struct kvmintro_gpa_hpa_run *)runs->elements + index;
}

static void test_fixture(void)
{
	struct kvmintro_array runs;
	struct kvmintro_parse_error error;
	const struct kvmintro_gpa_hpa_run *run;

	if (!CLI_EXPECT(!parse_runs(FIXTURE_GPA_HPA, &runs, &error) &&
			runs.count == 5, "gpa_hpa: every kind parses")) {
		printf("#   line %zu: %s\n", error.line, error.message);
		return;
	}
	run = run_at(&runs, 2);
	CLI_EXPECT(run->gpa == 0x200000 && run->npages == 0x200 &&
		   run->hva == 0x7f5c2c200000 && run->hpa.valid &&
		   run->hpa.value == 0x5a400000 && run->pfn.value == 0x5a400 &&
		   run->host_size.value == 2 << 20 && !strcmp(run->kind, "thp"),
		   "gpa_hpa: a huge page run");
	run = run_at(&runs, 3);
	CLI_EXPECT(!run->hpa.valid && !run->pfn.valid && !run->host_size.valid &&
		   !strcmp(run->kind, "none"), "gpa_hpa: \"-\" columns");
	CLI_EXPECT(run_at(&runs, 4)->host_size.value == 1 << 30,
		   "gpa_hpa: a 1G hugetlb page");
	kvmintro_array_release(&runs);
	CLI_EXPECT(!parse_runs(FIXTURE_GPA_HPA_HEADER, &runs, &error) &&
		   !runs.count, "gpa_hpa: no memory, the header only");
	CLI_EXPECT(!parse_runs("kind hpa gpa npages pfn hva host_size colour\n"
			       "base 0x1000 0x0 0x1 0x1 0x7f00 64K blue\n",
			       &runs, &error) && runs.count == 1 &&
		   run_at(&runs, 0)->host_size.value == 65536,
		   "gpa_hpa: columns in any order, a 64K folio, unknown column");
	kvmintro_array_release(&runs);
}

static void expect_refused(const char *row, const char *message,
			   const char *name)
{
	struct kvmintro_array runs;
	struct kvmintro_parse_error error;
	char text[512];
	int ret;

	snprintf(text, sizeof(text), "%s%s", FIXTURE_GPA_HPA, row);
	ret = parse_runs(text, &runs, &error);
	if (!CLI_EXPECT(ret == -EBADMSG && error.line == 7 && !runs.count &&
			strstr(error.message, message), "gpa_hpa: %s", name))
		printf("#   %d, line %zu: %s\n", ret, error.line, error.message);
	kvmintro_array_release(&runs);
}

static void test_refused(void)
{
	expect_refused("0x0 0x1 0x1 0x1000 0x1 4K none\n",
		       "kind none, but hpa, pfn and host_size are not all '-'",
		       "a run not backed with a host page");
	expect_refused("0x0 0x1 0x1 - - - base\n",
		       "kind base, but hpa, pfn and host_size are not all given",
		       "a backed run without a host page");
	expect_refused("0x0 0x1 0x1 0x1000 - 4K base\n", "not all given",
		       "a backed run without its pfn");
	expect_refused("- 0x1 0x1 - - - none\n", "gpa: \"-\" is not a hex number",
		       "\"-\" where a value must be");
	expect_refused("0x0 0x1 0x1 0x1000 0x1 4096 base\n",
		       "host_size: \"4096\" is not a size", "size without a unit");
	expect_refused("0x0 0x10000000000 0x1 - - - none\n",
		       "npages 0x10000000000 is more than guest memory can hold",
		       "more pages than guest memory");
	expect_refused("0x0 0x1 0x1 - - -\n", "6 columns, but the header has 7",
		       "a column short");
}

static void test_totals(void)
{
	struct kvmintro_gpa_hpa_totals totals;
	struct kvmintro_array runs;
	struct kvmintro_parse_error error;
	char text[4096] = FIXTURE_GPA_HPA_HEADER;
	int i;

	parse_runs(FIXTURE_GPA_HPA "0x500000 0x2 0x1 0x1 0x1 4K ksm\n", &runs,
		   &error);
	kvmintro_gpa_hpa_sum(&runs, &totals);
	CLI_EXPECT(totals.count == 6 && !strcmp(totals.kinds[0].kind, "base") &&
		   totals.kinds[0].bytes == 4096 &&
		   totals.kinds[1].bytes == 2 << 20 &&
		   totals.kinds[2].bytes == 1 << 30 &&
		   totals.kinds[3].bytes == 4096 &&
		   totals.kinds[4].bytes == 65536 &&
		   !strcmp(totals.kinds[5].kind, "ksm") &&
		   totals.kinds[5].bytes == 8192 && totals.all.runs == 6 &&
		   totals.all.bytes == 4096 + (2 << 20) + (1 << 30) + 4096 +
				       65536 + 8192,
		   "totals: known kinds in order, a new kind after them");
	kvmintro_array_release(&runs);

	for (i = 0; i < 20; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "0x0 0x1 0x1 0x1 0x1 4K kind%d\n", i);
	parse_runs(text, &runs, &error);
	kvmintro_gpa_hpa_sum(&runs, &totals);
	CLI_EXPECT(totals.count == KVMINTRO_GPA_HPA_KINDS_MAX &&
		   !strcmp(totals.kinds[KVMINTRO_GPA_HPA_KINDS_MAX - 1].kind,
			   "other") &&
		   totals.kinds[KVMINTRO_GPA_HPA_KINDS_MAX - 1].runs == 10 &&
		   totals.all.runs == 20,
		   "totals: too many kinds end in \"other\"");
	kvmintro_array_release(&runs);
}

static char *print_runs(bool json)
{
	struct kvmintro_array runs;
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
	kvmintro_array_release(&runs);
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
			  "      \"size\": 65536,\n      \"hva\": 140033856110592,\n"
			  "      \"hpa\": null,\n      \"pfn\": null,\n"
			  "      \"host_size\": null,\n      \"kind\": \"none\"\n"),
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
