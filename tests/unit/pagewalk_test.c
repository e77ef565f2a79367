// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lib/pagewalk.c: page tables written by hand into a fake
 * guest memory, in every paging mode, with 4K, 2M, 1G, 4M guest pages and
 * non-present entries at each level.  Expected GPAs are computed here from
 * the entries the test wrote, per the SDM, not by the code under test.
 */
#include <stdio.h>
#include <string.h>

#include "ksft.h"

#include "../../lib/pagewalk.h"

#define MEM_SIZE	(64 << 20)
static u8 mem[MEM_SIZE];

static int read_entry(void *ctx, u64 gpa, unsigned int size, u64 *value)
{
	(void)ctx;
	if (gpa + size > MEM_SIZE)
		return -EFAULT;
	*value = 0;
	memcpy(value, mem + gpa, size);
	return 0;
}

static void put(u64 gpa, u64 value, unsigned int size)
{
	memcpy(mem + gpa, &value, size);
}

static void check(const char *name, bool ok)
{
	ksft_test_result(ok, "%s", name);
}

static void walk_expect(const char *name, enum kvmintro_paging_mode mode,
			u64 cr3, u64 cr4, u64 gva, bool present, u64 gpa,
			u64 page_size, unsigned int steps)
{
	struct kvmintro_walk w;
	int r = kvmintro_walk_gva(mode, cr3, cr4, gva, read_entry, NULL, &w);
	bool ok = !r && w.present == present && w.nr_steps == steps &&
		  (!present || (w.gpa == gpa && w.page_size == page_size));

	if (!ok)
		printf("#   %s: r=%d present=%d gpa=0x%llx size=0x%llx steps=%u\n",
		       name, r, w.present, (unsigned long long)w.gpa,
		       (unsigned long long)w.page_size, w.nr_steps);
	check(name, ok);
}

static void test_modes(void)
{
	check("mode: no paging", kvmintro_paging_mode(0x11, 0, 0) == KVMINTRO_PAGING_NONE);
	check("mode: 32-bit", kvmintro_paging_mode(0x80000011, 0, 0) == KVMINTRO_PAGING_32BIT);
	check("mode: pae", kvmintro_paging_mode(0x80000011, 0x20, 0) == KVMINTRO_PAGING_PAE);
	check("mode: 4-level", kvmintro_paging_mode(0x80000011, 0x20, 0x500) == KVMINTRO_PAGING_4LEVEL);
	check("mode: 5-level", kvmintro_paging_mode(0x80000011, 0x1020, 0x500) == KVMINTRO_PAGING_5LEVEL);
}

/* Long mode: PML4 at 0x1000, PDPT 0x2000, PD 0x3000, PT 0x4000. */
static void test_4level(void)
{
	u64 gva4k = 0x0000123456789abcULL, gva2m, gva1g;

	memset(mem, 0, 0x10000);
	/* gva4k: PML4 index 0x24, PDPT 0xd1, PD 0x0b3, PT 0x189. */
	put(0x1000 + 0x24 * 8, 0x2000 | 0x7, 8);
	put(0x2000 + 0xd1 * 8, 0x3000 | 0x7, 8);
	put(0x3000 + 0x0b3 * 8, 0x4000 | 0x3, 8);
	put(0x4000 + 0x189 * 8, 0x8000000000000000ULL | 0x1234000 | 0x5, 8);
	walk_expect("4-level: 4K page", KVMINTRO_PAGING_4LEVEL, 0x1000, 0,
		    gva4k, true, 0x1234abc, 4096, 4);
	/* Same PD, index 0xb4: a 2M page at 0x600000. */
	gva2m = (gva4k & ~0x1fffffULL) + 0x200000 + 0x12345;
	put(0x3000 + 0x0b4 * 8, 0x600000 | 0x83, 8);
	walk_expect("4-level: 2M page", KVMINTRO_PAGING_4LEVEL, 0x1000, 0,
		    gva2m, true, 0x612345, 2 << 20, 3);
	/* PDPT index 0xd2: a 1G page at 0x40000000 (beyond our memory: fine). */
	gva1g = (gva4k & ~0x3fffffffULL) + 0x40000000 + 0x123456;
	put(0x2000 + 0xd2 * 8, 0x40000000 | 0x83, 8);
	walk_expect("4-level: 1G page", KVMINTRO_PAGING_4LEVEL, 0x1000, 0,
		    gva1g, true, 0x40123456, 1 << 30, 2);
	walk_expect("4-level: not present at level 4", KVMINTRO_PAGING_4LEVEL,
		    0x1000, 0, 0x7f0000000000ULL, false, 0, 0, 1);
	walk_expect("4-level: not present at level 1", KVMINTRO_PAGING_4LEVEL,
		    0x1000, 0, gva4k + 0x1000, false, 0, 0, 4);
	/* Upper bits of CR3 (PCID, flags) do not move the PML4. */
	walk_expect("4-level: CR3 low bits ignored", KVMINTRO_PAGING_4LEVEL,
		    0x1000 | 0x18, 0, gva4k, true, 0x1234abc, 4096, 4);
}

static void test_5level(void)
{
	u64 gva = (0x1ULL << 48) | 0x0000123456789abcULL;

	memset(mem, 0, 0x10000);
	put(0x5000 + 1 * 8, 0x1000 | 0x3, 8);	/* PML5 index 1 */
	put(0x1000 + 0x24 * 8, 0x2000 | 0x7, 8);
	put(0x2000 + 0xd1 * 8, 0x3000 | 0x7, 8);
	put(0x3000 + 0x0b3 * 8, 0x4000 | 0x3, 8);
	put(0x4000 + 0x189 * 8, 0x777000 | 0x1, 8);
	walk_expect("5-level: 4K page", KVMINTRO_PAGING_5LEVEL, 0x5000, 0x1000,
		    gva, true, 0x777abc, 4096, 5);
}

static void test_pae(void)
{
	memset(mem, 0, 0x10000);
	/* PDPT at 0x1020 (32-byte aligned), entry 2 -> PD 0x2000. */
	put(0x1020 + 2 * 8, 0x2000 | 0x1, 8);
	put(0x2000 + 0x1a * 8, 0x3000 | 0x3, 8);	/* PD index 0x1a */
	put(0x3000 + 0x45 * 8, 0x9000 | 0x3, 8);	/* PT index 0x45 */
	walk_expect("pae: 4K page", KVMINTRO_PAGING_PAE, 0x1020, 0x20,
		    0x83445678, true, 0x9678, 4096, 3);
	put(0x2000 + 0x1b * 8, 0x400000 | 0x83, 8);
	walk_expect("pae: 2M page", KVMINTRO_PAGING_PAE, 0x1020, 0x20,
		    0x83612345, true, 0x412345, 2 << 20, 2);
	walk_expect("pae: PDPTE not present", KVMINTRO_PAGING_PAE, 0x1020,
		    0x20, 0x43445678, false, 0, 0, 1);
}

static void test_32bit(void)
{
	memset(mem, 0, 0x10000);
	put(0x1000 + 0x20d * 4, 0x2000 | 0x7, 4);	/* PD index 0x20d */
	put(0x2000 + 0x345 * 4, 0xabc000 | 0x5, 4);	/* PT index 0x345 */
	walk_expect("32-bit: 4K page", KVMINTRO_PAGING_32BIT, 0x1000, 0,
		    0x83745678, true, 0xabc678, 4096, 2);
	/* A 4M page with PSE; bits 13..20 of the entry are PA bits 32..39. */
	put(0x1000 + 0x20e * 4, 0x00c00000 | (0x3ULL << 13) | 0x83, 4);
	walk_expect("32-bit: 4M page (PSE-36)", KVMINTRO_PAGING_32BIT, 0x1000,
		    0x10, 0x83812345, true, 0x300c12345ULL, 4 << 20, 1);
	/* Without CR4.PSE the same entry points to a page table. */
	walk_expect("32-bit: PS ignored without CR4.PSE", KVMINTRO_PAGING_32BIT,
		    0x1000, 0, 0x83812345, false, 0, 0, 2);
	walk_expect("no paging: GVA is the GPA", KVMINTRO_PAGING_NONE, 0, 0,
		    0xb8000, true, 0xb8000, 4096, 0);
}

static void test_format(void)
{
	struct kvmintro_walk_step step = {
		.level = 2, .table = 0x3000, .entry_gpa = 0x35a0,
		.entry = 0x8000000000600083ULL,
	};
	char buf[200];
	int len = kvmintro_format_walk_step(buf, sizeof(buf),
					    KVMINTRO_PAGING_4LEVEL, &step);

	check("format: a 2M leaf",
	      len > 0 && !strcmp(buf, "level=2 table=0x3000 entry_gpa=0x35a0 entry=0x8000000000600083 present=1 writable=1 user=0 nx=1 large=1\n"));
	check("format: too small", kvmintro_format_walk_step(buf, 10,
			KVMINTRO_PAGING_4LEVEL, &step) == -ENOSPC);
}

int main(void)
{
	test_modes();
	test_4level();
	test_5level();
	test_pae();
	test_32bit();
	test_format();
	ksft_finished();
}
