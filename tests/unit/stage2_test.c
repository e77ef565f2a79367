// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lib/stage2.c: NPT and EPT tables written by hand into a
 * fake host memory, with 4K, 2M and 1G leaves, KVM's present bit, EPT
 * memory types and access-tracked entries, non-present entries at each
 * level, and the run-length merging of the summary.  Expected values are
 * computed here from the entries the test wrote, per the AMD APM and the
 * Intel SDM, not by the code under test.
 */
#include <stdio.h>
#include <string.h>

#include "ksft.h"

#include "../../lib/record.h"
#include "../../lib/stage2.h"

#define MEM_SIZE	(1 << 20)
static u8 mem[MEM_SIZE];

/* KVM's present bit and the NPT bits P, W, U (no NX: executable). */
#define NPT_TABLE	(0x800ULL | 0x7)
#define NPT_LARGE	0x80ULL
#define NPT_NX		(1ULL << 63)
/* EPT R, W, X and KVM's present bit. */
#define EPT_RWX		(0x800ULL | 0x7)

static int read_spte(void *ctx, u64 hpa, u64 *value)
{
	(void)ctx;
	if (hpa + 8 > MEM_SIZE)
		return -EFAULT;
	memcpy(value, mem + hpa, 8);
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

static struct kvmintro_stage2_mmu npt = {
	.kind = KVMINTRO_TDP_NPT, .levels = 4, .root = 0x1000,
	.addr_mask = KVMINTRO_SPTE_ADDR_MASK,
};

static void walk_expect(const char *name, const struct kvmintro_stage2_mmu *mmu,
			u64 gpa, bool present, u64 hpa, unsigned int steps,
			const char *perm)
{
	struct kvmintro_stage2_walk w;
	char got_perm[4] = "";
	int r = kvmintro_stage2_walk(mmu, gpa, read_spte, NULL, &w);
	bool ok;

	if (w.present)
		kvmintro_format_stage2_perm(got_perm, &w.leaf);
	ok = !r && w.present == present && w.nr_steps == steps &&
	     (!present || (w.hpa == hpa && !strcmp(got_perm, perm)));
	if (!ok)
		printf("#   %s: r=%d present=%d hpa=0x%llx steps=%u perm=%s\n",
		       name, r, w.present, (unsigned long long)w.hpa,
		       w.nr_steps, got_perm);
	check(name, ok);
}

static void build_npt(void)
{
	memset(mem, 0, MEM_SIZE);
	put(0x1000, 0, 0x2000 | NPT_TABLE);		/* PML4[0] -> PDPT */
	put(0x2000, 0, 0x3000 | NPT_TABLE);		/* PDPT[0] -> PD */
	put(0x3000, 0, 0x4000 | NPT_TABLE);		/* PD[0] -> PT */
	put(0x4000, 5, 0xabc000 | NPT_TABLE);		/* 4K rwx */
	put(0x4000, 7, 0xabd000 | 0x800 | 0x5);		/* 4K r-x */
	put(0x3000, 1, 0x40000000 | NPT_TABLE | NPT_LARGE | NPT_NX); /* 2M rw- */
	put(0x2000, 1, 0x80000000 | 0x800 | 0x5 | NPT_LARGE);	/* 1G r-x */
	/* Hardware-present but not KVM-present (an MMIO or frozen SPTE). */
	put(0x4000, 8, 0x5a0 | 0x7);
}

static void test_npt(void)
{
	build_npt();
	walk_expect("npt: 4K leaf", &npt, 0x5123, true, 0xabc123, 4, "rwx");
	walk_expect("npt: 4K read-only", &npt, 0x7fff, true, 0xabdfff, 4, "rx");
	walk_expect("npt: 2M leaf, NX", &npt, 0x212345, true, 0x40012345, 3, "rw");
	walk_expect("npt: 1G leaf", &npt, 0x40001234, true, 0x80001234, 2, "rx");
	walk_expect("npt: stop at level 1", &npt, 0x6000, false, 0, 4, "");
	walk_expect("npt: stop at level 2", &npt, 0x400000, false, 0, 3, "");
	walk_expect("npt: stop at level 3", &npt, 0x80000000, false, 0, 2, "");
	walk_expect("npt: stop at level 4", &npt, 0x8000000000ULL, false, 0, 1, "");
	walk_expect("npt: P without KVM's bit 11 is not present", &npt, 0x8000,
		    false, 0, 4, "");
}

static void test_walk_details(void)
{
	struct kvmintro_stage2_mmu five = npt, bad = npt, c_bit = npt;
	struct kvmintro_stage2_leaf leaf;
	struct kvmintro_stage2_walk w;

	build_npt();
	check("walk: beyond a 4-level table", kvmintro_stage2_walk(&npt,
	      1ULL << 48, read_spte, NULL, &w) == -EINVAL);
	five.levels = 5;
	five.root = 0x5000;
	put(0x5000, 0, 0x1000 | NPT_TABLE);
	walk_expect("walk: 5 levels", &five, 0x5123, true, 0xabc123, 5, "rwx");
	check("walk: 5 levels map 57 bits", !kvmintro_stage2_walk(&five,
	      1ULL << 48, read_spte, NULL, &w) && !w.present && w.nr_steps == 1 &&
	      w.steps[0].index == 1);
	bad.levels = 1;
	check("walk: a 1-level table is refused",
	      kvmintro_stage2_walk(&bad, 0, read_spte, NULL, &w) == -EINVAL);
	bad.root = MEM_SIZE;
	bad.levels = 4;
	check("walk: a read error stops it",
	      kvmintro_stage2_walk(&bad, 0, read_spte, NULL, &w) == -EFAULT);

	check("walk: steps name table, index, entry",
	      !kvmintro_stage2_walk(&npt, 0x212345, read_spte, NULL, &w) &&
	      w.steps[0].table == 0x1000 && w.steps[0].index == 0 &&
	      w.steps[1].table == 0x2000 && w.steps[2].table == 0x3000 &&
	      w.steps[2].index == 1 && w.steps[2].level == 2 &&
	      w.steps[2].entry == (0x40000000 | NPT_TABLE | NPT_LARGE | NPT_NX));
	check("leaf: a 2M leaf covers its 2M",
	      !kvmintro_stage2_walk_leaf(&npt, 0x212345, read_spte, NULL, &leaf) &&
	      leaf.present && leaf.level == 2 && leaf.gpa == 0x200000 &&
	      leaf.shift == 21 && !strcmp(leaf.perm, "rw") && !leaf.attrs);
	check("leaf: a non-present PML4E covers 512G",
	      !kvmintro_stage2_walk_leaf(&npt, 0x8000000000ULL + 5, read_spte,
					 NULL, &leaf) &&
	      !leaf.present && leaf.level == 4 &&
	      leaf.gpa == 0x8000000000ULL && leaf.shift == 39);
	check("leaf: a non-present PTE covers 4K",
	      !kvmintro_stage2_walk_leaf(&npt, 0x6000, read_spte, NULL, &leaf) &&
	      !leaf.present && leaf.level == 1 && leaf.gpa == 0x6000 &&
	      leaf.shift == 12);

	/* An encryption bit (SME) above the physical address is masked off. */
	put(0x4000, 9, (1ULL << 47) | 0x123000 | NPT_TABLE);
	c_bit.addr_mask = ((1ULL << 47) - 1) & ~0xfffULL;
	walk_expect("walk: address mask drops the C-bit", &c_bit, 0x9abc, true,
		    0x123abc, 4, "rwx");
}

static void test_ept(void)
{
	struct kvmintro_stage2_mmu ept = npt;
	struct kvmintro_stage2_leaf a, b;
	struct kvmintro_stage2_walk w;
	struct kvmintro_spte s;

	memset(mem, 0, MEM_SIZE);
	ept.kind = KVMINTRO_TDP_EPT;
	put(0x1000, 0, 0x2000 | EPT_RWX);
	put(0x2000, 0, 0x3000 | EPT_RWX);
	put(0x3000, 0, 0x4000 | EPT_RWX);
	/* 4K WB with IPAT; 2M UC read-only; an access-tracked 4K leaf. */
	put(0x4000, 1, 0x777000 | EPT_RWX | (6 << 3) | 0x40);
	put(0x3000, 3, 0x600000 | 0x800 | 0x1 | 0x80);
	put(0x4000, 2, 0x778000 | 0x800 | (6 << 3));
	walk_expect("ept: 4K leaf", &ept, 0x1010, true, 0x777010, 4, "rwx");
	check("ept: memtype wb, ipat",
	      !kvmintro_stage2_walk(&ept, 0x1010, read_spte, NULL, &w) &&
	      w.leaf.memtype == 6 && w.leaf.ipat &&
	      !strcmp(kvmintro_ept_memtype_name(w.leaf.memtype), "wb"));
	walk_expect("ept: 2M read-only", &ept, 0x7fffff, true, 0x7fffff, 3, "r");
	check("ept: memtype uc",
	      !kvmintro_stage2_walk(&ept, 0x600000, read_spte, NULL, &w) &&
	      w.leaf.memtype == 0 && !w.leaf.ipat);
	walk_expect("ept: access-tracked leaf is present, no permissions", &ept,
		    0x2000, true, 0x778000, 4, "");
	check("ept: a summary's leaf keeps the memtype but not ipat",
	      !kvmintro_stage2_walk_leaf(&ept, 0x1010, read_spte, NULL, &a) &&
	      !kvmintro_stage2_walk_leaf(&ept, 0x2000, read_spte, NULL, &b) &&
	      a.attrs == 6 << 3 && b.attrs == a.attrs);
	kvmintro_spte_decode(KVMINTRO_TDP_EPT, 2, 0x3000 | EPT_RWX | (6 << 3),
			     KVMINTRO_SPTE_ADDR_MASK, &s);
	check("ept: a table entry has no memtype", !s.leaf && !s.memtype);
	check("ept: memtype names",
	      !strcmp(kvmintro_ept_memtype_name(4), "wt") &&
	      !strcmp(kvmintro_ept_memtype_name(2), "reserved") &&
	      !strcmp(kvmintro_ept_memtype_name(9), "reserved"));
	kvmintro_spte_decode(KVMINTRO_TDP_EPT, 4, 0x800 | 0x80 | 7,
			     KVMINTRO_SPTE_ADDR_MASK, &s);
	check("decode: bit 7 at level 4 is not a large page", !s.large && !s.leaf);
}

static void test_format(void)
{
	struct kvmintro_stage2_step step = {
		.level = 2, .table = 0x3000, .index = 1,
		.entry = 0x40000000 | NPT_TABLE | NPT_LARGE | NPT_NX,
	};
	char buf[200];

	check("format: an NPT 2M leaf",
	      kvmintro_format_stage2_step(buf, sizeof(buf), KVMINTRO_TDP_NPT, &step) > 0 &&
	      !strcmp(buf, "level=2 table=0x3000 index=0x1 entry=0x8000000040000887 present=1 writable=1 user=1 nx=1 large=1\n"));
	step.entry = 0x4000 | EPT_RWX;
	check("format: an EPT table entry",
	      kvmintro_format_stage2_step(buf, sizeof(buf), KVMINTRO_TDP_EPT, &step) > 0 &&
	      !strcmp(buf, "level=2 table=0x3000 index=0x1 entry=0x4807 present=1 read=1 writable=1 exec=1 large=0\n"));
	check("format: too small", kvmintro_format_stage2_step(buf, 10,
			KVMINTRO_TDP_EPT, &step) == -ENOSPC);
	check("format: sizes", !strcmp(kvmintro_stage2_size_name(1), "4K") &&
	      !strcmp(kvmintro_stage2_size_name(2), "2M") &&
	      !strcmp(kvmintro_stage2_size_name(3), "1G") &&
	      !strcmp(kvmintro_stage2_size_name(9), "?"));
	check("format: kinds", !strcmp(kvmintro_tdp_kind_name(KVMINTRO_TDP_NPT), "npt") &&
	      !strcmp(kvmintro_tdp_kind_name(KVMINTRO_TDP_EPT), "ept"));
}

static bool add(struct kvmintro_stage2_run *run,
		const struct kvmintro_stage2_mmu *mmu, u64 gpa)
{
	struct kvmintro_stage2_leaf leaf;

	if (kvmintro_stage2_walk_leaf(mmu, gpa, read_spte, NULL, &leaf) ||
	    !leaf.present)
		return false;
	return kvmintro_stage2_run_add(run, &leaf);
}

static void test_runs(void)
{
	struct kvmintro_record_field fields[8];
	struct kvmintro_stage2_run run = {};
	struct kvmintro_record record;
	char buf[128];
	unsigned int i;
	bool ok = true;

	build_npt();
	for (i = 0x10; i < 0x14; i++)
		put(0x4000, i, (0x900000 + i * 0x1000ULL) | NPT_TABLE);
	put(0x4000, 0x14, 0x990000 | NPT_TABLE | NPT_NX);
	for (i = 0x10; i < 0x14; i++)
		ok &= add(&run, &npt, i * 0x1000ULL + 0x7);
	check("runs: consecutive 4K leaves alike merge", ok &&
	      run.gpa == 0x10000 && run.npages == 4 && run.leaves == 4 &&
	      run.level == 1 && !strcmp(run.perm, "rwx") && !run.attrs);
	check("runs: other permissions start a new run", !add(&run, &npt, 0x14000));
	check("runs: a gap starts a new run", !add(&run, &npt, 0x5000));
	check("runs: another size starts a new run", !add(&run, &npt, 0x200000));
	check("runs: the run is left alone", run.npages == 4 && run.leaves == 4);
	check("runs: format",
	      kvmintro_format_stage2_run(buf, sizeof(buf), KVMINTRO_TDP_NPT,
					 &run) > 0 &&
	      !strcmp(buf, "run gpa=0x10000 npages=0x4 size=4K leaves=0x4 perm=rwx memtype=-\n"));
	memset(&run, 0, sizeof(run));
	put(0x3000, 2, 0x40200000 | NPT_TABLE | NPT_LARGE | NPT_NX);
	ok = add(&run, &npt, 0x200000) && add(&run, &npt, 0x400000);
	check("runs: 2M leaves count 512 pages each", ok && run.npages == 1024 &&
	      run.leaves == 2 && run.level == 2);
	run.attrs = 6 << 3;
	check("runs: EPT memtype in the format",
	      kvmintro_format_stage2_run(buf, sizeof(buf), KVMINTRO_TDP_EPT,
					 &run) > 0 &&
	      !strcmp(buf, "run gpa=0x200000 npages=0x400 size=2M leaves=0x2 perm=rw memtype=wb\n"));
	run.perm[0] = '\0';
	check("runs: no permission at all is perm=-, a none",
	      kvmintro_format_stage2_run(buf, sizeof(buf), KVMINTRO_TDP_EPT,
					 &run) > 0 &&
	      !strcmp(buf, "run gpa=0x200000 npages=0x400 size=2M leaves=0x2 perm=- memtype=wb\n") &&
	      !kvmintro_record_parse(buf, strlen(buf), &record, fields, 8) &&
	      kvmintro_record_find(&record, "perm")->type == KVMINTRO_RECORD_NONE);
	check("runs: format too small",
	      kvmintro_format_stage2_run(buf, 8, KVMINTRO_TDP_EPT, &run) == -ENOSPC);
}

int main(void)
{
	test_npt();
	test_walk_details();
	test_ept();
	test_format();
	test_runs();
	ksft_finished();
}
