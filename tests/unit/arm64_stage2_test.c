// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lib/arm64/stage2.c: arm64 stage-2 tables written by hand
 * into a fake host memory, as KVM builds them with the 4K granule: a
 * 40-bit IPA space starting at level 1 with two concatenated tables,
 * 4K pages, 2M and 1G blocks, S2AP, XN, MemAttr with and without FWB, the
 * software bits, invalid descriptors at each level, reserved ones, LPA2
 * addresses, tables of shapes refused, and the run-length merging of the
 * summary.  Expected values are computed here from the descriptors the
 * test wrote, per the Arm ARM (D8.3), not by the code under test.
 */
#include <stdio.h>
#include <string.h>

#include "ksft.h"

#include "../../lib/record.h"
#include "../../lib/arm64/stage2.h"

#define MEM_SIZE	(1 << 20)
static u8 mem[MEM_SIZE];

/* Valid table; valid page (level 3) / block (levels 1, 2) with AF. */
#define D_TABLE		0x3ULL
#define D_PAGE		(0x3ULL | (1ULL << 10))
#define D_BLOCK		(0x1ULL | (1ULL << 10))
#define D_R		(1ULL << 6)
#define D_W		(1ULL << 7)
#define D_XN		(1ULL << 54)
#define D_SH_IS		(3ULL << 8)
#define D_NORMAL	(0xfULL << 2)	/* MT_S2_NORMAL, without FWB */
#define D_SW55		(1ULL << 55)

static int read_desc(void *ctx, u64 hpa, u64 *value)
{
	unsigned int *reads = ctx;

	if (hpa + 8 > MEM_SIZE)
		return -EFAULT;
	memcpy(value, mem + hpa, 8);
	if (reads)
		++*reads;
	return 0;
}

static void put(u64 table, unsigned int index, u64 entry)
{
	memcpy(mem + table + index * 8, &entry, 8);
}

static void check(const char *name, bool ok)
{
	ksft_test_result(ok, "%s", name);
}

/* 40 bits from level 1: 2 concatenated tables at 0x2000 and 0x3000. */
static struct kvmintro_arm64_s2_table t40 = {
	.ia_bits = 40, .start_level = 1, .root = 0x2000,
};

static void build(void)
{
	memset(mem, 0, MEM_SIZE);
	/* L1[1] (1G at 0x40000000) -> L2 at 0x4000. */
	put(0x2000, 1, 0x4000 | D_TABLE);
	/* L2[0] -> L3 at 0x5000; L2[1]: a 2M block, read-only, XN. */
	put(0x4000, 0, 0x5000 | D_TABLE);
	put(0x4000, 1, 0x80200000 | D_BLOCK | D_R | D_XN | D_NORMAL | D_SH_IS);
	/* L3[0], L3[1]: rwx pages, normal; L3[2] with software bit 55. */
	put(0x5000, 0, 0x1234000 | D_PAGE | D_R | D_W | D_NORMAL | D_SH_IS);
	put(0x5000, 1, 0x1235000 | D_PAGE | D_R | D_W | D_NORMAL | D_SH_IS);
	put(0x5000, 2, 0x1236000 | D_PAGE | D_R | D_W | D_NORMAL | D_SH_IS |
		       D_SW55);
	/* L3[3]: device nGnRE, rw, XN; L3[4]: valid but reserved. */
	put(0x5000, 3, 0x9000000 | D_PAGE | D_R | D_W | D_XN | (0x1ULL << 2));
	put(0x5000, 4, 0x1238000 | 0x1);
	/* Second concatenated table (0x3000), index 512: 512G..513G: 1G block. */
	put(0x3000, 0, 0x40000000 | D_BLOCK | D_R | D_W | D_NORMAL);
}

static void walk_expect(const char *name, u64 gpa, int r_want, bool present,
			u64 hpa, unsigned int steps, int last_level)
{
	struct kvmintro_arm64_s2_walk w;
	int r = kvmintro_arm64_s2_walk(&t40, gpa, read_desc, NULL, &w);
	bool ok = r == r_want && w.present == present && w.nr_steps == steps &&
		  (!steps || w.steps[steps - 1].level == last_level) &&
		  (!present || w.hpa == hpa);

	if (!ok)
		printf("#   %s: r=%d present=%d hpa=0x%llx steps=%u\n", name, r,
		       w.present, (unsigned long long)w.hpa, w.nr_steps);
	check(name, ok);
}

static void test_walks(void)
{
	struct kvmintro_stage2_leaf leaf;
	struct kvmintro_arm64_s2_walk w;

	build();
	walk_expect("4K page, offset kept", 0x40000abc, 0, true, 0x1234abc, 3, 3);
	walk_expect("second page", 0x40001008, 0, true, 0x1235008, 3, 3);
	walk_expect("2M block: hpa from the block", 0x40234567, 0, true,
		    0x80234567, 2, 2);
	walk_expect("1G block in the second concatenated table",
		    0x8000000000ULL + 0x12345678, 0, true, 0x52345678, 1, 1);
	walk_expect("invalid at level 3", 0x40005000, 0, false, 0, 3, 3);
	walk_expect("invalid at level 2", 0x40400000, 0, false, 0, 2, 2);
	walk_expect("invalid at level 1", 0x0, 0, false, 0, 1, 1);
	walk_expect("reserved descriptor: -EBADMSG", 0x40004000, -EBADMSG,
		    false, 0, 3, 3);
	walk_expect("just past the IPA size: -EINVAL", 1ULL << 40, -EINVAL,
		    false, 0, 0, 0);
	walk_expect("huge IPA: -EINVAL", ~0ULL, -EINVAL, false, 0, 0, 0);
	walk_expect("last IPA of the space", (1ULL << 40) - 1, 0, false, 0, 1, 1);

	kvmintro_arm64_s2_walk(&t40, 0x40002000, read_desc, NULL, &w);
	check("software bit 55 decoded as sw=1", w.present && w.leaf.sw == 1);
	check("S2AP, XN, MemAttr, SH, AF of a page",
	      w.leaf.s2ap_r && w.leaf.s2ap_w && !w.leaf.xn &&
	      w.leaf.memattr == 0xf && w.leaf.sh == 3 && w.leaf.af);
	kvmintro_arm64_s2_walk(&t40, 0x40200000, read_desc, NULL, &w);
	check("read-only XN block", w.present && w.leaf.s2ap_r &&
	      !w.leaf.s2ap_w && w.leaf.xn && w.leaf.sw == 0);
	kvmintro_arm64_s2_walk(&t40, 0x40003000, read_desc, NULL, &w);
	check("device page: MemAttr 1", w.present && w.leaf.memattr == 1);

	/* A table pointing outside "memory": the reader's error. */
	put(0x4000, 5, 0x7fff0000000ULL | D_TABLE);
	walk_expect("table pointing nowhere: the reader's error",
		    0x40a00000, -EFAULT, false, 0, 2, 2);
	check("a level-1 hole covers its 1G",
	      !kvmintro_arm64_s2_walk_leaf(&t40, 0x1234, read_desc, NULL, &leaf) &&
	      !leaf.present && leaf.level == 1 && leaf.gpa == 0 &&
	      leaf.shift == 30);
	check("a 2M block covers its 2M, MemAttr in its attributes",
	      !kvmintro_arm64_s2_walk_leaf(&t40, 0x40212345, read_desc, NULL,
					   &leaf) &&
	      leaf.present && leaf.level == 2 && leaf.gpa == 0x40200000 &&
	      leaf.shift == 21 && !strcmp(leaf.perm, "r") &&
	      leaf.attrs == D_NORMAL);
}

static void test_shapes(void)
{
	struct kvmintro_arm64_s2_table t = t40;
	struct kvmintro_arm64_s2_walk w;

	check("40 bits from level 1 is fine", kvmintro_arm64_s2_table_ok(&t));
	t.start_level = 0;
	check("40 bits from level 0 is fine", kvmintro_arm64_s2_table_ok(&t));
	t.start_level = 2;
	check("40 bits from level 2 needs 512 tables: refused",
	      !kvmintro_arm64_s2_table_ok(&t));
	t.start_level = -1;
	check("start level -1 refused", !kvmintro_arm64_s2_table_ok(&t));
	t.start_level = 4;
	check("start level 4 refused", !kvmintro_arm64_s2_table_ok(&t));
	t.start_level = 1;
	t.ia_bits = 49;
	check("49 bits without LPA2 refused", !kvmintro_arm64_s2_table_ok(&t));
	t.ia_bits = 30;
	check("30 bits from level 1 refused (nothing above level 1)",
	      !kvmintro_arm64_s2_table_ok(&t));
	check("walk of a refused shape: -EINVAL",
	      kvmintro_arm64_s2_walk(&t, 0, read_desc, NULL, &w) == -EINVAL);
}

static void test_lpa2(void)
{
	struct kvmintro_arm64_s2_table t = t40;
	struct kvmintro_arm64_s2_desc d;

	t.lpa2 = true;
	/* Address bits 51..50 in descriptor bits 9..8; 49..12 in place. */
	kvmintro_arm64_s2_decode(&t, 3, 0x2000000001000ULL | (2ULL << 8) |
				 D_PAGE | D_R, &d);
	check("LPA2 page address", d.leaf && d.addr ==
	      (0x2000000001000ULL | (2ULL << 50)) && d.sh == 0);
	kvmintro_arm64_s2_decode(&t, 0, 0x8000000000ULL | D_BLOCK, &d);
	check("LPA2 level-0 block", d.leaf && !d.reserved);
	t.lpa2 = false;
	kvmintro_arm64_s2_decode(&t, 0, 0x8000000000ULL | D_BLOCK, &d);
	check("level-0 block without LPA2 is reserved", d.reserved && !d.leaf);
	kvmintro_arm64_s2_decode(&t, 3, 0x1000 | 0x1, &d);
	check("level-3 descriptor without bit 1 is reserved", d.reserved);
	kvmintro_arm64_s2_decode(&t, 2, 0xffffffffffffffeULL, &d);
	check("invalid: nothing else decoded", !d.valid && !d.addr);
}

static void test_names(void)
{
	check("MemAttr 0xf without FWB: normal",
	      !strcmp(kvmintro_arm64_s2_memtype_name(false, 0xf), "normal"));
	check("MemAttr 6 with FWB: normal",
	      !strcmp(kvmintro_arm64_s2_memtype_name(true, 6), "normal"));
	check("MemAttr 1: device-ngnre",
	      !strcmp(kvmintro_arm64_s2_memtype_name(true, 1), "device-ngnre"));
	check("MemAttr 5: normal-nc",
	      !strcmp(kvmintro_arm64_s2_memtype_name(false, 5), "normal-nc"));
	check("MemAttr 0xf with FWB: other",
	      !strcmp(kvmintro_arm64_s2_memtype_name(true, 0xf), "other"));
	check("sizes by level", !strcmp(kvmintro_arm64_s2_size_name(3), "4K") &&
	      !strcmp(kvmintro_arm64_s2_size_name(2), "2M") &&
	      !strcmp(kvmintro_arm64_s2_size_name(1), "1G") &&
	      !strcmp(kvmintro_arm64_s2_size_name(-1), "?"));
}

static void test_records(void)
{
	struct kvmintro_record_writer writer;
	struct kvmintro_arm64_s2_walk w;
	char buf[512];
	int len;

	build();
	kvmintro_arm64_s2_walk(&t40, 0x40002010, read_desc, NULL, &w);
	len = kvmintro_arm64_s2_format_step(buf, sizeof(buf), &t40, &w.steps[0]);
	check("table step record", len > 0 && !strcmp(buf,
	      "level=1 table=0x2000 index=0x1 entry=0x4003 valid=1 type=table\n"));
	len = kvmintro_arm64_s2_format_step(buf, sizeof(buf), &t40, &w.steps[2]);
	check("page step record", len > 0 && !strcmp(buf,
	      "level=3 table=0x5000 index=0x2 entry=0x800000012367ff valid=1 type=page\n"));
	kvmintro_record_begin(&writer, buf, sizeof(buf), "leaf");
	kvmintro_arm64_s2_record_leaf(&writer, &t40, &w);
	len = kvmintro_record_end(&writer);
	check("leaf record", len > 0 && !strcmp(buf,
	      "leaf gpa=0x40002010 pfn=0x1236 hpa=0x1236010 level=3 size=4K perm=rwx s2ap=rw xn=0 memattr=0xf memtype=normal af=1 sh=3 sw=0x1 desc=0x800000012367ff\n"));
	kvmintro_record_begin(&writer, buf, sizeof(buf), "table");
	kvmintro_arm64_s2_record_table(&writer, &t40);
	len = kvmintro_record_end(&writer);
	check("table record", len > 0 && !strcmp(buf,
	      "table mmu=s2 root=0x2000 ia_bits=40 start_level=1 levels=3 lpa2=0 fwb=0\n"));
	kvmintro_arm64_s2_walk(&t40, 0x40005000, read_desc, NULL, &w);
	len = kvmintro_arm64_s2_format_step(buf, sizeof(buf), &t40, &w.steps[2]);
	check("invalid step record", len > 0 && !strcmp(buf,
	      "level=3 table=0x5000 index=0x5 entry=0x0 valid=0 type=invalid\n"));
	len = kvmintro_arm64_s2_format_step(buf, 10, &t40, &w.steps[2]);
	check("a step record too long: -ENOSPC", len == -ENOSPC);
}

/* The summary's walk of one IPA, as the kernel's (introspect/arch/arm64). */
static int walk_leaf(const void *table, u64 gpa, unsigned int *reads,
		     struct kvmintro_stage2_leaf *leaf)
{
	return kvmintro_arm64_s2_walk_leaf(table, gpa, read_desc, reads, leaf);
}

static void test_runs(void)
{
	struct kvmintro_stage2_run runs[8];
	struct kvmintro_stage2_summarizer sum = { .runs = runs, .max_runs = 8 };
	char buf[256];

	build();
	kvmintro_stage2_summarize(&sum, walk_leaf, &t40, 1ULL << 40, 4096);
	check("summary walk stops at the reserved descriptor",
	      sum.done && sum.error == -EBADMSG && sum.gpa == 0x40004000 &&
	      sum.last.level == 3 && sum.nr_runs == 2 && sum.cur.npages == 1);
	check("two rwx pages merged", runs[0].gpa == 0x40000000 &&
	      runs[0].npages == 2 && runs[0].leaves == 2 && runs[0].level == 3);
	check("the page with a software bit is its own run",
	      runs[1].gpa == 0x40002000 && runs[1].npages == 1 &&
	      runs[1].attrs == (D_NORMAL | D_SW55));
	check("the device page is its own run", sum.cur.gpa == 0x40003000 &&
	      sum.cur.attrs == 0x1ULL << 2 && !strcmp(sum.cur.perm, "rw"));
	kvmintro_arm64_s2_format_run(buf, sizeof(buf), &t40, &runs[1]);
	check("run record", !strcmp(buf,
	      "run gpa=0x40002000 npages=0x1 size=4K leaves=0x1 perm=rwx memtype=normal sw=0x1\n"));

	/* Past the reserved entry: the 2M block and the 1G block. */
	put(0x5000, 4, 0);
	memset(&sum.cur, 0, sizeof(sum.cur));
	sum.gpa = 0x40004000;
	kvmintro_stage2_summarize(&sum, walk_leaf, &t40, 1ULL << 40, 4096);
	check("the whole space walked", sum.done && !sum.error &&
	      sum.gpa == 1ULL << 40);
	check("2M block run then 1G block run", sum.nr_runs == 1 &&
	      runs[0].gpa == 0x40200000 && runs[0].npages == 512 &&
	      !strcmp(runs[0].perm, "r") && sum.cur.gpa == 0x8000000000ULL &&
	      sum.cur.npages == 1 << 18 && sum.cur.level == 1);

	/* A part ends on its budget, and the next goes on from there. */
	memset(&sum.cur, 0, sizeof(sum.cur));
	sum.gpa = 0x40000000;
	kvmintro_stage2_summarize(&sum, walk_leaf, &t40, 1ULL << 40, 3);
	check("a part stops once its budget is read", !sum.done &&
	      sum.gpa == 0x40001000 && !sum.nr_runs && sum.cur.npages == 1);
	kvmintro_stage2_summarize(&sum, walk_leaf, &t40, 1ULL << 40, 3);
	check("the next part goes on", !sum.done && sum.gpa == 0x40002000 &&
	      sum.cur.npages == 2 && sum.cur.leaves == 2);
	/* A part ends once it finished its runs. */
	sum.max_runs = 1;
	kvmintro_stage2_summarize(&sum, walk_leaf, &t40, 1ULL << 40, 4096);
	check("a part stops once its runs are full", !sum.done &&
	      sum.nr_runs == 1 && runs[0].npages == 2 &&
	      sum.gpa == 0x40003000 && sum.cur.gpa == 0x40002000);
	/* A GPA at the end ends the summary without a walk. */
	sum.gpa = 1ULL << 40;
	kvmintro_stage2_summarize(&sum, walk_leaf, &t40, 1ULL << 40, 4096);
	check("nothing past the end", sum.done && !sum.error && !sum.nr_runs);
}

int main(void)
{
	test_walks();
	test_shapes();
	test_lpa2();
	test_names();
	test_records();
	test_runs();
	ksft_finished();
}
