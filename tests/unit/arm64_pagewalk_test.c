// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lib/arm64/pagewalk.c: stage-1 tables written into a small
 * guest memory, walked through TTBR0 (a 4K page, 48-bit VAs, four levels)
 * and TTBR1 (a 2M block, 39-bit VAs, three levels), an unmapped address
 * stopping at the right level, and the cases that walk nothing.
 */
#include <stdlib.h>

#include "../../lib/arm64/pagewalk.h"

static int failures, checks;

static void check(const char *name, bool ok)
{
	printf("%s - %s\n", ok ? "ok" : "not ok", name);
	failures += !ok;
	checks++;
}

/* Guest memory: 16 pages at GPA 0x40000000. */
#define MEM_BASE	0x40000000ULL
#define MEM_PAGES	16
static u64 mem[MEM_PAGES * 512];

static int read_desc(void *ctx, u64 gpa, u64 *value)
{
	(void)ctx;
	if (gpa < MEM_BASE || gpa + 8 > MEM_BASE + sizeof(mem) || gpa % 8)
		return -EFAULT;
	*value = mem[(gpa - MEM_BASE) / 8];
	return 0;
}

static void set_desc(u64 table, unsigned int index, u64 desc)
{
	mem[(table - MEM_BASE) / 8 + index] = desc;
}

#define PAGE(n)		(MEM_BASE + 0x1000ULL * (n))
#define TABLE		3ULL			/* valid, table */
#define LEAF_PAGE	(3ULL | 1 << 10)	/* valid, page, AF */
#define LEAF_BLOCK	(1ULL | 1 << 10)	/* valid, block, AF */
#define UXN_PXN		(3ULL << 53)

/* TCR: T0SZ 16 (48 bits), T1SZ 25 (39 bits), TG1 4K (2), TG0 4K (0). */
#define TCR		(16ULL | 25ULL << 16 | 2ULL << 30)
#define SCTLR_M		1ULL

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
	len = kvmintro_arm64_format_walk_step(buf, sizeof(buf), &walk.steps[3]);
	check("a page descriptor's record: type, AF, PXN, UXN",
	      len > 0 && strstr(buf, " type=page ") && strstr(buf, " af=1 ") &&
	      strstr(buf, " pxn=1 ") && strstr(buf, " uxn=1\n"));
	len = kvmintro_arm64_format_walk_step(buf, sizeof(buf), &walk.steps[0]);
	check("a table descriptor's record", len > 0 &&
	      strstr(buf, "level=0 ") && strstr(buf, " type=table "));

	r = kvmintro_arm64_walk_gva(SCTLR_M, TCR, PAGE(0), PAGE(4), kernel_va,
				    read_desc, NULL, &walk);
	check("TTBR1, 39 bits: from level 1 to a 2M block",
	      !r && walk.result == KVMINTRO_ARM64_WALK_MAPPED &&
	      walk.ttbr == 1 && walk.va_bits == 39 && walk.nr_steps == 2 &&
	      walk.steps[0].level == 1 && walk.page_size == 0x200000 &&
	      walk.gpa == 0x80200000ULL + (kernel_va & 0x1fffff));
	len = kvmintro_arm64_format_walk_step(buf, sizeof(buf), &walk.steps[1]);
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
	r = kvmintro_arm64_walk_gva(SCTLR_M, TCR | 1ULL << 14, PAGE(0), PAGE(4),
				    user_va, read_desc, NULL, &walk);
	check("a 64K granule: -EOPNOTSUPP", r == -EOPNOTSUPP);
	r = kvmintro_arm64_walk_gva(SCTLR_M, TCR, MEM_BASE + sizeof(mem),
				    PAGE(4), user_va, read_desc, NULL, &walk);
	check("a table outside memory: the reader's error", r == -EFAULT);

	printf("1..%d\n", checks);
	return failures ? 1 : 0;
}
