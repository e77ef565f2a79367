// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the "gva" file as the CLI uses it: the request it writes,
 * the walks it reads (every ending: a host page, not backed, no memslot, a
 * non-present entry; paging off), what a broken module or a request by
 * someone else in between would leave there, the table and the JSON.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_capture.h"
#include "cli_fixtures.h"
#include "cli_json_check.h"
#include "cli_tap.h"
#include "gva.h"

static const struct kvmintro_vm test_vm = FIXTURE_VM;

static const struct kvmintro_gva_query request_4k = {
	.gva = 0xffffffff81000123, .vcpu = 0, .has_vcpu = true,
};
static const struct kvmintro_gva_query request_thp = { .gva = 0x1234 };
static const struct kvmintro_gva_query request_stop = {
	.gva = 0x7f0000000000,
};

static int parse_walk(const char *text,
		      const struct kvmintro_gva_query *request,
		      struct kvmintro_gva_walk *walk,
		      struct kvmintro_parse_error *error)
{
	return kvmintro_gva_parse(text, strlen(text), request, walk, error);
}

static void expect_request(const struct kvmintro_gva_query *request,
			   const char *expected, const char *name)
{
	char *text = NULL;

	CLI_EXPECT(!kvmintro_gva_request_text(request, &text), "request: %s",
		   name);
	CLI_EXPECT_STRING(text, expected, "request: %s, as written", name);
	free(text);
}

static void test_request(void)
{
	const struct kvmintro_gva_query both = {
		.gva = 0x401000, .vcpu = 2, .has_vcpu = true,
		.cr3 = 0x10a000, .has_cr3 = true,
	};

	expect_request(&request_thp, "0x1234\n", "the address alone");
	expect_request(&request_4k, "0xffffffff81000123 vcpu=0\n", "a vcpu");
	expect_request(&both, "0x401000 vcpu=2 cr3=0x10a000\n",
		       "a vcpu and a CR3");
}

static bool expect_parsed(const char *text,
			  const struct kvmintro_gva_query *request,
			  struct kvmintro_gva_walk *walk, const char *name)
{
	struct kvmintro_parse_error error;

	if (CLI_EXPECT(!parse_walk(text, request, walk, &error),
		       "walk: %s parses", name))
		return true;
	printf("#   line %zu: %s\n", error.line, error.message);
	return false;
}

static void test_walks(void)
{
	const struct kvmintro_gva_level *level;
	struct kvmintro_gva_walk walk;

	if (expect_parsed(FIXTURE_GVA_NOT_BACKED, &request_4k, &walk,
			  "4 KiB page, not backed")) {
		level = &walk.levels[3];
		CLI_EXPECT(walk.gva == 0xffffffff81000123 && !walk.vcpu &&
			   !strcmp(walk.mode, "4-level") && walk.cr3 == 0x2000 &&
			   walk.nr_levels == 4, "walk: the header");
		CLI_EXPECT(walk.levels[0].level == 4 &&
			   walk.levels[0].entry_gpa == 0x2ff8 &&
			   walk.levels[0].entry == 0x7003 && level->level == 1 &&
			   level->table == 0x9000 && level->entry == 0x200003 &&
			   !strcmp(level->present, "1") &&
			   !strcmp(level->user, "0"), "walk: the levels");
		CLI_EXPECT(walk.mapped && walk.gpa == 0x200123 &&
			   walk.page_size == 4096 && walk.host.hva.valid &&
			   walk.host.hva.value == 0x7f3c60c00123 &&
			   !walk.host.hpa.valid &&
			   !strcmp(walk.host.reason, "not-backed"),
			   "walk: not backed, with its HVA");
	}
	if (expect_parsed(FIXTURE_GVA_THP, &request_thp, &walk,
			  "2 MiB page, THP")) {
		CLI_EXPECT(walk.nr_levels == 3 &&
			   !strcmp(walk.levels[2].large, "1") &&
			   walk.page_size == 2 << 20 && walk.gpa == 0x1234 &&
			   walk.host.hpa.valid &&
			   walk.host.hpa.value == 0x3001234 &&
			   walk.host.hva.value == 0x7f3c60a01234 &&
			   walk.host.host_size == 2 << 20 &&
			   !strcmp(walk.host.kind, "thp") && !*walk.host.reason,
			   "walk: a large page and its host page");
	}
	if (expect_parsed(FIXTURE_GVA_STOP, &request_stop, &walk,
			  "a non-present entry")) {
		CLI_EXPECT(!walk.mapped && walk.nr_levels == 1 &&
			   walk.stop_level == 4 &&
			   !strcmp(walk.stop_reason, "not-present") &&
			   !strcmp(walk.levels[0].present, "0"),
			   "walk: stopped at level 4");
	}
	if (expect_parsed("gva=0x1234 vcpu=0 mode=4-level cr3=0x2000\n"
			  "level=4 table=0x2000 entry_gpa=0x2000 entry=0x5023 present=1 writable=1 user=0 nx=0 large=0\n"
			  "level=3 table=0x5000 entry_gpa=0x5000 entry=0x80000000000000e3 present=1 writable=1 user=0 nx=1 large=1\n"
			  "gpa=0x5000001234 page_size=1G\nhost reason=no-memslot\n",
			  &request_thp, &walk, "no memslot")) {
		CLI_EXPECT(walk.mapped && walk.page_size == 1 << 30 &&
			   !walk.host.hva.valid && !walk.host.hpa.valid &&
			   !strcmp(walk.host.reason, "no-memslot") &&
			   !strcmp(walk.levels[1].nx, "1"),
			   "walk: a 1 GiB page outside every memslot");
	}
	if (expect_parsed("gva=0x1234 vcpu=1 mode=none cr3=0x0\n"
			  "gpa=0x1234 page_size=4K\n"
			  "host hva=0x7f0000001234 hpa=0x1ad725234 host_size=4K kind=base\n",
			  &(struct kvmintro_gva_query){ .gva = 0x1234,
							.vcpu = 1,
							.has_vcpu = true },
			  &walk, "paging off")) {
		CLI_EXPECT(walk.mapped && !walk.nr_levels && walk.vcpu == 1 &&
			   !strcmp(walk.host.kind, "base"),
			   "walk: paging off, no levels");
	}
}

static void expect_refused(const char *text,
			   const struct kvmintro_gva_query *request,
			   int expected, size_t line, const char *message,
			   const char *name)
{
	struct kvmintro_gva_walk walk;
	struct kvmintro_parse_error error;
	int ret;

	ret = parse_walk(text, request, &walk, &error);
	if (!CLI_EXPECT(ret == expected && error.line == line &&
			strstr(error.message, message), "refused: %s", name))
		printf("#   %d, line %zu: %s\n", ret, error.line, error.message);
}

#define HOST_THP "host hva=0x7f3c60a01234 hpa=0x3001234 host_size=2M kind=thp\n"

/* Host lines refused after a walk with paging off, and why. */
static const struct {
	const char *line;
	const char *message;
	const char *name;
} host_lines[] = {
	{ "hva=0x1", "not the host line that follows the GPA",
	  "a host line without its word" },
	{ "host hva=0x1 hpa=0x2 kind=base",
	  "key 'host_size' is missing from a host line with a host page",
	  "a host page without its size" },
	{ "host reason=not-backed",
	  "key 'hva' is missing from a host line with reason=not-backed",
	  "not backed without its HVA" },
	{ "host hva=0x1 reason=no-memslot",
	  "key 'hva' does not belong on a host line with reason=no-memslot",
	  "an HVA without a memslot" },
	{ "host hva=0x1 hpa=0x2 host_size=4K kind=base reason=not-backed",
	  "key 'hpa' does not belong on a host line with reason=not-backed",
	  "a host page and a reason" },
	{ "host reason=gone",
	  "reason: \"gone\" is not 'not-backed' or 'no-memslot'",
	  "an unknown reason" },
};

static void test_refused(void)
{
	const struct kvmintro_gva_query with_cr3 = {
		.gva = 0x1234, .cr3 = 0x9000, .has_cr3 = true,
	};
	const struct kvmintro_gva_query vcpu_1 = {
		.gva = 0x1234, .vcpu = 1, .has_vcpu = true,
	};
	/* FIXTURE_GVA_THP up to its gpa= line. */
	char thp_walk[sizeof(FIXTURE_GVA_THP)];
	size_t i;

	memcpy(thp_walk, FIXTURE_GVA_THP, sizeof(thp_walk));
	*strstr(thp_walk, "host ") = '\0';

	expect_refused("", &request_thp, -EBADMSG, 0, "no walk at all",
		       "an empty reply");
	expect_refused(FIXTURE_GVA_THP, &request_stop, -EAGAIN, 1,
		       "the walk is of 0x1234, but 0x7f0000000000 was asked: did another request",
		       "someone else's address");
	expect_refused(FIXTURE_GVA_THP, &vcpu_1, -EAGAIN, 1,
		       "the walk used vcpu 0, but vcpu 1 was asked",
		       "someone else's vcpu");
	expect_refused(FIXTURE_GVA_THP, &with_cr3, -EAGAIN, 1,
		       "the walk started at CR3 0x2000, but 0x9000 was asked",
		       "someone else's CR3");
	expect_refused("gva=0x1234 vcpu=0 mode=6-level cr3=0x2000\n",
		       &request_thp, -EBADMSG, 1,
		       "mode: \"6-level\" is not 'none', '32-bit', 'pae', '4-level' or '5-level'",
		       "an unknown paging mode");
	expect_refused("gva=0x1234 vcpu=0 mode=4-level\n", &request_thp,
		       -EBADMSG, 1, "key 'cr3' is missing", "a header without CR3");
	expect_refused("level=4 table=0x2000\n", &request_thp, -EBADMSG, 1,
		       "the walk does not start with its gva=", "no header");
	expect_refused(FIXTURE_GVA_HEADER, &request_4k, -EBADMSG, 0,
		       "the walk ends before a gpa= or stop line",
		       "a header alone");
	expect_refused(thp_walk, &request_thp, -EBADMSG, 0,
		       "the walk ends without its host line", "no host line");
	expect_refused(FIXTURE_GVA_THP "host reason=no-memslot\n",
		       &request_thp, -EBADMSG, 7,
		       "a line after the end of the walk", "two host lines");
	expect_refused(FIXTURE_GVA_STOP "gpa=0x0 page_size=4K\n",
		       &request_stop, -EBADMSG, 4,
		       "a line after the end of the walk", "a GPA after a stop");
	expect_refused(FIXTURE_GVA_HEADER
		       "level=3 table=0x7000 entry_gpa=0x7ff0 entry=0x8003 present=1 writable=1 user=0 nx=0 large=0\n",
		       &request_4k, -EBADMSG, 2,
		       "level 3 where level 4 comes next", "a level skipped");
	expect_refused("gva=0x1234 vcpu=0 mode=32-bit cr3=0x2000\n"
		       "level=2 table=0x2000 entry_gpa=0x2000 entry=0x3003 present=1 writable=1 user=0 nx=0 large=0\n"
		       "level=1 table=0x3000 entry_gpa=0x3004 entry=0x5003 present=1 writable=1 user=0 nx=0 large=0\n"
		       "level=0 table=0x5000 entry_gpa=0x5000 entry=0x5003 present=1 writable=1 user=0 nx=0 large=0\n",
		       &request_thp, -EBADMSG, 4,
		       "level 0, but 32-bit paging has only 2 levels",
		       "a level below the last");
	expect_refused(FIXTURE_GVA_HEADER
		       "level=4 table=0x2000 entry_gpa=0x2ff8 entry=0x7003 present=2 writable=1 user=0 nx=0 large=0\n",
		       &request_4k, -EBADMSG, 2,
		       "present: \"2\" is not '0' or '1'", "a bit that is 2");
	expect_refused(FIXTURE_GVA_HEADER
		       "level=4 table=0x2000 entry_gpa=0x2ff8 entry=0x7003 present=1 writable=1 user=0 nx=0\n",
		       &request_4k, -EBADMSG, 2, "key 'large' is missing",
		       "a level without its large bit");
	expect_refused("gva=0x7f0000000000 vcpu=0 mode=4-level cr3=0x2000\n"
		       "level=4 table=0x2000 entry_gpa=0x27f0 entry=0x0 present=0 writable=0 user=0 nx=0 large=0\n"
		       "level=3 table=0x0 entry_gpa=0x0 entry=0x0 present=0 writable=0 user=0 nx=0 large=0\n",
		       &request_stop, -EBADMSG, 3,
		       "a level below the non-present entry of level 4",
		       "a level below a non-present entry");
	expect_refused("gva=0x7f0000000000 vcpu=0 mode=4-level cr3=0x2000\n"
		       "level=4 table=0x2000 entry_gpa=0x27f0 entry=0x0 present=0 writable=0 user=0 nx=0 large=0\n"
		       "gpa=0x0 page_size=4K\nhost reason=no-memslot\n",
		       &request_stop, -EBADMSG, 3,
		       "a GPA, but the walk did not reach a present entry",
		       "a GPA behind a non-present entry");
	expect_refused("gva=0x7f0000000000 vcpu=0 mode=4-level cr3=0x2000\n"
		       "level=4 table=0x2000 entry_gpa=0x27f0 entry=0x0 present=0 writable=0 user=0 nx=0 large=0\n"
		       "stop level=3 reason=not-present\n", &request_stop,
		       -EBADMSG, 3, "the walk stops at level 3, but that is not",
		       "a stop at another level");
	expect_refused("gva=0x1234 vcpu=0 mode=none cr3=0x0\n"
		       "level=1 table=0x0 entry_gpa=0x0 entry=0x0 present=0 writable=0 user=0 nx=0 large=0\n",
		       &request_thp, -EBADMSG, 2, "paging is off (mode=none)",
		       "a level with paging off");
	expect_refused("gva=0x1234 vcpu=0 mode=4-level cr3=0x2000\nwhat\n",
		       &request_thp, -EBADMSG, 2,
		       "neither a level=, gpa= nor stop line", "an unknown line");
	expect_refused("gva=0x1234 vcpu=0 mode=none cr3=0x0\n"
		       "gpa=0x1234 page_size=4096\n", &request_thp, -EBADMSG, 2,
		       "page_size: \"4096\" is not a size like 4K",
		       "a page size without a unit");
	for (i = 0; i < ARRAY_SIZE(host_lines); i++) {
		char text[256];

		snprintf(text, sizeof(text), "gva=0x1234 vcpu=0 mode=none cr3=0x0\n"
			 "gpa=0x1234 page_size=4K\n%s\n", host_lines[i].line);
		expect_refused(text, &request_thp, -EBADMSG, 3,
			       host_lines[i].message, host_lines[i].name);
	}
}

static char *print_walk(const char *text,
			const struct kvmintro_gva_query *request, bool json)
{
	struct kvmintro_parse_error error;
	struct kvmintro_gva_walk walk;
	struct cli_capture capture;
	int ret;

	if (parse_walk(text, request, &walk, &error))
		printf("#   line %zu: %s\n", error.line, error.message);
	if (json)
		ret = kvmintro_gva_print_json(&test_vm, &walk,
					      cli_capture_begin(&capture));
	else
		ret = kvmintro_gva_print_table(&walk,
					       cli_capture_begin(&capture));
	if (ret)
		printf("#   printing failed\n");
	cli_capture_end(&capture);
	return capture.text;
}

static void expect_table(const char *text,
			 const struct kvmintro_gva_query *request,
			 const char *expected, const char *name)
{
	char *table = print_walk(text, request, false);

	CLI_EXPECT_STRING(table, expected, "gva table: %s", name);
	free(table);
}

static void expect_json(const char *text,
			const struct kvmintro_gva_query *request,
			const char *const *holds, const char *name)
{
	char *json = print_walk(text, request, true);
	size_t i;

	cli_json_expect_valid(json, name);
	for (i = 0; holds[i]; i++) {
		if (!CLI_EXPECT(strstr(json, holds[i]), "%s: part %zu as expected",
				name, i + 1))
			printf("#   got:\n%s", json);
	}
	free(json);
}

static void test_output(void)
{
	static const char *const not_backed[] = {
		"  \"gva\": 18446744071578845475,\n  \"vcpu\": 0,\n"
		"  \"mode\": \"4-level\",\n  \"cr3\": 8192,\n  \"levels\": [\n"
		"    {\n      \"level\": 4,\n      \"table\": 8192,\n"
		"      \"entry_gpa\": 12280,\n      \"entry\": 28675,\n"
		"      \"present\": true,\n      \"writable\": true,\n"
		"      \"user\": false,\n      \"nx\": false,\n"
		"      \"large\": false\n    },\n",
		"  ],\n  \"gpa\": 2097443,\n  \"page_size\": 4096,\n"
		"  \"host\": {\n    \"hva\": 139897297961251,\n"
		"    \"hpa\": null,\n    \"size\": null,\n    \"kind\": null,\n"
		"    \"error\": \"not-backed\"\n  },\n  \"stop\": null\n}\n",
		NULL,
	};
	static const char *const thp[] = {
		"  \"host\": {\n    \"hva\": 139897295868468,\n"
		"    \"hpa\": 50336308,\n    \"size\": 2097152,\n"
		"    \"kind\": \"thp\",\n    \"error\": null\n  },\n",
		"      \"large\": true\n",
		NULL,
	};
	static const char *const stop[] = {
		"  \"gpa\": null,\n  \"page_size\": null,\n  \"host\": null,\n"
		"  \"stop\": {\n    \"level\": 4,\n"
		"    \"reason\": \"not-present\"\n  }\n}\n",
		NULL,
	};

	expect_table(FIXTURE_GVA_NOT_BACKED, &request_4k,
		     FIXTURE_GVA_NOT_BACKED_TABLE, "not backed");
	expect_table(FIXTURE_GVA_THP, &request_thp, FIXTURE_GVA_THP_TABLE,
		     "a THP");
	expect_table(FIXTURE_GVA_STOP, &request_stop, FIXTURE_GVA_STOP_TABLE,
		     "stopped");
	expect_table("gva=0x1234 vcpu=1 mode=none cr3=0x0\n"
		     "gpa=0x1234 page_size=4K\nhost reason=no-memslot\n",
		     &(struct kvmintro_gva_query){ .gva = 0x1234, .vcpu = 1,
						   .has_vcpu = true },
		     "GVA 0x1234 on vcpu 1: paging off, CR3 0x0\n\n"
		     "Paging is off: the GVA is the GPA.\n\n"
		     "   GPA  PAGE SIZE  HVA  HPA  HOST SIZE  KIND\n"
		     "0x1234      4 KiB    -    -          -  error: no-memslot\n",
		     "paging off, no memslot");
	expect_json(FIXTURE_GVA_NOT_BACKED, &request_4k, not_backed,
		    "gva JSON, not backed");
	expect_json(FIXTURE_GVA_THP, &request_thp, thp, "gva JSON, a THP");
	expect_json(FIXTURE_GVA_STOP, &request_stop, stop,
		    "gva JSON, stopped");
}

int main(void)
{
	test_request();
	test_walks();
	test_refused();
	test_output();
	return cli_tap_finish();
}
