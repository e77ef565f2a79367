// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lib/arm64/pagewalk.c: stage-1 tables written into a sparse
 * guest memory, walked through TTBR0 (a 4K page, 48-bit VAs, four levels)
 * and TTBR1 (a 2M block, 39-bit VAs, three levels), an unmapped address
 * stopping at the right level, and the cases that walk nothing; the 16K
 * and 64K granules, 52-bit addresses (LPA2, 64K's), big-endian tables and
 * the encodings refused.  Indexes come from the Arm ARM's tables, written
 * out per granule in index_of(), not from the walker's formula.
 */
#include <stdlib.h>

#include "ksft.h"

#include "../../lib/arm64/pagewalk.h"


static void check(const char *name, bool ok)
{
	ksft_test_result(ok, "%s", name);
}

/*
 * Guest memory: the descriptors set, anywhere from GPA 0x40000000 up to
 * 2^52 (52-bit tables reach past 2^48); the rest reads as 0, and below
 * 0x40000000 fails.  Stored big-endian when @big_endian is set.
 */
#define MEM_BASE	0x40000000ULL
#define MEM_END		(1ULL << 52)
#define MAX_DESCS	64
static struct {
	u64 gpa;
	u64 value;
} descs[MAX_DESCS];
static unsigned int nr_descs;
static bool big_endian;

static int read_desc(void *ctx, u64 gpa, u64 *value)
{
	unsigned int i;

	(void)ctx;
	if (gpa < MEM_BASE || gpa + 8 > MEM_END || gpa % 8)
		return -EFAULT;
	*value = 0;
	for (i = 0; i < nr_descs; i++) {
		if (descs[i].gpa == gpa)
			*value = descs[i].value;
	}
	return 0;
}

static void set_desc(u64 table, unsigned int index, u64 desc)
{
	if (nr_descs == MAX_DESCS)
		abort();
	descs[nr_descs].gpa = table + index * 8ULL;
	descs[nr_descs++].value = big_endian ? __builtin_bswap64(desc) : desc;
}

#define PAGE(n)		(MEM_BASE + 0x1000ULL * (n))
#define TABLE		3ULL			/* valid, table */
#define LEAF_PAGE	(3ULL | 1 << 10)	/* valid, page, AF */
#define LEAF_BLOCK	(1ULL | 1 << 10)	/* valid, block, AF */
#define UXN_PXN		(3ULL << 53)

/* TCR: T0SZ 16 (48 bits), T1SZ 25 (39 bits), TG1 4K (2), TG0 4K (0). */
#define TCR		(16ULL | 25ULL << 16 | 2ULL << 30)
#define SCTLR_M		1ULL

/*
 * The index of @va at @level for a granule of 2^@page_shift bytes: the
 * Arm ARM's tables D8-14 to D8-16, written out per granule.
 */
static unsigned int index_of(u64 va, unsigned int page_shift, int level,
			     unsigned int va_bits)
{
	switch (page_shift) {
	case 14:	/* 16K: va[47], [46:36], [35:25], [24:14] (52: [51:47]) */
		return level == 0 ? (va >> 47) & (va_bits == 52 ? 0x1f : 1) :
		       level == 1 ? (va >> 36) & 0x7ff :
		       level == 2 ? (va >> 25) & 0x7ff : (va >> 14) & 0x7ff;
	case 16:	/* 64K: va[47:42], [41:29], [28:16] (52: [51:42]) */
		return level == 1 ? (va >> 42) & (va_bits == 52 ? 0x3ff : 0x3f) :
		       level == 2 ? (va >> 29) & 0x1fff : (va >> 16) & 0x1fff;
	default:	/* 4K: va[47:39], [38:30], [29:21], [20:12] */
		return (va >> (39 - 9 * level)) & 0x1ff;
	}
}

#define TG0_16K		(2ULL << 14)
#define TG0_64K		(1ULL << 14)
#define TG1_16K		(1ULL << 30)
#define TG1_64K		(3ULL << 30)
#define TG1_4K		(2ULL << 30)
#define IPS_52		(6ULL << 32)
#define TCR_DS		(1ULL << 59)

/* 16K: four levels from a 48-bit TTBR0 to a page; a 32M block. */
static void granule_16k(void)
{
	const u64 tcr = 16 | TG0_16K | 25ULL << 16 | TG1_4K;
	const u64 va = 0x0000923456789abcULL, t = 0x50000000ULL;
	struct kvmintro_arm64_walk walk;
	int r;

	set_desc(t, index_of(va, 14, 0, 48), (t + 0x4000) | TABLE);
	set_desc(t + 0x4000, index_of(va, 14, 1, 48), (t + 0x8000) | TABLE);
	set_desc(t + 0x8000, index_of(va, 14, 2, 48), (t + 0xc000) | TABLE);
	set_desc(t + 0xc000, index_of(va, 14, 3, 48), 0x7654c000ULL | LEAF_PAGE);
	r = kvmintro_arm64_walk_gva(SCTLR_M, tcr, t, 0, va, read_desc, NULL,
				    &walk);
	check("16K, 48 bits: levels 0 to 3, a 16K page",
	      !r && walk.result == KVMINTRO_ARM64_WALK_MAPPED &&
	      walk.page_shift == 14 && !walk.lpa2 && walk.nr_steps == 4 &&
	      walk.steps[0].level == 0 &&
	      walk.steps[0].entry_gpa == t + 8 * index_of(va, 14, 0, 48) &&
	      walk.steps[3].entry_gpa == t + 0xc000 + 8 * index_of(va, 14, 3, 48) &&
	      walk.page_size == 0x4000 &&
	      walk.gpa == 0x7654c000ULL + (va & 0x3fff));

	set_desc(t + 0x8000, index_of(va, 14, 2, 48), 0x62000000ULL | LEAF_BLOCK);
	r = kvmintro_arm64_walk_gva(SCTLR_M, tcr, t, 0, va, read_desc, NULL,
				    &walk);
	check("16K: a 32M block at level 2",
	      !r && walk.result == KVMINTRO_ARM64_WALK_MAPPED &&
	      walk.nr_steps == 3 && walk.page_size == 0x2000000 &&
	      walk.gpa == 0x62000000ULL + (va & 0x1ffffff));

	set_desc(t + 0x4000, index_of(va, 14, 1, 48), 0x1000000000ULL | LEAF_BLOCK);
	r = kvmintro_arm64_walk_gva(SCTLR_M, tcr, t, 0, va, read_desc, NULL,
				    &walk);
	check("16K without LPA2: a block at level 1 is invalid",
	      !r && walk.result == KVMINTRO_ARM64_WALK_INVALID &&
	      walk.nr_steps == 2 &&
	      walk.steps[1].type == KVMINTRO_ARM64_ENTRY_INVALID);
	r = kvmintro_arm64_walk_gva(SCTLR_M, tcr | TCR_DS, t, 0, va, read_desc,
				    NULL, &walk);
	check("16K with LPA2: a 64G block at level 1",
	      !r && walk.result == KVMINTRO_ARM64_WALK_MAPPED && walk.lpa2 &&
	      walk.page_size == 1ULL << 36 &&
	      walk.gpa == 0x1000000000ULL + (va & ((1ULL << 36) - 1)));

	/* 52 bits with LPA2: level 0 resolves va[51:47]. */
	r = kvmintro_arm64_walk_gva(SCTLR_M, (tcr & ~0x3fULL) | 12 | TCR_DS,
				    t, 0, va | 0x000a000000000000ULL, read_desc,
				    NULL, &walk);
	check("16K, 52 bits with LPA2: level 0 takes five bits",
	      !r && walk.va_bits == 52 && walk.steps[0].level == 0 &&
	      walk.steps[0].entry_gpa ==
	      t + 8 * index_of(va | 0x000a000000000000ULL, 14, 0, 52));
}

/* 64K: three levels from a 48-bit TTBR1; a 512M block; 52-bit PAs. */
static void granule_64k(void)
{
	const u64 tcr = 25 | 16ULL << 16 | TG1_64K;
	const u64 va = 0xffff923456789abcULL, t = 0x60000000ULL;
	struct kvmintro_arm64_walk walk;
	char buf[256];
	int r;

	set_desc(t, index_of(va, 16, 1, 48), (t + 0x10000) | TABLE);
	set_desc(t + 0x10000, index_of(va, 16, 2, 48), (t + 0x20000) | TABLE);
	set_desc(t + 0x20000, index_of(va, 16, 3, 48), 0x76540000ULL | LEAF_PAGE);
	r = kvmintro_arm64_walk_gva(SCTLR_M, tcr, 0, t, va, read_desc, NULL,
				    &walk);
	check("64K, 48 bits: levels 1 to 3 through TTBR1, a 64K page",
	      !r && walk.result == KVMINTRO_ARM64_WALK_MAPPED &&
	      walk.ttbr == 1 && walk.page_shift == 16 && walk.nr_steps == 3 &&
	      walk.steps[0].level == 1 &&
	      walk.steps[0].entry_gpa == t + 8 * index_of(va, 16, 1, 48) &&
	      walk.steps[2].entry_gpa == t + 0x20000 + 8 * index_of(va, 16, 3, 48) &&
	      walk.page_size == 0x10000 &&
	      walk.gpa == 0x76540000ULL + (va & 0xffff));
	kvmintro_arm64_format_walk_step(buf, sizeof(buf), &walk, 2);
	check("64K: the page's record", strstr(buf, "level=3 ") &&
	      strstr(buf, " type=page "));

	set_desc(t + 0x10000, index_of(va, 16, 2, 48), 0xa0000000ULL | LEAF_BLOCK);
	r = kvmintro_arm64_walk_gva(SCTLR_M, tcr, 0, t, va, read_desc, NULL,
				    &walk);
	check("64K: a 512M block at level 2",
	      !r && walk.result == KVMINTRO_ARM64_WALK_MAPPED &&
	      walk.page_size == 0x20000000 &&
	      walk.gpa == 0xa0000000ULL + (va & 0x1fffffff));

	/* 52-bit PAs: address bits 51:48 in a descriptor's 15:12, a TTBR's 5:2. */
	set_desc(0x0005000070000000ULL, index_of(va, 16, 1, 48),
		 0x70010000ULL | 0x7ULL << 12 | TABLE);
	set_desc(0x0007000070010000ULL, index_of(va, 16, 2, 48),
		 0xb0000000ULL | 0x9ULL << 12 | LEAF_BLOCK);
	r = kvmintro_arm64_walk_gva(SCTLR_M, tcr | IPS_52, 0,
				    0x70000000ULL | 0x5ULL << 2, va, read_desc,
				    NULL, &walk);
	check("64K with 52-bit PAs: tables and a block past 2^48",
	      !r && walk.result == KVMINTRO_ARM64_WALK_MAPPED &&
	      walk.steps[0].table == 0x0005000070000000ULL &&
	      walk.steps[1].table == 0x0007000070010000ULL &&
	      walk.gpa == (0x00090000b0000000ULL | (va & 0x1fffffff)));

	set_desc(t, index_of(va, 16, 1, 48), 0x40000000000ULL | LEAF_BLOCK);
	r = kvmintro_arm64_walk_gva(SCTLR_M, tcr, 0, t, va, read_desc, NULL,
				    &walk);
	check("64K without 52-bit PAs: a block at level 1 is invalid",
	      !r && walk.result == KVMINTRO_ARM64_WALK_INVALID &&
	      walk.nr_steps == 1);
	r = kvmintro_arm64_walk_gva(SCTLR_M, (tcr & ~(0x3fULL << 16)) |
				    12ULL << 16, 0, t, va | 0xfULL << 48,
				    read_desc, NULL, &walk);
	check("64K, 52-bit VAs: level 1 takes ten bits",
	      !r && walk.va_bits == 52 && walk.nr_steps >= 1 &&
	      walk.steps[0].entry_gpa ==
	      t + 8 * index_of(va | 0xfULL << 48, 16, 1, 52));
}

/* 4K with LPA2 (TCR_EL1.DS): address bits 51:50 in a descriptor's 9:8. */
static void lpa2_4k(void)
{
	const u64 tcr = 16 | 25ULL << 16 | TG1_4K | TCR_DS;
	const u64 va = 0x0000723456789abcULL, t = 0x48000000ULL;
	struct kvmintro_arm64_walk walk;
	char buf[256];
	int r;

	set_desc(t, index_of(va, 12, 0, 48), (t + 0x1000) | TABLE);
	set_desc(t + 0x1000, index_of(va, 12, 1, 48), (t + 0x2000) | TABLE);
	set_desc(t + 0x2000, index_of(va, 12, 2, 48), 0x0003000000000000ULL |
		 (t + 0x3000) | TABLE);
	set_desc(0x0003000048003000ULL, index_of(va, 12, 3, 48),
		 0x0002000012345000ULL | 0x2ULL << 8 | LEAF_PAGE);
	r = kvmintro_arm64_walk_gva(SCTLR_M, tcr, t, 0, va, read_desc, NULL,
				    &walk);
	check("4K with LPA2: a table at bits 49:48 and a page at 51:50",
	      !r && walk.result == KVMINTRO_ARM64_WALK_MAPPED && walk.lpa2 &&
	      walk.nr_steps == 4 &&
	      walk.steps[3].table == 0x0003000048003000ULL &&
	      walk.gpa == (0x000a000012345000ULL | (va & 0xfff)));
	kvmintro_arm64_format_walk_step(buf, sizeof(buf), &walk, 3);
	check("with LPA2 the record has no sh (bits 9:8 are address bits)",
	      strstr(buf, " type=page ") && !strstr(buf, " sh="));

	/* 52 bits: level -1 resolves va[51:48], then the same tables. */
	set_desc(t + 0x10000, 0xb, t | TABLE);
	r = kvmintro_arm64_walk_gva(SCTLR_M, (tcr & ~0x3fULL) | 12,
				    t + 0x10000, 0, va | 0x000b000000000000ULL,
				    read_desc, NULL, &walk);
	check("4K with LPA2, 52 bits: five levels from level -1",
	      !r && walk.result == KVMINTRO_ARM64_WALK_MAPPED &&
	      walk.va_bits == 52 && walk.nr_steps == 5 &&
	      walk.steps[0].level == -1 &&
	      walk.steps[0].entry_gpa == t + 0x10000 + 8 * 0xb &&
	      walk.steps[1].level == 0 && walk.steps[1].table == t &&
	      walk.gpa == (0x000a000012345000ULL | (va & 0xfff)));
	kvmintro_arm64_format_walk_step(buf, sizeof(buf), &walk, 0);
	check("level -1's record: level=-1, a table",
	      !strncmp(buf, "level=-1 table=", 15) &&
	      strstr(buf, " type=table "));
	r = kvmintro_arm64_walk_gva(SCTLR_M, (tcr & ~0x3fULL) | 12,
				    t + 0x10000, 0, va | 0x0007000000000000ULL,
				    read_desc, NULL, &walk);
	check("4K with LPA2, 52 bits: an empty level -1 entry is invalid",
	      !r && walk.result == KVMINTRO_ARM64_WALK_INVALID &&
	      walk.nr_steps == 1 && walk.steps[0].level == -1);
	set_desc(t + 0x10000, 0x3, 0x0001000000000000ULL | LEAF_BLOCK);
	r = kvmintro_arm64_walk_gva(SCTLR_M, (tcr & ~0x3fULL) | 12,
				    t + 0x10000, 0, va | 0x0003000000000000ULL,
				    read_desc, NULL, &walk);
	check("4K with LPA2: no block at level -1",
	      !r && walk.result == KVMINTRO_ARM64_WALK_INVALID &&
	      walk.steps[0].type == KVMINTRO_ARM64_ENTRY_INVALID);

	set_desc(t, index_of(va, 12, 0, 48), 0x0000008000000000ULL | LEAF_BLOCK);
	r = kvmintro_arm64_walk_gva(SCTLR_M, tcr, t, 0, va, read_desc, NULL,
				    &walk);
	check("4K with LPA2: a 512G block at level 0",
	      !r && walk.result == KVMINTRO_ARM64_WALK_MAPPED &&
	      walk.page_size == 1ULL << 39 &&
	      walk.gpa == (0x0000008000000000ULL | (va & ((1ULL << 39) - 1))));
	r = kvmintro_arm64_walk_gva(SCTLR_M, tcr & ~TCR_DS, t, 0, va,
				    read_desc, NULL, &walk);
	check("4K without LPA2: a block at level 0 is invalid",
	      !r && walk.result == KVMINTRO_ARM64_WALK_INVALID &&
	      walk.nr_steps == 1);
}

/* SCTLR_EL1.EE: the same tables, big-endian, walk the same. */
static void big_endian_tables(void)
{
	const u64 va = 0x0000123456789abcULL, t = 0x4c000000ULL;
	struct kvmintro_arm64_walk walk;
	int r;

	big_endian = true;
	set_desc(t, index_of(va, 12, 0, 48), (t + 0x1000) | TABLE);
	set_desc(t + 0x1000, index_of(va, 12, 1, 48), (t + 0x2000) | TABLE);
	set_desc(t + 0x2000, index_of(va, 12, 2, 48), 0x4ea00000ULL | LEAF_BLOCK);
	big_endian = false;
	r = kvmintro_arm64_walk_gva(SCTLR_M | 1ULL << 25, TCR, t, 0, va,
				    read_desc, NULL, &walk);
	check("big-endian tables (SCTLR_EL1.EE): a 2M block",
	      !r && walk.result == KVMINTRO_ARM64_WALK_MAPPED &&
	      walk.steps[2].entry == (0x4ea00000ULL | LEAF_BLOCK) &&
	      walk.gpa == 0x4ea00000ULL + (va & 0x1fffff));
	r = kvmintro_arm64_walk_gva(SCTLR_M, TCR, t, 0, va, read_desc, NULL,
				    &walk);
	check("the same tables read little-endian: invalid at level 0",
	      !r && walk.result == KVMINTRO_ARM64_WALK_INVALID);
}

/* What no walk may start with. */
static void refused(void)
{
	struct kvmintro_arm64_walk walk;

	check("TG0 0b11 (reserved): -EINVAL",
	      kvmintro_arm64_walk_gva(SCTLR_M, TCR | 3ULL << 14, PAGE(0), 0,
				      0x1000, read_desc, NULL, &walk) ==
	      -EINVAL);
	check("TG1 0b00 (reserved): -EINVAL",
	      kvmintro_arm64_walk_gva(SCTLR_M, TCR & ~(3ULL << 30), PAGE(0),
				      PAGE(4), ~0ULL, read_desc, NULL,
				      &walk) == -EINVAL);
	check("4K, T0SZ 15 without LPA2: -EINVAL",
	      kvmintro_arm64_walk_gva(SCTLR_M, (TCR & ~0x3fULL) | 15, PAGE(0),
				      0, 0x1000, read_desc, NULL, &walk) ==
	      -EINVAL);
	check("64K, T0SZ 48 (past FEAT_TTST's 47): -EINVAL",
	      kvmintro_arm64_walk_gva(SCTLR_M, (TCR & ~0x3fULL) | 48 | TG0_64K,
				      PAGE(0), 0, 0x1000, read_desc, NULL,
				      &walk) == -EINVAL);
	check("4K, T0SZ 48 (FEAT_TTST's bound): walked from level 3",
	      !kvmintro_arm64_walk_gva(SCTLR_M, (TCR & ~0x3fULL) | 48, PAGE(0),
				       0, 0x1000, read_desc, NULL, &walk) &&
	      walk.va_bits == 16 && walk.steps[0].level == 3);
}

int main(void)
{
	const u64 user_va = 0x0000123456789abcULL;
	const u64 kernel_va = 0xffffffc012345678ULL;	/* 39 bits, TTBR1 */
	struct kvmintro_arm64_walk walk;
	char buf[256];
	int r, len;

	/* TTBR0: levels 0-3 in pages 0-3, the page at 0x40008000. */
	set_desc(PAGE(0), (user_va >> 39) & 511, PAGE(1) | TABLE);
	set_desc(PAGE(1), (user_va >> 30) & 511, PAGE(2) | TABLE);
	set_desc(PAGE(2), (user_va >> 21) & 511, PAGE(3) | TABLE);
	set_desc(PAGE(3), (user_va >> 12) & 511, PAGE(8) | LEAF_PAGE | UXN_PXN);
	/* TTBR1, 39 bits: levels 1-2 in pages 4-5, a 2M block at 0x80200000. */
	set_desc(PAGE(4), (kernel_va >> 30) & 511, PAGE(5) | TABLE);
	set_desc(PAGE(5), (kernel_va >> 21) & 511, 0x80200000ULL | LEAF_BLOCK);

	r = kvmintro_arm64_walk_gva(SCTLR_M, TCR, PAGE(0) | 1ULL << 48,
				    PAGE(4), user_va, read_desc, NULL, &walk);
	check("TTBR0, 48 bits: four levels down to a 4K page",
	      !r && walk.result == KVMINTRO_ARM64_WALK_MAPPED &&
	      walk.ttbr == 0 && walk.va_bits == 48 && walk.nr_steps == 4 &&
	      walk.steps[0].level == 0 && walk.steps[3].level == 3 &&
	      walk.steps[0].table == PAGE(0) &&
	      walk.steps[3].entry_gpa == PAGE(3) + ((user_va >> 12) & 511) * 8 &&
	      walk.page_size == 0x1000 && walk.gpa == PAGE(8) + 0xabc);
	len = kvmintro_arm64_format_walk_step(buf, sizeof(buf), &walk, 3);
	check("a page descriptor's record: type, AF, PXN, UXN",
	      len > 0 && strstr(buf, " type=page ") && strstr(buf, " af=1 ") &&
	      strstr(buf, " sh=0 ") &&
	      strstr(buf, " pxn=1 ") && strstr(buf, " uxn=1\n"));
	len = kvmintro_arm64_format_walk_step(buf, sizeof(buf), &walk, 0);
	check("a table descriptor's record", len > 0 &&
	      strstr(buf, "level=0 ") && strstr(buf, " type=table "));

	r = kvmintro_arm64_walk_gva(SCTLR_M, TCR, PAGE(0), PAGE(4), kernel_va,
				    read_desc, NULL, &walk);
	check("TTBR1, 39 bits: from level 1 to a 2M block",
	      !r && walk.result == KVMINTRO_ARM64_WALK_MAPPED &&
	      walk.ttbr == 1 && walk.va_bits == 39 && walk.nr_steps == 2 &&
	      walk.steps[0].level == 1 && walk.page_size == 0x200000 &&
	      walk.gpa == 0x80200000ULL + (kernel_va & 0x1fffff));
	len = kvmintro_arm64_format_walk_step(buf, sizeof(buf), &walk, 1);
	check("a block descriptor's record", len > 0 &&
	      strstr(buf, " type=block "));

	r = kvmintro_arm64_walk_gva(SCTLR_M, TCR, PAGE(0), PAGE(4),
				    user_va + 0x200000, read_desc, NULL, &walk);
	check("an unmapped address stops at level 2, invalid",
	      !r && walk.result == KVMINTRO_ARM64_WALK_INVALID &&
	      walk.nr_steps == 3 && walk.steps[2].level == 2);

	r = kvmintro_arm64_walk_gva(SCTLR_M, TCR, PAGE(0), PAGE(4),
				    0xffff000000001000ULL, read_desc, NULL, &walk);
	check("an address outside TTBR1's 39 bits: range, nothing read",
	      !r && walk.result == KVMINTRO_ARM64_WALK_RANGE && !walk.nr_steps);
	r = kvmintro_arm64_walk_gva(SCTLR_M, TCR | 1ULL << 37, PAGE(0), PAGE(4),
				    user_va | 0x5aULL << 56, read_desc, NULL,
				    &walk);
	check("a tagged address with TBI0 walks as the untagged one",
	      !r && walk.result == KVMINTRO_ARM64_WALK_MAPPED &&
	      walk.gpa == PAGE(8) + 0xabc);
	r = kvmintro_arm64_walk_gva(SCTLR_M, TCR | 1ULL << 7, PAGE(0), PAGE(4),
				    user_va, read_desc, NULL, &walk);
	check("EPD0 set: disabled, nothing read",
	      !r && walk.result == KVMINTRO_ARM64_WALK_DISABLED);
	r = kvmintro_arm64_walk_gva(0, TCR, PAGE(0), PAGE(4), 0x40001234,
				    read_desc, NULL, &walk);
	check("MMU off: the GPA is the GVA",
	      !r && walk.result == KVMINTRO_ARM64_WALK_MMU_OFF &&
	      walk.gpa == 0x40001234);
	r = kvmintro_arm64_walk_gva(SCTLR_M, TCR, 0x1000, PAGE(4), user_va,
				    read_desc, NULL, &walk);
	check("a table outside memory: the reader's error", r == -EFAULT);

	granule_16k();
	granule_64k();
	lpa2_4k();
	big_endian_tables();
	refused();

	ksft_finished();
}
