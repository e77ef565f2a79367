// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of a vcpu's "regs" file as the CLI reads it: every key, MSRs
 * "unavailable", live and captured registers, what a broken module could
 * write; the grouped table with flags and segment attributes decoded, the
 * JSON, and the message when nothing was captured yet.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_capture.h"
#include "cli_fixtures.h"
#include "cli_json_check.h"
#include "cli_tap.h"
#include "regs.h"

static const struct kvmintro_vm test_vm = FIXTURE_VM;

/* Return @text with the first @from replaced by @to, allocated. */
static char *replace(const char *text, const char *from, const char *to)
{
	const char *found = strstr(text, from);
	char *result;

	if (!found || asprintf(&result, "%.*s%s%s", (int)(found - text), text,
			       to, found + strlen(from)) < 0)
		abort();
	return result;
}

static int parse_regs(const char *text, struct kvmintro_vcpu_regs *regs,
		      struct kvmintro_parse_error *error)
{
	return kvmintro_regs_parse(text, strlen(text), regs, error);
}

static void test_fixture(void)
{
	struct kvmintro_parse_error error;
	struct kvmintro_vcpu_regs regs;

	if (!CLI_EXPECT(!parse_regs(FIXTURE_REGS, &regs, &error),
			"regs: every key parses"))
		printf("#   line %zu: %s\n", error.line, error.message);
	CLI_EXPECT(regs.vcpu == 1 && !strcmp(regs.source, "capture") &&
		   regs.has_generation && regs.generation == 1,
		   "regs: vcpu, source, generation");
	CLI_EXPECT(regs.gprs[0] == 0 && regs.gprs[1] == 0x11 &&
		   regs.gprs[15] == 0xff, "regs: general-purpose registers");
	CLI_EXPECT(regs.control[0] == 0x401000 && regs.control[2] == 0x80050033 &&
		   regs.control[7] == 0xd00 && regs.control[8] == 0xfee00900,
		   "regs: rip, cr0, efer, apic_base");
	CLI_EXPECT(regs.tables[0].base == 0x2000 && regs.tables[0].limit == 0x1f &&
		   regs.tables[1].limit == 0xfff, "regs: gdt and idt");
	CLI_EXPECT(regs.segments[0].selector == 8 &&
		   regs.segments[0].attributes == 0xa09b &&
		   regs.segments[6].base == 0x1000 &&
		   regs.segments[7].attributes == 0x82, "regs: segments");
	CLI_EXPECT(regs.msrs[1].valid && regs.msrs[1].value == 0xffffffff81a00080 &&
		   regs.msrs[8].value == 0x7040600070406 && !regs.msrs[9].valid,
		   "regs: MSRs, tsc unavailable");
}

static void test_live(void)
{
	struct kvmintro_parse_error error;
	struct kvmintro_vcpu_regs regs;
	char *text = replace(FIXTURE_REGS, "source=capture\ngeneration=1\n",
			     "source=live\n");

	CLI_EXPECT(!parse_regs(text, &regs, &error) && !regs.has_generation &&
		   !strcmp(regs.source, "live"),
		   "regs: live registers have no generation");
	free(text);
}

static void expect_refused(const char *from, const char *to, size_t line,
			   const char *message, const char *name)
{
	struct kvmintro_parse_error error;
	struct kvmintro_vcpu_regs regs;
	char *text = replace(FIXTURE_REGS, from, to);
	int ret;

	ret = parse_regs(text, &regs, &error);
	if (!CLI_EXPECT(ret == -EBADMSG && error.line == line &&
			strstr(error.message, message), "regs: %s", name))
		printf("#   %d, line %zu: %s\n", ret, error.line, error.message);
	free(text);
}

static void test_refused(void)
{
	expect_refused("generation=1\n", "", 0,
		       "source=capture, but key 'generation' is missing",
		       "a capture without its generation");
	expect_refused("source=capture\n", "source=live\n", 0,
		       "source=live, but key 'generation' is there",
		       "live registers with a generation");
	expect_refused("source=capture\n", "source=cache\n", 2,
		       "source: \"cache\" is not 'live' or 'capture'",
		       "unknown source");
	expect_refused("cs.attributes=0xa09b\n", "", 0,
		       "key 'cs.attributes' is missing", "a segment key missing");
	expect_refused("rip=0x401000\n", "rip=unavailable\n", 20,
		       "rip: \"unavailable\" is not a hex number",
		       "only MSRs may be unavailable");
	expect_refused("pat=0x7040600070406\n", "pat=-\n", 75,
		       "pat: \"-\" is not a hex number", "an MSR of \"-\"");
	expect_refused("r15=0xff\n", "r15=0x1ffffffffffffffff\n", 19,
		       "does not fit in 64 bits", "a register beyond 64 bits");
	expect_refused("rax=0x0\n", "rax=0x0\nrax=0x1\n", 5,
		       "key 'rax' appears twice", "a register twice");
}

static void expect_segment(unsigned int attributes, const char *expected)
{
	char text[64];

	kvmintro_describe_segment(attributes, text, sizeof(text));
	CLI_EXPECT_STRING(text, expected, "segment 0x%x: %s", attributes,
			  expected);
}

static void test_segments(void)
{
	expect_segment(0xa09b, "code, readable, accessed");
	expect_segment(0xc093, "data, writable, accessed");
	expect_segment(0x91, "data, accessed");
	expect_segment(0x9f, "code, conforming, readable, accessed");
	expect_segment(0x97, "data, expand-down, writable, accessed");
	expect_segment(0x8b, "TSS (busy)");
	expect_segment(0x89, "TSS (available)");
	expect_segment(0x82, "LDT");
	expect_segment(0x8e, "interrupt gate");
	expect_segment(0x80, "reserved");
	expect_segment(0x1c093, "unusable");
}

static char *print_list(const struct kvmintro_vcpu_regs *regs, size_t count,
			bool json)
{
	struct kvmintro_regs_list list = {
		.regs = (struct kvmintro_vcpu_regs *)regs, .count = count,
	};
	struct cli_capture capture;
	int ret;

	if (json)
		ret = kvmintro_regs_list_print_json(&test_vm, &list,
						    cli_capture_begin(&capture));
	else
		ret = kvmintro_regs_list_print_table(&list,
						     cli_capture_begin(&capture));
	if (ret)
		printf("#   printing failed\n");
	cli_capture_end(&capture);
	return capture.text;
}

static void test_table(void)
{
	struct kvmintro_vcpu_regs regs[2];
	struct kvmintro_parse_error error;
	char *text, *live;

	parse_regs(FIXTURE_REGS, &regs[0], &error);
	text = print_list(regs, 1, false);
	CLI_EXPECT_STRING(text, FIXTURE_REGS_TABLE, "regs table: grouped, decoded");
	free(text);

	live = replace(FIXTURE_REGS, "source=capture\ngeneration=1\n",
		       "source=live\n");
	parse_regs(live, &regs[1], &error);
	free(live);
	regs[1].vcpu = 2;
	text = print_list(regs, 2, false);
	CLI_EXPECT(!strncmp(text, FIXTURE_REGS_TABLE, strlen(FIXTURE_REGS_TABLE)) &&
		   !strncmp(text + strlen(FIXTURE_REGS_TABLE),
			    "\nvcpu 2 (live: the VM is paused)\n\nrax ", 38),
		   "regs table: vcpus apart by a blank line, live said so");
	free(text);
}

static void test_json(void)
{
	struct kvmintro_vcpu_regs regs[2];
	struct kvmintro_parse_error error;
	char *text;

	parse_regs(FIXTURE_REGS, &regs[0], &error);
	regs[1] = regs[0];
	regs[1].has_generation = false;
	text = print_list(regs, 2, true);
	cli_json_expect_valid(text, "regs JSON");
	CLI_EXPECT(strstr(text, "  \"vcpus\": [\n    {\n      \"vcpu\": 1,\n"
			  "      \"source\": \"capture\",\n"
			  "      \"generation\": 1,\n      \"rax\": 0,\n"),
		   "regs JSON: an object per vcpu, registers as numbers");
	CLI_EXPECT(strstr(text, "\"generation\": null,"),
		   "regs JSON: no generation is null");
	CLI_EXPECT(strstr(text, "      \"gdt\": {\n        \"base\": 8192,\n"
			  "        \"limit\": 31\n      },\n"),
		   "regs JSON: gdt as an object");
	CLI_EXPECT(strstr(text, "        \"cs\": {\n          \"selector\": 8,\n"
			  "          \"base\": 0,\n          \"limit\": 4294967295,\n"
			  "          \"attributes\": 41115,\n          \"type\": 11,\n"
			  "          \"s\": 1,\n          \"dpl\": 0,\n          \"p\": 1,\n"
			  "          \"l\": 1,\n          \"db\": 0,\n          \"g\": 1,\n"
			  "          \"avl\": 0,\n          \"unusable\": 0\n"),
		   "regs JSON: segments as objects, attributes decoded");
	CLI_EXPECT(strstr(text, "        \"lstar\": 18446744071589331072,\n") &&
		   strstr(text, "        \"tsc\": null\n"),
		   "regs JSON: MSRs, unavailable is null");
	free(text);
}

static void test_no_capture(void)
{
	struct cli_stderr_capture capture;
	int ret;

	cli_stderr_capture_begin(&capture);
	ret = kvmintro_regs_explain_read("/x/1234/vcpu0/regs", -ENODATA, "1234");
	cli_stderr_capture_end(&capture);
	CLI_EXPECT(ret == -ENODATA,
		   "regs: ENODATA is explained and returned");
	CLI_EXPECT_STRING(capture.text,
			  "kvmintro: no capture yet: run `kvmintro snapshot 1234` first (or pause the VM)\n",
			  "regs: ENODATA says what to do");
	free(capture.text);
	CLI_EXPECT(!kvmintro_regs_explain_read("/x", -EIO, "1234"),
		   "regs: other errors get the usual messages");
}

int main(void)
{
	test_fixture();
	test_live();
	test_refused();
	test_segments();
	test_table();
	test_json();
	test_no_capture();
	return cli_tap_finish();
}
