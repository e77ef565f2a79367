// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the "stage2" file as the CLI uses it: walks (a leaf, a
 * stop at a level, no root), summaries (runs, notes, no root), what a
 * broken module or a request by someone else in between would leave
 * there, the tables and the JSON.  The walk and summary texts are what the
 * module wrote in L1 (6.12, AMD NPT, 5 levels).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_capture.h"
#include "cli_fixtures.h"
#include "cli_json_check.h"
#include "cli_tap.h"
#include "stage2.h"

static const struct kvmintro_vm test_vm = FIXTURE_VM;

#define WALK_4K \
	"gpa=0x10000000 vcpu=0 mmu=npt root=0x1d3d000 levels=5 smm=0\n" \
	"level=5 table=0x1d3d000 index=0x0 entry=0x1d3e827 present=1 writable=1 user=1 nx=0 large=0\n" \
	"level=4 table=0x1d3e000 index=0x0 entry=0x1d3f827 present=1 writable=1 user=1 nx=0 large=0\n" \
	"level=3 table=0x1d3f000 index=0x0 entry=0x1d40827 present=1 writable=1 user=1 nx=0 large=0\n" \
	"level=2 table=0x1d40000 index=0x80 entry=0x1d41827 present=1 writable=1 user=1 nx=0 large=0\n" \
	"level=1 table=0x1d41000 index=0x0 entry=0xe9e6e67 present=1 writable=1 user=1 nx=0 large=0\n" \
	"leaf gpa=0x10000000 pfn=0xe9e6 hpa=0xe9e6000 level=1 size=4K perm=rwx hva=0x7f0673200000 host_size=4K kind=base\n"

#define WALK_EPT_2M \
	"gpa=0x100000080 vcpu=1 mmu=ept root=0x5000 levels=4 smm=0\n" \
	"level=4 table=0x5000 index=0x0 entry=0x6907 present=1 read=1 writable=1 exec=1 large=0\n" \
	"level=3 table=0x6000 index=0x4 entry=0x7907 present=1 read=1 writable=1 exec=1 large=0\n" \
	"level=2 table=0x7000 index=0x0 entry=0x3200ff7 present=1 read=1 writable=1 exec=1 large=1\n" \
	"leaf gpa=0x100000080 pfn=0x3200 hpa=0x3200080 level=2 size=2M perm=rwx memtype=wb ipat=1 hva=0x7f0673400080 host_size=2M kind=thp\n"

#define WALK_STOP \
	"gpa=0x10002000 vcpu=0 mmu=npt root=0x1d3d000 levels=5 smm=0\n" \
	"level=5 table=0x1d3d000 index=0x0 entry=0x1d3e827 present=1 writable=1 user=1 nx=0 large=0\n" \
	"level=4 table=0x1d3e000 index=0x0 entry=0x1d3f827 present=1 writable=1 user=1 nx=0 large=0\n" \
	"level=3 table=0x1d3f000 index=0x0 entry=0x1d40827 present=1 writable=1 user=1 nx=0 large=0\n" \
	"level=2 table=0x1d40000 index=0x80 entry=0x1d41827 present=1 writable=1 user=1 nx=0 large=0\n" \
	"level=1 table=0x1d41000 index=0x2 entry=0x0 present=0 writable=0 user=0 nx=1 large=0\n" \
	"err gpa=0x10002000 level=1 reason=not-present\n"

#define SUMMARY \
	"# vcpu=0 mmu=npt root=0x1d3d000 levels=5 smm=0\n" \
	"gpa npages size leaves perm memtype\n" \
	"0x0 0x200 2M 0x1 rwx -\n" \
	"0x10000000 0x2 4K 0x2 rwx -\n" \
	"0x10005000 0x1 4K 0x1 rwx -\n" \
	"# root changed gpa=0x10006000 root=0x2000000\n" \
	"0x10200000 0x1 4K 0x1 rwx -\n" \
	"0x100000000 0x600 2M 0x3 rwx -\n"

#define NO_ROOT_WALK "err gpa=0x1000 reason=no-tdp-mmu why=no-root\n"
#define NO_ROOT "err reason=no-tdp-mmu why=no-root\n"
#define SHADOW "err reason=no-tdp-mmu why=shadow-paging\n"
#define BAD_RUN "# vcpu=0 mmu=npt root=0x1 levels=4 smm=0\n" \
	"gpa npages size leaves perm memtype\n" \
	"0x0 0x3 4K 0x2 rwx -\n"
#define NO_ROOT_LINE "gpa npages size leaves perm memtype\n"
#define AFTER_ERR "err reason=no-tdp-mmu why=x\n0x0\n"

static int parse_summary(const char *text,
			 struct kvmintro_stage2_summary *summary,
			 struct kvmintro_parse_error *error)
{
	return kvmintro_stage2_summary_parse(text, strlen(text), summary, error);
}

static void test_walks(void)
{
	struct kvmintro_stage2_reply walk;
	struct kvmintro_parse_error error;
	int ret;

	ret = kvmintro_stage2_walk_parse(WALK_4K, strlen(WALK_4K), 0x10000000,
					 &walk, &error);
	if (!CLI_EXPECT(!ret, "walk: a 4K leaf parses"))
		printf("#   line %zu: %s\n", error.line, error.message);
	CLI_EXPECT(walk.root.ok && walk.root.root == 0x1d3d000 &&
		   walk.root.levels == 5 && !strcmp(walk.root.mmu, "npt") &&
		   walk.nr_levels == 5 && walk.levels[3].index == 0x80 &&
		   walk.levels[4].entry == 0xe9e6e67, "walk: root and levels");
	CLI_EXPECT(walk.present && walk.leaf.pfn == 0xe9e6 &&
		   walk.leaf.hpa == 0xe9e6000 && walk.leaf.size == 4096 &&
		   !strcmp(walk.leaf.perm, "rwx") && !walk.leaf.memtype[0] &&
		   walk.leaf.host_size.valid && walk.leaf.host_size.value == 4096 &&
		   !strcmp(walk.leaf.kind, "base"), "walk: the leaf");

	ret = kvmintro_stage2_walk_parse(WALK_EPT_2M, strlen(WALK_EPT_2M),
					 0x100000080, &walk, &error);
	CLI_EXPECT(!ret && walk.nr_levels == 3 && walk.levels[2].large &&
		   walk.leaf.size == 2 << 20 && !strcmp(walk.leaf.memtype, "wb") &&
		   !strcmp(walk.root.mmu, "ept") && walk.root.vcpu == 1,
		   "walk: an EPT 2M leaf with its memory type");

	ret = kvmintro_stage2_walk_parse(WALK_STOP, strlen(WALK_STOP),
					 0x10002000, &walk, &error);
	CLI_EXPECT(!ret && !walk.present && walk.stop_level == 1 &&
		   !strcmp(walk.reason, "not-present") && walk.nr_levels == 5,
		   "walk: stops at level 1");

	ret = kvmintro_stage2_walk_parse(NO_ROOT_WALK, strlen(NO_ROOT_WALK),
					 0x1000, &walk, &error);
	CLI_EXPECT(!ret && !walk.root.ok && !strcmp(walk.root.why, "no-root") &&
		   !walk.present && !walk.nr_levels, "walk: no root");
}

static void expect_walk_refused(const char *text, uint64_t gpa, int expected,
				size_t line, const char *message,
				const char *name)
{
	struct kvmintro_stage2_reply walk;
	struct kvmintro_parse_error error;
	int ret;

	ret = kvmintro_stage2_walk_parse(text, strlen(text), gpa, &walk, &error);
	if (!CLI_EXPECT(ret == expected && error.line == line &&
			strstr(error.message, message), "walk refused: %s", name))
		printf("#   %d, line %zu: %s\n", ret, error.line, error.message);
}

static void test_walks_refused(void)
{
	expect_walk_refused("", 0x1, -EBADMSG, 0, "neither a leaf nor an error",
			    "empty");
	expect_walk_refused(WALK_4K, 0x1000, -EAGAIN, 1,
			    "did another request", "a walk of another GPA");
	expect_walk_refused("err gpa=0x5 level=1 reason=not-present\n", 0x6,
			    -EAGAIN, 1, "did another request",
			    "an error for another GPA");
	expect_walk_refused(WALK_4K "level=1 table=0x1 index=0x0 entry=0x0 present=0 writable=0 large=0\n",
			    0x10000000, -EBADMSG, 8, "after the end of the walk",
			    "a line after the leaf");
	expect_walk_refused("err gpa=0x1 reason=not-present\n", 0x1, -EBADMSG,
			    1, "reason=no-tdp-mmu", "a stop before any table");
	expect_walk_refused("gpa=0x1 vcpu=0 mmu=spt root=0x1 levels=4 smm=0\n",
			    0x1, -EBADMSG, 1, "mmu", "an unknown MMU");
	expect_walk_refused("gpa=0x1 vcpu=0 mmu=npt root=0x1 levels=4 smm=0\n"
			    "leaf gpa=0x1 pfn=0x1 hpa=0x1001 level=1 size=4K perm=rwx kind=base\n",
			    0x1, -EBADMSG, 2, "host_size", "a leaf without host_size");
	expect_walk_refused("gpa=0x1 vcpu=0 mmu=npt root=0x1 levels=4 smm=0\n"
			    "level=4 table=0x1\n", 0x1, -EBADMSG, 2, "missing",
			    "a level line cut short");
}

static void test_summaries(void)
{
	const struct kvmintro_stage2_row *runs;
	struct kvmintro_stage2_summary summary;
	struct kvmintro_parse_error error;
	int ret;

	ret = kvmintro_stage2_summary_parse(SUMMARY, strlen(SUMMARY), &summary,
					    &error);
	if (!CLI_EXPECT(!ret && summary.runs.count == 5,
			"summary: the module's lines parse"))
		printf("#   line %zu: %s\n", error.line, error.message);
	runs = summary.runs.elements;
	CLI_EXPECT(summary.root.ok && summary.root.root == 0x1d3d000 &&
		   summary.notes == 1, "summary: root and one note");
	CLI_EXPECT(runs[0].size == 2 << 20 && runs[1].gpa == 0x10000000 &&
		   runs[1].leaves == 2 && runs[4].npages == 0x600 &&
		   !strcmp(runs[4].memtype, "-"), "summary: runs");
	kvmintro_stage2_summary_release(&summary);

	ret = parse_summary(SHADOW, &summary, &error);
	CLI_EXPECT(!ret && !summary.root.ok && !summary.runs.count &&
		   !strcmp(summary.root.why, "shadow-paging"), "summary: no root");
	kvmintro_stage2_summary_release(&summary);

	ret = parse_summary(BAD_RUN, &summary, &error);
	CLI_EXPECT(ret == -EBADMSG &&
		   strstr(error.message, "do not make"),
		   "summary refused: pages that are not whole leaves");
	kvmintro_stage2_summary_release(&summary);
	ret = parse_summary(NO_ROOT_LINE, &summary, &error);
	CLI_EXPECT(ret == -EBADMSG, "summary refused: no root line");
	kvmintro_stage2_summary_release(&summary);
	ret = parse_summary(AFTER_ERR, &summary, &error);
	CLI_EXPECT(ret == -EBADMSG, "summary refused: a line after the error");
	kvmintro_stage2_summary_release(&summary);
}

#define WALK_4K_TABLE \
	"vcpu 0's NPT table, root 0x1d3d000, 5 levels\n" \
	"LEVEL      TABLE  INDEX      ENTRY  FLAGS\n" \
	"    5  0x1d3d000    0x0  0x1d3e827  present,writable\n" \
	"    4  0x1d3e000    0x0  0x1d3f827  present,writable\n" \
	"    3  0x1d3f000    0x0  0x1d40827  present,writable\n" \
	"    2  0x1d40000   0x80  0x1d41827  present,writable\n" \
	"    1  0x1d41000    0x0  0xe9e6e67  present,writable\n" \
	"       GPA        HPA     PFN   SIZE  PERM  MEMTYPE  HOST SIZE  HOST KIND\n" \
	"0x10000000  0xe9e6000  0xe9e6  4 KiB  rwx   -            4 KiB  base\n"

#define SUMMARY_TABLE \
	"vcpu 0's NPT table, root 0x1d3d000, 5 levels\n" \
	"        GPA  PAGES   SIZE   LEAF  LEAVES  PERM  MEMTYPE\n" \
	"        0x0  0x200  2 MiB  2 MiB       1  rwx   -\n" \
	" 0x10000000    0x2  8 KiB  4 KiB       2  rwx   -\n" \
	" 0x10005000    0x1  4 KiB  4 KiB       1  rwx   -\n" \
	" 0x10200000    0x1  4 KiB  4 KiB       1  rwx   -\n" \
	"0x100000000  0x600  6 MiB  2 MiB       3  rwx   -\n" \
	"Mapped: 16 KiB in 4K leaves, 8 MiB in 2M leaves, 0 B in 1G leaves\n" \
	"The root changed or went away during the walk: 1 note(s); read again.\n"

/* What printing @walk (or @summary) as a table or JSON gives. */
static char *print(const struct kvmintro_stage2_reply *walk,
		   const struct kvmintro_stage2_summary *summary, bool json)
{
	struct cli_capture capture;
	FILE *out = cli_capture_begin(&capture);

	if (walk && json)
		kvmintro_stage2_walk_print_json(&test_vm, walk, out);
	else if (walk)
		kvmintro_stage2_walk_print_table(walk, out);
	else if (json)
		kvmintro_stage2_summary_print_json(&test_vm, summary, out);
	else
		kvmintro_stage2_summary_print_table(summary, out);
	cli_capture_end(&capture);
	if (json)
		cli_json_expect_valid(capture.text,
				      walk ? "walk JSON" : "summary JSON");
	return capture.text;
}

static void test_output(void)
{
	struct kvmintro_stage2_summary summary;
	struct kvmintro_stage2_reply walk;
	struct kvmintro_parse_error error;
	char *text;

	kvmintro_stage2_walk_parse(WALK_4K, strlen(WALK_4K), 0x10000000, &walk,
				   &error);
	text = print(&walk, NULL, false);
	CLI_EXPECT_STRING(text, WALK_4K_TABLE, "walk table");
	free(text);
	text = print(&walk, NULL, true);
	CLI_EXPECT(strstr(text, "\"mmu\": \"npt\"") &&
		   strstr(text, "\"pfn\": 59878") &&
		   strstr(text, "\"host_kind\": \"base\""),
		   "walk JSON: table and leaf");
	free(text);

	kvmintro_stage2_walk_parse(WALK_STOP, strlen(WALK_STOP), 0x10002000,
				   &walk, &error);
	text = print(&walk, NULL, false);
	CLI_EXPECT(strstr(text, "0x10002000: stops at level 1: not-present\n") != NULL,
		   "walk table: where it stopped");
	free(text);
	text = print(&walk, NULL, true);
	CLI_EXPECT(strstr(text, "\"leaf\": null") &&
		   strstr(text, "\"stop_level\": 1"),
		   "stopped walk JSON: no leaf, the level");
	free(text);

	parse_summary(SUMMARY, &summary, &error);
	text = print(NULL, &summary, false);
	CLI_EXPECT_STRING(text, SUMMARY_TABLE, "summary table");
	free(text);
	text = print(NULL, &summary, true);
	CLI_EXPECT(strstr(text, "\"npages\": 1536") &&
		   strstr(text, "\"memtype\": null") &&
		   strstr(text, "\"notes\": 1"), "summary JSON: runs");
	free(text);
	kvmintro_stage2_summary_release(&summary);

	parse_summary(NO_ROOT, &summary, &error);
	text = print(NULL, &summary, false);
	CLI_EXPECT_STRING(text, "No TDP MMU root: no-root.\n",
			  "summary table: no root, one line");
	free(text);
	text = print(NULL, &summary, true);
	CLI_EXPECT(strstr(text, "\"error\": \"no-root\"") != NULL,
		   "no-root JSON: the reason");
	free(text);
	kvmintro_stage2_summary_release(&summary);
}

int main(void)
{
	test_walks();
	test_walks_refused();
	test_summaries();
	test_output();
	return cli_tap_finish();
}
