// SPDX-License-Identifier: GPL-2.0
/*
 * x86 guest page-table walk, as the architecture defines it (SDM vol. 3,
 * chapter 4): no accessed/dirty updates, no permission checks; it reports
 * every entry and where the walk stopped.
 */
#include "pagewalk.h"
#include "record.h"

#define X86_CR0_PG	(1ULL << 31)
#define X86_CR4_PSE	(1ULL << 4)
#define X86_CR4_PAE	(1ULL << 5)
#define X86_CR4_LA57	(1ULL << 12)
#define EFER_LMA	(1ULL << 10)

#define PTE_PRESENT	(1ULL << 0)
#define PTE_WRITABLE	(1ULL << 1)
#define PTE_USER	(1ULL << 2)
#define PTE_LARGE	(1ULL << 7)
#define PTE_NX		(1ULL << 63)
/* Bits 12..51: the next table or the page (52-bit physical addresses). */
#define PTE_ADDR_MASK	0x000ffffffffff000ULL

enum kvmintro_paging_mode kvmintro_paging_mode(u64 cr0, u64 cr4, u64 efer)
{
	if (!(cr0 & X86_CR0_PG))
		return KVMINTRO_PAGING_NONE;
	if (efer & EFER_LMA)
		return cr4 & X86_CR4_LA57 ? KVMINTRO_PAGING_5LEVEL :
					    KVMINTRO_PAGING_4LEVEL;
	return cr4 & X86_CR4_PAE ? KVMINTRO_PAGING_PAE : KVMINTRO_PAGING_32BIT;
}

/* The modes' names, as the gva file writes them, then NULL. */
const char *const kvmintro_paging_mode_names[] = {
	[KVMINTRO_PAGING_NONE] = "none",
	[KVMINTRO_PAGING_32BIT] = "32-bit",
	[KVMINTRO_PAGING_PAE] = "pae",
	[KVMINTRO_PAGING_4LEVEL] = "4-level",
	[KVMINTRO_PAGING_5LEVEL] = "5-level",
	[KVMINTRO_PAGING_5LEVEL + 1] = NULL,
};

const char *kvmintro_paging_mode_name(enum kvmintro_paging_mode mode)
{
	return kvmintro_paging_mode_names[mode];
}

/* Levels of tables a walk in a valid @mode reads: 0 without paging. */
unsigned int kvmintro_paging_levels(enum kvmintro_paging_mode mode)
{
	static const unsigned char levels[] = {
		[KVMINTRO_PAGING_NONE] = 0,
		[KVMINTRO_PAGING_32BIT] = 2,
		[KVMINTRO_PAGING_PAE] = 3,
		[KVMINTRO_PAGING_4LEVEL] = 4,
		[KVMINTRO_PAGING_5LEVEL] = 5,
	};

	return levels[mode];
}

/* Is the entry at @level a leaf: a page, not a table? */
static bool kvmintro_is_leaf(enum kvmintro_paging_mode mode,
			     unsigned int level, u64 entry, u64 cr4)
{
	if (level == 1)
		return true;
	if (!(entry & PTE_LARGE))
		return false;
	switch (mode) {
	case KVMINTRO_PAGING_32BIT:
		return level == 2 && (cr4 & X86_CR4_PSE);
	case KVMINTRO_PAGING_PAE:
		return level == 2;
	default:
		return level == 2 || level == 3;
	}
}

/**
 * kvmintro_walk_gva() - translate a guest virtual address
 * @mode:	paging mode, from kvmintro_paging_mode()
 * @cr3:	the guest's CR3
 * @cr4:	the guest's CR4 (for PSE)
 * @gva:	the address
 * @read:	reads a table entry from guest physical memory
 * @ctx:	for @read
 * @walk:	the result; a non-present entry stops the walk there
 *
 * Return: 0, -EINVAL for a @mode not of enum kvmintro_paging_mode, or
 * @read's error.
 */
int kvmintro_walk_gva(enum kvmintro_paging_mode mode, u64 cr3, u64 cr4,
		      u64 gva, kvmintro_read_entry_fn read, void *ctx,
		      struct kvmintro_walk *walk)
{
	unsigned int level, size = 8, bits = 9, shift;
	struct kvmintro_walk_step *step;
	u64 table, entry, index;
	int r;

	if ((unsigned int)mode > KVMINTRO_PAGING_5LEVEL)
		return -EINVAL;
	memset(walk, 0, sizeof(*walk));
	walk->mode = mode;
	level = kvmintro_paging_levels(mode);
	switch (mode) {
	case KVMINTRO_PAGING_NONE:
		walk->present = true;
		walk->gpa = gva;
		walk->page_size = 4096;
		return 0;
	case KVMINTRO_PAGING_32BIT:
		size = 4;
		bits = 10;
		table = cr3 & 0xfffff000;
		gva &= 0xffffffff;
		break;
	case KVMINTRO_PAGING_PAE:
		table = cr3 & 0xffffffe0;
		gva &= 0xffffffff;
		break;
	default:
		table = cr3 & PTE_ADDR_MASK;
		break;
	}

	for (;; level--) {
		shift = 12 + bits * (level - 1);
		/* PAE's top table has 4 entries, indexed by bits 31:30. */
		index = (gva >> shift) & ((1ULL << bits) - 1);
		step = &walk->steps[walk->nr_steps++];

		step->level = level;
		step->table = table;
		step->entry_gpa = table + index * size;
		r = read(ctx, step->entry_gpa, size, &entry);
		if (r)
			return r;
		step->entry = entry;
		if (!(entry & PTE_PRESENT))
			return 0;
		/* PAE's PDPTEs are always tables. */
		if (!(mode == KVMINTRO_PAGING_PAE && level == 3) &&
		    kvmintro_is_leaf(mode, level, entry, cr4))
			break;
		table = entry & (size == 4 ? 0xfffff000 : PTE_ADDR_MASK);
	}

	walk->present = true;
	walk->page_size = 1ULL << shift;
	if (mode == KVMINTRO_PAGING_32BIT && level == 2)
		/* 4 MiB page: bits 13..20 hold physical address bits 32..39. */
		walk->gpa = (entry & 0xffc00000) | ((entry & 0x1fe000) << 19);
	else if (level > 1)
		walk->gpa = entry & PTE_ADDR_MASK & ~(walk->page_size - 1);
	else
		walk->gpa = entry & (size == 4 ? 0xfffff000 : PTE_ADDR_MASK);
	walk->gpa |= gva & (walk->page_size - 1);
	return 0;
}

/**
 * kvmintro_format_walk_step() - the record of one entry of a walk
 * @buf: where it goes
 * @size: room in @buf
 * @mode: the paging mode, which says whether NX exists
 * @step: the entry
 *
 * Return: the record's length, newline included, or -ENOSPC.
 */
int kvmintro_format_walk_step(char *buf, size_t size,
			      enum kvmintro_paging_mode mode,
			      const struct kvmintro_walk_step *step)
{
	struct kvmintro_record_writer writer;
	bool nx_capable = mode != KVMINTRO_PAGING_32BIT;
	u64 e = step->entry;

	kvmintro_record_begin(&writer, buf, size, NULL);
	kvmintro_record_u64(&writer, "level", step->level);
	kvmintro_record_hex(&writer, "table", step->table);
	kvmintro_record_hex(&writer, "entry_gpa", step->entry_gpa);
	kvmintro_record_hex(&writer, "entry", e);
	kvmintro_record_u64(&writer, "present", !!(e & PTE_PRESENT));
	kvmintro_record_u64(&writer, "writable", !!(e & PTE_WRITABLE));
	kvmintro_record_u64(&writer, "user", !!(e & PTE_USER));
	kvmintro_record_u64(&writer, "nx", nx_capable && (e & PTE_NX));
	kvmintro_record_u64(&writer, "large",
			    step->level > 1 && (e & PTE_LARGE));
	return kvmintro_record_end(&writer);
}
